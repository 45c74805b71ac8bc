"""Build the sample documents and, beside each, the extraction imtc should give.

    python samples/build.py [--out DIR] [--no-libreoffice] [--pdf-twin SLUG]

For each application in samples/content/ (see content/SCHEMA.md) it writes <slug>.docx (typed
heading labels), <slug>-autonum.docx (Word's automatic numbering for headings and 序号) and
<slug>-lo.docx (the same document after LibreOffice: docx -> odt -> docx); from the first
application (power-battery) also blank-template.docx and the defect-*.docx variants; for each
annual report <slug>.docx (laid out as STYLES says); unrelated.docx; and, when samples/hostile.py
exists, its files under hostile/. Each <name>.docx gets <name>.expected.json.

LibreOffice runs with the builder's own fonts, a fresh profile and a fixed locale
(samples/libreoffice.py), so the machine's other fonts change nothing; built-with.json records
LibreOffice's version and the fonts' checksums, which the LibreOffice-made bytes depend on.

The truth is computed from what the builder itself put in the document (the `blocks` below),
following CONTRACT.md and docs/validation.md; it never runs imtc. The layout of the templates
(outline, guidance texts, table headers, cover) is data in samples/layout/.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import sys
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import libreoffice  # noqa: E402  (LibreOffice with the builder's own fonts, profile and locale)
from docxgen import (  # noqa: E402
    Cell,
    DocWriter,
    Level,
    Row,
    Seg,
    Text,
    accepted,
    normalize_zip,
    pin_core_dates,
)

LAYOUTS = {kind: tomllib.loads((HERE / "layout" / f"{name}.toml").read_text("utf-8"))
           for kind, name in (("application", "annex1"), ("annual_report", "annex4"))}

# docs/validation.md, "Required fields".
REQUIRED = {
    "calibration_needs": ["parameter", "range", "requirement"],
    "key_parameter_needs": ["parameter", "range", "requirement"],
    "traceability": ["need_parameter", "need_range"],
    "equipment": ["name", "model", "investment_wan"],
    "calibration_items": ["instrument", "quantity", "specification", "range"],
    "key_parameter_items": ["parameter", "range", "specification", "instrument"],
    "roadmaps": ["milestone", "focus", "goal"],
}
for _base in ("equipment", "calibration_items", "key_parameter_items"):
    REQUIRED[_base + "_plan"] = REQUIRED[_base + "_done"] = REQUIRED[_base]
NO_AMOUNT = {"/", "—", "-", "无"}
CN_DIGITS = "〇一二三四五六七八九"


# --- what a document is made of ---------------------------------------------------------------


@dataclass
class Heading:
    key: str
    label: str  # the template's typed number, "一、"
    title: str

    @property
    def level(self) -> int:
        return self.key.count(".") + 1


@dataclass
class Para:
    text: Text
    content: bool = False  # real content: makes its section present (guidance, labels do not)
    look: dict = field(default_factory=dict)  # DocWriter.paragraph keywords


@dataclass
class DataRow:
    values: dict[str, str]  # each cell's text once every tracked change is accepted
    written: dict[str, Text] = field(default_factory=dict)  # cells written otherwise (revisions)
    change: str | None = None  # "ins" | "del": a tracked row


@dataclass
class TableBlock:
    kind: str
    rows: list[DataRow]
    area: str | None = None  # roadmaps: frontier | equipment_method | common_technology
    blank_rows: int = 0  # empty rows after the data (the template's own, or left over)
    placeholders: bool = False  # blank rows carry the template's placeholders (新建/已建)
    total: str = ""  # the 合计 row's amount as written
    total_field: str | None = None  # "simple" | "complex": the amount is a =SUM(ABOVE) field
    header: list | None = None  # header rows written otherwise than the template's
    split_at: int | None = None  # the data row where a second Word table begins
    split_header: bool = True  # the second part repeats the header row


@dataclass
class Style:
    """How an applicant lays the content out; varies across samples."""

    headings: str = "styles"  # "styles": Word's Heading 1-3; "bold": bold Normal paragraphs
    autonum: bool = False  # headings and 序号 numbered by Word
    date: str = "ymd"  # ymd 2024年6月10日 | cn 二〇二四年六月十日 | spaced 2024 年 6 月 10 日
    cover_labels: str = "compact"  # "compact" 中心名称： | "template" 中   心   名  称：
    guidance: bool = False  # leave the template's guidance texts above the content
    breaks: str = "br"  # header cells' line breaks: "br" or separate paragraphs ("para")
    total_field: str = "simple"  # the 合计 amount: "simple" fldSimple | "complex" fldChar
    merge: tuple[str, ...] = ("basis",)  # fields merged vertically over equal neighbours
    trailing_blank: dict[str, int] = field(default_factory=dict)  # kind -> blank rows left


STYLES = {
    "power-battery": Style(merge=("basis", "stage")),
    "integrated-circuit": Style(headings="bold", date="cn", cover_labels="template", guidance=True,
                                breaks="para", total_field="complex",
                                trailing_blank={"calibration_needs": 1}),
    "smart-pv": Style(date="spaced", guidance=True, total_field="complex",
                      trailing_blank={"calibration_items": 2}),
    "report-power-battery-2024": Style(headings="bold"),
    "report-power-battery-2025": Style(date="cn", guidance=True),
    "report-integrated-circuit-2024": Style(headings="bold", date="spaced", guidance=True),
    "report-integrated-circuit-2025": Style(autonum=True),
}


# --- values as CONTRACT.md reads them -------------------------------------------------------


def clean(text: str | None) -> str | None:
    """Whitespace runs collapsed to one space and trimmed; None for an empty cell."""
    return " ".join((text or "").split()) or None


def parse_amount(text: str | None) -> Decimal | None:
    """An amount cell as a number: full-width digits and a 万元 unit read; "/" and empty None.
    Raises ValueError for text that is no number (amount-not-number)."""
    text = clean(text)
    if text is None or text in NO_AMOUNT:
        return None
    text = unicodedata.normalize("NFKC", text).removesuffix("万元").strip()
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


def json_number(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def amount_text(d: Decimal) -> str:
    return f"{d.normalize():f}"


def format_date(iso: str, style: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    if style == "cn":
        return "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{cn_number(m)}月{cn_number(d)}日"
    if style == "spaced":
        return f"{y} 年 {m} 月 {d} 日"
    return f"{y}年{m}月{d}日"


def cn_number(n: int) -> str:
    """1-31 as written in dates: 十, 十一, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def parent(key: str) -> str | None:
    return key.rsplit(".", 1)[0] if "." in key else None


# --- documents as blocks --------------------------------------------------------------------


def section_blocks(layout: dict, content: dict, style: Style, blank: bool = False) -> list:
    blocks: list = []
    texts = content.get("sections", {})
    for sec in layout["sections"]:
        key = sec["key"]
        blocks.append(Heading(key, sec["label"], sec["title"]))
        if blank or style.guidance:
            blocks += [Para(g) for g in sec.get("guidance", [])]
        if blank:
            blocks += [Para(label) for label in sec.get("labels", [])]
        blocks += [Para(t, content=True) for t in texts.get(key, [])]
        if "table" in sec:
            blocks.append(table_block(layout, sec, content, style, blank))
    return blocks


def table_block(layout: dict, sec: dict, content: dict, style: Style, blank: bool) -> TableBlock:
    kind, area = sec["table"], sec.get("area")
    lt = layout["tables"][kind]
    if blank:
        return TableBlock(kind, [], area, blank_rows=lt["blank_rows"], placeholders=True)
    source = [r for r in content.get("tables", {}).get(kind, []) if r.get("area") == area]
    fields = lt["fields"]
    rows = [DataRow({f: str(r.get(f, "")) for f in fields if f != "seq"}) for r in source]
    if "seq" in fields:
        for i, row in enumerate(rows, 1):
            row.values["seq"] = str(i)
    t = TableBlock(kind, rows, area, blank_rows=style.trailing_blank.get(kind, 0))
    if "total" in lt:
        set_total(t, style.total_field)
    return t


def set_total(t: TableBlock, how: str | None, extra: Decimal = Decimal(0)) -> None:
    """The 合计 amount: the sum of the rows (plus `extra`), as a SUM field or typed."""
    amounts = [parse_amount(r.values.get("investment_wan")) for r in t.rows if r.change != "del"]
    amounts = [a for a in amounts if a is not None]
    t.total = amount_text(sum(amounts, Decimal(0)) + extra) if amounts else ""
    t.total_field = how if amounts else None


def application_blocks(content: dict, style: Style, blank: bool = False) -> list:
    layout = LAYOUTS["application"]
    cover = layout["cover"]
    blocks: list = [Para(cover["title"], look=dict(center=True, bold=True, size=22)), Para(""), Para("")]
    for line in cover["lines"]:
        label = line["label"] if blank or style.cover_labels == "template" else re.sub(r"\s", "", line["label"])
        if blank:
            value = cover["blank_date"] if line["field"] == "submitted_on" else " " * 28
        elif line["field"] == "submitted_on":
            value = format_date(content["submitted_on"], style.date)
        else:
            value = content[line["field"]]
        blocks.append(Para(f"{label}{value}{line['suffix']}", look=dict(size=16)))
    blocks.append(Para("", look=dict(page_break=True)))
    title = cover["doc_title"] if blank else f"{content['center_name']}申请书"
    blocks.append(Para(title, look=dict(center=True, bold=True, size=18)))
    return blocks + section_blocks(layout, content, style, blank)


def report_blocks(content: dict, style: Style) -> list:
    layout = LAYOUTS["annual_report"]
    year, (y, m, _d) = content["report_year"], content["submitted_on"].split("-")
    plan = f"{year}年度工作总结和{year + 1}年度工作计划"
    big = dict(center=True, bold=True, size=22)
    blocks: list = [Para(layout["cover"]["lines_before"][0], look=big), Para(plan, look=big), Para(""),
                    Para(content["center_name"], look=dict(center=True, size=16)),
                    Para(f"{int(y)}年{int(m)}月", look=dict(center=True, size=16, page_break=True)),
                    Para(f"{content['center_name']}{plan}", look=dict(center=True, bold=True, size=18))]
    blocks += section_blocks(layout, content, style)
    right = dict(right=True)
    return blocks + [Para(""), Para(f"建设单位：{content['applicant']}（盖章）", look=right),
                     Para(f"单位负责人：{content['responsible_person']}（签名）", look=right),
                     Para(f"报送日期：{format_date(content['submitted_on'], style.date)}", look=right)]


# --- blocks -> .docx ------------------------------------------------------------------------


def render(blocks: list, kind: str, style: Style, path: Path, author: str, title: str,
           track: bool = False, ruled: bool = True, rows_split: bool = False) -> None:
    w = DocWriter(author=author, ruled=ruled, rows_split=rows_split)
    if track:
        w.track_revisions()
    heading_num = seq_def = None
    if style.autonum:
        heading_def = w.abstract_numbering([Level("chineseCounting", "%1、"),
                                            Level("chineseCounting", "（%2）"), Level("decimal", "%3.")])
        heading_num = w.numbering(heading_def, restart=False)
        seq_def = w.abstract_numbering([Level("decimal", "%1")])
    for b in blocks:
        if isinstance(b, Heading):
            text = b.title if style.autonum else b.label + b.title
            num = (heading_num, b.level - 1) if style.autonum else None
            if style.headings == "styles":
                w.paragraph(text, style=f"Heading{b.level}", num=num)
            else:
                w.paragraph(text, bold=True, size={1: 16, 2: 14, 3: 12}[b.level], num=num)
        elif isinstance(b, Para):
            w.paragraph(b.text, **b.look)
        else:
            lt = LAYOUTS[kind]["tables"][b.kind]
            seq_num = w.numbering(seq_def) if seq_def is not None and "seq" in lt["fields"] else None
            for i, rows in enumerate(table_parts(b, lt, style, seq_num)):
                if i:
                    w.paragraph("", page_break=b.split_header)
                w.table(rows)
    w.save(path, title=title)


def table_parts(t: TableBlock, lt: dict, style: Style, seq_num: int | None) -> list[list[Row]]:
    """The Word table(s) of a table block: one, or two where it is split."""
    fields = lt["fields"]
    ncols = len(fields)
    title = [Row([Cell(lt["title"], span=ncols, center=True, bold=True)])] if "title" in lt else []
    header = [Row([header_cell(c, style.breaks) for c in hr], header=True) for hr in t.header or lt["header"]]
    marks = {f: merge_marks(t.rows, f, t.split_at) for f in style.merge if f in fields}
    body = []
    for i, r in enumerate(t.rows):
        cells = []
        for f in fields:
            mark = marks[f][i] if f in marks else None
            if f == "seq" and seq_num is not None:
                cells.append(Cell("", num=seq_num, center=True))
            elif mark == "continue":
                cells.append(Cell("", vmerge="continue"))
            else:
                cells.append(Cell(r.written.get(f, r.values.get(f, "")), vmerge=mark, center=f == "seq"))
        body.append(Row(cells, change=r.change))
    place = lt.get("placeholders", {}) if t.placeholders else {}
    tail = [Row([Cell(place.get(str(c), [""] * t.blank_rows)[i]) for c in range(ncols)])
            for i in range(t.blank_rows)]
    if "total" in lt:
        span = lt["total_span"]
        amount = Cell(t.total, center=True, field="=SUM(ABOVE)" if t.total_field else None,
                      complex_field=t.total_field == "complex")
        tail.append(Row([Cell(lt["total"], span=span, center=True), amount]
                        + [Cell() for _ in range(ncols - span - 1)]))
    if "note" in lt:
        tail.append(Row([Cell(lt["note"], span=ncols)]))
    if t.split_at is None:
        return [title + header + body + tail]
    return [title + header + body[:t.split_at],
            (header if t.split_header else []) + body[t.split_at:] + tail]


def header_cell(spec, breaks: str) -> Cell:
    if isinstance(spec, str):
        return Cell(spec, center=True, breaks=breaks)
    return Cell(spec.get("text", ""), span=spec.get("span", 1), vmerge=spec.get("vmerge"), center=True)


def merge_marks(rows: list[DataRow], f: str, split_at: int | None) -> list[str | None]:
    """vMerge marks for field f: consecutive untracked rows with the same non-empty value."""
    marks: list[str | None] = [None] * len(rows)
    for i in range(1, len(rows)):
        a, b = rows[i - 1], rows[i]
        if (i != split_at and not a.change and not b.change and f not in a.written and f not in b.written
                and a.values.get(f) and a.values.get(f) == b.values.get(f)):
            marks[i] = "continue"
            marks[i - 1] = marks[i - 1] or "restart"
    return marks


# --- blocks -> expected extraction ----------------------------------------------------------


def expected(name: str, kind: str, meta: dict, blocks: list, extra: list[tuple]) -> dict:
    layout = LAYOUTS[kind]
    sections, tables = outline_status(layout, blocks)
    findings = set(extra)
    out_tables = {}
    for kind_t, lt in layout["tables"].items():
        out_tables[kind_t], not_numbers = table_truth(lt, tables.get(kind_t, []))
        if not_numbers:
            findings.add(("amount-not-number", table_section(layout, kind_t)))
    findings |= validate(kind, meta, sections, out_tables)
    return {"file": f"{name}.docx", "kind": kind, "meta": meta, "sections": sections, "tables": out_tables,
            "findings": [{"code": c, "section": s} for c, s in sorted(findings, key=lambda f: (f[0], f[1] or ""))]}


def outline_status(layout: dict, blocks: list) -> tuple[dict[str, str], dict[str, list[TableBlock]]]:
    """Each outline key's status, and the table blocks of each kind in document order."""
    keys = [s["key"] for s in layout["sections"]]
    found, filled, tables, current = set(), set(), {}, None
    for b in blocks:
        if isinstance(b, Heading):
            current = b.key
            found.add(b.key)
        elif isinstance(b, Para) and b.content and clean(accepted(b.text)):
            filled.add(current)
        elif isinstance(b, TableBlock):
            tables.setdefault(b.kind, []).append(b)
            if any(r.change != "del" for r in b.rows):
                filled.add(current)
    status: dict[str, str] = {}
    for key in reversed(keys):  # children before their parent
        if key not in found:
            status[key] = "missing"
        elif key in filled or any(status[k] == "present" for k in keys if parent(k) == key):
            status[key] = "present"
        else:
            status[key] = "empty"
    return {k: status[k] for k in keys}, tables


def table_truth(lt: dict, blocks: list[TableBlock]) -> tuple[dict, bool]:
    """A table kind as the contract gives it; True where an amount cell is no number."""
    rows, not_numbers = [], False
    for t in blocks:
        for r in t.rows:
            if r.change == "del":
                continue
            row = {"area": t.area} if t.area else {}
            for f in lt["fields"]:
                row[f] = clean(r.values.get(f))
            if "investment_wan" in row:
                try:
                    row["investment_wan"] = json_number(parse_amount(row["investment_wan"]))
                except ValueError:
                    row["investment_wan"], not_numbers = None, True
            rows.append(row)
    entry = {"status": "missing" if not blocks else "present" if rows else "empty", "rows": rows}
    if "total" in lt:
        entry["total_wan"] = next((json_number(parse_amount(t.total)) for t in blocks if clean(t.total)), None)
    return entry, not_numbers


def table_section(layout: dict, kind: str) -> str:
    return next(s["key"] for s in layout["sections"] if s.get("table") == kind)


def validate(kind: str, meta: dict, sections: dict, tables: dict) -> set[tuple]:
    """docs/validation.md's rules over the truth: the findings as (code, section) pairs."""
    layout = LAYOUTS[kind]
    out: set[tuple] = set()
    suggested = {s2["key"] for s in layout["sections"] if "建议包括以下条目" in "".join(s.get("guidance", []))
                 for s2 in layout["sections"] if parent(s2["key"]) == s["key"]}
    for key, st in sections.items():
        above = parent(key)
        if st == "missing" and (above is None or sections[above] != "missing"):
            out.add(("section-suggested-missing" if key in suggested else "section-missing", key))
        if st == "empty" and not any(parent(k) == key for k in sections):
            out.add(("section-empty", key))
    for kind_t, t in tables.items():
        sec = table_section(layout, kind_t)
        optional = layout["tables"][kind_t].get("optional", False)
        if t["status"] == "missing" and sections[sec] != "missing" and not optional:
            out.add(("table-missing", sec))
        if t["status"] == "empty" and sections[sec] == "present":
            out.add(("table-empty", sec))
        out |= {(code, sec) for code in row_findings(kind_t, t)}
        out |= {(code, sec) for code in crosscheck_findings(kind_t, t, meta)}
    if kind == "application" and planned_unmatched(tables):
        out.add(("planned-need-unmatched", table_section(layout, "calibration_needs")))
    if meta.get("report_year") and meta.get("submitted_on") and int(meta["submitted_on"][:4]) < meta["report_year"]:
        out.add(("submitted-before-report-year", None))
    name = meta["center_name"]
    pattern = r"^浙江省.+(产业|碳)计量测试中心$"
    if kind == "annual_report":
        pattern += r"|^国家.+(产业|碳)计量测试中心$"
    if name is None:
        out.add(("center-name-absent", None))
    elif not re.match(pattern, name):
        out.add(("center-name-form", None))
    return out


def row_findings(kind: str, t: dict) -> set[str]:
    rows, out = t["rows"], set()
    if "total_wan" in t:
        amounts = [r["investment_wan"] for r in rows if r["investment_wan"] is not None]
        if amounts and t["total_wan"] is not None and abs(sum(amounts) - t["total_wan"]) > 0.005:
            out.add("total-mismatch")
        if amounts and t["total_wan"] is None:
            out.add("total-absent")
        if any(r["status"] is not None and r["status"].strip() not in ("新建", "已建") for r in rows):
            out.add("equipment-status-invalid")
    seqs = [r["seq"].strip() for r in rows if r.get("seq") is not None]
    if seqs and all(s.isdigit() and int(s) > 0 for s in seqs):
        numbers = [int(s) for s in seqs]
        if any(b > a + 1 for a, b in zip(numbers, numbers[1:], strict=False)):
            out.add("seq-gap")
        if len(set(numbers)) < len(numbers):
            out.add("seq-repeat")
    if any(r[f] is None for r in rows for f in REQUIRED[kind]):
        out.add("required-field-empty")
    return out


# docs/validation.md, "Cross-checks". The builder's samples hold no malformed or missing code, so
# only the year half of spec-code-malformed is written out here; year-inconsistent needs dates the
# entity truth does not carry, and no sample has one.
SPEC_FIELD = {"calibration_items": "specification", "key_parameter_items": "specification", "traceability": "basis"}
DOMESTIC_CODE = re.compile(r"(?:JJ[FG]\s*[(（][\u4e00-\u9fff]{1,2}[)）]|JJF|JJG|GB/T|GB|DB\d{2}/T)\s*\d+(?:\.\d+)*(?:\s*-\s*(\d+))?")
NO_TRACE = ("无法溯源", "不能溯源", "不可溯源", "无溯源", "暂无")


def crosscheck_findings(kind: str, t: dict, meta: dict) -> set[str]:
    out: set[str] = set()
    base = kind.removesuffix("_plan").removesuffix("_done")
    ref = meta.get("report_year") or (int(meta["submitted_on"][:4]) if meta.get("submitted_on") else None)
    for r in t["rows"]:
        spec = r.get(SPEC_FIELD.get(base, ""))
        for m in DOMESTIC_CODE.finditer(spec or ""):
            year = m.group(1)
            if year is None or len(year) != 4 or int(year) < 1950 or (ref and int(year) > ref + 1):
                out.add("spec-code-malformed")
        if base == "calibration_items" and spec and not re.search(r"[A-Z]", spec):
            out.add("spec-code-absent")
        if kind == "traceability" and r["status"] and any(w in r["status"] for w in NO_TRACE):
            out.add("traceability-gap")
        if kind == "equipment_plan" and r["investment_wan"] is None and r["name"]:
            out.add("plan-amount-missing")
    return out


def planned_unmatched(tables: dict) -> bool:
    """A need marked 是 that shares no run of half its characters (2 at least) with any calibration
    item (instrument|quantity) or instrument (name|parameter)."""
    from difflib import SequenceMatcher

    texts = [f"{r['instrument'] or ''}|{r['quantity'] or ''}" for r in tables["calibration_items"]["rows"]]
    texts += [f"{r['name'] or ''}|{r['parameter'] or ''}" for r in tables["equipment"]["rows"]]
    if not texts:
        return False
    for r in tables["calibration_needs"]["rows"]:
        if (r["planned"] or "").strip() != "是" or not r["parameter"]:
            continue
        p = re.sub(r"[（(][^）)]*[）)]", "", r["parameter"]).replace(" ", "")
        need = max(2, -(-len(p) // 2))
        if p and not any(SequenceMatcher(None, p, t, autojunk=False).find_longest_match(0, len(p), 0, len(t)).size >= need
                         for t in texts):
            return True
    return False


def entities_truth(content: dict) -> dict:
    """The content file's [entities], by hand from the prose: lists as written, counts as numbers."""
    out = {k: [dict(e) for e in content.get(k, [])] for k in ("patents", "standards", "projects", "awards", "papers")}
    for k in ("talks", "trainings", "cases", "cases_other_industry"):
        out[k] = content.get(k, 0)
    return out


# --- variants of the power-battery application ---------------------------------------------


def bodies(blocks: list) -> list[tuple[str | None, list]]:
    """The blocks cut at headings: (key, [heading and what follows]) in order."""
    out: list[tuple[str | None, list]] = [(None, [])]
    for b in blocks:
        if isinstance(b, Heading):
            out.append((b.key, []))
        out[-1][1].append(b)
    return out


def join(parts: list[tuple[str | None, list]]) -> list:
    return [b for _, body in parts for b in body]


def table_of(blocks: list, kind: str) -> TableBlock:
    return next(b for b in blocks if isinstance(b, TableBlock) and b.kind == kind)


def drop_sections(blocks: list, keys: set[str]) -> list:
    return join([(k, body) for k, body in bodies(blocks) if k not in keys])


def replace_bodies(blocks: list, new: dict[str, list]) -> list:
    """Each key's heading followed by new[key] instead of what it had."""
    return join([(k, body[:1] + new[k] if k in new else body) for k, body in bodies(blocks)])


def defect_missing_sections(blocks: list) -> list:
    return drop_sections(blocks, {"3", "5.2", "8.4", "12"})


def defect_empty_sections(blocks: list) -> list:
    guidance = {s["key"]: s.get("guidance", []) for s in LAYOUTS["application"]["sections"]}
    return replace_bodies(blocks, {
        "7.1": [Para(g) for g in guidance["7.1"]],
        "10.2": [Para("建设任务："), Para("建设措施：")],
        "5.1": [TableBlock("calibration_needs", [], blank_rows=6)],
        "11": [],
    })


def defect_equipment(blocks: list) -> list:
    equipment = table_of(blocks, "equipment")
    rows = equipment.rows
    assert len(rows) >= 6, "the equipment defects need 6 rows"
    for i, r in enumerate(rows):
        r.values["seq"] = str(i + 1 if i < 3 else i + 2)  # 1, 2, 3, 5, 6, ...
    rows[0].values["investment_wan"] = "１２０"
    rows[1].values["investment_wan"] = "120万元"
    rows[2].values["investment_wan"] = "85.5"
    rows[3].values.update(investment_wan="/", status="已建")
    rows[4].values["status"] = "拟购"
    rows[5].values["model"] = ""
    set_total(equipment, None, extra=Decimal("50"))  # typed, 50 more than the rows
    items = table_of(blocks, "calibration_items").rows
    assert len(items) >= 4, "the seq repeat needs 4 calibration items"
    for i, r in enumerate(items):
        r.values["seq"] = str(i + 1 if i < 3 else i)  # 1, 2, 3, 3, 4, ...
    return blocks


def defect_split_tables(blocks: list) -> list:
    equipment = table_of(blocks, "equipment")
    equipment.split_at = len(equipment.rows) // 2
    items = table_of(blocks, "calibration_items")
    items.split_at, items.split_header = len(items.rows) // 2, False
    table_of(blocks, "key_parameter_items").blank_rows = 3
    table_of(blocks, "traceability").header = [
        [{"text": "序 号", "vmerge": "restart"}, {"text": "试验／检测需求", "span": 3},
         {"text": " 试验/检测系统或设备", "span": 3}, {"text": "校准设备或  计量标准", "span": 3},
         {"text": "依据技术文件\u3000", "vmerge": "restart"}, {"text": "溯源 现状", "vmerge": "restart"}],
        [{"vmerge": "continue"}, "参数名称 ", "范围或量值", "允许误差", "名称\u3000型号", "参数和测量范围",
         "技术要求", "名称型号", "参数和测量范围", " 技术要求", {"vmerge": "continue"}, {"vmerge": "continue"}],
    ]
    return blocks


def defect_tracked_changes(blocks: list) -> list:
    parts = dict(bodies(blocks))
    paras = {k: [b for b in parts[k] if isinstance(b, Para) and b.content] for k in ("2", "4", "6")}
    text = paras["2"][0].text
    cut = text.find("，") + 1 or len(text) // 3
    paras["2"][0].text = [Seg(text[:cut]), Seg("（此处数据待补充）", "del"), Seg(text[cut:cut + 12], "ins"),
                          Seg(text[cut + 12:])]
    paras["6"][-1].text = [Seg(paras["6"][-1].text), Seg("以上数据以年度审计报告为准。", "del")]
    paras["4"][0].text = [Seg(paras["4"][0].text, comment="请补充近三年需求数据的来源。")]
    needs = table_of(blocks, "calibration_needs").rows[0]
    needs.written["requirement"] = [Seg("待定", "del"), Seg(needs.values["requirement"], "ins")]
    equipment = table_of(blocks, "equipment")
    first = equipment.rows[0]
    first.written["model"] = [Seg(first.values["model"], comment="型号请与采购计划核对。")]
    equipment.rows[-1].change = "ins"
    items = table_of(blocks, "calibration_items").rows
    dropped = copy.deepcopy(items[-1])
    dropped.values["seq"], dropped.change = str(len(items) + 1), "del"
    items.append(dropped)
    return blocks


# --- building ---------------------------------------------------------------------------------


def meta_of(content: dict | None) -> dict:
    fields = ("center_name", "applicant", "responsible_person", "submitted_on", "report_year")
    return {f: (content or {}).get(f) for f in fields}


def write(out: Path, name: str, kind: str, blocks: list, meta: dict, style: Style,
          extra: list[tuple] = (), track: bool = False, entities: dict | None = None) -> None:
    render(blocks, kind, style, out / f"{name}.docx", author=meta["applicant"] or "",
           title=meta["center_name"] or "", track=track)
    truth = expected(name, kind, meta, blocks, list(extra))
    if entities is not None:
        truth["entities"] = entities_truth(entities)
    write_json(out / f"{name}.expected.json", truth)
    if PDF_OUT is not None:
        for twin in PDF_TWINS.get(name, []):
            pdf_twin(PDF_OUT, name, kind, blocks, style, meta, truth, **twin)
        for suffix in LEGACY_TWINS.get(name, []):
            legacy_twin(PDF_OUT.parent / "legacy", out / f"{name}.docx", truth, suffix)


# Legacy twins: the .docx saved by LibreOffice as Word 97-2003 .doc (samples/legacy/). WPS Office's
# .wps files are OLE documents of the same family; LibreOffice cannot write one, so the .wps sample
# is the .doc's bytes under a .wps name — it proves the format routing, not WPS's own quirks.
LEGACY_TWINS: dict[str, list[str]] = {
    "power-battery": ["doc", "wps"],
    "report-power-battery-2024": ["doc"],
}


def legacy_twin(out: Path, docx: Path, truth: dict, suffix: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="imtc-doc-") as tmp:
        libreoffice.session().convert(docx, "doc:MS Word 97", tmp)
        data = (Path(tmp) / f"{docx.stem}.doc").read_bytes()
    name = f"{docx.stem}.{suffix}"
    (out / name).write_bytes(data)
    write_json(out / f"{name}.expected.json", truth | {"file": name})


# PDF twins: the same document printed to PDF by LibreOffice (samples/pdf/). Their truth is the
# .docx's. The 合计 is written as plain text there: LibreOffice recomputes Word's =SUM(ABOVE)
# fields when it prints (and gets 0), which Word itself would not.
PDF_TWINS: dict[str, list[dict]] = {
    "power-battery": [{}, {"twin": "power-battery-rows-split", "rows_split": True}],
    "integrated-circuit-autonum": [{}],
    "smart-pv": [{"twin": "smart-pv-ruleless", "ruled": False}],
    "defect-split-tables": [{}],
    "blank-template": [{}],
    "report-power-battery-2025": [{}],
}
PDF_OUT: Path | None = None


def pdf_twin(out: Path, name: str, kind: str, blocks: list, style: Style, meta: dict, truth: dict,
             twin: str | None = None, ruled: bool = True, rows_split: bool = False) -> None:
    twin = twin or name
    static = copy.deepcopy(blocks)
    for b in static:
        if isinstance(b, TableBlock):
            b.total_field = None
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="imtc-pdf-") as tmp:
        src = Path(tmp) / f"{twin}.docx"
        render(static, kind, style, src, author=meta["applicant"] or "", title=meta["center_name"] or "",
               ruled=ruled, rows_split=rows_split)
        libreoffice.session().convert(src, "pdf", tmp)
        data = (Path(tmp) / f"{twin}.pdf").read_bytes()
    (out / f"{twin}.pdf").write_bytes(libreoffice.steady_pdf(pin_pdf(data)))
    write_json(out / f"{twin}.expected.json", truth | {"file": f"{twin}.pdf"})


def pin_pdf(data: bytes) -> bytes:
    """What LibreOffice stamps with the time or at random, replaced by fixed bytes of the same length."""
    data = re.sub(rb"/CreationDate\((D:[^)]*)\)", lambda m: b"/CreationDate(" + b"D:20240601090000Z".ljust(len(m.group(1)), b" ") + b")", data)
    data = re.sub(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]",
                  lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))).replace(m.group(2), b"0" * len(m.group(2))),
                  data)
    return re.sub(rb"/DocChecksum /([0-9A-Fa-f]+)", lambda m: b"/DocChecksum /" + b"0" * len(m.group(1)), data)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")


def build_application(out: Path, content: dict, lo: bool) -> None:
    slug, style, meta = content["slug"], STYLES.get(content["slug"], Style()), meta_of(content)
    write(out, slug, "application", application_blocks(content, style), meta, style)
    write(out, f"{slug}-autonum", "application", application_blocks(content, style), meta,
          replace(style, autonum=True))
    if lo:
        through_libreoffice(out / f"{slug}.docx", out / f"{slug}-lo.docx")
        data = json.loads((out / f"{slug}.expected.json").read_text("utf-8"))
        write_json(out / f"{slug}-lo.expected.json", data | {"file": f"{slug}-lo.docx"})


def build_variants(out: Path, content: dict) -> None:
    style, meta = STYLES.get(content["slug"], Style()), meta_of(content)
    write(out, "blank-template", "application", application_blocks({}, Style(headings="bold"), blank=True),
          meta_of(None), Style(headings="bold"))
    variants = {
        "defect-missing-sections": (defect_missing_sections, []),
        "defect-empty-sections": (defect_empty_sections, []),
        "defect-equipment": (defect_equipment, []),
        "defect-split-tables": (defect_split_tables, []),
        "defect-tracked-changes": (defect_tracked_changes, [("comments-present", None), ("tracked-changes", None)]),
    }
    for name, (change, extra) in variants.items():
        blocks = change(application_blocks(content, style))
        write(out, name, "application", blocks, meta, style, extra, track=name == "defect-tracked-changes")
    odd = content | {"center_name": "浙江动力电池检测中心"}
    write(out, "defect-center-name", "application", application_blocks(odd, style), meta_of(odd), style)


def build_unrelated(out: Path) -> None:
    w = DocWriter(author="办公室")
    w.paragraph("关于召开2024年度全省计量工作会议的通知", bold=True, center=True, size=18)
    for text in [
        "各设区市市场监督管理局，省局各处室、直属单位：",
        "为总结2023年度全省计量工作，部署2024年度重点任务，经研究，定于2024年3月21日召开全省计量工作会议。现将有关事项通知如下：",
        "一、会议时间：2024年3月21日（星期四）上午9:00，会期半天。",
        "二、会议地点：杭州市西湖区某宾馆三楼会议厅。",
        "三、参会人员：各设区市市场监督管理局分管局领导、计量处（科）负责人；省计量院、各产业计量测试中心负责人。",
        "四、有关要求：请各单位于3月15日前将参会回执发送至联系人邮箱，会议不安排住宿。",
        "联系人：李明，联系电话：0571-00000000。",
    ]:
        w.paragraph(text)
    w.paragraph("参会回执", bold=True, center=True)
    w.table([Row([Cell(h, center=True) for h in ("单位名称", "姓名", "职务", "联系电话")], header=True),
             Row([Cell() for _ in range(4)]), Row([Cell() for _ in range(4)])])
    w.paragraph("")
    w.paragraph("浙江省市场监督管理局办公室", right=True)
    w.paragraph("2024年3月8日", right=True)
    w.save(out / "unrelated.docx", title="会议通知")
    write_json(out / "unrelated.expected.json",
               {"file": "unrelated.docx", "kind": "unknown", "meta": meta_of(None), "sections": {}, "tables": {},
                "findings": [{"code": "kind-unknown", "section": None}]})


def through_libreoffice(src: Path, dst: Path) -> None:
    """docx -> odt -> docx with LibreOffice, then pin what it stamps with the time."""
    with tempfile.TemporaryDirectory(prefix="imtc-lo-") as tmp:
        odt = Path(tmp) / src.with_suffix(".odt").name
        for target, source, outdir in (("odt", src, tmp), ("docx", odt, f"{tmp}/docx")):
            libreoffice.session().convert(source, target, outdir, timeout=180)
        data = (Path(tmp) / "docx" / src.name).read_bytes()

    def fix(name: str, body: bytes) -> bytes:
        return pin_core_dates(body, "2024-06-01T09:00:00Z") if name.startswith("docProps/") else body

    dst.write_bytes(normalize_zip(data, fix))


def start_libreoffice() -> libreoffice.Session:
    """The builder's LibreOffice session; the build stops with a clear message when a font is missing."""
    try:
        return libreoffice.session()
    except libreoffice.FontsMissing as e:
        sys.exit(str(e))


def build_pdf_twin(out: Path, slug: str) -> Path:
    """The first PDF twin of content/<slug>.toml alone, into out (tests/test_samples_build.py)."""
    content = tomllib.loads((HERE / "content" / f"{slug}.toml").read_text("utf-8"))
    kind, style, meta = content["kind"], STYLES.get(slug, Style()), meta_of(content)
    blocks = application_blocks(content, style) if kind == "application" else report_blocks(content, style)
    twin = PDF_TWINS[slug][0]
    pdf_twin(out, slug, kind, blocks, style, meta, expected(slug, kind, meta, blocks, []), **twin)
    return out / f"{twin.get('twin', slug)}.pdf"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--no-libreoffice", action="store_true", help="skip the <slug>-lo.docx files")
    ap.add_argument("--pdf-twin", metavar="SLUG", help="build only the PDF twin of content/SLUG.toml, into OUT")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    lo = not args.no_libreoffice and shutil.which("soffice") is not None
    if args.pdf_twin:
        start_libreoffice()
        build_pdf_twin(out, args.pdf_twin)
        return
    global PDF_OUT
    PDF_OUT = out / "pdf" if lo else None
    if lo:
        write_json(out / "built-with.json", start_libreoffice().environment())
    else:
        print("LibreOffice (soffice) not used: no <slug>-lo.docx", file=sys.stderr)
    contents = [tomllib.loads(p.read_text("utf-8")) for p in sorted((HERE / "content").glob("*.toml"))]
    applications = [c for c in contents if c["kind"] == "application"]
    for c in applications:
        build_application(out, c, lo)
    for c in contents:
        if c["kind"] == "annual_report":
            style = STYLES.get(c["slug"], Style())
            write(out, c["slug"], "annual_report", report_blocks(c, style), meta_of(c), style,
                  entities=c.get("entities"))
    if applications:
        base = next((c for c in applications if c["slug"] == "power-battery"), applications[0])
        build_variants(out, base)
    build_unrelated(out)
    if (HERE / "hostile.py").exists():
        import hostile

        hostile.build(out / "hostile")
        if PDF_OUT is not None:
            hostile.build_pdfs(out / "hostile", PDF_OUT, PDF_OUT / "blank-template.pdf")
            blank = json.loads((PDF_OUT / "blank-template.expected.json").read_text("utf-8"))
            scanned_cover = {("ocr-pages", None)}  # the scanned cover is read by OCR (imtc/extract/ocr.py)
            write_json(PDF_OUT / "mixed-scanned-cover.expected.json",
                       blank | {"file": "mixed-scanned-cover.pdf",
                                "findings": sorted(blank["findings"] + [{"code": c, "section": k} for c, k in scanned_cover],
                                                   key=lambda f: (f["code"], f["section"] or ""))})
            # the scan is the blank template's cover alone: an application whose every section is missing
            blocks = application_blocks({}, Style(headings="bold"), blank=True)
            cover = blocks[:next(i for i, b in enumerate(blocks) if isinstance(b, Para) and b.look.get("page_break"))]
            write_json(PDF_OUT / "scanned.expected.json",
                       expected("scanned", "application", meta_of(None), cover, sorted(scanned_cover))
                       | {"file": "scanned.pdf"})
        if PDF_OUT is not None and (HERE / "scans.py").exists():
            import scans  # scanned twins of text PDFs, read by OCR (tests/test_ocr.py)

            scans.build(PDF_OUT, out / "scans")
    if PDF_OUT is not None:
        import layouts  # issue 15's layout variants: seeds 0-7 and two scans (samples/layouts.py)

        layouts.build_samples(out / "layouts")


if __name__ == "__main__":
    main()
