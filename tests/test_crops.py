"""Evidence as pictures (imtc/crops.py): the HTML review of a PDF annual report shows, beside the
auto-computed η (1.2.1), crops of its pages with the matched rows outlined; a Word document's rows
are found again in the PDF LibreOffice prints of it."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from imtc.crops import OUTLINE, SCALE, cropper_for
from imtc.extract import extract_with_document
from imtc.pipeline import check_file
from imtc.review import write_review
from imtc.score_assist import read_texts, score

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
REPORT = SAMPLES / "pdf" / "report-power-battery-2025.pdf"
PLAN = SAMPLES / "report-power-battery-2024.docx"


def _red(png: bytes) -> int:
    import numpy as np

    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return int((img == np.array(OUTLINE, dtype=img.dtype)).all(axis=2).sum())


@pytest.fixture(scope="module")
def review_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    ex = check_file(REPORT)
    texts = read_texts(REPORT, ex.kind)
    result = score(ex, previous=check_file(PLAN), texts=texts)
    out = tmp_path_factory.mktemp("review")
    written = write_review(ex, result, out, texts=texts, source=REPORT)
    return next(p for p in written if p.suffix == ".html").read_text("utf-8")


def test_eta_in_the_html_review_has_crops_of_its_matched_rows(review_html: str) -> None:
    row = review_html.split('id="item-1.2.1"', 1)[1].split("</tr>", 1)[0]
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>", row)
    assert captions == ["原文第 6 页（红框：计算所依据的内容）", "原文第 7 页（红框：计算所依据的内容）"]
    images = [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([^"]+)"', row)]
    assert len(images) == 2 and all(_red(png) > 500 for png in images)
    assert "http://" not in review_html and "https://" not in review_html  # nothing from outside


def test_each_matched_row_is_outlined_on_its_page() -> None:
    ex, doc = extract_with_document(REPORT)
    rows = [r.location.blocks[0] for r in ex.tables["equipment_done"].rows]
    with cropper_for(REPORT, doc, "pdf") as c:
        crops = c.crops(rows)
    assert [(k.page, len(k.boxes)) for k in crops] == [(6, 3), (7, 6)]
    for k in crops:
        img = Image.open(io.BytesIO(k.image))
        tallest = max(b[3] for b in k.boxes) - min(b[1] for b in k.boxes)
        assert img.height >= tallest * SCALE


def test_expert_items_and_other_files_get_no_crops(review_html: str) -> None:
    row = review_html.split('id="item-1.1.1"', 1)[1].split("</tr>", 1)[0]
    assert "<figure" not in row


@pytest.mark.skipif(not shutil.which("soffice") and os.environ.get("CI") != "true",
                    reason="LibreOffice is not installed (setup.sh installs it); with CI=true this fails instead")
def test_word_rows_are_found_in_the_pdf_libreoffice_prints() -> None:
    path = SAMPLES / "report-power-battery-2025.docx"
    ex, doc = extract_with_document(path)
    rows = [r.location.blocks[0] for r in ex.tables["equipment_done"].rows]
    with cropper_for(path, doc, "docx") as c:
        assert c is not None
        places = c.places(rows)
        crops = c.crops(rows)
    assert len(places) == len(rows) == 9
    assert [(k.page, len(k.boxes)) for k in crops] == [(6, 3), (7, 6)]
