"""A .docx package -> the Document (imtc/extract/blocks.py), read straight from its XML.

What python-docx hides and this reads: text inside tracked insertions (kept) and deletions
(dropped, deleted rows too), automatic numbering labels, vertical merges resolved to the
cell they continue, field results (a 合计 computed by =SUM(ABOVE) shows its result), content
controls, hidden text (dropped), and page breaks for locations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from imtc.extract.blocks import Cell, Document, Paragraph, TableBlock
from imtc.extract.numbering import MAX_LEVEL, VAL, Numbering, int_attr, q
from imtc.extract.package import DocxPackage

MAX_COLUMNS = 63  # Word's limit on a table's columns: bounds gridSpan and gridBefore
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"

T, P, R, TBL, TR, TC = q("t"), q("p"), q("r"), q("tbl"), q("tr"), q("tc")
PPR, RPR, TCPR, TRPR = q("pPr"), q("rPr"), q("tcPr"), q("trPr")
INS, DEL, MOVE_TO, MOVE_FROM = q("ins"), q("del"), q("moveTo"), q("moveFrom")
# containers whose children are read as if they stood in their parent
TRANSPARENT = {q("hyperlink"), q("smartTag"), q("customXml"), q("fldSimple"), q("dir"), q("bdo"),
               q("sdtContent"), INS, MOVE_TO}
SKIPPED_IN_RUN = {q("delText"), q("instrText"), q("delInstrText"), q("drawing"), q("pict"), q("object"),
                  f"{{{MC}}}AlternateContent", q("footnoteReference"), q("endnoteReference"),
                  q("commentReference")}


def _on(el: etree._Element | None) -> bool:
    """A w:b/w:vanish-style toggle: present and not switched off."""
    return el is not None and el.get(VAL, "true") not in ("0", "false", "off")


@dataclass
class Styles:
    outline: dict[str, int] = field(default_factory=dict)  # style id -> 1-based heading level
    numbering: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # style id -> numId, ilvl


def _style_entry(st: etree._Element, bad: list[str] | None = None) -> tuple[str | None, int | None, tuple[str, int | None] | None]:
    """(basedOn, own heading level, own numbering) of one paragraph style."""
    b = st.find(q("basedOn"))
    name_el = st.find(q("name"))
    name = (name_el.get(VAL, "") if name_el is not None else "").lower().replace(" ", "")
    ppr = st.find(PPR)
    level = None
    lvl = ppr.find(q("outlineLvl")) if ppr is not None else None
    if lvl is not None and lvl.get(VAL, "").isdigit() and int(lvl.get(VAL)) < 9:
        level = int(lvl.get(VAL)) + 1
    else:
        for prefix in ("heading", "标题"):
            if name.startswith(prefix) and name[len(prefix):].isdigit():
                level = int(name[len(prefix):])
    num = None
    numpr = ppr.find(q("numPr")) if ppr is not None else None
    if numpr is not None and numpr.find(q("numId")) is not None:
        il = numpr.find(q("ilvl"))
        num = (numpr.find(q("numId")).get(VAL), int_attr(il, 0, MAX_LEVEL, bad))
    return (b.get(VAL) if b is not None else None), level, num


def read_styles(root: etree._Element | None, bad: list[str] | None = None) -> Styles:
    """Heading levels and list numbering of paragraph styles, with basedOn inheritance resolved."""
    out = Styles()
    if root is None:
        return out
    based: dict[str, str] = {}
    own_outline: dict[str, int] = {}
    own_num: dict[str, tuple[str, int | None]] = {}
    for st in root.iter(q("style")):
        if st.get(q("type")) != "paragraph":
            continue
        sid = st.get(q("styleId"))
        parent, level, num = _style_entry(st, bad)
        if parent:
            based[sid] = parent
        if level is not None:
            own_outline[sid] = level
        if num is not None:
            own_num[sid] = num

    for sid in {*based, *own_outline, *own_num}:
        lvl = _inherit(sid, own_outline, based)
        if lvl is not None:
            out.outline[sid] = lvl
        num = _inherit(sid, own_num, based)
        if num is not None:
            out.numbering[sid] = num
    return out


def _inherit(sid: str, own: dict, based: dict[str, str]):  # noqa: ANN202
    """A style's own value, or the nearest one up its basedOn chain (cycles stop the search)."""
    seen: set[str] = set()
    while sid not in own:
        if sid not in based or sid in seen:
            return None
        seen.add(sid)
        sid = based[sid]
    return own[sid]


def _cell_props(tcpr: etree._Element | None, bad: list[str] | None = None) -> tuple[int, str | None]:
    """(grid span, vMerge: "restart" / "continue" / None) of a table cell."""
    if tcpr is None:
        return 1, None
    span = int_attr(tcpr.find(q("gridSpan")), 1, MAX_COLUMNS, bad, 1) or 1
    vm = tcpr.find(q("vMerge"))
    return span, (vm.get(VAL, "continue") if vm is not None else None)


class Reader:
    def __init__(self, pkg: DocxPackage):
        self.pkg = pkg
        self.bad: list[str] = []  # malformed attributes met (clamped or skipped), for one warning
        self.styles = read_styles(pkg.styles, self.bad)
        self.numbering = Numbering(pkg.numbering, self.styles.numbering, self.bad)
        self.page = 1
        self.page_breaks_rendered = pkg.document.find(f".//{q('lastRenderedPageBreak')}") is not None
        self.revisions = 0
        self.manual_breaks = 0  # w:br type=page: a document has at least this many pages + 1
        self.blocks: list[Paragraph | TableBlock] = []
        self.n_paragraphs = 0
        self.n_tables = 0

    # --- paragraphs ------------------------------------------------------------------------

    def _run_text(self, run: etree._Element, out: list[str]) -> None:
        rpr = run.find(RPR)
        if rpr is not None and _on(rpr.find(q("vanish"))):
            return
        for el in run:
            tag = el.tag
            if tag == T:
                out.append(el.text or "")
            elif tag == q("tab") or tag == q("ptab"):
                out.append("\t")
            elif tag == q("br") or tag == q("cr"):
                if el.get(q("type")) == "page":
                    self._page_break(explicit=True)
                else:
                    out.append("\n")
            elif tag == q("lastRenderedPageBreak"):
                self._page_break(explicit=False)
            elif tag == q("noBreakHyphen"):
                out.append("-")
            elif tag == q("sym"):
                out.append(self._symbol(el))

    def _symbol(self, el: etree._Element) -> str:
        """A w:sym's character: a code in the symbol font's private area (F020-F0FF) shifted down, as
        Word does; a control character is no text, a code that is no character is skipped with a note."""
        ch = el.get(q("char"), "")
        try:
            code = int(ch, 16) if len(ch) <= 8 else -1
        except ValueError:
            code = -1
        if 0xF000 <= code <= 0xF0FF:
            code -= 0xF000
        if not 0 <= code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            self.bad.append(f'w:sym char="{ch[:20]}"')
            return ""
        return "" if code < 0x20 or 0x7F <= code < 0xA0 else chr(code)

    def _page_break(self, explicit: bool) -> None:
        self.manual_breaks += explicit
        if explicit != self.page_breaks_rendered:  # count one kind of break, never both
            self.page += 1

    def _inline_text(self, parent: etree._Element, out: list[str]) -> None:
        for el in parent:
            tag = el.tag
            if tag == R:
                self._run_text(el, out)
            elif tag in (DEL, MOVE_FROM):
                self.revisions += 1
            elif tag in TRANSPARENT:
                if tag in (INS, MOVE_TO):
                    self.revisions += 1
                self._inline_text(el, out)
            elif tag == q("sdt"):
                content = el.find(q("sdtContent"))
                if content is not None:
                    self._inline_text(content, out)
            elif tag == f"{{{MATH}}}oMath" or tag == f"{{{MATH}}}oMathPara":
                out.append("".join(t.text or "" for t in el.iter(f"{{{MATH}}}t")))

    def _paragraph_props(self, ppr: etree._Element | None) -> tuple[str | None, str | None, int | None, int | None, bool]:
        """(style, numId, ilvl, outline level, paragraph mark deleted) from a w:pPr."""
        if ppr is None:
            return None, None, None, None, False
        if _on(ppr.find(q("pageBreakBefore"))) and not self.page_breaks_rendered:
            self.page += 1
        st = ppr.find(q("pStyle"))
        num_id = ilvl = outline_level = None
        num = ppr.find(q("numPr"))
        if num is not None:
            nid, il = num.find(q("numId")), num.find(q("ilvl"))
            num_id = nid.get(VAL) if nid is not None else None
            ilvl = int_attr(il, 0, MAX_LEVEL, self.bad)
        ol = ppr.find(q("outlineLvl"))
        if ol is not None and ol.get(VAL, "").isdigit() and int(ol.get(VAL)) < 9:
            outline_level = int(ol.get(VAL)) + 1
        rpr = ppr.find(RPR)
        deleted = rpr is not None and rpr.find(DEL) is not None
        if rpr is not None:
            self.revisions += (rpr.find(DEL) is not None) + (rpr.find(INS) is not None)
        return (st.get(VAL) if st is not None else None), num_id, ilvl, outline_level, deleted

    def _paragraph(self, p: etree._Element) -> tuple[str, str | None, int | None, bool]:
        """(text, auto label, outline level, paragraph mark deleted)."""
        style, num_id, ilvl, outline_level, mark_deleted = self._paragraph_props(p.find(PPR))
        if style is not None:
            if outline_level is None:
                outline_level = self.styles.outline.get(style)
            if num_id is None and style in self.styles.numbering:
                num_id, style_ilvl = self.styles.numbering[style]
                if ilvl is None:
                    ilvl = style_ilvl if style_ilvl is not None else self.numbering.level_for_style(num_id, style)
        out: list[str] = []
        self._inline_text(p, out)
        text = "".join(out)
        label = None
        if num_id is not None and not (mark_deleted and not text.strip()):
            label = self.numbering.label(num_id, ilvl or 0)
        return text, label, outline_level, mark_deleted

    # --- tables ----------------------------------------------------------------------------

    def _cell_text(self, tc: etree._Element) -> tuple[str, str | None]:
        parts: list[str] = []
        first_label: str | None = None
        pending = ""
        for el in self._content_children(tc):
            if el.tag == P:
                text, label, _, deleted = self._paragraph(el)
                if label and first_label is None and not parts and not pending:
                    first_label = label
                text = (label + text) if label else text
                if deleted:
                    pending += text
                    continue
                parts.append(pending + text)
                pending = ""
            elif el.tag == TBL:  # a nested table: its text, row by row
                for row in self._table(el, nested=True).grid:
                    seen: list[Cell] = []
                    for c in row:
                        if c is not None and c not in seen:
                            seen.append(c)
                    parts.append(" ".join(c.text for c in seen))
        if pending:
            parts.append(pending)
        return "\n".join(parts), first_label

    def _content_children(self, parent: etree._Element):
        for el in parent:
            if el.tag in (P, TBL):
                yield el
            elif el.tag == q("sdt"):
                content = el.find(q("sdtContent"))
                if content is not None:
                    yield from self._content_children(content)
            elif el.tag == q("customXml"):
                yield from self._content_children(el)

    def _table(self, tbl: etree._Element, nested: bool = False) -> TableBlock:
        grid: list[list[Cell | None]] = []
        row_pages: list[int | None] = []
        header_rows = 0
        above: dict[int, Cell] = {}  # grid column -> cell open for vertical merge
        for tr in tbl.iter(TR):
            if tr.getparent() is not tbl and not self._is_row_wrapper(tr.getparent(), tbl):
                continue  # rows of nested tables
            trpr = tr.find(TRPR)
            if trpr is not None and trpr.find(DEL) is not None:
                self.revisions += 1
                continue
            if trpr is not None and trpr.find(INS) is not None:
                self.revisions += 1
            r = len(grid)
            if trpr is not None and trpr.find(q("tblHeader")) is not None and r == header_rows:
                header_rows += 1
            row_pages.append(self.page)
            row: list[Cell | None] = []
            before = trpr.find(q("gridBefore")) if trpr is not None else None
            row.extend([None] * (int_attr(before, 0, MAX_COLUMNS, self.bad, 0) or 0))
            for tc in self._row_cells(tr):
                span, vmerge = _cell_props(tc.find(TCPR), self.bad)
                col = len(row)
                text, label = self._cell_text(tc)
                if vmerge == "continue" and col in above and above[col].colspan == span:
                    cell = above[col]
                    cell.rowspan = r - cell.row + 1
                    if text.strip():  # text typed into a continuation cell is still shown
                        cell.text = (cell.text + "\n" + text).strip("\n")
                else:
                    cell = Cell(text=text, row=r, col=col, colspan=span, auto_label=label)
                    if vmerge == "restart":
                        above[col] = cell
                    else:
                        above.pop(col, None)
                row.extend([cell] * span)
            grid.append(row)
        index = -1
        if not nested:
            index = self.n_tables
            self.n_tables += 1
        return TableBlock(index=index, grid=grid, page=row_pages[0] if row_pages else self.page,
                          row_pages=row_pages, header_rows=header_rows)

    @staticmethod
    def _is_row_wrapper(parent: etree._Element, tbl: etree._Element) -> bool:
        # rows inside w:sdt/w:customXml wrappers directly under this table
        while parent is not None and parent is not tbl:
            if parent.tag == TBL:
                return False
            parent = parent.getparent()
        return parent is tbl

    @staticmethod
    def _row_cells(tr: etree._Element):
        for el in tr:
            if el.tag == TC:
                yield el
            elif el.tag in (q("sdt"), q("customXml")):
                yield from (tc for tc in el.iter(TC) if tc.getparent().tag != TR or tc.getparent() is tr)

    # --- body ------------------------------------------------------------------------------

    def read(self) -> Document:
        body = self.pkg.document.find(q("body"))
        pending = ""
        if body is not None:
            for el in self._content_children(body):
                if el.tag == P:
                    page = self.page
                    text, label, level, deleted = self._paragraph(el)
                    if deleted:
                        pending += (label or "") + text
                        continue
                    full = pending + ((label or "") + text)
                    pending = ""
                    role = "heading" if level is not None else "list_item" if label else "paragraph"
                    self.blocks.append(Paragraph(text=full, index=self.n_paragraphs, page=page,
                                                 outline_level=level, auto_label=label, role=role))
                    self.n_paragraphs += 1
                else:
                    self.blocks.append(self._table(el))
        if pending:
            self.blocks.append(Paragraph(text=pending, index=self.n_paragraphs, page=self.page))
        # Pages are known only where Word recorded where its pages broke (w:lastRenderedPageBreak);
        # counting manual breaks alone would put most of a document on page 2.
        known = self.page_breaks_rendered
        if not known:
            for b in self.blocks:
                b.page = None
                if isinstance(b, TableBlock):
                    b.row_pages = [None] * len(b.row_pages)
        # docProps/app.xml's page count is the last saving program's word, and only a program that
        # laid the pages out knows it: python-docx writes its template's 1, LibreOffice converting
        # headless writes a guess (9 for a document it prints on 17). Trusted only with Word's own
        # page-break records, and never below the manual page breaks.
        stated = self.pkg.pages if known and self.pkg.pages and self.pkg.pages > self.manual_breaks else None
        pages = stated or (self.page if known else None)
        doc = Document(blocks=self.blocks, pages=pages, revisions=self.revisions, comments=self.pkg.comments)
        doc.invalid_attributes = self.bad
        return doc.number()


def read_docx(pkg: DocxPackage) -> Document:
    return Reader(pkg).read()
