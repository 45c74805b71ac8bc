"""Scanned pages that lie sideways or upside down, and a table without rules on a scan, read by
OCR end to end (imtc/extract/ocr_layout.py): small page images drawn here with a CJK font."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tests.conftest import need_module, need_ocr, need_path

need_ocr(module_level=True)
pytestmark = pytest.mark.slow  # OCR: seconds of CPU a page
np = need_module("numpy")
PIL = need_module("PIL.Image")

from imtc.extract.blocks import Paragraph, TableBlock  # noqa: E402
from imtc.extract.limits import Limits  # noqa: E402
from imtc.extract.pdf_reader import read_pdf  # noqa: E402
from imtc.extract.tables import header_vocabulary  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
from scans import image_pdf  # noqa: E402

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DPI = 200
HEADER = ["序号", "测量仪器名称", "型号规格", "测量范围", "投资金额（万元）", "备注"]
ROWS = [["1", "数字多用表", "34470A", "(0~20)A", "8.5", "已建"],
        ["2", "标准测力仪", "BSQ-300kN", "(1~300)kN", "18", "新建"],
        ["3", "多功能校准源", "Fluke 5522A", "(0~30)A", "36", "已建"]]
XS = [150, 300, 700, 1050, 1400, 1800]  # each column's left edge, pixels at 200 dpi


PROSE = ["本中心拟购置的测量仪器设备如下表所示。", "投资金额以万元计，备注栏填写新建或已建。", "设备到货后统一验收。"]


def _page(ruled: bool) -> np.ndarray:
    """A landscape page at 200 dpi: a heading, three short lines of prose (1.5 lines apart) and the
    equipment table, its rows 2.4 lines apart and its columns at least 50 pixels (`ruled`: with
    rules around every cell)."""
    from PIL import Image, ImageDraw, ImageFont

    need_path(FONT, "字体 NotoSansCJK-Regular.ttc（fonts-noto-cjk）")
    w, h = 2339, 1654
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 29)  # 10.5 pt at 200 dpi
    d.text((150, 150), "测量仪器设备配置表", font=font, fill=0)
    for i, t in enumerate(PROSE):
        d.text((150, 230 + 44 * i), t, font=font, fill=0)
    top, pitch = 400, 70
    for r, texts in enumerate([HEADER, *ROWS]):
        for x, t in zip(XS, texts, strict=True):
            d.text((x + 10, top + r * pitch + 15), t, font=font, fill=0)
    if ruled:
        bottom = top + pitch * (len(ROWS) + 1)
        for r in range(len(ROWS) + 2):
            d.line([(XS[0], top + r * pitch), (2150, top + r * pitch)], fill=0, width=2)
        for x in [*XS, 2150]:
            d.line([(x, top), (x, bottom)], fill=0, width=2)
    return np.asarray(img)


def _pdf(tmp_path: Path, img: np.ndarray) -> Path:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "JPEG", quality=85)
    h, w = img.shape
    path = tmp_path / "page.pdf"
    path.write_bytes(image_pdf([(buf.getvalue(), w, h, w * 72 / DPI, h * 72 / DPI)]))
    return path


def _table(doc) -> list[list[str | None]]:  # noqa: ANN001
    (table,) = [b for b in doc.blocks if isinstance(b, TableBlock)]
    return [["".join(c.text.split()) if c else None for c in row] for row in table.grid]


def _squashed(rows: list[list[str]]) -> list[list[str]]:
    return [["".join(t.split()) for t in row] for row in rows]


@pytest.mark.parametrize("turn", [90, 270, 180])
def test_a_page_scanned_sideways_or_upside_down_is_read_upright(tmp_path: Path, turn: int) -> None:
    img = np.rot90(_page(ruled=True), turn // 90).copy()  # counter-clockwise, as the scanner fed it
    doc = read_pdf(_pdf(tmp_path, img), Limits())
    assert doc.ocr_pages == [1] and doc.ocr_turned == {1: (360 - turn) % 360} and doc.ocr_unsure_pages == []
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0] == "测量仪器设备配置表"
    assert _table(doc) == _squashed([HEADER, *ROWS])


def test_an_upright_page_is_not_turned(tmp_path: Path) -> None:
    doc = read_pdf(_pdf(tmp_path, _page(ruled=True)), Limits())
    assert doc.ocr_turned == {} and doc.ocr_unsure_pages == []
    assert _table(doc) == _squashed([HEADER, *ROWS])


def test_a_scanned_table_without_rules_has_its_rows(tmp_path: Path) -> None:
    doc = read_pdf(_pdf(tmp_path, _page(ruled=False)), Limits(), header_vocabulary())
    assert _table(doc) == _squashed([HEADER, *ROWS])
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0] == "测量仪器设备配置表" and "".join(paragraphs[1:]) == "".join(PROSE)  # no table text in them


def test_without_the_header_vocabulary_a_table_without_rules_stays_text(tmp_path: Path) -> None:
    doc = read_pdf(_pdf(tmp_path, _page(ruled=False)), Limits())
    assert not [b for b in doc.blocks if isinstance(b, TableBlock)]


def _close_columns(gap: int) -> np.ndarray:
    """The equipment table without rules, each column starting `gap` pixels after the
    widest text of the one before it: closer than the detector keeps lines apart."""
    from PIL import Image, ImageDraw, ImageFont

    need_path(FONT, "字体 NotoSansCJK-Regular.ttc（fonts-noto-cjk）")
    img = Image.new("L", (2339, 1654), 255)
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 29)  # 10.5 pt at 200 dpi
    x = 150.0
    for c in range(len(HEADER)):
        for r, texts in enumerate([HEADER, *ROWS]):
            d.text((x, 400 + r * 70), texts[c], font=font, fill=0)
        x += max(font.getlength(texts[c]) for texts in [HEADER, *ROWS]) + gap
    return np.asarray(img)


@pytest.mark.parametrize("gap", [20, 24])
def test_two_columns_read_as_one_line_are_two_cells(tmp_path: Path, gap: int) -> None:
    doc = read_pdf(_pdf(tmp_path, _close_columns(gap)), Limits(), header_vocabulary())
    assert _table(doc) == _squashed([HEADER, *ROWS])


def test_an_enumeration_comma_ending_a_box_is_read_with_blank_paper_after_it() -> None:
    """"频率、时间间隔" of a table without rules on seed 668's scan at 200 dpi (the page as the
    recogniser gets it, tests/data): the detector boxed 频率、 and 时间间隔, and the recogniser, given
    the first box, reads 频率: the 、 at the crop's edge is lost. Read again with blank paper after it, the box reads 频率、, which is kept: its own text
    and then a mark."""
    from PIL import Image

    from imtc.extract import ocr
    from imtc.extract.ocr_layout import trailing_marks

    clean = np.asarray(Image.open(ROOT / "tests" / "data" / "scan-668-enumeration-comma.png"))
    rects = [(15, 9, 77, 43), (90, 9, 194, 43)]
    results = ocr.read_spans([clean[y0:y1, x0:x1] for x0, y0, x1, y1 in rects], ocr.REC_HEIGHT)
    assert [r[0] for r in results] == ["频率", "时间间隔"]
    tails = trailing_marks(clean, rects, lambda r: False)
    assert [r[0] for r in ocr._read_with_tails(clean, rects, results, tails)] == ["频率、", "时间间隔"]


def test_a_lone_digit_boxed_tightly_and_read_unsure_is_read_again_with_a_margin() -> None:
    """A row's 序号 "1" of a table without rules on seed 692's scan at 200 dpi (the page as the
    recogniser gets it, tests/data): the detector boxed it tightly, 17 px square, and the recogniser
    read it at 0.49, under MIN_CONFIDENCE, so it was dropped as noise and its row taken into the
    next. Read again with 3 px of blank paper around it, it reads "1" surely."""
    from PIL import Image

    from imtc.extract import ocr

    clean = np.asarray(Image.open(ROOT / "tests" / "data" / "scan-692-lone-digit.png"))
    rects = [(22, 20, 39, 37)]
    results = ocr.read_spans([clean[20:37, 22:39]], ocr.REC_HEIGHT)
    assert results[0][0] == "1" and results[0][1] < ocr.MIN_CONFIDENCE
    (text, score, _), = ocr._read_unsure_again(clean, rects, results, [0])
    assert text == "1" and score >= ocr.MIN_CONFIDENCE
