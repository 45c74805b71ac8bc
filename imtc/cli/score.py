"""`imtc score FILE [--previous FILE] [--db URL] [--json]`: the experts' rubric, pre-filled.

An annual report (annex 4) is scored by annex 5, an application (annex 1) by annex 2, by
imtc.service.assess() in a worker process (the per-file time and memory limit). The file is
recorded in the store (imtc/store.py); for an annual report the center's previous plan is taken
from `--previous`, else from the store (its last annual report of an earlier year, or else its
application). Exit status: 0 scored; 2 the file (or the previous one, or a list) cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from imtc.cli import common as c

if TYPE_CHECKING:
    from rich.console import Console

    from imtc.models import Score, ScoreItem

File = Annotated[Path, typer.Argument(
    help="要评分的文件：年度工作总结（附件4，按附件5后续评价细则评分）或申请书（附件1，按附件2建设评价细则评分）",
    metavar="文件", show_default=False)]


def assessed(path: Path, previous: Path | None, db: str | None, catalogue: Path | None, core: Path | None,
             timeout: float, review_dir: Path | None = None):  # noqa: ANN201 - an imtc.service.Assessment
    """One file scored (and its review documents written) by assess(), as `imtc score` and `imtc review`
    do: a file that cannot be scored ends the command (exit 2) with the reason."""
    from imtc.service import Known, Options, assess
    from imtc.store import as_url

    if not path.is_file():
        raise c.fail(f"找不到文件“{path}”。")
    if previous is not None and not previous.is_file():
        raise c.fail(f"找不到上一份计划“{previous}”。")
    specs, enterprises = c.read_lists(catalogue, core)
    options = Options(score=True, db=as_url(db), catalogue=specs, core_enterprises=enterprises, review_dir=review_dir)
    return c.assessed_or_fail(assess(path, Known(previous_path=previous), options, timeout=timeout))


def command(
    path: File,
    previous: c.Previous = None,
    db: c.Db = None,
    catalogue: c.Catalogue = None,
    core_enterprises: c.CoreEnterprises = None,
    as_json: c.AsJson = False,
    timeout: c.Timeout = c.DEFAULT_TIMEOUT_S,
) -> None:
    """按评价细则预评分：能由文档计算的项目自动计算（附证据），其余项目留待专家评分。"""
    result = assessed(path, previous, db, catalogue, core_enterprises, timeout).score
    if as_json:
        c.print_json(result.as_json())
    else:
        show(result, c.stdout())
    raise typer.Exit(c.EXIT_OK)


# --- the terminal view ---------------------------------------------------------------------------


def _value(item: ScoreItem) -> str:
    v = item.value
    if v is None:
        return "—"
    if item.is_ratio:
        pct = v * 100
        return f"{pct:.0f}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}%"
    return str(v)


def _points(item: ScoreItem) -> str:
    return str(item.points) if item.points is not None else "待评"


def _short(item: ScoreItem) -> str:
    texts = [e.text for e in item.evidence if not e.text.startswith(("口径：", "上一份计划：", "评分标准："))]
    first = texts[0] if texts else ""
    if len(first) > 70:
        first = first[:69] + "…"
    if item.suggestion:
        first = (first + "\n" if first else "") + item.suggestion
    return first


def show(result: Score, console: Console) -> None:
    """The pre-filled rubric as a Chinese table: item, title, max, value, points, basis, evidence."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    from imtc import labels
    from imtc.score_assist.rubric import load_rubric

    rubric = load_rubric(result.rubric)
    doc = result.document
    console.print(f"[bold]{escape(rubric.title)}（{labels.RUBRIC[result.rubric]}）预评分[/bold]")
    console.print(f"文件：{doc.file}（{labels.label('kind', doc.kind)}"
                  f"{'，' + str(doc.report_year) + '年度' if doc.report_year else ''}）  "
                  f"中心：{doc.center_name or '未识别'}", markup=False)
    if result.rubric == "annex5":
        prev = result.previous
        console.print("上一份计划：" + (f"{prev.file}（{prev.found_by or ''}）" if prev else "未找到"), markup=False)
    table = RichTable(show_lines=False, expand=True)
    for header, kw in (("序号", {"no_wrap": True}), ("评价内容", {"ratio": 3}), ("分值", {"justify": "right"}),
                       ("测量值", {"justify": "right"}), ("得分", {"justify": "right"}), ("依据", {}),
                       ("证据摘要", {"ratio": 5})):
        table.add_column(header, overflow="fold", **kw)
    groups = {g.key: g for g in rubric.groups}
    parts = {p.key: p for p in rubric.parts}
    shown: set[str] = set()
    for n, (key, item) in enumerate(result.items.items(), start=1):
        headers = [parts[item.part]] if item.part in parts else []
        group = groups.get(item.group)
        if group is not None:
            headers.append(groups[group.parent] if group.parent in groups else group)
        for h in headers:
            if h.key in shown:
                continue
            shown.add(h.key)
            table.add_section()
            title = h.title if h.key in parts or h.title == h.key else f"{h.key} {h.title}"
            table.add_row("", f"[bold]{escape(title)}[/bold]", str(h.max), "", "", "", "")
        style = None if item.basis == "auto" else "dim"
        number = key if result.rubric == "annex5" else str(n)
        table.add_row(number, escape(item.title), str(item.max), _value(item), _points(item),
                      labels.BASIS[item.basis], escape(_short(item)), style=style)
    console.print(table)
    _show_totals(result, console)


def _show_totals(result: Score, console: Console) -> None:
    from imtc import labels

    t = result.totals.model_dump()
    keys = ("work", "plan", "assigned") if result.rubric == "annex5" else ("application", "site", "bonus")
    words = {k: labels.PART[k] + ("（不计入总分）" if k == "bonus" else "") for k in keys}
    line = "；".join(f"{words[k]} {t[k] if t[k] is not None else str(t['known_points'][k]) + '（已知部分）'}" for k in keys)
    console.print(line, markup=False)
    console.print(t["formula"], markup=False)
    if t["complete"]:
        console.print(f"[bold]总得分 {t['total']}，等级：{t['grade']}[/bold]")
    else:
        console.print(f"尚有 {len(t['missing'])} 项待专家评分；总得分在 {t['total_min']} 至 {t['total_max']} 之间，"
                      f"可能等级：{'、'.join(t['grade_possible'])}", markup=False)
