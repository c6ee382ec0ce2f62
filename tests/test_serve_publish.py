"""``techreg publish DIR``: static entity, source and timeline pages."""

from __future__ import annotations

from click.testing import CliRunner

from test_serve import HOSTILE_TRIG


def _small_store(tmp_path):
    from graph import resources
    from graph.model.entail import materialise
    from graph.model.iris import ONTOLOGY_IRI
    from graph.stores.local import LocalStore

    trig = tmp_path / "hostile.trig"
    trig.write_text(HOSTILE_TRIG.replace("tr:parentOrganization <https://w3id.org/techreg/id/tencent>",
                                         "tr:parentOrganization <https://w3id.org/techreg/id/parent>")
                    + """<https://w3id.org/techreg/source/hostile-test> {
  <https://w3id.org/techreg/id/parent> a <https://w3id.org/techreg/ontology#Company> ;
      <http://www.w3.org/2000/01/rdf-schema#label> "Parent Co"@en ;
      <https://w3id.org/techreg/ontology#foundingDate> "2001-02-03"^^<http://www.w3.org/2001/XMLSchema#date> . }
""", encoding="utf-8")
    store = LocalStore(None)
    store.load_paths([resources.ontology_file()], default_graph=ONTOLOGY_IRI)
    store.load_paths([trig])
    materialise(store)
    return store


def test_publish_writes_static_pages_with_escaped_data(tmp_path):
    from graph.web.publish import publish

    site = tmp_path / "site"
    counts = publish(_small_store(tmp_path), site)
    assert counts == {"entities": 2, "sources": 1}
    page = (site / "id" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert 'href="/id/parent"' in page and 'href="/source/hostile-test"' in page
    parent = (site / "id" / "parent" / "index.html").read_text(encoding="utf-8")
    assert 'href="/id/hostile"' in parent  # the incoming link
    source = (site / "source" / "hostile-test" / "index.html").read_text(encoding="utf-8")
    assert 'href="javascript:' not in source and "Parent Co" in source
    assert (site / "static" / "style.css").is_file() and (site / "index.html").is_file()
    assert (site / "timeline" / "index.html").is_file()
    assert not any(p.name.startswith(".site-") for p in tmp_path.iterdir())


def test_publish_refuses_a_directory_with_files(tmp_path):
    from graph.cli import cli

    site = tmp_path / "site"
    site.mkdir()
    (site / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["--store", "empty", "publish", str(site)], obj={})
    assert result.exit_code == 2
    assert "not an empty directory" in result.output
    assert [p.name for p in site.iterdir()] == ["keep.txt"]
