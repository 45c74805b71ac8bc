"""A place in a document, in the words people use (pages, tables, rows and paragraphs counted from 1):
the one formatter behind the terminal, the summary workbook, the web pages and the review documents.

`location_parts` gives the pieces; each front door picks the pieces it shows and joins them its way:
" · " on screens ("第 3 页 · 第 4 个表格 · 第 2 行"), "〔…，…〕" in the Word documents, which write
numbers tight against the characters ("第3个表格第1行").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from pydantic import BaseModel

ALL = ("file", "page", "section", "table", "row", "paragraph", "field")


def _get(location: Mapping[str, Any] | BaseModel, key: str) -> Any:
    if isinstance(location, BaseModel):
        return getattr(location, key, None) if key in type(location).model_fields else (location.model_extra or {}).get(key)
    return location.get(key)


def location_parts(location: Mapping[str, Any] | BaseModel | None, *, include: Collection[str] = ALL,
                   spaced: bool = True, field_label: str | None = None, document_file: str | None = None,
                   table_row_together: bool = False) -> list[str]:
    """The pieces of a place, in reading order: 《file》 (when not `document_file`), page, section,
    table, row, paragraph (only outside a table), the field's column (`field_label`, else its key).
    `include` picks the pieces; `spaced` puts spaces around numbers; `table_row_together` writes a
    table's row in the table's piece ("第3个表格第1行")."""
    if not location:
        return []
    s = " " if spaced else ""
    value = {k: _get(location, k) for k in ALL if k in include}
    table, row = value.get("table"), value.get("row")
    parts = []
    if value.get("file") and value["file"] != document_file:
        parts.append(f"《{value['file']}》")
    if value.get("page") is not None:
        parts.append(f"第{s}{value['page']}{s}页")
    if value.get("section"):
        parts.append(f"章节{s}{value['section']}")
    if table is not None:
        together = table_row_together and row is not None
        parts.append(f"第{s}{table + 1}{s}个表格" + (f"第{s}{row + 1}{s}行" if together else ""))
    if row is not None and not (table is not None and table_row_together):
        parts.append(f"第{s}{row + 1}{s}行")
    if value.get("paragraph") is not None and table is None:
        parts.append(f"第{s}{value['paragraph'] + 1}{s}段")
    if value.get("field"):
        parts.append(f"“{field_label or value['field']}”栏")
    return parts
