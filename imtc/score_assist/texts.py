"""The prose of a document, section by section: what the rubric counts in running text (service
cases, trainings, application of results) and the text lengths shown as evidence.

The Extraction holds sections' status and tables but not their prose, so the file is read again
through the extractor's own reader and outline matcher. Best effort: any failure gives None, and
the items that need prose are left to the expert.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Para:
    section: str | None  # the deepest section key the paragraph sits in
    paragraph: int  # 0-based body paragraph index, as in the extraction's locations
    page: int | None
    text: str

    def location(self) -> dict[str, object]:
        loc: dict[str, object] = {"section": self.section, "paragraph": self.paragraph}
        if self.page is not None:
            loc["page"] = self.page
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
    """The content paragraphs of the file under the outline of `kind` (application, annual_report)."""
    try:
        return _read(Path(path), kind)
    except Exception:  # noqa: BLE001 - evidence only; the expert still has the document
        return None


def _read(path: Path, kind: str) -> SectionTexts | None:
    from imtc.extract.blocks import Paragraph
    from imtc.extract.limits import Limits
    from imtc.extract.outline import is_content, match_headings, section_of_blocks
    from imtc.extract.package import sniff_format
    from imtc.extract.pipeline import read_document
    from imtc.templates import outline

    if kind not in ("application", "annual_report"):
        return None
    with open(path, "rb") as f:
        head = f.read(1024)
    data = "rtf" if head.startswith(b"{\\rtf") else sniff_format(head)
    doc = read_document(path, data, Limits.from_env())
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
        paras.append(Para(section=sections[bi], paragraph=b.index, page=b.page, text=b.text.strip()))
    return SectionTexts(paras)
