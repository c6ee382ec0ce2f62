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
from typing import Any

from ..model.iris import DATA_GRAPH_FILTER
from .names import SearchHit, curie, name_index, normalise

__all__ = ["SearchIndex", "search_index", "search", "token_search", "tokens", "hit_records", "CLASS_TERMS"]

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

# direct links only, closed in Python: engines such as Virtuoso refuse a transitive path
# with neither end given
_SUPER_QUERY = """
SELECT ?c ?sup WHERE { ?c rdfs:subClassOf ?sup . FILTER(STRSTARTS(STR(?c), STR(tr:)) && STRSTARTS(STR(?sup), STR(tr:))) }"""


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
    """Inverted indexes from words to entities, in flat arrays (quick to keep on disk).

    Postings are ``array('i')`` of document numbers; links both ways are kept as CSR
    arrays (``*_off`` offsets into ``*_idx``).
    """

    docs: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # display label per doc
    names: list[str] = field(default_factory=list)  # "kind\tname" lines per doc
    class_of: Any = None  # array('i'): doc -> index into class_sets
    class_sets: list[tuple[str, ...]] = field(default_factory=list)
    label_post: dict[str, Any] = field(default_factory=dict)  # key -> array of docs (labels)
    alias_post: dict[str, Any] = field(default_factory=dict)  # key -> array of docs (other names)
    words: list[str] = field(default_factory=list)  # sorted keys, for prefix lookups
    classes: dict[str, set[str]] = field(default_factory=dict)  # key -> class local names
    members: dict[str, Any] = field(default_factory=dict)  # class (superclasses too) -> array of docs
    in_off: Any = None
    in_idx: Any = None  # docs that link to a doc
    out_off: Any = None
    out_idx: Any = None  # docs a doc links to

    def own_size_bounds(self, token: str, cjk: bool | None = None) -> tuple[int, int]:
        n = self.own_size(token, cjk)
        return n, n

    def own_size(self, token: str, cjk: bool | None = None) -> int:
        return len(self.own_matches(token, cjk))

    def own_matches(self, token: str, cjk: bool | None = None) -> dict[int, float]:
        """Docs whose own names have a word equal to, or (latin words) starting with, ``token``."""
        words = [token]
        if not (_CJK.fullmatch(token) if cjk is None else cjk):
            i = bisect.bisect_left(self.words, token)
            words = []
            while i < len(self.words) and self.words[i].startswith(token):
                words.append(self.words[i])
                i += 1
        out: dict[int, float] = {}
        # lowest weight first: a better match of the same doc overwrites a worse one
        for exact, post, w in ((False, self.alias_post, 0.9 * 0.85), (False, self.label_post, 0.85),
                               (True, self.alias_post, 0.9), (True, self.label_post, 1.0)):
            for word in words:
                if (word == token) == exact and word in post:
                    out.update(dict.fromkeys(post[word], w))
        return out

    def class_matches(self, token: str) -> set[int]:
        """Docs whose class (or a superclass) is named by ``token``."""
        docs: set[int] = set()
        for cls in self.classes.get(token, ()):
            docs.update(self.members.get(cls, ()))
        return docs

    def linked_from(self, d: int):
        return self.in_idx[self.in_off[d]:self.in_off[d + 1]]

    def links_of(self, d: int):
        return self.out_idx[self.out_off[d]:self.out_off[d + 1]]

    # the bulk questions a search asks (also answered by graph.lookup.searchdb.SearchDB)

    def linked_from_all(self, docs) -> list[tuple[int, Any]]:
        return [(d, self.linked_from(d)) for d in docs]

    def links_of_all(self, docs) -> dict[int, Any]:
        return {d: self.links_of(d) for d in docs}

    def labels_of(self, docs) -> dict[int, str]:
        return {d: self.labels[d] for d in docs}

    def names_of(self, docs) -> dict[int, str]:
        return {d: self.names[d] for d in docs}

    def iris_of(self, docs) -> dict[int, str]:
        return {d: self.docs[d] for d in docs}

    def classes_of(self, docs) -> dict[int, list[str]]:
        return {d: list(self.class_sets[self.class_of[d]]) for d in docs}


def _matched(names: str, label: str, token: str) -> tuple[str, str]:
    """The name of a doc (its ``kind\tname`` lines) that holds a token, and its kind."""
    lines = sorted(names.split("\n"), key=lambda line: not line.startswith("label\t"))
    for line in lines:
        kind, _, name = line.partition("\t")
        if token in normalise(name):
            return name, kind
    return label, "label"


def _named(names: str, phrase: str) -> str | None:
    """``label`` or ``alias`` when the whole phrase is one of a doc's names, ``prefix``
    when one begins with it."""
    found = None
    for line in names.split("\n"):
        kind, _, name = line.partition("\t")
        folded = normalise(name)
        if folded == phrase:
            if kind == "label":
                return "label"
            found = "alias"
        elif found is None and folded.startswith(phrase + " "):
            found = "prefix"
    return found


def search_index(store):
    """The token index of a store, chosen by store kind; rebuilt when the store changes.

    An on-disk store keeps it in a SQLite file of its directory
    (:mod:`graph.lookup.searchdb`), valid while the store's data files are unchanged and
    removed by every write, so a new process neither rebuilds nor reads it whole. Memory
    and remote stores, and a disk store this process has written, build it in memory.
    """
    return store.cached("search", lambda: _load_or_build(store))


def _load_or_build(store):
    from ..stores.indexfiles import keeps_indexes
    from .searchdb import open_search, write_search

    if not keeps_indexes(store):
        return _build(store)
    db = open_search(store)
    if db is not None:
        return db
    index = _build(store)
    if store.generation == 0:
        write_search(store, index)
        from .names import name_lookup

        name_lookup(store)  # the name index built on the way is kept too (its file written if missing)
    return index


def _csr(n: int, pairs: list[tuple[int, int]]):
    from array import array

    counts = [0] * (n + 1)
    for a, _ in pairs:
        counts[a + 1] += 1
    for i in range(n):
        counts[i + 1] += counts[i]
    idx = array("i", [0]) * len(pairs)
    fill = counts[:]
    for a, b in pairs:
        idx[fill[a]] = b
        fill[a] += 1
    return array("i", counts), idx


def _build(store) -> SearchIndex:
    from array import array

    names = name_index(store)
    ix = SearchIndex()
    pos: dict[str, int] = {}
    lines: list[list[str]] = []

    def doc(iri: str) -> int:
        n = pos.get(iri)
        if n is None:
            n = pos[iri] = len(ix.docs)
            ix.docs.append(iri)
            lines.append([])
        return n

    label_post: dict[str, set[int]] = {}
    alias_post: dict[str, set[int]] = {}
    for _folded, iri, kind, name in names.entries:
        d = doc(iri)
        lines[d].append(f"{'label' if kind == 'label' else kind}\t{name}")
        post = label_post if kind == "label" else alias_post
        for key in _keys(name):
            post.setdefault(key, set()).add(d)
    direct: dict[str, set[str]] = {}
    for row in store.select(_SUPER_QUERY):
        direct.setdefault(row["c"].value.split("#", 1)[1], set()).add(row["sup"].value.split("#", 1)[1])
    supers: dict[str, set[str]] = {}
    for c in direct:
        seen, todo = set(), list(direct[c])
        while todo:
            s_ = todo.pop()
            if s_ not in seen and s_ != c:
                seen.add(s_)
                todo.extend(direct.get(s_, ()))
        supers[c] = seen
    for row in store.select(_CLASS_QUERY):
        local = row["c"].value.split("#", 1)[1]
        texts = [local, re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local)]
        if row["label"] is not None:
            texts.append(row["label"].value)
        for text in texts:
            for key in _keys(text) | {normalise(text)}:
                ix.classes.setdefault(key, set()).add(local)
    for key, extra in CLASS_TERMS.items():
        for text in extra:
            for k in _keys(text) | {normalise(text)}:
                ix.classes.setdefault(k, set()).add(key)
    members: dict[str, list[int]] = {}
    for iri, classes in names.types.items():
        d = doc(iri)
        for cls in set(classes).union(*(supers.get(c, set()) for c in classes)):
            members.setdefault(cls, []).append(d)
    pairs_in, pairs_out = [], []
    for row in store.select(_LINKS_QUERY):
        s, o = doc(row["s"].value), doc(row["o"].value)
        pairs_in.append((o, s))
        pairs_out.append((s, o))
    n = len(ix.docs)
    ix.in_off, ix.in_idx = _csr(n, pairs_in)
    ix.out_off, ix.out_idx = _csr(n, pairs_out)
    ix.label_post = {k: array("i", sorted(v)) for k, v in label_post.items()}
    ix.alias_post = {k: array("i", sorted(v)) for k, v in alias_post.items()}
    ix.words = sorted(set(label_post) | set(alias_post))
    ix.members = {k: array("i", v) for k, v in members.items()}
    ix.labels = [names.label(i) for i in ix.docs]
    ix.names = ["\n".join(ls) for ls in lines]
    sets: dict[tuple[str, ...], int] = {}
    ix.class_of = array("i", (sets.setdefault(tuple(names.classes(i)), len(sets)) for i in ix.docs))
    ix.class_sets = [k for k, _ in sorted(sets.items(), key=lambda kv: kv[1])]
    return ix


def token_search(store, text: str, *, limit: int = 20, keep=None) -> list[SearchHit]:
    """Rank the entities that match every token of ``text``, best first.

    A token matches an entity's own label or alias (best), the name of an entity it links
    to (its target, issuer, legal basis, parent, exchange...), or its class. The rarest
    token picks the candidates; the others are checked on those candidates only.

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
        ``kind`` says how the first token matched: ``label``, ``alias`` (or ticker,
        identifier...), ``linked`` or ``class``.
    """
    toks = tokens(text)
    if not toks:
        return []
    ix = search_index(store)
    cjk = {t: bool(_CJK.fullmatch(t)) for t in toks}
    cls = {t: ix.class_matches(t) for t in toks}
    first = _rarest(ix, toks, cjk, cls)
    order = [first] + [t for t in toks if t != first]  # the scores do not depend on the others' order
    own = {first: ix.own_matches(first, cjk[first])}
    scores: dict[int, float] = dict(own[first])
    how: dict[int, tuple[str, int | None]] = {d: ("own", None) for d in scores}
    for d, linkers in ix.linked_from_all(own[first]):
        for s in linkers:
            if scores.get(s, 0.0) < _LINKED:
                scores[s] = _LINKED
                how[s] = ("linked", d)
    for d in cls[first]:
        if scores.get(d, 0.0) < _CLASS:
            scores[d] = _CLASS
            how[d] = ("class", None)
    for tok in order[1:]:
        theirs = cls[tok]
        mine = ix.own_matches(tok, cjk[tok]) if ix.own_size_bounds(tok, cjk[tok])[1] else {}
        # the candidates that link to a doc matching the token: from the matching docs'
        # incoming links when they are fewer than the candidates, else from the candidates'
        linked: set[int] = set()
        if mine and len(mine) < len(scores):
            for _, sources in ix.linked_from_all(mine):
                linked.update(sources)
        elif mine:
            for d, targets in ix.links_of_all(d for d in scores if d not in mine).items():
                if any(o in mine for o in targets):
                    linked.add(d)
        scores = {d: total + (mine[d] if d in mine else _LINKED if d in linked else _CLASS)
                  for d, total in scores.items() if d in mine or d in linked or d in theirs}
        if not scores:
            return []
    phrase = normalise(text)
    if keep is not None:
        iris = ix.iris_of(scores)
        scores = {d: v for d, v in scores.items() if keep(iris[d])}
    labels = ix.labels_of(scores)
    base = sorted(((total / len(toks), d) for d, total in scores.items()), key=lambda x: (-x[0], len(labels[x[1]])))
    # a whole-name bonus is at most 0.3: only docs that could reach the top ``limit`` need
    # it, and among equal scores the shortest names come first (a name equal to the query
    # is among them), so the best few are checked
    floor = base[min(limit, len(base)) - 1][0] - 0.3 if base else 0.0
    checked = 3 * limit + 50
    candidates = [d for n, (score, d) in enumerate(base) if n < checked and score >= max(floor, 0.85)]
    names = ix.names_of(candidates)
    ranked = []
    for score, d in base:
        exact = _named(names[d], phrase) if d in names else None
        bonus = {"label": 0.3, "alias": 0.25, "prefix": 0.1}.get(exact, 0.0)
        ranked.append(((score + bonus) / 1.3, d))
    # the last key (the IRI) only orders equal labels: read for the docs that tie on them
    def order(x):
        return (-x[0], len(labels[x[1]]), labels[x[1]].casefold())

    ranked.sort(key=order)
    top = ranked[:limit]
    if len(ranked) > limit:
        edge = order(ranked[limit - 1])
        tied = [x for x in ranked if order(x) == edge]
        if len(tied) > 1:  # equal score and label across the cut: the IRI decides
            iris = ix.iris_of(d for _, d in tied)
            rest = [x for x in ranked[:limit] if order(x) != edge]
            tied.sort(key=lambda x: iris[x[1]])
            top = rest + tied[:limit - len(rest)]
    shown = [d for _, d in top]
    iris, classes, names = ix.iris_of(shown), ix.classes_of(shown), {**names, **ix.names_of(
        d for d in shown if d not in names)}
    top.sort(key=lambda x: (-x[0], len(labels[x[1]]), labels[x[1]].casefold(), iris[x[1]]))
    hits = []
    for score, d in top:
        way, other = how.get(d, ("own", None))
        if way == "own" and d in own[first]:
            matched, kind = _matched(names[d], labels[d], first)
        elif way == "linked" and other is not None:
            matched, kind = ix.labels_of([other])[other], "linked"
        else:
            matched, kind = (_matched(names[d], labels[d], first) if d in own[first] else (first, "class"))
        hits.append(SearchHit(iris[d], curie(iris[d]), labels[d], classes[d], matched, kind, round(score, 3)))
    return hits


def _rarest(ix, toks: list[str], cjk: dict, cls: dict) -> str:
    """The token with the fewest matching docs (own names plus class), the first of equals;
    exact counts are read only for the tokens whose bounds leave them in the running."""
    bounds = {t: ix.own_size_bounds(t, cjk[t]) for t in toks}
    best_high = min(hi + len(cls[t]) for t, (_, hi) in bounds.items())
    running = [t for t in toks if bounds[t][0] + len(cls[t]) <= best_high]
    if len(running) == 1:
        return running[0]
    size = {t: (bounds[t][0] if bounds[t][0] == bounds[t][1] else ix.own_size(t, cjk[t])) + len(cls[t])
            for t in running}
    return min(running, key=lambda t: size[t])


def search(store, text: str, *, limit: int = 20, keep=None, lang=("en",)) -> list[SearchHit]:
    """Token search, falling back to near spellings of whole names when no entity has all tokens.

    Parameters
    ----------
    store : graph.stores.Store
    text : str
    limit : int
    keep : callable, optional
        ``keep(iri) -> bool``: only entities it accepts.
    lang : tuple of str
        Label languages of the hits (:func:`graph.lookup.lang.parse_lang`); the ranking
        is the same in every language.

    Returns
    -------
    list of SearchHit
    """
    from .names import search as phrase_search

    hits = token_search(store, text, limit=limit, keep=keep)
    if not hits:
        hits = phrase_search(store, text, limit=limit if keep is None else 10_000)
        if keep is not None:
            hits = [h for h in hits if keep(h.iri)][:limit]
    if tuple(lang) != ("en",):
        index = name_index(store)
        for hit in hits:
            hit.label = index.shown(hit.iri, lang)
    return hits


def hit_records(store, hits: list[SearchHit], lang=("en",)) -> list[dict]:
    """Search hits as JSON-ready dictionaries; under ``--lang`` other than English each
    also has ``label_en`` and ``label_zh``.

    Parameters
    ----------
    store : graph.stores.Store
    hits : list of SearchHit
    lang : tuple of str

    Returns
    -------
    list of dict
    """
    from dataclasses import asdict

    if tuple(lang) == ("en",):
        return [asdict(h) for h in hits]  # no other label asked for: no name index needed
    index = name_index(store)
    return [{**asdict(h), **index.label_fields(h.iri, lang)} for h in hits]
