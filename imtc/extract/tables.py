"""Table blocks -> the contract's typed tables.

Each table block is read as a fragment: title rows, header rows (one or two levels), and the
columns mapped to contract fields by the header texts of imtc/templates/tables.toml. A block
with no header right after a fragment of the same width is its continuation. Fragments of one
kind make one table; a row cut in two where they join is rejoined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from imtc import findings as F
from imtc.extract.blocks import Block, Cell, HeaderMatch, HeaderVocabulary, Paragraph, TableBlock
from imtc.extract.outline import is_content
from imtc.extract.text import NOTE_RE, clean, header_key, parse_amount, squash
from imtc.models import ROW_MODELS, Finding, Location, Table, new_table, row_fields
from imtc.templates import Family, families, table_kinds

TOTAL_WORDS = ("合计", "总计", "共计", "总合计")
AMOUNT_FIELD = "investment_wan"
NOT_CONTENT_FIELDS = {"seq", "status", "remark", "area"}


def _bracket_free(s: str) -> str:
    return s.replace("(", "").replace(")", "").replace("（", "").replace("）", "")


@cache
def _synonyms(family: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """A family's header texts as (group, sub) pairs, brackets removed, ready to compare."""
    return {f: tuple((_bracket_free(g), _bracket_free(sub)) for g, _, sub in (x.rpartition("|") for x in syn))
            for f, syn in families()[family].fields.items()}


def _names(last: str, target: str) -> bool:
    """Does a column's lowest header text name the field `target` (itself, or a long name it begins)?"""
    return last == target or (len(target) >= 4 and last.startswith(target))


def _names_but_one(last: str, target: str) -> bool:
    """Does a column's lowest header text name `target`, a name of four characters or more, but for
    one character in its place (a recogniser's misreading: 发展自标, 董大行动; a writer's slip)?"""
    return len(target) >= 4 and len(last) == len(target) and sum(a != b for a, b in zip(last, target, strict=True)) == 1


def _under(path: list[str], group: str) -> bool:
    """Does a column whose header texts are `path` (top to bottom, brackets removed) stand under the
    group title `group` (no group: any column does)?"""
    return not group or any(group in p for p in path[:-1])


@dataclass
class Layout:
    family: str
    header_end: int  # first row after the header
    columns: dict[int, str]  # grid column -> field
    title: str | None
    header_texts: set[str] = field(default_factory=set)


def _column_paths(tb: TableBlock, first: int, last: int) -> list[list[str]]:
    """Each grid column's header texts, top to bottom, whitespace and brackets removed."""
    paths: list[list[str]] = [[] for _ in range(tb.ncols)]
    for r in range(first, last):
        row = tb.grid[r]
        for c, cell in enumerate(row):
            if cell is None:
                continue
            t = header_key(cell.text)
            if t and (cell.row == r or r == first) and (not paths[c] or paths[c][-1] != t):
                paths[c].append(t)
    return paths


def _assign(paths: list[list[str]], fam: Family) -> dict[int, str]:
    cols: dict[int, str] = {}
    used: set[str] = set()
    for names in (_names, _names_but_one):  # the columns named exactly first, then those named but for one character
        for c, path in enumerate(paths):
            if c in cols or not path or (c > 0 and paths[c - 1] == path):  # no header text; a header cell spanning two columns
                continue
            last = path[-1]
            for fname, synonyms in _synonyms(fam.name).items():
                if fname not in used and any(names(last, t) and _under(path, g) for g, t in synonyms):
                    cols[c] = fname
                    used.add(fname)
                    break
    return cols


def _has_mark(paths: list[list[str]], fam: Family) -> bool:
    texts = {t for p in paths for t in p}
    return any(any(_bracket_free(m) in t for t in texts) for m in fam.marks)


def _is_full_span(tb: TableBlock, r: int) -> bool:
    cells = tb.row_cells(r)
    return len(cells) == 1 or (len(cells) > 1 and sum(1 for c in cells if squash(c.text)) <= 1
                               and cells[0].colspan >= tb.ncols - 1)


def find_layout(tb: TableBlock) -> Layout | None:
    """The family, header rows and column map of a table block; None when no header is recognised."""
    if not tb.grid:
        return None
    title_rows = 0
    while title_rows < min(2, len(tb.grid) - 1) and _is_full_span(tb, title_rows):
        title_rows += 1
    title = " ".join(squash(tb.grid[r][0].text) for r in range(title_rows) if tb.grid[r] and tb.grid[r][0]) or None
    best: tuple[int, int, str, dict[int, str], list[list[str]]] | None = None
    for depth in (1, 2):
        if title_rows + depth > len(tb.grid):
            break
        paths = _column_paths(tb, title_rows, title_rows + depth)
        for fam in families().values():
            cols = _assign(paths, fam)
            if len(cols) < fam.min_match or not _has_mark(paths, fam):
                continue
            if tb.ncols == len(fam.fields):  # the template's own width: fill gaps by position
                names = list(fam.fields)
                for c in range(tb.ncols):
                    if c not in cols and names[c] not in cols.values() and paths[c]:
                        cols[c] = names[c]
            cand = (len(cols), -depth, fam.name, cols, paths)
            if best is None or cand[:2] > best[:2]:
                best = cand
    if best is None:
        return None
    n, neg_depth, fam_name, cols, paths = best
    header_texts = {t for p in paths for t in p}
    return Layout(family=fam_name, header_end=title_rows - neg_depth, columns=cols, title=title,
                  header_texts=header_texts)


def key_column(layout: Layout) -> int:
    """The column whose entries start rows: 序号, or the first mapped column (时间节点 in roadmaps)."""
    seq = [c for c, f in layout.columns.items() if f == "seq"]
    return seq[0] if seq else min(layout.columns)


def _recognise(tb: TableBlock) -> HeaderMatch | None:
    layout = find_layout(tb)
    if layout is None:
        return None
    key = key_column(layout)
    return HeaderMatch(key, tuple(squash(n) for n in families()[layout.family].fields[layout.columns[key]]))


@cache
def header_vocabulary() -> HeaderVocabulary:
    """What a reader looking for tables drawn without rules needs of imtc/templates/tables.toml: every
    header text (group titles and column names apart), and this module's header recognition."""
    names = [name.split("|") for fam in families().values() for ns in fam.fields.values() for name in ns]
    texts = {header_key(part) for parts in names for part in parts}
    groups = {header_key(parts[0]) for parts in names if len(parts) > 1} - {header_key(parts[-1]) for parts in names}
    return HeaderVocabulary(tuple(sorted(texts)), _recognise, tuple(sorted(groups)))


def _seq_value(cell: Cell) -> str | None:
    if cell.auto_label and squash(cell.text) == squash(cell.auto_label):
        return clean(cell.auto_label.rstrip(".．、)）").lstrip("(（"))
    return clean(cell.text)


@dataclass
class RawRow:
    values: dict[str, Any]
    page: int | None
    amount_text: str | None  # the 投资金额 cell as written, for the not-a-number finding
    table: int = -1  # the table block it came from
    section: str | None = None  # the section that block sits in
    cells: dict[str, Cell | None] = field(default_factory=dict)  # field -> the cell it was read from
    open_fields: set[str] = field(default_factory=set)  # fields merged vertically down to the block's end
    blocks: list[str] = field(default_factory=list)  # the Document rows it was read from ("t3.r5")
    joined_cells: list[tuple[str, Cell]] = field(default_factory=list)  # cells of a cut row joined to it
    # texts of a ruleless table read into a field although they reach into the next ones (Cell.crossing):
    # (field, text, the fields they reach into)
    crossing: list[tuple[str, str, list[str]]] = field(default_factory=list)


def _row_kind(tb: TableBlock, r: int, layout: Layout) -> str:
    """data / total / note / header / skip."""
    cells = tb.row_cells(r)
    texts = [squash(c.text) for c in cells if squash(c.text)]
    if not texts:
        return "skip"
    if texts[0].startswith(TOTAL_WORDS) or texts[0].replace(" ", "") in ("合计", "总计"):
        return "total"
    if NOTE_RE.match(texts[0]) or texts[0] == "注":
        return "note"
    if _is_full_span(tb, r):
        return "note"
    if sum(1 for t in texts if _bracket_free(t) in layout.header_texts) * 2 >= len(texts) and len(texts) >= 2:
        return "header"
    return "data"


def read_rows(tb: TableBlock, layout: Layout, start: int, after: RawRow | None = None) -> tuple[list[RawRow], Any]:
    """Data rows of one fragment from row `start`, and the 合计 row's amount (or None). In a fragment
    that continues a table whose last row so far is `after`, a first row without its key on a later
    page than that row is the rest of a row the page break cut: any text of it is kept (a bare
    "(100 ps~1 ms)" is the range's rest, a bare "X" a model's), but words in brackets with no digit,
    the template's guidance ("（填写仪器名称）")."""
    rows: list[RawRow] = []
    total: Any = None
    amount_col = next((c for c, f in layout.columns.items() if f == AMOUNT_FIELD), None)
    for r in range(start, len(tb.grid)):
        kind = _row_kind(tb, r, layout)
        if kind == "total":
            total = _total_amount(tb, r, amount_col)
            continue
        if kind != "data":
            continue
        values: dict[str, Any] = {}
        cells: dict[str, Cell | None] = {}
        own_content = False
        rest = r == start and _cut_rest(tb, r, layout, after)
        amount_text = None
        for c, fname in layout.columns.items():
            cell = tb.grid[r][c] if c < len(tb.grid[r]) else None
            cells[fname] = cell
            if cell is None or cell.col != c:
                values[fname] = None
                continue
            text = _seq_value(cell) if fname == "seq" else clean(cell.text)
            if fname == AMOUNT_FIELD:
                amount_text = text
            values[fname] = text
            if text and cell.row == r and fname not in NOT_CONTENT_FIELDS and (
                    is_content(text) or rest and not _guidance_words(text)):
                own_content = True
        if own_content:
            page = tb.row_pages[r] if r < len(tb.row_pages) else tb.page
            open_fields = {f for f, cell in cells.items()
                           if cell is not None and cell.rowspan > 1 and cell.row + cell.rowspan == len(tb.grid)}
            rows.append(RawRow(values=values, page=page, amount_text=amount_text, cells=cells,
                               open_fields=open_fields, blocks=[tb.row_id(r)], crossing=_crossing(cells, r, layout)))
    return rows, total


def _cut_rest(tb: TableBlock, r: int, layout: Layout, after: RawRow | None) -> bool:
    """May row `r`, the first of a table part, be the rest of a row a page break cut: no key, and on
    a later page than the table's last row so far (`after`)?"""
    page = tb.row_pages[r] if r < len(tb.row_pages) else tb.page
    return (after is not None and page is not None and after.page is not None and page > after.page
            and not _key_text(tb, r, layout))


def _guidance_words(text: str) -> bool:
    """Is a text words all in brackets, the template's guidance ("（填写仪器名称）"), not a value's rest
    ("(100 ps~1 ms)": it holds a digit)?"""
    t = squash(text)  # full-width brackets folded
    return t[:1] == "(" and t[-1:] == ")" and not any(ch.isdigit() for ch in t)


def _key_text(tb: TableBlock, r: int, layout: Layout) -> str:
    """The row's text in its key column (序号, or the first field)."""
    key = next((c for c, f in layout.columns.items() if f == "seq"), next(iter(layout.columns), 0))
    cell = tb.grid[r][key] if key < len(tb.grid[r]) else None
    return squash(cell.text) if cell is not None else ""


def _crossing(cells: dict[str, Cell | None], r: int, layout: Layout) -> list[tuple[str, str, list[str]]]:
    """The row's texts that reach from their field into the next ones (Cell.crossing), each once (at
    the first row of a cell merged over several)."""
    out = []
    for fname, cell in cells.items():
        if cell is None or cell.row != r:
            continue
        for text, last in cell.crossing:
            others = [layout.columns[c] for c in range(cell.col + 1, last + 1) if c in layout.columns]
            if others:
                out.append((fname, text, others))
    return out


def _total_amount(tb: TableBlock, r: int, amount_col: int | None) -> Any:
    if amount_col is not None and amount_col < len(tb.grid[r]):
        cell = tb.grid[r][amount_col]
        if cell is not None and cell.col == amount_col and clean(cell.text):
            return parse_amount(cell.text)[0]
    for cell in reversed(tb.row_cells(r)):  # a 合计 row laid out differently: its last number
        value, ok = parse_amount(cell.text)
        if ok and value is not None:
            return value
    return None


def _join_text(a: str | None, b: str | None) -> str | None:
    if not a or not b:
        return a or b
    sep = " " if (a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()) else ""
    return a + sep + b


# --- kinds ----------------------------------------------------------------------------------


def _join_cells(a: str | None, b: str | None, upper: Cell | None, lower: Cell | None) -> str | None:
    """The texts of a cell cut by a page break, joined: in a text PDF as the lines of a cell are
    (pdf_reader.join_parts: "(8 nm~10" + "μm)" is "(8 nm~10 μm)" where the line broke at a space);
    mended again as OCR text where OCR read both parts (imtc/extract/ocr.py `normalise`: "U=0.03°"
    + "C，k=2" is "U=0.03℃，k=2")."""
    if a and b and upper is not None and lower is not None and upper.wrap is not None and lower.wrap is not None \
            and squash(a).endswith(squash(upper.wrap.lines[-1].text)) \
            and squash(b).startswith(squash(lower.wrap.lines[0].text)):
        from imtc.extract.pdf_reader import join_parts

        sep = join_parts(upper.wrap, lower.wrap)
        if sep is not None:
            return a + sep + b
    text = _join_text(a, b)
    if a and b and text and upper is not None and lower is not None \
            and upper.confidence is not None and lower.confidence is not None:
        from imtc.extract.ocr import normalise

        return normalise(text, cell=True)
    return text


def resolve_kind(family: str, section: str | None, doc_kind: str, title: str | None,
                 layout: Layout) -> str | None:
    """Which contract table kind a fragment of `family` is, in this document and place."""
    title = title or ""
    section = section or ""
    if doc_kind == "application":
        if family == "needs":
            if section.startswith("5.2") or "关键参数" in title:
                return "key_parameter_needs"
            if section.startswith("5.1") or "校准" in title:
                return "calibration_needs"
            return "key_parameter_needs" if "parameter" in layout.columns.values() and any(
                "参数名称" in t for t in layout.header_texts) else "calibration_needs"
        return family if family in ROW_MODELS else None
    if doc_kind == "annual_report" and family in ("equipment", "calibration_items", "key_parameter_items"):
        if section.startswith("2"):
            return family + "_plan"
        if section.startswith("1"):
            return family + "_done"
        return family + ("_done" if "完成" in title else "_plan")
    return None


def roadmap_area(section: str | None, title: str | None, seen: int) -> str:
    spec = table_kinds()["roadmaps"]
    for sec, area in zip(spec.sections, spec.areas, strict=True):
        parent = sec.rsplit(".", 1)[0]
        if section and (section == sec or section.startswith(parent + ".") or section == parent):
            return area
    t = title or ""
    if "前瞻" in t:
        return "frontier"
    if "装备" in t or "方法" in t:
        return "equipment_method"
    if "共性" in t:
        return "common_technology"
    return spec.areas[min(seen, len(spec.areas) - 1)]


# --- the whole document ---------------------------------------------------------------------


@dataclass
class TablesResult:
    tables: dict[str, Table[Any]]
    findings: list[Finding]
    content_blocks: set[int]  # blocks that hold real table rows
    unrecognised: list[int]  # block indices of tables with no recognised header
    cell_places: dict[str, tuple[str, int, str, str | None]] = field(default_factory=dict)
    # cell id -> (table kind, row in the contract's table, field, section): where each cell went
    failed: list[int] = field(default_factory=list)  # block indices of tables whose reading failed


def _intervening_is_blank(blocks: list[Block], a: int, b: int) -> bool:
    for blk in blocks[a + 1:b]:
        if isinstance(blk, Paragraph):
            t = squash(blk.text)
            if t and not t.startswith("续表") and is_content(blk.text) and len(t) > 20:
                return False
        else:
            return False
    return True


@dataclass
class Fragment:
    """One table block read as (part of) a contract table."""

    block: int  # index into the block list
    table: TableBlock
    layout: Layout
    kind: str
    start: int  # first row after its title and header rows
    continuation: bool  # continues the fragment before it (a page break, a split Word table)


def classify(blocks: list[Block], bi: int, sections: list[str | None], doc_kind: str,
             prev: Fragment | None) -> Fragment | None:
    """The kind of table block `bi`, or the fragment it continues; None when it is neither."""
    b = blocks[bi]
    assert isinstance(b, TableBlock)
    layout = find_layout(b)
    kind = resolve_kind(layout.family, sections[bi], doc_kind, layout.title, layout) if layout else None
    follows = (prev is not None and sections[bi] == sections[prev.block]
               and _intervening_is_blank(blocks, prev.block, bi))
    if follows and layout is None and b.ncols == prev.table.ncols:  # no header: the rows go on
        start = 0
        while start < len(b.grid) - 1 and _is_full_span(b, start):
            start += 1
        return Fragment(bi, b, prev.layout, prev.kind, start, continuation=True)
    if layout is None or kind is None:
        return None
    return Fragment(bi, b, layout, kind, layout.header_end, continuation=follows and kind == prev.kind)


def read_tables(blocks: list[Block], sections: list[str | None], doc_kind: str) -> TablesResult:
    """Every table block of the document read into the contract's table kinds of `doc_kind`. A table
    whose reading fails is left out with a finding located at it (`failed`); the others are read."""
    st = _State(raw={k: [] for k in _kinds_of(doc_kind)})
    prev: Fragment | None = None
    failed: list[Finding] = []
    for bi, b in enumerate(blocks):
        if not isinstance(b, TableBlock):
            continue
        try:
            prev = _read_block(blocks, bi, sections, doc_kind, prev, st)
        except Exception as e:  # one table's failure costs that table only
            prev = None
            st.failed.append(bi)
            failed.append(part_failed(f"第 {b.index + 1} 个表格" + (f"（第 {b.page} 页）" if b.page else ""), e,
                                      Location(page=b.page, table=b.index, section=sections[bi], blocks=[b.id])))
    for kind in list(st.held):
        _flush_held(st, kind)
    out = _build(list(st.raw), st.raw, st.totals, st.located, st.content, st.unrecognised)
    out.findings[:0] = failed
    out.failed = st.failed
    return out


def part_failed(part: str, e: Exception, location: Location | None = None) -> Finding:
    """The finding for a part of the document whose reading raised `e`."""
    error = f"{type(e).__name__}: {e}"
    return F.PART_UNREADABLE(location, part=part, detail=error if len(error) <= 500 else error[:499] + "…")


@dataclass
class _State:
    raw: dict[str, list[RawRow]]
    totals: dict[str, Any] = field(default_factory=dict)
    located: dict[str, Location] = field(default_factory=dict)
    content: set[int] = field(default_factory=set)
    unrecognised: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    roadmaps_seen: int = 0
    held: dict[str, RawRow] = field(default_factory=dict)  # a row's beginning whose key is on the next page


def _read_block(blocks: list[Block], bi: int, sections: list[str | None], doc_kind: str,
                prev: Fragment | None, st: _State) -> Fragment | None:
    """Read table block `bi` into `st`; returns its fragment (None when it is no table of the template)."""
    b = blocks[bi]
    assert isinstance(b, TableBlock)
    frag = classify(blocks, bi, sections, doc_kind, prev)
    if frag is None:
        st.unrecognised.append(bi)
        return None
    after = st.raw[frag.kind][-1] if frag.continuation and st.raw[frag.kind] else None
    rows, total = read_rows(b, frag.layout, frag.start, after)
    if frag.continuation and not st.raw[frag.kind] and rows and _header_rest(rows[0]):
        rows.pop(0)  # a header row the page break cut: its rest atop the next page
    if frag.kind == "roadmaps":
        seen = st.roadmaps_seen + (not frag.continuation)
        area = roadmap_area(sections[bi], frag.layout.title, seen - 1)
        for row in rows:
            row.values["area"] = area
        st.roadmaps_seen = seen
    for row in rows:
        row.table, row.section = b.index, sections[bi]
    held = st.held.get(frag.kind)
    if held is not None and frag.continuation and rows and _key_of(rows[0]) is not None and rows[0].page != held.page:
        _prepend(st.held.pop(frag.kind), rows[0])
    _flush_held(st, frag.kind)
    last = st.raw[frag.kind][-1] if st.raw[frag.kind] else None
    if rows and (frag.continuation or last is None) and _opens_row(rows, last):
        st.held[frag.kind] = rows.pop()
        st.content.add(bi)
    elif frag.continuation and rows and last is not None:
        _join_fragment(last, rows)
    st.raw[frag.kind].extend(rows)
    if total is not None:
        st.totals[frag.kind] = total
    st.located.setdefault(frag.kind, Location(page=b.page, table=b.index, section=sections[bi], blocks=[b.id]))
    if rows:
        st.content.add(bi)
    return frag


def _key_of(row: RawRow) -> Any:
    return row.values.get("seq" if "seq" in row.values else next(iter(row.values)))


def _opens_row(rows: list[RawRow], last: RawRow | None) -> bool:
    """Is a table part's only row, without its key, the beginning of a row whose key is on the next
    page (cells centred vertically, the page's foot cutting the row above its key), not the rest of
    a cut row? So when it is on the page of the row before it (a table part repeated with its title
    and header on the same page: no row is cut without a page break), or the table's first row."""
    if len(rows) != 1 or _key_of(rows[0]) is not None or rows[0].page is None:
        return False
    return last is None or (_key_of(last) is not None and rows[0].page == last.page)


def _flush_held(st: _State, kind: str) -> None:
    """A held row beginning that no row on the next page took: joined to the row before it, as the
    rest of a cut row (a row of its own when there is none)."""
    held = st.held.pop(kind, None)
    if held is not None and st.raw[kind]:
        _join_fragment(st.raw[kind][-1], [held])
    elif held is not None:
        st.raw[kind].append(held)


def _prepend(head: RawRow, row: RawRow) -> None:
    """The beginning of a row, cut at a page's foot before its key, joined in front of the row."""
    for f, v in head.values.items():
        if f != "area":
            row.values[f] = (_join_cells(v, row.values.get(f), head.cells.get(f), row.cells.get(f))
                             if f != AMOUNT_FIELD else (row.values.get(f) or v))
    row.amount_text = row.amount_text or head.amount_text
    row.blocks[:0] = head.blocks
    row.crossing[:0] = head.crossing
    row.joined_cells += [(f, c) for f, c in head.cells.items() if c is not None]


def _header_rest(row: RawRow) -> bool:
    """Is a row with no key whose every text is part of a header text ("名称", "（万元）") the rest of
    a header row that a page break cut, atop a table part that follows one with no rows?"""
    key = "seq" if "seq" in row.values else next(iter(row.values))
    texts = [header_key(v) for v in row.values.values() if isinstance(v, str) and v.strip()]
    vocab = header_vocabulary().texts
    return row.values.get(key) is None and bool(texts) and all(t and any(t in h for h in vocab) for t in texts)


def _join_fragment(last: RawRow, rows: list[RawRow]) -> None:
    """Join a continuation fragment's rows to the table so far (PDF pages, split Word tables).

    A first row without its key (序号, or 时间节点 for roadmaps) is the rest of a row that the page
    break cut in two: its texts are appended to the last row. A cell merged down over the break
    prints its text once, above it: the rows below it get its value, as the .docx gives it.
    """
    key = "seq" if "seq" in last.values else next(iter(last.values))
    cut_cells: dict[str, Cell | None] = {}
    if rows[0].values.get(key) is None and last.values.get(key) is not None:
        cut = rows.pop(0)
        for f, v in cut.values.items():
            if f == "area":
                continue
            last.values[f] = (_join_cells(last.values.get(f), v, last.cells.get(f), cut.cells.get(f))
                              if f != AMOUNT_FIELD else (last.values.get(f) or v))
        if cut.amount_text and not last.amount_text:
            last.amount_text = cut.amount_text
        cut_cells = cut.cells
        last.blocks += cut.blocks
        last.crossing += cut.crossing
        last.joined_cells += [(f, c) for f, c in cut.cells.items() if c is not None]
    if not rows:
        return
    for f, value in last.values.items():
        top = rows[0].cells.get(f)
        if value is None or top is None or clean(top.text):
            continue
        if f in last.open_fields or top.rowspan > 1 or cut_cells.get(f) is top:
            for row in rows:
                if row.cells.get(f) is top:
                    row.values[f] = value


def _label(kind: str, fname: str) -> str:
    """A field's name as its table's header writes it (a group's sub-header as 组·名)."""
    names = families()[table_kinds()[kind].family].fields.get(fname)
    return names[0].replace("|", "·") if names else fname


def _kinds_of(doc_kind: str) -> list[str]:
    from imtc.models import TABLE_KINDS

    return TABLE_KINDS.get(doc_kind, [])


def _build(kinds: list[str], raw: dict[str, list[RawRow]], totals: dict[str, Any],
           located: dict[str, Location], content: set[int],
           unrecognised: list[int]) -> TablesResult:
    out: dict[str, Table[Any]] = {}
    found: list[Finding] = []
    places: dict[str, tuple[str, int, str, str | None]] = {}
    specs = table_kinds()
    for kind in kinds:
        table = new_table(kind)
        model = ROW_MODELS[kind]
        fields = row_fields(kind)
        loc = located.get(kind)
        for i, row in enumerate(raw[kind]):
            values = {f: row.values.get(f) for f in fields}
            rloc = Location(page=row.page, section=row.section, table=row.table, row=i, blocks=list(row.blocks))
            for fname, cell in [*row.cells.items(), *row.joined_cells]:
                if cell is not None and cell.id:
                    places.setdefault(cell.id, (kind, i, fname, row.section))
            for fname, text, others in row.crossing:
                found.append(F.COLUMN_UNCERTAIN(rloc.model_copy(update={"field": fname}), table=specs[kind].title,
                                                row=i + 1, text=text if len(text) <= 40 else text[:39] + "…",
                                                field=_label(kind, fname), others="”“".join(_label(kind, f) for f in others)))
            if AMOUNT_FIELD in values:
                value, ok = parse_amount(row.amount_text)
                values[AMOUNT_FIELD] = value
                if not ok:
                    found.append(F.AMOUNT_NOT_NUMBER(rloc.model_copy(update={"field": AMOUNT_FIELD}),
                                                     table=specs[kind].title, row=i + 1, text=row.amount_text))
            table.rows.append(model(**values, location=rloc))
        if loc is not None:
            table.location = loc
            table.status = "present" if table.rows else "empty"
        if hasattr(table, "total_wan"):
            table.total_wan = totals.get(kind)
        out[kind] = table
    return TablesResult(tables=out, findings=found, content_blocks=content, unrecognised=unrecognised,
                        cell_places=places)
