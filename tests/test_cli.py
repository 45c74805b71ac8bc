"""The command line: exit codes, batch behaviour, JSON and workbook outputs.

The CLI's own behaviour is tested with a stand-in for `check_file` returning hand-made
Extractions; the end-to-end tests on real files run once the extractor exists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import imtc.cli
import imtc.pipeline
import imtc.service
from imtc.atomic import atomic_path
from imtc.findings import CATALOGUE, FILE_UNREADABLE, INTERNAL_ERROR, SECTION_MISSING, catalogue_markdown
from imtc.models import EquipmentRow, Extraction, Location, Meta, Source, new_table
from imtc.pipeline import check_file

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def invoke(*args: str | Path):
    return runner.invoke(imtc.cli.app, [str(a) for a in args], prog_name="imtc")


def fake_extraction(path: Path) -> Extraction:
    """By file name: "bad…" has an error, "broken…" is unreadable, anything else is clean."""
    source = Source(file=path.name, format="docx", sha256="0" * 64)
    if path.name.startswith("broken"):
        return Extraction(source=source, kind="unreadable",
                          findings=[FILE_UNREADABLE(reason="文件为空（0 字节）")])
    equipment = new_table("equipment")
    equipment.status = "present"
    equipment.rows = [EquipmentRow(seq="1", name="电池充放电测试系统", model="BTS", investment_wan=120.0),
                      EquipmentRow(seq="2", name="内阻测试仪", model="BT3562", investment_wan=30.5)]
    equipment.total_wan = 150.5
    ex = Extraction(source=source, kind="application", tables={"equipment": equipment},
                    meta=Meta(center_name="浙江省动力电池产业计量测试中心", applicant="浙江省计量科学研究院"))
    if path.name.startswith("bad"):
        ex.findings = [SECTION_MISSING(Location(section="7.1"), key="7.1", title="建设目标")]
    return ex


@pytest.fixture()
def fake(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """check_file replaced by fake_extraction; the list records the files it was given, in order."""
    seen: list[Path] = []

    def fake_check_file(path: Path, limits: object = None) -> tuple[Extraction, None]:
        seen.append(Path(path))
        return fake_extraction(Path(path)), None

    monkeypatch.setattr(imtc.service, "check_file_with_document", fake_check_file)
    return seen


def touch(*paths: Path) -> list[Path]:
    for p in paths:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    return list(paths)


# --- schema and rules --------------------------------------------------------------------------


def test_schema_is_json_with_the_contract_top_level_properties() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"schema_version", "source", "kind", "meta", "sections", "tables", "entities",
            "findings"} <= set(schema["properties"])


def test_rules_lists_every_code() -> None:
    result = invoke("rules")
    assert result.exit_code == 0
    for code in CATALOGUE:
        assert code in result.stdout


def test_rules_markdown_is_the_catalogue() -> None:
    result = invoke("rules", "--markdown")
    assert result.exit_code == 0
    assert result.stdout == catalogue_markdown()


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    """Regenerate with: imtc rules --markdown > docs/rules.md"""
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == catalogue_markdown()


def test_help_is_chinese() -> None:
    result = invoke("check", "--help")
    assert result.exit_code == 0
    assert "不显示进度条" in result.stdout and "显示本帮助并退出" in result.stdout


# --- extract -----------------------------------------------------------------------------------


def test_extract_json_one_file_is_an_object(fake: list[Path], tmp_path: Path) -> None:
    (f,) = touch(tmp_path / "good.docx")
    result = invoke("extract", f, "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["kind"] == "application" and data["source"]["file"] == "good.docx"
    assert data["meta"]["center_name"] == "浙江省动力电池产业计量测试中心"


def test_extract_json_several_files_is_an_array_and_unreadable_exits_2(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "bad.docx", tmp_path / "broken.docx", tmp_path / "good.docx")
    result = invoke("extract", *files, "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert [d["source"]["file"] for d in data] == ["bad.docx", "broken.docx", "good.docx"]
    assert [d["kind"] for d in data] == ["application", "unreadable", "application"]


def test_extract_exits_0_when_files_are_read_even_with_errors(fake: list[Path], tmp_path: Path) -> None:
    (f,) = touch(tmp_path / "bad.docx")
    result = invoke("extract", f, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["findings"][0]["code"] == "section-missing"


def test_extract_human_summary_is_chinese(fake: list[Path], tmp_path: Path) -> None:
    (f,) = touch(tmp_path / "bad.docx")
    result = invoke("extract", f)
    assert result.exit_code == 0
    assert "申请书" in result.stdout and "错误 1" in result.stdout
    assert "缺少章节“7.1 建设目标”" in result.stdout


def test_extract_out_writes_one_json_per_file(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "in" / "good.docx", tmp_path / "in" / "broken.docx")
    out = tmp_path / "out"
    result = invoke("extract", *files, "--out", out)
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["broken.docx.extract.json", "good.docx.extract.json"]
    assert json.loads((out / "broken.docx.extract.json").read_text(encoding="utf-8"))["kind"] == "unreadable"
    assert result.stdout.count("{") == 0  # --out instead of stdout


def test_extract_missing_path_is_a_chinese_usage_error(fake: list[Path], tmp_path: Path) -> None:
    result = invoke("extract", tmp_path / "nope.docx")
    assert result.exit_code == 2
    assert "找不到文件或文件夹" in result.stderr and "nope.docx" in result.stderr
    assert "Traceback" not in result.output and fake == []


# --- check -------------------------------------------------------------------------------------


def test_check_folder_recursive_skips_hidden_lock_and_other_files(fake: list[Path], tmp_path: Path) -> None:
    src = tmp_path / "round"
    wanted = touch(src / "a.docx", src / "b.PDF", src / "sub" / "c.doc", src / "sub" / "d.wps")
    touch(src / "~$a.docx", src / ".hidden.docx", src / ".git" / "e.docx", src / "notes.txt", src / "f.xlsx")
    result = invoke("check", src, "--out", tmp_path / "out", "--silent")
    assert result.exit_code == 0
    # each file is read in a worker process: what was read shows in the outputs
    assert sorted(p.name for p in (tmp_path / "out").glob("*.extract.json")) == sorted(
        f"{w.name}.extract.json" for w in wanted)


def test_check_exit_1_when_a_file_has_errors(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "good.docx", tmp_path / "bad.docx")
    assert invoke("check", *files, "--out", tmp_path / "out", "--silent").exit_code == 1


def test_check_exit_2_wins_and_the_batch_goes_on(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "bad.docx", tmp_path / "broken.docx", tmp_path / "good.docx")
    out = tmp_path / "out"
    result = invoke("check", *files, "--out", out, "--silent")
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == [
        "bad.docx.extract.json", "broken.docx.extract.json", "good.docx.extract.json", "summary.xlsx"]


def test_check_summary_table_on_stdout(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "good.docx", tmp_path / "broken.docx")
    result = invoke("check", *files, "--out", tmp_path / "out", "--silent")
    for text in ("文件", "中心名称", "类型", "错误", "警告", "申请书", "无法读取"):
        assert text in result.stdout
    assert result.stderr == ""  # --silent: no progress bar


def test_check_progress_bar_goes_to_stderr(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "good.docx")
    result = invoke("check", *files, "--out", tmp_path / "out")
    assert "检查完成" in result.stderr and "检查完成" not in result.stdout


def test_check_summary_workbook(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "bad.docx", tmp_path / "broken.docx", tmp_path / "good.docx")
    out = tmp_path / "out"
    invoke("check", *files, "--out", out, "--silent")
    wb = load_workbook(out / "summary.xlsx")
    ws = wb["检查汇总"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:7] == ("文件", "类型", "中心名称", "申报单位", "错误数", "警告数", "提示数")
    assert "设备投资合计(万元)" in header and "设备行数" in header and "主要错误" in header
    assert len(rows) == 4
    record = {Path(r[0]).name: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert record["bad.docx"]["错误数"] == 1 and "缺少章节“7.1 建设目标”" in record["bad.docx"]["主要错误"]
    assert record["broken.docx"]["类型"] == "无法读取" and "文件为空" in record["broken.docx"]["主要错误"]
    good = record["good.docx"]
    assert good["类型"] == "申请书" and good["申报单位"] == "浙江省计量科学研究院"
    assert good["设备投资合计(万元)"] == 150.5 and good["设备行数"] == 2 and good["主要错误"] is None
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws.column_dimensions["A"].width >= 20


def test_check_default_out_is_imtc_out(fake: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = touch(tmp_path / "good.docx")
    monkeypatch.chdir(tmp_path)
    assert invoke("check", *files, "--silent").exit_code == 0
    assert (tmp_path / "imtc-out" / "summary.xlsx").is_file()


def test_check_same_file_names_in_different_folders_get_separate_json(fake: list[Path], tmp_path: Path) -> None:
    touch(tmp_path / "in" / "a" / "申请书.docx", tmp_path / "in" / "b" / "申请书.docx")
    out = tmp_path / "out"
    invoke("check", tmp_path / "in", "--out", out, "--silent")
    assert sorted(p.name for p in out.glob("*.json")) == ["申请书.docx (2).extract.json", "申请书.docx.extract.json"]


def test_check_empty_folder_is_a_chinese_usage_error(fake: list[Path], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke("check", tmp_path / "empty", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "没有找到可以检查的文件" in result.stderr


def test_check_out_that_is_a_file_is_a_chinese_usage_error(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "good.docx")
    result = invoke("check", *files, "--out", files[0])
    assert result.exit_code == 2 and "不是文件夹" in result.stderr and "Traceback" not in result.output


# --- atomic writes and the pipeline's own safety -----------------------------------------------


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_json_outputs_leave_no_temporary_files(fake: list[Path], tmp_path: Path) -> None:
    files = touch(tmp_path / "good.docx", tmp_path / "bad.docx")
    out = tmp_path / "out"
    invoke("check", *files, "--out", out, "--silent")
    assert not [p for p in out.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_check_file_reports_a_crash_in_validate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (f,) = touch(tmp_path / "good.docx")
    monkeypatch.setattr(imtc.pipeline, "extract_with_document", lambda path, limits=None: (fake_extraction(path), None))

    def broken(ex: Extraction) -> list:
        raise KeyError("8.2")

    monkeypatch.setattr(imtc.pipeline, "validate", broken)
    ex = check_file(f)
    assert ex.kind == "application"
    assert [x.code for x in ex.findings] == ["internal-error"]
    assert "KeyError" not in ex.findings[0].message and ex.findings[0].detail == "KeyError: '8.2'"


def test_check_file_reports_a_crash_in_extract(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (f,) = touch(tmp_path / "good.docx")

    def broken(path: Path, limits: object = None) -> Extraction:
        raise RuntimeError("boom")

    monkeypatch.setattr(imtc.pipeline, "extract_with_document", broken)
    ex = check_file(f)
    assert ex.kind == "unreadable" and ex.source.file == "good.docx" and len(ex.source.sha256) == 64
    assert [x.code for x in ex.findings] == [INTERNAL_ERROR.code]


def test_check_file_appends_validate_findings_after_extract_findings(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (f,) = touch(tmp_path / "bad.docx")
    monkeypatch.setattr(imtc.pipeline, "extract_with_document", lambda path, limits=None: (fake_extraction(path), None))
    codes = [x.code for x in check_file(f).findings]
    assert codes[0] == "section-missing"  # the extraction's own, first
    assert "center-name-absent" not in codes and len(codes) > 1


def test_a_crash_in_the_batch_exits_2_and_the_batch_goes_on(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    files = touch(tmp_path / "a.docx", tmp_path / "b.docx")

    def extract(path: Path, limits: object = None) -> tuple[Extraction, None]:
        if path.name == "a.docx":
            raise MemoryError()
        return fake_extraction(path), None

    monkeypatch.setattr(imtc.pipeline, "extract_with_document", extract)
    out = tmp_path / "out"
    result = invoke("check", *files, "--out", out, "--silent")
    assert result.exit_code == 2
    assert json.loads((out / "b.docx.extract.json").read_text(encoding="utf-8"))["kind"] == "application"
    assert len(list(load_workbook(out / "summary.xlsx").active.iter_rows())) == 3


# --- end to end, once the extractor exists -----------------------------------------------------


@pytest.fixture()
def real_files(tmp_path: Path) -> list[Path]:
    import docx

    document = docx.Document()
    document.add_paragraph("浙江省动力电池产业计量测试中心申请书")
    document.add_paragraph("一、产业界定与范围")
    document.add_paragraph("本中心服务的动力电池产业包括电芯、模组、电池包及其关键材料和装备。")
    good = tmp_path / "申请书.docx"
    document.save(str(good))
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    return [empty, good]


def test_extract_real_files(real_files: list[Path]) -> None:
    result = invoke("extract", *real_files, "--json")
    assert result.exit_code == 2
    empty, good = json.loads(result.stdout)
    assert empty["kind"] == "unreadable" and "file-unreadable" in [f["code"] for f in empty["findings"]]
    assert good["kind"] != "unreadable" and good["source"]["format"] == "docx"


def test_check_real_files(real_files: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("check", *real_files, "--out", out, "--silent")
    assert result.exit_code == 2
    rows = list(load_workbook(out / "summary.xlsx")["检查汇总"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(real_files)
    assert {Path(r[0]).name: r[1] for r in rows[1:]}["empty.docx"] == "无法读取"


def test_a_file_over_its_time_limit_is_stopped_and_the_batch_goes_on(monkeypatch, tmp_path: Path) -> None:
    import threading

    real = imtc.service.check_file_with_document

    def stuck_or_real(path, limits=None):  # noqa: ANN001, ANN202
        if Path(path).name == "slow.docx":
            threading.Event().wait()  # never returns: only the time limit ends it
        return real(path, limits)

    monkeypatch.setattr(imtc.service, "check_file_with_document", stuck_or_real)
    files = touch(tmp_path / "slow.docx", tmp_path / "empty.docx")
    out = tmp_path / "out"
    result = invoke("check", *files, "--out", out, "--silent", "--timeout", "1", "--jobs", "2")
    assert result.exit_code == 2
    slow = json.loads((out / "slow.docx.extract.json").read_text("utf-8"))
    assert slow["kind"] == "unreadable" and [f["code"] for f in slow["findings"]] == ["timeout"]
    assert "1 秒" in slow["findings"][0]["message"]
    assert json.loads((out / "empty.docx.extract.json").read_text("utf-8"))["kind"] == "unreadable"


def test_a_worker_that_dies_is_an_internal_error(monkeypatch, tmp_path: Path) -> None:
    import os as _os

    monkeypatch.setattr(imtc.service, "check_file_with_document", lambda path, limits=None: _os._exit(9))
    files = touch(tmp_path / "a.docx")
    result = invoke("extract", *files, "--json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["kind"] == "unreadable" and data["findings"][0]["code"] == "internal-error"
    assert "退出码 9" in data["findings"][0]["message"]
