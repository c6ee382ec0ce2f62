"""Pictures for reports: timelines (SVG, PNG, HTML), static and interactive graph views,
the class selection rules, --lang, and the seed-story example.

Static files are parsed (SVG as XML, PNG by its header); pages are opened in Debian's
headless Chromium with every request but the file itself aborted."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.errors import BadInput
from graph.views.labels import unwrap, wrap_label

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SEED = ("DiDi Global", "Full Truck Alliance", "Kanzhun", "Data Security Law")
FIRMS = ("DiDi Global", "Full Truck Alliance", "Kanzhun")


# -- helpers --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb():
    from graph.stores import open_store

    return open_store("memory")


@pytest.fixture(scope="module")
def seed_rows(kb):
    from graph.answers.timeline import timeline
    from graph.answers.timeline import merge_timelines as merge_rows

    return merge_rows([timeline(kb, name) for name in SEED])


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                     "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


def open_page(browser, path: Path, ready: str):
    """Open a file with every other request aborted; return (page, requests, errors)."""
    url = path.resolve().as_uri()
    context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    context.route("**/*", lambda route: route.continue_() if route.request.url == url else route.abort())
    page.goto(url)
    page.wait_for_selector(ready, state="attached", timeout=60_000)
    return page, requests, errors, url


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)  # raises on invalid XML
    assert root.tag.endswith("svg")
    return [" ".join("".join(e.itertext()).split()) for e in root.iter() if e.tag.endswith("text")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def joined(texts) -> str:
    return " ".join(" ".join(texts).split())


# -- timelines --------------------------------------------------------------------------


def test_seed_timeline_picture_has_the_story(kb, seed_rows):
    """The marks and reference lines are the seed story's dates, as the data records them."""
    from graph.views.timeline_data import timeline_picture

    pic = timeline_picture(kb, seed_rows)
    marks = {(m.date.isoformat(), m.label) for m in pic.marks}
    assert ("2021-07-02", "Cybersecurity review of Didi Chuxing") in marks
    assert ("2021-07-04", "CAC orders app stores to take the Didi Chuxing app down") in marks
    assert ("2021-07-05", "Cybersecurity review of Yunmanman") in marks
    assert ("2021-07-05", "Cybersecurity review of Boss Zhipin") in marks
    assert ("2022-07-21", "CAC fine on DiDi Global") in marks
    fine = next(m for m in pic.marks if m.label == "CAC fine on DiDi Global")
    assert fine.amount == "CNY 8,026,000,000" and fine.lane == "Cyberspace Administration of China"
    refs = {(r.date.isoformat(), r.kind) for r in pic.refs}
    assert {("2021-06-30", "listing"), ("2021-09-01", "law"), ("2022-06-10", "delisting")} <= refs
    # every action of the rows is drawn once, in a lane of one of its issuers (or "none")
    assert len({m.iri for m in pic.marks}) == len(pic.marks)
    assert set(pic.lanes) == {m.lane for m in pic.marks}


def test_timeline_svg_and_png_are_valid_with_dates_labels_amounts(kb, seed_rows, tmp_path):
    from graph.views.timeline_data import write_timeline

    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_timeline(kb, seed_rows, svg, "svg")
        write_timeline(kb, seed_rows, png, "png")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    texts = svg_texts(svg.read_bytes())
    text = joined(texts)
    for day in ("2021-06-30", "2021-07-02", "2021-07-04", "2021-07-05", "2021-09-01", "2022-06-10", "2022-07-21"):
        assert day in text, day
    for label in ("CAC orders app stores to take the Didi Chuxing app down", "Cybersecurity review of Boss Zhipin",
                  "Cybersecurity review of Huochebang", "CAC fine on DiDi Global",
                  "Data Security Law of the People's Republic of China takes effect",
                  "DiDi Global Inc. on New York Stock Exchange (DIDI) delisted"):
        assert label in text, label
    assert "CNY 8,026,000,000" in texts
    assert "Cyberspace Administration of China" in text  # a lane
    width, height = png_size(png.read_bytes())
    assert width >= 1500 and height >= 600


def test_chinese_timeline_renders_without_missing_glyphs(kb, seed_rows, tmp_path):
    from graph.views.timeline_data import write_timeline
    from graph.views.timeline_svg import cjk_font

    if cjk_font() is None:
        pytest.skip("no CJK font: apt-get install fonts-noto-cjk")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_timeline(kb, seed_rows, tmp_path / "zh.png", "png", lang=("zh",))
        write_timeline(kb, seed_rows, tmp_path / "zh.svg", "svg", lang=("zh",), lanes="jurisdiction")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    text = joined(svg_texts((tmp_path / "zh.svg").read_bytes()))
    assert "数据安全法" in text and "对“运满满”实施网络安全审查" in text
    png_size((tmp_path / "zh.png").read_bytes())


def test_no_cjk_font_is_a_clear_error(kb, seed_rows, tmp_path, monkeypatch):
    from graph.views import timeline_svg
    from graph.views.timeline_data import write_timeline

    monkeypatch.setattr(timeline_svg, "cjk_font", lambda: None)  # as on a machine without the package
    with pytest.raises(BadInput, match="fonts-noto-cjk"):
        write_timeline(kb, seed_rows, tmp_path / "zh.svg", "svg", lang=("zh",))
    assert not (tmp_path / "zh.svg").exists()
    write_timeline(kb, seed_rows, tmp_path / "en.svg", "svg")  # English needs no CJK font


def test_timeline_cli_pictures_and_bad_input(tmp_path):
    from graph.cli import cli

    runner = CliRunner()
    out = tmp_path / "seed.svg"
    r = runner.invoke(cli, ["timeline", *SEED, "--format", "svg", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "wrote" in r.output and out.exists()
    r = runner.invoke(cli, ["timeline", "Kanzhun", "--format", "html", "-o", str(tmp_path / "k.html"),
                            "--lanes", "jurisdiction", "--lang", "en,zh"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, ["timeline", "Kanzhun", "--format", "svg", "--lang", "fr", "-o", str(tmp_path / "x.svg")])
    assert r.exit_code == 2 and "fr" in r.output
    r = runner.invoke(cli, ["timeline", "Kanzhun", "--format", "svg", "-o", str(tmp_path / "nodir" / "x.svg")])
    assert r.exit_code == 2 and "no such directory" in r.output
    r = runner.invoke(cli, ["timeline", "Kanzhun"])  # the text timeline is unchanged
    assert r.exit_code == 0 and "2021-07-05" in r.output and "Sources:" in r.output
    r = runner.invoke(cli, ["timeline", "Kanzhun", "--lang", "zh"])  # Chinese where it exists
    assert r.exit_code == 0 and "对“BOSS直聘”实施网络安全审查" in r.output
    assert "Boss Zhipin barred from registering new users during the review" in r.output


def test_html_timeline_in_browser(browser, kb, seed_rows, tmp_path):
    from graph.views.timeline_data import write_timeline

    out = tmp_path / "seed.html"
    pic = write_timeline(kb, seed_rows, out, "html")
    page_text = out.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in page_text and "unsafe-eval" not in page_text
    page, requests, errors, url = open_page(browser, out, "body[data-ready=true]")
    try:
        assert requests == [url] and errors == []
        boxes = page.locator(".vis-item .tr-label").all_text_contents()
        assert "CAC fine on DiDi Global" in boxes and len(boxes) == len(pic.marks) + len(pic.refs)
        assert "CNY 8,026,000,000" in page.locator(".vis-item .tr-amount").all_text_contents()
        lanes = page.locator(".vis-label").all_text_contents()
        assert any("Cyberspace Administration of China" in lane for lane in lanes)
        page.locator(".vis-item", has_text="CAC fine on DiDi Global").first.click()
        assert "2022-07-21" in page.inner_text("#details")
    finally:
        page.context.close()


def test_html_timeline_keeps_hostile_text_as_text(browser, tmp_path):
    """Labels that look like markup reach the page as text, never as elements."""
    from graph.answers.timeline import timeline
    from graph.views.timeline_data import write_timeline
    from tests.test_view import SCRIPT  # the same hostile data as the view tests

    store = _hostile_store(tmp_path)
    out = tmp_path / "hostile.html"
    write_timeline(store, timeline(store, None, start="2000-01-01"), out, "html", title=SCRIPT)
    page, requests, errors, url = open_page(browser, out, "body[data-ready=true]")
    try:
        assert requests == [url] and errors == []
        assert page.evaluate("() => document.querySelectorAll('img, svg, iframe, object').length") == 0
        assert page.inner_text("#title") == SCRIPT
        assert any("Fine <svg onload=alert(1)>" in t for t in page.locator(".vis-item").all_text_contents())
    finally:
        page.context.close()


def _hostile_store(tmp_path):
    from graph import resources
    from graph.model.entail import materialise
    from graph.model.iris import ONTOLOGY_IRI
    from graph.stores.local import LocalStore
    from graph.stores.rdfio import parse_files
    from tests.test_view import HOSTILE_TRIG

    path = tmp_path / "hostile.trig"
    path.write_text(HOSTILE_TRIG, encoding="utf-8")
    store = LocalStore(None)
    store.add(parse_files([resources.ontology_file()], default_graph=ONTOLOGY_IRI) + parse_files([path]))
    materialise(store)
    return store


# -- graph views ------------------------------------------------------------------------


def _seed_view(kb, **kw):
    from graph.views.build import view

    return view(kb, entities=FIRMS, depth=2, **kw)


def test_view_labels_are_never_cut_and_events_carry_dates_and_amounts(kb):
    from graph.lookup.names import name_index

    net = _seed_view(kb)
    index = name_index(kb)
    iris = {v: k for k, v in _ids(net).items()}
    for node in net.nodes:
        full, label = node["fullLabel"], node["label"]
        assert full == index.label(iris[node["id"]])
        # the drawn label is the full one wrapped (plus, for events, a line of date and amount)
        assert label == wrap_label(full) or label.startswith(wrap_label(full) + "\n")
        assert unwrap(wrap_label(full)) == full and "…" not in label
        assert all(len(line) <= 40 for line in label.split("\n"))  # wrapped, not one long line
    fine = next(n for n in net.nodes if n["fullLabel"] == "CAC fine on DiDi Global")
    # the amount line, then the converted amount (tests/test_converted_amounts.py checks its value)
    assert "\n2022-07-21 · CNY 8,026,000,000\n(≈ USD " in fine["label"]
    app = next(n for n in net.nodes if n["fullLabel"].startswith("CAC orders app stores"))
    assert app["label"].endswith("2021-07-04")


def _ids(net):
    g = net.techreg_view.graph
    return {iri: str(i) for i, iri in enumerate(g.nodes)}


def test_time_layout_orders_events_by_date(kb):
    net = _seed_view(kb, layout="time")
    ticks = net.techreg_meta["timeAxis"]
    assert [t[1] for t in ticks] == sorted(t[1] for t in ticks) and len(ticks) >= 8
    column = {d: x for x, d in ticks}
    placed = [n for n in net.nodes if "x" in n]
    assert len(placed) >= 15
    for node in placed:
        assert node["fixed"] == {"x": True, "y": False} and node["x"] in column.values()
    review = next(n for n in net.nodes if n["fullLabel"] == "Cybersecurity review of Didi Chuxing")
    fine = next(n for n in net.nodes if n["fullLabel"] == "CAC fine on DiDi Global")
    assert review["x"] == column["2021-07-02"] < column["2021-07-05"] < fine["x"] == column["2022-07-21"]


def test_selection_rules_report_what_they_remove(kb):
    from graph.lookup.names import resolve

    cac = resolve(kb, "Cyberspace Administration of China")
    full = _seed_view(kb).techreg_view.graph
    assert cac in full
    sub = _seed_view(kb, exclude=["GovernmentBody"])
    assert cac not in sub.techreg_view.graph  # a Regulator is a GovernmentBody
    (rule, counts), *_ = sub.techreg_view.removed
    assert rule == "--exclude GovernmentBody" and counts.get("Regulator", 0) >= 2 and counts["GovernmentBody"] >= 1
    only = _seed_view(kb, exclude_only=["GovernmentBody"])
    g = only.techreg_view.graph
    assert cac in g and not any(a["classes"] == ["GovernmentBody"] for _, a in g.nodes(data=True))
    assert only.techreg_view.removed[0][0] == "--exclude-only GovernmentBody"
    keep = _seed_view(kb, classes=["GovernmentBody"])
    kinds = {c for _, a in keep.techreg_view.graph.nodes(data=True) for c in a["classes"]}
    assert "Regulator" in kinds
    keep_only = _seed_view(kb, classes_only=["GovernmentBody"])
    seeds = keep_only.techreg_view.seeds
    assert not any("Regulator" in a["classes"] and "GovernmentBody" not in a["classes"]
                   for n, a in keep_only.techreg_view.graph.nodes(data=True) if n not in seeds)


def test_view_cli_reports_removals_on_stderr(tmp_path):
    from graph.cli import cli

    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    r = runner.invoke(cli, ["view", "DiDi Global", "--exclude", "GovernmentBody", "-o", str(tmp_path / "v.html")])
    assert r.exit_code == 0
    assert re.search(r"--exclude GovernmentBody: removed .*Regulator", r.stderr)
    r = runner.invoke(cli, ["view", "Kanzhun", "--exclude-only", "Regulatr", "-o", str(tmp_path / "v.html")])
    assert r.exit_code == 2 and "did you mean: Regulator" in r.stderr


def test_lang_zh_and_both(kb):
    net = _seed_view(kb, lang=("zh",))
    labels = {n["fullLabel"] for n in net.nodes}
    assert "国家互联网信息办公室" in labels
    assert "Full Truck Alliance Co. Ltd." in labels or any("满帮" in x for x in labels)  # English when no Chinese
    both = _seed_view(kb, lang=("en", "zh"))
    assert "Cyberspace Administration of China / 国家互联网信息办公室" in {n["fullLabel"] for n in both.nodes}


def test_static_view_svg_and_png(kb, tmp_path):
    from graph.views.static import render_static

    net = _seed_view(kb, exclude_only=["GovernmentBody"])
    texts = svg_texts(render_static(net, "svg"))
    text = joined(texts)
    for node in net.nodes:
        assert node["fullLabel"] in text, node["fullLabel"]
    assert "2022-07-21 · CNY 8,026,000,000" in texts
    width, height = png_size(render_static(net, "png"))
    assert width > 800 and height > 600


def test_static_view_keeps_hostile_labels_as_text(tmp_path):
    from graph.views.build import view
    from graph.views.static import render_static
    from tests.test_view import IMG, SCRIPT

    net = view(_hostile_store(tmp_path), all=True)
    svg = render_static(net, "svg")
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "img", "foreignObject")]
    assert IMG in joined(svg_texts(svg)) and SCRIPT in joined(svg_texts(svg))


def test_view_in_browser_labels_clusters_downloads(browser, kb, tmp_path):
    from graph.views.build import view

    out = tmp_path / "seed.html"
    net = view(kb, entities=FIRMS, depth=2, output=out, cluster=True, layout="time")
    assert len(net.techreg_meta["clusters"]) >= 2
    page, requests, errors, url = open_page(browser, out, "body[data-settled=true]")
    try:
        assert requests == [url] and errors == []
        shown = page.evaluate("() => window.techreg.nodes.get().map(n => [n.label, n.fullLabel])")
        assert all(unwrap(label).startswith(full) for label, full in shown)
        visible = page.evaluate("() => window.techreg.network.body.nodeIndices.length")
        assert page.evaluate("() => window.techreg.clusters") >= 2 and visible < len(net.nodes)
        with page.expect_download() as dl:
            page.click("#download-png")
        png = Path(dl.value.path()).read_bytes()
        assert png_size(png)[0] > 500
        with page.expect_download() as dl:
            page.click("#download-svg")
        texts = svg_texts(Path(dl.value.path()).read_bytes())
        assert "2021-07-05" in texts  # the time axis
        assert requests == [url] and errors == []
    finally:
        page.context.close()


# -- the example ------------------------------------------------------------------------


@pytest.mark.slow
def test_seed_story_example_runs(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "seed_story.py"), str(tmp_path)],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path,
                       env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    for name in ("seed-timeline.svg", "seed-timeline.png", "seed-timeline.html", "seed-view.html", "seed-view.svg"):
        assert (tmp_path / name).stat().st_size > 5_000, name
    text = joined(svg_texts((tmp_path / "seed-timeline.svg").read_bytes()))
    assert "2021-07-04" in text and "CNY 8,026,000,000" in text
    png_size((tmp_path / "seed-timeline.png").read_bytes())
