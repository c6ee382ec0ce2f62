"""Rebuilding the bundled TriG files from the curated YAML fact files.

The knowledge base is curated as YAML in ``graph/data/src`` (one file per area, every
record with its source and the excerpt that states it) and compiled to one TriG file per
YAML file in ``graph/data``. The order matters: an entity's first English and Chinese
names become its labels; other names become aliases.

Run ``python -m graph.data.build`` after editing the YAML; a test checks that the TriG
files are up to date. The build prints a change report (items per class before and
after, and the coverage scopes that grew) and fails, writing nothing, when a declared
coverage scope (``graph/data/coverage``) would hold fewer items than recorded.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SOURCE_FILES", "build", "main"]

_DATA = Path(__file__).resolve().parent

#: The fact files, in build order.
SOURCE_FILES = ["seed.yaml", "china.yaml", "us.yaml", "eu-uk.yaml", "eu-dsa-dma.yaml", "eu-gdpr.yaml", "cn-cac.yaml",
                "zh.yaml", "zh2.yaml", "jurisdictions.yaml"]


def build() -> dict[str, bytes]:
    """Compile the YAML fact files into TriG, checked against the shapes.

    Returns
    -------
    dict
        TriG text by output file name (``seed.trig``, ...).
    """
    from ..ingest.importer import import_files
    from ..stores import open_store

    from .rates import build_rates
    from .shares import build_shares

    paths = [_DATA / "src" / name for name in SOURCE_FILES]
    result = import_files(open_store("empty"), paths, write_to_store=False)
    built = {Path(p).stem + ".trig": result.trig_of(str(p)) for p in paths}
    built["rates.trig"] = build_rates()  # the exchange-rate table (graph/data/rates.py)
    built["shares.trig"] = build_shares(SOURCE_FILES)  # per-target parts of fines (graph/data/shares.py)
    return built


_CLASS_COUNTS = """SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {
  VALUES ?c { tr:Company tr:GovernmentBody tr:Regulator tr:Law tr:RegulatoryAction tr:Listing tr:Source }
  ?s a ?c } GROUP BY ?c"""


def _class_counts(store) -> dict[str, int]:
    return {r["c"].value.rsplit("#", 1)[-1]: int(r["n"].value) for r in store.select(_CLASS_COUNTS)}


def change_report(built: dict[str, bytes]) -> list[str]:
    """Compare the built TriG with the bundled files: items per class and coverage counts.

    Raises
    ------
    graph.coverage.scopes.CoverageDrop
        When a declared scope would hold fewer items than recorded.
    """
    import tempfile

    from ..coverage.scopes import check_recorded, count_scopes
    from ..model.entail import materialise
    from ..stores import open_store

    before = _class_counts(open_store("memory"))
    after_store = open_store("empty")
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for name, data in built.items():
            (Path(tmp) / name).write_bytes(data)
            files.append(Path(tmp) / name)
        after_store.load_paths(files)
    materialise(after_store)
    after = _class_counts(after_store)
    lines = [f"{c}: {before.get(c, 0)} -> {after.get(c, 0)}" for c in sorted(set(before) | set(after))
             if before.get(c, 0) != after.get(c, 0)]
    lines += check_recorded(count_scopes(after_store))
    return lines


def main() -> None:
    """Write the compiled TriG files into ``graph/data``, after the change report."""
    import sys

    from ..errors import TechregError
    from ..fileio import atomic_write

    built = build()
    try:
        report = change_report(built)
    except TechregError as exc:
        print(f"techreg: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    for name, data in built.items():
        atomic_write(_DATA / name, data)
        print(f"wrote {len(data):,} bytes to {_DATA / name}")
    print("changes: " + ("; ".join(report) if report else "none"))


if __name__ == "__main__":
    main()
