"""`imtc score FILE [--previous FILE] [--db URL] [--json]`: the experts' rubric, pre-filled.

An annual report (annex 4) is scored by annex 5, an application (annex 1) by annex 2. The file is
recorded in the store (imtc/store.py); for an annual report the center's previous plan is taken
from `--previous`, else from the store (its last annual report of an earlier year, or else its
application). Exit status: 0 scored; 2 the file (or the previous one, or a list) cannot be read.
Registered on the app by one line at the end of cli.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from imtc.cli import Command, app
from imtc.models import Extraction
from imtc.pipeline import check_file, crashed
from imtc.score_assist import read_texts, rubric_for, score
from imtc.score_assist.lists import ListError, read_catalogue, read_enterprises
from imtc.score_assist.rubric import load_rubric
from imtc.store import Store, StoreError, default_url

EXIT_OK, EXIT_UNREADABLE = 0, 2
KIND_WORDS = {"application": "申请书", "annual_report": "年度工作总结", "unknown": "无法识别的文档", "unreadable": "无法读取的文件"}
BASIS_WORDS = {"auto": "自动", "expert": "专家"}
RUBRIC_WORDS = {"annex5": "附件5 后续评价细则", "annex2": "附件2 建设评价细则"}


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str) -> typer.Exit:
    _err().print(f"错误：{message}", style="bold red", markup=False)
    return typer.Exit(EXIT_UNREADABLE)


def _warn(message: str) -> None:
    _err().print(f"提示：{message}", style="yellow", markup=False)


def _read(path: Path, what: str) -> Extraction:
    """check_file, with a clean message and exit 2 for a file that cannot be scored."""
    if not path.is_file():
        raise _fail(f"找不到{what}“{path}”。")
    ex = check_file(path)
    if crashed(ex):
        reason = "；".join(f.message for f in ex.findings if f.severity == "error") or "无法读取"
        raise _fail(f"{what}“{path.name}”无法读取：{reason}")
    if rubric_for(ex.kind) is None:
        raise _fail(f"{what}“{path.name}”不是申请书（附件1）或年度工作总结（附件4），无法评分。")
    return ex


def _open_store(db: str | None) -> Store | None:
    try:
        return Store(db)
    except StoreError as exc:
        _warn(f"{exc}；本次评分不记录、也不从记录库查找上一份计划。")
        return None


def _previous(ex: Extraction, previous: Path | None, store: Store | None) -> tuple[Extraction | None, str | None]:
    if ex.kind != "annual_report":
        if previous is not None:
            _warn("申请书按附件2评分，不需要 --previous，已忽略。")
        return None, None
    if previous is not None:
        prev = _read(previous, "上一份计划")
        if store is not None:
            _record(store, prev)
        return prev, "由 --previous 指定"
    if store is None:
        return None, None
    try:
        found = store.previous_plan(ex)
    except StoreError as exc:
        _warn(str(exc))
        return None, None
    if found is None:
        _warn("记录库中没有该中心更早的年度工作总结或申请书：计划完成率（1.2.1、1.3.2、1.4.4）留待专家；可用 --previous 指定。")
        return None, None
    return found.extraction, f"由记录库找到：{found.describe()}"


def _record(store: Store, ex: Extraction) -> None:
    try:
        store.record(ex)
    except StoreError as exc:
        _warn(str(exc))


def _lists(catalogue: Path | None, core: Path | None) -> tuple[Any, Any]:
    try:
        return (read_catalogue(catalogue) if catalogue else None, read_enterprises(core) if core else None)
    except ListError as exc:
        raise _fail(str(exc)) from None


@app.command(cls=Command, name="score")
def score_command(
    path: Annotated[Path, typer.Argument(
        help="要评分的文件：年度工作总结（附件4，按附件5后续评价细则评分）或申请书（附件1，按附件2建设评价细则评分）",
        metavar="文件", show_default=False)],
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="该中心的上一份计划：上一年度工作总结，首年为申请书（不指定时从记录库查找）",
        metavar="文件")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help=f"记录库：数据库 URL 或 SQLite 文件路径（默认 {default_url()}，或环境变量 IMTC_DB）",
        metavar="URL", show_default=False)] = None,
    catalogue: Annotated[Path | None, typer.Option(
        "--catalogue", help="产业相关国家计量技术法规目录 CSV（列 code、title），用于计算 1.3.1", metavar="CSV")] = None,
    core_enterprises: Annotated[Path | None, typer.Option(
        "--core-enterprises", help="产业核心企业名单 CSV（列 name、aliases、served），用于计算 1.5.1",
        metavar="CSV")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出到标准输出")] = False,
) -> None:
    """按评价细则预评分：能由文档计算的项目自动计算（附证据），其余项目留待专家评分。"""
    ex = _read(path, "文件")
    specs, enterprises = _lists(catalogue, core_enterprises)
    store = _open_store(db)
    try:
        prev, note = _previous(ex, previous, store)
        history = store.history(ex) if store is not None else []
        if prev is not None and all(h.source.sha256 != prev.source.sha256 for h in history):
            history.append(prev)
        if store is not None:
            _record(store, ex)
    except StoreError as exc:
        _warn(str(exc))
        prev, note, history = None, None, []
    finally:
        if store is not None:
            store.close()
    result = score(ex, previous=prev, texts=read_texts(path, ex.kind), history=history, catalogue=specs,
                   core_enterprises=enterprises, previous_note=note)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        show(result, Console(highlight=False))
    raise typer.Exit(EXIT_OK)


# --- the terminal view ---------------------------------------------------------------------------


def _value(key: str, item: dict[str, Any]) -> str:
    v = item["value"]
    if v is None:
        return "—"
    if any(s in item.get("formula", "") for s in ("η=", "a=", "b=")):
        pct = v * 100
        return f"{pct:.0f}%" if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}%"
    return str(v)


def _points(item: dict[str, Any]) -> str:
    if item["points"] is not None:
        return str(item["points"])
    return "待评"


def _short(item: dict[str, Any]) -> str:
    texts = [e["text"] for e in item["evidence"] if not e["text"].startswith(("口径：", "上一份计划：", "评分标准："))]
    first = texts[0] if texts else ""
    if len(first) > 70:
        first = first[:69] + "…"
    if item.get("suggestion"):
        first = (first + "\n" if first else "") + item["suggestion"]
    return first


def show(result: dict[str, Any], console: Console) -> None:
    """The pre-filled rubric as a Chinese table: item, title, max, value, points, basis, evidence."""
    rubric = load_rubric(result["rubric"])
    doc = result["document"]
    console.print(f"[bold]{rubric.title}（{RUBRIC_WORDS[result['rubric']]}）预评分[/bold]")
    console.print(f"文件：{doc['file']}（{KIND_WORDS.get(doc['kind'], doc['kind'])}"
                  f"{'，' + str(doc['report_year']) + '年度' if doc.get('report_year') else ''}）  "
                  f"中心：{doc.get('center_name') or '未识别'}", markup=False)
    if result["rubric"] == "annex5":
        prev = result.get("previous")
        console.print("上一份计划：" + (f"{prev['file']}（{prev.get('found_by') or ''}）" if prev else "未找到"), markup=False)
    table = RichTable(show_lines=False, expand=True)
    for header, kw in (("序号", {"no_wrap": True}), ("评价内容", {"ratio": 3}), ("分值", {"justify": "right"}),
                       ("测量值", {"justify": "right"}), ("得分", {"justify": "right"}), ("依据", {}),
                       ("证据摘要", {"ratio": 5})):
        table.add_column(header, overflow="fold", **kw)
    groups = {g.key: g for g in rubric.groups}
    parts = {p.key: p for p in rubric.parts}
    shown: set[str] = set()
    for n, (key, item) in enumerate(result["items"].items(), start=1):
        headers = [parts[item["part"]]] if item["part"] in parts else []
        group = groups.get(item["group"])
        if group is not None:
            headers.append(groups[group.parent] if group.parent in groups else group)
        for h in headers:
            if h.key in shown:
                continue
            shown.add(h.key)
            table.add_section()
            title = h.title if h.key in parts or h.title == h.key else f"{h.key} {h.title}"
            table.add_row("", f"[bold]{escape(title)}[/bold]", str(h.max), "", "", "", "")
        style = None if item["basis"] == "auto" else "dim"
        number = key if result["rubric"] == "annex5" else str(n)
        table.add_row(number, escape(item["title"]), str(item["max"]), _value(key, item), _points(item),
                      BASIS_WORDS[item["basis"]], escape(_short(item)), style=style)
    console.print(table)
    _show_totals(result, console)


def _show_totals(result: dict[str, Any], console: Console) -> None:
    t = result["totals"]
    if result["rubric"] == "annex5":
        parts = (("工作开展情况", "work"), ("下年度工作计划", "plan"), ("交办任务", "assigned"))
    else:
        parts = (("申请书评价", "application"), ("现场核查", "site"), ("加分项（不计入总分）", "bonus"))
    line = "；".join(f"{label} {t[k] if t[k] is not None else str(t['known_points'][k]) + '（已知部分）'}" for label, k in parts)
    console.print(line, markup=False)
    console.print(t["formula"], markup=False)
    if t["complete"]:
        console.print(f"[bold]总得分 {t['total']}，等级：{t['grade']}[/bold]")
    else:
        console.print(f"尚有 {len(t['missing'])} 项待专家评分；总得分在 {t['total_min']} 至 {t['total_max']} 之间，"
                      f"可能等级：{'、'.join(t['grade_possible'])}", markup=False)
