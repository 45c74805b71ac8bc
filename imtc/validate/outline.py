"""Outline rules: the template's sections are there and have content."""

from __future__ import annotations

from collections.abc import Iterator

from imtc.findings import SECTION_EMPTY, SECTION_MISSING, SECTION_SUGGESTED_MISSING
from imtc.models import Extraction, Finding, Location, Section
from imtc.templates import OUTLINE_FILES, outline
from imtc.validate.registry import rule


def parent_key(key: str) -> str | None:
    """"1.6.5" -> "1.6"; None for a chapter."""
    return key.rsplit(".", 1)[0] if "." in key else None


def _suggested(ex: Extraction) -> frozenset[str]:
    """Annex 4's 建议包括以下条目 sub-items (none for other kinds)."""
    if ex.kind not in OUTLINE_FILES:
        return frozenset()
    return frozenset(s.key for s in outline(ex.kind).sections if s.suggested)


def _missing_under_present_parent(ex: Extraction) -> Iterator[Section]:
    """Missing sections whose parent is not missing: a missing chapter is reported once, not per child."""
    status = {s.key: s.status for s in ex.sections}
    for s in ex.sections:
        parent = parent_key(s.key)
        if s.status == "missing" and (parent is None or status.get(parent) != "missing"):
            yield s


@rule(SECTION_MISSING, SECTION_SUGGESTED_MISSING)
def sections_missing(ex: Extraction) -> Iterator[Finding]:
    suggested = _suggested(ex)
    for s in _missing_under_present_parent(ex):
        code = SECTION_SUGGESTED_MISSING if s.key in suggested else SECTION_MISSING
        yield code(Location(section=s.key), key=s.key, title=s.title)


@rule(SECTION_EMPTY)
def sections_empty(ex: Extraction) -> Iterator[Finding]:
    """Only leaves: a parent's emptiness is its children's to report."""
    parents = {parent_key(s.key) for s in ex.sections}
    for s in ex.sections:
        if s.status == "empty" and s.key not in parents:
            loc = s.location.model_copy(update={"section": s.key})
            yield SECTION_EMPTY(loc, key=s.key, title=s.title)
