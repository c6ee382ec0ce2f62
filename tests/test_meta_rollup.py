"""Issues 12/13: Meta Platforms Ireland Limited is tied to its parent Meta Platforms, so the
parent's show and timeline roll up the decisions that name only the Irish subsidiary, and the
subsidiary's page names the parent's group-level actions."""

from __future__ import annotations

import json

# decisions whose only target is Meta Platforms Ireland Limited (graph/data/src/eu-uk.yaml)
IRISH_ONLY = {"dpc-fine-meta-2023", "dpc-fine-meta-ads-legal-basis-2023",
              "edpb-urgent-binding-decision-meta-2023", "dpc-fine-meta-breach-2024"}


def _events(run, *args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    events = data["events"] if isinstance(data, dict) else data
    return [(e["iri"].rsplit("/", 1)[1], e["via"], e["via_kind"]) for e in events]


def test_meta_ireland_has_meta_platforms_as_parent(run):
    out = run("show", "id:meta-platforms-ireland").stdout
    assert "-parent organization-> Meta Platforms (id:meta-platforms)" in out
    assert "<-parent organization- Meta Platforms Ireland Limited (id:meta-platforms-ireland)" in \
        run("show", "Meta Platforms").stdout


def test_show_meta_platforms_rolls_up_the_irish_subsidiary(run):
    rows = _events(run, "show", "Meta Platforms")
    via = {iri: (name, kind) for iri, name, kind in rows}
    for iri in IRISH_ONLY:
        assert via[iri] == ("Meta Platforms Ireland Limited", "subsidiary"), iri
    assert via["dpc-fine-whatsapp-2021"] == ("WhatsApp Ireland Ltd", "subsidiary")
    # Facebook Ireland Limited ("Facebook's Irish arm") is tied to Meta Platforms as well
    assert via["cnil-fine-facebook-cookies-2021"] == ("Facebook Ireland Limited", "subsidiary")
    # an action naming the parent itself is not marked as via anything
    assert via["ftc-facebook-penalty-2019"] == (None, None)
    text = run("show", "Meta Platforms").stdout
    assert "Irish DPC GDPR fines on Meta Platforms Ireland over the 2018 Facebook personal data " \
           "breach [Penalty] (via subsidiary Meta Platforms Ireland Limited)" in text


def test_timeline_of_meta_platforms_includes_the_irish_penalties(run):
    result = run("timeline", "Meta Platforms", "--type", "Penalty", "--format", "json")
    assert result.exit_code == 0, result.stderr
    entries = json.loads(result.stdout)
    got = {e["iri"].rsplit("/", 1)[1]: (e["via"], e["via_kind"]) for e in entries}
    assert got["dpc-fine-meta-breach-2024"] == ("Meta Platforms Ireland Limited", "subsidiary")
    assert got["dpc-fine-meta-2023"] == ("Meta Platforms Ireland Limited", "subsidiary")
    # a Lawsuit is not a Penalty: the type filter still applies to rolled-up rows
    assert "ftc-meta-suit-2020" not in got


def test_subsidiary_page_names_the_parents_group_level_actions(run):
    rows = _events(run, "show", "id:meta-platforms-ireland")
    via = {iri: (name, kind) for iri, name, kind in rows}
    assert via["ftc-facebook-penalty-2019"] == ("Meta Platforms", "parent")
    assert via["dpc-fine-meta-breach-2024"] == (None, None)
