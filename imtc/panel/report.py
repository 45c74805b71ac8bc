"""The panel's final report: annex 6 (annual reports) or annex 3 (applications) with the panel's
figures and grade, rendered from imtc/templates/panel/*.docx (docxtpl) through imtc/review.py's
checked renderer (an unknown variable stops it with a Chinese message; the file is written atomically).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from imtc import __version__
from imtc.panel.models import Panel
from imtc.panel.sheet import item_label
from imtc.review import BLANK, TEMPLATES_ENV, ReviewTemplateError, number, render_docx, xml_safe
from imtc.score_assist.rubric import load_rubric

PANEL_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "panel"
TEMPLATES = {"annex5": ("panel_annex6.docx", "附件6 后续评价报告（评审组汇总）", "附件6-后续评价报告-评审组汇总"),
             "annex2": ("panel_annex3.docx", "附件3 建设评价报告（评审组汇总）", "附件3-建设评价报告-评审组汇总")}
PARTS = {"annex5": ("work", "plan", "assigned"), "annex2": ("application", "site", "bonus")}


def template_path(name: str) -> Path:
    extra = os.environ.get(TEMPLATES_ENV)
    for folder in ([Path(extra)] if extra else []) + [PANEL_TEMPLATES]:
        if (folder / name).is_file():
            return folder / name
    raise ReviewTemplateError(f"找不到评审组汇总报告模板“{name}”")


def _totals(panel: Panel) -> dict[str, Any]:
    t = panel.totals
    out: dict[str, Any] = {}
    for part in PARTS[panel.rubric or "annex5"]:
        known = t.get("known_points", {}).get(part)
        out[part] = number(t.get(part))
        out[f"{part}_note"] = "" if t.get(part) is not None else f"（尚有未评分项；已评分项合计{number(known, '0')}分）"
    out["total"] = number(t.get("total"))
    out["total_note"] = "" if t.get("total") is not None else (
        f"（尚有未评分项，总得分在{number(t.get('total_min'), '')}至{number(t.get('total_max'), '')}分之间）")
    out["grade"] = t.get("grade") or BLANK
    out["grade_note"] = "" if t.get("grade") else f"（可能等级：{'、'.join(t.get('grade_possible', []))}）"
    return out


def status(panel: Panel) -> str:
    t = panel.totals
    flagged = sum(1 for a in panel.items if a.flagged)
    head = (f"评审组总得分{number(t['total'])}分，等级：{t['grade']}。" if t.get("total") is not None
            else f"尚有{len(t.get('missing', []))}项无人评分，总得分暂不能确定。")
    return head + (f"有{flagged}项专家评分相差超过{number(panel.spread_threshold)}分，请评审组合议。" if flagged else "")


def context(panel: Panel) -> dict[str, Any]:
    rubric = load_rubric(panel.rubric or "annex5")
    files = {t.expert: t.file for t in panel.expert_totals}
    experts = [{"no": str(i), "name": t.expert, "file": files.get(t.expert, ""), "total": number(t.totals.get("total")),
                "grade": t.totals.get("grade") or "—"} for i, t in enumerate(panel.expert_totals, start=1)]
    items = [{"number": a.number if a.key != a.title else "", "title": item_label(rubric.item(a.key)) if a.key == a.title
              else a.title, "max": str(a.max), "mean": number(a.mean, "—"), "median": number(a.median, "—"),
              "min": number(a.min, "—"), "max_given": number(a.max_given, "—"), "spread": number(a.spread, "—"),
              "flag": "需合议" if a.flagged else ""} for a in panel.items]
    findings = [f"{s.file}：{f.message}" for s in panel.sheets for f in s.findings]
    return {
        "center_name": panel.center or BLANK, "year": str(panel.year or ""), "rubric_title": panel.rubric_title or "",
        "experts": experts, "items": items, "totals": _totals(panel), "formula": panel.totals.get("formula", ""),
        "discuss": [f.message for f in panel.findings if f.code == "panel-spread"],
        "findings": findings + [f.message for f in panel.findings if f.code != "panel-spread"],
        "status": status(panel), "tool": f"imtc {__version__}", "generated_on": date.today().isoformat(),
        "source_file": f"{len(panel.experts)}份专家评分表",
    }


def write_report(panel: Panel, out_dir: Path, stem: str) -> Path:
    """The final Word report into out_dir; raises ReviewTemplateError when the template does not fit."""
    tpl, title, suffix = TEMPLATES[panel.rubric or "annex5"]
    # file names and texts come from untrusted sheets: control characters dropped before they reach the XML
    return render_docx(template_path(tpl), xml_safe(context(panel)), out_dir / f"{stem}-{suffix}.docx", title)
