"""The intake desk's round behind `imtc check PATH... --review`.

Every file is checked by assess() in a worker process (imtc/batch.py: `--jobs`, the time limit),
the applications and annual reports are recorded in the store, each annual report's previous plan
is looked up there (so a round holding a center's 2024 and 2025 reports measures 2025 against 2024),
and then every application and annual report is scored and its review documents written, again by
assess() in worker processes. `review-manifest.json` in the output folder records each file done, by
content SHA-256: a second run skips those (their extraction JSON and review documents are still
there) and redoes everything when the templates changed. summary.xlsx gains the review columns
(imtc/summary.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from rich.progress import Progress

from imtc import __version__
from imtc.atomic import write_text_atomic
from imtc.cli import common as c
from imtc.files import Skipped
from imtc.findings import INTERNAL_ERROR, TIMEOUT
from imtc.hashing import sha256_of
from imtc.models import Extraction
from imtc.pipeline import crashed
from imtc.register.rounds import add_package_sheet, register_round
from imtc.review import ReviewTemplateError, review_figures, templates_fingerprint
from imtc.service import SCORABLE, Assessment, Known, Options, assess_all, previous_in_store
from imtc.store import Store, StoreError
from imtc.summary import ReviewFigures, summary_table, write_workbook

MANIFEST = "review-manifest.json"
REVIEW_DIR = "review"
MANIFEST_VERSION = 1


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
        with c.writing(self.path) as target:
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
        c.warn(f"{exc}；本轮只在本次检查的文件中查找上一份计划。")
        return Store("sqlite://")


def _rewrite(r: Round, i: int, ex: Extraction) -> None:
    c.write_json(r.out / f"{r.names[i]}.extract.json", ex.model_dump(mode="json"))


def _record(store: Store, ex: Extraction) -> None:
    try:
        store.record(ex)
    except StoreError as exc:
        c.warn(str(exc))


def _known(store: Store, ex: Extraction) -> Known:
    """What the worker needs beside the file: its extraction, and (annual reports) the previous plan and
    the history from the store."""
    if ex.kind != "annual_report":
        return Known(extraction=ex, history=[])
    try:
        previous, note = previous_in_store(store, ex)
        history = store.history(ex)
    except StoreError as exc:
        c.warn(str(exc))
        return Known(extraction=ex, history=[])
    return Known(extraction=ex, previous=previous, note=note, history=history)


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
        self.names = [n.removesuffix(".extract.json") for n in c.json_names(self.files)]
        self.shas = ["" if isinstance(f, Skipped) else sha256_of(f) for f in self.files]  # Skipped: not read
        self.manifest = Manifest(self.out, templates_fingerprint())

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
        for j, a in assess_all([self.files[i] for i in todo], jobs=self.jobs, timeout=self.timeout):
            i = todo[j]
            c.write_json(self.out / f"{self.names[i]}.extract.json", a.extraction.model_dump(mode="json"))
            self.results[i] = a.extraction
            progress.update(task, advance=1, description=f"检查 {self.files[i].name}")
        progress.update(task, description="检查完成")

    # between the phases: the store, the previous plans
    def plan(self, todo: list[int]) -> dict[Path, tuple[int, Known]]:
        store = _round_store(self.db)
        planned: dict[Path, tuple[int, Known]] = {}
        try:
            for ex in self.results.values():
                if ex.kind in SCORABLE and not crashed(ex):
                    _record(store, ex)
            for i in todo:
                ex = self.results[i]
                if ex.kind not in SCORABLE or crashed(ex):
                    self.figures[i] = ReviewFigures(year=None, note=_no_review_note(ex))
                    if not _retry_later(ex):
                        self.manifest.add(self.shas[i], self._entry(i, None, [], None, self.figures[i].note))
                    continue
                planned[self.files[i]] = (i, _known(store, ex))
        finally:
            store.close()
        return planned

    # phase 2: score and write the review documents, each file in its own folder
    def review(self, planned: dict[Path, tuple[int, Known]], progress: Progress) -> None:
        if not planned:
            return
        task = progress.add_task("生成评审文件", total=len(planned))
        paths = list(planned)
        known = {p: k for p, (_, k) in planned.items()}
        folders = {p: self.out / REVIEW_DIR / self.names[i] for p, (i, _) in planned.items()}
        for j, a in assess_all(paths, Options(score=True), known=known, review_dirs=folders, jobs=self.jobs,
                               timeout=self.timeout):
            i, _ = planned[paths[j]]
            self._collect(i, a)
            progress.update(task, advance=1, description=f"评审文件 {self.files[i].name}")
        progress.update(task, description="评审文件完成")

    def _collect(self, i: int, a: Assessment) -> None:
        if a.error is not None or a.score is None:
            error = a.error or "未能评分"
            self.figures[i] = ReviewFigures(note=f"评审文件生成失败：{error}")
            self.failed.append(f"{self.files[i]}：{error}")
            return
        link = f"{REVIEW_DIR}/{self.names[i]}"
        figures = asdict(review_figures(self.results[i], a.score.as_json()))
        self.figures[i] = ReviewFigures(**{**figures, "link": link})
        self.written += 1
        self.manifest.add(self.shas[i], self._entry(i, link, [p.name for p in a.review_files], figures, None,
                                                    a.seconds))

    def _entry(self, i: int, folder: str | None, documents: list[str], figures: dict[str, Any] | None,
               note: str | None, seconds: float | None = None) -> dict[str, Any]:
        ex = self.results[i]
        figures = {k: v for k, v in (figures or {}).items() if k != "link"} or None
        return {"file": str(self.files[i]), "kind": ex.kind, "center_name": ex.meta.center_name,
                "extract": f"{self.names[i]}.extract.json", "review": folder, "documents": documents,
                "figures": figures, "note": note, "review_seconds": seconds}


def review_round(files: Sequence[Path], out: Path, *, jobs: int, timeout: float, silent: bool = False,
                 db: str | None = None) -> int:
    """The round: check, record, score and write review documents for `files`; summary.xlsx with the
    review columns. Returns the exit status (as `imtc check`, and 2 when some review documents failed)."""
    try:
        r = Round(list(files), out, jobs, timeout, db)
    except ReviewTemplateError as exc:
        raise c.fail(str(exc)) from None
    todo = r.reuse()
    err = c.stderr(soft_wrap=True)
    if len(todo) < len(files):
        err.print(f"已跳过 {len(files) - len(todo)} 个此前已完成的文件（内容未变，按 SHA-256 判断；"
                  f"删除 {out / MANIFEST} 可全部重做）", markup=False)
    progress = c.progress(silent)
    with progress:
        if todo:
            r.check(todo, progress)
        packages = register_round(r.files, r.results, db, partial(_rewrite, r))  # packages, 第十九条
        r.review(r.plan(todo), progress)
    results = [(f, r.results[i]) for i, f in enumerate(r.files)]
    with c.writing(out / "summary.xlsx") as target:
        write_workbook(results, target, [r.figures.get(i) for i in range(len(r.files))])
        if packages:
            add_package_sheet(target, packages)
    console = c.stdout(soft_wrap=True)
    console.print(summary_table(results))
    console.print(f"本轮生成评审文件 {r.written} 份，跳过 {len(files) - len(todo)} 个已完成的文件；评审文件在 "
                  f"{out / REVIEW_DIR}，汇总表 summary.xlsx 和每个文件的结果在 {out}", markup=False)
    for line in r.failed:
        err.print(f"评审文件生成失败：{line}", style="bold red", markup=False)
    code = c.exit_code(results, errors_fail=True)
    return c.EXIT_UNREADABLE if r.failed else code
