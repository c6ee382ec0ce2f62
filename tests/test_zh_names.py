"""Chinese names people type resolve to the entity they name (issue 13, item 5)."""

import pytest

from graph.lookup.names import resolve
from graph.model.namespaces import ID

# name typed -> expected id; every alias here is recorded from a stored page that uses it
EXPECTED = {
    "国家网信办": "cac",
    "國家網信辦": "cac",
    "国家互联网信息办公室": "cac",
    "北京市互联网信息办公室": "beijing-cyberspace-administration",
    "市场监管总局": "samr",
    "证监会": "csrc",
    "中国证监会": "csrc",
    "满帮": "full-truck-alliance",
    "满帮集团": "full-truck-alliance",
    "滿幫集團": "full-truck-alliance",
    "纳斯达克": "nasdaq",
    "美国证券交易委员会": "sec",
    "欧盟委员会": "european-commission",
    "歐盟委員會": "european-commission",
    "谷歌": "google",
    "苹果": "apple",
    "个人信息保护法": "pipl",
    "个保法": "pipl",
    "数安法": "data-security-law",
    "运满满": "yunmanman",
}


@pytest.mark.parametrize("name,expected", sorted(EXPECTED.items()))
def test_chinese_name_resolves_to_the_expected_entity(memory_store, name, expected):
    assert str(resolve(memory_store, name)) == str(ID[expected])


def test_the_beijing_office_is_part_of_the_cac_not_the_cac(memory_store):
    beijing = resolve(memory_store, "北京市互联网信息办公室")
    assert str(beijing) != str(ID["cac"])
    rows = memory_store.select(f"""
        SELECT ?p WHERE {{ GRAPH ?g {{ <{beijing}> tr:parentOrganization ?p }} }}""")
    assert {r["p"].value for r in rows} == {str(ID["cac"])}


def test_douban_and_weibo_fines_name_the_beijing_office_as_issuer(memory_store):
    for action in ("cac-fine-douban-2021-12", "cac-fine-weibo-2021-12"):
        rows = memory_store.select(f"""
            SELECT ?i WHERE {{ GRAPH ?g {{ <{ID[action]}> tr:issuedBy ?i }} }}""")
        assert str(ID["beijing-cyberspace-administration"]) in {r["i"].value for r in rows}
