"""Per-target parts of a fine: ``src/shares.yaml`` compiled to TriG.

Where a source splits a decision's total between its targets, each part is a
``tr:TargetAmount`` node (``id:share-ACTION-TARGET``) with ``tr:shareOf`` (the action),
``tr:shareTarget``, ``tr:shareAmount`` and ``tr:currency``, in the named graph of the
source that states it. The action keeps its total (``tr:amount``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..errors import BadInput
from ..model.namespaces import ID, SRC, TR
from .rates import source_quads

__all__ = ["SHARES_FILE", "share_quads", "build_shares"]

SHARES_FILE = Path(__file__).resolve().parent / "src" / "shares.yaml"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_FIELDS = {"action", "target", "amount", "currency", "source"}


def _n(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _known(path: Path, fact_files: list[str]) -> tuple[set[str], set[str]]:
    """Source ids and record ids of the other fact files."""
    sources, ids = set(), set()
    for name in fact_files:
        data = yaml.safe_load((path.parent / name).read_text(encoding="utf-8")) or {}
        sources |= set(data.get("sources") or {})
        for section in ("entities", "actions"):
            ids |= {str(r.get("id")) for r in data.get(section) or []}
    return sources, ids


def share_quads(fact_files: list[str], path: Path = SHARES_FILE) -> list[ox.Quad]:
    """Read the shares file and return its quads.

    Parameters
    ----------
    fact_files : list of str
        The other YAML fact files (names in ``graph/data/src``) whose sources, actions
        and entities the shares may name.

    Raises
    ------
    BadInput
        For an unknown field, action, target or source, or a bad amount, naming the row.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sources = data.get("sources") or {}
    known_sources, known_ids = _known(path, fact_files)
    quads = source_quads(sources)
    for i, r in enumerate(data.get("shares") or [], 1):
        where = f"{path.name}: share {i}"
        if set(r) - _FIELDS or _FIELDS - set(r):
            raise BadInput(f"{where}: give exactly {sorted(_FIELDS)}")
        if r["source"] not in sources and r["source"] not in known_sources:
            raise BadInput(f"{where}: source {r['source']!r} is not described")
        for key in ("action", "target"):
            if str(r[key]) not in known_ids:
                raise BadInput(f"{where}: unknown {key} {r[key]!r}")
        try:
            amount = Decimal(str(r["amount"]))
        except InvalidOperation:
            raise BadInput(f"{where}: {r['amount']!r} is not a number") from None
        node, g = _n(ID[f"share-{r['action']}-{r['target']}"]), _n(SRC[r["source"]])
        quads += [ox.Quad(node, _RDF_TYPE, _n(TR.TargetAmount), g),
                  ox.Quad(node, _LABEL, ox.Literal(f"{r['target']} part of {r['action']}", language="en"), g),
                  ox.Quad(node, _n(TR.shareOf), _n(ID[r["action"]]), g),
                  ox.Quad(node, _n(TR.shareTarget), _n(ID[r["target"]]), g),
                  ox.Quad(node, _n(TR.shareAmount), ox.Literal(format(amount.normalize(), "f"),
                                                             datatype=_n(_XSD + "decimal")), g),
                  ox.Quad(node, _n(TR.currency), ox.Literal(str(r["currency"])), g)]
    return quads


def build_shares(fact_files: list[str], path: Path = SHARES_FILE) -> bytes:
    """The TriG text of the shares file (``shares.trig``); see :func:`share_quads`."""
    from ..model.iris import PREFIXES

    return ox.serialize(share_quads(fact_files, path), format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES))
