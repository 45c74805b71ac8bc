"""Top-level headings reworded or merged by other hands (samples/headings.py), read end to end: the
tuning half only (even seeds); bench/bench_headings.py reports both halves.

Each variant is a sample application or annual report written as .docx (or that .docx printed to
PDF by LibreOffice: slow) with its top-level headings
numbered in another form and one to three of them reworded, or two merged into one heading (the
rest numbered again, or not). Every section's status must be the truth's, and no section the
generator left alone may carry the warning heading-guessed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from imtc.pipeline import check_file
from tests.conftest import need_libreoffice

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "bench"))
SEEDS = tuple(range(0, 32, 2))
PDF_SEEDS = {s for s in SEEDS if (s // 4) % 2 == 1}  # printed to PDF by LibreOffice (headings.PRODUCERS)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("headings")


def _made(seed: int, out: Path) -> Path:
    import headings

    v = headings.variant(seed)
    if v["producer"] != "docx":
        need_libreoffice(module_level=False)
    path = headings.file_of(v, out)
    return path if path.exists() else headings.make(v, out)


def test_the_seeds_change_headings_both_ways_in_both_templates() -> None:
    import headings

    vs = [headings.variant(s) for s in SEEDS]
    assert {v["half"] for v in vs} == {"tune"}
    assert {v["kind"] for v in vs} == {"application", "annual_report"}
    changes = [c for v in vs for c in v["changes"].values()]
    assert {"reworded", "merged", "host"} <= set(changes)
    assert changes.count("merged") == changes.count("host")
    assert {v["numbering"] for v in vs} == set(headings.NUMBERINGS)
    assert {v["renumber"] for v in vs if "merged" in v["changes"].values()} == {True, False}
    assert {v["producer"] for v in vs} == set(headings.PRODUCERS)
    assert {s for s in SEEDS if headings.variant(s)["producer"] == "lo-pdf"} == PDF_SEEDS


def test_rewordings_keep_the_number_and_change_the_title() -> None:
    import random

    import headings

    rng = random.Random(7)
    for title in ("省内外产业计量测试发展状况", "经费概算与来源", "建设目标、重点领域和重点项目", "年度工作总结"):
        for _ in range(5):
            assert headings.reworded(title, rng) != title


@pytest.mark.parametrize("seed", [pytest.param(s, marks=(pytest.mark.slow,) if s in PDF_SEEDS else ()) for s in SEEDS])
def test_variant_reads_every_section_and_warns_only_where_it_guessed(seed: int, made: Path) -> None:
    from bench_headings import score

    path = _made(seed, made)
    want = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    got = check_file(path).model_dump(mode="json")
    assert {s["key"]: s["status"] for s in got["sections"]} == want["sections"]
    s = score(want, got)
    assert s["false_alarms"] == 0 and s["changed_right"] == s["changed"]
