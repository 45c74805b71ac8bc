"""imtc.service.assess(): the one way in. Scoring and the review documents run inside the worker's
time limit; what cannot be scored says why, in Chinese; the score comes back typed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import imtc.score_assist
import imtc.service
from imtc.service import Known, Options, assess, assess_here

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REPORT, PREVIOUS = SAMPLES / "report-power-battery-2025.docx", SAMPLES / "report-power-battery-2024.docx"


def _forever(*args: object, **kwargs: object) -> None:
    threading.Event().wait()  # blocks until the worker is killed at its time limit


def test_a_report_scored_against_the_previous_plan_file(tmp_path: Path) -> None:
    a = assess(REPORT, Known(previous_path=PREVIOUS), Options(score=True, db=f"sqlite:///{tmp_path / 's.sqlite'}"))
    assert a.error is None and a.warnings == []
    s = a.score
    assert s is not None and s.rubric == "annex5"
    assert s.previous is not None and (s.previous.file, s.previous.found_by) == (PREVIOUS.name, "由 --previous 指定")
    eta = s.items["1.2.1"]
    assert (eta.value, eta.points, eta.basis, eta.symbol, eta.is_ratio) == (0.7, 1, "auto", "η", True)
    assert s.items["1.2.1"].evidence[0].text.startswith("口径：")
    assert a.previous is not None and a.previous.source.file == PREVIOUS.name
    assert a.document is None  # until the readers give a Document (issue 12)


def test_the_store_gives_the_previous_plan_the_second_time(tmp_path: Path) -> None:
    db = Options(score=True, db=f"sqlite:///{tmp_path / 's.sqlite'}")
    first = assess(PREVIOUS, options=db)
    assert first.score is not None and first.score.previous is None
    assert first.warnings == ["记录库中没有该中心更早的年度工作总结或申请书：计划完成率（1.2.1、1.3.2、1.4.4）留待专家；"
                              "可用 --previous 指定。"]
    second = assess(REPORT, options=db)
    assert second.score is not None and second.score.previous is not None
    assert second.score.previous.file == PREVIOUS.name
    assert second.score.previous.found_by.startswith("由记录库找到：")
    assert second.score.items["1.2.1"].value == 0.7


def test_a_file_that_is_no_application_nor_report_says_why() -> None:
    a = assess_here(SAMPLES / "unrelated.docx", options=Options(score=True))
    assert a.score is None and a.extraction.kind == "unknown"
    assert a.error == "文件“unrelated.docx”不是申请书（附件1）或年度工作总结（附件4），无法评分。"


def test_without_score_only_the_check_is_done() -> None:
    a = assess_here(SAMPLES / "power-battery.docx")
    assert (a.extraction.kind, a.score, a.error, a.review_files) == ("application", None, None, [])


def test_scoring_runs_inside_the_worker_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scorer that never returns is stopped at the file's time limit, as a reader would be."""
    monkeypatch.setattr(imtc.score_assist, "score", _forever)
    a = assess(SAMPLES / "power-battery.docx", options=Options(score=True), timeout=1)
    assert a.score is None and a.extraction.kind == "unreadable"
    assert [f.code for f in a.extraction.findings] == ["timeout"]
    assert a.error == a.extraction.findings[0].message and "1 秒" in a.error


def test_a_bug_in_scoring_keeps_the_extraction(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(imtc.score_assist, "score", broken)
    a = assess_here(SAMPLES / "power-battery.docx", options=Options(score=True))
    assert a.extraction.kind == "application" and a.score is None
    assert a.error == "ZeroDivisionError: division by zero"


def test_an_unreadable_previous_plan_is_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "previous.docx"
    bad.write_bytes(b"not a word file")
    a = assess_here(REPORT, Known(previous_path=bad), Options(score=True))
    assert a.score is None and a.error is not None
    assert a.error.startswith("上一份计划“previous.docx”无法读取：")


def test_known_extraction_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    ex = imtc.service.check_file(SAMPLES / "power-battery.docx")
    monkeypatch.setattr(imtc.service, "check_file_with_document", _forever)
    a = assess_here(SAMPLES / "power-battery.docx", Known(extraction=ex), Options(score=True))
    assert a.extraction is ex and a.score is not None and a.score.rubric == "annex2"
