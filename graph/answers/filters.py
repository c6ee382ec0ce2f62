"""Narrowing answers by jurisdiction and by class, the same way in every command.

``--jurisdiction`` takes a jurisdiction and the jurisdictions inside it (``tr:withinJurisdiction``,
followed to any depth, when the data records containment; otherwise the one named). An
entity is in a jurisdiction through its own ``tr:jurisdiction``; an action through its
issuer's; a listing through its exchange's. ``--type`` takes a class with its subclasses.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import BadInput
from ..model.iris import ONTOLOGY_IRI

__all__ = ["Filter", "make_filter"]

_JURISDICTION_OF = """
SELECT DISTINCT ?e ?j WHERE {
  { ?e tr:jurisdiction ?j }
  UNION { ?e tr:issuedBy/tr:jurisdiction ?j }
  UNION { ?e tr:exchange/tr:jurisdiction ?j }
  FILTER(STRSTARTS(STR(?e), STR(id:)))
}"""


@dataclass
class Filter:
    """Which entities an answer keeps: ``None`` fields do not narrow."""

    jurisdictions: frozenset[str] | None = None  # IRIs, contained ones included
    classes: frozenset[str] | None = None  # tr: local names, subclasses included
    located: dict[str, set[str]] | None = None  # entity -> jurisdictions
    types: dict[str, list[str]] | None = None  # entity -> asserted classes

    @property
    def active(self) -> bool:
        return self.jurisdictions is not None or self.classes is not None

    def accepts(self, iri: str) -> bool:
        """Whether an entity passes both filters."""
        if self.classes is not None and not self.classes & set(self.types.get(iri, ())):
            return False
        if self.jurisdictions is not None and not self.jurisdictions & self.located.get(iri, set()):
            return False
        return True

    def accepts_jurisdiction(self, iri: str) -> bool:
        """Whether an entity passes the jurisdiction filter alone."""
        return self.jurisdictions is None or bool(self.jurisdictions & self.located.get(iri, set()))


def _located(store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in store.select(_JURISDICTION_OF):
        out.setdefault(row["e"].value, set()).add(row["j"].value)
    return out


def _subclasses(store) -> dict[str, set[str]]:
    """Each ``tr:`` term with its subclasses (itself included), read from the ontology and
    the direct subclass links and closed in Python: ``?sub rdfs:subClassOf* ?c`` with both
    ends open matches every node of the store with itself (minutes at a million quads)."""
    terms = {row["x"].value for row in store.select(
        f"""SELECT DISTINCT ?x WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }}
              FILTER(isIRI(?x) && STRSTARTS(STR(?x), STR(tr:))) }}""")}
    below: dict[str, set[str]] = {}
    for row in store.select("""SELECT ?c ?sub WHERE { ?sub rdfs:subClassOf ?c .
                               FILTER(STRSTARTS(STR(?c), STR(tr:)) && STRSTARTS(STR(?sub), STR(tr:))) }"""):
        below.setdefault(row["c"].value, set()).add(row["sub"].value)
        terms |= {row["c"].value, row["sub"].value}
    out: dict[str, set[str]] = {}
    for c in terms:
        seen, todo = {c}, [c]
        while todo:
            for sub in below.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        out[c.split("#", 1)[1]] = {x.split("#", 1)[1] for x in seen}
    return out


def make_filter(store, jurisdiction: str | None = None, type_: str | None = None) -> Filter:
    """Build the filter of ``--jurisdiction`` and ``--type``.

    Parameters
    ----------
    store : graph.stores.Store
    jurisdiction : str, optional
        A jurisdiction by name or id (``EU``, ``China``, ``id:ireland``).
    type_ : str, optional
        A ``tr:`` class by local name, any case (``Penalty``, ``tr:Law``).

    Returns
    -------
    Filter

    Raises
    ------
    BadInput
        The name is not a jurisdiction, or the class is unknown (with "did you mean").
    """
    from ..lookup.names import name_lookup, resolve

    f = Filter()
    if jurisdiction is None and type_ is None:
        return f
    # the class first: a typo is reported before any index is built
    if type_ is not None:
        subclasses = store.cached("filters:subclasses", lambda: _subclasses(store))
        wanted = type_.strip().split(":", 1)[-1]
        match = {c.casefold(): c for c in subclasses}.get(wanted.casefold())
        if match is None:
            import difflib

            near = difflib.get_close_matches(wanted, sorted(subclasses), n=3)
            hint = f"; did you mean {', '.join(near)}?" if near else f"; known classes: {', '.join(sorted(subclasses))}"
            raise BadInput(f"--type {type_!r} is not a class{hint}")
        f.classes = frozenset(subclasses[match])
    index = name_lookup(store)
    f.types = index.types
    if jurisdiction is not None:
        from ..lookup.names import normalise

        places = [i for i, _ in index.exact(normalise(jurisdiction)) if "Jurisdiction" in index.classes(i)]
        j = places[0] if len(set(places)) == 1 else resolve(store, jurisdiction)
        if "Jurisdiction" not in index.classes(j):
            raise BadInput(f"--jurisdiction {jurisdiction!r} is {index.label(j)} ({', '.join(index.classes(j)) or 'no class'}), "
                           "not a jurisdiction")
        inside = {row["x"].value for row in store.select(f"SELECT ?x WHERE {{ ?x tr:withinJurisdiction* <{j}> }}")}
        f.jurisdictions = frozenset(inside | {j})
        f.located = store.cached("filters:located", lambda: _located(store))
    return f
