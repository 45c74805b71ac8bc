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

    def spy(src: Path, target: Path, timeout: float, original: Path | None = None) -> Path | None:
        used.append(out := convert(src, target, timeout, original=original))
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


def test_the_review_pictures_of_a_word_file_printed_by_the_shared_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rows found in the PDF twin, on the same pages, as with a soffice of its own
    (tests/test_crops.py), the printing done by the shared LibreOffice."""
    from imtc.crops import cropper_for
    from imtc.extract import extract_with_document

    path = LEGACY.parent / "report-power-battery-2025.docx"
    ex, doc = extract_with_document(path)
    rows = [r.location.blocks[0] for r in ex.tables["equipment_done"].rows]
    printed = []
    convert = office.convert

    def spy(src: Path, target: Path, timeout: float, filter_name: str = office.DOCX) -> Path | None:
        printed.append((filter_name, out := convert(src, target, timeout, filter_name)))
        return out

    monkeypatch.setattr(office, "convert", spy)
    with office.running([path, LEGACY / "power-battery.doc"], review=True) as o:
        assert o is not None
        with cropper_for(path, doc, "docx") as c:
            assert c is not None
            places, crops = c.places(rows), c.crops(rows)
    assert [(f, p is not None) for f, p in printed] == [(office.PDF, True)]
    assert len(places) == len(rows) == 9
    assert [(k.page, len(k.boxes)) for k in crops] == [(6, 3), (7, 6)]


def test_a_conversion_stores_the_whole_documents_statistics_every_time(tmp_path: Path) -> None:
    """Writer counts a document's words in the background and stored the statistics only when that
    count had ended before the save: a first conversion had none, a later one half a count (4997
    characters of 14238), and two conversions of one file differed byte for byte."""
    import re
    import zipfile

    got: dict[str, set[str | None]] = {}
    with office.running(FILES) as o:
        assert o is not None
        for k in range(3):
            for n, f in enumerate(FILES):
                copy = tmp_path / f"{k}-{n}" / ("input" + f.suffix)
                copy.parent.mkdir()
                copy.write_bytes(f.read_bytes())
                out = office.convert(copy, copy.parent / "out" / "input.docx", 120)
                assert out is not None
                app = zipfile.ZipFile(out).read("docProps/app.xml").decode()
                m = re.search(r"<Characters>(\d+)</Characters>", app)
                got.setdefault(f.name, set()).add(m.group(1) if m else None)
    assert got == {"power-battery.doc": {"14238"}, "power-battery.wps": {"14238"},
                   "report-power-battery-2024.doc": {"12596"}}


def _parts(docx: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(docx) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_batch_converts_as_one_conversion_per_file_does(tmp_path: Path) -> None:
    """The round's .doc/.wps converted in one go by one client (uno_convert.py --batch) come out byte
    for byte as converted one by one through the same LibreOffice, and as read by soffices of their own."""
    with office.running(FILES) as o:
        assert o is not None and set(o.batch) == {str(f) for f in FILES}
        batch = [office.convert(tmp_path / "unused", tmp_path / f"batch-{n}.docx", 120, original=f)
                 for n, f in enumerate(FILES)]
        assert [p.name if p else None for p in batch] == [f"batch-{n}.docx" for n in range(3)]
        one_by_one = []
        for n, f in enumerate(FILES):
            copy = tmp_path / f"{n}" / ("input" + f.suffix)
            copy.parent.mkdir()
            copy.write_bytes(f.read_bytes())
            one_by_one.append(office.convert(copy, tmp_path / f"{n}" / "out" / "input.docx", 120))
        assert [(o.folder / "batch" / str(n) / "status").read_text() for n in range(3)] == ["0", "0", "0"]
        assert not list((o.folder / "batch").rglob("*.doc")) and not list((o.folder / "batch").rglob("*.wps"))
    for b, one in zip(batch, one_by_one, strict=True):
        assert one is not None and _parts(b) == _parts(one)
    assert not o.folder.exists()
