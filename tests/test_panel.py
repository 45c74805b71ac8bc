"""imtc panel: the experts' filled sheets (tests/panel_samples/, built by its build.py from the sheets
imtc renders) read back and aggregated, compared exactly with the aggregate the builder computed."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pdfplumber
import pytest
from docx import Document
from typer.testing import CliRunner

from imtc.cli import app
from imtc.panel.models import Panel
from imtc.panel.run import read_one, run_panel, write_outputs
from imtc.panel.sheet import parse_points
from imtc.panel.store import load_panel
from tests.test_review import all_text

HERE = Path(__file__).resolve().parent / "panel_samples"
ANNEX5, ANNEX2 = HERE / "annex5-power-battery-2025", HERE / "annex2-power-battery"
TEMPLATES = Path(__file__).resolve().parent.parent / "imtc" / "templates" / "panel"


def expected(panel_dir: Path) -> dict[str, Any]:
    return json.loads((HERE / f"{panel_dir.name}.expected.json").read_text(encoding="utf-8"))


def comparable(panel: Panel) -> dict[str, Any]:
    """The panel in the builder's shape (tests/panel_samples/build.py, expected())."""
    items = []
    for a in panel.items:
        row: dict[str, Any] = {"key": a.key, "n": a.n, "scores": a.scores}
        if a.n:
            row.update(mean=a.mean, median=a.median, min=a.min, max_given=a.max_given, spread=a.spread, flagged=a.flagged)
        items.append(row)
    return {
        "rubric": panel.rubric, "center": panel.center, "year": panel.year, "experts": panel.experts,
        "spread_threshold": panel.spread_threshold, "items": items,
        "expert_totals": {t.expert: {"total": t.totals["total"], "grade": t.totals["grade"]} for t in panel.expert_totals},
        "total": panel.totals["total"], "grade": panel.totals["grade"],
        "sheets": {s.file: sorted(f.code for f in s.findings) for s in panel.sheets},
        "panel_findings": sorted(f"{f.code}:{f.location.model_extra['item']}" if f.code == "panel-spread" else f.code
                                 for f in panel.findings),
    }


# --- reading one sheet ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, points, problem", [
    ("8", 8, None), ("８分", 8, None), ("得分：7", 7, None), ("１５", 15, None), ("八分", 8, None), ("十二", 12, None),
    ("2\n自动", 2, None), ("", None, None), ("\u3000", None, None), ("1或2", None, "含有多个数字"),
    ("优", None, "不是数字"), ("1.5分", Fraction(3, 2), None),
])
def test_points_typed_as_people_type_them(text: str, points: Any, problem: str | None) -> None:
    got, why, _ = parse_points(text)
    assert (got, why) == (points, problem)


@pytest.mark.parametrize("name", ["张明-附件5.docx", "李华-附件5.docx", "附件5-赵强.pdf", "陈静-附件5.docx"])
def test_each_sheet_reads_back_the_points_typed(name: str) -> None:
    want = expected(ANNEX5)
    sheet = read_one(ANNEX5 / name)
    got = {k: m.points for k, m in sheet.marks.items()}
    assert got == {row["key"]: row["scores"][sheet.expert] for row in want["items"]}
    assert (sheet.center, sheet.year, sheet.rubric) == ("浙江省动力电池产业计量测试中心", 2025, "annex5")


def test_expert_from_the_signature_or_the_file_name() -> None:
    assert (read_one(ANNEX5 / "张明-附件5.docx").expert_from, read_one(ANNEX5 / "附件5-赵强.pdf").expert) == ("签名", "赵强")
    assert read_one(ANNEX5 / "附件5-赵强.pdf").expert_from == "文件名"


def test_comment_and_identifier_are_read() -> None:
    sheet = read_one(ANNEX5 / "张明-附件5.docx")
    assert sheet.marks["1.1.1"].comment == "需求报告未见产业专家评审意见，按1分档考虑。"
    assert sheet.identified_by == "文档属性" and sheet.sha256 and len(sheet.sha256) == 64
    assert sheet.marks["1.2.1"].prefilled == 1  # the 自动 item, from the identifier
    assert read_one(ANNEX5 / "附件5-赵强.pdf").identified_by == "文档关键词与表内字段"  # a PDF keeps the keywords


def test_findings_are_located_at_the_item() -> None:
    sheet = read_one(ANNEX5 / "陈静-附件5.docx")
    by_code = {f.code: f for f in sheet.findings}
    above = by_code["panel-score-above-max"]
    assert above.message == ("专家“陈静”的评分表中“1.5.1 产业计量测试服务范围”的得分为 6 分，超出该项分值（0—4 分），"
                             "未计入汇总。请专家更正。")
    assert above.location.model_extra == {"file": "陈静-附件5.docx", "item": "1.5.1"} and above.location.field == "得分"
    assert by_code["panel-band-mismatch"].location.model_extra["item"] == "1.1.1"
    assert by_code["panel-auto-changed"].message == "专家“陈静”把“1.2.1 购置计划完成情况”的得分由工具预填的 1 分改为 2 分，按专家所填计入。"
    assert by_code["panel-item-blank"].location.model_extra["item"] == "3.1.1"
    assert sheet.marks["1.2.1"].points == 2  # the expert's value is kept


def test_moved_rows_are_matched_by_number_and_title(tmp_path: Path) -> None:
    doc = Document(str(ANNEX5 / "张明-附件5.docx"))
    table = doc.tables[0]
    rows = table.rows
    first, last = rows[4]._tr, rows[-1]._tr  # 1.1.1 goes to the end, 三.1 to the top
    table._tbl.remove(first)
    table._tbl.remove(last)
    rows[1]._tr.addprevious(last)
    table._tbl.append(first)
    doc.save(str(tmp_path / "张明.docx"))
    moved, original = read_one(tmp_path / "张明.docx"), read_one(ANNEX5 / "张明-附件5.docx")
    assert {k: m.points for k, m in moved.marks.items()} == {k: m.points for k, m in original.marks.items()}
    assert not moved.findings


# --- the panel -----------------------------------------------------------------------------------------


def test_annex2_panel_is_the_expected_aggregate() -> None:
    assert comparable(run_panel([ANNEX2])) == expected(ANNEX2)


@pytest.mark.slow
def test_annex5_panel_is_the_expected_aggregate() -> None:
    """Every variety at once, the .doc through LibreOffice."""
    assert comparable(run_panel([ANNEX5])) == expected(ANNEX5)


def test_fewer_than_five_experts_is_a_finding_and_still_aggregated() -> None:
    files = sorted(ANNEX2.glob("*.docx"))[:4]
    panel = run_panel(files)
    few = [f for f in panel.findings if f.code == "panel-few-experts"]
    assert few[0].message.startswith("计入汇总的评分表只有 4 位专家")
    # every expert scored every item, so the panel's total is the mean of the four experts' totals
    four = [s.expert for s in panel.sheets]
    by_expert = expected(ANNEX2)["expert_totals"]
    assert sorted(panel.experts) == sorted(four) and len(four) == 4
    assert panel.totals["total"] == pytest.approx(sum(by_expert[e]["total"] for e in four) / 4, abs=0.005)


def test_the_same_sheet_twice_counts_once(tmp_path: Path) -> None:
    shutil.copy(ANNEX2 / "何平-附件2表1表2.docx", tmp_path / "何平-副本.docx")
    panel = run_panel([ANNEX2, tmp_path / "何平-副本.docx"])
    assert panel.experts.count("何平") == 1
    assert comparable(panel)["total"] == expected(ANNEX2)["total"]
    assert [f.code for s in panel.sheets for f in s.findings] == ["panel-same-sheet-twice"]


def test_a_broken_file_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "坏文件.docx").write_bytes(b"PK\x03\x04 not really a zip")
    panel = run_panel([ANNEX2, tmp_path / "坏文件.docx"])
    assert panel.totals["total"] == expected(ANNEX2)["total"]
    bad = next(s for s in panel.sheets if s.file == "坏文件.docx")
    assert not bad.counted and bad.findings[0].code == "panel-sheet-unreadable"


# --- outputs -----------------------------------------------------------------------------------------------


def test_command_writes_report_workbook_json_and_store(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite"
    result = CliRunner().invoke(app, ["panel", str(ANNEX2), "--out", str(tmp_path / "out"), "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    want = expected(ANNEX2)
    assert (printed["totals"]["total"], printed["totals"]["grade"]) == (want["total"], want["grade"])
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    stem = f"浙江省动力电池产业计量测试中心-{want['year']}"
    assert names == sorted([f"{stem}-附件3-建设评价报告-评审组汇总.docx", f"{stem}-评审组汇总.xlsx", f"{stem}-评审组汇总.json"])
    stored = load_panel("浙江省动力电池产业计量测试中心", want["year"], "annex2", str(db))
    assert stored is not None and stored.totals["total"] == want["total"]
    wb = openpyxl.load_workbook(tmp_path / "out" / f"{stem}-评审组汇总.xlsx")
    ws = wb.worksheets[0]
    assert ws.title == "浙江省动力电池产业计量测试中心"
    assert [c.value for c in ws[2]][:8] == ["序号", "评价内容", "分值", *want["experts"]]
    flagged = [r[0].value for r in ws.iter_rows(min_row=3) if r[-1].value == "需合议"]
    assert flagged == [k.split(":")[1] for k in want["panel_findings"]]


def test_workbook_keeps_a_formula_like_name_as_text(tmp_path: Path) -> None:
    doc = Document(str(ANNEX2 / "何平-附件2表1表2.docx"))
    for table in doc.tables:
        for row in table.rows:
            if row.cells[0].text.startswith("专家签名"):
                row.cells[0].paragraphs[0].runs[0].text = "专家签名：=1+1"
                for r in row.cells[0].paragraphs[0].runs[1:]:
                    r.text = ""
    doc.save(str(tmp_path / "x.docx"))
    panel = run_panel([tmp_path / "x.docx"])
    assert panel.experts == ["=1+1"]
    write_outputs(panel, tmp_path / "out")
    ws = openpyxl.load_workbook(next((tmp_path / "out").glob("*.xlsx"))).worksheets[0]
    cell = ws.cell(row=2, column=4)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_committed_panel_templates_are_what_the_builder_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("panel_build_templates", TEMPLATES / "build_templates.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    for built in module.main(tmp_path):
        assert all_text(Document(str(built))) == all_text(Document(str(TEMPLATES / built.name))), f"rebuild {built.name}"


def test_rendered_sheets_carry_the_identifier() -> None:
    with zipfile.ZipFile(ANNEX2 / "何平-附件2表1表2.docx") as z:
        custom = z.read("docProps/custom.xml").decode("utf-8")
    assert "imtc-sheet-id" in custom and "浙江省动力电池产业计量测试中心" in custom


@pytest.mark.slow
def test_final_report_opens_in_libreoffice_with_the_panel_total_and_grade(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None, "LibreOffice is needed (setup.sh)"
    want = expected(ANNEX5)
    panel = run_panel([ANNEX5])
    report = write_outputs(panel, tmp_path / "out")[0]
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(report)], check=True, capture_output=True, timeout=300)
    with pdfplumber.open(str(tmp_path / (report.stem + ".pdf"))) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "")
    shown = f"{want['total']:.2f}".rstrip("0").rstrip(".")
    assert f"后续评价总得分：{shown}" in text and f"评价等级：{want['grade']}" in text
    for name in want["experts"]:
        assert name in text


def test_control_characters_in_a_file_name_never_reach_the_report(tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    for i, p in enumerate(sorted(ANNEX2.glob("*.docx"))):
        shutil.copy(p, folder / (f"专家\x07{i}.docx" if i == 0 else p.name))
    report, workbook, _ = write_outputs(run_panel([folder]), tmp_path / "out")
    assert "专家0.docx" in all_text(Document(str(report)))  # python-docx parses it: the XML is sound
    assert openpyxl.load_workbook(workbook).worksheets[2].cell(row=1, column=1).value == "评分表"


def test_a_long_pdf_is_not_a_sheet(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(61):
        writer.add_blank_page(width=200, height=200)
    with open(tmp_path / "long.pdf", "wb") as f:
        writer.write(f)
    sheet = read_one(tmp_path / "long.pdf")
    assert not sheet.counted and "PDF 有 61 页" in sheet.findings[0].message


def test_a_sheet_without_the_identifier_is_matched_by_its_fields(tmp_path: Path) -> None:
    doc = Document(str(ANNEX5 / "李华-附件5.docx"))
    doc.core_properties.keywords = ""
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/custom-properties"):
            del package.rels[rid]
    for row in doc.tables[0].rows:
        if row.cells[0].text == "1.5.2":
            row.cells[3].paragraphs[0].runs[0].text = "1或2"
    doc.save(str(tmp_path / "李华.docx"))
    sheet = read_one(tmp_path / "李华.docx")
    assert (sheet.identified_by, sheet.center, sheet.year, sheet.sha256) == ("表内字段", "浙江省动力电池产业计量测试中心", 2025, None)
    assert sheet.marks["1.2.1"].prefilled == 1  # from the printed 工具预填 line
    assert [f.code for f in sheet.findings] == ["panel-score-unreadable"]
    assert sheet.findings[0].message == "专家“李华”的评分表中“1.5.2 解决产业计量测试难题的能力”的得分“1或2”含有多个数字，该项按未评分处理。请专家确认。"
    panel = run_panel([tmp_path / "李华.docx"])
    assert [f.code for f in panel.sheets[0].findings] == ["panel-score-unreadable", "panel-not-identified"]


@pytest.mark.slow
def test_sheets_built_afresh_from_todays_samples_aggregate_as_their_builder_says(tmp_path: Path) -> None:
    """The builder renders the sheets with today's imtc (the scorer's auto points may have moved) and
    computes their aggregate by hand; the panel must agree on the fresh files too."""
    subprocess.run([sys.executable, str(HERE / "build.py"), "--out", str(tmp_path)], check=True, timeout=900,
                   capture_output=True)
    for name in (ANNEX5.name, ANNEX2.name):
        want = json.loads((tmp_path / f"{name}.expected.json").read_text(encoding="utf-8"))
        assert comparable(run_panel([tmp_path / name])) == want, name


def test_a_score_changed_with_track_changes_on_reads_as_accepted(tmp_path: Path) -> None:
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc = Document(str(ANNEX2 / "何平-附件2表1表2.docx"))
    cell = next(r.cells[-1] for r in doc.tables[0].rows if r.cells[2].text.startswith("产业链分析"))
    p = cell.paragraphs[0]._p
    for r in p.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r"):
        p.remove(r)
    p.append(parse_xml(f'<w:del {w} w:id="1" w:author="何平"><w:r><w:delText>9</w:delText></w:r></w:del>'))
    p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="何平"><w:r><w:t>7</w:t></w:r></w:ins>'))
    doc.save(str(tmp_path / "何平.docx"))
    assert read_one(tmp_path / "何平.docx").marks["产业链分析"].points == 7


def test_the_spread_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMTC_PANEL_SPREAD", "5")
    panel = run_panel([ANNEX2])
    assert panel.spread_threshold == 5 and [a.key for a in panel.items if a.flagged] == ["产业链分析"]  # spread 6
    assert run_panel([ANNEX2], spread=10).spread_threshold == 10
    result = CliRunner().invoke(app, ["panel", str(ANNEX2), "--out", "/dev/null/x", "--spread", "-1"])
    assert result.exit_code == 2
