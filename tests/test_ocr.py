"""Scanned PDF pages read by OCR (imtc/extract/ocr.py).

The scanned samples (samples/scans/, made by samples/scans.py from the text PDFs: 150 dpi, grey,
turned 0.5-1°, grain and speckles, JPEG) are compared with their text twin's truth; the mixed
sample (a scanned cover before text pages) must read its cover by OCR and the rest from the text
layer; the grid detector is tried on tables drawn with OpenCV; a smudged cell must be named in a
finding; a blank scanned page must give a finding, not a crash.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import need_module, need_ocr

need_ocr(module_level=True)  # with CI=true a missing OCR stack (or libGL) fails instead of skipping
pytestmark = pytest.mark.slow  # OCR: minutes of CPU
cv2 = need_module("cv2")
np = need_module("numpy")

from imtc import batch  # noqa: E402
from imtc.extract import ocr  # noqa: E402
from imtc.extract.limits import Limits  # noqa: E402
from imtc.extract.pdf_reader import read_pdf  # noqa: E402
from imtc.extract.tables import find_layout, header_vocabulary  # noqa: E402
from imtc.pipeline import check_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SCANS = sorted((SAMPLES / "scans").glob("*.expected.json"))
sys.path.insert(0, str(SAMPLES))
from scans import image_pdf  # noqa: E402

# Measured on the scanned samples (README, "Formats": 0.972 and 0.950); the floor is set a little below.
F1_FLOOR = 0.93


def _squash(v: object) -> str:
    return "".join(str(v).split())


def cell_f1(got: dict, want: dict) -> tuple[float, float, float]:
    """F1 of the table cells of an extraction against the truth.

    A truth cell is a non-null field value of a row of a table kind in the truth. It counts as
    found when the extracted table of the same kind has, in the row of the same index, the same
    field with the same value once all whitespace is removed (numbers, 投资金额, as numbers).
    Recall = found / truth cells; precision = found / non-null fields of the extracted rows of
    those table kinds; F1 their harmonic mean. Returns (f1, precision, recall)."""
    found = truth = extracted = 0
    for kind, table in want["tables"].items():
        have = got["tables"].get(kind, {"rows": []})["rows"]
        for i, row in enumerate(table["rows"]):
            for f, v in row.items():
                if f == "location" or v is None:
                    continue
                truth += 1
                g = have[i].get(f) if i < len(have) else None
                if isinstance(v, (int, float)):  # 投资金额: a number
                    found += g is not None and float(g) == float(v)
                else:
                    found += g is not None and _squash(g) == _squash(v)
        extracted += sum(1 for r in have for f, v in r.items() if f != "location" and v is not None)
    recall = found / truth if truth else 1.0
    precision = found / extracted if extracted else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f1, precision, recall


@pytest.fixture(scope="module")
def scanned() -> dict[str, dict]:
    """Both scanned samples, read in two worker processes as `imtc check` reads them (a time limit
    well above the 2-3 minutes they take here, for a machine busy with other work)."""
    files = [p.parent / json.loads(p.read_text("utf-8"))["file"] for p in SCANS]
    return {files[i].name: ex.model_dump(mode="json") for i, ex in batch.run(files, check_file, jobs=2, timeout=1800)}


def test_there_are_scanned_samples() -> None:
    assert len(SCANS) >= 2
    for p in SCANS:
        pdf = p.with_name(p.name.replace(".expected.json", ".pdf"))
        assert pdf.stat().st_size < 2 * 1024 * 1024
    assert sum(p.with_name(p.name.replace(".expected.json", ".pdf")).stat().st_size for p in SCANS) < 4 * 1024 * 1024


@pytest.mark.parametrize("expected", SCANS, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_scanned_sample_reads_like_its_text_twin(expected: Path, scanned: dict[str, dict],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    want = json.loads(expected.read_text("utf-8"))
    got = scanned[want["file"]]
    assert got["kind"] == want["kind"], [f["message"] for f in got["findings"]][:3]
    assert {s["key"]: s["status"] for s in got["sections"]} == want["sections"]
    assert {k: t["status"] for k, t in got["tables"].items()} == {k: t["status"] for k, t in want["tables"].items()}
    f1, p, r = cell_f1(got, want)
    with capsys.disabled():
        print(f"\n{want['file']}: table cells F1 {f1:.3f} (precision {p:.3f}, recall {r:.3f}), floor {F1_FLOOR}")
    assert f1 >= F1_FLOOR
    src = got["source"]
    assert src["ocr"] is True
    assert sorted(map(int, src["ocr_confidence"])) == list(range(1, src["pages"] + 1))
    assert all(0.5 < c <= 1 for c in src["ocr_confidence"].values())
    codes = [f["code"] for f in got["findings"]]
    assert codes.count("ocr-pages") == 1 and "pages-without-text" not in codes
    for f in got["findings"]:
        if f["code"] == "ocr-low-confidence":
            assert f["severity"] == "warning" and f["location"]["page"] >= 1 and "table" in f["location"]


def test_mixed_document_reads_the_cover_by_ocr_and_the_rest_from_the_text_layer() -> None:
    mixed, text = SAMPLES / "pdf" / "mixed-scanned-cover.pdf", SAMPLES / "pdf" / "blank-template.pdf"
    doc, twin = read_pdf(mixed, Limits(), header_vocabulary()), read_pdf(text, Limits(), header_vocabulary())
    assert doc.ocr_pages == [1] and doc.pages_without_text == []
    cover = [b.text for b in doc.blocks if b.page == 1]
    assert cover[0] == "浙江省产业计量测试中心申请书" and "申报单位负责人：（签名）" in cover
    rest = [(type(b).__name__, getattr(b, "text", None), getattr(b, "index", None)) for b in doc.blocks if b.page != 1]
    assert rest == [(type(b).__name__, getattr(b, "text", None), getattr(b, "index", None))
                    for b in twin.blocks if b.page != 1]  # pages 2-6: exactly the text layer
    ex = check_file(mixed)
    want = json.loads((SAMPLES / "pdf" / "mixed-scanned-cover.expected.json").read_text("utf-8"))
    assert ex.kind == "application" and ex.meta.model_dump() == want["meta"]
    assert {s.key: s.status for s in ex.sections} == want["sections"]
    assert ex.source.ocr is True and list(ex.source.ocr_confidence or {}) == [1]
    (info,) = [f for f in ex.findings if f.code == "ocr-pages"]
    assert info.severity == "info" and "第 1 页" in info.message
    assert not [f for f in ex.findings if f.code == "pages-without-text"]


def test_text_pdfs_and_docx_do_not_import_the_ocr_engine() -> None:
    code = ("import sys; from imtc.pipeline import check_file; "
            "[check_file(p) for p in sys.argv[1:]]; "
            "print([m for m in ('rapidocr_onnxruntime', 'onnxruntime', 'cv2') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "power-battery.docx"),
                          str(SAMPLES / "pdf" / "power-battery.pdf")], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _threads_in_child(conn) -> None:  # noqa: ANN001
    conn.send(ocr.threads())
    conn.close()


def test_a_worker_process_uses_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMTC_OCR_THREADS", raising=False)
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_threads_in_child, args=(send,))
    proc.start()
    assert recv.recv() == 1
    proc.join()


def test_a_worker_forked_after_an_in_process_read_does_not_hang() -> None:
    """No thread pool is left for a forked worker to inherit locked (it hung 2 runs in 6 with them)."""
    mixed = SAMPLES / "pdf" / "mixed-scanned-cover.pdf"
    assert check_file(mixed).source.ocr is True  # the engine now lives in this process
    for _ in range(3):
        ((_, ex),) = list(batch.run([mixed], check_file, jobs=1, timeout=60))
        assert ex.source.ocr is True, [f.code for f in ex.findings]


# --- the grid detector ------------------------------------------------------------------------------

XS = [100, 260, 420, 580, 740]
YS = [100, 180, 260, 340, 420]


def _ruled_image(angle: float = 0.0, seed: int = 7) -> np.ndarray:
    """A 4x4 ruled table drawn with OpenCV at 200 dpi, the rule between cells (1,1) and (1,2) left out
    (a horizontally merged cell) and that between (2,3) and (3,3) too (a vertically merged one), with
    Latin text in some cells, turned by `angle` degrees, with speckles."""
    img = np.full((700, 900), 255, np.uint8)
    for y in YS:
        cv2.line(img, (XS[0], y), (XS[-1], y), 0, 2)
    for x in XS:
        cv2.line(img, (x, YS[0]), (x, YS[-1]), 0, 2)
    cv2.line(img, (XS[2], YS[1] + 2), (XS[2], YS[2] - 2), 255, 4)  # merge (1,1)+(1,2)
    cv2.line(img, (XS[3] + 2, YS[3]), (XS[4] - 2, YS[3]), 255, 4)  # merge (2,3)+(3,3)
    for (r, c), text in {(0, 0): "No", (0, 1): "NAME", (0, 2): "MODEL", (0, 3): "NOTE", (1, 0): "1",
                         (1, 1): "MERGED WIDE", (2, 0): "2", (2, 3): "TALL"}.items():
        cv2.putText(img, text, (XS[c] + 12, YS[r] + 52), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2, cv2.LINE_AA)
    m = cv2.getRotationMatrix2D((450, 350), angle, 1.0)
    img = cv2.warpAffine(img, m, (900, 700), flags=cv2.INTER_LINEAR, borderValue=255)
    rng = np.random.default_rng(seed)
    img[rng.random(img.shape) < 0.002] = 0
    return img


def test_grid_with_merged_cells_from_a_tilted_speckled_image() -> None:
    img = _ruled_image(angle=0.8)
    binary = ocr.binarize(img, 200)
    angle = ocr.skew_angle(binary)
    assert abs(angle + 0.8) <= 0.1  # the turn that levels it
    img = ocr.rotate(img, angle, 255)
    (grid,) = ocr.find_grids(ocr.binarize(img, 200), 200)
    assert len(grid.xs) == 5 and len(grid.ys) == 5
    assert all(abs(a - b) <= 4 for a, b in zip(grid.xs, XS, strict=True))
    assert len(grid.cells) == 16 - 2

    def span(x0: int, y0: int) -> tuple[int, int]:
        (cell,) = [c for c in grid.cells if abs(c[0] - x0) <= 4 and abs(c[1] - y0) <= 4]
        return (sum(1 for x in grid.xs if cell[0] - 4 <= x <= cell[2] + 4) - 1,
                sum(1 for y in grid.ys if cell[1] - 4 <= y <= cell[3] + 4) - 1)

    assert span(XS[1], YS[1]) == (2, 1)  # two columns wide
    assert span(XS[3], YS[2]) == (1, 2)  # two rows high
    assert span(XS[0], YS[0]) == (1, 1)


def _image_page_pdf(img: np.ndarray, dpi: float = 200) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=90)
    h, w = img.shape
    return image_pdf([(buf.getvalue(), w, h, w * 72 / dpi, h * 72 / dpi)])


def test_scanned_table_becomes_a_table_block_with_its_merged_cells(tmp_path: Path) -> None:
    pdf = tmp_path / "table.pdf"
    pdf.write_bytes(_image_page_pdf(_ruled_image(angle=-0.6)))
    doc = read_pdf(pdf, Limits())
    assert doc.ocr_pages == [1]
    (table,) = [b for b in doc.blocks if hasattr(b, "grid")]
    assert len(table.grid) == 4 and table.ncols == 4
    wide = table.grid[1][1]
    assert wide is table.grid[1][2] and (wide.rowspan, wide.colspan) == (1, 2)
    tall = table.grid[2][3]
    assert tall is table.grid[3][3] and (tall.rowspan, tall.colspan) == (2, 1)
    assert _squash(wide.text) == "MERGEDWIDE" and _squash(tall.text) == "TALL"
    assert [_squash(c.text) for c in table.row_cells(0)] == ["No", "NAME", "MODEL", "NOTE"]


# --- findings ---------------------------------------------------------------------------------------


def test_a_smudged_cell_gets_a_low_confidence_warning(tmp_path: Path) -> None:
    """The power-battery application with its equipment table page (9) scanned and one cell's text
    smudged: the warning names the table, the row and the field."""
    import pypdfium2
    from pypdf import PdfReader, PdfWriter

    scan = pypdfium2.PdfDocument(str(SAMPLES / "scans" / "power-battery-scan.pdf"))
    img = np.asarray(scan[8].render(scale=200 / 72, grayscale=True).to_pil().convert("L")).copy()
    scan.close()
    binary = ocr.binarize(img, 200)
    img = ocr.rotate(img, ocr.skew_angle(binary), 255)
    grid = max(ocr.find_grids(ocr.binarize(img, 200), 200), key=lambda g: len(g.cells))
    # the 型号规格 (model) cell of the table's third data row: header rows are the first two rule gaps
    x0, x1, y0, y1 = grid.xs[2], grid.xs[3], grid.ys[4], grid.ys[5]
    patch = img[y0 + 4:y1 - 4, x0 + 4:x1 - 4].astype(np.float32)
    rng = np.random.default_rng(3)
    patch = cv2.GaussianBlur(patch, (0, 0), 3.0) + rng.normal(0, 50, patch.shape)
    img[y0 + 4:y1 - 4, x0 + 4:x1 - 4] = np.clip(patch, 0, 255).astype(np.uint8)
    page = tmp_path / "page9.pdf"
    page.write_bytes(_image_page_pdf(img))
    text = PdfReader(str(SAMPLES / "pdf" / "power-battery.pdf"))
    w = PdfWriter()
    for i, p in enumerate(text.pages):
        w.add_page(PdfReader(str(page)).pages[0] if i == 8 else p)
    mixed = tmp_path / "mixed.pdf"
    with open(mixed, "wb") as f:
        w.write(f)
    ex = check_file(mixed)
    assert ex.source.ocr is True and list(ex.source.ocr_confidence or {}) == [9]
    low = [f for f in ex.findings if f.code == "ocr-low-confidence"]
    hit = [f for f in low if f.location.field == "model"]
    assert hit, [f.message for f in low]
    loc = hit[0].location
    assert (loc.page, loc.section, loc.row) == (9, "8.2", 2)
    assert "测量仪器设备配置表" in hit[0].message and "第 3 行" in hit[0].message


def test_a_blank_scanned_page_gives_a_finding_not_a_crash(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    img = np.clip(rng.normal(245, 3, (2339, 1654)), 0, 255).astype(np.uint8)
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(_image_page_pdf(img))
    ex = check_file(pdf)
    assert ex.kind == "unknown"
    assert ex.source.ocr is False and ex.source.ocr_confidence is None
    (f,) = [f for f in ex.findings if f.code == "pages-without-text"]
    assert "第 1 页" in f.message


def test_recognition_habits_are_put_right() -> None:
    n = ocr.normalise
    assert n("(-40~150)°℃") == "(-40~150)℃"
    assert n("(0.1mQ~3Q") == "(0.1mΩ~3Ω"
    assert n("(0~300)KN") == "(0~300)kN"
    assert n("AC(0~5)kV,DC(0~6)kV") == "AC(0~5)kV，DC(0~6)kV"
    assert n("±(0.01%读数+0.005%量程）") == "±(0.01%读数+0.005%量程)"
    assert n("无法溯源（国内暂无计量标准)") == "无法溯源（国内暂无计量标准）"
    assert n("研发丶生产") == "研发、生产"
    assert n("1,000 QFN") == "1,000 QFN"


def test_find_layout_reads_the_scanned_two_level_header() -> None:
    """The traceability table's two-level header, scanned, maps every column to its field."""
    import pypdfium2

    scan = pypdfium2.PdfDocument(str(SAMPLES / "scans" / "power-battery-scan.pdf"))
    try:
        res, _ = ocr.read_page(scan[5], 6, 0)
    finally:
        scan.close()
    layouts = [find_layout(t) for t in res.page.tables]
    trace = [lay for lay in layouts if lay is not None and lay.family == "traceability"]
    assert trace and len(trace[0].columns) == 12


# --- the models rewritten to fewer steps (imtc/extract/ocr_model.py) --------------------------------


@pytest.mark.parametrize("name", ["ch_PP-OCRv4_rec_infer.onnx", "ch_PP-OCRv4_det_infer.onnx"])
def test_rewritten_model_computes_what_the_original_does(name: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import onnxruntime as ort
    import rapidocr_onnxruntime

    from imtc.extract import ocr_model

    need_module("onnx")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    src = Path(rapidocr_onnxruntime.__file__).parent / "models" / name
    fused = ocr_model.fused(src)
    assert isinstance(fused, Path) and fused.parent == tmp_path / "imtc" / "models" and fused != src
    assert ocr_model.fused(src) == fused  # made once, then taken from the cache
    import onnx

    ops = [n.op_type for n in onnx.load(str(fused)).graph.node]
    assert "Clip" not in ops and ops.count("HardSigmoid") >= 20
    assert len(ops) < len(onnx.load(str(src)).graph.node)
    opts = ort.SessionOptions()
    opts.log_severity_level = 4
    a = ort.InferenceSession(str(src), opts, providers=["CPUExecutionProvider"])
    b = ort.InferenceSession(str(fused), opts, providers=["CPUExecutionProvider"])
    shape = (1, 3, 48, 480) if "rec" in name else (1, 3, 320, 224)
    x = np.random.default_rng(1).uniform(-1, 1, shape).astype(np.float32)
    ya, yb = a.run(None, {"x": x})[0], b.run(None, {"x": x})[0]
    assert np.abs(ya - yb).max() < 1e-4
    if "rec" in name:
        assert (ya.argmax(axis=2) == yb.argmax(axis=2)).all()


def test_a_model_that_cannot_be_rewritten_is_used_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from imtc.extract import ocr_model

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    src = tmp_path / "not-a-model.onnx"
    src.write_bytes(b"\x00junk")
    assert ocr_model.fused(src) == src
    assert not (tmp_path / "imtc" / "models").exists() or not list((tmp_path / "imtc" / "models").iterdir())


def test_the_engine_reads_with_the_rewritten_models() -> None:
    eng = ocr.engine()
    assert "fused" in eng.text_rec.session.session._model_path
    assert "fused" in eng.text_det.infer.session._model_path
