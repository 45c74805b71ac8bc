"""Stage 3: the experts' rubrics pre-filled — annex 5 for an annual report, annex 2 for an application.

`score(extraction, …)` gives the object of CONTRACT.md "imtc score PATH --json". Plain functions:
the rubrics are data (imtc/templates/rubric_annex5.toml, rubric_annex2.toml); match.py pairs last
year's plan rows with this year's completions; annex5.py and annex2.py fill the items; totals.py
adds them up as the measures say. docs/scoring.md describes every item.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from imtc.models import SCHEMA_VERSION, Extraction
from imtc.score_assist import annex2, annex5
from imtc.score_assist.annex5 import Inputs
from imtc.score_assist.common import ItemScore
from imtc.score_assist.lists import Enterprise, Spec
from imtc.score_assist.rubric import Rubric, load_rubric
from imtc.score_assist.texts import SectionTexts, read_texts
from imtc.score_assist.totals import totals_annex2, totals_annex5

__all__ = ["Inputs", "SectionTexts", "load_rubric", "read_texts", "rubric_for", "score"]

RUBRIC_OF_KIND = {"annual_report": "annex5", "application": "annex2"}


def rubric_for(kind: str) -> str | None:
    return RUBRIC_OF_KIND.get(kind)


def _document(ex: Extraction) -> dict[str, Any]:
    return {"file": ex.source.file, "sha256": ex.source.sha256, "kind": ex.kind,
            "center_name": ex.meta.center_name, "report_year": ex.meta.report_year}


def _groups(rubric: Rubric, items: dict[str, ItemScore]) -> dict[str, Any]:
    out = {}
    for g in rubric.groups:
        keys = {g.key} | {h.key for h in rubric.groups if h.parent == g.key}
        scores = [s for s in items.values() if s.item.group in keys]
        out[g.key] = {"title": g.title, "max": g.max, "items_max": rubric.leaf_sum(g.key),
                      "known_points": sum(s.points for s in scores if s.points is not None),
                      "missing": [s.item.key for s in scores if s.points is None]}
    return out


def score(report: Extraction, *, previous: Extraction | None = None, texts: SectionTexts | None = None,
          history: Iterable[Extraction] = (), catalogue: list[Spec] | None = None,
          core_enterprises: list[Enterprise] | None = None, previous_note: str | None = None) -> dict[str, Any]:
    """The pre-filled rubric of one document (CONTRACT.md "imtc score"). `previous` is the center's
    previous plan (annual reports only), `texts` the document's prose (read_texts), `history` the
    center's earlier documents (1.3.1 counts their calibration items)."""
    name = rubric_for(report.kind)
    if name is None:
        raise ValueError(f"cannot score a document of kind {report.kind!r}")
    rubric = load_rubric(name)
    if name == "annex5":
        inputs = Inputs(report=report, previous=previous, texts=texts, history=list(history), catalogue=catalogue,
                        core_enterprises=core_enterprises, previous_note=previous_note)
        items = annex5.score_items(inputs, rubric)
        totals = totals_annex5(rubric, items)
    else:
        items = annex2.score_items(report, texts, rubric)
        totals = totals_annex2(rubric, items)
    prev = None
    if previous is not None and name == "annex5":
        prev = _document(previous) | {"found_by": previous_note}
    return {
        "schema_version": SCHEMA_VERSION,
        "rubric": name,
        "rubric_title": rubric.title,
        "document": _document(report),
        "previous": prev,
        "items": {k: s.to_json() for k, s in items.items()},
        "groups": _groups(rubric, items),
        "totals": totals,
    }
