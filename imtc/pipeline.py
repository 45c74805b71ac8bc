"""extract + validate for one file, the way imtc.service.assess() calls them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, get_args

from imtc.extract import extract_with_document
from imtc.extract.limits import Limits
from imtc.files import display_name
from imtc.findings import INTERNAL_ERROR
from imtc.hashing import sha256_of
from imtc.models import Extraction, Finding, Format, Source
from imtc.validate import validate

if TYPE_CHECKING:
    from imtc.extract.blocks import Document

FORMATS = get_args(Format)


READING = "读取文件时遇到未预料的情况"


def describe(exc: BaseException) -> str:
    """The exception as a technical one-liner, for a finding's `detail` (never its message)."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 500 else text[:499] + "…"


def _crashed(path: Path, exc: Exception) -> Extraction:
    """What a file gets when the extractor broke its promise never to raise: unreadable, with the cause."""
    fmt = path.suffix.lower().lstrip(".")
    source = Source(file=display_name(path.name), format=fmt if fmt in FORMATS else "docx", sha256=sha256_of(path))
    return Extraction(source=source, kind="unreadable",
                      findings=[INTERNAL_ERROR(error=READING, detail=describe(exc))])


def check_file(path: Path | str, limits: Limits | None = None) -> Extraction:
    """Extract and validate one file. Never raises: a crash comes back as an internal-error finding."""
    return check_file_with_document(path, limits)[0]


def check_file_with_document(path: Path | str, limits: Limits | None = None) -> tuple[Extraction, Document | None]:
    """check_file, and the Document the extraction was mapped from (None when the file could not be read)."""
    path = Path(path)
    try:
        ex, doc = extract_with_document(path, limits)
    except Exception as exc:  # a bug in extract; the batch goes on
        return _crashed(path, exc), None
    try:
        found: list[Finding] = validate(ex)
    except Exception as exc:  # a bug in a rule; the extraction is still worth having
        found = [INTERNAL_ERROR(error="执行检查规则时出错", detail=describe(exc))]
    return ex.model_copy(update={"findings": [*ex.findings, *found]}), doc


def crashed(ex: Extraction) -> bool:
    """The file could not be read, or the program failed on it."""
    return ex.kind == "unreadable" or any(f.code == INTERNAL_ERROR.code for f in ex.findings)
