"""Search by tokens: every word of the query must match a name of the entity, a name of
an entity it links to (an action's target, issuer or legal basis) or the name of its class.

``Didi fine`` finds the CAC's fine on DiDi Global (its label says both); ``Amazon GDPR``
finds the CNPD's decision (target Amazon Europe Core, legal basis GDPR); ``滴滴 罚款`` finds
the penalties on Didi (滴滴 is in the target's Chinese label, 罚款 is a name of the class
Penalty). Chinese text has no spaces, so a run of CJK characters is matched as a whole
substring, through an index of character bigrams.

The index is built once per store (``store.cached("search")``) from the name index and one
query for the links; a query then touches only the entities its words name.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..model.iris import DATA_GRAPH_FILTER
from .names import SearchHit, curie, name_index, normalise

__all__ = ["SearchIndex", "search_index", "search", "token_search", "tokens", "CLASS_TERMS"]

#: Extra names of classes for search, in English and Chinese: everyday words for the
#: ontology's class labels (search vocabulary, not facts about any entity).
CLASS_TERMS = {
    "Penalty": ("fine", "fines", "fined", "penalty", "sanction", "罚款", "处罚", "罚"),
    "Investigation": ("investigation", "probe", "inquiry", "proceedings", "调查", "立案"),
    "CybersecurityReview": ("review", "cybersecurity review", "网络安全审查", "审查"),
    "AppRemoval": ("removal", "takedown", "下架"),
    "RegistrationSuspension": ("suspension", "暂停"),
    "IPOSuspension": ("ipo", "suspension", "暂缓"),
    "Delisting": ("delisting", "退市"),
    "GatekeeperDesignation": ("gatekeeper", "designation", "守门人"),
    "Determination": ("determination", "认定"),
    "Order": ("order", "命令", "责令"),
    "Approval": ("approval", "批准"),
    "Lawsuit": ("lawsuit", "suit", "诉讼"),
    "CourtRuling": ("ruling", "judgment", "判决"),
    "RegulatoryAction": ("action",),
    "Listing": ("listing", "ipo", "上市"),
    "Stake": ("stake", "持股"),
    "Law": ("law", "法"),
    "Regulator": ("regulator", "监管"),
    "Company": ("company", "公司"),
    "Product": ("product", "app", "产品"),
    "Exchange": ("exchange", "交易所"),
}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_OWN_WEIGHT = {"label": 1.0, "alias": 0.9, "ticker": 0.9, "qid": 0.9, "mic": 0.9, "identifier": 0.9}
_LINKED = 0.5
_CLASS = 0.4

_LINKS_QUERY = """
SELECT DISTINCT ?s ?o WHERE {
  GRAPH ?g { ?s ?p ?o } %s
  FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(tr:)) && ?p != tr:jurisdiction
         && STRSTARTS(STR(?s), STR(id:)) && STRSTARTS(STR(?o), STR(id:)))
}""" % DATA_GRAPH_FILTER

_CLASS_QUERY = """
SELECT ?c ?label WHERE {
  ?c a owl:Class . FILTER(STRSTARTS(STR(?c), STR(tr:)))
  OPTIONAL { ?c rdfs:label ?label }
}"""

_SUPER_QUERY = """
SELECT ?c ?sup WHERE { ?c rdfs:subClassOf+ ?sup . FILTER(STRSTARTS(STR(?c), STR(tr:)) && STRSTARTS(STR(?sup), STR(tr:))) }"""


def tokens(text: str) -> list[str]:
    """Split a query into tokens: folded words, and CJK runs as character bigrams.

    Examples
    --------
    >>> tokens("Didi  fine")
    ['didi', 'fine']
    >>> tokens("滴滴 罚款")
    ['滴滴', '罚款']
    >>> tokens("网络安全")
    ['网络', '络安', '安全']
    """
    out: list[str] = []
    for word in normalise(text).split():
        for part in _split_cjk(word):
            if _CJK.fullmatch(part):
                grams = [part] if len(part) <= 2 else [part[i:i + 2] for i in range(len(part) - 1)]
                out += [g for g in grams if g not in out]
            elif part not in out:
                out.append(part)
    return out


def _split_cjk(word: str) -> list[str]:
    parts, last = [], 0
    for m in _CJK.finditer(word):
        if m.start() > last:
            parts.append(word[last:m.start()])
        parts.append(m.group())
        last = m.end()
    if last < len(word):
        parts.append(word[last:])
    return parts


def _keys(text: str) -> set[str]:
    """The index keys of a name: its words and, for CJK runs, single characters and bigrams."""
    keys = set()
    for word in normalise(text).split():
        for part in _split_cjk(word):
            if _CJK.fullmatch(part):
                keys.update(part)
                keys.update(part[i:i + 2] for i in range(len(part) - 1))
            else:
                keys.add(part)
    return keys


@dataclass
class SearchIndex:
    """Inverted indexes from words to entities: own names, and class names."""

    docs: list[str] = field(default_factory=list)
    own: dict[str, dict[int, tuple[float, str, str]]] = field(default_factory=dict)  # key -> doc -> (w, name, kind)
    words: list[str] = field(default_factory=list)  # sorted keys of ``own``, for prefix lookups
    classes: dict[str, set[str]] = field(default_factory=dict)  # key -> class local names
    members: dict[str, list[int]] = field(default_factory=dict)  # class (superclasses too) -> docs
    linked_from: dict[int, list[int]] = field(default_factory=dict)  # doc -> docs that link to it

    def own_matches(self, token: str) -> dict[int, tuple[float, str, str]]:
        """Docs whose own names have a word equal to, or (latin words) starting with, ``token``."""
        out = dict(self.own.get(token, {}))
        if not _CJK.fullmatch(token):
            i = bisect.bisect_left(self.words, token)
            while i < len(self.words) and self.words[i].startswith(token):
                word = self.words[i]
                if word != token:
                    for doc, (w, name, kind) in self.own[word].items():
                        if doc not in out:
                            out[doc] = (w * 0.85, name, kind)
                i += 1
        return out

    def class_matches(self, token: str) -> set[int]:
        """Docs whose class (or a superclass) is named by ``token``."""
        docs: set[int] = set()
        for cls in self.classes.get(token, ()):
            docs.update(self.members.get(cls, ()))
        return docs


def search_index(store) -> SearchIndex:
    """Build (or reuse) the token index of a store; rebuilt when the store changes.

    An on-disk store keeps the index (with the name index) in a file of its directory,
    ``techreg-search-index.pickle``, valid while the store's data files are unchanged, so
    a new process does not rebuild it; any write makes it stale and it is rebuilt.
    """
    return store.cached("search", lambda: _load_or_build(store))


_CACHE_FILE = "techreg-search-index.pickle"
_CACHE_VERSION = 1


def _fingerprint(directory) -> list | None:
    """The store's data files (name, size, mtime): they change when data is written."""
    import os

    try:
        entries = sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(directory)
                         if e.name.endswith(".sst"))
    except OSError:
        return None
    return entries or None


def _load_or_build(store) -> SearchIndex:
    import os
    import pickle

    location = store.location() if getattr(store, "kind", None) == "disk" else None
    # only a store object that has not written itself: its writes may not be on disk yet
    if not location or store.generation != 0 or not os.path.isdir(location):
        return _build(store)
    path = os.path.join(location, _CACHE_FILE)
    stamp = _fingerprint(location)
    try:
        with open(path, "rb") as fh:
            version, saved_stamp, names, index = pickle.load(fh)
        if version == _CACHE_VERSION and stamp is not None and saved_stamp == stamp:
            store.cached("names", lambda: names)
            return index
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError):
        pass
    index = _build(store)
    if stamp is not None and _fingerprint(location) == stamp:
        from ..fileio import atomic_write

        try:
            atomic_write(path, pickle.dumps((_CACHE_VERSION, stamp, name_index(store), index),
                                            protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only directory: answer without keeping the index
    return index


def _build(store) -> SearchIndex:
    names = name_index(store)
    ix = SearchIndex()
    pos: dict[str, int] = {}

    def doc(iri: str) -> int:
        n = pos.get(iri)
        if n is None:
            n = pos[iri] = len(ix.docs)
            ix.docs.append(iri)
        return n

    for _folded, iri, kind, name in names.entries:
        d = doc(iri)
        w = _OWN_WEIGHT.get(kind, 0.9)
        for key in _keys(name):
            slot = ix.own.setdefault(key, {})
            if slot.get(d, (0.0,))[0] < w:
                slot[d] = (w, name, kind)
    ix.words = sorted(ix.own)
    supers: dict[str, set[str]] = {}
    for row in store.select(_SUPER_QUERY):
        supers.setdefault(row["c"].value.split("#", 1)[1], set()).add(row["sup"].value.split("#", 1)[1])
    for row in store.select(_CLASS_QUERY):
        local = row["c"].value.split("#", 1)[1]
        texts = [local, re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local)]
        if row["label"] is not None:
            texts.append(row["label"].value)
        texts += CLASS_TERMS.get(local, ())
        for text in texts:
            for key in _keys(text) | {normalise(text)}:
                ix.classes.setdefault(key, set()).add(local)
    for key, extra in CLASS_TERMS.items():
        for text in extra:
            for k in _keys(text) | {normalise(text)}:
                ix.classes.setdefault(k, set()).add(key)
    for iri, classes in names.types.items():
        d = doc(iri)
        for cls in set(classes).union(*(supers.get(c, set()) for c in classes)):
            ix.members.setdefault(cls, []).append(d)
    for row in store.select(_LINKS_QUERY):
        s, o = doc(row["s"].value), doc(row["o"].value)
        ix.linked_from.setdefault(o, []).append(s)
    return ix


def token_search(store, text: str, *, limit: int = 20, keep=None) -> list[SearchHit]:
    """Rank the entities that match every token of ``text``, best first.

    A token matches an entity's own label or alias (best), the name of an entity it links
    to (its target, issuer, legal basis, parent, exchange...), or its class.

    Parameters
    ----------
    store : graph.stores.Store
    text : str
        Words in any case, with or without accents; Chinese with or without spaces.
    limit : int
        The most hits to return.
    keep : callable, optional
        ``keep(iri) -> bool``: only entities it accepts (filters).

    Returns
    -------
    list of SearchHit
        ``kind`` says how the best token matched: ``label``, ``alias``, ``linked`` or ``class``.
    """
    toks = tokens(text)
    if not toks:
        return []
    ix = search_index(store)
    names = name_index(store)
    scores: dict[int, float] | None = None
    best: dict[int, tuple[float, str, str]] = {}
    for tok in toks:
        own = ix.own_matches(tok)
        per: dict[int, float] = {d: w for d, (w, _, _) in own.items()}
        for d, hit in own.items():
            if hit[0] > best.get(d, (0.0,))[0]:
                best[d] = hit
        for d in own:
            for s in ix.linked_from.get(d, ()):
                if per.get(s, 0.0) < _LINKED:
                    per[s] = _LINKED
                    best.setdefault(s, (0.0, names.label(ix.docs[d]), "linked"))
        for d in ix.class_matches(tok):
            if per.get(d, 0.0) < _CLASS:
                per[d] = _CLASS
                best.setdefault(d, (0.0, tok, "class"))
        if scores is None:
            scores = per
        else:
            scores = {d: s + per[d] for d, s in scores.items() if d in per}
        if not scores:
            return []
    phrase = normalise(text)
    exact = {}
    for iri, kind in names.by_name.get(phrase, ()):
        exact[iri] = max(exact.get(iri, 0.0), 0.3 if kind == "label" else 0.25)
    hits = []
    for d, total in scores.items():
        iri = ix.docs[d]
        if keep is not None and not keep(iri):
            continue
        _, matched, kind = best.get(d, (0.0, "", "class"))
        # the whole query is one of its names (+0.3), or begins one (+0.1)
        bonus = exact.get(iri) or (0.1 if matched and normalise(matched).startswith(phrase + " ") else 0.0)
        score = (total / len(toks) + bonus) / 1.3
        hits.append(SearchHit(iri, curie(iri), names.label(iri), names.classes(iri), matched, kind, round(score, 3)))
    hits.sort(key=lambda h: (-h.score, len(h.label), h.label.casefold(), h.iri))
    return hits[:limit]


def search(store, text: str, *, limit: int = 20, keep=None) -> list[SearchHit]:
    """Token search, falling back to near spellings of whole names when no entity has all tokens.

    Parameters
    ----------
    store : graph.stores.Store
    text : str
    limit : int
    keep : callable, optional
        ``keep(iri) -> bool``: only entities it accepts.

    Returns
    -------
    list of SearchHit
    """
    from .names import search as phrase_search

    hits = token_search(store, text, limit=limit, keep=keep)
    if hits:
        return hits
    near = phrase_search(store, text, limit=limit if keep is None else 10_000)
    if keep is not None:
        near = [h for h in near if keep(h.iri)][:limit]
    return near
