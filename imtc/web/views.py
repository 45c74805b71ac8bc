"""What the pages show, computed from an Extraction and a score: findings by section, the tables
with Chinese column names, the rubric's automatic figures, and what changed since the last check."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from imtc import labels
from imtc.locations import location_parts
from imtc.models import RATIO_SYMBOLS, TABLE_KINDS, Extraction, Finding, Location, Section, row_fields
from imtc.summary import KIND_LABELS, SEVERITY_LABELS, key_figures
from imtc.templates import families, table_kinds

STATUS_LABELS = labels.SECTION_STATUS  # imtc/templates/labels.toml, as every label here
AREA_LABELS = {"frontier": "前瞻性计量测试技术", "equipment_method": "测量装备研制及方法",
               "common_technology": "关键共性技术"}
EXTRA_FIELD_LABELS = {"area": "所属方向"}
ENTITY_LABELS = tuple(labels.ENTITY.items())
CHECK_STATUS = {"done": "已检查", "unreadable": "无法读取", "timeout": "超时", "queued": "排队中",
                "running": "正在检查", "skipped": "已跳过", "duplicate": "重复"}
ROUND_STATUS = {"queued": "排队中", "running": "处理中", "done": "已完成", "failed": "失败"}
BEIJING = timezone(timedelta(hours=8))

__all__ = ["CHECK_STATUS", "KIND_LABELS", "ROUND_STATUS", "SEVERITY_LABELS", "STATUS_LABELS"]


def beijing(t: datetime | None) -> str:
    if t is None:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def number(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return "" if v is None else str(v)


def field_label(kind: str, name: str) -> str:
    spec = table_kinds().get(kind)
    names = families()[spec.family].fields.get(name) if spec else None
    if not names:
        return EXTRA_FIELD_LABELS.get(name, name)
    return names[0].replace("|", "·")


def _table_of(ex: Extraction, loc: Location) -> str | None:
    if loc.table is None:
        return None
    for kind, t in ex.tables.items():
        if t.location.table == loc.table or any(r.location.table == loc.table for r in t.rows):
            return kind
    return None


def location_text(ex: Extraction, loc: Location) -> str:
    """"第 3 页 · 第 4 个表格 · 第 2 行 · “型号规格”栏" (people count from 1)."""
    kind = _table_of(ex, loc) if loc.field else None
    label = field_label(kind, loc.field) if kind and loc.field else None
    return " · ".join(location_parts(loc, include=("page", "table", "row", "paragraph", "field"), field_label=label))


@dataclass
class Group:
    key: str | None
    title: str
    status: str | None
    findings: list[tuple[Finding, str]] = field(default_factory=list)

    def worst(self) -> str:
        severities = {f.severity for f, _ in self.findings}
        return next((s for s in ("error", "warning", "info") if s in severities), "info")


def finding_groups(ex: Extraction) -> list[Group]:
    """Findings by section, in the outline's order; those tied to no section first ("整份文件")."""
    sections = {s.key: s for s in ex.sections}
    order = {s.key: i for i, s in enumerate(ex.sections)}
    groups: dict[str | None, Group] = {}
    for f in ex.findings:
        key = f.location.section
        if key not in groups:
            s: Section | None = sections.get(key) if key else None
            title = f"{key} {s.title}" if s else (f"章节 {key}" if key else "整份文件")
            groups[key] = Group(key, title, s.status if s else None)
        groups[key].findings.append((f, location_text(ex, f.location)))
    return sorted(groups.values(), key=lambda g: -1 if g.key is None else order.get(g.key, len(order)))


def sections_view(ex: Extraction) -> list[dict[str, Any]]:
    return [{"key": s.key, "title": s.title, "status": s.status, "label": STATUS_LABELS[s.status],
             "level": s.key.count("."), "heading": s.heading} for s in ex.sections]


def tables_view(ex: Extraction) -> list[dict[str, Any]]:
    flagged: dict[tuple[int, int], list[str]] = {}
    for f in ex.findings:
        if f.location.table is not None and f.location.row is not None:
            flagged.setdefault((f.location.table, f.location.row), []).append(f.message)
    out = []
    for kind in TABLE_KINDS.get(ex.kind, []):
        t = ex.tables.get(kind)
        spec = table_kinds().get(kind)
        if t is None or spec is None:
            continue
        fields = row_fields(kind)
        rows = []
        for i, r in enumerate(t.rows):
            data = r.model_dump()
            cells = [AREA_LABELS.get(data[f], data[f]) if f == "area" else number(data[f]) for f in fields]
            table = r.location.table if r.location.table is not None else t.location.table
            rows.append({"cells": cells, "notes": flagged.get((table, i), []) if table is not None else []})
        out.append({"kind": kind, "title": spec.title, "section": spec.section, "status": t.status,
                    "label": STATUS_LABELS[t.status], "columns": [field_label(kind, f) for f in fields],
                    "rows": rows, "total": number(getattr(t, "total_wan", None)) if hasattr(t, "total_wan") else None,
                    "optional": spec.optional})
    return [t for t in out if not (t["optional"] and t["status"] == "missing")]


def review_label(name: str, file_name: str) -> str:
    """A review document's name without the submitted file's stem it starts with (the page says whose it is)."""
    stem = file_name.rsplit(".", 1)[0]
    for sep in ("-", "_", " "):
        if name.startswith(stem + sep) and len(name) > len(stem) + 1:
            return name[len(stem) + 1:]
    return name


def entity_counts(ex: Extraction) -> list[tuple[str, int]]:
    return [(label, len(getattr(ex.entities, name))) for name, label in ENTITY_LABELS if getattr(ex.entities, name)]


def _value(item: dict[str, Any]) -> str:
    v = item.get("value")
    if v is None:
        return "—"
    if item.get("symbol") in RATIO_SYMBOLS:
        pct = v * 100
        return f"{pct:.0f}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}%"
    return number(v)


def figures_view(score: dict[str, Any] | None) -> dict[str, Any] | None:
    """The rubric items the tool computed (basis auto), with their value, points and first evidence."""
    if not score:
        return None
    items = []
    for n, (key, item) in enumerate(score.get("items", {}).items(), start=1):
        if item.get("basis") != "auto":
            continue
        evidence = [e["text"] for e in item.get("evidence", [])
                    if not e["text"].startswith(("口径：", "上一份计划：", "评分标准："))]
        items.append({"key": key if score.get("rubric") == "annex5" else str(n), "title": item["title"],
                      "max": number(item["max"]), "value": _value(item), "points": number(item["points"]),
                      "band": item.get("band"), "evidence": evidence[:3], "more": max(0, len(evidence) - 3)})
    expert = sum(1 for i in score.get("items", {}).values() if i.get("basis") != "auto")
    points = sum(i["points"] for i in score.get("items", {}).values() if i.get("basis") == "auto" and i.get("points"))
    return {"title": score.get("rubric_title"), "rubric": score.get("rubric"), "rows": items, "expert": expert,
            "points": number(points)}


def figures_line(ex: Extraction) -> list[tuple[str, str]]:
    fig = key_figures(ex)
    out = []
    if fig.equipment_rows is not None:
        out.append(("设备行数", str(fig.equipment_rows)))
    if fig.equipment_total_wan is not None:
        out.append(("设备投资合计（万元）", number(fig.equipment_total_wan)))
    if fig.calibration_items is not None:
        out.append(("校准项目", str(fig.calibration_items)))
    if fig.key_parameter_items is not None:
        out.append(("关键参数测量项目", str(fig.key_parameter_items)))
    return out


# --- what changed since the last check ------------------------------------------------------------


def _key(f: Finding) -> tuple[str, str]:
    return f.code, f.message


def changes(before: Extraction, after: Extraction) -> dict[str, Any]:
    """Findings added and resolved (the same code and message count as the same finding), sections
    whose status changed, and tables whose row count changed."""
    old, new = Counter(map(_key, before.findings)), Counter(map(_key, after.findings))
    added = _limit(after.findings, new - old)  # a finding met n times before and n + m now: m added
    resolved = _limit(before.findings, old - new)
    was = {s.key: s for s in before.sections}
    sections = [{"key": s.key, "title": s.title, "before": STATUS_LABELS[was[s.key].status],
                 "after": STATUS_LABELS[s.status], "better": _rank(s.status) > _rank(was[s.key].status)}
                for s in after.sections if s.key in was and was[s.key].status != s.status]
    tables = []
    for kind, t in after.tables.items():
        b = before.tables.get(kind)
        spec = table_kinds().get(kind)
        if b is not None and spec is not None and (len(b.rows) != len(t.rows) or b.status != t.status):
            tables.append({"title": spec.title, "before": len(b.rows), "after": len(t.rows)})
    return {"added": [(f, location_text(after, f.location)) for f in added],
            "resolved": [(f, location_text(before, f.location)) for f in resolved],
            "sections": sections, "tables": tables, "kind_changed": before.kind != after.kind,
            "before_counts": before.counts(), "after_counts": after.counts()}


def _limit(found: list[Finding], allowed: Counter[tuple[str, str]]) -> list[Finding]:
    left = Counter(allowed)
    out = []
    for f in found:
        if left[_key(f)] > 0:
            left[_key(f)] -= 1
            out.append(f)
    return out


def _rank(status: str) -> int:
    return {"missing": 0, "empty": 1, "present": 2}.get(status, 0)


def center_changed(before: Extraction, after: Extraction) -> tuple[str, str] | None:
    """(before, after) when a corrected version names another center than the version it corrects."""
    a, b = before.meta.center_name, after.meta.center_name
    if a and b and "".join(a.split()) != "".join(b.split()):
        return a, b
    return None
