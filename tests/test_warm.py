"""Workers start warm (imtc/warm.py): what assess_all's parent builds before forking, a worker uses
as it is and never builds again."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from imtc import batch
from imtc.extract import entities
from imtc.pipeline import check_file
from imtc.warm import warm

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "power-battery.docx"


class Built(BaseModel):
    """How often the worker found the entities' patterns not built yet, and whether its file was read."""

    misses: int
    kind: str


def _work(path: Path) -> Built:
    kind = check_file(path).kind  # reads the entities through the pipeline
    return Built(misses=entities.patterns.cache_info().misses, kind=kind)


def test_a_worker_forked_after_warm_uses_the_parents_patterns() -> None:
    warm([SAMPLE])
    before = entities.patterns.cache_info().misses
    assert before == 1
    [(_, built)] = list(batch.run([SAMPLE], _work, result=Built))
    assert built == Built(misses=before, kind="application")


def test_warm_builds_the_patterns_once() -> None:
    warm([SAMPLE])
    pipe = entities.patterns()
    warm([SAMPLE], score=True, review=True)
    assert entities.patterns() is pipe and entities.patterns.cache_info().misses == 1
