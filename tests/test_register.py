"""The register (imtc/register/): the sample centers' documents recorded with their dates, the
desk's records of tests/data/register-desk.toml, and what the measures' calendar makes of them on
given days — on SQLite and on PostgreSQL (tests/pg.py)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from imtc.cli import app
from imtc.models import Extraction
from imtc.pipeline import check_file
from imtc.register.desk import load_desk_file
from imtc.register.figures import figures_by_year
from imtc.register.records import Register, RegisterError
from imtc.register.service import center_report, chart, export, listing, reference_day
from imtc.register.state import Evaluation, Facts, StatusChange, add_months, state
from imtc.store import Store, center_key
from tests.pg import db_url  # noqa: F401  (SQLite and PostgreSQL)

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
DESK = Path(__file__).parent / "data" / "register-desk.toml"
DOCUMENTS = ["power-battery.docx", "report-power-battery-2024.docx", "report-power-battery-2025.docx",
             "integrated-circuit.docx", "report-integrated-circuit-2024.docx", "report-integrated-circuit-2025.docx",
             "smart-pv.docx"]
BATTERY, CIRCUIT = "浙江省动力电池产业计量测试中心", "浙江省集成电路产业计量测试中心"
PV, TEXTILE = "浙江省智能光伏产业计量测试中心", "浙江省纺织产业计量测试中心"


@pytest.fixture(scope="module")
def extractions() -> dict[str, Extraction]:
    return {name: check_file(SAMPLES / name) for name in DOCUMENTS}


@pytest.fixture()
def store(db_url: str, extractions: dict[str, Extraction]) -> Store:  # noqa: F811
    with Store(db_url) as s:
        for ex in extractions.values():
            assert s.record(ex)
        assert load_desk_file(Register(s), DESK) == 3
        yield s


def due(store: Store, day: str) -> dict[str, list[tuple[str, str, bool]]]:
    d, y = reference_day(day, None)
    return {v.name: [(o.what, o.deadline, o.overdue) for o in v.due] for v in listing(store, d, y, due_only=True).centers}


def test_who_is_due_on_a_given_day(store: Store) -> None:
    assert due(store, "2024-12-10") == {}  # both reported for 2024; both younger than two years
    # 2025: both reported; the battery center is two years old on 20 December, evaluated on the 22nd
    assert due(store, "2025-12-10") == {BATTERY: [("evaluation", "2025-12-31", False)]}
    assert due(store, "2025-12-23") == {}  # evaluated 不合格 the day before: 整改 until 22 June, 2025 reported
    assert due(store, "2026-03-01") == {
        BATTERY: [("annual_report", "2026-11-30", False), ("rectification", "2026-06-22", False)],
        CIRCUIT: [("annual_report", "2026-11-30", False), ("evaluation", "2026-12-31", False)]}
    assert due(store, "2026-07-01")[BATTERY][1] == ("rectification", "2026-06-22", True)
    assert due(store, "2026-12-05")[CIRCUIT][0] == ("annual_report", "2026-11-30", True)


def test_centers_due_json_names_exactly_the_expected_centers(store: Store) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["centers", "--due", "--json", "--date", "2025-12-10", "--db", store.url])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [c["name"] for c in data["centers"]] == [BATTERY]
    assert (data["date"], data["year"], data["due_only"]) == ("2025-12-10", 2025, True)
    res = runner.invoke(app, ["centers", "--due", "--json", "--date", "2026-03-01", "--db", store.url])
    assert [c["name"] for c in json.loads(res.stdout)["centers"]] == [BATTERY, CIRCUIT]
    res = runner.invoke(app, ["centers", "--json", "--year", "2024", "--db", store.url])
    everyone = json.loads(res.stdout)
    assert everyone["date"] == "2024-12-31"
    assert {c["name"]: c["status"] for c in everyone["centers"]} == {
        BATTERY: "建设中", CIRCUIT: "建设中", PV: "申请中", TEXTILE: "撤销"}


def test_a_center_record_from_documents_and_desk(store: Store) -> None:
    v = Register(store).center("浙江动力电池产业计量测试中心", date(2026, 1, 10))
    assert (v.level, v.unit, v.industry, v.founded_on) == ("provincial", "浙江省计量科学研究院", "动力电池", "2023-12-20")
    assert [(c.status, c.on, c.source) for c in v.history] == [
        ("申请中", "2023-09-15", "application"), ("建设中", "2023-12-20", "desk"), ("整改", "2025-12-22", "evaluation")]
    assert (v.status, v.status_since, v.next_deadline) == ("整改", "2025-12-22", "2026-06-22")
    assert [(d.kind, d.year) for d in v.documents] == [("application", 2023), ("annual_report", 2024),
                                                        ("annual_report", 2025)]
    pv = Register(store).center(PV, date(2026, 1, 10))
    assert (pv.status, pv.unit, pv.due, pv.next_deadline) == ("申请中", "嘉兴市计量检定测试院", [], None)
    textile = Register(store).center(TEXTILE, date(2024, 1, 1))
    assert (textile.status, textile.barred_until, textile.next_deadline) == ("撤销", "2025-03-15", "2025-03-15")


def test_figures_per_year_and_the_trend_chart(store: Store, tmp_path: Path) -> None:
    report = center_report(store, BATTERY, date(2026, 1, 10))
    rows = {f.year: f for f in report.figures}
    assert sorted(rows) == [2023, 2024, 2025]
    assert (rows[2023].kind, rows[2023].eta_equipment, rows[2023].patents) == ("application", None, 3)
    r25 = rows[2025]  # annex 5 1.2.1: 7 of the 10 plan rows of 2024 bought in 2025 (README)
    assert (r25.eta_equipment, r25.eta_key_parameter, r25.patents, r25.standards, r25.projects) == (0.7, 0.8, 4, 3, 7)
    assert (r25.total, r25.grade, rows[2024].grade) == (55.5, "不合格", None)
    png = chart(report)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    target = tmp_path / "battery.png"
    res = CliRunner().invoke(app, ["center", BATTERY, "--chart", str(target), "--db", store.url, "--date", "2026-01-10"])
    assert res.exit_code == 0, res.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "状态：整改（自 2025-12-22）" in res.stdout and "不合格" in res.stdout


def test_export_workbook(store: Store, tmp_path: Path) -> None:
    Register(store).set_profile(PV, unit="=HYPERLINK(\"http://x\")")  # a desk typo that looks like a formula
    target = tmp_path / "register.xlsx"
    assert export(store, target, date(2026, 3, 1), 2026) == 4
    wb = load_workbook(target)
    assert wb.sheetnames == ["中心", "状态记录", "年度数据"]
    centers = {r[0]: r for r in wb["中心"].iter_rows(min_row=2, values_only=True)}
    assert centers[BATTERY][5:8] == ("整改", "2025-12-22", "2026-06-22")
    assert "整改期满（第十二条），期限 2026-06-22" in centers[BATTERY][8]
    cell = wb["中心"].cell(row=list(centers).index(PV) + 2, column=3)
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")"
    years = [(r[0], r[1]) for r in wb["年度数据"].iter_rows(min_row=2, values_only=True)]
    assert (CIRCUIT, 2025) in years and (BATTERY, 2023) in years
    figures = wb["年度数据"]
    formats = {figures.cell(row=1, column=c).value: figures.cell(row=2, column=c).number_format for c in (4, 7, 12)}
    assert formats == {"η 设备购置(1.2.1)": "0.0%", "专利": "General", "预评总得分": "General"}


def test_application_from_a_revoked_unit_gets_a_finding(store: Store, extractions: dict[str, Extraction]) -> None:
    reg = Register(store)
    [f] = reg.revocation_findings(extractions["smart-pv.docx"])  # 嘉兴市计量检定测试院, 2024-07-08
    assert f.code == "application-after-revocation" and f.severity == "error"
    assert "2022-03-15" in f.message and "至 2025-03-15" in f.message and "2024-07-08" in f.message
    later = extractions["smart-pv.docx"].model_copy(deep=True)
    later.meta.submitted_on = "2025-03-15"
    assert reg.revocation_findings(later) == []  # three years are over
    assert reg.revocation_findings(extractions["power-battery.docx"]) == []
    assert reg.revocation_findings(extractions["report-power-battery-2025.docx"]) == []


def test_desk_edits_and_their_errors(store: Store) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["center", CIRCUIT, "--evaluation", "后续评价:2026:合格:78.5", "--on", "2026-12-15",
                              "--db", store.url, "--json", "--date", "2026-12-20"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [o["what"] for o in data["center"]["due"]] == ["annual_report"]  # evaluated; the 2026 report still owed
    assert data["figures"][-1]["year"] == 2026 and data["figures"][-1]["grade"] == "合格"
    for args, message in ((["--status", "停办", "--on", "2026-01-01"], "状态“停办”无效"),
                          (["--status", "取消"], "须用 --on 给出日期"),
                          (["--evaluation", "后续评价:2026", "--on", "2026-01-01"], "格式应为"),
                          (["--founded", "2026-13-01"], "不是有效日期")):
        res = runner.invoke(app, ["center", CIRCUIT, *args, "--db", store.url])
        assert res.exit_code == 2 and message in res.stderr, (args, res.output)
    res = runner.invoke(app, ["center", "浙江省海洋装备产业计量测试中心", "--db", store.url])
    assert res.exit_code == 2 and "记录库中没有中心" in res.stderr
    res = runner.invoke(app, ["center", "浙江省海洋装备产业计量测试中心", "--add", "--founded", "2020-05-01",
                              "--status", "运行", "--on", "2022-05-01", "--db", store.url, "--json", "--date", "2026-03-01"])
    assert res.exit_code == 0, res.output
    v = json.loads(res.stdout)["center"]
    assert (v["status"], v["founded_on"], [o["what"] for o in v["due"]]) == ("运行", "2020-05-01",
                                                                              ["annual_report", "evaluation"])
    load_desk_file(Register(store), DESK)  # loading again adds nothing
    assert len(Register(store).center(BATTERY, date(2026, 1, 1)).history) == 3
    with pytest.raises(RegisterError, match="等级"):
        Register(store).add_evaluation(BATTERY, kind="后续评价", year=2026, grade="良好", on="2026-12-01")


# --- the calendar itself (no database) ------------------------------------------------------------


def test_every_two_years_after_the_first_two() -> None:
    facts = Facts(founded_on="2020-03-01", events=[StatusChange(status="运行", on="2020-03-01", source="desk")],
                  evaluations=[Evaluation(kind="后续评价", year=2025, grade="优秀", total=90, on="2025-12-01")],
                  reports=[(2026, "2026-11-20")])
    assert [o.what for o in state(facts, date(2026, 12, 1)).due] == []  # evaluated in 2025: next in 2027
    assert [o.what for o in state(facts, date(2027, 6, 1)).due] == ["annual_report", "evaluation"]
    young = Facts(events=[StatusChange(status="建设中", on="2026-01-10", source="desk")])
    assert [o.what for o in state(young, date(2027, 12, 1)).due] == ["annual_report"]  # two years only in 2028
    assert [o.what for o in state(young, date(2028, 12, 1)).due] == ["annual_report", "evaluation"]


def test_rectification_ends_with_a_passing_evaluation() -> None:
    facts = Facts(events=[StatusChange(status="运行", on="2020-03-01", source="desk")], evaluations=[
        Evaluation(kind="后续评价", year=2024, grade="不合格", on="2024-12-10"),
        Evaluation(kind="后续评价", year=2025, grade="合格", on="2025-05-20")])
    s = state(facts, date(2025, 3, 1))
    assert (s.status, [o.deadline for o in s.due if o.what == "rectification"]) == ("整改", ["2025-06-10"])
    s = state(facts, date(2025, 6, 1))
    assert (s.status, s.status_since) == ("运行", "2025-05-20")
    assert s.history[-1].note == "2025年度后续评价合格，整改结束"


def test_undecidable_things_are_said() -> None:
    s = state(Facts(reports=[(2024, "2024-11-20")]), date(2025, 1, 5))  # reports, but no approval recorded
    assert s.status == "运行" and "推定" in s.status_note
    assert any("未记录成立" in n for n in s.notes) and [o.what for o in s.due] == ["annual_report"]
    assert state(Facts(), date(2025, 1, 5)).status is None


def test_month_arithmetic() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 22), 6) == date(2026, 6, 22)
    with pytest.raises(RegisterError, match="日期“2025-02-30”无效"):
        reference_day("2025-02-30", None)


def test_figures_without_reports(db_url: str) -> None:  # noqa: F811
    with Store(db_url) as s:
        name = Register(s).ensure("浙江省海洋装备产业计量测试中心")
        Register(s).add_evaluation(name, kind="符合性评价", year=2024, grade="合格", total=80, on="2024-05-01")
        v = Register(s).center(name, date(2025, 1, 1))
        [row] = figures_by_year(s, v)
        assert (row.year, row.kind, row.total, row.grade, row.patents) == (2024, "evaluation", 80, "合格", None)


def test_a_panels_result_is_an_evaluation(store: Store) -> None:
    from datetime import UTC, datetime

    from sqlalchemy.orm import Session

    from imtc.panel.store import PanelResult, _Base

    _Base.metadata.create_all(store.engine)
    with Session(store.engine) as s, s.begin():
        s.add(PanelResult(center_key=center_key(CIRCUIT), center_name=CIRCUIT, year=2026, rubric="annex5",
                          total="58.5", grade="不合格", result="{}", recorded_at=datetime(2026, 12, 10, 8, tzinfo=UTC)))
    v = Register(store).center(CIRCUIT, date(2026, 12, 20))
    assert [(e.kind, e.year, e.grade, e.total, e.on, e.source) for e in v.evaluations] == [
        ("后续评价", 2026, "不合格", 58.5, "2026-12-10", "panel")]
    assert (v.status, v.status_since, v.next_deadline) == ("整改", "2026-12-10", "2026-11-30")  # the 2026 report
    assert [(o.what, o.deadline, o.overdue) for o in v.obligations if o.what == "rectification"] == [
        ("rectification", "2027-06-10", False)]
