"""The worker's memory limit (imtc/batch.py) is the room a file may add, on top of what the worker
inherits: a parent that maps a lot (a web server or a test process with the OCR engine loaded) must not
leave its workers without room, and a swelling file must still be stopped."""

from __future__ import annotations

import mmap
from pathlib import Path

from pydantic import BaseModel

from imtc import batch
from imtc.pipeline import check_file

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "power-battery.docx"


class Kind(BaseModel):
    kind: str


def _read(path: Path) -> Kind:
    return Kind(kind=check_file(path).kind)


def _swell(path: Path) -> Kind:
    hoard = bytearray(batch.MEMORY_LIMIT_BYTES + 256 * 1024**2)  # more than the limit lets a file add
    return Kind(kind=str(len(hoard)))


def test_a_worker_of_a_parent_with_a_large_address_space_still_reads_its_file() -> None:
    size = batch.MEMORY_LIMIT_BYTES + 512 * 1024**2  # reserved, never touched: address space, no memory
    reserved = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | getattr(mmap, "MAP_NORESERVE", 0),
                         prot=mmap.PROT_READ)
    try:
        [(_, got)] = list(batch.run([SAMPLE], _read, result=Kind))
    finally:
        reserved.close()
    assert got == Kind(kind="application")


def test_a_file_that_swells_past_the_limit_is_stopped_and_the_batch_goes_on() -> None:
    results = dict(batch.run([SAMPLE, SAMPLE], _swell, jobs=1))
    assert set(results) == {0, 1}
    for ex in results.values():
        assert [f.code for f in ex.findings] == ["internal-error"]
