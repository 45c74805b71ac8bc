"""`imtc score`: exit status, the JSON object, the Chinese table, the options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import imtc.cli

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
runner = CliRunner()


def invoke(*args: object):  # noqa: ANN201
    return runner.invoke(imtc.cli.app, [str(a) for a in args], prog_name="imtc", env={"COLUMNS": "220"})


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'imtc.sqlite'}"


@pytest.mark.parametrize("name", ["hostile/empty.docx", "hostile/truncated.docx", "unrelated.docx", "no-such-file.docx"])
def test_unscorable_files_exit_2(name: str, db: str) -> None:
    result = invoke("score", SAMPLES / name, "--db", db)
    assert result.exit_code == 2
    assert "错误" in result.output and "Traceback" not in result.output


def test_json_object(db: str) -> None:
    result = invoke("score", SAMPLES / "report-power-battery-2025.docx", "--db", db, "--json")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert (out["schema_version"], out["rubric"]) == ("1", "annex5")
    assert out["document"]["center_name"] == "浙江省动力电池产业计量测试中心"
    item = out["items"]["1.2.1"]
    assert (item["title"], item["max"], item["points"], item["basis"]) == ("购置计划完成情况", 2, None, "expert")
    assert out["previous"] is None  # nothing recorded before it, no --previous
    assert out["totals"]["total"] is None and out["totals"]["grade"] is None and "1.2.1" in out["totals"]["missing"]


def test_table_in_chinese(db: str) -> None:
    result = invoke("score", SAMPLES / "report-power-battery-2025.docx", "--db", db,
                    "--previous", SAMPLES / "report-power-battery-2024.docx")
    assert result.exit_code == 0
    text = result.output
    for word in ("后续评价细则", "评价内容", "分值", "得分", "证据摘要", "购置计划完成情况", "自动", "专家",
                 "后续评价总得分 = 工作开展情况得分×75%", "待专家评分"):
        assert word in text, word
    assert "70%" in text


def test_application_is_scored_by_annex2(db: str) -> None:
    result = invoke("score", SAMPLES / "power-battery.docx", "--db", db, "--json")
    out = json.loads(result.stdout)
    assert result.exit_code == 0 and out["rubric"] == "annex2" and out["previous"] is None
    assert len(out["items"]) == 22 and all(i["basis"] == "expert" for i in out["items"].values())
    assert out["totals"]["grade_possible"] == ["优秀", "合格", "不合格"]


def test_unreadable_previous_exits_2(db: str) -> None:
    result = invoke("score", SAMPLES / "report-power-battery-2025.docx", "--db", db,
                    "--previous", SAMPLES / "hostile" / "empty.docx")
    assert result.exit_code == 2 and "上一份计划" in result.output


def test_lists_by_option(tmp_path: Path, db: str) -> None:
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text("code\nJJF 1620-2017\nJJG 139-2014\nJJF 1272-2011\nJJF 1187-2008\n", encoding="utf-8")
    core = tmp_path / "core.csv"
    core.write_text("name,served\n甲公司,是\n乙公司,否\n", encoding="utf-8")
    result = invoke("score", SAMPLES / "report-power-battery-2024.docx", "--db", db, "--json",
                    "--catalogue", catalogue, "--core-enterprises", core)
    assert result.exit_code == 0
    items = json.loads(result.stdout)["items"]
    assert (items["1.3.1"]["value"], items["1.3.1"]["points"], items["1.3.1"]["basis"]) == (0.75, 2, "auto")
    assert (items["1.5.1"]["value"], items["1.5.1"]["points"]) == (0.5, 3)
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing\n", encoding="utf-8")
    result = invoke("score", SAMPLES / "report-power-battery-2024.docx", "--db", db, "--catalogue", bad)
    assert result.exit_code == 2 and "code" in result.output


def test_a_store_that_cannot_open_is_only_a_warning() -> None:
    result = invoke("score", SAMPLES / "report-power-battery-2025.docx", "--db", "nosuchdialect://x/y", "--json")
    assert result.exit_code == 0
    assert "无法打开记录库" in result.stderr and json.loads(result.stdout)["rubric"] == "annex5"
