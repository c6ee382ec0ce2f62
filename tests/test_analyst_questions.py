"""Analyst questions asked through the command line, each with its exact expected answer.

The expected answers were read off the bundled data and checked with hand-written SPARQL
(listed in NOTE.md); these tests say that the commands now give them without SPARQL.
"""

from __future__ import annotations

import json


def _json(run, *args):
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _slugs(entries):
    return {e["iri"].rsplit("/", 1)[1] for e in entries}


def test_q1_which_penalties_were_imposed_in_the_eu(run):
    # the EU's own bodies and the authorities of the member states the data places inside it
    entries = _json(run, "timeline", "--all", "--jurisdiction", "EU", "--type", "Penalty")
    assert _slugs(entries) == {
        "cnil-fine-amazon-europe-core-2020", "cnil-fine-facebook-cookies-2021", "cnil-fine-google-2019",
        "cnil-fine-google-cookies-2020", "cnil-fine-google-cookies-2021", "cnpd-fine-amazon-2021",
        "dpc-fine-instagram-2022", "dpc-fine-linkedin-2024", "dpc-fine-meta-2023", "dpc-fine-meta-ads-legal-basis-2023",
        "dpc-fine-meta-breach-2024", "dpc-fine-meta-passwords-2024", "dpc-fine-meta-scraping-2022",
        "dpc-fine-tiktok-children-2023", "dpc-fine-tiktok-transfers-2025", "dpc-fine-whatsapp-2021",
        "dutch-ap-fine-uber-2024", "garante-fine-openai-2024",
        "ec-dma-fine-apple-2025", "ec-dma-fine-meta-2025", "ec-dsa-fine-x-2025", "ec-fine-apple-music-streaming-2024",
        "ec-fine-google-adsense-2019", "ec-fine-google-adtech-2025", "ec-fine-google-android-2018",
        "ec-fine-google-shopping-2017", "ec-fine-meta-marketplace-2024",
        # GDPR fines of EUR 10m and more (eu-gdpr.yaml) by authorities of France, Germany, Ireland, Italy and
        # the Netherlands; Spain's and Greece's are not inside the EU in the data (no sourced containment yet)
        "berlin-dpa-fine-deutsche-wohnen-2019", "bfdi-fines-vodafone-2025", "cnil-fine-amazon-france-logistique-2023",
        "cnil-fine-clearview-2022", "cnil-fine-criteo-2023", "cnil-fine-free-2026", "cnil-fine-free-mobile-2026",
        "dpc-fine-meta-breach-notifications-2022", "dutch-ap-fine-clearview-2024", "dutch-ap-fine-uber-transparency-2024",
        "garante-fine-clearview-2022", "garante-fine-enel-energia-2024", "garante-fine-intesa-sanpaolo-2026",
        "garante-fine-tim-2020", "garante-fine-vodafone-italia-2020", "garante-fine-windtre-2020", "hmbbfdi-fine-hm-2020"}
    eu_only = _json(run, "timeline", "--all", "--jurisdiction", "id:european-union", "--type", "Penalty")
    assert _slugs(eu_only) == _slugs(entries)


def test_q2_which_penalties_have_no_date(run):
    entries = _json(run, "timeline", "--all", "--type", "Penalty")
    assert _slugs(e for e in entries if e["date"] is None) == {
        "beijing-cac-penalties-weibo-2021", "cac-fine-douban-2021-12", "dutch-ap-fine-clearview-2024",
        "dutch-ap-fine-uber-transparency-2024", "garante-fine-intesa-sanpaolo-2026",
        "garante-fine-openai-2024", "ofcom-fine-4chan-2025", "pboc-fine-alipay-2023", "pboc-fine-tenpay-2023",
        "samr-fine-hive-box-2020"}


def test_q3_when_did_the_cnpd_decide_on_amazon(run):
    data = _json(run, "show", "CNPD GDPR fine on Amazon Europe Core")
    assert sorted(v["value"] for v in data["properties"]["startDate"]) == ["2021-07-15", "2021-07-16"]
    assert data["conflicts"] == ["startDate"]


def test_q4_how_much_was_the_didi_fine(run):
    hit = _json(run, "search", "Didi fine")[0]
    data = _json(run, "show", hit["curie"])
    assert (hit["curie"], data["values"]["amount"], data["values"]["currency"]) == \
        ("id:cac-fine-didi-2022", ["8026000000"], ["CNY"])


def test_q5_which_eu_fines_did_google_get_and_when(run):
    entries = _json(run, "timeline", "Google", "--jurisdiction", "EU", "--type", "Penalty")
    # the Commission's fines and the CNIL's (France is inside the EU); the CNIL's 2021 cookie
    # fine has two dated facts (its end date and its announcement)
    assert [(e["date"], e["iri"].rsplit("/", 1)[1]) for e in entries] == [
        ("2017-06-27", "ec-fine-google-shopping-2017"), ("2018-07-18", "ec-fine-google-android-2018"),
        ("2019-01-21", "cnil-fine-google-2019"), ("2019-03-20", "ec-fine-google-adsense-2019"),
        ("2020-12-07", "cnil-fine-google-cookies-2020"), ("2021-12-31", "cnil-fine-google-cookies-2021"),
        ("2022-01-06", "cnil-fine-google-cookies-2021"), ("2025-09-05", "ec-fine-google-adtech-2025")]


def test_q6_which_reviews_hit_full_truck_alliance_products(run):
    entries = _json(run, "timeline", "Full Truck Alliance", "--type", "CybersecurityReview")
    assert [(e["date"], e["label"], e["via"]) for e in entries] == [
        ("2021-07-05", "Cybersecurity review of Huochebang", "Huochebang"),
        ("2021-07-05", "Cybersecurity review of Yunmanman", "Yunmanman")]


def test_q7_which_us_statute_applies_to_didi_through_its_own_action(run):
    data = _json(run, "exposure", "DiDi Global", "--type", "Statute", "--jurisdiction", "United States")
    direct = [i["entity"]["label"] for items in data["routes"].values() for i in items if i["route_type"] == "action"]
    assert direct == ["Holding Foreign Companies Accountable Act"]


def test_q8_which_group_actions_does_tiktok_ireland_inherit(run):
    data = _json(run, "show", "TikTok Technology Limited")
    assert _slugs(e for e in data["events"] if e["via_kind"] == "parent") == {
        "cfius-review-musically", "ec-dma-gatekeeper-designation-2023",
        "miit-link-blocking-order-2021-09", "pafaca-divest-or-ban-2024", "pboc-summons-13-platforms-2021-04",
        "scotus-tiktok-v-garland-2025", "us-eo-tiktok-delay-2025", "us-eo-tiktok-ieepa-2020",
        "us-order-bytedance-divest-2020"}


def test_q9_which_amazon_actions_came_through_a_subsidiary(run):
    data = _json(run, "show", "Amazon")
    assert {(e["iri"].rsplit("/", 1)[1], e["via"]) for e in data["events"] if e["via_kind"] == "subsidiary"} == {
        ("cnil-fine-amazon-europe-core-2020", "Amazon Europe Core S.à r.l."),
        ("cnpd-fine-amazon-2021", "Amazon Europe Core S.à r.l.")}


def test_q10_which_penalty_did_luxembourg_impose_on_amazon(run):
    hits = _json(run, "search", "Amazon", "--jurisdiction", "Luxembourg", "--type", "Penalty")
    assert [h["curie"] for h in hits] == ["id:cnpd-fine-amazon-2021"]


def test_q11_which_review_is_yunmanman_in_chinese(run):
    hits = _json(run, "search", "运满满 审查")
    assert hits[0]["curie"] == "id:cac-review-yunmanman-2021"


def test_q12_what_does_tiktok_mean(run):
    data = _json(run, "show", "TikTok")
    assert (data["curie"], sorted(a["curie"] for a in data["alternatives"])) == \
        ("id:tiktok", ["id:tiktok-app", "id:tiktok-technology-limited"])
