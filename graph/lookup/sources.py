"""Shared look-ups over a store: predicate labels and source documents."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.iris import ONTOLOGY_IRI

__all__ = ["SourceDoc", "sources", "predicate_labels"]



@dataclass(frozen=True)
class SourceDoc:
    """A source document: the named graph of the facts it states."""

    iri: str
    title: str | None
    publisher: str | None
    date: str | None
    url: str | None

    def cite(self) -> str:
        """One line: title, publisher, date, URL."""
        parts = [self.title] if self.title else []
        if self.publisher:
            parts.append(self.publisher)
        if self.date:
            parts.append(self.date)
        if self.url:
            parts.append(self.url)
        return " — ".join(parts)

    def as_dict(self) -> dict:
        return {"iri": self.iri, "title": self.title, "publisher": self.publisher, "date": self.date, "url": self.url}


_SOURCES_QUERY = """
SELECT ?s ?title ?publisher ?date ?url WHERE {
  ?s a tr:Source .
  OPTIONAL { ?s dcterms:title ?title }
  OPTIONAL { ?s dcterms:publisher ?publisher }
  OPTIONAL { ?s dcterms:issued ?date }
  OPTIONAL { ?s schema:url ?url }
}"""

def sources(store) -> dict[str, SourceDoc]:
    """Return every source document of a store by IRI."""

    def build():
        out = {}
        for r in store.select(_SOURCES_QUERY):
            iri = r["s"].value
            title = r["title"].value if r["title"] else None
            out[iri] = SourceDoc(
                iri, title,
                r["publisher"].value if r["publisher"] else None,
                r["date"].value if r["date"] else None,
                r["url"].value if r["url"] else None,
            )
        return out

    return store.cached("sources", build)


def predicate_labels(store) -> dict[str, str]:
    """Return the English label of every property the ontology defines, by IRI."""

    def build():
        rows = store.select(
            f"SELECT ?p ?l WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?p rdfs:label ?l ; a ?k "
            "FILTER(?k IN (owl:ObjectProperty, owl:DatatypeProperty, owl:Class)) } }"
        )
        return {r["p"].value: r["l"].value for r in rows}

    return store.cached("predicates", build)
