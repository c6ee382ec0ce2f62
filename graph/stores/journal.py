"""All-or-nothing writes to an on-disk store: a redo journal inside the store's directory.

A write (``init``, ``load``, ``import``) first writes the new quads (and the control
pairs they add, which depend on the store) to ``techreg-pending.nq`` in the store's
directory, then commits by renaming a small manifest into place
(``techreg-pending.json``). Only then does the store change, in as many of Oxigraph's
fast non-transactional bulk writes as it takes: each journaled chunk goes in with its
copies in the merged default graph and the inverse and class entailments it brings,
computed from the chunk alone as it is applied (so the journal holds one quad per new
quad, not the four or five the store gets). The journal is removed once the store holds
everything and is flushed.

A process killed before the commit leaves the store as it was (the unfinished journal is
discarded on the next open); killed after it, the next open of the store replays the
journal, which is idempotent (quads are a set, blank nodes keep the identifiers written in
the journal), so the store ends exactly as a complete write would have left it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

__all__ = ["Journal"]

_DATA = "techreg-pending.nq"
_MANIFEST = "techreg-pending.json"
_TMP = ".tmp"
_CHUNK = 100_000


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Journal:
    """The pending write of one on-disk store.

    Parameters
    ----------
    directory : Path
        The store's directory (the journal lives beside Oxigraph's own files).
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.data = self.directory / _DATA
        self.manifest = self.directory / _MANIFEST

    def pending(self) -> dict | None:
        """The manifest of a committed write not yet applied, or ``None``; discards the
        remains of a write that never committed."""
        for leftover in (self.data.with_name(_DATA + _TMP), self.manifest.with_name(_MANIFEST + _TMP)):
            leftover.unlink(missing_ok=True)
        if not self.manifest.exists():
            self.data.unlink(missing_ok=True)
            return None
        return json.loads(self.manifest.read_text(encoding="utf-8"))

    def write(self, chunks: Iterable[list[ox.Quad]], manifest: dict | None = None) -> dict:
        """Write the quads to add and commit them (the point after which the write happens).

        Parameters
        ----------
        chunks : iterable of list of pyoxigraph.Quad
            Everything the write adds; an exception while they are produced leaves no
            journal (and the store untouched).
        manifest : dict, optional
            What else the replay must do (for example ``{"rebuild": True}``); read once
            the chunks are consumed, so producing them may fill it in.

        Returns
        -------
        dict
            The manifest committed, with ``quads`` the number of quads journaled.
        """
        tmp = self.data.with_name(_DATA + _TMP)
        n = 0
        try:
            with open(tmp, "wb") as out:
                for chunk in chunks:
                    ox.serialize(chunk, out, ox.RdfFormat.N_QUADS)
                    n += len(chunk)
                out.flush()
                os.fsync(out.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        manifest = {**(manifest or {}), "quads": n}
        mtmp = self.manifest.with_name(_MANIFEST + _TMP)
        with open(mtmp, "w", encoding="utf-8") as out:
            json.dump(manifest, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.data)
        os.replace(mtmp, self.manifest)  # the commit
        _fsync_dir(self.directory)
        return manifest

    def quads(self) -> Iterator[list[ox.Quad]]:
        """The journaled quads, in chunks, with their blank nodes as written."""
        chunk: list[ox.Quad] = []
        for q in ox.parse(path=str(self.data), format=ox.RdfFormat.N_QUADS):
            chunk.append(q)
            if len(chunk) >= _CHUNK:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def done(self) -> None:
        """Forget the applied write (the manifest first: without it the data is discarded)."""
        self.manifest.unlink(missing_ok=True)
        self.data.unlink(missing_ok=True)
        _fsync_dir(self.directory)
