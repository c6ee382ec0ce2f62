"""Source tiers: which kind of publisher each source of the knowledge base comes from.

The table lives in ``graph/data/source-tiers.yaml`` (docs/sources.md gives the rules). A
host matches itself and its subdomains; ``www.``, ports and a trailing dot are ignored.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["Tier", "TierTable", "tier_table", "host_of", "SourceQuality", "source_quality", "BAR_SHARE"]

TABLE_FILE = Path(__file__).resolve().parent.parent / "data" / "source-tiers.yaml"
# the most sources that may sit below the bar, as a share of all sources
BAR_SHARE = 0.05


@dataclass(frozen=True)
class Tier:
    """A tier of publishers: its name, rank (1 is best), whether it meets the bar, and why."""

    name: str
    rank: int
    bar: bool
    about: str
    reason: str | None = None


def host_of(url: str) -> str:
    """The host of a URL, lower-cased, without ``www.``, port or trailing dot."""
    host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


class TierTable:
    """The host -> tier table, read from YAML."""

    def __init__(self, data: dict):
        self.tiers = {name: Tier(name, t["rank"], t["bar"], t["about"]) for name, t in data["tiers"].items()}
        self.hosts: dict[str, Tier] = {}
        for name, hosts in data["hosts"].items():
            for h in hosts:
                self._put(h, self.tiers[name])
        below = self.tiers["below-bar"]
        for reason, hosts in data["below_bar"].items():
            for h in hosts:
                self._put(h, Tier(below.name, below.rank, below.bar, below.about, reason))
        self.suffixes = {s: self.tiers["authority"] for s in data.get("authority_suffixes", [])}
        # source id -> why that source stays although its host is below the bar
        self.kept: dict[str, str] = dict(data.get("kept_below_bar") or {})

    def _put(self, host: str, tier: Tier) -> None:
        host = host_of("http://" + host)
        if host in self.hosts:
            raise ValueError(f"{TABLE_FILE.name}: host {host} is listed twice")
        self.hosts[host] = tier

    def classify(self, url: str) -> Tier | None:
        """The tier of the host of ``url``, or None when the table does not list it."""
        host = host_of(url)
        parts = host.split(".")
        for i in range(len(parts) - 1):
            found = self.hosts.get(".".join(parts[i:]))
            if found:
                return found
        for suffix, tier in self.suffixes.items():
            if host.endswith(suffix):
                return tier
        return None


@lru_cache(maxsize=1)
def tier_table() -> TierTable:
    """The bundled tier table."""
    import yaml

    return TierTable(yaml.safe_load(TABLE_FILE.read_text(encoding="utf-8")))


@dataclass
class SourceQuality:
    """Sources by tier, the ones below the bar with their reasons, and unlisted hosts."""

    total: int = 0
    by_tier: Counter = field(default_factory=Counter)
    below_bar: list[tuple[str, str, str]] = field(default_factory=list)  # (source IRI, url, reason)
    unlisted: list[tuple[str, str]] = field(default_factory=list)  # (source IRI, url)
    kept: dict[str, str] = field(default_factory=dict)  # source IRI -> why it stays below the bar

    @property
    def bar_share(self) -> float:
        return BAR_SHARE

    @property
    def below_share(self) -> float:
        return len(self.below_bar) / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {"sources": self.total, "by_tier": dict(sorted(self.by_tier.items())),
                "below_bar_share": round(self.below_share, 4), "bar_share": BAR_SHARE,
                "below_bar": [{"source": s, "url": u, "reason": r, "kept_because": self.kept.get(s)}
                              for s, u, r in self.below_bar],
                "unlisted": [{"source": s, "url": u} for s, u in self.unlisted]}


def source_quality(store) -> SourceQuality:
    """Classify every source of ``store`` that has a URL by the tier of its host."""
    from ..lookup.sources import sources

    table = tier_table()
    out = SourceQuality()
    for iri, doc in sorted(sources(store).items()):
        if not doc.url:
            continue
        out.total += 1
        tier = table.classify(doc.url)
        if tier is None:
            out.unlisted.append((iri, doc.url))
            out.by_tier["unlisted"] += 1
            continue
        out.by_tier[tier.name] += 1
        if not tier.bar:
            out.below_bar.append((iri, doc.url, tier.reason or tier.about))
            why = table.kept.get(iri.rsplit("/", 1)[-1])
            if why:
                out.kept[iri] = why
    return out
