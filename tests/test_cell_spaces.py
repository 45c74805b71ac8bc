"""The spaces at which a text PDF's table cells wrapped (pdf_reader.wrapped_space), on characters
placed by hand: most producers draw no space glyph where a cell's line broke at a space, so the
table's own geometry and text tell whether "Keysight" / "34470A" were two words or one."""

from __future__ import annotations

from typing import Any

from imtc.extract.pdf_reader import Line, cell_text, group_lines, is_cjk, space_cues
from tests.test_layout_quirks import LEFT, SIZE, WIDTH, chars, header, table, texts, width

SPACE = 0.25 * SIZE


def centred(texts_: list[str], mid: float, top: float, shifted: tuple[int, ...] = ()) -> list[dict[str, Any]]:
    """A cell's lines centred on `mid`, 13 pt apart; those in `shifted` centred with a space after
    them that is not drawn (they sit left by half of it)."""
    out = []
    for i, t in enumerate(texts_):
        out += chars(t, mid - width(t) / 2 - (SPACE / 2 if i in shifted else 0), top + 13 * i)
    return out


def cell(cs: list[dict[str, Any]]) -> list[Line]:
    return group_lines(cs, 1, True)


def test_centred_cells_without_space_glyphs_wrap_at_spaces_between_words_and_inside_too_long_ones() -> None:
    # LibreOffice in centred cells draws no space where a line broke at one; the column's widest
    # line ("Keysight3446", cut inside a word too long for a line) is its text width
    mid = LEFT + 3 * WIDTH + WIDTH / 2
    rows = [(128, "1", ["数字多用表", "Keysight", "34470A"]), (170, "2", ["功率计 Fluke"]),
            (184, "3", ["Keysight3446", "5A"]), (212, "4", ["(0~5)", "kV"])]
    cs: list[dict[str, Any]] = []
    for top, seq, lines in rows:
        cs += chars(seq, LEFT, top) + chars("电压", LEFT + WIDTH, top) + centred(lines, mid, top)
    tb, _ = table(header(100, 14) + group_lines(cs, 1, True), 1)
    assert [r[3] for r in texts(tb)[1:]] == ["数字多用表 Keysight 34470A", "功率计 Fluke", "Keysight34465A", "(0~5) kV"]


def test_centred_lines_that_sit_left_by_half_a_space_broke_at_one() -> None:
    # reportlab centres a line with the space it broke at (not drawn): it sits left by half a space
    mid = 300.0
    cells = [cell(centred(["(0~5)", "kV"], mid, 100, shifted=(0,))),
             cell(centred(["Keysight", "34470A"], mid, 130, shifted=(0,))),
             cell(centred(["Keysight3446", "5A"], mid, 160)),
             cell(centred(["U=0.1 ℃，k=2"], mid, 190))]
    cues = space_cues(cells)
    assert cues is not None and cues.shifted
    # each cell's paragraphs against its own widest line (as pdf_stream.cell_of), spaces against the column's
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, width("Keysight3446") + 0.5, cues) for c in cells] == [
        "(0~5) kV", "Keysight 34470A", "Keysight34465A", "U=0.1 ℃，k=2"]


def test_left_aligned_lines_of_a_producer_that_draws_the_space_broke_at_none_where_none_is_drawn() -> None:
    # LibreOffice in left-aligned cells draws the space a line broke at: where a line ends with room
    # for one and none is drawn, the line broke inside a word
    x = 200.0
    cells = [cell(chars("(0~5) ", x, 100) + chars("kV", x, 113)),
             cell(chars("Keysight ", x, 130) + chars("34470A", x, 143)),
             cell(chars("Keithley65", x, 160) + chars("17B", x, 173)),
             cell(chars("功率计 Fluke", x, 190))]
    cues = space_cues(cells)
    assert cues is not None and cues.glyphs
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, width("功率计 Fluke") + 8, cues) for c in cells] == [
        "(0~5) kV", "Keysight 34470A", "Keithley6517B", "功率计 Fluke"]


def test_a_pdf_that_draws_spaces_as_gaps_keeps_reading_the_gaps() -> None:
    # OCR'd lines, or a PDF without space glyphs: no cues, the reader's gap rule as ever
    lines = group_lines(chars("Keysight", 200, 100) + chars("34470A", 200, 113), 1, False)
    assert space_cues([lines]) is None
    assert cell_text(lines, 200 + 75) == "Keysight 34470A"


def test_a_line_that_starts_with_a_closing_mark_or_goes_on_after_a_lone_letter_ends_no_paragraph() -> None:
    # LibreOffice in a narrow column: "%，" may not start a paragraph, nor a line end on a lone "d" of "dB"
    x = 200.0
    cells = [cell(chars("U_rel=1", x, 100) + chars("%，k=2", x, 113)),
             cell(chars("U=0.08", x, 130) + chars("d", x, 143) + chars("B，k=2", x, 156)),
             cell(chars("功率计 Fluke", x, 190))]
    cues = space_cues(cells)
    assert cues is not None
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, width("功率计 Fluke") + 30, cues) for c in cells] == [
        "U_rel=1%，k=2", "U=0.08 dB，k=2", "功率计 Fluke"]


def test_where_the_table_tells_nothing_a_space_goes_after_cjk_text_before_latin_text_and_none_after_it() -> None:
    mid = 300.0
    cells = [cell(centred(["数字多用表", "Keysight"], mid, 100)), cell(centred(["I-V", "测试系统"], mid, 130)),
             cell(centred(["±(0.02%读数", "+0.05%量程)"], mid, 160))]
    cues = space_cues(cells)
    assert cues is not None  # (CJK text meets other text in its lines only at "%" and ")")
    assert sorted(p for p in cues.pairs if is_cjk(p[0]) != is_cjk(p[1])) == [
        ("%", "读", False), ("%", "量", False), ("程", ")", False)]
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, width("±(0.02%读数") + 0.5, cues) for c in cells] == [
        "数字多用表 Keysight", "I-V测试系统", "±(0.02%读数+0.05%量程)"]


def test_a_full_line_whose_last_word_holds_its_second_half_may_have_been_cut_inside_the_word() -> None:
    # reportlab breaks inside a word when it finds no space in the line's second half, even a word
    # that would fit on the next line: "JJF 1620-201" / "7" is one number cut, "(0~100)" / "V" a space
    x = 200.0
    cells = [cell(chars("JJF 1620-201", x, 100) + chars("7", x, 113)),
             cell(chars("DC (0~100)", x, 130) + chars("V", x, 143)),
             cell(chars("功率计 Fluke", x, 160)), cell(chars("(0~5) V，(0~20) A", x, 190))]
    cues = space_cues(cells)
    assert cues is not None and not cues.glyphs
    full = width("JJF 1620-201") + 0.5
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, full, cues) for c in cells[:2]] == [
        "JJF 1620-2017", "DC (0~100) V"]


def test_a_cell_cut_by_a_page_break_is_joined_as_its_lines_are() -> None:
    # the part above the break ends a line that broke at a space: "(0~5)" + "kV" (the old rule joined
    # only ASCII letters and digits with one); a number cut inside ("(50~100" + "0) nm", a full line
    # of one word) is joined without one
    from imtc.extract.blocks import Cell
    from imtc.extract.pdf_reader import CellWrap
    from imtc.extract.tables import _join_cells

    mid, column = 300.0, width("(50~100") + 0.5
    parts = [centred(["(0~5)"], mid, 700), centred(["kV"], mid, 80),
             centred(["(50~100"], mid, 714), centred(["0) nm"], mid, 94)]
    cues = space_cues([cell(p) for p in parts] + [cell(chars("功率计 Fluke", 100, 300))])
    assert cues is not None

    def part(cs: list[dict[str, Any]]) -> Cell:
        lines = cell(cs)
        right = max(ln.x1 for ln in lines) + 0.5
        return Cell(cell_text(lines, right, column, cues), 0, 0, wrap=CellWrap.of(lines, right, column, cues))

    cells = [part(p) for p in parts]
    assert _join_cells(cells[0].text, cells[1].text, cells[0], cells[1]) == "(0~5) kV"
    assert _join_cells(cells[2].text, cells[3].text, cells[2], cells[3]) == "(50~1000) nm"


def test_a_full_line_of_a_producer_that_draws_the_space_it_broke_at_lost_it_only_where_it_did_not_fit() -> None:
    # LibreOffice left-aligned: "DC 1000" fills its line, the space after it did not fit and is not
    # drawn; "1000V" would have fitted on a line: a space, not a cut word ("Keithley6517B" would not)
    x = 200.0
    column = width("DC 1000") + 1.0
    cells = [cell(chars("(0~5) ", x, 100) + chars("kV", x, 113)), cell(chars("Keysight ", x, 130) + chars("34470A", x, 143)),
             cell(chars("DC 1000", x, 160) + chars("V", x, 173)), cell(chars("Keithle", x, 190) + chars("y6517B", x, 203))]
    cues = space_cues(cells)
    assert cues is not None and cues.glyphs
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, column, cues) for c in cells[2:]] == [
        "DC 1000 V", "Keithley6517B"]


def test_a_full_line_ending_in_a_closing_bracket_before_a_unit_broke_at_a_space_where_the_table_tells_nothing() -> None:
    mid = 300.0
    cells = [cell(centred(["(-40~100)", "℃"], mid, 100)), cell(centred(["(0~1500)", "V"], mid, 130))]
    cues = space_cues(cells)
    assert cues is not None
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, width("(-40~100)") + 0.5, cues) for c in cells] == [
        "(-40~100) ℃", "(0~1500) V"]


def test_two_characters_the_table_never_parts_by_a_space_are_not_parted_where_a_line_wrapped_between_them() -> None:
    # "HS-53" / "20" left room on its line: a break at a space, were it not that the table writes
    # "3" and "2" together three times and never apart
    mid = 300.0
    cells = [cell(centred(["HS-53", "20"], mid, 100)), cell(centred(["5320 2320 1320"], mid, 130)),
             cell(centred(["(0~5)", "kV"], mid, 160))]
    cues = space_cues(cells)
    assert cues is not None and cues.pairs[("3", "2", False)] == 3
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, width("5320 2320 1320") + 0.5, cues) for c in cells] == [
        "HS-5320", "5320 2320 1320", "(0~5) kV"]


def test_centred_lines_of_a_producer_that_centres_them_without_their_space_are_cut_only_inside_words_too_long() -> None:
    # LibreOffice centred: "DC 1000" fills its line, and "1000V" would have fitted on one: a space;
    # "功率" / "±0.1%": a value's sign after a CJK label, a space where the table tells nothing; and a
    # number before a letterlike unit ("±0.3" / "℃") as the table writes numbers and units
    mid = 300.0
    column = width("DC 1000") + 0.5
    cells = [cell(centred(["DC 1000", "V"], mid, 100)), cell(centred(["功率", "±0.1%"], mid, 130)),
             cell(centred(["±0.3", "℃"], mid, 160)), cell(centred(["Keithle", "y6517B"], mid, 190)),
             cell(centred(["10 μV 5 Ω", "2 ℃"], mid, 220))]
    cues = space_cues(cells)
    assert cues is not None and cues.centred and not cues.shifted
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, column, cues) for c in cells[:4]] == [
        "DC 1000 V", "功率 ±0.1%", "±0.3 ℃", "Keithley6517B"]


def test_a_full_line_of_such_a_producer_that_ends_where_letters_turn_to_digits_broke_at_a_space_there() -> None:
    # LibreOffice cuts a word too long for a line wherever the line is full: that the cut falls just
    # where "Keysight" turns to "34465A" says a space was there; "HighLIGH" / "T LMT" is a cut word
    mid = 300.0
    column = width("Keysight") + 0.5
    cells = [cell(centred(["Keysight", "34465A"], mid, 100)), cell(centred(["HighLIGH", "T LMT"], mid, 130)),
             cell(centred(["N1914A", "N8487A"], mid, 160))]
    cues = space_cues(cells)
    assert cues is not None and cues.centred and not cues.shifted
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, column, cues) for c in cells[:2]] == [
        "Keysight 34465A", "HighLIGHT LMT"]


def test_a_number_cut_where_a_centred_line_is_full_is_one_number_though_it_would_have_fitted_whole() -> None:
    # reportlab centred (layout-028-ruleless-reportlab-report): "JJF 1057-199" / "8" fills its line
    # and "1057-1998" would have fitted on one, which LibreOffice centred would have done; but digits
    # either side of a full line whose number holds its second half are one number cut inside, not
    # two set apart; "DC 1000" / "V" and "分流器 FL-2" / "1000 A" (short of full) stay spaced
    mid = 300.0
    column = width("JJF 1057-199") + 0.5
    cells = [cell(centred(["JJF 1057-199", "8"], mid, 100)), cell(centred(["DC 1000", "V"], mid, 130)),
             cell(centred(["分流器 FL-2", "1000 A"], mid, 160)), cell(centred(["功率", "±0.1%"], mid, 190))]
    cues = space_cues(cells)
    assert cues is not None and cues.centred and not cues.shifted
    assert [cell_text(c, max(ln.x1 for ln in c) + 0.5, column, cues) for c in cells[:3]] == [
        "JJF 1057-1998", "DC 1000 V", "分流器 FL-2 1000 A"]
