"""Booleans that an engine sends as numbers (Virtuoso 7.2) are read back as booleans."""

import json

import pyoxigraph as ox

from graph.stores.normalise import boolean_variables, normalise_json

_XSD = "http://www.w3.org/2001/XMLSchema#"


def test_boolean_expressions_are_found_by_their_form():
    query = """PREFIX tr: <https://w3id.org/techreg/ontology#>
    SELECT ?law (SAMPLE(?said) AS ?stated) (COUNT(?a) AS ?n) (?n > 2 AS ?many) (STR(?x) AS ?s)
           (IF(?a = 1, 2, 3) AS ?choice) (!BOUND(?y) AS ?missing) (?p IN (1, 2) AS ?listed) WHERE {
      { ?r tr:enforces ?law BIND(true AS ?said) } UNION { ?r tr:x ?law }
      BIND(NOT EXISTS { ?law tr:parent ?up } AS ?ultimate)
      BIND(?a && ?b AS ?both) BIND(STRSTARTS(?s, "x") AS ?prefixed) BIND(?a + 1 AS ?sum)
      BIND("x = y AS ?z" AS ?text)
    }"""
    assert boolean_variables(query) == {"said", "stated", "many", "missing", "listed", "ultimate", "both", "prefixed"}


def _answer(bindings, variables):
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode()


def test_numbers_of_boolean_variables_become_booleans_and_others_stay():
    integer = {"type": "typed-literal", "datatype": _XSD + "integer", "value": "1"}
    zero = {"type": "typed-literal", "datatype": _XSD + "integer", "value": "0"}
    odd = {"type": "typed-literal", "datatype": _XSD + "boolean", "value": "0"}
    data = _answer([{"flag": integer, "count": integer, "b": odd}, {"flag": zero, "count": zero}], ["flag", "count", "b"])
    rows = list(ox.parse_query_results(normalise_json(data, frozenset({"flag"})), ox.QueryResultsFormat.JSON))
    assert rows[0]["flag"] == ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean"))
    assert rows[1]["flag"] == ox.Literal("false", datatype=ox.NamedNode(_XSD + "boolean"))
    assert rows[0]["count"] == ox.Literal("1", datatype=ox.NamedNode(_XSD + "integer"))
    assert rows[0]["b"] == ox.Literal("false", datatype=ox.NamedNode(_XSD + "boolean"))  # canonical form


def test_an_answer_without_numbers_is_passed_through_untouched():
    data = _answer([{"x": {"type": "literal", "value": "y"}}], ["x"])
    assert normalise_json(data, frozenset({"x"})) is data
