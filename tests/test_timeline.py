"""Time: timelines, and --as-of in stats and show."""

import json

from graph.answers.timeline import timeline
from graph.model.dates import in_force


def test_timeline_of_july_2021_lists_the_seed_story_in_order(run):
    result = run("timeline", "--all", "--from", "2021-06-01", "--to", "2021-07-31", "--format", "json")
    assert result.exit_code == 0
    entries = json.loads(result.stdout)
    # undated actions are listed last (issue 12: nothing dropped silently), dated ones in order
    dates = [e["date"] for e in entries if e["date"] is not None]
    assert [e["date"] for e in entries[:len(dates)]] == dates
    assert all(e["what"] == "undated" for e in entries[len(dates):])
    assert dates == sorted(dates) and dates[0] >= "2021-06-01" and dates[-1] <= "2021-07-31"
    labels = [e["label"] for e in entries]

    def first(text):
        return next(i for i, label in enumerate(labels) if text in label)

    kanzhun, fta, didi = first("Kanzhun Limited on Nasdaq"), first("Full Truck Alliance Co. Ltd. on New York"), \
        first("DiDi Global Inc. on New York")
    didi_review, fta_review = first("Cybersecurity review of Didi"), first("Cybersecurity review of Yunmanman")
    assert kanzhun < fta < didi < didi_review < fta_review
    assert all(e["sources"] for e in entries)


def test_timeline_of_one_firm_includes_its_products(memory_store):
    entries = timeline(memory_store, "Full Truck Alliance")
    labels = {e.label for e in entries}
    assert "Cybersecurity review of Yunmanman" in labels
    assert any("Full Truck Alliance Co. Ltd. on New York Stock Exchange" in l for l in labels)
    assert all(e.label != "Cybersecurity review of Didi Chuxing" for e in entries)


def test_timeline_text_has_footnoted_sources(run):
    result = run("timeline", "DiDi Global", "--to", "2021-07-05")
    assert result.exit_code == 0
    assert "2021-06-30  listing date" in result.stdout and "Sources:" in result.stdout


def test_timeline_bad_input(run):
    assert run("timeline").exit_code == 2
    bad = run("timeline", "--all", "--from", "2021-99-01")
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    backwards = run("timeline", "--all", "--from", "2022-01-01", "--to", "2021-01-01")
    assert backwards.exit_code == 2 and "after" in backwards.stderr


def test_in_force_rules():
    assert in_force({"announced": "2021-07-05"}, "2021-07-05")
    assert not in_force({"announced": "2021-07-05"}, "2021-07-04")
    assert in_force({"listingDate": "2021-06-30", "delistingDate": "2022-06-10"}, "2022-06-10")
    assert not in_force({"listingDate": "2021-06-30", "delistingDate": "2022-06-10"}, "2022-06-11")
    assert in_force({}, "1990-01-01")


def test_stats_as_of(run):
    before = json.loads(run("stats", "--as-of", "2021-06-01", "--format", "json").stdout)["as_of"]
    after = json.loads(run("stats", "--as-of", "2021-07-31", "--format", "json").stdout)["as_of"]
    assert after["actions_started"] > before["actions_started"]
    assert after["listings_live"] >= before["listings_live"] + 3   # Kanzhun, Full Truck Alliance, DiDi
    assert after["laws_adopted"] == before["laws_adopted"] + 1     # the Data Security Law, 10 Jun 2021
    later = json.loads(run("stats", "--as-of", "2022-07-01", "--format", "json").stdout)["as_of"]
    assert later["listings_live"] < after["listings_live"] + 10
    assert later["laws_in_force"] > after["laws_in_force"]


def test_show_as_of_hides_later_actions(run):
    early = json.loads(run("show", "DiDi Global", "--as-of", "2021-07-03", "--format", "json").stdout)
    late = json.loads(run("show", "DiDi Global", "--format", "json").stdout)
    early_labels = {e["label"] for e in early["events"]}
    late_labels = {e["label"] for e in late["events"]}
    assert "Cybersecurity review of Didi Chuxing" in early_labels
    assert "CAC fine on DiDi Global" in late_labels and "CAC fine on DiDi Global" not in early_labels
