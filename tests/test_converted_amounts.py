"""Converted amounts in pictures: timeline marks (SVG, PNG, HTML) and graph-view event nodes
show a fine's amount in US dollars (a dollar amount in euros) at the rate of its year.

Expected values are computed here from the rate table (graph/data/src/rates.yaml) and
the fine's own amount, currency and date in the bundled data, not copied from output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests import test_view
from tests.test_pictures import open_page, png_size, svg_texts

#: Debian's headless Chromium, the fixture of tests/test_view.py
browser = test_view.browser

ROOT = Path(__file__).resolve().parents[1]
DIDI_FINE = "https://w3id.org/techreg/id/cac-fine-didi-2022"
FB_FINE = "https://w3id.org/techreg/id/ftc-facebook-penalty-2019"


@pytest.fixture(scope="module")
def kb():
    from graph.stores import open_store

    return open_store("memory")


def _rate(currency: str, year: int) -> dict:
    table = yaml.safe_load((ROOT / "graph" / "data" / "src" / "rates.yaml").read_text(encoding="utf-8"))
    return next(r for r in table["rates"] if r["currency"] == currency and int(r["year"]) == year)


def _fine(kb, iri: str) -> tuple[float, str, int]:
    rows = kb.select(f"SELECT ?a ?c ?d WHERE {{ <{iri}> tr:amount ?a ; tr:currency ?c ; tr:announced ?d }}")
    assert len(rows) == 1
    return float(rows[0]["a"].value), rows[0]["c"].value, int(rows[0]["d"].value[:4])


def _bn(value: float) -> str:
    """Three significant figures of an amount between 1 and 10 billion."""
    assert 1e9 <= value < 1e10
    return f"{value / 1e9:.2f}bn"


@pytest.fixture(scope="module")
def didi_expected(kb):
    amount, currency, year = _fine(kb, DIDI_FINE)
    assert currency == "CNY"
    usd = amount / float(_rate("CNY", year)["units_per_usd"])
    return f"(≈ USD {_bn(usd)}, {year} avg.)"


def test_the_rate_table_converts_a_dollar_fine_to_euros(kb):
    from graph.answers.amounts import conversion_text, conversions

    amount, currency, year = _fine(kb, FB_FINE)
    assert currency == "USD"
    eur = amount / float(_rate("EUR", year)["usd_per_unit"])
    assert conversion_text(conversions(kb)[FB_FINE]) == f"≈ EUR {_bn(eur)}, {year} avg."


def test_no_conversion_without_a_rate(kb):
    from graph.answers.amounts import conversion_text, conversions

    converted = conversions(kb)
    # the rate table stops at 2023 (2024 and 2025 are not on a verified page)
    rows = kb.select("SELECT ?f ?d WHERE { ?f a tr:Penalty ; tr:amount ?a ; tr:currency \"EUR\" ; tr:announced ?d "
                     "FILTER(STR(?d) >= \"2024\") }")
    assert rows
    for row in rows:
        assert conversion_text(converted.get(row["f"].value)) == ""


def test_timeline_svg_png_and_html_show_the_converted_amount(kb, browser, tmp_path, didi_expected):
    from graph.answers.timeline import timeline
    from graph.views.timeline_data import write_timeline

    rows = timeline(kb, "DiDi Global")
    svg = tmp_path / "t.svg"
    pic = write_timeline(kb, rows, svg, "svg")
    fine = next(m for m in pic.marks if m.iri == DIDI_FINE)
    assert fine.amount == "CNY 8,026,000,000" and f"({fine.converted})" == didi_expected
    texts = svg_texts(svg.read_bytes())
    assert "CNY 8,026,000,000" in texts and didi_expected in texts
    # an action with no amount gets no conversion line
    assert all(m.converted == "" for m in pic.marks if not m.amount)
    png = tmp_path / "t.png"
    write_timeline(kb, rows, png, "png")
    assert png_size(png.read_bytes())[0] > 1000
    html = tmp_path / "t.html"
    write_timeline(kb, rows, html, "html")
    page, requests, errors, url = open_page(browser, html, "body[data-ready=true]")
    try:
        assert requests == [url] and errors == []
        assert didi_expected in page.locator(".vis-item .tr-converted").all_text_contents()
    finally:
        page.context.close()


def test_graph_view_event_nodes_show_the_converted_amount(kb, didi_expected):
    from graph.views.build import view
    from graph.views.static import render_static

    net = view(kb, entities=["DiDi Global"], depth=1)
    fine = next(n for n in net.nodes if n["fullLabel"] == "CAC fine on DiDi Global")
    assert fine["label"].endswith("2022-07-21 · CNY 8,026,000,000\n" + didi_expected)
    assert ["converted", didi_expected[1:-1]] in fine["info"]
    texts = svg_texts(render_static(net, "svg"))
    assert "2022-07-21 · CNY 8,026,000,000" in texts and didi_expected in texts
    # a conversion line always follows an amount line
    for node in net.nodes:
        lines = node["label"].split("\n")
        for i, line in enumerate(lines):
            if line.startswith("(≈"):
                assert re.search(r"\b[A-Z]{3} [\d,.]+$", lines[i - 1]), node["label"]


def test_short_amount():
    from graph.answers.amounts import short_amount

    assert short_amount(2_825_696_038) == "2.83bn"
    assert short_amount(18_228_000_000) == "18.2bn"
    assert short_amount(2_556_100) == "2.56m"
    assert short_amount(999_999) == "1m"
    assert short_amount(77_510) == "77.5k"
    assert short_amount(950) == "950"
