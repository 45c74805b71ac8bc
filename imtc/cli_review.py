"""`imtc review FILE [--previous FILE] [--db URL] --out DIR`, and the intake desk's round behind
`imtc check PATH... --review`.

`imtc review` scores one document as `imtc score` does (the previous plan from `--previous`, else
from the store) and writes its pre-filled review documents (imtc/review.py) into `--out`.

The round (`review_round`): every file is checked in a worker process (imtc/batch.py: `--jobs`,
the time limit), the applications and annual reports are recorded in the store, each annual
report's previous plan is looked up there (so a round holding a center's 2024 and 2025 reports
measures 2025 against 2024), and then every application and annual report is scored and its review
documents written, again in worker processes. `review-manifest.json` in the output folder records
each file done, by content SHA-256: a second run skips those (their extraction JSON and review
documents are still there) and redoes everything when the templates changed. summary.xlsx gains
the review columns (imtc/summary.py). Registered on the app by one line at the end of cli.py.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from imtc import __version__, batch
from imtc import cli_score as cs
from imtc.atomic import write_text_atomic
from imtc.cli import EXIT_UNREADABLE, Command, _prepare_out, _writing, app, exit_code, json_names
from imtc.findings import INTERNAL_ERROR, TIMEOUT
from imtc.models import Extraction
from imtc.pipeline import check_file, crashed, sha256_of
from imtc.register.rounds import add_package_sheet, register_round
from imtc.review import ReviewTemplateError, review_figures, templates_fingerprint, write_review
from imtc.score_assist import read_texts, rubric_for, score
from imtc.store import Store, StoreError
from imtc.summary import ReviewFigures, summary_table, write_workbook

MANIFEST = "review-manifest.json"
REVIEW_DIR = "review"
STATE_DIR = ".imtc-review"  # the workers' status notes during a round, removed at its end
MANIFEST_VERSION = 1


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)  # paths are never cut


# --- imtc review FILE ------------------------------------------------------------------------------


def _inputs(ex: Extraction, previous: Path | None, db: str | None) -> tuple[Extraction | None, str | None,
                                                                            list[Extraction]]:
    """The previous plan, how it was found, and the center's history: as `imtc score` finds them."""
    store = cs._open_store(db)
    try:
        prev, note = cs._previous(ex, previous, store)
        history = store.history(ex) if store is not None else []
        if prev is not None and all(h.source.sha256 != prev.source.sha256 for h in history):
            history.append(prev)
        if store is not None:
            cs._record(store, ex)
        return prev, note, history
    except StoreError as exc:
        cs._warn(str(exc))
        return None, None, []
    finally:
        if store is not None:
            store.close()


@app.command(cls=Command, name="review")
def review_command(
    path: Annotated[Path, typer.Argument(
        help="年度工作总结（附件4，生成附件5后续评价细则和附件6后续评价报告）或申请书（附件1，生成附件2表1表2和附件3建设评价报告）",
        metavar="文件", show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", help="评审文件（Word 和 HTML）写入的文件夹", metavar="文件夹",
                                      show_default=False)],
    previous: Annotated[Path | None, typer.Option(
        "--previous", help="该中心的上一份计划：上一年度工作总结，首年为申请书（不指定时从记录库查找）",
        metavar="文件")] = None,
    db: Annotated[str | None, typer.Option(
        "--db", help="记录库：数据库 URL 或 SQLite 文件路径（默认同 imtc score）", metavar="URL",
        show_default=False)] = None,
    catalogue: Annotated[Path | None, typer.Option(
        "--catalogue", help="产业相关国家计量技术法规目录 CSV（列 code、title），用于计算 1.3.1", metavar="CSV")] = None,
    core_enterprises: Annotated[Path | None, typer.Option(
        "--core-enterprises", help="产业核心企业名单 CSV（列 name、aliases、served），用于计算 1.5.1",
        metavar="CSV")] = None,
) -> None:
    """为专家生成预填的评审文件：能由文档计算的得分已填好（附证据），其余留待专家评分。"""
    ex = cs._read(path, "文件")
    specs, enterprises = cs._lists(catalogue, core_enterprises)
    prev, note, history = _inputs(ex, previous, db)
    texts = read_texts(path, ex.kind)
    result = score(ex, previous=prev, texts=texts, history=history, catalogue=specs,
                   core_enterprises=enterprises, previous_note=note)
    _prepare_out(out)
    try:
        with _writing(out):
            written = write_review(ex, result, out, texts=texts)
    except ReviewTemplateError as exc:
        raise cs._fail(str(exc)) from None
    console = _out()
    console.print(f"已为“{path.name}”（{ex.meta.center_name or '中心名称未识别'}）生成评审文件：", markup=False)
    for p in written:
        console.print(f"  {p}", markup=False)
    t = result["totals"]
    if t["complete"]:
        console.print(f"总得分 {t['total']}，等级：{t['grade']}", markup=False)
    else:
        console.print(f"尚有 {len(t['missing'])} 项待专家评分；按已计分项目，总得分在 {t['total_min']} 至 "
                      f"{t['total_max']} 之间", markup=False)
    raise typer.Exit(0)


# --- the round: imtc check PATH... --review ------------------------------------------------------------


@dataclass
class Job:
    """One file's scoring and review documents, handed to a worker."""

    extraction: Extraction
    folder: Path
    status: Path
    previous: Extraction | None = None
    note: str | None = None
    history: list[Extraction] = field(default_factory=list)


def review_one(path: Path, jobs: dict[Path, Job]) -> Extraction:
    """In a worker: score one file and write its review documents; the outcome goes to the job's
    status note (read back by the round), the extraction back to batch.run."""
    job = jobs[path]
    started = time.perf_counter()
    try:
        texts = read_texts(path, job.extraction.kind)
        result = score(job.extraction, previous=job.previous, texts=texts, history=job.history,
                       previous_note=job.note)
        written = write_review(job.extraction, result, job.folder, texts=texts)
        figures = asdict(review_figures(job.extraction, result))
        status: dict[str, Any] = {"ok": True, "documents": [p.name for p in written], "figures": figures}
    except ReviewTemplateError as exc:
        status = {"ok": False, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one file's failure is reported, the round goes on
        status = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    status["seconds"] = round(time.perf_counter() - started, 3)
    write_text_atomic(job.status, json.dumps(status, ensure_ascii=False))
    return job.extraction


class Manifest:
    """review-manifest.json: the files a round has finished, by content SHA-256."""

    def __init__(self, out: Path, fingerprint: str) -> None:
        self.path = out / MANIFEST
        self.out = out
        self.fingerprint = fingerprint
        self.files: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("templates") == fingerprint and isinstance(data.get("files"), dict):
            self.files = data["files"]

    def done(self, sha: str) -> tuple[Extraction, ReviewFigures | None] | None:
        """The saved extraction and figures of a file finished before, when all its outputs are still there."""
        entry = self.files.get(sha) if sha else None
        if not entry:
            return None
        try:
            ex = Extraction.model_validate_json((self.out / entry["extract"]).read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError):
            return None
        folder = entry.get("review")
        if folder and not all((self.out / folder / d).is_file() for d in entry.get("documents", [])):
            return None
        fig = entry.get("figures")
        figures = ReviewFigures(**{**fig, "link": folder}) if fig else (
            ReviewFigures(note=entry["note"]) if entry.get("note") else None)
        return ex, figures

    def add(self, sha: str, entry: dict[str, Any]) -> None:
        if not sha:
            return
        self.files[sha] = {**entry, "done_at": datetime.now(UTC).isoformat(timespec="seconds")}
        data = {"version": MANIFEST_VERSION, "tool": f"imtc {__version__}", "templates": self.fingerprint,
                "files": self.files}
        with _writing(self.path) as target:
            write_text_atomic(target, json.dumps(data, ensure_ascii=False, indent=1))


def _retry_later(ex: Extraction) -> bool:
    """A time limit or a program failure is worth another try; a bad file is not."""
    return any(f.code in (TIMEOUT.code, INTERNAL_ERROR.code) for f in ex.findings)


def _no_review_note(ex: Extraction) -> str:
    if crashed(ex):
        return "无法读取，未生成评审文件"
    return "不是申请书或年度工作总结，未生成评审文件"


def _round_store(db: str | None) -> Store:
    try:
        return Store(db)
    except StoreError as exc:
        cs._warn(f"{exc}；本轮只在本次检查的文件中查找上一份计划。")
        return Store("sqlite://")


@dataclass
class Round:
    files: list[Path]
    out: Path
    jobs: int
    timeout: float
    db: str | None
    names: list[str] = field(default_factory=list)
    shas: list[str] = field(default_factory=list)
    results: dict[int, Extraction] = field(default_factory=dict)
    figures: dict[int, ReviewFigures | None] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    written: int = 0

    def __post_init__(self) -> None:
        self.names = [n.removesuffix(".extract.json") for n in json_names(self.files)]
        self.shas = [sha256_of(f) for f in self.files]
        self.manifest = Manifest(self.out, templates_fingerprint())
        self.state = self.out / STATE_DIR

    # phase 0: what was done before
    def reuse(self) -> list[int]:
        todo = []
        for i in range(len(self.files)):
            done = self.manifest.done(self.shas[i])
            if done is None:
                todo.append(i)
            else:
                self.results[i], self.figures[i] = done
        return todo

    # phase 1: check
    def check(self, todo: list[int], progress: Progress) -> None:
        task = progress.add_task("检查", total=len(todo))
        for j, ex in batch.run([self.files[i] for i in todo], check_file, jobs=self.jobs, timeout=self.timeout):
            i = todo[j]
            with _writing(self.out / f"{self.names[i]}.extract.json") as target:
                write_text_atomic(target, json.dumps(ex.model_dump(mode="json"), ensure_ascii=False, indent=2))
            self.results[i] = ex
            progress.update(task, advance=1, description=f"检查 {self.files[i].name}")
        progress.update(task, description="检查完成")

    # between the phases: the store, the previous plans
    def plan(self, todo: list[int]) -> dict[Path, tuple[int, Job]]:
        store = _round_store(self.db)
        planned: dict[Path, tuple[int, Job]] = {}
        try:
            for ex in self.results.values():
                if rubric_for(ex.kind) is not None and not crashed(ex):
                    _record(store, ex)
            for i in todo:
                ex = self.results[i]
                if rubric_for(ex.kind) is None or crashed(ex):
                    self.figures[i] = ReviewFigures(year=None, note=_no_review_note(ex))
                    if not _retry_later(ex):
                        self.manifest.add(self.shas[i], self._entry(i, None, [], None, self.figures[i].note))
                    continue
                folder = self.out / REVIEW_DIR / self.names[i]
                job = Job(extraction=ex, folder=folder, status=self.state / f"{i}.json")
                if ex.kind == "annual_report":
                    job.previous, job.note, job.history = _previous(store, ex)
                planned[self.files[i]] = (i, job)
        finally:
            store.close()
        return planned

    # phase 2: score and write the review documents
    def review(self, planned: dict[Path, tuple[int, Job]], progress: Progress) -> None:
        if not planned:
            return
        task = progress.add_task("生成评审文件", total=len(planned))
        self.state.mkdir(parents=True, exist_ok=True)
        paths = list(planned)
        work = partial(review_one, jobs={p: job for p, (_, job) in planned.items()})
        for j, _ in batch.run(paths, work, jobs=self.jobs, timeout=self.timeout):
            i, job = planned[paths[j]]
            self._collect(i, job)
            progress.update(task, advance=1, description=f"评审文件 {self.files[i].name}")
        progress.update(task, description="评审文件完成")
        shutil.rmtree(self.state, ignore_errors=True)

    def _collect(self, i: int, job: Job) -> None:
        try:
            status = json.loads(job.status.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            status = {"ok": False, "error": f"超过时间上限（{int(self.timeout)} 秒）或工作进程异常退出"}
        if not status.get("ok"):
            note = f"评审文件生成失败：{status.get('error')}"
            self.figures[i] = ReviewFigures(note=note)
            self.failed.append(f"{self.files[i]}：{status.get('error')}")
            return
        link = f"{REVIEW_DIR}/{self.names[i]}"
        fig = {**status["figures"], "link": link}
        self.figures[i] = ReviewFigures(**fig)
        self.written += 1
        self.manifest.add(self.shas[i], self._entry(i, link, status["documents"], status["figures"], None,
                                                    status.get("seconds")))

    def _entry(self, i: int, folder: str | None, documents: list[str], figures: dict[str, Any] | None,
               note: str | None, seconds: float | None = None) -> dict[str, Any]:
        ex = self.results[i]
        figures = {k: v for k, v in (figures or {}).items() if k != "link"} or None
        return {"file": str(self.files[i]), "kind": ex.kind, "center_name": ex.meta.center_name,
                "extract": f"{self.names[i]}.extract.json", "review": folder, "documents": documents,
                "figures": figures, "note": note, "review_seconds": seconds}


def _rewrite(r: Round, i: int, ex: Extraction) -> None:
    with _writing(r.out / f"{r.names[i]}.extract.json") as target:
        write_text_atomic(target, json.dumps(ex.model_dump(mode="json"), ensure_ascii=False, indent=2))


def _record(store: Store, ex: Extraction) -> None:
    try:
        store.record(ex)
    except StoreError as exc:
        cs._warn(str(exc))


def _previous(store: Store, ex: Extraction) -> tuple[Extraction | None, str | None, list[Extraction]]:
    try:
        found = store.previous_plan(ex)
        history = store.history(ex)
    except StoreError as exc:
        cs._warn(str(exc))
        return None, None, []
    if found is None:
        return None, None, history
    prev = found.extraction
    if all(h.source.sha256 != prev.source.sha256 for h in history):
        history.append(prev)
    return prev, f"由记录库找到：{found.describe()}", history


def review_round(files: Sequence[Path], out: Path, *, jobs: int, timeout: float, silent: bool = False,
                 db: str | None = None) -> int:
    """The round: check, record, score and write review documents for `files`; summary.xlsx with the
    review columns. Returns the exit status (as `imtc check`, and 2 when some review documents failed)."""
    try:
        r = Round(list(files), out, jobs, timeout, db)
    except ReviewTemplateError as exc:
        raise cs._fail(str(exc)) from None
    todo = r.reuse()
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if len(todo) < len(files):
        err.print(f"已跳过 {len(files) - len(todo)} 个此前已完成的文件（内容未变，按 SHA-256 判断；"
                  f"删除 {out / MANIFEST} 可全部重做）", markup=False)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=err, disable=silent)
    with progress:
        if todo:
            r.check(todo, progress)
        packages = register_round(r.files, r.results, db, partial(_rewrite, r))  # packages, 第十九条
        r.review(r.plan(todo), progress)
    results = [(f, r.results[i]) for i, f in enumerate(r.files)]
    with _writing(out / "summary.xlsx") as target:
        write_workbook(results, target, [r.figures.get(i) for i in range(len(r.files))])
        if packages:
            add_package_sheet(target, packages)
    console = _out()
    console.print(summary_table(results))
    console.print(f"本轮生成评审文件 {r.written} 份，跳过 {len(files) - len(todo)} 个已完成的文件；评审文件在 "
                  f"{out / REVIEW_DIR}，汇总表 summary.xlsx 和每个文件的结果在 {out}", markup=False)
    for line in r.failed:
        err.print(f"评审文件生成失败：{line}", style="bold red", markup=False)
    code = exit_code(results, errors_fail=True)
    return EXIT_UNREADABLE if r.failed else code
