"""Limits applied to every untrusted input file."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024       # the submitted file itself
    max_unpacked_bytes: int = 300 * 1024 * 1024  # sum of declared uncompressed sizes in a package
    max_ratio: int = 200                         # uncompressed / compressed, per member over 1 MiB
    max_members: int = 5000                      # entries in a package

    @classmethod
    def from_env(cls) -> Limits:
        """`IMTC_MAX_FILE_MB` overrides the file size limit."""
        mb = os.environ.get("IMTC_MAX_FILE_MB")
        return cls(max_file_bytes=int(float(mb) * 1024 * 1024)) if mb else cls()
