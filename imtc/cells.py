"""The one way imtc puts a value into a workbook cell (openpyxl), for every workbook it writes.

Text in a workbook comes from untrusted documents and file names, so:

- text that begins with = + - @, a tab or a carriage return is written as text, never as a
  formula: a string cell (openpyxl would store a leading "=" as a formula) with the "quote prefix"
  style, so that Excel and LibreOffice keep it as text even when someone edits the cell;
- characters a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE: C0 controls but tab, line
  feed and carriage return; lone surrogates; U+FFFE, U+FFFF) are removed, so writing never fails;
- text longer than a cell holds (32,767 characters) is cut, with "……" at the end.

Numbers, booleans, dates and None go in as they are. Use `put` (or `append`) instead of assigning
`cell.value` or `ws.append` with text that did not come from imtc's own code, and `sheet_title`
for a worksheet named after such text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
UNWRITABLE_RE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")
MAX_CELL_CHARS = 32767
CUT_MARK = "……"


def clean_text(text: str) -> str:
    """`text` without the characters a workbook cannot hold, cut to what a cell holds."""
    text = UNWRITABLE_RE.sub("", text)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(CUT_MARK)] + CUT_MARK
    return text


def sheet_title(text: str, fallback: str = "Sheet") -> str:
    """A worksheet name from untrusted text that Excel accepts and openpyxl can save: no []:*?/\\,
    no characters a workbook cannot hold, not starting or ending with an apostrophe, at most 31."""
    title = re.sub(r"[\[\]:*?/\\]", "_", UNWRITABLE_RE.sub("", text)).strip("'")[:31].strip("'")
    return title or fallback


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write `value` into the cell at (row, column), 1-based; text as text, cleaned."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = clean_text(value)
        cell.value = text
        as_text(cell)
    else:
        cell.value = value
    return cell


def as_text(cell: Cell) -> None:
    """A formula-like string value kept as text; call it again after changing the cell's style."""
    if isinstance(cell.value, str) and is_formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def append(ws: Worksheet, values: Iterable[Any]) -> int:
    """`ws.append(values)`, cleaned and with text kept as text; the new row's number."""
    values = [clean_text(v) if isinstance(v, str) else v for v in values]
    ws.append(values)
    row = ws.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str):
            as_text(ws.cell(row=row, column=column))
    return row
