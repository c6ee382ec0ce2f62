"""The in-page SVG download of a graph view keeps the nodes folded inside clusters: each
cluster is drawn as a box listing its members, and edges to members end at the box.
Checked in Debian's headless Chromium, the download saved by the page itself."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from tests import test_view
from tests.test_pictures import FIRMS, open_page

#: Debian's headless Chromium, the fixture of tests/test_view.py
browser = test_view.browser

SVG = "{http://www.w3.org/2000/svg}"


def _download_svg(page) -> ET.Element:
    with page.expect_download() as dl:
        page.click("#download-svg")
    return ET.fromstring(Path(dl.value.path()).read_bytes())


def test_svg_download_keeps_nodes_folded_in_clusters(browser, tmp_path):
    from graph.stores import open_store
    from graph.views.build import view

    kb = open_store("memory")
    out = tmp_path / "clustered.html"
    net = view(kb, entities=FIRMS, depth=2, output=out, cluster=True)
    clusters = net.techreg_meta["clusters"]
    assert len(clusters) >= 2
    page, requests, errors, url = open_page(browser, out, "body[data-settled=true]")
    try:
        assert requests == [url] and errors == []
        folded = page.evaluate("""() => { const net = window.techreg.network;
            return window.techreg.nodes.get().filter(n => net.clustering.findNode(n.id).length > 1).map(n => n.id); }""")
        assert folded, "the clusters fold some nodes"
        root = _download_svg(page)
        members = [e.text for e in root.iter(SVG + "text") if e.get("class") == "member"]
        by_id = {n["id"]: n for n in net.nodes}
        assert sorted(members) == sorted(by_id[i]["fullLabel"] for i in folded)
        boxes = [e.text for e in root.iter(SVG + "text") if e.get("class") == "cluster-label"]
        assert sorted(boxes) == sorted(str(v) for v in clusters.values())
        # every node not folded is drawn with its label, line by line
        drawn = {"\n".join(t.text or "" for t in e.iter(SVG + "tspan")) for e in root.iter(SVG + "text")}
        for n in net.nodes:
            if n["id"] not in folded:
                assert n["label"] in drawn, n["label"]
        assert len(root.findall(f".//{SVG}line")) > 0
        errors.clear()
        # opened, a cluster's members are drawn as nodes and no longer listed
        gid = sorted(clusters)[0]
        page.evaluate(f"() => window.techreg.network.openCluster('cluster:{gid}')")
        root = _download_svg(page)
        still = [e.text for e in root.iter(SVG + "text") if e.get("class") == "member"]
        assert len(still) < len(members)
        assert errors == [] and requests == [url]
    finally:
        page.context.close()
