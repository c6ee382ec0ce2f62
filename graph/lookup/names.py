"""Finding entities by name: labels, aliases, tickers, QIDs, MICs, CURIEs and IRIs.

Matching ignores case, accents and punctuation (``Didi global`` finds "DiDi Global";
``运满满`` finds Yunmanman). :func:`resolve` wants one entity and fails with "did you
mean" suggestions or the list of candidates; :func:`search` ranks every match.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from ..model.classes import is_event
from ..errors import AmbiguousName, UnknownName
from ..model.iris import PREFIXES

__all__ = ["NameIndex", "SearchHit", "Choice", "choose", "name_index", "name_lookup", "resolve", "search", "normalise", "curie", "expand_curie"]

_KIND_RANK = {"label": 0, "alias": 1, "ticker": 1, "qid": 1, "mic": 1, "identifier": 1}

_INDEX_QUERY = """
SELECT ?e ?kind ?name WHERE {
  { ?e rdfs:label ?name BIND("label" AS ?kind) }
  UNION { ?e skos:altLabel ?name BIND("alias" AS ?kind) }
  UNION { ?e tr:wikidata ?name BIND("qid" AS ?kind) }
  UNION { ?e tr:mic ?name BIND("mic" AS ?kind) }
  UNION { ?e tr:identifier ?name BIND("identifier" AS ?kind) }
  UNION { ?l tr:listedCompany ?e ; tr:ticker ?name BIND("ticker" AS ?kind) }
  FILTER(STRSTARTS(STR(?e), STR(id:)))
}"""

_TYPES_QUERY = """
SELECT ?e ?t WHERE {
  GRAPH ?g { ?e a ?t }
  FILTER(STRSTARTS(STR(?e), STR(id:)))
  FILTER(STRSTARTS(STR(?t), STR(tr:)))
  FILTER(?g != <https://w3id.org/techreg/graph/entailed>)
}"""


def normalise(text: str) -> str:
    """Fold a name for matching: no accents, no case, punctuation as spaces.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = stripped.casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def curie(iri: str) -> str:
    """Shorten an IRI with the project prefixes (``id:cac``); other IRIs come back whole."""
    for prefix in ("id", "src", "tr"):
        ns = PREFIXES[prefix]
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]+", iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def expand_curie(text: str) -> str | None:
    """Expand ``prefix:local`` with the project prefixes, or return ``None``."""
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return None


@dataclass
class NameIndex:
    """Every name of every entity, folded for matching, with labels and classes."""

    entries: list[tuple[str, str, str, str]] = field(default_factory=list)  # (folded, iri, kind, name)
    by_name: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # folded -> [(iri, kind)]
    labels: dict[str, str] = field(default_factory=dict)
    labels_zh: dict[str, str] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)

    def label(self, iri: str) -> str:
        """Return the English label of an entity, or its CURIE."""
        return self.labels.get(iri) or self.labels_zh.get(iri) or curie(iri)

    def shown(self, iri: str, lang=("en",)) -> str:
        """Return the label of an entity in the chosen languages (``--lang``), or its CURIE.

        With the default ``("en",)`` this is :meth:`label`; with ``("zh",)`` the Chinese
        label where one exists; with two languages both where both exist.
        """
        from .lang import choose_label

        return choose_label(self.labels.get(iri), self.labels_zh.get(iri), lang) or curie(iri)

    def label_fields(self, iri: str, lang=("en",)) -> dict:
        """The extra JSON keys of an entity under ``--lang``: none for the default English,
        else ``label_en`` and ``label_zh`` (``None`` where the entity has no such label)."""
        if tuple(lang) == ("en",):
            return {}
        return {"label_en": self.labels.get(iri), "label_zh": self.labels_zh.get(iri)}

    def classes(self, iri: str) -> list[str]:
        """Return the local names of the asserted ``tr:`` classes of an entity."""
        return self.types.get(iri, [])

    def known(self, iri: str) -> bool:
        return iri in self.labels or iri in self.types or iri in self.labels_zh

    def label_en(self, iri: str) -> str | None:
        return self.labels.get(iri)

    def label_zh(self, iri: str) -> str | None:
        return self.labels_zh.get(iri)

    def exact(self, folded: str) -> list[tuple[str, str]]:
        """``(iri, kind)`` of every name equal to ``folded``, in index order."""
        return self.by_name.get(folded, [])

    def starting(self, prefix: str):
        """``(folded, iri, kind, name)`` of every name that begins with ``prefix``, in order."""
        i = bisect.bisect_left(self.entries, (prefix,))
        while i < len(self.entries) and self.entries[i][0].startswith(prefix):
            yield self.entries[i]
            i += 1

    def all_entries(self):
        """Every ``(folded, iri, kind, name)``, in order."""
        return self.entries


def name_lookup(store):
    """The name index to look single names up in, chosen by store kind.

    An on-disk store keeps its index in a SQLite file of its directory
    (:mod:`graph.lookup.namedb`), opened in milliseconds and queried without reading it
    whole; it is built (from :func:`name_index`) when missing or stale. Memory and remote
    stores, and a disk store this process has written, use the in-memory index. Both
    answer ``exact``, ``starting``, ``label``, ``classes``, ``known`` and ``types.get``
    the same way.
    """
    return store.cached("names:lookup", lambda: _lookup(store))


def _lookup(store):
    from .namedb import open_names, write_names
    from ..stores.indexfiles import keeps_indexes

    if not keeps_indexes(store):
        return name_index(store)
    db = open_names(store, curie)
    if db is not None:
        return db
    index = name_index(store)
    if store.generation == 0:
        write_names(store, index)
    return index


def name_index(store) -> NameIndex:
    """Build (or reuse) the name index of a store; rebuilt when the store changes."""
    return store.cached("names", lambda: _build_index(store))


def _build_index(store) -> NameIndex:
    index = NameIndex()
    for row in store.select(_INDEX_QUERY):
        iri, kind, name = row["e"].value, row["kind"].value, row["name"]
        index.entries.append((normalise(name.value), iri, kind, name.value))
        if kind == "label":
            lang = getattr(name, "language", None)
            target = index.labels_zh if (lang or "").startswith("zh") else index.labels if lang in (None, "", "en") or lang.startswith("en") else None
            if target is not None and (iri not in target or name.value < target[iri]):
                target[iri] = name.value
    index.entries.sort()  # the same answers whatever order the store returns rows in
    for folded, iri, kind, _ in index.entries:
        index.by_name.setdefault(folded, []).append((iri, kind))
    for row in store.select(_TYPES_QUERY):
        local = row["t"].value.split("#", 1)[1]
        index.types.setdefault(row["e"].value, [])
        if local not in index.types[row["e"].value]:
            index.types[row["e"].value].append(local)
    for v in index.types.values():
        v.sort()
    return index


@dataclass
class SearchHit:
    """One match of a search: the entity, what matched and how well."""

    iri: str
    curie: str
    label: str
    classes: list[str]
    matched: str
    kind: str
    score: float


def search(store, text: str, limit: int = 20) -> list[SearchHit]:
    """Rank the entities whose names match a text, best first.

    Parameters
    ----------
    store : graph.stores.Store
    text : str
        Part of a label, alias, ticker or identifier, in any case, with or without accents.
    limit : int
        The most hits to return.

    Returns
    -------
    list of SearchHit
    """
    index = name_lookup(store)
    query = normalise(text)
    if not query:
        return []
    best: dict[str, tuple[float, str, str]] = {}
    for folded, iri, kind, name in index.all_entries():
        if folded == query:
            score = 1.0 if kind == "label" else 0.95
        elif folded.startswith(query):
            score = 0.8
        elif f" {query}" in f" {folded}":
            score = 0.7
        elif query in folded:
            score = 0.6
        else:
            ratio = difflib.SequenceMatcher(None, query, folded).ratio()
            if ratio < 0.75:
                continue
            score = 0.5 * ratio
        if score > best.get(iri, (0.0,))[0]:
            best[iri] = (score, name, kind)
    hits = [
        SearchHit(iri, curie(iri), index.label(iri), index.classes(iri), name, kind, round(score, 3))
        for iri, (score, name, kind) in best.items()
    ]
    hits.sort(key=lambda h: (-h.score, h.label.casefold(), h.iri))
    return hits[:limit]


@dataclass
class Choice:
    """The entity a name was taken to mean, and the others it could mean."""

    iri: str
    name: str
    alternatives: list[dict] = field(default_factory=list)  # {"curie", "label", "classes"}


_ORG_CLASSES = {"Organization", "Company", "Regulator", "GovernmentBody", "Legislature", "Court", "Exchange"}


def _class_rank(classes) -> int:
    """Organisations first, then laws and places, people, products, and events last."""
    classes = set(classes)
    if is_event(classes):
        return 4
    if classes & _ORG_CLASSES:
        return 0
    if classes & {"Law", "Statute", "Regulation", "Measures", "Provisions", "Directive", "Jurisdiction"}:
        return 1
    if "Product" in classes:
        return 3
    return 2


def _ancestors(store, iris) -> dict[str, set[str]]:
    """The parents (through ownership or control, any depth) of each entity."""
    out: dict[str, set[str]] = {i: set() for i in iris}
    # one query per entity, the start written in: engines such as Virtuoso refuse a
    # transitive path whose start comes from VALUES ("transitive start not given")
    for iri in iris:
        for row in store.select(f"SELECT ?p WHERE {{ <{iri}> (tr:parentOrganization|tr:controlledBy)+ ?p }}"):
            out[iri].add(row["p"].value)
    return out


def choose(store, name: str) -> Choice:
    """The entity a name denotes, with the other entities it could denote.

    Exact names and names that begin with the text (word for word) are candidates.
    The rule, in order: an exact name before a longer one; an organisation before a law, person or product, and events
    last; a group's parent before its subsidiaries; a label before an alias. Ids, CURIEs and IRIs have no alternatives.

    Parameters
    ----------
    store : graph.stores.Store
    name : str
        A label, alias, ticker, QID, MIC, CURIE (``id:cac``) or full IRI.

    Returns
    -------
    Choice

    Raises
    ------
    UnknownName
        No entity has that name; carries the nearest names.
    AmbiguousName
        Several entities tie under the rule; carries the candidates with their classes.
    """
    index = name_lookup(store)
    text = name.strip()
    iri = text if re.match(r"^https?://", text) else expand_curie(text)
    if iri:
        if index.known(iri):
            return Choice(iri, name)
        raise UnknownName(name, _suggest(index, text.rsplit("/", 1)[-1].split(":")[-1]))
    query = normalise(text)
    match_rank: dict[str, int] = {}
    for entry_iri, kind in index.exact(query):
        rank = _KIND_RANK[kind]
        match_rank[entry_iri] = min(rank, match_rank.get(entry_iri, rank))
    exact = set(match_rank)
    if query:
        for folded, entry_iri, _, _ in index.starting(query + " "):
            if entry_iri not in match_rank:
                match_rank[entry_iri] = 2
    if exact:
        # longer names that are events ("TikTok on ...") are not what a bare name means
        match_rank = {i: r for i, r in match_rank.items() if i in exact or not is_event(index.classes(i))}
    else:
        entities = {i: r for i, r in match_rank.items() if not is_event(index.classes(i))}
        match_rank = entities or match_rank
        if len(match_rank) > 10:
            raise UnknownName(name, _suggest(index, text))
    if not match_rank:
        raise UnknownName(name, _suggest(index, text))
    candidates = sorted(match_rank)
    parents = _ancestors(store, candidates) if len(candidates) > 1 else {}
    in_group = set(candidates)

    def key(i: str):
        below = any(p in in_group for p in parents.get(i, ()))  # a subsidiary of another candidate
        return (i not in exact, _class_rank(index.classes(i)), below, match_rank[i])

    candidates.sort(key=lambda i: (key(i), index.label(i).casefold(), i))
    best = key(candidates[0])
    tied = [i for i in candidates if key(i) == best]
    if len(tied) > 1:
        raise AmbiguousName(name, [(curie(i), index.label(i), ", ".join(index.classes(i)) or "entity") for i in tied])
    alternatives = [{"curie": curie(i), "label": index.label(i), "classes": ", ".join(index.classes(i)) or "entity"}
                    for i in candidates[1:11]]
    return Choice(candidates[0], name, alternatives)


def resolve(store, name: str) -> str:
    """Return the IRI of the one entity a name denotes (see :func:`choose` for the rule).

    Parameters
    ----------
    store : graph.stores.Store
    name : str
        A label, alias, ticker, QID, MIC, CURIE (``id:cac``) or full IRI.

    Returns
    -------
    str
        The entity's IRI.

    Raises
    ------
    UnknownName
        No entity has that name; carries the nearest names.
    AmbiguousName
        Several entities have it equally; carries the candidates with their classes.
    """
    return choose(store, name).iri


def _suggest(index, text: str, n: int = 5) -> list[str]:
    query = normalise(text)
    names: dict[str, str] = {}
    for folded, _, _, name in index.all_entries():
        names.setdefault(folded, name)
    close = difflib.get_close_matches(query, list(names), n=n, cutoff=0.6)
    contains = [f for f in names if query and query in f and f not in close]
    return [names[f] for f in (close + sorted(contains, key=len))[:n]]
