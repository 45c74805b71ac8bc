"""Stage 4: the experts' review documents, pre-filled from a document and its rubric.

`write_review(extraction, score, out_dir)` renders, for an annual report (rubric annex 5), the
后续评价细则 sheet (附件5) and the 后续评价报告 (附件6); for an application (rubric annex 2), the
建设评价细则 tables 1 and 2 (附件2) and the 建设评价报告 (附件3); and one HTML page with the same
content. The Word templates are docxtpl files in imtc/templates/review/ (built by
build_templates.py there; a bureau may replace them, or put its own in the folder named by
IMTC_REVIEW_TEMPLATES); docs/review.md lists the variables every template receives.

Each template is checked against the context before rendering (its variables, and the fields it
reads of them), and rendered with StrictUndefined: a template asking for something the context does
not hold fails loudly (ReviewTemplateError) instead of printing a blank. Every output is written
atomically. Nothing here decides a score: the points are score_assist's; what the tool did not
compute stays blank for the expert.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, meta, nodes

from imtc import __version__, labels
from imtc.atomic import atomic_path, write_text_atomic
from imtc.locations import location_parts
from imtc.models import RATIO_SYMBOLS, Extraction
from imtc.panel.identity import keywords_identity, set_identity, sheet_identity
from imtc.score_assist.rubric import Item, Rubric, load_rubric
from imtc.score_assist.texts import SectionTexts
from imtc.summary import ReviewFigures

PACKAGE_TEMPLATES = Path(__file__).resolve().parent / "templates" / "review"
TEMPLATES_ENV = "IMTC_REVIEW_TEMPLATES"
HTML_TEMPLATE = "review.html.j2"
# rubric -> the Word documents: (template file, title, output name suffix)
DOCUMENTS: dict[str, list[tuple[str, str, str]]] = {
    "annex5": [("annex5_sheet.docx", "附件5 后续评价细则（预填）", "附件5-后续评价细则"),
               ("annex6_report.docx", "附件6 后续评价报告（预填）", "附件6-后续评价报告")],
    "annex2": [("annex2_tables.docx", "附件2 建设评价细则 表1、表2（预填）", "附件2-建设评价细则表1表2"),
               ("annex3_report.docx", "附件3 建设评价报告（预填）", "附件3-建设评价报告")],
}
HTML_SUFFIX = "评审预填.html"
BLANK = "\u3000\u3000\u3000"  # a fill-in line (underlined in the templates)
DITTO = "〃"  # a table cell holding only this is merged with the cell above
SELECTED, UNSELECTED = "■ ", "□ "
KIND_WORDS = {k: labels.KIND[k] for k in ("application", "annual_report")}  # imtc/templates/labels.toml
PART_WORDS = labels.CATEGORY
ALL_PARTS = ("work", "plan", "assigned", "application", "site", "bonus")  # annex 5's, then annex 2's
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class ReviewTemplateError(Exception):
    """A review template does not fit its context (or cannot be read); the message is Chinese."""


# --- where the templates are ---------------------------------------------------------------------


def template_dirs() -> list[Path]:
    """The folders searched for templates: IMTC_REVIEW_TEMPLATES (when set) before the packaged ones."""
    extra = os.environ.get(TEMPLATES_ENV)
    return ([Path(extra)] if extra else []) + [PACKAGE_TEMPLATES]


def template_path(name: str) -> Path:
    for folder in template_dirs():
        if (folder / name).is_file():
            return folder / name
    raise ReviewTemplateError(f"找不到评审文件模板“{name}”（查找位置：{'、'.join(str(d) for d in template_dirs())}）")


def templates_fingerprint() -> str:
    """A digest of every template in use: a round redoes its review documents when one changes."""
    h = hashlib.sha256()
    names = sorted({t for docs in DOCUMENTS.values() for t, _, _ in docs} | {HTML_TEMPLATE})
    for name in names:
        h.update(name.encode())
        h.update(template_path(name).read_bytes())
    return h.hexdigest()[:16]


# --- small formatting ------------------------------------------------------------------------------


def xml_safe(value: Any) -> Any:
    """Strings made safe for WordprocessingML (control characters from a hostile file dropped), recursively."""
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    if isinstance(value, dict):
        return {k: xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [xml_safe(v) for v in value]
    return value


def number(value: float | int | Fraction | None, blank: str = BLANK) -> str:
    """84.75 -> "84.75", 20.0 -> "20", None -> the blank."""
    if value is None:
        return blank
    f = float(value)
    if abs(f - round(f)) < 1e-9:
        return str(int(round(f)))
    return f"{f:.2f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    pct = value * 100
    return f"{pct:.0f}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}%"


def where(location: Mapping[str, Any] | None, document_file: str | None = None) -> str:
    """"〔第3页，章节1.6.5，第3个表格第1行〕": what lets a person find the place (rows counted from 1)."""
    parts = location_parts(location, include=("file", "page", "section", "table", "row", "paragraph"), spaced=False,
                           document_file=document_file, table_row_together=True)
    return "〔" + "，".join(parts) + "〕" if parts else ""


def _evidence(item: Mapping[str, Any], document_file: str) -> list[dict[str, str]]:
    out = []
    for e in item.get("evidence", []):
        text = e.get("text", "")
        if text.startswith("评分标准："):  # the templates print the annex's own standard already
            continue
        location = dict(e.get("location") or {})
        if set(location) == {"file"} and location["file"] in text:
            location = {}  # "上一份计划：x.docx …" needs no 〔《x.docx》〕 after it
        loc = where(location, document_file)
        plan = e.get("plan_location")
        if plan:
            loc += "〔计划：" + where(plan, document_file).strip("〔〕") + "〕"
        out.append({"text": text, "where": loc})
    return out


def value_text(item: Mapping[str, Any]) -> str:
    """"η = 80%" for a ratio, "n = 3" for a count: by the item's typed `symbol` (ScoreItem)."""
    v = item.get("value")
    if v is None:
        return ""
    symbol = item.get("symbol") or "n"
    return f"{symbol} = {percent(v)}" if symbol in RATIO_SYMBOLS else f"n = {number(v)}"


def _prefill(item: Mapping[str, Any]) -> str:
    """The tool's own line in 核查说明: what it computed and the band, or that the expert decides."""
    points, band = item.get("points"), item.get("band")
    if points is not None:
        head = "工具预填（可修改）：" if item.get("basis") == "auto" else "建议得分（供专家参考）："
        value = value_text(item)
        text = head + (value + "，" if value else "") + (f"对应“{band}”档，" if band else "") + f"得{points}分"
        if item.get("suggestion"):
            text += "；" + item["suggestion"]
        return text
    text = "由专家评分"
    if item.get("suggestion"):
        text += "；" + item["suggestion"]
    value = value_text(item)
    if value:
        text += f"（工具测得 {value}）"
    return text + "；以下为文档中的相关内容："


# --- 单位概况 from the document's prose --------------------------------------------------------------

_NUM = r"(\d+(?:\.\d+)?)"
PROFILE_PATTERNS: dict[str, tuple[str, str, str]] = {
    # field: (regex, unit, words)
    "staff": (r"现有(?:专职|工作|在职|在编)?人员(?:共)?" + _NUM + r"\s*[人名]", "名", "工作人员"),
    "managers": (r"管理人员(?:共|为|有)?" + _NUM + r"\s*[人名]", "名", "管理人员"),
    "technicians": (r"(?<!企业)(?<!企业的)技术人员(?:增至|共|为|有|达)?" + _NUM + r"\s*[人名](?!次)", "名", "计量技术人员"),
    "land_area": (r"占地(?:面积)?(?:约|为|共)?" + _NUM + r"\s*(?:平方米|㎡)", "平方米", "占地面积"),
    "lab_area": (r"实验室[^。；，]{0,12}?(?:总|建筑)?面积(?:达到|为|约|共|增至)?" + _NUM + r"\s*(?:平方米|㎡)"
                 r"|实验室[^。；]{0,12}?建筑面积" + _NUM + r"\s*(?:平方米|㎡)", "平方米", "实验室面积"),
    "constant_temperature_area": (r"恒温(?:恒湿)?(?:实验)?室(?:面积)?(?:约|为|共)?" + _NUM + r"\s*(?:平方米|㎡)",
                                  "平方米", "恒温室面积"),
}
# the sections that describe the center as it is (not its plans)
PROFILE_SECTIONS = {"annual_report": ("1",), "application": ("6",)}


def profile(ex: Extraction, texts: SectionTexts | None) -> dict[str, Any]:
    """一、单位概况: what the documents say; blanks where they say nothing (the expert fills them)."""
    out: dict[str, Any] = {
        "name": ex.meta.applicant or ex.meta.center_name or BLANK,
        "center_name": ex.meta.center_name or BLANK,
        "address": "", "phone": "", "fax": "", "postcode": "", "email": "", "org_code": "",
        "leader": ex.meta.responsible_person or "", "contact": "",
        "evidence": [],
    }
    for field in PROFILE_PATTERNS:
        out[field] = BLANK
    if texts is None:
        return out
    paras = texts.text(PROFILE_SECTIONS.get(ex.kind, ()))
    for field, (pattern, unit, words) in PROFILE_PATTERNS.items():
        for p in paras:
            m = re.search(pattern, p.text)
            if m is None:
                continue
            value = next(g for g in m.groups() if g is not None)
            out[field] = value
            start = max(0, m.start() - 12)
            snippet = ("…" if start else "") + p.text[start:m.end() + 8] + ("…" if m.end() + 8 < len(p.text) else "")
            out["evidence"].append({"text": f"{words}{value}{unit}：“{snippet}”", "where": where(p.location())})
            break
    if out["evidence"]:
        out["evidence"].insert(0, {"text": "以上数字由 imtc 从文档中摘取，请核实：", "where": ""})
    return out


# --- the table rows ----------------------------------------------------------------------------------


def _bands(item: Item, scored: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for b in item.bands:
        selected = scored.get("points") is not None and scored.get("band") == b.text
        out.append({"text": b.text, "selected": selected, "mark": SELECTED if selected else UNSELECTED})
    return out


def _item_row(item: Item, scored: Mapping[str, Any], document_file: str) -> dict[str, Any]:
    points = scored.get("points")
    key = item.key
    return {
        "kind": "item", "key": key, "number": key.split(".", 1)[1] if key[0] in "二三" else key,
        "title": scored.get("title", item.title), "max": str(item.max),
        "points": "" if points is None else str(points),
        "points_note": ("自动" if scored.get("basis") == "auto" else "建议") if points is not None else "",
        "basis": scored.get("basis", "expert"), "value": value_text(scored),
        "bands": _bands(item, scored), "check": item.check or item.standard, "prefill": _prefill(scored),
        "evidence": _evidence(scored, document_file),
    }


def _heading(kind: str, number_: str, title: str, max_: int, points: Any, known: int, missing: int,
             stated_sum: int | None = None) -> dict[str, Any]:
    note = ""
    if missing:
        note = f"已自动计分{known}分；另有{missing}项待专家评分"
    if stated_sum is not None:
        note = (note + "；" if note else "") + f"细则原文分值{max_}，其下各项分值合计{stated_sum}"
    return {"kind": kind, "key": number_ or title, "number": number_, "title": title, "max": str(max_),
            "points": "" if points is None else number(points, ""), "note": note}


def annex5_rows(rubric: Rubric, score: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sheet's rows in the annex's order: part, article (第一条…), group (1.1…) headings, items."""
    items, groups_scored, totals = score["items"], score.get("groups", {}), score["totals"]
    groups = {g.key: g for g in rubric.groups}
    parts = {p.key: p for p in rubric.parts}
    doc_file = score.get("document", {}).get("file", "")
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in rubric.items:
        scored = items.get(item.key)
        if scored is None:
            continue
        heads: list[tuple[str, str]] = [("part", item.part)]
        g = groups.get(item.group)
        if g is not None:
            heads += [("article", g.parent), ("group", g.key)] if g.parent in groups else [("article", g.key)]
        for kind, key in heads:
            if key in seen:
                continue
            seen.add(key)
            if kind == "part":
                p = parts[key]
                missing = sum(1 for it in rubric.part_items(key) if items.get(it.key, {}).get("points") is None)
                rows.append(_heading("part", "", p.title, p.max, totals.get(key), totals["known_points"][key], missing))
                continue
            gs, grp = groups_scored.get(key, {}), groups[key]
            complete = not gs.get("missing")
            items_max = gs.get("items_max", grp.max)
            title = f"{grp.key} {grp.title}" if kind == "article" else grp.title
            rows.append(_heading(kind, "" if kind == "article" else grp.key, title, grp.max,
                                 gs.get("known_points") if complete else None, gs.get("known_points", 0),
                                 len(gs.get("missing", [])), items_max if items_max != grp.max else None))
        rows.append(_item_row(item, scored, doc_file))
    return rows


def _band_line(item: Item) -> str:
    out = []
    for b in item.bands:
        lo, hi = b.low, b.high
        out.append(f"{b.level}：{lo}分" if lo == hi else f"{b.level}：{lo}—{hi}分")
    return "；".join(out)


def annex2_rows(rubric: Rubric, score: Mapping[str, Any], part: str) -> list[dict[str, Any]]:
    """表1 (parts application, bonus) or 表2 (site) rows; 〃 marks a cell merged with the one above."""
    items = score["items"]
    groups = {g.key: g for g in rubric.groups}
    parts = {p.key: p for p in rubric.parts}
    doc_file = score.get("document", {}).get("file", "")
    rows: list[dict[str, Any]] = []
    last_group = None
    for item in rubric.part_items(part):
        scored = items.get(item.key)
        if scored is None:
            continue
        g = groups.get(item.group)
        group_text = f"{item.group}（{g.max}分）" if g is not None else item.group
        row = _item_row(item, scored, doc_file)
        row.update({
            "category": f"{PART_WORDS.get(part, part)}（{parts[part].max}分）" if not rows else DITTO,
            "group": group_text if item.group != last_group else DITTO,
            "title": f"{row['title']}（{item.max}分）",
            "standard": item.standard,
            "bands": _band_line(item),
        })
        last_group = item.group
        rows.append(row)
    return rows


# --- totals --------------------------------------------------------------------------------------------


def _part_note(t: Mapping[str, Any], part: str, open_items: int) -> str:
    if t.get(part) is not None:
        return ""
    known = t.get("known_points", {}).get(part, 0)
    return f"（已自动计分{known}分，另有{open_items}项待专家评分）" if open_items else ""


def totals_context(rubric: Rubric, score: Mapping[str, Any]) -> dict[str, Any]:
    t, items = score["totals"], score["items"]
    open_by_part = {p.key: sum(1 for it in rubric.part_items(p.key) if items.get(it.key, {}).get("points") is None)
                    for p in rubric.parts}
    out: dict[str, Any] = {"formula": t.get("formula", ""), "complete": bool(t.get("complete")),
                           "grade": t.get("grade") or "", "total": number(t.get("total")),
                           "total_min": number(t.get("total_min"), ""), "total_max": number(t.get("total_max"), ""),
                           "grade_possible": "、".join(t.get("grade_possible", [])),
                           "missing": list(t.get("missing", [])), "open_items": len(t.get("missing", []))}
    for part in ALL_PARTS:  # every rubric's parts, so that one context fits every template
        out[part] = number(t.get(part)) if part in open_by_part else ""
        out[f"{part}_note"] = _part_note(t, part, open_by_part[part]) if part in open_by_part else ""
    if t.get("total") is not None:
        out["total_note"] = ""
        out["status"] = f"全部项目均已计分：总得分{out['total']}分，等级：{out['grade']}。"
    else:
        out["total_note"] = f"（按已计分项目，总得分在{out['total_min']}至{out['total_max']}分之间）"
        auto = sum(1 for s in items.values() if s.get("points") is not None)
        out["status"] = (f"预填状态：{auto}项已由工具计分，{out['open_items']}项待专家评分；按已计分项目，总得分在"
                         f"{out['total_min']}至{out['total_max']}分之间，可能等级：{out['grade_possible']}。{out['formula']}。")
    return out


# --- the context ----------------------------------------------------------------------------------------


def _date(iso: str | None) -> str:
    if not iso or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return ""
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def _document_label(ex: Extraction) -> str:
    what = KIND_WORDS.get(ex.kind, "文档")
    if ex.kind == "annual_report" and ex.meta.report_year:
        what = f"{ex.meta.report_year}年度工作总结"
    return f"{ex.source.file}，{what}"


def _previous_label(score: Mapping[str, Any]) -> str:
    prev = score.get("previous")
    if score.get("rubric") != "annex5":
        return ""
    if not prev:
        return "未找到（1.2.1、1.3.2、1.4.4 的计划完成率留待专家）"
    what = "申请书" if prev.get("kind") == "application" else f"{prev.get('report_year') or ''}年度工作总结"
    return f"{prev.get('file')}（{what}；{prev.get('found_by') or ''}）".replace("；）", "）")


def output_stem(ex: Extraction) -> str:
    """The output files' name prefix: the submitted file's name without its suffix, made path-safe."""
    stem = Path(ex.source.file or "document").stem
    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", stem).strip(" .") or "document"
    return stem[:80]


def build_context(ex: Extraction, score: Mapping[str, Any], texts: SectionTexts | None = None,
                  cropper: Any = None) -> dict[str, Any]:
    """Everything the templates of `score`'s rubric receive (docs/review.md describes each name);
    with a `cropper` (imtc/crops.py), pictures of the source beside auto-computed items and findings."""
    from imtc.crops import finding_pictures, item_pictures

    rubric = load_rubric(score["rubric"])
    stem = output_stem(ex)
    docs = [{"name": f"{stem}-{suffix}.docx", "title": title, "template": tpl}
            for tpl, title, suffix in DOCUMENTS[score["rubric"]]]
    ctx: dict[str, Any] = {
        "rubric": score["rubric"], "rubric_title": score.get("rubric_title", rubric.title),
        "center_name": ex.meta.center_name or BLANK, "applicant": ex.meta.applicant or BLANK,
        "responsible_person": ex.meta.responsible_person or BLANK,
        "submitted_on": _date(ex.meta.submitted_on), "report_year": str(ex.meta.report_year or ""),
        "kind": ex.kind, "kind_label": KIND_WORDS.get(ex.kind, ex.kind),
        "source_file": ex.source.file, "sha256": ex.source.sha256,
        "document_label": _document_label(ex), "previous_label": _previous_label(score),
        "generated_on": _date(date.today().isoformat()), "tool": f"imtc {__version__}",
        "profile": profile(ex, texts), "totals": totals_context(rubric, score),
        "documents": docs, "html_name": f"{stem}-{HTML_SUFFIX}",
        "rows": [], "table1_basic": [], "table1_bonus": [], "table2": [],
    }
    if score["rubric"] == "annex5":
        ctx["rows"] = annex5_rows(rubric, score)
    else:
        ctx["table1_basic"] = annex2_rows(rubric, score, "application")
        ctx["table1_bonus"] = annex2_rows(rubric, score, "bonus")
        ctx["table2"] = annex2_rows(rubric, score, "site")
    pictures = item_pictures(cropper, dict(score), ex.source.file)
    for rows in (ctx["rows"], ctx["table1_basic"], ctx["table1_bonus"], ctx["table2"]):
        for r in rows:
            r["crops"] = pictures.get(r.get("key", ""), []) if r.get("kind") == "item" else []
    ctx["findings"] = finding_pictures(cropper, ex.findings, ex.source.file)
    for f in ctx["findings"]:
        f["where"] = where(f.pop("location"), ex.source.file)
    return xml_safe(ctx)


# --- pre-flight -------------------------------------------------------------------------------------


def _attribute_reads(ast: nodes.Template) -> set[tuple[str, str]]:
    """(variable, field) for every `variable.field` / `variable['field']` the template reads."""
    out = set()
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node.node, nodes.Name):
            if isinstance(node, nodes.Getattr):
                out.add((node.node.name, node.attr))
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                out.add((node.node.name, node.arg.value))
    return out


def check_variables(ast: nodes.Template, context: Mapping[str, Any], name: str) -> None:
    """Fail loudly when the template names a variable, or a field of a top-level variable, that the
    context does not hold (docxtpl's get_undeclared_template_variables, one level deeper)."""
    missing = sorted(meta.find_undeclared_variables(ast) - set(context))
    fields = sorted(f"{var}.{attr}" for var, attr in _attribute_reads(ast)
                    if isinstance(context.get(var), Mapping) and attr not in context[var])
    if missing or fields:
        raise ReviewTemplateError(f"评审文件模板“{name}”使用了程序未提供的变量：{'、'.join(missing + fields)}"
                                  f"（可用的变量见 docs/review.md）")


def _docx_source(path: Path, tpl: DocxTemplate) -> str:
    """The jinja2 source docxtpl renders: the body, headers and footers, as docxtpl patches them."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    doc = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return xml


def _environment(**kw: Any) -> jinja2.Environment:
    return jinja2.Environment(undefined=StrictUndefined, autoescape=True, **kw)


def preflight_docx(path: Path, context: Mapping[str, Any]) -> DocxTemplate:
    try:
        tpl = DocxTemplate(str(path))
        source = _docx_source(path, tpl)
        ast = _environment().parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ReviewTemplateError(f"评审文件模板“{path.name}”的模板语法有误：{exc.message}") from None
    except Exception as exc:  # noqa: BLE001 - not a .docx at all, a broken zip …
        raise ReviewTemplateError(f"无法读取评审文件模板“{path.name}”：{type(exc).__name__}: {exc}") from None
    check_variables(ast, context, path.name)
    return tpl


# --- rendering -------------------------------------------------------------------------------------------


def _merge_ditto(document: Any) -> None:
    """Cells whose whole text is 〃 are merged with the nearest cell above them that is not one (a vertical
    merge; the 〃 is removed). Columns are counted on the table's grid, so merged cells keep their place."""
    for table in document.tables:
        anchors: dict[int, Any] = {}
        for tr in table._tbl.tr_lst:
            col = 0
            for tc in tr.tc_lst:
                text = "".join(t.text or "" for t in tc.iter(qn("w:t"))).strip()
                if text == DITTO and col in anchors:
                    for t in tc.iter(qn("w:t")):
                        t.text = ""
                    anchors[col].vMerge = "restart"
                    tc.vMerge = "continue"
                else:
                    anchors[col] = tc
                col += tc.grid_span


def render_docx(path: Path, context: Mapping[str, Any], target: Path, title: str) -> Path:
    tpl = preflight_docx(path, context)
    try:
        tpl.render(dict(context), jinja_env=_environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise ReviewTemplateError(f"评审文件模板“{path.name}”使用了程序未提供的内容：{exc.message}") from None
    except jinja2.TemplateError as exc:
        raise ReviewTemplateError(f"评审文件模板“{path.name}”无法填写：{exc}") from None
    _merge_ditto(tpl.docx)
    if context.get("rubric") in ("annex5", "annex2"):  # the panel matches a filled sheet by it (imtc/panel)
        identity = sheet_identity(context, path.name)
        set_identity(tpl.docx, identity)
        tpl.docx.core_properties.keywords = keywords_identity(identity)  # PDF prints keep the keywords
    props = tpl.docx.core_properties
    props.title = f"{context.get('center_name', '')} {title}".strip()
    props.author = context.get("tool", "imtc")
    props.comments = f"由 {context.get('tool', 'imtc')} 根据“{context.get('source_file', '')}”预填"
    with atomic_path(target) as tmp:
        tpl.save(str(tmp))
    return target


def render_html(context: Mapping[str, Any], target: Path) -> Path:
    loader = jinja2.FileSystemLoader([str(d) for d in template_dirs()])
    env = _environment(loader=loader, trim_blocks=True, lstrip_blocks=True)
    try:
        source, _, _ = loader.get_source(env, HTML_TEMPLATE)
        check_variables(env.parse(source), context, HTML_TEMPLATE)
        html = env.get_template(HTML_TEMPLATE).render(dict(context))
    except jinja2.TemplateNotFound:
        raise ReviewTemplateError(f"找不到评审页面模板“{HTML_TEMPLATE}”") from None
    except jinja2.UndefinedError as exc:
        raise ReviewTemplateError(f"评审页面模板“{HTML_TEMPLATE}”使用了程序未提供的内容：{exc.message}") from None
    except jinja2.TemplateError as exc:
        raise ReviewTemplateError(f"评审页面模板“{HTML_TEMPLATE}”有误：{exc}") from None
    write_text_atomic(target, html)
    return target


def write_review(extraction: Extraction, score: Mapping[str, Any], out_dir: Path | str, *,
                 texts: SectionTexts | None = None, source: Path | None = None,
                 document: Any = None) -> list[Path]:
    """Write the review documents of one scored document into `out_dir`: the two Word documents of
    its rubric and one HTML page (with `source`, the submitted file: pictures of its pages beside
    auto-computed items and findings, boxes from its `document` or the one kept when it was
    extracted). Returns their paths. Raises ReviewTemplateError when a template
    does not fit (nothing half-written is left: each file is written atomically)."""
    if score.get("rubric") not in DOCUMENTS:
        raise ValueError(f"no review documents for rubric {score.get('rubric')!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from imtc.crops import cropper_for
    from imtc.extract import cached_document

    cropper = None
    if source is not None:
        doc = document if document is not None else cached_document(extraction.source.sha256)
        cropper = cropper_for(source, doc, extraction.source.format)
    try:
        context = build_context(extraction, score, texts, cropper)
        if cropper is not None:
            from imtc.crops import save_pictures

            save_pictures(context, extraction.findings, out / "crops")
    finally:
        if cropper is not None:
            cropper.close()
    written = []
    for doc in context["documents"]:
        written.append(render_docx(template_path(doc["template"]), context, out / doc["name"], doc["title"]))
    written.append(render_html(context, out / context["html_name"]))
    return written


# --- the figures the round's workbook quotes -------------------------------------------------------------


def _count(items: Iterable[Any], keep: Any) -> int:
    return sum(1 for x in items if keep(x))


def review_figures(ex: Extraction, score: Mapping[str, Any] | None, link: str | None = None) -> ReviewFigures:
    """Year, η of 1.2.1/1.3.2/1.4.4, patents, standards, projects and the pre-filled total."""
    year = ex.meta.report_year
    if year is None and ex.meta.submitted_on and ex.meta.submitted_on[:4].isdigit():
        year = int(ex.meta.submitted_on[:4])
    e = ex.entities
    patents = _count(e.patents, lambda p: p.status == "granted" or bool(p.number))
    standards = _count(e.standards, lambda s: s.level in ("national", "industry", "local"))
    fig = dict(year=year, patents=patents, standards=standards, projects=len(e.projects), link=link)
    if score is None:
        return ReviewFigures(**fig)
    items = score.get("items", {})

    def value(key: str) -> Any:
        return items.get(key, {}).get("value")

    if score.get("rubric") == "annex5":
        fig.update(eta_equipment=value("1.2.1"), eta_calibration=value("1.3.2"), eta_key_parameter=value("1.4.4"))
        if value("2.5.1") is not None:
            fig["patents"] = int(value("2.5.1"))
        if value("2.4.1") is not None:
            fig["standards"] = int(value("2.4.1"))
    t = score.get("totals", {})
    auto_points = any(s.get("points") is not None for s in items.values())
    total = t.get("total") if t.get("total") is not None else (t.get("total_min") if auto_points else None)
    return ReviewFigures(**fig, total=total, open_items=len(t.get("missing", [])))
