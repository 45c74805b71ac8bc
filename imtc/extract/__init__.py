"""Stage 1: any submitted file -> `Extraction` (outline, typed tables, meta, findings).

The readers (docx_reader, pdf_reader, pdf_stream, ocr) turn a file into one intermediate Document
(blocks.py: headings, paragraphs, list items, tables, rows and cells with stable ids, page, box,
confidence); outline.py, tables.py, meta.py and entities.py map that Document onto the templates in
imtc/templates/. Later stages read the Extraction and, where they need more (prose, boxes for
crops), the Document — never the file.
"""

from __future__ import annotations

from pathlib import Path
from re import Pattern

from imtc.extract.blocks import Document
from imtc.extract.limits import Limits
from imtc.models import Extraction

__all__ = ["Document", "Limits", "cached_document", "code_level", "extract", "extract_with_document", "fold",
           "spec_code_patterns", "spec_year_min"]


def extract(path: Path, limits: Limits | None = None) -> Extraction:
    """Read one file. Never raises for a bad file: it comes back as kind "unreadable"."""
    return extract_with_document(path, limits)[0]


def extract_with_document(path: Path | str, limits: Limits | None = None, *,
                          reuse: bool = False) -> tuple[Extraction, Document | None]:
    """Read one file: its Extraction, and the Document it was mapped from (None when the file could not
    be read). Never raises for a bad file. The Document is kept by content hash (imtc/extract/cache.py);
    with `reuse`, a file whose bytes were read before (in this process, or by an earlier one) is not
    read again: its kept Document is mapped anew."""
    from imtc.extract.pipeline import extract_file_with_document

    return extract_file_with_document(Path(path), limits or Limits.from_env(), reuse=reuse)


def cached_document(sha256: str, limits: Limits | None = None) -> Document | None:
    """The Document kept for a file of this content hash (`Extraction.source.sha256`), or None."""
    from imtc.extract import cache

    return cache.load(cache.key(sha256, limits or Limits.from_env())) if sha256 else None


# --- specification codes, as the entity reader knows them (imtc/templates/entities.toml), for the
# --- rules of imtc/validate/: the public face of extract's vocabulary, so validate imports no internals


def fold(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one (offsets stay the original's)."""
    from imtc.extract.entities import fold as _fold

    return _fold(text)


def code_level(prefix: str) -> str | None:
    """The level (national, industry, local, group, enterprise) of a specification code prefix, or None."""
    from imtc.extract.entities import code_level as _code_level

    return _code_level(prefix)


def spec_code_patterns() -> tuple[Pattern[str], Pattern[str], Pattern[str]]:
    """The patterns of specification codes: (prefixed codes with groups prefix/num/year, Q/ enterprise
    codes with group qyear, international codes)."""
    from imtc.extract.entities import config

    cfg = config()
    return cfg.code, cfg.code_q, cfg.code_intl


def spec_year_min() -> int:
    """The earliest year a specification code may carry."""
    from imtc.extract.entities import config

    return int(config().raw["standards"]["rules"]["year_min"])
