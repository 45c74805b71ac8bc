"""The entities' candidates are regex matches widened to whole tokens, as the blank spaCy pipeline
they replace aligned them (Doc.char_span, "expand"): ASCII letter runs and digit runs are one token
each, every other character its own, a single space after a token its trailing space."""

from __future__ import annotations

import re

from imtc.extract.entities import Cand, candidates


def _one(pattern: str, text: str) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in candidates(text, [("X", re.compile(pattern))])]


def test_a_match_inside_a_letter_or_digit_run_takes_the_whole_run() -> None:
    assert _one("F19", "JJF1925-2024MEMS") == [(0, 7)]  # JJF + 1925
    assert _one("2024M", "JJF1925-2024MEMS") == [(8, 16)]  # 2024 + MEMS


def test_a_match_starting_on_a_trailing_space_starts_at_the_next_token() -> None:
    assert _one(" 专", "ZL 专利") == [(3, 4)]
    assert _one("ZL ", "ZL 专利") == [(0, 2)]  # the trailing space is not part of the token


def test_a_match_that_is_only_a_trailing_space_is_empty_at_the_next_token() -> None:
    assert _one(" ", "ZL 专") == [(3, 3)]
    assert _one(" ", "ZL ") == [(3, 3)]


def test_two_spaces_and_a_space_after_a_newline_are_tokens_of_their_own() -> None:
    assert _one(" ", "a  b") == [(1, 3), (1, 3)]  # two matches, one token
    assert _one(" ", "\n b") == [(1, 2)]


def test_candidates_are_sorted_by_start_then_end_ties_in_pattern_order() -> None:
    pats = [("B", re.compile("专利")), ("A", re.compile("专")), ("C", re.compile("ZL"))]
    assert candidates("ZL专利", pats) == [Cand("C", 0, 2), Cand("A", 2, 3), Cand("B", 2, 4)]
