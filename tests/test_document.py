"""The Document between reading and meaning (imtc/extract/blocks.py).

- The flow: a file goes through the readers into a Document, and from there through template
  mapping into the Extraction (and the prose scoring reads) with no step going back to the file.
- Readers know no template; validate imports no internals of extract; the store does not import
  score_assist.
- Ids are stable and every location carries the block ids it was read from, which lead back to the
  row's text (and, in a PDF, to its box on the page).
- The Document is kept by content hash, bounded, for the stages after extraction.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from imtc.extract import cache, cached_document, extract_with_document, pipeline
from imtc.extract.blocks import Document, Paragraph, TableBlock
from imtc.extract.limits import Limits
from imtc.extract.package import sniff_format
from imtc.pipeline import check_file
from imtc.score_assist.texts import read_texts, texts_of

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
READERS = ["docx_reader", "pdf_reader", "pdf_stream", "ocr"]
MAPPING = ["imtc.templates", "imtc.extract.outline", "imtc.extract.tables", "imtc.extract.meta",
           "imtc.extract.entities", "imtc.extract.pipeline", "imtc.extract.ocr_findings"]


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMTC_DOCUMENT_CACHE", str(tmp_path / "cache"))
    cache.clear_memory()


def _imports(path: Path) -> set[str]:
    """Every module a source file imports, anywhere in it (inside functions too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


# --- who imports whom --------------------------------------------------------------------------


@pytest.mark.parametrize("reader", READERS)
def test_a_reader_module_imports_no_template_nor_mapping(reader: str) -> None:
    imported = _imports(ROOT / "imtc" / "extract" / f"{reader}.py")
    bad = sorted(m for m in imported if any(m == x or m.startswith(x + ".") for x in MAPPING))
    assert bad == []


def test_importing_the_readers_loads_no_template_module() -> None:
    code = ("import sys; import imtc.extract.docx_reader, imtc.extract.pdf_reader, imtc.extract.pdf_stream, "
            "imtc.extract.ocr; print(sorted(m for m in sys.modules if m.startswith(('imtc.templates', "
            "'imtc.extract.tables', 'imtc.extract.outline', 'imtc.extract.entities', 'imtc.extract.meta'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_validate_imports_nothing_inside_extract() -> None:
    for path in sorted((ROOT / "imtc" / "validate").glob("*.py")):
        inner = sorted(m for m in _imports(path) if m.startswith("imtc.extract."))
        assert [m for m in inner if m not in {f"imtc.extract.{n}" for n in __import__("imtc.extract").extract.__all__}] \
            == [], path.name


def test_the_store_does_not_import_score_assist() -> None:
    assert not any(m.startswith("imtc.score_assist") for m in _imports(ROOT / "imtc" / "store.py"))
    code = "import sys, imtc.store; print(any(m.startswith('imtc.score_assist') for m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"


# --- the flow ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["power-battery.docx", "pdf/report-power-battery-2025.pdf"])
def test_the_flow_never_goes_back_to_the_file(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """path -> readers -> Document -> mapping -> Extraction: the file is removed as soon as the
    readers return, and the mapping, validation and the prose scoring reads still give exactly what
    a normal run gives."""
    want = check_file(SAMPLES / name).model_dump(mode="json")
    want_texts = read_texts(SAMPLES / name, want["kind"])
    path = tmp_path / Path(name).name
    shutil.copy(SAMPLES / name, path)
    real = pipeline.read_document
    calls = []

    def read_then_remove(p: Path, data: str | None, limits: Limits) -> Document:
        calls.append(p)
        doc = real(p, data, limits)
        p.unlink()  # from here on, nothing can read the file
        return doc

    monkeypatch.setattr(pipeline, "read_document", read_then_remove)
    cache.clear_memory()
    ex, doc = extract_with_document(path)
    assert calls == [path] and not path.exists() and doc is not None
    from imtc.validate import validate

    got = ex.model_copy(update={"findings": [*ex.findings, *validate(ex)]}).model_dump(mode="json")
    assert got["tables"] == want["tables"] and got["sections"] == want["sections"]
    assert got["entities"] == want["entities"] and got["findings"] == want["findings"]
    texts = texts_of(doc, ex.kind)
    assert texts is not None and texts.paragraphs == want_texts.paragraphs
    kept = cached_document(ex.source.sha256)  # what the stages after take, by content hash
    assert kept is not None and texts_of(kept, ex.kind).paragraphs == want_texts.paragraphs
    assert calls == [path]


def test_every_row_location_leads_back_to_its_row_in_the_document() -> None:
    ex, doc = extract_with_document(SAMPLES / "power-battery.docx")
    assert doc is not None
    n = 0
    for kind, table in ex.tables.items():
        for row in table.rows:
            (block,) = row.location.blocks
            place = doc.place(block)
            assert place is not None and block.startswith(f"t{row.location.table}.r"), (kind, block)
            for value in row.model_dump(exclude={"location", "area"}).values():  # area: from the section
                if isinstance(value, str) and value not in ("", "/"):
                    assert "".join(value.split()) in "".join(place.text.split()), (kind, block, value)
            n += 1
    assert n > 50
    for s in ex.sections:
        if s.heading:
            (block,) = s.location.blocks
            assert doc.place(block).text == s.heading


def test_a_row_rejoined_over_a_page_break_names_both_of_its_parts() -> None:
    ex, doc = extract_with_document(SAMPLES / "pdf" / "power-battery-rows-split.pdf")
    parts = [r.location.blocks for t in ex.tables.values() for r in t.rows if len(r.location.blocks or []) > 1]
    assert parts, "no row was cut by a page break"
    for blocks in parts:
        tables = [b.split(".")[0] for b in blocks]
        assert tables == sorted(set(tables), key=tables.index) and len(set(tables)) == 2
        assert doc.place(blocks[1]).page == doc.place(blocks[0]).page + 1


def test_pdf_blocks_rows_and_cells_have_boxes_on_their_page() -> None:
    ex, doc = extract_with_document(SAMPLES / "pdf" / "report-power-battery-2025.pdf")
    assert set(doc.page_sizes) == set(range(1, doc.pages + 1))
    width, height = doc.page_sizes[1]
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    row = ex.tables["equipment_done"].rows[0]
    place = doc.place(row.location.blocks[0])
    x0, top, x1, bottom = place.bbox
    assert 0 <= x0 < x1 <= width and 0 <= top < bottom <= height and place.page == row.location.page
    for b in doc.blocks:
        box = b.bbox
        assert box is not None, b.id
        assert 0 <= box[0] <= box[2] <= doc.page_sizes[b.page][0] + 1
        if isinstance(b, TableBlock):
            assert all(c.bbox is not None for c in b.cells())


def test_ids_follow_reading_order_and_are_the_same_on_every_reading() -> None:
    path = SAMPLES / "power-battery.docx"
    with open(path, "rb") as f:
        data = sniff_format(f.read(1024))
    one, two = (pipeline.read_document(path, data, Limits()) for _ in range(2))
    ids = [b.id for b in one.blocks]
    assert ids == [b.id for b in two.blocks]
    assert [i for i in ids if i.startswith("p")] == [f"p{n}" for n in range(sum(i.startswith("p") for i in ids))]
    assert [i for i in ids if i.startswith("t")] == [f"t{n}" for n in range(sum(i.startswith("t") for i in ids))]
    tb = next(one.tables())
    assert tb.grid[1][2].id == f"{tb.id}.r{tb.grid[1][2].row}.c{tb.grid[1][2].col}"
    merged = [c for t in one.tables() for c in t.cells() if c.rowspan > 1]
    assert merged and all(c.id.endswith(f".r{c.row}.c{c.col}") for c in merged)
    roles = {b.role for b in one.blocks if isinstance(b, Paragraph)}
    assert roles == {"heading", "paragraph"} or roles == {"heading", "paragraph", "list_item"}


# --- the cache ---------------------------------------------------------------------------------


def test_a_document_read_once_is_taken_from_the_cache_by_later_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    path = SAMPLES / "report-power-battery-2025.docx"
    ex = check_file(path)
    cache.clear_memory()  # as in another process: from disk

    def no_reading(*args: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr(pipeline, "read_document", no_reading)
    texts = read_texts(path, ex.kind)
    assert texts is not None and texts.chars("1") > 500
    again, doc = extract_with_document(path, reuse=True)
    assert again.model_dump() == ex.model_copy(update={"findings": again.findings}).model_dump()


def test_the_cache_folder_is_bounded(tmp_path: Path) -> None:
    where = tmp_path / "c"
    where.mkdir()
    for i in range(6):
        p = where / f"{i}.pickle"
        p.write_bytes(b"x" * 100)
        os.utime(p, (1000 + i, 1000 + i))
    cache.prune(where, max_entries=4, max_bytes=10_000)
    assert sorted(p.name for p in where.iterdir()) == ["2.pickle", "3.pickle", "4.pickle", "5.pickle"]
    cache.prune(where, max_entries=4, max_bytes=250)
    assert sorted(p.name for p in where.iterdir()) == ["4.pickle", "5.pickle"]


def test_a_damaged_cache_entry_is_a_miss_and_goes(tmp_path: Path) -> None:
    path = SAMPLES / "power-battery.docx"
    ex = check_file(path)
    entries = list((tmp_path / "cache").glob("*.pickle"))
    assert len(entries) == 1 and entries[0].name.startswith(ex.source.sha256)
    entries[0].write_bytes(b"not a pickle")
    cache.clear_memory()
    assert cache.load(entries[0].stem) is None and not entries[0].exists()


# --- partial failure ---------------------------------------------------------------------------


def _document(path: Path) -> tuple[Document, object]:
    with open(path, "rb") as f:
        data = sniff_format(f.read(1024))
    return pipeline.read_document(path, data, Limits()), pipeline._source(path, data)


def test_a_broken_table_costs_that_table_only() -> None:
    """A reader's bug leaves one cell of the equipment table without text: that table is left out
    with a finding located at it; every other table, the sections and the meta are read."""
    path = SAMPLES / "power-battery.docx"
    want = check_file(path)
    doc, source = _document(path)
    broken = next(t for t in doc.tables() if t.index == want.tables["equipment"].location.table)
    broken.grid[broken.header_rows + 3][1].text = None  # type: ignore[assignment]
    ex = pipeline.from_document(doc, source)
    assert ex.kind == "application" and ex.meta == want.meta
    assert ex.tables["equipment"].status == "missing" and ex.tables["equipment"].rows == []
    others = [k for k in want.tables if k != "equipment"]
    assert len(others) == 6 and all(ex.tables[k] == want.tables[k] for k in others)
    (f,) = [f for f in ex.findings if f.code == "part-unreadable"]
    assert f.severity == "error" and f.location.table == broken.index and f.location.blocks == [broken.id]
    assert f.location.section == "8.2"
    assert f.message.startswith(f"第 {broken.index + 1} 个表格读取时出错，") and "TypeError" not in f.message
    assert f.detail.startswith("TypeError: ")
    assert ex.sections == want.sections and ex.entities == want.entities


def test_a_part_that_fails_is_a_finding_and_the_rest_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    path = SAMPLES / "report-power-battery-2025.docx"
    want = check_file(path)

    def fails(*args: object) -> None:
        raise ValueError("坏的输入")

    monkeypatch.setattr(pipeline, "read_meta", fails)
    monkeypatch.setattr(pipeline, "read_entities", fails)
    ex = check_file(path)
    assert ex.kind == "annual_report" and ex.tables == want.tables and ex.sections == want.sections
    parts = sorted(f.message.split("读取时出错")[0] for f in ex.findings if f.code == "part-unreadable")
    assert parts == ["封面和落款信息（中心名称、申报单位、负责人、日期）", "成果信息（专利、标准、项目、奖励、论文等）的识别"]


@pytest.mark.parametrize("name", ["report-power-battery-2025.docx", "pdf/report-power-battery-2025.pdf"])
def test_a_report_with_one_broken_table_is_checked_and_scored_without_it(name: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The 2025 report (Word, and its PDF twin), its first table (一（六）calibration items done) broken
    by a reader's bug: every other table is read as before, the finding names that table, and the
    score is made from the rest: the one item that counts that table (1.3.2) goes to the experts,
    every other item keeps its points."""
    from imtc.service import Known, Options, assess_here

    path, known = SAMPLES / name, Known(previous_path=SAMPLES / "report-power-battery-2024.docx")
    want = assess_here(path, known, Options(score=True))
    real = pipeline.read_document

    def first_table_broken(p: Path, data: str | None, limits: Limits) -> Document:
        doc = real(p, data, limits)
        if p.name.startswith("report-power-battery-2025"):
            table = next(doc.tables())
            table.grid[table.header_rows + 1][1].text = None  # type: ignore[assignment]
        return doc

    cache.clear_memory()
    monkeypatch.setenv("IMTC_DOCUMENT_CACHE", "off")
    monkeypatch.setattr(pipeline, "read_document", first_table_broken)
    got = assess_here(path, known, Options(score=True))
    ex = got.extraction
    assert got.error is None and ex.kind == "annual_report"
    assert ex.tables["calibration_items_done"].status == "missing"
    assert {k: t for k, t in ex.tables.items() if k != "calibration_items_done"} == \
        {k: t for k, t in want.extraction.tables.items() if k != "calibration_items_done"}
    assert ex.sections == want.extraction.sections and ex.entities == want.extraction.entities
    (f,) = ex.findings
    assert (f.code, f.severity, f.location.table, f.location.blocks, f.location.section) == \
        ("part-unreadable", "error", 0, ["t0"], "1.6.2")
    assert f.location.page == (5 if name.endswith(".pdf") else None)
    changed = {k: (want.score.items[k].points, it.points, it.basis) for k, it in got.score.items.items()
               if (it.basis, it.value, it.points) != (want.score.items[k].basis, want.score.items[k].value,
                                                      want.score.items[k].points)}
    assert changed == {"1.3.2": (0, None, "expert")}
    (why,) = [e for e in got.score.items["1.3.2"].evidence if "一（六）本年度新建校准项目表" in e.text]
    assert why.text == ("上一份计划“二（二）2 新建校准项目能力表”6行；本报告“一（六）本年度新建校准项目表”所在章节的"
                        "第 1 个表格读取时出错，未能读取，完成情况需按原文核查")  # not "the report has no such table"
    assert (why.location.table, why.location.blocks) == (0, ["t0"])
    assert want.score.items["1.2.1"].points == got.score.items["1.2.1"].points == 1
