"""The seed story in pictures: Didi, Full Truck Alliance and Kanzhun in the summer of 2021.

Writes, into one folder:

- ``seed-timeline.svg`` and ``seed-timeline.png``: the timeline, one lane per regulator
  (Didi's NYSE listing on 30 Jun 2021, the review on 2 Jul, the app removal on 4 Jul, the
  FTA and Kanzhun reviews on 5 Jul, the Data Security Law taking effect on 1 Sep, the NYSE
  exit in June 2022, the fine on 21 Jul 2022), as the knowledge base records them;
- ``seed-timeline.html``: the same timeline, interactive (vis-timeline, offline);
- ``seed-view.html``: the graph view around the three firms (interactive, offline);
- ``seed-view.svg``: the same view as a static picture (Graphviz).

Run: python examples/seed_story.py [OUTPUT_DIR] [--lang en|zh|en,zh]
"""

from __future__ import annotations

import sys
from pathlib import Path

ENTITIES = ("DiDi Global", "Full Truck Alliance", "Kanzhun", "Data Security Law")
FIRMS = ("DiDi Global", "Full Truck Alliance", "Kanzhun")


def make_seed_story(outdir, store=None, lang=("en",)) -> dict:
    """Write the seed story's timelines and views into ``outdir``; return name -> path."""
    from graph.answers.timeline import merge_timelines, timeline
    from graph.lookup.lang import parse_lang
    from graph.stores import open_store
    from graph.views.build import view
    from graph.views.static import write_static
    from graph.views.timeline_data import write_timeline

    lang = parse_lang(lang) if isinstance(lang, str) else tuple(lang)
    store = store or open_store("memory")
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    rows = merge_timelines([timeline(store, name) for name in ENTITIES])
    title = "Didi, Full Truck Alliance and Kanzhun: the 2021 cybersecurity reviews"
    paths = {}
    for fmt in ("svg", "png", "html"):
        paths[f"timeline-{fmt}"] = out / f"seed-timeline.{fmt}"
        write_timeline(store, rows, paths[f"timeline-{fmt}"], fmt, lang=lang, title=title)
    paths["view-html"] = out / "seed-view.html"
    net = view(store, entities=FIRMS, depth=2, output=paths["view-html"], lang=lang,
               exclude_only=("GovernmentBody",), exclude=("Jurisdiction", "Exchange"),
               title="Didi, Full Truck Alliance, Kanzhun: regulators, actions, laws, listings")
    paths["view-svg"] = out / "seed-view.svg"
    write_static(net, paths["view-svg"], "svg")
    return paths


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--lang")]
    lang = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--lang=")), "en")
    for name, path in make_seed_story(args[0] if args else "seed-story", lang=lang).items():
        print(f"{name}: {path}")
