"""Every workbook imtc writes keeps untrusted text as text (no formula injection) and never fails on
characters a workbook cannot hold: imtc.cells, and summary.xlsx written through it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from imtc.cells import MAX_CELL_CHARS, append, clean_text, put, sheet_title
from imtc.models import Extraction, Meta, Source
from imtc.summary import ReviewFigures, write_workbook

HOSTILE = ['=HYPERLINK("https://evil.example/x","点击查看评审文件")', "=1+1", "+1+2", "-3+4", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1"]


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def styles_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/styles.xml").decode()


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_written_as_text(tmp_path: Path, text: str) -> None:
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, text)
    append(ws, ["普通文字", text, 3, None])
    wb.save(tmp_path / "x.xlsx")
    xml = sheet_xml(tmp_path / "x.xlsx")
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    ws2 = load_workbook(tmp_path / "x.xlsx").active
    assert [(ws2["A1"].value, ws2["A1"].data_type), (ws2["B2"].value, ws2["B2"].data_type)] == [
        (text, "s"), (text, "s")]
    assert ws2["A1"].quotePrefix and ws2["B2"].quotePrefix  # stays text when edited in Excel
    assert not ws2["A2"].quotePrefix and ws2["C2"].value == 3


def test_plain_openpyxl_would_have_written_a_formula(tmp_path: Path) -> None:
    """The defect the sanitiser exists for (so the test above can fail)."""
    wb = Workbook()
    wb.active.append(["=1+1"])
    assert wb.active["A1"].data_type == "f"


def test_unwritable_characters_are_removed(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, "中心\x00名\x1b称\x08\x0b\x0c\x1f")
    put(ws, 2, 1, "a\ud800b\ufffec\uffff")
    append(ws, ["第一行\n第二行\t制表", "=\x01SUM(1)"])
    wb.save(tmp_path / "x.xlsx")  # never raises
    ws2 = load_workbook(tmp_path / "x.xlsx").active
    assert ws2["A1"].value == "中心名称"
    assert ws2["A2"].value == "abc"
    assert ws2["A3"].value == "第一行\n第二行\t制表"  # tab and line feed are allowed inside
    assert (ws2["B3"].value, ws2["B3"].data_type) == ("=SUM(1)", "s")


def test_long_text_is_cut_to_a_cell() -> None:
    assert clean_text("字" * 40000) == "字" * (MAX_CELL_CHARS - 2) + "……"
    assert len(clean_text("字" * 40000)) == MAX_CELL_CHARS


def test_summary_workbook_keeps_hostile_text_as_text(tmp_path: Path) -> None:
    ex = Extraction(source=Source(file="=1+2.docx", format="docx", sha256=""), kind="application",
                    meta=Meta(center_name="=1+1", applicant=HOSTILE[0]))
    ex2 = Extraction(source=Source(file="b.docx", format="docx", sha256=""), kind="application",
                     meta=Meta(center_name="浙江省\x00\x07计量中心", applicant="@cmd"))
    target = tmp_path / "summary.xlsx"
    reviews = [ReviewFigures(year=2025, link="001 =1+2"), ReviewFigures(note="-无评审文件\x1b")]
    write_workbook([(Path("=1+2.docx"), ex), (Path("+b\x0c.docx"), ex2)], target, reviews)
    xml = sheet_xml(target)
    assert "<f>" not in xml and "<f " not in xml
    ws = load_workbook(target).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=4)]
    assert rows == [["=1+2.docx", "申请书", "=1+1", HOSTILE[0]], ["+b.docx", "申请书", "浙江省计量中心", "@cmd"]]
    link = ws.cell(row=2, column=22)
    assert (link.value, link.data_type, link.quotePrefix) == ("001 =1+2", "s", False)
    assert link.hyperlink.target == "001 =1+2"
    note = ws.cell(row=3, column=22)
    assert (note.value, note.data_type, note.quotePrefix) == ("-无评审文件", "s", True)
    for cell in (ws["A2"], ws["C2"], ws["D2"], ws["A3"], ws["D3"]):
        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert 'quotePrefix="1"' in styles_xml(target)


def test_sheet_title_from_untrusted_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title("浙江省\x01动力电池[产业]计量测试中心:评审/汇总*?", "评审组汇总")
    assert ws.title == "浙江省动力电池_产业_计量测试中心_评审_汇总__"[:31]
    wb.save(tmp_path / "x.xlsx")  # never raises
    assert sheet_title("'\x00'", "评审组汇总") == "评审组汇总"
    assert sheet_title("'甲'") == "甲"
