"""The LibreOffice kept running for a round (imtc/extract/office.py), for real: the legacy samples
read through it come out exactly as through one soffice per file, a round's workers use it, one
that was killed is replaced by a soffice of the worker's own, and nothing is left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from imtc.extract import office
from imtc.pipeline import check_file
from imtc.service import assess_all
from tests.conftest import missing, need_libreoffice

LEGACY = Path(__file__).resolve().parent.parent / "samples" / "legacy"
FILES = [LEGACY / "power-battery.doc", LEGACY / "power-battery.wps", LEGACY / "report-power-battery-2024.doc"]


@pytest.fixture(autouse=True)
def _needs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    need_libreoffice()
    if office.uno_python() is None:
        missing("python3-uno（LibreOffice 的 Python 接口）")
    monkeypatch.setenv("IMTC_DOCUMENT_CACHE", "off")


@pytest.fixture
def by_own_soffice() -> dict[str, dict]:
    return {f.name: check_file(f).model_dump(mode="json") for f in FILES}


def test_the_shared_libreoffice_reads_the_samples_as_its_own_soffice_does(monkeypatch: pytest.MonkeyPatch,
                                                                            by_own_soffice: dict) -> None:
    used = []
    convert = office.convert

    def spy(src: Path, target: Path, timeout: float) -> Path | None:
        used.append(out := convert(src, target, timeout))
        return out

    monkeypatch.setattr(office, "convert", spy)
    with office.running(FILES) as o:
        assert o is not None
        got = {f.name: check_file(f).model_dump(mode="json") for f in FILES}
        assert all(p is not None for p in used) and len(used) == 3
    assert got == by_own_soffice
    assert not o.folder.exists()  # the profile removed
    with pytest.raises(ProcessLookupError):
        os.killpg(o.pid, 0)  # LibreOffice and its helpers ended


def test_a_round_of_workers_uses_it(by_own_soffice: dict) -> None:
    got = {FILES[i].name: a.extraction.model_dump(mode="json") for i, a in assess_all(FILES, jobs=2, timeout=300)}
    assert got == by_own_soffice
    assert office._current is None


def test_a_killed_shared_libreoffice_is_replaced_by_a_soffice_of_its_own(by_own_soffice: dict) -> None:
    with office.running(FILES) as o:
        assert o is not None
        o.kill()
        assert office.convert(FILES[0], Path(o.folder.parent / "never.docx"), timeout=30) is None
        got = check_file(FILES[0]).model_dump(mode="json")
    assert got == by_own_soffice[FILES[0].name]
