"""Stage 1: any submitted file -> `Extraction` (outline, typed tables, meta, findings).

Format readers (docx_reader, later pdf) turn a file into a format-neutral block stream;
outline.py, tables.py and meta.py map that stream onto the templates in imtc/templates/.
"""

from __future__ import annotations

from pathlib import Path

from imtc.extract.limits import Limits
from imtc.models import Extraction


def extract(path: Path, limits: Limits | None = None) -> Extraction:
    """Read one file. Never raises for a bad file: it comes back as kind "unreadable"."""
    from imtc.extract.pipeline import extract_file

    return extract_file(Path(path), limits or Limits.from_env())
