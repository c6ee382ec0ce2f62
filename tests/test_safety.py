"""The safety gate: no query reaches the network from any entry point, whatever escapes,
comments, strings, IRIs, prefixed names or letter case hide SERVICE behind.

A real HTTP listener on 127.0.0.1 counts the requests; each attack is first shown to be
real (pyoxigraph, given the same text without the gate, calls the listener), then every
entry point must refuse it with exit 2 and zero requests.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import BadInput
from graph.model.iris import sparql_prologue
from graph.query.lexer import unescape_codepoints
from graph.query.safety import check_safety
from listener import Listener


@pytest.fixture(scope="module")
def listener():
    server = Listener().start()
    yield server
    server.stop()


def _escaped_url(url: str) -> str:
    return url.replace("1", "\\u0031", 1).replace("/", "\\u002F", 1)


#: Each escape class of the issue, as a function of the listener's URL.
ATTACKS = {
    "quote-escape-in-local-name": lambda u: (
        f"SELECT * WHERE {{ {{ ?s tr:a\\' ?o }} UNION {{ SERVICE <{u}x> {{ ?a ?b ?c }} }} }} #'"),
    "hash-escape-in-local-name": lambda u: (
        f"SELECT * WHERE {{ {{ ?s id:a\\# ?o }} UNION {{ SERVICE <{u}x> {{ ?a ?b ?c }} }} }}"),
    "u-escape-in-iri": lambda u: f"SELECT * WHERE {{ SERVICE <{_escaped_url(u)}> {{ ?a ?b ?c }} }}",
    "comment": lambda u: f"SELECT * WHERE {{ # \" ' <\n SERVICE #x\n<{u}> {{ ?a ?b ?c }} }}",
    "strings": lambda u: (
        f"SELECT * WHERE {{ BIND(\"a\\\"#\" AS ?x) BIND('''it's''' AS ?y) SERVICE <{u}> {{ ?a ?b ?c }} }}"),
    "case": lambda u: f"select * where {{ sErViCe SiLeNt <{u}> {{ ?a ?b ?c }} }}",
    "glued-prefixed-name": lambda u: f"PREFIX a: <{u}> SELECT * WHERE {{ SERVICEa: {{ ?a ?b ?c }} }}",
    "glued-iri": lambda u: f"SELECT * WHERE {{ SERVICE<{u}>{{ ?a ?b ?c }} }}",
    "prefixed-name-endpoint": lambda u: f"PREFIX e: <{u}> SELECT * WHERE {{ SERVICE e:x {{ ?a ?b ?c }} }}",
    "base-relative-endpoint": lambda u: f"BASE <{u}> SELECT * WHERE {{ SERVICE <x> {{ ?a ?b ?c }} }}",
    "less-than-or-iri": lambda u: (
        f"SELECT * WHERE {{ BIND(1 AS ?a) FILTER(?a<'>'||?a) SERVICE <{u}> {{ ?x ?y ?z }} #'\n}}"),
}


def _engine_calls(listener, query: str) -> int:
    """How many requests pyoxigraph makes evaluating the query on an empty store, no gate."""
    before = len(listener.hits)
    try:
        result = ox.Store().query(sparql_prologue(query) + query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass
    return len(listener.hits) - before


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attack_is_real_and_the_gate_refuses_it(listener, name):
    query = ATTACKS[name](listener.url)
    assert _engine_calls(listener, query) >= 1, "the attack does not reach the listener without the gate"
    with pytest.raises(BadInput):
        check_safety(query, local_graphs=set())


def _entry_points(run, tmp_path, query: str, store: str):
    path = tmp_path / "attack.rq"
    path.write_text(query, encoding="utf-8")
    yield "query", run("--store", store, "query", query, "--format", "json")
    yield "query @file", run("--store", store, "query", f"@{path}", "--format", "json")
    if not store.startswith("sparql:"):
        yield "view --query", run("--store", store, "view", "--query", str(path), "-o", str(tmp_path / "v.html"))


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_no_entry_point_sends_a_request(listener, run, tmp_path, name):
    query = ATTACKS[name](listener.url)
    before = len(listener.hits)
    for entry, result in _entry_points(run, tmp_path, query, "empty"):
        assert result.exit_code == 2, (entry, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and "unsendable" not in result.stderr
    assert len(listener.hits) == before
    assert not (tmp_path / "v.html").exists()


def test_no_request_through_a_sparql_store(listener, run, tmp_path, oxigraph_server):
    """Through a remote store the endpoint would make the request: the gate runs first."""
    before = len(listener.hits)
    for name, attack in sorted(ATTACKS.items()):
        for entry, result in _entry_points(run, tmp_path, attack(listener.url), oxigraph_server.spec):
            assert result.exit_code == 2, (name, entry, result.stderr)
    injection = f"x {{1}} SERVICE <{listener.url}> {{?a ?b ?c}} VALUES ?y=1"
    for query in ("actions-by-regulator", "SELECT ?x WHERE { ?x ?p ?o }"):
        result = run("--store", oxigraph_server.spec, "query", query, "--param", injection)
        assert result.exit_code == 2 and "not a variable name" in result.stderr
    assert len(listener.hits) == before
    # the server itself does call the listener when asked without the gate (the test is real)
    import urllib.parse
    import urllib.request

    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}"
    with urllib.request.urlopen(oxigraph_server.query_url + "?" + urllib.parse.urlencode({"query": query}),
                                timeout=30) as response:
        response.read()
    assert len(listener.hits) == before + 1


@pytest.mark.parametrize("param", [
    "x {1} SERVICE <URL> {?a ?b ?c} VALUES ?y=1",
    "x} SERVICE <URL> {?a ?b ?c} #=1",
    "x\\u0020SERVICE=1",
])
def test_parameter_names_cannot_inject(listener, run, param):
    before = len(listener.hits)
    param = param.replace("URL", listener.url)
    library = run("--store", "empty", "query", "actions-by-regulator", "--param", param)
    inline = run("--store", "empty", "query", "SELECT ?x WHERE { ?x ?p ?o }", "--param", param)
    for result in (library, inline):
        assert result.exit_code == 2 and "not a variable name" in result.stderr, result.stderr
    assert len(listener.hits) == before


def test_parameter_name_typo_suggests_the_query_parameters(run):
    result = run("--store", "empty", "query", "actions-by-regulator", "--param", "regulator!=id:cac")
    assert result.exit_code == 2 and "did you mean: regulator" in result.stderr


def test_parameter_values_cannot_inject(listener, run):
    before = len(listener.hits)
    value = f"1 }} SERVICE <{listener.url}> {{ ?a ?b ?c }} {{"
    result = run("--store", "empty", "query", "SELECT ?x WHERE { ?x ?p ?o }", "--param", f"x={value}",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr  # bound as a string literal: no match, no request
    assert len(listener.hits) == before


def test_allow_remote_sends_one_request(listener, run):
    before = len(listener.hits)
    result = run("--store", "empty", "query", f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}",
                 "--allow-remote", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(listener.hits) == before + 1


@pytest.mark.parametrize("query", [
    'SELECT ?service WHERE { ?s rdfs:label "SERVICE <http://x/> { }" . ?s ?p <http://x/SERVICE> } # SERVICE',
    "SELECT * WHERE { ?s tr:service\\'x ?o FILTER(?o < 3 && ?o > 1) }",
    "SELECT * WHERE { FILTER(?a<1&&?b>2) }",
    "SELECT ?x WHERE { VALUES (?a ?b) { (<http://a/b#c> <http://d/e>) (1 UNDEF) } }",
    "ASK { ?s ?p '''multi\nline ' \" string''' }",
])
def test_ordinary_queries_pass(query):
    check_safety(query, local_graphs=set())


@pytest.mark.parametrize("query, words", [
    ("SELECT * WHERE { ?s ?p 'unterminated }", "cannot read the query"),
    ("SELECT * WHERE { \\u0053ERVICE <http://h/> { } }", "cannot read the query"),
    ("DEFINE input:grab-all \"yes\" SELECT * WHERE { ?s ?p ?o }", "unknown word"),
    ("SELECT (bif:http_get('http://h/') AS ?x) WHERE { }", "not declared"),
    ("SELECT (<bif:http_get>('http://h/') AS ?x) WHERE { }", "bif:"),
    ("PREFIX f: <file:///etc/> SELECT * FROM f:passwd WHERE { ?s ?p ?o }", "FROM <file:///etc/passwd>"),
    ("BASE <file:///etc/> SELECT * FROM NAMED <passwd> WHERE { ?s ?p ?o }", "FROM <file:///etc/passwd>"),
    ("SELECT * FROM <https://w3id.org/techreg/source/nope> WHERE { ?s ?p ?o }", "only the store's own graphs"),
    ("CLEAR ALL", "read-only"),
    ("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "read-only"),
])
def test_refusals_say_what_and_where(query, words):
    with pytest.raises(BadInput) as err:
        check_safety(query, local_graphs={"https://w3id.org/techreg/source/x"})
    assert words in str(err.value)


def test_from_own_graph_and_prefixed_name_pass():
    graphs = {"https://w3id.org/techreg/source/x"}
    check_safety("SELECT * FROM src:x FROM NAMED <https://w3id.org/techreg/source/x> WHERE { ?s ?p ?o }",
                 local_graphs=graphs)


# -- property-based: the gate against the engine ------------------------------------------

_CASES = st.sampled_from(["SERVICE", "service", "Service", "sErViCe", "SERVICE SILENT", "service silent"])
_SEPS = st.sampled_from([" ", "\n", "\t", "#c\n", " # ' \" <x>\n", "\r", ""])
_DECOYS = st.sampled_from([
    "?s tr:a\\' ?o .", "?s id:a\\# ?o .", "?s tr:a%41\\. ?o .", "BIND(\"a\\\"#'\" AS ?d1)",
    "BIND('''x'y''z''' AS ?d2)", "BIND(\"\"\"q\"\"r\"\"\" AS ?d3)", "BIND(<http://x/#'> AS ?d4)",
    "?s ?p \"SERVICE <http://x/> {}\" .", "?service ?p ?o .", "FILTER(?o < 3 && ?o > 1)",
    "BIND(\"\\u0022\" AS ?d5)", "# SERVICE <http://x/> { }\n", "?s <http://x/SERVICE> ?o .",
    "BIND('\\'' AS ?d6)", "",
])


@st.composite
def hidden_service(draw, url: str):
    keyword = draw(_CASES)
    style = draw(st.sampled_from(["iri", "escaped-iri", "prefixed", "base", "glued-prefix"]))
    prologue = ""
    if style == "iri":
        target = f"<{url}>"
    elif style == "escaped-iri":
        chars = [f"\\u{ord(c):04X}" if draw(st.booleans()) else c for c in url]
        target = "<" + "".join(chars) + ">"
    elif style == "prefixed":
        prologue, target = f"PREFIX e: <{url}>\n", "e:x"
    elif style == "base":
        prologue, target = f"BASE <{url}>\n", "<x>"
    else:
        prologue, target = f"PREFIX a: <{url}>\n", None
    if draw(st.booleans()):  # hide the keyword itself behind \u escapes
        keyword = "".join(f"\\u{ord(c):04x}" if c != " " and draw(st.booleans()) else c for c in keyword)
    sep = draw(_SEPS)
    call = f"{keyword}a:x" if target is None else f"{keyword}{sep or ' '}{target}{draw(_SEPS)}"
    pattern = f"{call}{{ ?a ?b ?c }}"
    wrap = draw(st.sampled_from(["{}", "{{ }} UNION {{ {} }}", "OPTIONAL {{ {} }}", "{{ {} }}"]))
    before, after = draw(_DECOYS), draw(_DECOYS)
    present = draw(st.booleans())
    body = f"{before} {wrap.format(pattern) if present else ''} {after}"
    return f"{prologue}SELECT * WHERE {{ {body}\n}}"


def test_gate_refuses_whatever_the_engine_would_send(listener):
    """For generated queries: whenever pyoxigraph (no gate) calls the listener, the gate refused."""
    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(hidden_service(listener.url))
    def check(query):
        for reading in {query, unescape_codepoints(query)}:
            if _engine_calls(listener, reading):
                with pytest.raises(BadInput):
                    check_safety(query, local_graphs=set())

    check()


def test_child_has_no_network_even_past_the_gate(listener, memory_store):
    """The second line: evaluated behind the gate's back, SERVICE still cannot connect."""
    import time

    from graph.query import sandbox
    from graph.query.run import _in_child

    if not sandbox.available():
        pytest.skip("libseccomp is not installed")
    before = len(listener.hits)
    with pytest.raises(BadInput) as err:
        _in_child(memory_store, f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?a ?b ?c }} }}",
                  time.monotonic() + 30, 30, offline=True)
    assert "not permitted" in str(err.value)
    assert len(listener.hits) == before
