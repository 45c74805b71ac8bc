"""The layout variants kept in samples/layouts/ (issue 15; samples/layouts.py build_samples).

Seeds 0-7 hold each class (tables without rules; running headers and footers with rows breaking
over pages) × producer (python-docx printed by LibreOffice; reportlab) once in each half, and two
scans of the tuning half are printed and scanned back at 150 dpi. The tuning half is read exactly
here: every section, row, total and finding. The held-out half is only held to the contract's
shape: bench/bench_layouts.py reports its figures, and the code is not tuned on it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from imtc.pipeline import check_file
from tests.conftest import need_path

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "samples" / "layouts"
CHECKER = ROOT.parent / "shared" / "tools" / "check_contract.py"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "samples"))


def _truth(path: Path) -> dict[str, Any]:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))


def _samples(half: str, scanned: bool) -> list[Path]:
    return [p for p in sorted(LAYOUTS.glob("*.pdf"))
            if _truth(p)["variant"]["half"] == half and ("scan" in _truth(p)) == scanned]


TUNE, HELD, SCANS = _samples("tune", False), _samples("held", False), _samples("tune", True)


def _rows(table: dict[str, Any]) -> list[dict[str, str]]:
    """Rows as the bench compares cells (bench/bench_layouts.py squash: whitespace gone, as a PDF
    cannot tell where a wrapped line had a space)."""
    from bench_layouts import squash

    return [{f: squash(v) for f, v in r.items() if f not in ("area", "location") and squash(v)}
            for r in table.get("rows", [])]


def _findings(got: dict[str, Any]) -> list[tuple[str, str | None]]:
    return sorted({(f["code"], f["location"].get("section")) for f in got["findings"]}, key=str)


def test_the_kept_variants_hold_each_class_and_producer_once_in_each_half() -> None:
    import layouts

    for half, files in (("tune", TUNE), ("held", HELD)):
        pairs = sorted((_truth(p)["variant"]["cls"], _truth(p)["variant"]["producer"]) for p in files)
        assert pairs == sorted((c, p) for c in layouts.CLASSES for p in layouts.PRODUCERS), half
    assert [(_truth(p)["variant"]["seed"], _truth(p)["scan"]["turned"]) for p in SCANS] == sorted(layouts.SAMPLE_SCANS)


@pytest.mark.parametrize("path", TUNE, ids=lambda p: p.stem)
def test_tuning_variant_reads_exactly(path: Path) -> None:
    want, got = _truth(path), check_file(path).model_dump(mode="json")
    assert got["kind"] == want["kind"] == "application"
    assert got["meta"] == want["meta"]
    assert {s["key"]: s["status"] for s in got["sections"]} == want["sections"]
    for kind, table in want["tables"].items():
        have = got["tables"][kind]
        assert have["status"] == table["status"], kind
        assert _rows(have) == _rows(table), kind
        if table.get("total_wan") is not None:
            assert have["total_wan"] == table["total_wan"], kind
    assert _findings(got) == sorted({(f["code"], f["section"]) for f in want["findings"]}, key=str)


@pytest.fixture(scope="module")
def scanned() -> dict[str, dict[str, Any]]:
    return {p.stem: check_file(p).model_dump(mode="json") for p in SCANS}


@pytest.mark.slow  # OCR: about 40 s a scan
@pytest.mark.parametrize("path", SCANS, ids=lambda p: p.stem)
def test_scanned_variant_reads_to_the_target(path: Path, scanned: dict[str, dict[str, Any]]) -> None:
    """Issue 15's target for 150-200 dpi scans: cells F1 ≥ 0.95, every section's status, every total."""
    from bench_layouts import score

    want, got = _truth(path), scanned[path.stem]
    s = score(want, got)
    precision, recall = s["hits"] / s["got"], s["hits"] / s["truth"]
    assert 2 * precision * recall / (precision + recall) >= 0.95
    assert {s["key"]: s["status"] for s in got["sections"]} == want["sections"]
    assert s["totals_exact"] == s["totals"] == 1
    codes = {code for code, _ in _findings(got)}
    assert "ocr-pages" in codes
    assert ("ocr-pages-turned" in codes) == want["scan"]["turned"]


@pytest.mark.slow  # every kept variant, the scans with OCR
def test_every_kept_variant_fits_the_contract(scanned: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    checker = need_path(CHECKER, "../shared/tools/check_contract.py")
    out = tmp_path / "all.json"
    extractions = [check_file(p).model_dump(mode="json") for p in TUNE + HELD] + list(scanned.values())
    assert [e["kind"] for e in extractions] == ["application"] * (len(TUNE) + len(HELD) + len(SCANS))
    out.write_text(json.dumps(extractions, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, str(checker), str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
