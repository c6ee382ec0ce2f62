"""Declared coverage scopes: each count checked against the data, and the command."""

import json
import shutil

import pytest

from graph.coverage.scopes import SCOPES_DIR, CoverageDrop, check_recorded, count_scopes, load_scopes
from graph.errors import BadInput
from graph.lookup.sources import sources

# the scopes the coverage issue asks for, by id
REQUIRED = {"cn-cac-platform-actions", "cn-samr-platform-antitrust", "cn-pboc-csrc-fintech",
            "cn-data-platform-ai-rules", "eu-dma-gatekeepers", "eu-dsa", "eu-commission-antitrust-tech",
            "eu-gdpr-fines-10m", "us-actions-on-groups", "us-hfcaa", "us-export-and-executive",
            "uk-cma-ico-ofcom", "uk-sms-designations", "groups"}


@pytest.fixture(scope="module")
def scopes(memory_store):
    return count_scopes(memory_store, load_scopes())


def test_every_required_scope_is_declared(scopes):
    assert REQUIRED <= {s.id for s in scopes}


def test_each_count_matches_the_data(scopes):
    # the recorded numbers are what the data holds: a change in the data must update them
    mismatched = [(s.id, c.what, c.recorded, c.found) for s in scopes for c in s.counts if c.recorded != c.found]
    assert mismatched == []


def test_complete_scopes_hold_their_reference(scopes):
    for s in scopes:
        if s.status == "complete":
            assert all(c.found >= c.reference for c in s.counts), s.id
            assert s.as_of and s.reference["url"], s.id


def test_references_are_sources_of_the_data(scopes, memory_store):
    by_iri = sources(memory_store)
    for s in scopes:
        if s.reference:
            doc = by_iri.get(f"https://w3id.org/techreg/source/{s.reference['source']}")
            assert doc is not None, s.id
            assert doc.url == s.reference["url"], s.id


def test_dma_scope_counts_the_seven_gatekeepers(scopes):
    dma = next(s for s in scopes if s.id == "eu-dma-gatekeepers")
    assert [(c.what, c.reference, c.found) for c in dma.counts] == [
        ("gatekeepers", 7, 7), ("designation decisions", 3, 3), ("core platform services", 24, 24),
        ("non-compliance decisions", 2, 2)]
    assert dma.status == "partial" and dma.missing


def test_a_drop_fails_the_build_and_growth_is_reported(scopes):
    dma = next(s for s in scopes if s.id == "eu-dma-gatekeepers")
    count = dma.counts[0]
    saved = count.recorded
    try:
        count.recorded = saved + 1
        with pytest.raises(CoverageDrop, match="eu-dma-gatekeepers: gatekeepers 8 -> 7"):
            check_recorded(scopes)
        count.recorded = saved - 1
        assert check_recorded(scopes) == ["eu-dma-gatekeepers: gatekeepers 6 -> 7"]
    finally:
        count.recorded = saved


def test_a_malformed_scope_file_names_the_file_and_line(tmp_path):
    shutil.copy(SCOPES_DIR / "uk-sms-designations.yaml", tmp_path / "uk-sms-designations.yaml")
    (tmp_path / "bad.yaml").write_text("id: bad\ntitle: x\ncovers: y\ncounts: [\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"bad\.yaml:\d+"):
        load_scopes(tmp_path)
    (tmp_path / "bad.yaml").write_text("id: bad\ntitle: x\ncovers: y\ncounts: []\nscope: z\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"bad\.yaml: unknown key\(s\) scope"):
        load_scopes(tmp_path)


def test_coverage_command_lists_every_scope(run, scopes):
    result = run("coverage", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [d["id"] for d in data] == [s.id for s in scopes]
    text = run("coverage").output
    for s in scopes:
        assert s.id in text
    assert "2025-04-23" in text and "European Commission" in text


@pytest.mark.slow
def test_the_build_fails_on_a_drop_and_reports_growth():
    from graph.data.build import build, change_report

    built = build()
    assert change_report(built) == []
    # the EU facts live in eu-uk.yaml and eu-dsa-dma.yaml
    without_eu = {name: data for name, data in built.items() if name not in ("eu-uk.trig", "eu-dsa-dma.trig")}
    with pytest.raises(CoverageDrop, match="eu-dma-gatekeepers: gatekeepers 7 -> 0"):
        change_report(without_eu)
