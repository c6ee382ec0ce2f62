"""Rebuilding the bundled TriG files from the curated YAML fact files.

The knowledge base is curated as YAML in ``graph/data/src`` (one file per area, every
record with its source and the excerpt that states it) and compiled to one TriG file per
YAML file in ``graph/data``. The order matters: an entity's first English and Chinese
names become its labels; other names become aliases.

Run ``python -m graph.databuild`` after editing the YAML; a test checks that the TriG
files are up to date.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["SOURCE_FILES", "build", "main"]

_DATA = Path(__file__).resolve().parent

#: The fact files, in build order.
SOURCE_FILES = ["seed.yaml", "china.yaml", "us.yaml", "eu-uk.yaml", "zh.yaml", "zh2.yaml", "jurisdictions.yaml"]


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


def main() -> None:
    """Write the compiled TriG files into ``graph/data``."""
    from ..fileio import atomic_write

    for name, data in build().items():
        atomic_write(_DATA / name, data)
        print(f"wrote {len(data):,} bytes to {_DATA / name}")


if __name__ == "__main__":
    main()
