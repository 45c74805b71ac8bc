"""A file's SHA-256, read in chunks: the one way every part of imtc hashes a file."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path


def digest(path: Path | str) -> tuple[str, int]:
    """(SHA-256 in hex, size in bytes); ("", 0) when the file cannot be read or is no regular file
    (opening a FIFO would wait for a writer for ever)."""
    h = hashlib.sha256()
    size = 0
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return "", 0
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
                size += len(chunk)
    except OSError:
        return "", 0
    return h.hexdigest(), size


def sha256_of(path: Path | str) -> str:
    """The file's SHA-256 in hex; "" when it cannot be read."""
    return digest(path)[0]
