"""Lists the documents do not hold, supplied by the user as CSV (UTF-8, with or without BOM; GBK read
too, as Excel on a Chinese system saves it). Columns are found by their header, in English or Chinese
(docs/scoring.md):

- the national specifications catalogue for 1.3.1 (`--catalogue`): `code` (规范编号) required,
  `title` (名称) optional. One row per national metrological technical specification (JJF/JJG) of the
  industry, as the State Administration's announcements list them.
- the industry's core enterprises for 1.5.1 (`--core-enterprises`): `name` (企业名称) required,
  `aliases` (简称, several separated by 、 ; or |) optional, `served` (是否服务: 是/否, 1/0, yes/no,
  √/×) optional — when given it decides; when empty, an enterprise counts as served when the report
  names it (by name or alias).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_HEADERS = {
    "code": ("code", "规范编号", "编号", "规程规范编号", "技术规范编号"),
    "title": ("title", "名称", "规范名称", "技术规范名称"),
    "name": ("name", "企业名称", "单位名称", "名称", "企业"),
    "aliases": ("aliases", "alias", "简称", "别名"),
    "served": ("served", "是否服务", "已服务", "服务"),
}
_YES = {"是", "1", "yes", "y", "true", "√", "✓", "已服务", "有"}
_NO = {"否", "0", "no", "n", "false", "×", "✗", "未服务", "无"}
_SPEC = re.compile(r"(JJF|JJG)\s*(\(浙\)|\(ZJ\))?\s*(\d+(?:\.\d+)?)", re.IGNORECASE)


class ListError(ValueError):
    """A CSV the user gave cannot be used; the message is Chinese and says why."""


@dataclass(frozen=True)
class Spec:
    code: str
    title: str | None
    key: str  # JJF1620, JJG139, JJF(浙)1201: the code without its year


@dataclass(frozen=True)
class Enterprise:
    name: str
    aliases: tuple[str, ...]
    served: bool | None  # None: not said in the CSV


def spec_key(text: str | None) -> str | None:
    """"JJF 1620-2017" -> "JJF1620"; "JJF(浙) 1201-2024" -> "JJF(浙)1201"; None when no JJF/JJG code."""
    if not text:
        return None
    m = _SPEC.search(unicodedata.normalize("NFKC", text))
    if m is None:
        return None
    local = "(浙)" if m.group(2) else ""
    return f"{m.group(1).upper()}{local}{m.group(3)}"


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ListError(f"无法读取“{path}”：{exc.strerror or exc}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ListError(f"“{path.name}”不是 UTF-8 或 GBK 编码的 CSV 文件")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise ListError(f"“{path.name}”是空文件或没有表头")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]


def _column(rows: list[dict[str, str]], field: str) -> str | None:
    names = rows[0].keys() if rows else ()
    for candidate in _HEADERS[field]:
        for n in names:
            if n.casefold() == candidate.casefold():
                return n
    return None


def read_catalogue(path: Path | str) -> list[Spec]:
    path = Path(path)
    rows = _read_rows(path)
    code_col = _column(rows, "code")
    if code_col is None:
        raise ListError(f"“{path.name}”缺少“code”（规范编号）列")
    title_col = _column(rows, "title")
    out: dict[str, Spec] = {}
    for row in rows:
        key = spec_key(row.get(code_col))
        if key and key not in out:
            out[key] = Spec(code=row[code_col], title=(row.get(title_col) or None) if title_col else None, key=key)
    if not out:
        raise ListError(f"“{path.name}”中没有可识别的国家计量技术规范编号（JJF/JJG）")
    return list(out.values())


def read_enterprises(path: Path | str) -> list[Enterprise]:
    path = Path(path)
    rows = _read_rows(path)
    name_col = _column(rows, "name")
    if name_col is None:
        raise ListError(f"“{path.name}”缺少“name”（企业名称）列")
    alias_col, served_col = _column(rows, "aliases"), _column(rows, "served")
    out = []
    for row in rows:
        name = row.get(name_col, "")
        if not name:
            continue
        aliases = tuple(a.strip() for a in re.split(r"[、;；|]", row.get(alias_col, "") if alias_col else "") if a.strip())
        flag = (row.get(served_col, "") if served_col else "").casefold()
        served = True if flag in _YES else False if flag in _NO else None
        out.append(Enterprise(name=name, aliases=aliases, served=served))
    if not out:
        raise ListError(f"“{path.name}”中没有企业")
    return out
