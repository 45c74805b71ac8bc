"""One filled sheet read into a `Sheet`: whose it is (center, year, expert) and each item's entry, with
the checks of one sheet (score above the maximum, blank, band against score, auto item changed).

Rows are matched by the item's number and title, never by position: an expert may move, split or
delete rows. Columns are found by the table's header (序号 / 评价内容 / 得分 / 量化标准 / 核查说明 for
annex 5; 二级指标 or 指标 / 评分标准 / 得分 for annex 2 tables 1 and 2).
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from pathlib import Path

from imtc import findings as F
from imtc.models import Location
from imtc.panel.models import Mark, Sheet
from imtc.panel.read import RawSheet, Row
from imtc.score_assist.rubric import Item, Rubric, load_rubric

TICKS = "■☑☒✓✔√▣◼●◉"
BOXES = "□☐" + TICKS
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PREFILL = re.compile(r"工具预填（可修改）：.*?得(\d+)分")
_SIGNATURE = re.compile(r"(?:评审专家[（(]签名[）)]|专家签名|专家[（(]签名[）)]|评审专家)[：:]\s*(?!评价日期|日期)([^\s：:]{2,12}?)\s*(?:评价日期|日期|$)")
_NAME_IN_FILE = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_FILE_WORDS = ("附件", "评价", "细则", "评分", "报告", "专家", "表", "中心", "预填")


def norm(text: str) -> str:
    """NFKC, no whitespace or punctuation: for comparing titles and headers."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"[\s\W_]+", "", text)


def _title(text: str) -> str:
    return norm(re.sub(r"[（(]\s*\d+\s*分\s*[）)]", "", text or ""))


# --- whose sheet --------------------------------------------------------------------------------------


def _field(paragraphs: list[str], label: str) -> str | None:
    for p in paragraphs:
        m = re.match(rf"\s*{label}\s*[：:]\s*(.+?)\s*$", p)
        if m and m.group(1).strip("\u3000 _"):
            return m.group(1).strip("\u3000 _")
    return None


def _year(paragraphs: list[str]) -> int | None:
    text = _field(paragraphs, "评价对象") or ""
    m = re.search(r"(\d{4})年度", unicodedata.normalize("NFKC", text))
    return int(m.group(1)) if m else None


def expert_name(raw: RawSheet) -> tuple[str | None, str | None]:
    """The name signed on the sheet (paragraphs, then table cells), else a name in the file name."""
    texts = list(raw.paragraphs) + [c for t in raw.tables for r in t for c in r.cells]
    for text in texts:
        m = _SIGNATURE.search(unicodedata.normalize("NFKC", text).replace("\u3000", " "))
        if m:
            return m.group(1), "签名"
    for part in re.split(r"[-_ .（）()、，,+]+", Path(raw.file).stem):
        if _NAME_IN_FILE.match(part) and not any(w in part for w in _FILE_WORDS):
            return part, "文件名"
    return None, None


# --- the scoring tables --------------------------------------------------------------------------------

ANNEX5_HEADER = {"number": "序号", "title": "评价内容", "points": "得分", "bands": "量化标准", "check": "核查说明"}
ANNEX2_HEADER = {"title": ("二级指标", "指标"), "points": "得分", "standard": "评分标准"}


def _columns(row: Row) -> tuple[str, dict[str, int]] | None:
    cells = [norm(c) for c in row.cells]

    def col(word: str) -> int | None:
        return cells.index(word) if word in cells else None

    if all(col(w) is not None for w in ("序号", "评价内容", "得分")):
        return "annex5", {k: col(w) for k, w in ANNEX5_HEADER.items() if col(w) is not None}
    if col("得分") is not None and col("评分标准") is not None:
        if col("二级指标") is not None:
            return "annex2-1", {"title": col("二级指标"), "points": col("得分")}
        if col("指标") is not None:
            return "annex2-2", {"title": col("指标"), "points": col("得分")}
    return None


def scoring_rows(raw: RawSheet) -> tuple[str | None, list[tuple[str, dict[str, int], Row, int]]]:
    """(rubric, [(table kind, columns, row, 1-based row number)]) of every row under a scoring header;
    a table without a header continues the previous one's columns (a PDF table cut by a page)."""
    out = []
    rubric = None
    current: tuple[str, dict[str, int]] | None = None
    number = 0
    for table in raw.tables:
        width = len(table[0].cells) if table else 0
        if current is not None and max(current[1].values()) >= width:
            current = None
        for row in table:
            header = _columns(row)
            if header is not None:
                current = header
                rubric = rubric or ("annex5" if header[0] == "annex5" else "annex2")
                continue
            if current is not None:
                number += 1
                out.append((current[0], current[1], row, number))
    return rubric, out


def _cell(row: Row, columns: dict[str, int], name: str) -> str:
    i = columns.get(name)
    return row.cells[i] if i is not None and i < len(row.cells) else ""


def match_item(rubric: Rubric, kind: str, number: str, title: str) -> Item | None:
    """The rubric item a row is: by number and title; by title alone; by a number that is a key."""
    t, n = _title(title), norm(number)
    if not t and not n:
        return None
    items = rubric.items
    if kind == "annex2-2":
        items = [i for i in items if i.part == "site"]
    elif kind == "annex2-1":
        items = [i for i in items if i.part != "site"]
    by_title = [i for i in items if _title(i.title) == t] if t else []
    if len(by_title) == 1:
        return by_title[0]
    by_number = [i for i in (by_title or items) if norm(_number_of(i)) == n and n]
    if len(by_number) == 1:
        return by_number[0]
    return None


def _number_of(item: Item) -> str:
    return item.key.split(".", 1)[1] if item.key[0] in "二三" else item.key


# --- the 得分 cell ----------------------------------------------------------------------------------------


def parse_points(text: str) -> tuple[Fraction | None, str | None, str]:
    """(points, problem, the words beside the number). Full-width digits, units (分), 自动/建议 notes,
    a Chinese numeral (八分) are read; several numbers or none readable is a problem."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"(?m)^\s*(自动|建议)\s*$", "", t).strip()
    if not t or not t.strip("\u3000 _-—/"):
        return None, None, ""
    numbers = _NUMBER.findall(t)
    rest = _NUMBER.sub("", t)
    rest = re.sub(r"得分|分值|分数|分|[：:，,。\s]", "", rest)
    if not numbers:
        cn = re.fullmatch(r"\s*(十|十?[一二两三四五六七八九]|[一二两三四五六七八九]?十[一二三四五六七八九]?|零)\s*分?\s*", t)
        if cn:
            return Fraction(_chinese(cn.group(1))), None, ""
        return None, "不是数字", rest
    if len(set(numbers)) > 1:
        return None, "含有多个数字", rest
    if re.search(r"-\s*" + re.escape(numbers[0]), t) and not re.search(r"\d\s*-", t):
        return Fraction(numbers[0]) * -1, None, rest
    return Fraction(numbers[0]), None, rest


def _chinese(text: str) -> int:
    if text == "零":
        return 0
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return _CN_DIGITS[text]


def ticked_bands(item: Item, text: str) -> list[str]:
    """The rubric bands whose line in 量化标准 starts with a tick (■, ☑, √ …)."""
    out = []
    for line in (text or "").splitlines():
        s = line.strip()
        if not s or s[0] not in TICKS:
            continue
        body = norm(s.lstrip(BOXES))
        for band in item.bands:
            b = norm(band.text)
            if body and (body == b or b.startswith(body) or body.startswith(b)):
                out.append(band.text)
                break
    return out


# --- one sheet ------------------------------------------------------------------------------------------


def item_label(item: Item) -> str:
    """How a finding names an item: "1.2.1 购置计划完成情况", "二.1 …"; annex 2 by its name ("现场核查：质量体系")."""
    if item.key == item.title:
        return item.title
    if item.key.endswith("/" + item.title):
        return item.key.replace("/", "：")
    return f"{item.key} {item.title}"


def _label(item: Item) -> dict[str, str]:
    return {"item": item_label(item)}


def read_marks(sheet: Sheet, rubric: Rubric, rows: list[tuple[str, dict[str, int], Row, int]],
               auto: dict[str, int]) -> None:
    """Fill sheet.marks from the scoring rows and add the per-item findings. `auto`: the points imtc
    pre-filled, from the identifier (else the 工具预填 line printed in the row is read)."""
    who = sheet.expert or sheet.file
    for kind, columns, row, number in rows:
        item = match_item(rubric, kind, _cell(row, columns, "number"), _cell(row, columns, "title"))
        if item is None or item.key in sheet.marks:
            continue
        raw = _cell(row, columns, "points").strip()
        loc = Location(file=sheet.file, item=item.key, row=number, field="得分")
        points, problem, words = parse_points(raw)
        mark = Mark(key=item.key, raw=raw, row=number)
        prefill = _PREFILL.search(_cell(row, columns, "check").replace("\n", ""))
        mark.prefilled = auto.get(item.key, int(prefill.group(1)) if prefill else None)
        bands = ticked_bands(item, _cell(row, columns, "bands"))
        mark.band = bands[0] if len(bands) == 1 else None
        beside = [words] if words and problem is None else []  # "8（资料不全）": the words are a comment
        mark.comment = "\n".join(beside + row.comments)
        sheet.marks[item.key] = mark
        if problem:
            sheet.findings.append(F.PANEL_SCORE_UNREADABLE(loc, expert=who, text=raw, problem=problem, **_label(item)))
            continue
        if points is None:
            continue
        _check_points(sheet, item, mark, points, bands, loc)


def _check_points(sheet: Sheet, item: Item, mark: Mark, points: Fraction, bands: list[str], loc: Location) -> None:
    who = sheet.expert or sheet.file
    shown = int(points) if points.denominator == 1 else float(points)
    if points < 0 or points > item.max:
        sheet.findings.append(F.PANEL_SCORE_ABOVE_MAX(loc, expert=who, points=shown, max=item.max, **_label(item)))
        return
    if points.denominator != 1:
        sheet.findings.append(F.PANEL_SCORE_NOT_WHOLE(loc, expert=who, points=shown, **_label(item)))
    mark.points = shown
    if len(bands) > 1:
        sheet.findings.append(F.PANEL_BANDS_SEVERAL(loc, expert=who, count=len(bands), **_label(item)))
    elif bands:
        band = next(b for b in item.bands if b.text == bands[0])
        if not band.low <= points <= band.high:
            sheet.findings.append(F.PANEL_BAND_MISMATCH(loc, expert=who, band=band.text, points=shown, **_label(item)))
    if mark.prefilled is not None and mark.prefilled != points:
        sheet.findings.append(F.PANEL_AUTO_CHANGED(loc, expert=who, prefilled=mark.prefilled, points=shown,
                                                   **_label(item)))


def read_filled(raw: RawSheet) -> Sheet:
    """A RawSheet -> a Sheet with its marks and findings (blank and missing items included)."""
    ident = raw.identity or {}
    expert, expert_from = expert_name(raw)
    kind, rows = scoring_rows(raw)
    rubric_name = ident.get("rubric") or kind
    sheet = Sheet(file=raw.file, format=raw.format, expert=expert, expert_from=expert_from, rubric=rubric_name,
                  center=ident.get("center") or _field(raw.paragraphs, "中心名称"),
                  year=ident.get("year") or _year(raw.paragraphs), sha256=ident.get("sha256"),
                  identified_by="文档属性" if ident.get("center") else ("文档关键词与表内字段" if ident else "表内字段"))
    if expert is None:
        sheet.expert = Path(raw.file).stem
        sheet.findings.append(F.PANEL_EXPERT_UNKNOWN(Location(file=raw.file), file=raw.file, name=sheet.expert))
    if not rows or rubric_name not in ("annex5", "annex2"):
        sheet.counted = False
        sheet.findings.append(F.PANEL_NO_TABLE(Location(file=raw.file), file=raw.file))
        return sheet
    rubric = load_rubric(rubric_name)
    read_marks(sheet, rubric, rows, ident.get("auto") or {})
    for item in rubric.items:
        mark = sheet.marks.get(item.key)
        loc = Location(file=raw.file, item=item.key, field="得分")
        if mark is None:
            sheet.findings.append(F.PANEL_ITEM_MISSING(loc, expert=sheet.expert, **_label(item)))
        elif parse_points(mark.raw)[:2] == (None, None):
            loc.row = mark.row
            sheet.findings.append(F.PANEL_ITEM_BLANK(loc, expert=sheet.expert, **_label(item)))
    return sheet

