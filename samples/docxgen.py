"""A small .docx writer for the samples: paragraphs, headings, tables from a cell grid with
spans and merges, automatic numbering, fields, tracked changes and comments.

python-docx supplies the package (styles, numbering part, comments part); the body is built as
WordprocessingML elements here, because the samples need exactly the XML Word writes (gridSpan,
vMerge, numPr, fldSimple, w:ins/w:del) and python-docx hides most of it. `save()` rewrites the
zip so that the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.run import Run

REVISION_DATE = "2024-06-05T09:30:00Z"
ZIP_DATE = (2024, 1, 1, 0, 0, 0)


@dataclass
class Seg:
    """A piece of text written as one run; `change` makes it a tracked insertion or deletion."""

    text: str
    change: str | None = None  # "ins" | "del"
    comment: str | None = None  # a comment anchored on this run


Text = str | list[Seg]


def accepted(text: Text) -> str:
    """The text once every tracked change is accepted."""
    if isinstance(text, str):
        return text
    return "".join(s.text for s in text if s.change != "del")


@dataclass
class Cell:
    text: Text = ""
    span: int = 1
    vmerge: str | None = None  # "restart" | "continue"
    bold: bool = False
    center: bool = False
    num: int | None = None  # numId: the cell's paragraph is numbered automatically
    field: str | None = None  # a field's instruction; `text` is the result it displays
    complex_field: bool = False  # fldChar begin/instrText/separate/end instead of fldSimple
    breaks: str = "br"  # how "\n" in text is written: "br" (line break) or "para"


@dataclass
class Row:
    cells: list[Cell]
    header: bool = False  # repeated atop each page
    change: str | None = None  # "ins" | "del": the whole row is a tracked insertion/deletion


@dataclass
class Level:
    fmt: str  # decimal, chineseCounting, ...
    text: str  # lvlText, e.g. "%1、"


def _el(tag: str, **attrs: str) -> OxmlElement:
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn("w:" + k), v)
    return e


def _sub(parent, tag: str, **attrs: str):
    e = _el(tag, **attrs)
    parent.append(e)
    return e


@dataclass
class DocWriter:
    author: str = "申报人"
    created: dt.datetime = dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)
    ruled: bool = True  # tables drawn with rules (TableGrid); False: no borders at all, as some WPS exports
    rows_split: bool = False  # rows may break across pages (Word's default); False: w:cantSplit
    _rev: itertools.count = field(default_factory=lambda: itertools.count(1))
    _comments: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.document = Document()
        self.body = self.document.element.body
        section = self.document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        normal = self.document.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    # --- paragraphs -----------------------------------------------------------------------

    def paragraph(self, text: Text = "", *, style: str | None = None, bold: bool = False,
                  center: bool = False, right: bool = False, size: float | None = None,
                  num: tuple[int, int] | None = None, page_break: bool = False):
        """Append a paragraph; `num` = (numId, ilvl) numbers it automatically."""
        p = self._p(text, style=style, bold=bold, center=center, right=right, size=size, num=num)
        if page_break:
            _sub(_sub(p, "w:r"), "w:br", type="page")
        self.body.sectPr.addprevious(p)
        return p

    def _p(self, text: Text, *, style=None, bold=False, center=False, right=False, size=None,
           num=None, mark_change: str | None = None):
        p = _el("w:p")
        ppr = _sub(p, "w:pPr")
        if style:
            _sub(ppr, "w:pStyle", val=style)
        if num:
            numpr = _sub(ppr, "w:numPr")
            _sub(numpr, "w:ilvl", val=str(num[1]))
            _sub(numpr, "w:numId", val=str(num[0]))
        if center or right:
            _sub(ppr, "w:jc", val="center" if center else "right")
        if mark_change:
            self._mark(_sub(ppr, "w:rPr"), mark_change)
        segs = [Seg(text)] if isinstance(text, str) else text
        for seg in segs:
            change = seg.change or mark_change
            for r in self._runs(seg.text, bold=bold, size=size, deleted=change == "del"):
                if seg.comment:
                    self._comments.append((r, seg.comment))
                if change:
                    wrapper = self._mark(_el("w:" + change), None)
                    wrapper.append(r)
                    p.append(wrapper)
                else:
                    p.append(r)
        return p

    def _runs(self, text: str, *, bold: bool, size: float | None, deleted: bool) -> list:
        """One run per text, "\n" written as line breaks inside it."""
        if not text:
            return []
        r = _el("w:r")
        if bold or size:
            rpr = _sub(r, "w:rPr")
            if bold:
                _sub(rpr, "w:b")
            if size:
                _sub(rpr, "w:sz", val=str(int(size * 2)))
                _sub(rpr, "w:szCs", val=str(int(size * 2)))
        for i, line in enumerate(text.split("\n")):
            if i:
                _sub(r, "w:br")
            if line:
                t = _sub(r, "w:delText" if deleted else "w:t")
                t.text = line
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return [r]

    def _mark(self, e, change: str | None):
        """Give a w:ins/w:del element (or, with `change`, a new child of e) revision attributes."""
        if change:
            e = _sub(e, "w:" + change)
        e.set(qn("w:id"), str(next(self._rev)))
        e.set(qn("w:author"), self.author)
        e.set(qn("w:date"), REVISION_DATE)
        return e

    # --- tables ---------------------------------------------------------------------------

    def table(self, rows: list[Row], widths: list[int] | None = None):
        """Append a table; the grid has as many columns as the first row spans."""
        ncols = sum(c.span for c in rows[0].cells)
        widths = widths or [9000 // ncols] * ncols
        tbl = _el("w:tbl")
        tblpr = _sub(tbl, "w:tblPr")
        if self.ruled:
            _sub(tblpr, "w:tblStyle", val="TableGrid")
        else:
            borders = _sub(tblpr, "w:tblBorders")
            for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
                _sub(borders, f"w:{side}", val="nil")
        _sub(tblpr, "w:tblW", w="5000", type="pct")
        _sub(tblpr, "w:tblLook", val="04A0", firstRow="1", lastRow="0", firstColumn="1",
             lastColumn="0", noHBand="0", noVBand="1")
        grid = _sub(tbl, "w:tblGrid")
        for w in widths:
            _sub(grid, "w:gridCol", w=str(w))
        for row in rows:
            tbl.append(self._tr(row, widths))
        self.body.sectPr.addprevious(tbl)
        return tbl

    def _tr(self, row: Row, widths: list[int]):
        tr = _el("w:tr")
        trpr = _sub(tr, "w:trPr")
        if not self.rows_split:
            _sub(trpr, "w:cantSplit")
        if row.header:
            _sub(trpr, "w:tblHeader")
        if row.change:
            self._mark(trpr, row.change)
        col = 0
        for cell in row.cells:
            tc = _sub(tr, "w:tc")
            tcpr = _sub(tc, "w:tcPr")
            _sub(tcpr, "w:tcW", w=str(sum(widths[col:col + cell.span])), type="dxa")
            col += cell.span
            if cell.span > 1:
                _sub(tcpr, "w:gridSpan", val=str(cell.span))
            if cell.vmerge == "restart":
                _sub(tcpr, "w:vMerge", val="restart")
            elif cell.vmerge == "continue":
                _sub(tcpr, "w:vMerge")
            _sub(tcpr, "w:vAlign", val="center")
            for p in self._cell_paragraphs(cell, row.change):
                tc.append(p)
        return tr

    def _cell_paragraphs(self, cell: Cell, change: str | None) -> list:
        num = (cell.num, 0) if cell.num else None
        if cell.field:
            p = self._p("", center=cell.center, num=num, mark_change=change)
            p.extend(self._field(cell.field, accepted(cell.text), cell.complex_field))
            return [p]
        if cell.breaks == "para" and isinstance(cell.text, str) and "\n" in cell.text:
            return [self._p(line, bold=cell.bold, center=cell.center, mark_change=change)
                    for line in cell.text.split("\n")]
        return [self._p(cell.text, bold=cell.bold, center=cell.center, num=num, mark_change=change)]

    def _field(self, instr: str, result: str, complex_field: bool) -> list:
        if not complex_field:
            fld = _el("w:fldSimple", instr=f" {instr} ")
            fld.extend(self._runs(result, bold=False, size=None, deleted=False))
            return [fld]
        runs = []
        for kind, text in (("begin", None), ("instr", instr), ("separate", None),
                           ("result", result), ("end", None)):
            if kind == "result":
                runs.extend(self._runs(text, bold=False, size=None, deleted=False))
                continue
            r = _el("w:r")
            if kind == "instr":
                t = _sub(r, "w:instrText")
                t.text = f" {text} "
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            else:
                _sub(r, "w:fldChar", fldCharType=kind)
            runs.append(r)
        return runs

    # --- numbering ------------------------------------------------------------------------

    def abstract_numbering(self, levels: list[Level]) -> int:
        """Add a numbering definition (one Level per ilvl); returns its abstractNumId."""
        numbering = self.document.part.numbering_part.element
        existing = numbering.findall(qn("w:abstractNum"))
        aid = max((int(a.get(qn("w:abstractNumId"))) for a in existing), default=-1) + 1
        an = _el("w:abstractNum", abstractNumId=str(aid))
        _sub(an, "w:multiLevelType", val="multilevel" if len(levels) > 1 else "singleLevel")
        for i, level in enumerate(levels):
            lvl = _sub(an, "w:lvl", ilvl=str(i))
            _sub(lvl, "w:start", val="1")
            _sub(lvl, "w:numFmt", val=level.fmt)
            _sub(lvl, "w:suff", val="nothing")
            _sub(lvl, "w:lvlText", val=level.text)
            _sub(lvl, "w:lvlJc", val="left")
        if existing:
            existing[-1].addnext(an)
        else:
            numbering.insert(0, an)
        return aid

    def numbering(self, abstract_id: int, restart: bool = True) -> int:
        """A list instance of a definition; `restart` starts it again at 1. Returns its numId."""
        numbering = self.document.part.numbering_part.element
        nid = max((int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))), default=0) + 1
        num = _sub(numbering, "w:num", numId=str(nid))
        _sub(num, "w:abstractNumId", val=str(abstract_id))
        if restart:
            _sub(_sub(num, "w:lvlOverride", ilvl="0"), "w:startOverride", val="1")
        return nid

    # --- saving ---------------------------------------------------------------------------

    def track_revisions(self) -> None:
        settings = self.document.settings.element
        settings.find(qn("w:defaultTabStop")).addprevious(_el("w:trackRevisions"))

    def save(self, path, title: str = "") -> None:
        for r, text in self._comments:
            comment = self.document.add_comment(Run(r, None), text=text, author="审核人", initials="SH")
            comment._comment_elm.date = self.created
        props = self.document.core_properties
        props.author = props.last_modified_by = self.author
        props.title = title
        props.comments = ""
        props.revision = 1
        props.created = props.modified = self.created.replace(tzinfo=None)
        buf = io.BytesIO()
        self.document.save(buf)
        with open(path, "wb") as f:
            f.write(normalize_zip(buf.getvalue()))


def normalize_zip(data: bytes, fix: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same package with fixed entry order, timestamps and attributes; `fix(name, data)`
    may rewrite members (used to pin what LibreOffice stamps with the time of conversion)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in first + sorted(n for n in names if n not in first):
            body = src.read(name)
            if fix:
                body = fix(name, body)
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, body, compresslevel=9)
    return out.getvalue()


def pin_core_dates(body: bytes, when: str) -> bytes:
    """Replace dcterms:created/modified (and LibreOffice's editing time) in docProps."""
    text = body.decode("utf-8")
    text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rf"\g<1>{when}\2", text)
    text = re.sub(r"(<TotalTime>)[^<]*(<)", r"\g<1>0\2", text)
    return text.encode("utf-8")
