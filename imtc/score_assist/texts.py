"""The prose of a document, section by section: what the rubric counts in running text (service
cases, trainings, application of results) and the text lengths shown as evidence.

The Extraction holds sections' status and tables but not their prose: the prose comes from the
Document the extraction was mapped from (imtc/extract/blocks.py), never from the file again.
`texts_of(document, kind)` reads it; `read_texts(path, kind)` is for callers that only have the
path: it takes the Document kept by content hash when the file was extracted (imtc/extract/cache.py),
and extracts it only when none was kept. Best effort: any failure gives None, and the items that
need prose are left to the expert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imtc.extract.blocks import Document


@dataclass(frozen=True)
class Para:
    section: str | None  # the deepest section key the paragraph sits in
    paragraph: int  # 0-based body paragraph index, as in the extraction's locations
    page: int | None
    text: str
    block: str | None = None  # its id in the Document ("p12")

    def location(self) -> dict[str, object]:
        loc: dict[str, object] = {"section": self.section, "paragraph": self.paragraph}
        if self.page is not None:
            loc["page"] = self.page
        if self.block:
            loc["blocks"] = [self.block]
        return {k: v for k, v in loc.items() if v is not None}


def _in(section: str | None, key: str) -> bool:
    return section is not None and (section == key or section.startswith(key + "."))


@dataclass
class SectionTexts:
    paragraphs: list[Para] = field(default_factory=list)

    def under(self, key: str) -> list[Para]:
        """The content paragraphs of a section and its sub-sections, in document order."""
        return [p for p in self.paragraphs if _in(p.section, key)]

    def chars(self, key: str) -> int:
        """Characters of content (whitespace not counted) in a section and its sub-sections."""
        return sum(len("".join(p.text.split())) for p in self.under(key))

    def text(self, keys: Iterable[str]) -> list[Para]:
        seen: set[int] = set()
        out = []
        for key in keys:
            for p in self.under(key):
                if p.paragraph not in seen:
                    seen.add(p.paragraph)
                    out.append(p)
        return sorted(out, key=lambda p: p.paragraph)

    def at(self, paragraph: int | None) -> Para | None:
        for p in self.paragraphs:
            if p.paragraph == paragraph:
                return p
        return None

    @classmethod
    def from_mapping(cls, sections: Mapping[str, Iterable[str]]) -> SectionTexts:
        """Hand-made prose for tests: {"1.6.6": ["案例一：……", …]}; paragraphs numbered in order."""
        paras = []
        n = 0
        for key, texts in sections.items():
            for t in texts:
                paras.append(Para(section=key, paragraph=n, page=None, text=t))
                n += 1
        return cls(paras)


def read_texts(path: Path | str, kind: str) -> SectionTexts | None:
    """The content paragraphs of the file under the outline of `kind` (application, annual_report),
    from its Document (read once: the one kept when it was extracted is taken)."""
    try:
        from imtc.extract import extract_with_document

        _, doc = extract_with_document(Path(path), reuse=True)
        return texts_of(doc, kind) if doc is not None else None
    except Exception:  # noqa: BLE001 - evidence only; the expert still has the document
        return None


def texts_of(doc: Document, kind: str) -> SectionTexts | None:
    """The content paragraphs of a Document under the outline of `kind` (application, annual_report)."""
    try:
        return _texts(doc, kind)
    except Exception:  # noqa: BLE001 - evidence only; the expert still has the document
        return None


def _texts(doc: Document, kind: str) -> SectionTexts | None:
    from imtc.extract.blocks import Paragraph
    from imtc.extract.outline import is_content, match_headings, section_of_blocks
    from imtc.templates import outline

    if kind not in ("application", "annual_report"):
        return None
    matches = match_headings(doc.blocks, outline(kind))
    sections = section_of_blocks(len(doc.blocks), matches)
    headings = {m.block: m for m in matches}
    paras = []
    for bi, b in enumerate(doc.blocks):
        if not isinstance(b, Paragraph) or sections[bi] is None:
            continue
        m = headings.get(bi)
        if (m is not None and not m.inline_content) or not is_content(b.text):
            continue
        paras.append(Para(section=sections[bi], paragraph=b.index, page=b.page, text=b.text.strip(), block=b.id))
    return SectionTexts(paras)
