"""Annex 2 (建设评价细则) pre-filled for one application.

Every item of tables 1 and 2 is scored A/B/C by the experts from the application (table 1) and on
site (table 2): nothing there is a count, so every item is `basis: "expert"` with `points` null.
The evidence gives what the experts read first: the related sections' status and length, the
tables under them with their row counts, and where the words the standard looks for appear.
"""

from __future__ import annotations

from typing import Any

from imtc.models import Extraction
from imtc.score_assist.common import TABLE_LABELS, ItemScore, evidence, expert_item
from imtc.score_assist.rubric import Item, Rubric, load_rubric
from imtc.score_assist.texts import SectionTexts


def _table_evidence(item: Item, ex: Extraction) -> list[dict[str, Any]]:
    out = []
    for kind in item.tables:
        t = ex.tables.get(kind)
        if t is None:
            continue
        line = f"“{TABLE_LABELS.get(kind, kind)}”：{len(t.rows)}行"
        if kind == "equipment":
            new = sum(1 for r in t.rows if "新建" in (getattr(r, "status", None) or ""))
            line += f"（新建{new}行）"
            if getattr(t, "total_wan", None) is not None:
                line += f"，合计{t.total_wan}万元"
        elif kind in ("calibration_items", "key_parameter_items"):
            new = sum(1 for r in t.rows if "新建" in (getattr(r, "remark", None) or ""))
            line += f"（新建{new}行）"
        out.append(evidence(line, t.location))
    return out


def score_items(ex: Extraction, texts: SectionTexts | None, rubric: Rubric | None = None) -> dict[str, ItemScore]:
    rubric = rubric or load_rubric("annex2")
    out = {}
    for item in rubric.items:
        extra = _table_evidence(item, ex)
        if item.part == "site":
            extra.append(evidence("现场核查项：依据现场核查情况评分，申请书中的相关内容仅供参考"))
        score = expert_item(item, ex, texts, extra)
        score.evidence.insert(0, evidence("评分标准：" + item.standard + "（" + "；".join(
            f"{b.level}：{b.label}" for b in item.bands) + "）"))
        out[item.key] = score
    return out
