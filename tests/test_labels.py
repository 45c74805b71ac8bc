"""One vocabulary (imtc/templates/labels.toml): every value the code can produce has its Chinese
label, and no module keeps a private table of these words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from imtc import labels
from imtc.findings import CATALOGUE
from imtc.models import TABLE_KINDS, Entities, Kind, Severity, Status
from imtc.score_assist.rubric import load_rubric

PACKAGE = Path(__file__).resolve().parent.parent / "imtc"


def test_every_contract_value_has_a_label() -> None:
    assert set(labels.KIND) == set(get_args(Kind))
    assert set(labels.SEVERITY) == set(get_args(Severity))
    assert set(labels.SECTION_STATUS) == set(get_args(Status))
    assert set(labels.TABLE) == {k for kinds in TABLE_KINDS.values() for k in kinds}
    assert set(labels.ENTITY) == set(Entities.model_fields)
    assert {c.stage for c in CATALOGUE.values()} <= set(labels.STAGE)


def test_every_rubric_part_has_a_label() -> None:
    for name in ("annex5", "annex2"):
        assert {p.key for p in load_rubric(name).parts} <= set(labels.PART), name
    assert set(labels.RUBRIC) == {"annex5", "annex2"}
    assert (labels.EXCELLENT, labels.PASSED, labels.FAILED) == ("优秀", "合格", "不合格")


def test_the_words_people_read() -> None:
    assert labels.KIND == {"application": "申请书", "annual_report": "年度工作总结", "unknown": "无法识别",
                           "unreadable": "无法读取"}
    assert labels.SEVERITY == {"error": "错误", "warning": "警告", "info": "提示"}
    assert labels.label("kind", "annual_report") == "年度工作总结"
    assert labels.label("stage", "later", default="其他") == "其他"
    assert labels.label("stage", "later") == "later"


def test_the_front_doors_take_their_words_from_the_vocabulary() -> None:
    from imtc import review, summary
    from imtc.score_assist import common
    from imtc.web import views

    assert summary.KIND_LABELS is labels.KIND and summary.SEVERITY_LABELS is labels.SEVERITY
    assert views.STATUS_LABELS is labels.SECTION_STATUS
    assert common.TABLE_LABELS is labels.TABLE and common.STATUS_WORDS is labels.SECTION_STATUS
    assert review.PART_WORDS is labels.CATEGORY


def test_no_module_keeps_its_own_table_of_kind_words() -> None:
    """A dict literal mapping a document kind to Chinese words belongs in labels.toml."""
    pattern = re.compile(r"""["']application["']\s*:\s*["'][\u4e00-\u9fff][^"']*["']\s*,\s*"""
                         r"""["']annual_report["']\s*:\s*["'][\u4e00-\u9fff]""")
    own = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert own == []


def test_no_module_keeps_its_own_severity_words() -> None:
    """错误/警告/提示 for error/warning/info are labels.SEVERITY's (the review page's crops took a copy)."""
    pattern = re.compile(r"""["']error["']\s*:\s*["']错误["']""")
    own = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert own == []
