"""Benchmark HTML views against raw pyvis (run by hand: ``python tests/benchmarks/bench_view.py``).

For synthetic landscapes of 100, 1,000 and 10,000 nodes (regulators, laws, companies and
actions linking them, every fact in a source graph) it prints:

- the time techreg takes to build the view from the store (selection, tooltips, pyvis
  Network) and to write the HTML, and the file size;
- the time raw pyvis (directed ``Network``, ``cdn_resources="in_line"``) takes to build
  and write the same nodes and edges, and its file size, with the ratios;
- the time the 1,000-node view takes to settle (``stabilizationIterationsDone``) in
  headless Chromium (``/usr/bin/chromium``), every network request blocked.
"""

from __future__ import annotations

import argparse
import importlib
import os
import tempfile
import time
from pathlib import Path

SIZES = (100, 1_000, 10_000)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

__all__ = ["synthetic_trig", "synthetic_store", "main"]


def synthetic_trig(n: int) -> str:
    """A synthetic landscape of about ``n`` nodes as TriG (one source graph per 50 actions)."""
    regs, laws = max(2, n // 20), max(2, n // 20)
    companies = max(2, int(n * 0.4))
    actions = n - regs - laws - companies
    out = ["@prefix tr: <https://w3id.org/techreg/ontology#> .",
           "@prefix id: <https://w3id.org/techreg/id/> .",
           "@prefix src: <https://w3id.org/techreg/source/> .",
           "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
           "@prefix dcterms: <http://purl.org/dc/terms/> .",
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> ."]
    out.append("src:base { src:base a tr:Source ; dcterms:title \"Synthetic registry\" ; dcterms:publisher \"bench\" .")
    for i in range(regs):
        out.append(f'  id:reg{i} a tr:Regulator ; rdfs:label "Regulator {i}"@en , "监管机构{i}"@zh .')
    for i in range(laws):
        out.append(f'  id:law{i} a tr:Statute ; rdfs:label "Law number {i} on data"@en ; '
                   f'tr:dateAdopted "20{10 + i % 12}-0{1 + i % 9}-15"^^xsd:date ; tr:enforcedBy id:reg{i % regs} .')
    for i in range(companies):
        parent = f" ; tr:parentOrganization id:co{i // 7}" if i >= 7 and i % 3 == 0 else ""
        out.append(f'  id:co{i} a tr:Company ; rdfs:label "Company {i} Ltd."@en{parent} .')
    out.append("}")
    for start in range(0, actions, 50):
        out.append(f"src:s{start} {{ src:s{start} a tr:Source ; dcterms:title \"Report {start}\" ; "
                   f"dcterms:issued \"2021-07-0{1 + start % 9}\"^^xsd:date .")
        for i in range(start, min(actions, start + 50)):
            out.append(f'  id:act{i} a tr:Penalty ; rdfs:label "Fine {i} on Company {i % companies}"@en ; '
                       f"tr:issuedBy id:reg{i % regs} ; tr:target id:co{(i * 7) % companies} ; "
                       f'tr:legalBasis id:law{i % laws} ; tr:announced "2021-0{1 + i % 9}-1{i % 10}"^^xsd:date ; '
                       f'tr:amount "{(i + 1) * 1000}"^^xsd:decimal ; tr:currency "CNY" .')
        out.append("}")
    return "\n".join(out) + "\n"


def synthetic_store(n: int, workdir: Path):
    """A fresh in-memory store with the ontology and a synthetic landscape of ``n`` nodes."""
    from graph import resources
    from graph.model.entail import materialise
    from graph.model.iris import ONTOLOGY_IRI
    from graph.stores.local import LocalStore as Store
    from graph.stores.rdfio import parse_files

    path = workdir / f"synthetic-{n}.trig"
    path.write_text(synthetic_trig(n), encoding="utf-8")
    store = Store(None)
    store.add(parse_files([resources.ontology_file()], default_graph=ONTOLOGY_IRI) + parse_files([path]))
    materialise(store)
    return store


def _raw_pyvis(net, out: Path) -> float:
    """Build and write the same graph with raw pyvis (shape and colour per node); returns seconds."""
    from pyvis.network import Network

    groups = net.options["groups"]
    net_nodes, net_edges = net.nodes, net.edges
    start = time.perf_counter()
    raw = Network(directed=True, cdn_resources="in_line")
    for node in net_nodes:
        style = groups[node["group"]]
        raw.add_node(node["id"], label=node["label"], shape=style["shape"], color=style["color"]["background"])
    for edge in net_edges:
        raw.add_edge(edge["from"], edge["to"], label=edge["label"])
    raw.write_html(str(out))
    return time.perf_counter() - start


def _settle(path: Path) -> tuple[float, float]:
    """Open a view in headless Chromium; return (wall seconds to settled, in-page ms)."""
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url == url else r.abort())
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector("body[data-settled=true]", state="attached", timeout=300_000)
        wall = time.perf_counter() - start
        in_page = page.evaluate("() => window.techreg.settleMs")
        browser.close()
    return wall, in_page


def main(argv=None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--settle", type=int, default=1_000, help="size whose settling time is measured (0: skip)")
    args = parser.parse_args(argv)

    from graph.network.projection import project
    from graph.views.build import view, write_view

    importlib.import_module("pyvis.network")  # import cost out of the timings

    rows = []
    settle_file = None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cwd = os.getcwd()
        os.chdir(tmp)  # raw pyvis may drop a lib/ folder in the working directory
        try:
            for n in args.sizes:
                store = synthetic_store(n, tmp)
                project(store)  # the projection is shared with paths; time the view itself
                start = time.perf_counter()
                net = view(store, all=True, max_nodes=10 * n, max_edges=100 * n)
                built = time.perf_counter() - start
                ours = tmp / f"techreg-{n}.html"
                start = time.perf_counter()
                write_view(net, ours)
                written = time.perf_counter() - start
                raw = tmp / f"pyvis-{n}.html"
                raw_s = _raw_pyvis(net, raw)
                rows.append((n, len(net.nodes), len(net.edges), built, written, ours.stat().st_size,
                             raw_s, raw.stat().st_size))
                if n == args.settle:
                    settle_file = ours
            settle = _settle(settle_file) if settle_file and Path(CHROMIUM).exists() else None
        finally:
            os.chdir(cwd)

    header = (f"{'nodes':>7} {'edges':>7} | {'techreg build':>13} {'write':>7} {'size':>9} | "
              f"{'raw pyvis build+write':>21} {'size':>9} | {'time ratio':>10} {'size ratio':>10}")
    print(header)
    print("-" * len(header))
    for n, nodes, edges, built, written, size, raw_s, raw_size in rows:
        print(f"{nodes:>7,} {edges:>7,} | {built:>12.3f}s {written:>6.3f}s {size / 1e6:>7.2f}MB | "
              f"{raw_s:>20.3f}s {raw_size / 1e6:>7.2f}MB | {(built + written) / raw_s:>9.2f}x "
              f"{size / raw_size:>9.2f}x")
    if settle:
        print(f"\n{args.settle:,}-node view settles in headless Chromium: {settle[1] / 1000:.2f} s after the "
              f"script starts ({settle[0]:.2f} s from navigation, stabilizationIterationsDone, physics then off)")
    elif args.settle:
        print(f"\nsettling not measured ({CHROMIUM} missing or size {args.settle} not run)")


if __name__ == "__main__":
    main()
