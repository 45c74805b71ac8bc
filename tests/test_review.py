"""The experts' review documents (imtc/review.py, `imtc review`) and the intake desk's round
(`imtc check --review`), on the bundled samples: every .docx opened with python-docx and its filled
values compared with the scorer's own output; one document through LibreOffice to PDF."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from typer.testing import CliRunner

import imtc.cli
import imtc.cli.common
from imtc.models import Extraction
from imtc.pipeline import check_file, crashed
from imtc.review import (
    DITTO,
    DOCUMENTS,
    HTML_SUFFIX,
    TEMPLATES_ENV,
    ReviewTemplateError,
    build_context,
    output_stem,
    preflight_docx,
    render_docx,
    where,
    write_review,
)
from imtc.score_assist import read_texts, rubric_for, score
from imtc.summary import COLUMNS, REVIEW_COLUMNS
from tests.conftest import need_libreoffice

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TEMPLATES = ROOT / "imtc" / "templates" / "review"
REPORT, PREVIOUS, APPLICATION = (SAMPLES / "report-power-battery-2025.docx", SAMPLES / "report-power-battery-2024.docx",
                                 SAMPLES / "power-battery.docx")
CENTER = "浙江省动力电池产业计量测试中心"
runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(imtc.cli.app, [str(a) for a in args], prog_name="imtc")


@pytest.fixture(autouse=True)
def _packaged_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)


def all_text(doc: Any) -> str:
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def row_of(doc: Any, first_cell: str) -> list[Any]:
    for t in doc.tables:
        for row in t.rows:
            if row.cells[0].text.strip() == first_cell:
                return row.cells
    raise AssertionError(f"no table row starting with {first_cell!r}")


# --- an annual report, scored by annex 5 ----------------------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`imtc review` of the 2025 report against the 2024 one; the score it must agree with."""
    tmp = tmp_path_factory.mktemp("review5")
    result = invoke("review", REPORT, "--previous", PREVIOUS, "--db", tmp / "store.sqlite", "--out", tmp / "docs")
    assert result.exit_code == 0, result.output
    ex, prev = check_file(REPORT), check_file(PREVIOUS)
    expected = score(ex, previous=prev, texts=read_texts(REPORT, ex.kind), history=[prev],
                     previous_note="由 --previous 指定")
    return {"dir": tmp / "docs", "score": expected, "output": result.output}


def test_report_review_writes_two_word_documents_and_a_page(report: dict[str, Any]) -> None:
    names = sorted(p.name for p in report["dir"].iterdir())
    assert names == sorted(["report-power-battery-2025-附件5-后续评价细则.docx", "crops",
                            "report-power-battery-2025-附件6-后续评价报告.docx", "report-power-battery-2025-评审预填.html"])
    pictures = {p.name for p in (report["dir"] / "crops").iterdir()}  # the web page's copies of the crops
    assert "index.json" in pictures and {"item-1.2.1-p6.png", "item-1.2.1-p7.png"} <= pictures
    assert not [p for p in report["dir"].iterdir() if p.name.startswith(".")]  # no temporary file left
    assert "附件5-后续评价细则.docx" in report["output"]


def test_annex5_sheet_item_121_points_and_evidence(report: dict[str, Any]) -> None:
    item = report["score"]["items"]["1.2.1"]
    assert (item["basis"], item["points"], item["value"], item["symbol"]) == ("auto", 1, 0.7, "η")  # 7 of 10 plan rows
    doc = Document(str(report["dir"] / "report-power-battery-2025-附件5-后续评价细则.docx"))
    cells = row_of(doc, "1.2.1")
    assert [c.text.strip() for c in cells[:3]] == ["1.2.1", "购置计划完成情况", "2"]
    assert cells[3].paragraphs[0].text == str(item["points"])  # 得分
    assert "自动" in cells[3].text
    bands = [p.text for p in cells[4].paragraphs if p.text]
    assert [b for b in bands if b.startswith("■")] == ["■ " + item["band"]]  # the band the value falls in
    check = cells[5].text
    assert check.startswith("完成年度任务“测量仪器设备配置表”所要求的计划。")  # the annex's own 核查说明
    assert "η = 70%" in check and "得1分" in check
    assert "η = 7/10 = 70%" in check  # the scorer's evidence …
    assert "精密功率分析仪 YOKOGAWA WT5000" in check
    assert "〔章节1.6.5，第3个表格第1行〕" in check  # … with its place: table and row
    assert "〔计划：《report-power-battery-2024.docx》，章节2.2.1，第4个表格第1行〕" in check


def test_annex5_sheet_leaves_the_experts_items_blank(report: dict[str, Any]) -> None:
    doc = Document(str(report["dir"] / "report-power-battery-2025-附件5-后续评价细则.docx"))
    items = report["score"]["items"]
    assert items["1.1.1"]["points"] is None
    cells = row_of(doc, "1.1.1")
    assert cells[3].text.strip() == ""
    assert "由专家评分" in cells[5].text
    numbers = {t.rows[i].cells[0].text.strip() for t in doc.tables for i in range(len(t.rows))}
    assert {k for k in items if not k.startswith(("二", "三"))} <= numbers  # one row per item
    for key, scored in items.items():
        if scored["points"] is not None and not key.startswith(("二", "三")):
            assert row_of(doc, key)[3].paragraphs[0].text == str(scored["points"]), key


def test_annex5_sheet_header_and_totals(report: dict[str, Any]) -> None:
    t = report["score"]["totals"]
    doc = Document(str(report["dir"] / "report-power-battery-2025-附件5-后续评价细则.docx"))
    text = all_text(doc)
    assert f"中心名称：{CENTER}" in text
    assert "建设单位：浙江省计量科学研究院" in text and "建设单位负责人：王建国" in text
    assert "上一份计划（计划完成率η的分母）：report-power-battery-2024.docx" in text
    formula = next(p.text for p in doc.paragraphs if p.text.startswith("3.后续评价总得分"))
    assert "工作开展情况得分" in formula and "×75%+下年度工作计划得分" in formula
    assert not t["complete"]  # the experts' items are open: the total stays blank, its range is stated
    assert f"总得分在{t['total_min']}至{t['total_max']}分之间" in text
    part = row_of(doc, "")  # 一、工作开展情况: a heading row has no number
    assert part[1].text == "一、工作开展情况" and part[2].text == "100"
    assert f"已自动计分{t['known_points']['work']}分" in part[4].text


def test_annex6_report(report: dict[str, Any]) -> None:
    doc = Document(str(report["dir"] / "report-power-battery-2025-附件6-后续评价报告.docx"))
    text = all_text(doc)
    assert "浙江产业计量测试中心后续评价报告" in text
    assert f"中心名称：{CENTER}" in text
    assert f"{CENTER}现有工作人员42名" in text  # 单位概况 from the document (1.5.4) …
    assert "实验室面积3500平方米" in text
    assert "〔章节1.5.4，第51段〕" in text  # … with where it says so
    known = report["score"]["totals"]["known_points"]["work"]
    assert f"工作开展情况得分：\u3000\u3000\u3000  （已自动计分{known}分" in text
    assert "有关建议：" in text
    assert "评价依据" in text and "report-power-battery-2025.docx，2025年度工作总结" in text


def test_html_page_has_the_same_content_and_no_external_assets(report: dict[str, Any]) -> None:
    html = (report["dir"] / "report-power-battery-2025-评审预填.html").read_text(encoding="utf-8")
    assert CENTER in html and 'id="item-1.2.1"' in html and "η = 7/10 = 70%" in html
    assert "<style>" in html
    for external in ("<link", "<script", "url(", "http://", "https://", "@import"):
        assert external not in html
    assert re.findall(r'src="(?!data:image/png;base64,)', html) == []  # pictures of the source: inside the page
    assert 'href="report-power-battery-2025-附件5-后续评价细则.docx"' in html


@pytest.mark.slow  # LibreOffice
def test_a_word_document_renders_to_pdf(report: dict[str, Any], tmp_path: Path) -> None:
    soffice = need_libreoffice()
    src = report["dir"] / "report-power-battery-2025-附件5-后续评价细则.docx"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp_path)})
    with pdfplumber.open(tmp_path / (src.stem + ".pdf")) as pdf:
        assert len(pdf.pages) >= 1
        first = pdf.pages[0]
        assert first.width > first.height  # A4 landscape, as wide as the annex's table needs
        text = "".join((first.extract_text() or "").split())
    assert "浙江产业计量测试中心后续评价细则" in text
    assert CENTER in text


# --- an application, scored by annex 2 --------------------------------------------------------------------


@pytest.fixture(scope="module")
def application(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("review2")
    result = invoke("review", APPLICATION, "--db", tmp / "store.sqlite", "--out", tmp / "docs")
    assert result.exit_code == 0, result.output
    ex = check_file(APPLICATION)
    return {"dir": tmp / "docs", "score": score(ex, texts=read_texts(APPLICATION, ex.kind))}


def test_annex2_tables(application: dict[str, Any]) -> None:
    doc = Document(str(application["dir"] / "power-battery-附件2-建设评价细则表1表2.docx"))
    text = all_text(doc)
    assert "浙江省产业计量测试中心申请书评价评分表" in text and "浙江省产业计量测试中心现场核查评分表" in text
    assert text.count(f"中心名称：{CENTER}") == 2
    table1, table2 = doc.tables
    header = [c.text for c in table1.rows[0].cells]
    assert header == ["分类", "一级指标", "二级指标", "评分标准", "得分"]
    first, second = table1.rows[1], table1.rows[2]
    assert first.cells[0].text == "基本项（100分）" and first.cells[1].text == "产业认识与分析（25分）"
    assert first.cells[2].text == "产业界定与范围（10分）"
    assert "A：9—10分；B：7—8分；C：0—6分" in first.cells[3].text
    assert "1 产业界定与范围：有内容" in first.cells[3].text  # evidence, under the standard
    assert first.cells[4].text == ""  # every annex 2 item is the expert's
    # 分类 and 一级指标 merged downwards as in the annex, never a stray 〃
    assert second._tr.tc_lst[0].tcPr.find(qn("w:vMerge")) is not None
    assert DITTO not in text
    rows = [[c.text for c in r.cells] for r in table1.rows]
    assert any(r[0] == "基本项汇总得分：" for r in rows) and any(r[0] == "加分项汇总得分：" for r in rows)
    titles = {r.cells[1].text for r in table2.rows}
    assert {"量值传递能力（10分）", "基础保障（20分）"} <= titles
    assert len([k for k in application["score"]["items"] if k.startswith("现场核查/")]) == len(table2.rows) - 3


def test_annex3_report(application: dict[str, Any]) -> None:
    doc = Document(str(application["dir"] / "power-battery-附件3-建设评价报告.docx"))
    text = all_text(doc)
    assert f"{CENTER}建设评价报告" in text
    assert f"通过申请书评价，评审组认为：{CENTER}产业界定明确" in text
    assert "浙江省计量科学研究院" in text and "王建国" in text
    assert "申请书评价得分：" in text and "建设评价总得分：" in text


# --- the pre-flight ----------------------------------------------------------------------------------------


def _template(path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    doc.save(str(path))
    return path


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    ex = check_file(REPORT)
    return build_context(ex, score(ex))


def test_preflight_fails_loudly_on_a_variable_the_context_lacks(tmp_path: Path, context: dict[str, Any]) -> None:
    tpl = _template(tmp_path / "bad.docx", "中心名称：{{ center_name }}", "{{ inspector_name }}",
                    "{{ totals.work }} {{ totals.bonus_points }}")
    with pytest.raises(ReviewTemplateError) as exc:
        preflight_docx(tpl, context)
    assert "bad.docx" in str(exc.value)
    assert "inspector_name" in str(exc.value) and "totals.bonus_points" in str(exc.value)
    assert "center_name" not in str(exc.value) and "totals.work" not in str(exc.value)


def test_render_is_strict_where_the_preflight_cannot_see(tmp_path: Path, context: dict[str, Any]) -> None:
    tpl = _template(tmp_path / "loop.docx", "{%p for r in rows %}", "{{ r.no_such_field }}", "{%p endfor %}")
    target = tmp_path / "out.docx"
    with pytest.raises(ReviewTemplateError, match="no_such_field"):
        render_docx(tpl, context, target, "测试")
    assert not target.exists() and list(tmp_path.iterdir()) == [tpl]


def test_a_bureau_template_that_does_not_fit_stops_the_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              context: dict[str, Any]) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    _template(own / "annex5_sheet.docx", "{{ center_name }}", "{{ expert_panel }}")
    monkeypatch.setenv(TEMPLATES_ENV, str(own))
    ex = check_file(REPORT)
    with pytest.raises(ReviewTemplateError, match="expert_panel"):
        write_review(ex, score(ex), tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.docx"))
    # and one that fits is used instead of the packaged one
    _template(own / "annex5_sheet.docx", "本局格式：{{ center_name }}")
    written = write_review(ex, score(ex), tmp_path / "out")
    assert Document(str(written[0])).paragraphs[0].text == f"本局格式：{CENTER}"


def test_html_template_preflight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "review.html.j2").write_text("<p>{{ center_name }} {{ reviewer }}</p>", encoding="utf-8")
    monkeypatch.setenv(TEMPLATES_ENV, str(own))
    ex = check_file(APPLICATION)
    with pytest.raises(ReviewTemplateError, match="reviewer"):
        write_review(ex, score(ex), tmp_path / "out")


def test_committed_templates_are_what_the_builder_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_templates", TEMPLATES / "build_templates.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    for built in module.main(tmp_path):
        committed = Document(str(TEMPLATES / built.name))
        assert all_text(Document(str(built))) == all_text(committed), f"rebuild and commit {built.name}"


def test_where_names_page_table_and_row() -> None:
    assert where({"page": 3, "section": "1.6.5", "table": 2, "row": 0}) == "〔第3页，章节1.6.5，第3个表格第1行〕"
    assert where({"section": "1.5.4", "paragraph": 50}) == "〔章节1.5.4，第51段〕"
    assert where({"file": "a.docx", "table": 0}, "b.docx") == "〔《a.docx》，第1个表格〕"
    assert where({}) == ""


def test_control_characters_from_a_document_never_reach_the_xml(tmp_path: Path) -> None:
    ex = check_file(APPLICATION)
    ex = ex.model_copy(update={"meta": ex.meta.model_copy(update={"center_name": "浙江省\x07测试\x1b中心<&>"})})
    written = write_review(ex, score(ex), tmp_path)
    doc = Document(str(written[0]))
    assert "中心名称：浙江省测试中心<&>" in all_text(doc)
    assert "浙江省测试中心&lt;&amp;&gt;" in written[-1].read_text(encoding="utf-8")


# --- the round: imtc check --review ----------------------------------------------------------------------


ROUND_TIMEOUT_S = 300


@pytest.fixture(scope="module")
def round_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("round")
    out, db = tmp / "out", tmp / "store.sqlite"
    files = len(imtc.cli.common.collect([SAMPLES]))
    # a file's time limit is hang protection, not a speed check (bench/ measures speed): under the whole
    # suite's load a .doc's second pass (LibreOffice again, then the review documents) took over 60 s once
    first = invoke("check", SAMPLES, "--review", "--out", out, "--db", db, "--silent", "--timeout", str(ROUND_TIMEOUT_S))
    return {"out": out, "db": db, "first": first, "files": files}


@pytest.mark.slow  # a round over every sample
def test_round_writes_every_review_document_and_the_workbook(round_out: dict[str, Any]) -> None:
    out, first = round_out["out"], round_out["first"]
    assert first.exit_code == 2, first.output  # samples/hostile/ is unreadable on purpose
    manifest = json.loads((out / "review-manifest.json").read_text(encoding="utf-8"))
    reviewable = 0
    for extract in out.glob("*.extract.json"):
        ex = Extraction.model_validate_json(extract.read_text(encoding="utf-8"))
        if rubric_for(ex.kind) is None or crashed(ex):
            continue
        reviewable += 1
        entry = manifest["files"][ex.source.sha256]
        folder = out / entry["review"]
        stem = output_stem(ex)
        expected = [f"{stem}-{suffix}.docx" for _, _, suffix in DOCUMENTS[rubric_for(ex.kind)]]
        written = sorted(p.name for p in folder.iterdir() if p.name != "crops")  # crops/: the web page's pictures
        assert written == sorted([*expected, f"{stem}-{HTML_SUFFIX}"]), extract.name
    assert reviewable >= 25
    wb = load_workbook(out / "summary.xlsx")
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header[:12] == [h for h, _ in COLUMNS]  # the check columns are kept
    assert header[12:] == [h for h, _, _ in REVIEW_COLUMNS]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    report = rows[str(SAMPLES / "report-power-battery-2025.docx")]
    values = dict(zip(header, [c.value for c in report], strict=True))
    assert values["年度"] == 2025
    assert values["η 设备购置(1.2.1)"] == 0.7  # 7 of its 2024 plan's 10 rows: the plan came from the store
    assert values["专利数"] == 4 and values["项目数"] == 7
    assert values["预评总得分"] is not None and values["待专家评分项"] > 0
    link = report[header.index("评审文件")].hyperlink.target
    assert (out / link / "report-power-battery-2025-附件5-后续评价细则.docx").is_file()
    hostile = rows[str(SAMPLES / "hostile" / "zip-bomb.docx")]
    assert "未生成评审文件" in hostile[header.index("评审文件")].value


@pytest.mark.slow  # a round over every sample
def test_round_second_run_skips_everything_done(round_out: dict[str, Any]) -> None:
    out = round_out["out"]
    sheet = next((out / "review").glob("report-power-battery-2025.docx/*附件5*.docx"))
    before = sheet.stat().st_mtime_ns
    # a file that hit the time limit (or crashed the program) is not done: the next run tries it again
    retried = 0
    for extract in out.glob("*.extract.json"):
        ex = Extraction.model_validate_json(extract.read_text(encoding="utf-8"))
        retried += any(f.code in ("timeout", "internal-error") for f in ex.findings)
    second = invoke("check", SAMPLES, "--review", "--out", out, "--db", round_out["db"], "--silent",
                    "--timeout", str(ROUND_TIMEOUT_S))
    assert second.exit_code == 2, second.output
    assert f"跳过 {round_out['files'] - retried} 个已完成的文件" in second.output
    generated = int(second.output.split("本轮生成评审文件 ")[1].split(" 份")[0])
    assert generated <= retried
    assert sheet.stat().st_mtime_ns == before
    assert (out / "summary.xlsx").is_file()


@pytest.mark.slow  # a round over every sample
def test_round_redoes_a_file_whose_content_changed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(APPLICATION, folder / "a.docx")
    shutil.copy(SAMPLES / "smart-pv.docx", folder / "b.docx")
    out = tmp_path / "out"
    args = ("check", folder, "--review", "--out", out, "--db", tmp_path / "s.sqlite", "--silent", "--jobs", "2")
    assert invoke(*args).exit_code == 0
    shutil.copy(SAMPLES / "integrated-circuit.docx", folder / "b.docx")  # b.docx now holds another application
    again = invoke(*args)
    assert again.exit_code == 0, again.output
    assert "本轮生成评审文件 1 份，跳过 1 个已完成的文件" in again.output
    sheet = next((out / "review" / "b.docx").glob("*附件2*.docx"))
    assert "浙江省集成电路产业计量测试中心" in all_text(Document(str(sheet)))
