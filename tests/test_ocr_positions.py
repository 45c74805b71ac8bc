"""Characters of a scanned line placed where the recogniser read them (imtc/extract/ocr.py
`ctc_decode`, `to_chars`): hand-made probabilities and recognition results, no OCR engine."""

from __future__ import annotations

import pytest

from imtc.extract.ocr import TextBox, ctc_decode, to_chars
from imtc.extract.pdf_reader import group_lines
from imtc.extract.pdf_stream import split_words
from tests.conftest import need_module

np = need_module("numpy")

K = 0.36  # points a pixel at 200 dpi


def _probs(best: list[int], classes: int) -> np.ndarray:
    """T x C probabilities whose most likely class at step t is best[t]."""
    p = np.full((len(best), classes), 0.1 / classes, np.float32)
    p[np.arange(len(best)), best] = 0.9
    return p


def test_ctc_decoding_keeps_each_characters_steps() -> None:
    characters = ["blank", "A", "B", "测", " "]
    # steps: A A _ A B B _ _ 测 _ " " B
    text, steps = ctc_decode(_probs([1, 1, 0, 1, 2, 2, 0, 0, 3, 0, 4, 2], 5), characters)
    assert text == "AAB测 B"  # a blank between two A's keeps both, repeats collapse
    assert steps == [(0, 1), (3, 3), (4, 5), (8, 8), (10, 10), (11, 11)]


def test_ctc_decoding_of_blanks_only_is_empty() -> None:
    assert ctc_decode(_probs([0, 0, 0], 3), ["blank", "A", " "]) == ("", [])


def test_characters_sit_where_read_and_a_gap_between_two_texts_stays() -> None:
    # "标准" and "测力" of two columns read as one line 38 px high (10.5 pt), 15 px (half an em) apart
    box = TextBox(100, 200, 240, 238, "标准测力", 0.9, starts=(103.0, 132.0, 176.0, 205.0))
    chars = to_chars([box], K)
    size = 38 * K / 1.3
    assert [round(c["x0"], 3) for c in chars] == [36.0, 46.44, 62.28, 72.72]
    assert [round(c["x1"], 3) for c in chars] == [46.44, round(46.44 + size, 3), 72.72, round(72.72 + size, 3)]
    words = split_words(group_lines(chars, 1, spaces=False)[0], 0)
    assert [w.text for w in words] == ["标准", "测力"]


def test_characters_without_positions_are_spread_by_width() -> None:
    chars = to_chars([TextBox(100, 200, 240, 238, "标准测力", 0.9)], K)
    assert [c["x0"] for c in chars] == pytest.approx([36.0, 48.6, 61.2, 73.8])
    words = split_words(group_lines(chars, 1, spaces=False)[0], 0)
    assert [w.text for w in words] == ["标准测力"]


def test_characters_beside_a_blank_in_the_ink_end_and_start_at_it() -> None:
    # "研发、生产否": 否 read 8 px (a time step) into its ink, which starts after a blank of 21 px
    box = TextBox(1000, 200, 1210, 238, "研发、生产否", 0.9, starts=(1012.0, 1040.0, 1060.0, 1095.0, 1129.0, 1170.0),
                  blanks=((5, 1152.0, 1173.0),))
    chars = to_chars([box], K)
    assert [round(c["x0"] / K, 1) for c in chars] == [1000.0, 1028.0, 1048.0, 1083.0, 1117.0, 1173.0]
    assert round(chars[4]["x1"] / K, 1) == 1146.2  # 产 as wide as an em at most, and no further than the blank
    assert all(c["placed"] for c in chars)
    assert [c["blank"] for c in chars] == [False] * 5 + [True]  # where the ink tells two texts apart
    words = split_words(group_lines(chars, 1, spaces=False)[0], 0)
    assert [w.text for w in words] == ["研发、生产", "否"]
    # without the blank, 否 follows 产 as read: one word
    chars = to_chars([TextBox(1000, 200, 1210, 238, "研发、生产否", 0.9, starts=box.starts)], K)
    assert [w.text for w in split_words(group_lines(chars, 1, spaces=False)[0], 0)] == ["研发、生产否"]
    assert not any(c["placed"] for c in to_chars([TextBox(1000, 200, 1210, 238, "研发", 0.9)], K))


def test_a_box_drawn_loose_places_its_first_character_where_its_ink_starts() -> None:
    # "PASAN" boxed from 1516 px, its ink from 1556 px (seed 48 at 200 dpi): read from the box's edge,
    # "PA" lay left of the column's start and went into the column before
    box = TextBox(1516, 931, 1661, 968, "PASAN", 0.9, starts=(1523.0, 1542.0, 1560.0, 1579.0, 1605.0),
                  blanks=((0, 1516.0, 1556.0),))
    assert [round(c["x0"] / K, 1) for c in to_chars([box], K)] == [1556.0, 1575.0, 1593.0, 1612.0, 1638.0]


def test_a_box_drawn_tight_keeps_its_characters_as_wide_as_the_pages_usual_size() -> None:
    # a group title the detector boxed 26 px high on a header line of boxes 33 px high (9 pt at 200 dpi):
    # its characters, read 17 to 26 px apart, are no narrower than the others' (taken for 7 pt, 20 px,
    # the gaps between them were wider than the line's usual one: "试", "验/检测", "需", "求")
    boxes = [TextBox(144, 1813, 209, 1847, "序号", 0.9, starts=(154.0, 181.0)),
             TextBox(1011, 1814, 1236, 1848, "校准设备或计量标准", 0.9,
                     starts=(1020.0, 1045.0, 1070.0, 1095.0, 1120.0, 1145.0, 1170.0, 1195.0, 1220.0)),
             TextBox(331, 1820, 496, 1846, "试验/检测需求", 0.9, starts=(344.0, 370.0, 387.0, 404.0, 426.0, 452.0, 478.0))]
    words = split_words(group_lines(to_chars(boxes, K), 1, spaces=False)[0], 0)
    assert [w.text for w in words] == ["序号", "试验/检测需求", "校准设备或计量标准"]
