"""Annex 5 (后续评价细则) pre-filled for one annual report.

Every item of the rubric gets a result: the items the documents decide are computed (`basis`
"auto", `points` by the annex's bands, evidence naming the rows and sentences counted); the others
are the expert's (`points` null) with the related sections' status, text length and tables as
evidence. The readings of CONTRACT.md are followed and stated in each item's evidence.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from imtc.models import Extraction, Row
from imtc.score_assist import prose
from imtc.score_assist.common import (
    TABLE_LABELS,
    ItemScore,
    auto,
    center_key,
    depends_on,
    evidence,
    expert_item,
    pct,
    section_evidence,
    snippet,
)
from imtc.score_assist.lists import Enterprise, Spec, spec_key
from imtc.score_assist.match import describe, match_rows
from imtc.score_assist.rubric import Item, Rubric, load_rubric
from imtc.score_assist.texts import SectionTexts

LEVEL_GROUP = {"national": "provincial_or_above", "provincial": "provincial_or_above", "municipal": "municipal"}
LEVEL_WORDS = {"national": "国家级", "provincial": "省部级", "municipal": "市级", "other": "其他", None: "级别未识别"}
GROUP_WORDS = {"provincial_or_above": "省部级及以上", "municipal": "市级", "other": "其他"}
CATEGORY_WORDS = {"frontier": "前瞻性计量测试技术研究", "equipment_method": "测量装备研制及方法研究",
                  "common_technology": "关键共性技术研究"}
STATUS_WORDS = {"completed": "已完成", "ongoing": "在研", None: "状态未识别"}
DONE_SECTION = {"equipment": "1.6.5", "calibration_items": "1.6.2", "key_parameter_items": "1.6.3"}
NEW_MARKS = ("新建", "拟建")  # the application's 备注 of a row still to build


@dataclass
class Inputs:
    """What scoring one annual report may use."""

    report: Extraction
    previous: Extraction | None = None  # the previous plan: last year's report, or the application
    texts: SectionTexts | None = None  # the report's prose
    history: list[Extraction] = field(default_factory=list)  # the center's earlier documents (1.3.1)
    catalogue: list[Spec] | None = None  # --catalogue
    core_enterprises: list[Enterprise] | None = None  # --core-enterprises
    previous_note: str | None = None  # how the previous plan was found, for the evidence


def _loc(row: Row | Any, file: str | None) -> dict[str, Any]:
    loc = row.location.model_dump(mode="json") if hasattr(row, "location") else {}
    if file:
        loc["file"] = file
    return loc


def _rowname(row: Row, i: int) -> str:
    seq = getattr(row, "seq", None)
    return f"序号{seq}" if seq else f"第{i + 1}行"


# --- plan → done: 1.2.1, 1.3.2, 1.4.4 ------------------------------------------------------------


def plan_rows(previous: Extraction, family: str) -> tuple[str, list[tuple[int, Row]], str]:
    """(table kind, [(index, row)], status) of the previous plan for a table family: an annual
    report's *_plan table, or the application's table restricted to rows marked 新建."""
    if previous.kind == "application":
        kind = family
        table = previous.tables.get(kind)
        if table is None:
            return kind, [], "missing"
        mark = "status" if family == "equipment" else "remark"
        rows = [(i, r) for i, r in enumerate(table.rows) if any(m in (getattr(r, mark, None) or "") for m in NEW_MARKS)]
        return kind, rows, table.status
    kind = f"{family}_plan"
    table = previous.tables.get(kind)
    if table is None:
        return kind, [], "missing"
    return kind, list(enumerate(table.rows)), table.status


def _previous_checks(inp: Inputs) -> list[dict[str, Any]]:
    """Warnings about the previous document: another center, or not earlier than the report."""
    prev, rep = inp.previous, inp.report
    out = []
    if prev is None:
        return out
    name = f"上一份计划：{prev.source.file}（{'申请书' if prev.kind == 'application' else '年度工作总结'}"
    if prev.kind == "annual_report" and prev.meta.report_year:
        name += f"，{prev.meta.report_year}年度"
    name += "）" + (f"，{inp.previous_note}" if inp.previous_note else "")
    out.append(evidence(name, {"file": prev.source.file}))
    if prev.meta.center_name and rep.meta.center_name and center_key(prev.meta.center_name) != center_key(rep.meta.center_name):
        out.append(evidence(f"注意：上一份文件的中心名称“{prev.meta.center_name}”与本报告“{rep.meta.center_name}”不一致"))
    if (prev.kind == "annual_report" and prev.meta.report_year and rep.meta.report_year
            and prev.meta.report_year >= rep.meta.report_year):
        out.append(evidence(f"注意：上一份报告的年度（{prev.meta.report_year}）不早于本报告（{rep.meta.report_year}）"))
    return out


def _done_prose(inp: Inputs, family: str) -> list[dict[str, Any]]:
    """What the report's completion section says in words (quoted for the expert)."""
    if inp.texts is None:
        return []
    key = DONE_SECTION[family]
    out = []
    for p in inp.texts.under(key):
        for s in prose.sentences(p.text):
            if "完成" in s or "计划" in s:
                out.append(evidence(f"{key} 原文：{s.strip()}", p.location()))
    return out[:3]


def _unreadable_table_in_section(report: Extraction, kind: str) -> Any:
    """The location of a table that could not be read (a part-unreadable finding) in the section where
    the table `kind` belongs: the reason it is missing, rather than its absence."""
    from imtc.templates import table_kinds

    section = table_kinds()[kind].section
    return next((f.location for f in report.findings if f.code == "part-unreadable" and f.location is not None
                 and f.location.table is not None and f.location.section == section), None)


def eta_item(item: Item, inp: Inputs, family: str) -> ItemScore:
    """η = plan rows that reappear among this year's completions / plan rows."""
    rep, prev = inp.report, inp.previous
    done_kind = f"{family}_done"
    done = rep.tables.get(done_kind)
    reading = ("口径：η=上一份计划表中在本年度完成表里出现的行数（名称、型号措辞不同也按同一项匹配）/上一份计划表的行数；"
               "计划外完成的项目不计入；首年以申请书中备注为“新建”的行为计划")
    evid = [evidence(reading), *_previous_checks(inp)]
    if prev is None:
        evid.append(evidence("未找到该中心的上一份计划（上一年度工作总结或申请书）：可用 --previous 指定，"
                             "或先用 imtc score 记录该中心的申请书和上一年度报告"))
        if done is not None:
            evid.append(evidence(f"本报告“{TABLE_LABELS[done_kind]}”{len(done.rows)}行", done.location))
        return ItemScore(item, basis="expert", evidence=evid + _done_prose(inp, family))
    plan_kind, plan, status = plan_rows(prev, family)
    plan_label = TABLE_LABELS[plan_kind] + ("（备注为新建的行）" if prev.kind == "application" else "")
    if status == "missing":
        evid.append(evidence(f"上一份文件中未找到“{plan_label}”，无法计算η", {"file": prev.source.file}))
        return ItemScore(item, basis="expert", evidence=evid + _done_prose(inp, family))
    if not plan:
        evid.append(evidence(f"上一份计划“{plan_label}”没有计划行（计划数为0）", {"file": prev.source.file}))
        if item.key == "1.2.1":  # the annex gives no band for an empty plan
            return ItemScore(item, basis="expert", evidence=evid)
        return _lowest(item, evid)
    if done is None or done.status == "missing":
        failed = _unreadable_table_in_section(rep, done_kind)
        evid.append(evidence(f"上一份计划“{plan_label}”{len(plan)}行；" + (
            f"本报告“{TABLE_LABELS[done_kind]}”所在章节的第 {failed.table + 1} 个表格读取时出错，未能读取，"
            "完成情况需按原文核查" if failed else f"本报告没有“{TABLE_LABELS[done_kind]}”，完成情况需按正文核查"),
            failed or {"file": prev.source.file}))
        return ItemScore(item, basis="expert", evidence=evid + _done_prose(inp, family))
    result = match_rows(family, [r for _, r in plan], done.rows)
    eta = Fraction(result.matched, len(plan))
    evid.append(evidence(
        f"η = {result.matched}/{len(plan)} = {pct(eta)}：上一份计划“{plan_label}”{len(plan)}行，"
        f"其中{result.matched}行见于本报告“{TABLE_LABELS[done_kind]}”（共{len(done.rows)}行）", done.location))
    for pair in result.pairs:
        pi, prow = plan[pair.plan]
        drow = done.rows[pair.done]
        evid.append(evidence(
            f"已完成：计划{_rowname(prow, pi)}“{describe(family, prow)}” ↔ 本报告{_rowname(drow, pair.done)}"
            f"“{describe(family, drow)}”（{pair.reason}）",
            _loc(drow, rep.source.file), plan_location=_loc(prow, prev.source.file)))
    for k in result.unmatched_plan:
        pi, prow = plan[k]
        evid.append(evidence(f"未见完成：计划{_rowname(prow, pi)}“{describe(family, prow)}”",
                             _loc(prow, prev.source.file)))
    if result.unplanned_done:
        extra = "、".join(f"{_rowname(done.rows[j], j)}“{describe(family, done.rows[j])}”" for j in result.unplanned_done)
        evid.append(evidence(f"计划外（不计入η）：{extra}", done.location))
    return auto(item, eta, evid)


# --- catalogue and core enterprises: 1.3.1, 1.5.1 ----------------------------------------------------


def _capability_rows(inp: Inputs) -> list[tuple[Extraction, str, int, Row]]:
    """Calibration items the center has: the application's rows marked 已建 and every annual report's
    completed rows up to this one."""
    out = []
    for doc in [*inp.history, inp.report]:
        if doc.kind == "application":
            table = doc.tables.get("calibration_items")
            for i, r in enumerate(table.rows if table else []):
                if "已建" in (getattr(r, "remark", None) or ""):
                    out.append((doc, "calibration_items", i, r))
        elif doc.kind == "annual_report":
            table = doc.tables.get("calibration_items_done")
            for i, r in enumerate(table.rows if table else []):
                out.append((doc, "calibration_items_done", i, r))
    return out


def item_131(item: Item, inp: Inputs) -> ItemScore:
    rows = _capability_rows(inp)
    keys = [spec_key(getattr(r, "specification", None)) for *_, r in rows]
    national = [k for k in keys if k and "(浙)" not in k]
    docs = "、".join(dict.fromkeys(d.source.file for d, *_ in rows)) or "无"
    base = evidence(f"中心已具备的校准项目（申请书中备注为已建的行及各年度报告的新建校准项目表，来自：{docs}）共{len(rows)}项，"
                    f"其中依据国家计量技术规范（JJF/JJG）的{len(national)}项")
    if inp.catalogue is None:
        return ItemScore(item, basis="expert", evidence=[
            base, evidence("需要产业相关国家计量技术法规目录作分母：用 --catalogue 提供目录 CSV 后可自动计算 a")])
    covered: dict[str, tuple[Extraction, str, int, Row]] = {}
    for d, k, i, r in rows:
        key = spec_key(getattr(r, "specification", None))
        if key and key not in covered:
            covered[key] = (d, k, i, r)
    hits = [s for s in inp.catalogue if s.key in covered]
    a = Fraction(len(hits), len(inp.catalogue))
    evid = [evidence(f"a = {len(hits)}/{len(inp.catalogue)} = {pct(a)}：目录中的国家计量技术法规有{len(hits)}条"
                     f"为中心已具备的校准项目所依据（按编号比对，不计年号）"), base]
    for s in hits:
        d, k, i, r = covered[s.key]
        evid.append(evidence(f"已覆盖：{s.code}{'《' + s.title + '》' if s.title else ''} ← {d.source.file} "
                             f"{TABLE_LABELS.get(k, k)} {_rowname(r, i)}“{getattr(r, 'instrument', '')}”",
                             _loc(r, d.source.file)))
    missing = [s.code for s in inp.catalogue if s.key not in covered]
    if missing:
        evid.append(evidence("未覆盖：" + "、".join(missing)))
    return auto(item, a, evid)


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def item_151(item: Item, inp: Inputs) -> ItemScore:
    if inp.core_enterprises is None:
        return expert_item(item, inp.report, inp.texts, [
            evidence("需要产业核心企业名单作分母：用 --core-enterprises 提供名单 CSV 后可自动计算 a")])
    if inp.texts is None and any(e.served is None for e in inp.core_enterprises):
        return expert_item(item, inp.report, inp.texts, [
            evidence("未能读取报告正文，名单中未标明是否服务的企业无法判断；请在 CSV 的 served 列标明")])
    paras = inp.texts.paragraphs if inp.texts else []
    served, evid = 0, []
    for e in inp.core_enterprises:
        if e.served is not None:
            served += e.served
            evid.append(evidence(f"{'已服务' if e.served else '未服务'}：{e.name}（名单 served 列）"))
            continue
        names = [_norm(x) for x in (e.name, *e.aliases) if x]
        hit = next((p for p in paras if any(n and n in _norm(p.text) for n in names)), None)
        if hit is not None:
            served += 1
            evid.append(evidence(f"已服务：{e.name}（报告 {hit.section} 提到：{snippet(hit.text, e.name if e.name in hit.text else None)}）",
                                 hit.location()))
        else:
            evid.append(evidence(f"未见服务：{e.name}（报告正文未提到该企业）"))
    a = Fraction(served, len(inp.core_enterprises))
    head = evidence(f"a = {served}/{len(inp.core_enterprises)} = {pct(a)}：名单中的核心企业{len(inp.core_enterprises)}家，"
                    f"中心服务过{served}家（CSV 标明的以 CSV 为准，其余按报告正文是否提到该企业；须核查服务合同、协议、报告）")
    return auto(item, a, [head, *evid])


# --- cases: 1.5.2, 1.5.3 ---------------------------------------------------------------------------


def _extracted(ex: Extraction, name: str) -> list[Any]:
    """An entity list the extractor may give (cases, trainings, talks), counted for this year's work."""
    return [x for x in getattr(ex.entities, name, None) or [] if in_summary(x)]


def _cases_item(item: Item, inp: Inputs, other: bool) -> ItemScore:
    what = "标注为辐射其他产业的案例" if other else "解决本产业计量测试难题的案例（标注为辐射其他产业的除外）"
    base = section_evidence(inp.report, inp.texts, ("1.6.6",))
    listed = _extracted(inp.report, "cases")
    if listed:
        chosen = [c for c in listed if bool(c.other_industry) == other]
        evid = [evidence(f"n = {len(chosen)}：报告列出编号案例{len(listed)}个，其中{what}{len(chosen)}个；"
                         "案例是否具备细则所列特征及证明材料由专家核查"), *base]
        evid += [evidence(f"计入：案例{c.label or ''}：{c.title or ''}", c.location) for c in chosen]
        return auto(item, len(chosen), evid)
    rubric = load_rubric("annex5")
    sec = next((s for s in inp.report.sections if s.key == "1.6.6"), None)
    if inp.texts is None:
        return ItemScore(item, basis="expert", evidence=[*base, evidence("未能读取报告正文，案例数需人工清点")])
    if sec is None or sec.status == "missing":
        return ItemScore(item, basis="expert", evidence=[*base, evidence("未找到“产业计量测试综合服务案例”一节，案例数需人工清点")])
    found = prose.cases(inp.texts, "1.6.6", rubric.cases["label"], rubric.cases["other_industry"])
    if not found and inp.texts.under("1.6.6"):
        return ItemScore(item, basis="expert", evidence=[*base, evidence("该节有正文，但未识别出编号案例（如“案例一：”），案例数需人工清点")])
    chosen_paras = [c for c in found if c.other_industry == other]
    evid = [evidence(f"n = {len(chosen_paras)}：1.6.6 中编号案例{len(found)}个，其中{what}{len(chosen_paras)}个；"
                     "案例是否具备细则所列特征及证明材料由专家核查"), *base]
    evid += [evidence(f"计入：{snippet(c.para.text)}", c.para.location()) for c in chosen_paras]
    return auto(item, len(chosen_paras), evid)


# --- entities: projects, standards, patents, awards, papers -----------------------------------------


def entities_known(ex: Extraction) -> bool:
    """Whether the extractor gave any achievement entity at all: with none, counts of 0 would only
    say that nothing was extracted, so the entity items go to the expert."""
    e = ex.entities
    lists = ("patents", "standards", "projects", "awards", "papers", "talks", "trainings", "cases")
    return any(getattr(e, name, None) for name in lists)


def in_summary(entity: Any) -> bool:
    """Counted for this year's work: not in the next-year plan (二、) nor after it."""
    section = getattr(entity.location, "section", None)
    return section is None or section == "1" or section.startswith("1.")


def _dedupe(items: list[Any], key: Callable[[Any], str | None]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for x in items:
        k = key(x)
        if k is None:
            out.append(x)
        elif k not in seen:
            seen.add(k)
            out.append(x)
    return out


def _title_key(x: Any) -> str | None:
    return _norm(x.title) if getattr(x, "title", None) else None


def places_present(inp: Inputs, item: Item) -> bool:
    """Whether a section where the item's entities live has content of its own: then a report
    with no entity at all really wrote none (0), rather than being one the reader could not read."""
    keys = item.sections or ("1.7",)
    return any(s.status == "present" and any(s.key == k or s.key.startswith(k + ".") for k in keys)
               for s in inp.report.sections)


def searched(inp: Inputs, item: Item, what: str) -> dict[str, Any]:
    """The evidence of a count of 0: the sections read for it."""
    titles = {s.key: (s.title, s.status) for s in inp.report.sections}
    names = []
    for k in item.sections or ("1.7",):
        title, status = titles.get(k, ("", "missing"))
        names.append(f"{k} {title}" + ("（报告中缺失）" if status == "missing" else ""))
    return evidence(f"本报告未写{what}：已查找 {'、'.join(names)} 及其下各级标题中的段落、编号列表和表格"
                    f"（标题、列表和表格按其所在位置归类），均未找到，n = 0")


def _no_entities(item: Item, inp: Inputs, what: str) -> ItemScore:
    return expert_item(item, inp.report, inp.texts, [
        evidence(f"本报告未提取到任何{what}等成果条目（成果条目提取尚未提供，或报告未列出）：请专家按正文清点")])


def projects(inp: Inputs, category: str) -> list[Any]:
    ps = [p for p in inp.report.entities.projects if p.category == category and in_summary(p)]
    return _dedupe(ps, _title_key)


def _project_line(p: Any) -> str:
    return f"{LEVEL_WORDS.get(p.level, '其他')}｜{STATUS_WORDS.get(p.status, '状态未识别')}｜“{p.title or '（无题名）'}”"


def _uncategorised(inp: Inputs) -> list[dict[str, Any]]:
    rest = [p for p in inp.report.entities.projects if p.category is None and in_summary(p)]
    if not rest:
        return []
    return [evidence("未归类的项目（不计入，请专家判断归属）：" + "；".join(_project_line(p) for p in rest))]


def level_item(item: Item, inp: Inputs) -> ItemScore:
    """2.1.2, 2.2.2, 2.3.2: the band of the highest project level present; value = projects at it."""
    cat = item.project_category or ""
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "项目")
    ps = projects(inp, cat)
    counts = {"provincial_or_above": 0, "municipal": 0, "other": 0}
    unknown = [p for p in ps if p.level is None]  # never a silent 其他: the expert confirms (level-unknown)
    for p in ps:
        if p.level is not None:
            counts[LEVEL_GROUP.get(p.level, "other")] += 1
    top = next((g for g in counts if counts[g]), None)
    value = counts[top] if top else 0
    head = (f"{CATEGORY_WORDS[cat]}项目{len(ps)}项（完成和在研均计）：省部级及以上{counts['provincial_or_above']}项、"
            f"市级{counts['municipal']}项、其他{counts['other']}项；最高级别为"
            f"{GROUP_WORDS[top] if top else '无'}，n = {value}")
    evid = [evidence("口径：按出现的最高项目级别定档，n 为该级别的项目数；国家重点研发计划等国家级项目、省科技厅及总局或省局项目为省部级及以上，"
                     "设区市项目为市级，委托和自筹项目为其他"), evidence(head)]
    evid += [evidence(_project_line(p), p.location) for p in ps]
    if not ps:
        evid.append(searched(inp, item, CATEGORY_WORDS[cat] + "项目"))
    evid += _uncategorised(inp)
    if unknown:
        evid.append(evidence(f"级别未识别的项目{len(unknown)}项不计入任何级别（文中未写明级别，资助单位也无法判断）："
                             + "；".join(f"“{p.title or '（无题名）'}”" for p in unknown) + "。请专家核实级别"))
    score = auto(item, value, evid, **counts)
    if unknown:
        score.suggestion = f"有{len(unknown)}项项目级别未识别，专家确认级别后档次可能提高"
    return score


def completion_item(item: Item, inp: Inputs) -> ItemScore:
    """2.1.3, 2.2.3, 2.3.3: η = completed projects / projects of the category."""
    cat = item.project_category or ""
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "项目")
    ps = projects(inp, cat)
    done = [p for p in ps if p.status == "completed"]
    evid = []
    if not ps:
        evid.append(evidence(f"本报告没有{CATEGORY_WORDS[cat]}项目，η 无从计算，按“未达到上述要求”计"))
        evid += _uncategorised(inp)
        return _lowest(item, evid)
    eta = Fraction(len(done), len(ps))
    evid.append(evidence(f"η = {len(done)}/{len(ps)} = {pct(eta)}：{CATEGORY_WORDS[cat]}项目{len(ps)}项，已完成{len(done)}项"))
    evid += [evidence(_project_line(p), p.location) for p in ps]
    evid += _uncategorised(inp)
    if item.key == "2.1.3":
        return auto(item, eta, evid)
    if inp.texts is None:
        evid.append(evidence("未能读取报告正文，成果应用单位数需人工核查"))
        return depends_on(item, eta, evid, "proofs", "成果应用证明单位数")
    found = prose.applying_units(inp.texts, item.sections)
    if found.value is None:
        evid.append(evidence(f"{'、'.join(item.sections)} 中未写明成果应用单位数"))
        return depends_on(item, eta, evid, "proofs", "成果应用证明单位数")
    evid.append(evidence(f"成果应用单位数 = {found.value}（{found.how}）：{found.quotes[0]}", found.paras[0].location()))
    return auto(item, eta, evid, proofs=found.value)


def _lowest(item: Item, evid: list[dict[str, Any]]) -> ItemScore:
    lowest = item.bands[-1]
    return ItemScore(item, value=None, points=lowest.points, basis="auto", evidence=evid, band=lowest.text)


STANDARD_LEVEL = {"national": "国家级", "industry": "行业", "local": "地方", "group": "团体", "enterprise": "企业", None: "级别未识别"}


def _standards(inp: Inputs) -> list[Any]:
    ss = [s for s in inp.report.entities.standards if in_summary(s)]
    return _dedupe(ss, lambda s: _norm(s.code) if s.code else _title_key(s))


def _standard_line(s: Any) -> str:
    state = {"published": "已发布", "drafting": "编制中", None: "状态未识别"}[s.status]
    return f"{STANDARD_LEVEL.get(s.level, '?')}｜{state}｜{s.code or ''}{'《' + s.title + '》' if s.title else ''}"


def item_241(item: Item, inp: Inputs) -> ItemScore:
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "标准和技术规范")
    ss = _standards(inp)
    national = [s for s in ss if s.level == "national"]
    industry_local = [s for s in ss if s.level in ("industry", "local")]
    others = [s for s in ss if s.level not in ("national", "industry", "local")]
    evid = [evidence("口径：国家、行业、地方标准和技术规范，正在编制的也计；团体标准（T/…）和企业标准不计"),
            evidence(f"n = {len(national) + len(industry_local)}：国家级{len(national)}项，行业和地方{len(industry_local)}项")]
    evid += [evidence(_standard_line(s), s.location) for s in national + industry_local]
    if others:
        evid.append(evidence("不计：" + "；".join(_standard_line(s) for s in others)))
    if not ss:
        evid.append(searched(inp, item, "标准和技术规范"))
    score = auto(item, len(national) + len(industry_local), evid, national=len(national),
                 industry_local=len(industry_local))
    unknown = [s for s in ss if s.level is None]
    if unknown:
        score.suggestion = f"有{len(unknown)}项标准或技术规范级别未识别（不计入），专家确认为国家、行业或地方后 n 相应增加"
    return score


def item_242(item: Item, inp: Inputs) -> ItemScore:
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "标准和技术规范")
    ss = [s for s in _standards(inp) if s.level in ("national", "industry", "local")]
    evid = []
    if not ss:
        evid.append(evidence("本报告没有国家、行业、地方标准和技术规范编制项目，η 无从计算，按“未达到上述要求”计"))
        return _lowest(item, evid)
    published = [s for s in ss if s.status == "published"]
    eta = Fraction(len(published), len(ss))
    evid.append(evidence(f"η = {len(published)}/{len(ss)} = {pct(eta)}：国家、行业、地方标准和技术规范{len(ss)}项（含正在编制），已发布{len(published)}项"))
    evid += [evidence(_standard_line(s), s.location) for s in ss]
    events = _extracted(inp.report, "trainings")
    if events:
        evid.append(evidence(f"宣贯、培训次数 n = {len(events)}（报告列出的宣贯会、培训活动）"))
        evid += [evidence(f"{t.kind}｜{t.date or ''}｜{t.title or ''}", t.location) for t in events]
        return auto(item, eta, evid, trainings=len(events))
    if inp.texts is None:
        evid.append(evidence("未能读取报告正文，宣贯、培训次数需人工核查"))
        return depends_on(item, eta, evid, "trainings", "全年标准宣贯、培训次数")
    found = prose.trainings(inp.texts, item.sections)
    if found.value is None:
        evid.append(evidence(f"{'、'.join(item.sections)} 中{found.how}"))
        return depends_on(item, eta, evid, "trainings", "全年标准宣贯、培训次数")
    evid.append(evidence(f"宣贯、培训次数 n = {found.value}（{found.how}）：{'；'.join(dict.fromkeys(found.quotes))}",
                         found.paras[0].location()))
    return auto(item, eta, evid, trainings=found.value)


def item_251(item: Item, inp: Inputs) -> ItemScore:
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "专利")
    ps = _dedupe([p for p in inp.report.entities.patents if in_summary(p)],
                 lambda p: _norm(p.number).upper().removeprefix("ZL") if p.number else _title_key(p))
    granted = [p for p in ps if p.status == "granted" or (p.number or "").upper().startswith("ZL")]
    applied = [p for p in ps if p not in granted and p.status == "applied" and p.number]
    rest = [p for p in ps if p not in granted and p not in applied]
    n = len(granted) + len(applied)
    evid = [evidence("口径：已授权专利（专利号 ZL…）+ 已申请且有申请号的专利"),
            evidence(f"n = {n}：已授权{len(granted)}项，已申请（有申请号）{len(applied)}项")]
    evid += [evidence(f"{'已授权' if p in granted else '已申请'}｜{p.type or ''}｜{p.number}｜“{p.title or ''}”", p.location)
             for p in granted + applied]
    if rest:
        evid.append(evidence("不计（无专利号或申请号）：" + "；".join(f"“{p.title or ''}”" for p in rest)))
    if not ps:
        evid.append(searched(inp, item, "专利"))
    return auto(item, n, evid)


def item_252(item: Item, inp: Inputs) -> ItemScore:
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "项目")
    if inp.texts is None:
        return expert_item(item, inp.report, inp.texts, [evidence("未能读取报告正文，成果转化情况需人工核查")])
    ps = _dedupe([p for p in inp.report.entities.projects if in_summary(p)], _title_key)
    titles = [p.title for p in ps if p.title]
    applied = []
    for p in ps:
        para = inp.texts.at(p.location.paragraph)
        if para is None or not p.title:
            continue
        sentence = prose.applied_sentence(para.text, p.title, titles)
        if sentence:
            applied.append((p, sentence, para))
    evid = [evidence(f"n = {len(applied)}：报告写明成果已在企业或单位应用、推广或转化的科研项目{len(applied)}项"
                     f"（共{len(ps)}项科研项目）；“重大提升行业内现有技术水平”须专家认定，认定后可评2分")]
    evid += [evidence(f"“{p.title}”：{s}", para.location()) for p, s, para in applied]
    score = auto(item, len(applied), evid, major=None)
    score.suggestion = "若专家认定其中至少1项重大提升行业内现有技术水平，可评2分"
    score.suggested_points = 2 if applied else None
    return score


def item_253(item: Item, inp: Inputs) -> ItemScore:
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "科技奖励")
    aws = _dedupe([a for a in inp.report.entities.awards if in_summary(a)], _title_key)
    high = [a for a in aws if a.level in ("national", "provincial")]
    unknown = [a for a in aws if a.level is None]
    evid = [evidence(f"n = {len(high)}：省部级及以上科技奖励{len(high)}项（共{len(aws)}项）")]
    evid += [evidence(f"{LEVEL_WORDS.get(a.level, '其他')}｜“{a.title or ''}”{'' if a in high else '（不计）'}", a.location)
             for a in aws]
    if not aws:
        evid.append(searched(inp, item, "科技奖励"))
    score = auto(item, len(high), evid)
    if unknown:
        score.suggestion = f"有{len(unknown)}项奖励级别未识别（不计入），专家确认为省部级及以上后 n 相应增加"
    return score


def item_254(item: Item, inp: Inputs) -> ItemScore:
    if not entities_known(inp.report) and not places_present(inp, item):
        return _no_entities(item, inp, "论文")
    papers = _dedupe([p for p in inp.report.entities.papers if in_summary(p)], _title_key)
    indexed = [p for p in papers if p.indexed in ("SCI", "EI", "CSCD")]
    evid = [evidence("口径：SCI、EI、CSCD 收录的论文 + 国内外学术交流报告；仅列为中文核心的不计")]
    reports = 0
    talks = _extracted(inp.report, "talks")
    if talks:
        reports = len(talks)
        evid += [evidence(f"学术交流报告｜{t.date or ''}｜“{t.title or ''}”", t.location) for t in talks]
    elif inp.texts is not None:
        found = prose.academic_reports(inp.texts, ("1.7",))
        reports = found.value or 0
        if found.quotes:
            evid.append(evidence(f"学术交流报告{reports}次（{found.how}）：{'；'.join(dict.fromkeys(found.quotes))}",
                                 found.paras[0].location()))
    else:
        evid.append(evidence("未能读取报告正文，学术交流报告次数未计"))
    n = len(indexed) + reports
    evid.insert(1, evidence(f"n = {n}：收录论文{len(indexed)}篇，学术交流报告{reports}次"))
    evid += [evidence(f"{p.indexed or '未收录'}｜“{p.title or ''}”{'，' + p.venue if p.venue else ''}"
                      f"{'' if p in indexed else '（不计）'}", p.location) for p in papers]
    unclear = [p for p in papers if p.indexed is None and getattr(p, "index_statement", None)]
    if unclear:
        evid.append(evidence(f"收录类别待专家核对：{len(unclear)}篇论文条目未注明收录类别，列表说明为“{unclear[0].index_statement}”，"
                             "暂不计入；核对后如属 SCI、EI、CSCD 收录，n 相应增加"))
    if n == 0 and inp.texts is None:
        return ItemScore(item, value=None, basis="expert", evidence=evid)
    if not papers and not talks and reports == 0:
        evid.append(searched(inp, item, "论文和学术交流报告"))
    return auto(item, n, evid)


# --- the plan and assigned-task items ---------------------------------------------------------------

_DONE_WORDS = ("均已按时", "均按时完成", "均已完成", "全部完成", "按时保质完成", "均已落实")
_NONE_WORDS = ("无交办", "没有交办", "未有交办", "未交办")


def item_assigned(item: Item, inp: Inputs) -> ItemScore:
    score = expert_item(item, inp.report, inp.texts)
    score.evidence.append(evidence("须征求省市场监管局计量处意见；本项低于4分（不落实或落实不到位）时不得评为优秀"))
    if inp.texts is None:
        return score
    text = "".join(p.text for p in inp.texts.under("3"))
    if any(w in text for w in _NONE_WORDS):
        score.suggestion = "建议（供参考）：报告称省局没有交办任务，对应“4-5分”档；须征求省局计量处意见"
    elif any(w in text for w in _DONE_WORDS):
        score.suggestion = "建议（供参考）：报告称交办任务均已完成，若省局计量处确认效果很好，对应“4-5分”档"
    return score


def item_plan(item: Item, inp: Inputs) -> ItemScore:
    score = expert_item(item, inp.report, inp.texts)
    for kind in ("equipment_plan", "calibration_items_plan", "key_parameter_items_plan"):
        t = inp.report.tables.get(kind)
        if t is not None:
            score.evidence.append(evidence(f"“{TABLE_LABELS[kind]}”：{len(t.rows)}行", t.location))
    return score


CALCULATORS: dict[str, Callable[[Item, Inputs], ItemScore]] = {
    "1.2.1": lambda it, inp: eta_item(it, inp, "equipment"),
    "1.3.1": item_131,
    "1.3.2": lambda it, inp: eta_item(it, inp, "calibration_items"),
    "1.4.4": lambda it, inp: eta_item(it, inp, "key_parameter_items"),
    "1.5.1": item_151,
    "1.5.2": lambda it, inp: _cases_item(it, inp, other=False),
    "1.5.3": lambda it, inp: _cases_item(it, inp, other=True),
    "2.1.2": level_item,
    "2.1.3": completion_item,
    "2.2.2": level_item,
    "2.2.3": completion_item,
    "2.3.2": level_item,
    "2.3.3": completion_item,
    "2.4.1": item_241,
    "2.4.2": item_242,
    "2.5.1": item_251,
    "2.5.2": item_252,
    "2.5.3": item_253,
    "2.5.4": item_254,
    "二.1": item_plan,
    "三.1": item_assigned,
}


def score_items(inp: Inputs, rubric: Rubric | None = None) -> dict[str, ItemScore]:
    """Every item of annex 5, in the rubric's order."""
    rubric = rubric or load_rubric("annex5")
    out = {}
    for item in rubric.items:
        calc = CALCULATORS.get(item.key)
        out[item.key] = calc(item, inp) if calc else expert_item(item, inp.report, inp.texts)
    return out
