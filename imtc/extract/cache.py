"""Documents kept by content hash, so that `check` then `score`/`review` read each file once.

The Document a file was read into is kept under the SHA-256 of its bytes (the same hash as the
Extraction's `source.sha256`) and the reading limits: in this process (the last MEMORY_ENTRIES), and
on disk for the worker processes that come after (a round's `check` workers, then its review
workers). On disk it lives in $IMTC_DOCUMENT_CACHE, else $XDG_CACHE_HOME/imtc/documents, else
~/.cache/imtc/documents; IMTC_DOCUMENT_CACHE=off keeps nothing on disk. The folder is bounded:
after each write the least recently used entries go until at most MAX_ENTRIES files and MAX_BYTES
remain. Entries are pickles of our own dataclasses (texts, numbers, boxes), written atomically and
read only from that folder; one that cannot be read back is a miss, and is removed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import tempfile
from collections import OrderedDict
from pathlib import Path

from imtc.extract.blocks import Document
from imtc.extract.limits import Limits

VERSION = 1  # raised whenever the Document's classes change shape
MEMORY_ENTRIES = 4
MAX_ENTRIES = 64
MAX_BYTES = 256 * 1024 * 1024
STATS = {"hits": 0, "misses": 0}

_memory: OrderedDict[str, Document] = OrderedDict()


def folder() -> Path | None:
    """Where Documents are kept on disk (None: not on disk)."""
    env = os.environ.get("IMTC_DOCUMENT_CACHE")
    if env is not None and env.strip().lower() in ("", "off", "0", "none"):
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "imtc" / "documents"


def key(sha256: str, limits: Limits) -> str:
    """The cache key of a file's Document: its content hash, the reading limits, this format's version
    and the Document classes' fields (an entry kept by a program whose classes differ is never read)."""
    tail = hashlib.sha256(f"{VERSION}:{limits!r}:{_shape()}".encode()).hexdigest()[:12]
    return f"{sha256}-{tail}"


@functools.cache
def _shape() -> str:
    from dataclasses import fields

    from imtc.extract.blocks import Cell, Paragraph, TableBlock

    return ";".join(f"{c.__name__}:{','.join(f.name for f in fields(c))}" for c in (Document, Paragraph, TableBlock, Cell))


def load(k: str) -> Document | None:
    """The Document kept under `k`, or None."""
    doc = _memory.get(k)
    if doc is not None:
        _memory.move_to_end(k)
        STATS["hits"] += 1
        return doc
    path = _path(k)
    if path is not None and path.is_file():
        try:
            with open(path, "rb") as f:
                doc = pickle.load(f)  # noqa: S301 - our own folder, our own dataclasses
            os.utime(path)
        except Exception:  # noqa: BLE001 - a damaged or outdated entry is a miss
            with contextlib.suppress(OSError):
                path.unlink()
            doc = None
        if isinstance(doc, Document):
            _remember(k, doc)
            STATS["hits"] += 1
            return doc
    STATS["misses"] += 1
    return None


def store(k: str, doc: Document) -> None:
    """Keep `doc` under `k` (in memory, and on disk when a folder is set); never raises."""
    _remember(k, doc)
    path = _path(k)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(doc, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        prune(path.parent)
    except Exception:  # noqa: BLE001 - a cache that cannot be written only costs a second reading
        return


def prune(where: Path, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
    """Remove the least recently used entries beyond `max_entries` files or `max_bytes`."""
    entries = []
    for p in where.glob("*.pickle"):
        try:
            st = p.stat()
        except OSError:
            continue
        entries.append((st.st_mtime, st.st_size, p))
    entries.sort(reverse=True)
    total = 0
    for n, (_, size, p) in enumerate(entries):
        total += size
        if n >= max_entries or total > max_bytes:
            with contextlib.suppress(OSError):
                p.unlink()


def clear_memory() -> None:
    _memory.clear()


def _remember(k: str, doc: Document) -> None:
    _memory[k] = doc
    _memory.move_to_end(k)
    while len(_memory) > MEMORY_ENTRIES:
        _memory.popitem(last=False)


def _path(k: str) -> Path | None:
    where = folder()
    return None if where is None else where / f"{k}.pickle"
