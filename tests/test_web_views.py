"""What the pages show, from a real sample's extraction (samples/defect-split-tables.docx: tables
split over pages, read as one table from several Word tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imtc.models import Location
from imtc.pipeline import check_file
from imtc.web.views import location_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def split():
    return check_file(SAMPLES / "defect-split-tables.docx")


def test_column_label_on_a_continuation_page(split) -> None:  # noqa: ANN001
    equipment = split.tables["equipment"]
    assert sorted({r.location.table for r in equipment.rows}) == [3, 4]  # the table goes on in a 2nd Word table
    assert location_text(split, Location(table=3, row=1, field="name")) == "第 4 个表格 · 第 2 行 · “测量仪器名称”栏"
    assert location_text(split, Location(table=4, row=8, field="name")) == "第 5 个表格 · 第 9 行 · “测量仪器名称”栏"
