"""Characters a PDF's font names by another code of the same glyph (Chromium and Skia with Noto/Source
Han CJK SC: 门 as ⻔ U+2ED4, 胶 as 㬵 U+3B35, the em dash as ― U+2015) read as the characters they are."""

from __future__ import annotations

from pathlib import Path

from imtc.extract.limits import Limits
from imtc.extract.pdf_reader import read_pdf
from imtc.extract.text import unalias
from tests.minipdf import pdf


def test_radicals_and_shared_glyphs_read_as_the_characters() -> None:
    assert unalias("微⼩电流 ⾼速 ⽓体 ⾦属 ⽅块 ⼾外") == "微小电流 高速 气体 金属 方块 户外"
    assert unalias("⻔禁 ⻓度 ⻢达 橡㬵 2026―2027年 〈检定〉 (1〜300) A∕B") == "门禁 长度 马达 橡胶 2026—2027年 〈检定〉 (1～300) A／B"


def test_text_without_aliases_is_left_as_it_is() -> None:
    text = "±(8×10⁻⁶读数+0.05×10⁻⁶量程)，U_rel=1%，k=2 —— 戶籍 “引号” ～"
    assert unalias(text) is text


def test_a_pdf_line_with_aliased_codes_reads_as_written(tmp_path: Path) -> None:
    path = tmp_path / "aliases.pdf"
    path.write_bytes(pdf(["门禁系统 ⻔ 㬵体 2026―2027年"]))
    doc = read_pdf(path, Limits())
    assert [b.text for b in doc.blocks] == ["门禁系统 门 胶体 2026—2027年"]


def test_latin_ligatures_read_as_their_letters() -> None:
    # Chromium sets "fi" of "Thermo Scientific" as the ligature ﬁ U+FB01 and names it so
    # (layout-024-ruleless-chromium-report: its model cells read "Thermo Scientiﬁc Orion 3")
    assert unalias("Thermo Scientiﬁc ﬂow ﬀ ﬃ ﬄ ﬆ") == "Thermo Scientific flow ff ffi ffl st"
