"""`run_panel(paths)`: every sheet under the paths read, checked and aggregated; `write_outputs` writes
the final report, the workbook and the JSON. The command (imtc/cli/panel.py) and the desk page
(imtc/web/routes_panel.py) are thin over these two."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from imtc import findings as F
from imtc.atomic import write_text_atomic
from imtc.extract.package import Unreadable
from imtc.models import Finding, Location
from imtc.panel.aggregate import aggregate
from imtc.panel.models import Panel, Sheet
from imtc.panel.read import read_sheet
from imtc.panel.report import write_report
from imtc.panel.sheet import read_filled
from imtc.panel.workbook import write_workbook

SUFFIXES = (".docx", ".doc", ".wps", ".pdf")
MAX_SHEETS = 200


def sheet_files(paths: Iterable[Path]) -> tuple[list[Path], list[Finding]]:
    """The sheet files named or found (recursively, sorted) under the paths; Word's lock files (~$…) skipped."""
    out: list[Path] = []
    findings: list[Finding] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                              and not f.name.startswith("~$")))
        elif p.is_file():
            out.append(p)
        else:
            findings.append(F.PANEL_UNREADABLE(Location(file=p.name), file=p.name, reason="文件不存在"))
    if len(out) > MAX_SHEETS:
        findings.append(F.PANEL_UNREADABLE(Location(), file=f"其余 {len(out) - MAX_SHEETS} 个文件",
                                           reason=f"一次最多汇总 {MAX_SHEETS} 份评分表"))
        out = out[:MAX_SHEETS]
    return out, findings


def read_one(path: Path, name: str | None = None) -> Sheet:
    name = name or path.name
    try:
        return read_filled(read_sheet(path, name))
    except Unreadable as e:
        return Sheet(file=name, format=path.suffix.lower().lstrip("."), counted=False,
                     findings=[F.PANEL_UNREADABLE(Location(file=name), file=name, reason=e.reason)])


def _name(path: Path, base: Path | None) -> str:
    if base is not None:
        try:
            return str(path.relative_to(base))
        except ValueError:
            pass
    return path.name


def run_panel(paths: Iterable[Path | str], *, spread: float | None = None, center: str | None = None,
              year: int | None = None, base: Path | None = None) -> Panel:
    """Read every sheet under `paths` and aggregate them (the most common center and year, unless given;
    `spread`: the flagging threshold, else the IMTC_PANEL_SPREAD setting, else 3 points)."""
    files, findings = sheet_files(Path(p) for p in paths)
    sheets = [read_one(f, _name(f, base)) for f in files]
    if not files and not findings:
        findings.append(F.PANEL_NO_SHEETS(reason="给出的路径中没有 .docx、.doc 或 .pdf 文件"))
    return aggregate(sheets, spread=spread, center=center, year=year, extra=findings)


def output_stem(panel: Panel) -> str:
    """"浙江省动力电池产业计量测试中心-2025": the outputs' name prefix, made path-safe."""
    stem = "-".join(str(x) for x in (panel.center, panel.year) if x) or "评审组汇总"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", stem).strip(" .")[:80] or "评审组汇总"


def write_outputs(panel: Panel, out: Path) -> list[Path]:
    """The final report (when the panel has a rubric), the workbook and the aggregate as JSON."""
    out.mkdir(parents=True, exist_ok=True)
    stem = output_stem(panel)
    written = []
    if panel.rubric is not None:
        written.append(write_report(panel, out, stem))
    written.append(write_workbook(panel, out / f"{stem}-评审组汇总.xlsx"))
    write_text_atomic(out / f"{stem}-评审组汇总.json", panel.model_dump_json(indent=1) + "\n")
    written.append(out / f"{stem}-评审组汇总.json")
    return written
