"""imtc.validate: each rule on hand-made Extractions, as docs/validation.md says it fires (or not)."""

from __future__ import annotations

from typing import Any

import pytest

from imtc.findings import CATALOGUE, INTERNAL_ERROR, SECTION_MISSING
from imtc.models import (
    ROW_MODELS,
    TABLE_KINDS,
    Extraction,
    Finding,
    Location,
    Meta,
    Section,
    Source,
    new_table,
)
from imtc.templates import outline
from imtc.validate import RULES, validate
from imtc.validate.registry import Rule, UndeclaredCode, rule, run
from imtc.validate.tables import fmt_amount

CENTER = "浙江省动力电池产业计量测试中心"

# One valid row per table kind: what a clean document has.
GOOD_ROWS: dict[str, dict[str, Any]] = {
    "calibration_needs": {"parameter": "电压", "range": "(0~1000) V", "requirement": "MPE: ±0.02%"},
    "key_parameter_needs": {"parameter": "内阻", "range": "(0.1~100) mΩ", "requirement": "±0.5%"},
    "traceability": {"need_parameter": "电压", "need_range": "(0~5) V", "basis": "JJF 1587-2016"},
    "equipment": {"name": "电池充放电测试系统", "model": "BTS-5V100A", "investment_wan": 120.0,
                  "status": "新建"},
    "calibration_items": {"instrument": "电池测试系统", "quantity": "直流电压", "specification": "JJF 1587-2016",
                          "range": "(0~5) V"},
    "key_parameter_items": {"parameter": "容量", "range": "(0~300) Ah", "specification": "GB/T 31486-2015",
                            "instrument": "电池充放电测试系统"},
    "roadmaps": {"area": "frontier", "milestone": "2025年", "focus": "固态电池", "goal": "建立测量方法"},
}
for _base in ("equipment", "calibration_items", "key_parameter_items"):
    GOOD_ROWS[_base + "_plan"] = GOOD_ROWS[_base + "_done"] = GOOD_ROWS[_base]


def table(kind: str, rows: list[dict[str, Any]], status: str | None = None, **extra: Any) -> Any:
    t = new_table(kind)
    t.rows = [ROW_MODELS[kind](**r) for r in rows]
    t.status = status or ("present" if rows else "empty")
    for key, value in extra.items():
        setattr(t, key, value)
    return t


def doc(kind: str = "application", *, status: dict[str, str] | None = None,
        tables: dict[str, Any] | None = None, center_name: str | None = CENTER,
        drop: tuple[str, ...] = ()) -> Extraction:
    """A clean document of `kind` (every section present, every table with one good row),
    changed by `status` (section key -> status), `tables` (kind -> table) and `drop` (tables left out)."""
    status = status or {}
    sections = [Section(key=s.key, title=s.title, status=status.get(s.key, "present"),
                        location=Location(paragraph=10 * i, page=1 + i // 5))
                for i, s in enumerate(outline(kind).sections)]
    all_tables: dict[str, Any] = {}
    for i, k in enumerate(TABLE_KINDS[kind]):
        row = {"seq": "1", **GOOD_ROWS[k]} if "seq" in ROW_MODELS[k].model_fields else GOOD_ROWS[k]
        all_tables[k] = table(k, [row], location=Location(table=i, page=3), **(
            {"total_wan": row["investment_wan"]} if "investment_wan" in row else {}))
    all_tables.update(tables or {})
    for k in drop:
        del all_tables[k]
    return Extraction(source=Source(file="x.docx", format="docx", sha256="0" * 64), kind=kind,
                      meta=Meta(center_name=center_name), sections=sections, tables=all_tables)


def keys(findings: list[Finding]) -> list[tuple[str, str | None, int | None, str | None]]:
    return sorted(((f.code, f.location.section, f.location.row, f.location.field) for f in findings),
                  key=str)


def one(findings: list[Finding], code: str) -> Finding:
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, findings
    return hits[0]


# --- the registry ------------------------------------------------------------------------------


def test_every_rule_declares_validate_codes_of_the_catalogue() -> None:
    declared = {code for r in RULES for code in r.codes}
    validate_codes = {c.code for c in CATALOGUE.values() if c.stage == "validate"}
    assert declared == validate_codes


def test_a_rule_emitting_an_undeclared_code_is_an_error() -> None:
    bad = Rule("bad", frozenset({"section-missing"}), lambda ex: [INTERNAL_ERROR(error="x")])
    with pytest.raises(UndeclaredCode, match="bad"):
        run(doc(), [bad])


def test_rule_refuses_codes_of_the_extract_stage() -> None:
    with pytest.raises(ValueError, match="internal-error"):
        rule(INTERNAL_ERROR)


def test_validate_does_not_change_the_extraction() -> None:
    ex = doc(status={"7.1": "missing"})
    before = ex.model_dump()
    found = validate(ex)
    assert found and ex.model_dump() == before and ex.findings == []


@pytest.mark.parametrize("kind", ["application", "annual_report"])
def test_clean_document_has_no_findings(kind: str) -> None:
    assert validate(doc(kind)) == []


def test_unreadable_file_gets_no_validate_findings() -> None:
    ex = Extraction(source=Source(file="x.docx", format="docx", sha256=""), kind="unreadable")
    assert validate(ex) == []


# --- outline -----------------------------------------------------------------------------------


def test_section_missing_under_present_parent() -> None:
    found = validate(doc(status={"7.1": "missing"}))
    assert keys(found) == [("section-missing", "7.1", None, None)]
    assert "7.1 建设目标" in found[0].message
    assert found[0].severity == "error"


def test_missing_chapter_is_one_finding_not_one_per_sub_section() -> None:
    nine = {s.key: "missing" for s in outline("application").sections if s.key.split(".")[0] == "9"}
    found = validate(doc(status=nine, tables={"roadmaps": table("roadmaps", [], status="missing")}))
    # neither 9.1, 9.1.1 … nor the roadmaps table of the missing 9.1.1
    assert keys(found) == [("section-missing", "9", None, None)]


def test_missing_sub_section_under_missing_parent_is_not_reported() -> None:
    found = validate(doc(status={"9.1": "missing", "9.1.1": "missing", "9.1.2": "missing",
                                 "9.1.3": "missing"}))
    assert keys(found) == [("section-missing", "9.1", None, None)]


def test_suggested_sub_item_missing_is_a_warning_of_its_own() -> None:
    found = validate(doc("annual_report", status={"1.1.2": "missing"}))
    assert keys(found) == [("section-suggested-missing", "1.1.2", None, None)]
    assert found[0].severity == "warning"
    assert "1.1.2 产业的认识与界定" in found[0].message


def test_suggested_sub_items_under_missing_parent_are_not_reported() -> None:
    status = {"1.1": "missing", "1.1.1": "missing", "1.1.2": "missing", "1.1.3": "missing"}
    found = validate(doc("annual_report", status=status))
    assert keys(found) == [("section-missing", "1.1", None, None)]


def test_non_suggested_section_of_annual_report_is_section_missing() -> None:
    found = validate(doc("annual_report", status={"1.4": "missing"}))
    assert keys(found) == [("section-missing", "1.4", None, None)]


def test_section_empty_on_a_leaf_with_its_heading_location() -> None:
    found = validate(doc(status={"7.1": "empty"}))
    assert keys(found) == [("section-empty", "7.1", None, None)]
    ex_section = next(s for s in doc().sections if s.key == "7.1")
    assert found[0].location.paragraph == ex_section.location.paragraph
    assert found[0].location.page == ex_section.location.page
    assert "7.1 建设目标" in found[0].message


def test_section_empty_is_not_reported_for_a_parent() -> None:
    ten = {s.key: "empty" for s in outline("application").sections if s.key.split(".")[0] == "10"}
    found = validate(doc(status=ten))
    assert keys(found) == [("section-empty", f"10.{i}", None, None) for i in range(1, 8)]


# --- table presence ----------------------------------------------------------------------------


def test_table_missing_under_present_section() -> None:
    found = validate(doc(tables={"equipment": table("equipment", [], status="missing")}))
    assert keys(found) == [("table-missing", "8.2", None, None)]
    assert "测量仪器设备配置表" in found[0].message and "8.2" in found[0].message


def test_table_absent_from_the_extraction_counts_as_missing() -> None:
    found = validate(doc(drop=("traceability",)))
    assert keys(found) == [("table-missing", "8.1", None, None)]


def test_table_missing_under_missing_section_is_not_reported() -> None:
    found = validate(doc(status={"8.2": "missing"},
                         tables={"equipment": table("equipment", [], status="missing")}))
    assert keys(found) == [("section-missing", "8.2", None, None)]


def test_table_missing_under_empty_section_is_reported_with_section_empty() -> None:
    found = validate(doc(status={"8.2": "empty"},
                         tables={"equipment": table("equipment", [], status="missing")}))
    assert keys(found) == [("section-empty", "8.2", None, None), ("table-missing", "8.2", None, None)]


def test_roadmaps_belong_to_9_1_1() -> None:
    found = validate(doc(tables={"roadmaps": table("roadmaps", [], status="missing")}))
    assert keys(found) == [("table-missing", "9.1.1", None, None)]


def test_annual_report_tables_by_their_sections() -> None:
    empty = {k: table(k, [], status="missing") for k in TABLE_KINDS["annual_report"]}
    found = validate(doc("annual_report", tables=empty))
    # the *_done tables are optional: annex 4 names 一（六）1-6 but gives them no table
    assert keys(found) == sorted([("table-missing", s, None, None) for s in ("2.2.1", "2.2.2", "2.2.3")], key=str)


def test_table_empty_under_present_section() -> None:
    empty = table("calibration_items", [], location=Location(table=4, page=9))
    found = validate(doc(tables={"calibration_items": empty}))
    assert keys(found) == [("table-empty", "8.3", None, None)]
    assert found[0].location.table == 4 and found[0].location.page == 9
    assert "校准项目能力表" in found[0].message


def test_table_empty_under_empty_section_is_said_by_section_empty_alone() -> None:
    found = validate(doc(status={"8.3": "empty"}, tables={"calibration_items": table("calibration_items", [])}))
    assert keys(found) == [("section-empty", "8.3", None, None)]


# --- equipment totals and status ---------------------------------------------------------------


def equipment(amounts: list[float | None], total: float | None, kind: str = "equipment", **row: Any) -> Any:
    rows = [{**GOOD_ROWS["equipment"], "seq": str(i + 1), "investment_wan": a, **row}
            for i, a in enumerate(amounts)]
    return table(kind, rows, total_wan=total, location=Location(table=6, page=12))


def test_total_mismatch_names_both_figures() -> None:
    found = validate(doc(tables={"equipment": equipment([120, 85.5], 830.5)}))
    assert keys(found) == [("total-mismatch", "8.2", None, None)]
    f = found[0]
    assert "830.5" in f.message and "205.5" in f.message and "测量仪器设备配置表" in f.message
    assert f.location.table == 6 and f.severity == "error"


def test_total_mismatch_figures_have_no_trailing_zeros() -> None:
    f = one(validate(doc(tables={"equipment": equipment([100, 20.5], 120.0)})), "total-mismatch")
    assert "合计为 120 万元" in f.message and "之和为 120.5 万元" in f.message


def test_total_within_half_a_hundredth_is_equal() -> None:
    assert validate(doc(tables={"equipment": equipment([0.1, 0.2], 0.3)})) == []
    assert validate(doc(tables={"equipment": equipment([10.004], 10.0)})) == []
    assert keys(validate(doc(tables={"equipment": equipment([10.01], 10.0)}))) == [
        ("total-mismatch", "8.2", None, None)]


def test_total_checks_skip_rows_without_amount_and_tables_without_amounts() -> None:
    # "/" in the amount cell is null (and not a required-field finding): the other rows still sum to the total
    assert validate(doc(tables={"equipment": equipment([120, None], 120)})) == []
    # no amount at all: neither total-mismatch nor total-absent
    assert validate(doc(tables={"equipment": equipment([None], 50)})) == []
    assert validate(doc(tables={"equipment": equipment([None], None)})) == []


def test_total_absent_gives_the_sum() -> None:
    found = validate(doc(tables={"equipment": equipment([120, 85.5], None)}))
    assert keys(found) == [("total-absent", "8.2", None, None)]
    assert "205.5" in found[0].message


def test_total_rules_apply_to_plan_and_done_tables() -> None:
    found = validate(doc("annual_report", tables={"equipment_plan": equipment([1, 2], 4, "equipment_plan"),
                                                  "equipment_done": equipment([1, 2], None, "equipment_done")}))
    assert keys(found) == [("total-absent", "1.6.5", None, None), ("total-mismatch", "2.2.1", None, None)]
    assert "测量仪器设备购置计划" in one(found, "total-mismatch").message


def test_equipment_status_invalid() -> None:
    t = equipment([120, 80], 200)
    t.rows[1].status = "拟购"
    t.rows[0].status = " 已建 "
    found = validate(doc(tables={"equipment": t}))
    assert keys(found) == [("equipment-status-invalid", "8.2", 1, "status")]
    f = found[0]
    assert "第 2 行" in f.message and "电池充放电测试系统" in f.message and "拟购" in f.message
    assert f.location.table == 6 and f.location.page == 12


def test_equipment_status_null_is_not_reported() -> None:
    assert validate(doc(tables={"equipment": equipment([120], 120, status=None)})) == []


# --- 序号 ----------------------------------------------------------------------------------------


def items(seqs: list[str | None], kind: str = "calibration_items") -> Any:
    return table(kind, [{**GOOD_ROWS[kind], "seq": s} for s in seqs], location=Location(table=7))


def test_seq_gap_one_finding_per_gap_naming_the_numbers() -> None:
    found = validate(doc(tables={"calibration_items": items(["1", "2", "4", "5", "8"])}))
    assert keys(found) == [("seq-gap", "8.3", 2, None), ("seq-gap", "8.3", 4, None)]
    first, second = sorted(found, key=lambda f: f.location.row)
    assert "2 之后跳到 4" in first.message and "5 之后跳到 8" in second.message
    assert first.location.table == 7


def test_seq_gap_skips_null_seq_and_trims() -> None:
    assert validate(doc(tables={"calibration_items": items(["1", None, " 2 ", "3"])})) == []
    found = validate(doc(tables={"calibration_items": items(["1", None, "3"])}))
    assert keys(found) == [("seq-gap", "8.3", 2, None)]


def test_seq_gap_not_checked_when_some_seq_is_not_a_positive_integer() -> None:
    assert validate(doc(tables={"calibration_items": items(["1", "2", "2.1", "5"])})) == []
    assert validate(doc(tables={"calibration_items": items(["0", "3"])})) == []


def test_seq_repeat_one_finding_per_repeat() -> None:
    found = validate(doc(tables={"key_parameter_items": items(["1", "2", "2", "3", "2"], "key_parameter_items")}))
    assert keys(found) == [("seq-repeat", "8.4", 2, None), ("seq-repeat", "8.4", 4, None)]
    assert all("序号 2 重复" in f.message for f in found)


def test_seq_repeat_and_gap_together() -> None:
    found = validate(doc(tables={"calibration_needs": items(["1", "3", "3"], "calibration_needs")}))
    assert keys(found) == [("seq-gap", "5.1", 1, None), ("seq-repeat", "5.1", 2, None)]


# --- required fields ---------------------------------------------------------------------------


def test_required_field_empty_one_finding_per_row_and_field() -> None:
    t = equipment([120, 80], 200)
    t.rows[1].model = None
    t.rows[1].name = None
    found = validate(doc(tables={"equipment": t}))
    assert keys(found) == [("required-field-empty", "8.2", 1, "model"), ("required-field-empty", "8.2", 1, "name")]
    model = next(f for f in found if f.location.field == "model")
    assert "第 2 行" in model.message and "型号规格" in model.message and "测量仪器设备配置表" in model.message
    assert model.location.table == 6


def test_required_field_label_of_a_two_level_header() -> None:
    t = table("traceability", [{"seq": "1", "need_range": "(0~5) V"}], location=Location(table=2))
    found = validate(doc(tables={"traceability": t}))
    assert keys(found) == [("required-field-empty", "8.1", 0, "need_parameter")]
    assert "第 1 行" in found[0].message and "参数名称" in found[0].message


def test_optional_fields_may_be_empty() -> None:
    row = {"seq": "1", **GOOD_ROWS["calibration_items"], "requirement": None, "limitation": None}
    assert validate(doc(tables={"calibration_items": table("calibration_items", [row])})) == []


def test_roadmap_rows_are_reported_under_9_1_1() -> None:
    rows = [GOOD_ROWS["roadmaps"], {**GOOD_ROWS["roadmaps"], "area": "common_technology", "goal": None}]
    found = validate(doc(tables={"roadmaps": table("roadmaps", rows, location=Location(table=11))}))
    assert keys(found) == [("required-field-empty", "9.1.1", 1, "goal")]
    assert "发展目标" in found[0].message and found[0].location.table == 11


# --- center name -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["application", "annual_report"])
def test_center_name_absent(kind: str) -> None:
    found = validate(doc(kind, center_name=None))
    assert keys(found) == [("center-name-absent", None, None, None)]


def test_center_name_absent_not_reported_for_unknown_documents() -> None:
    ex = Extraction(source=Source(file="x.docx", format="docx", sha256=""), kind="unknown")
    assert validate(ex) == []


@pytest.mark.parametrize(("kind", "name", "ok"), [
    ("application", "浙江省动力电池产业计量测试中心", True),
    ("application", "浙江省电力碳计量测试中心", True),
    ("application", "浙江动力电池检测中心", False),
    ("application", "浙江省产业计量测试中心", False),
    ("application", "国家动力电池产业计量测试中心", False),
    ("application", "浙江省动力电池产业计量测试中心（筹）", False),
    ("annual_report", "国家动力电池产业计量测试中心", True),
    ("annual_report", "浙江省动力电池产业计量测试中心", True),
    ("annual_report", "国家动力电池检测中心", False),
])
def test_center_name_form(kind: str, name: str, ok: bool) -> None:
    found = validate(doc(kind, center_name=name))
    if ok:
        assert found == []
    else:
        assert keys(found) == [("center-name-form", None, None, None)]
        assert name in found[0].message


# --- helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [(830.5, "830.5"), (120.0, "120"), (0.1 + 0.2, "0.3"),
                                             (1e6, "1000000"), (-0.00001, "0"), (12.345, "12.345")])
def test_fmt_amount(value: float, text: str) -> None:
    assert fmt_amount(value) == text


def test_section_missing_message_comes_from_the_catalogue() -> None:
    assert SECTION_MISSING(Location(section="5.1"), key="5.1", title="校准项目技术需求表").message == \
        "缺少章节“5.1 校准项目技术需求表”。请按模板补充该章节。"
