"""The heading matcher's pre-filter (imtc/extract/text.py, similarity_keyed's `at_least`): difflib's
comparison is skipped only where its upper bound already falls short of the threshold, so no heading
match changes: every value at or above the threshold is the exact one, every value below stays below."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

import pytest

from imtc.extract.text import _ratio_bound, key_text, similarity_keyed
from imtc.templates import outline

THRESHOLDS = (0.6, 0.7, 0.75, 0.9)  # outline._threshold's values


def _agrees(a: str, b: str, t: float) -> bool:
    exact = similarity_keyed(a, b)
    gated = similarity_keyed(a, b, at_least=t)
    return gated == exact if exact >= t else gated < t


def test_a_heading_just_above_the_threshold_keeps_its_exact_score() -> None:
    b = key_text("校准项目技术需求表")
    a = key_text("校准项目技术要求表")  # one character changed: ratio 8/9
    exact = SequenceMatcher(None, a, b, autojunk=False).ratio()
    assert exact == pytest.approx(0.8889, abs=1e-4)
    assert similarity_keyed(a, b, at_least=0.75) == exact
    assert similarity_keyed(a, b, at_least=0.9) == 0.0  # bound 8/9 < 0.9: skipped, and really below


def test_same_characters_in_another_order_are_compared_not_skipped() -> None:
    b = key_text("建设目标和重点任务")
    a = b[::-1]  # every character shared: the bound is 1.0, the true ratio far lower
    assert _ratio_bound(a, b) == 1.0
    exact = SequenceMatcher(None, a, b, autojunk=False).ratio()
    assert exact < 0.6
    assert similarity_keyed(a, b, at_least=0.6) == exact  # computed, not assumed from the bound


def test_an_abbreviated_heading_keeps_its_floor_of_0_6() -> None:
    b = key_text("建设目标、重点领域和重点项目")
    a = key_text("建设目标")  # inside the title: at least 0.6 whatever difflib says
    assert similarity_keyed(a, b) == 0.6
    assert similarity_keyed(a, b, at_least=0.6) == 0.6
    assert similarity_keyed(a, b, at_least=0.7) == 0.0


def test_the_bound_is_never_below_difflib_on_the_templates_titles_and_their_variants() -> None:
    titles = sorted({key_text(s.title) for k in ("application", "annual_report") for s in outline(k).sections})
    alphabet = "".join(sorted(set("".join(titles))))
    rng = random.Random(14)
    skipped = 0
    for b in titles:
        for _ in range(40):
            a = list(b)
            for _ in range(rng.randint(1, 4)):  # characters dropped, changed, added, two swapped
                op, i = rng.randrange(4), rng.randrange(len(a))
                if op == 0 and len(a) > 1:
                    del a[i]
                elif op == 1:
                    a[i] = rng.choice(alphabet)
                elif op == 2:
                    a.insert(i, rng.choice(alphabet))
                else:
                    j = rng.randrange(len(a))
                    a[i], a[j] = a[j], a[i]
            a = "".join(a)
            assert _ratio_bound(a, b) >= SequenceMatcher(None, a, b, autojunk=False).ratio()
            for t in THRESHOLDS:
                assert _agrees(a, b, t), (a, b, t)
                skipped += similarity_keyed(a, b, at_least=t) == 0.0 < similarity_keyed(a, b)
    assert skipped > 100  # the pre-filter does skip comparisons here
