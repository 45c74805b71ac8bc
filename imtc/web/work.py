"""The work behind the pages: an applicant's check, and a round run in the background.

Each document is read in a worker process of imtc.batch, with its time and memory limit; the
scoring and the review documents are made in that same worker, so the limit covers them too, and
their files are written beside the document. The parent records the results.
"""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import os
import shutil
import zipfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from imtc import batch
from imtc.atomic import write_text_atomic
from imtc.extract.limits import Limits
from imtc.findings import FILE_UNREADABLE, INTERNAL_ERROR, TIMEOUT
from imtc.models import Extraction, Source
from imtc.pipeline import check_file, crashed, sha256_of
from imtc.summary import write_workbook
from imtc.web.db import Check, Database, Job, Round, RoundFile, Submission, insert_ignore, now
from imtc.web.files import (
    ACCEPTED,
    Busy,
    Refused,
    inspect_zip,
    new_token,
    read_head,
    safe_name,
    unpack_member,
)
from imtc.web.jobs import JobQueue, Runner, Taken
from imtc.web.settings import Settings

log = logging.getLogger("imtc.web")

RESULT, SCORE, REVIEW = "result.json", "score.json", "review"
SCORABLE = ("application", "annual_report")
WORKER_NICE = 10  # document work yields the CPU to the pages
INTERRUPTED = "服务重启，处理被中断；请重新上传该压缩包。"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def review_module() -> Any | None:
    """imtc.review when it is installed (written by another part of the project), else None."""
    try:
        review = importlib.import_module("imtc.review")
    except ImportError:
        return None
    return review if hasattr(review, "write_review") else None


def status_of(ex: Extraction) -> str:
    if any(f.code == TIMEOUT.code for f in ex.findings):
        return "timeout"
    return "unreadable" if crashed(ex) else "done"


# --- in the worker process ----------------------------------------------------------------------


def _previous(ex: Extraction, db_url: str) -> tuple[Extraction | None, str | None, list[Extraction]]:
    """The center's previous plan and earlier documents from the store, as `imtc score` finds them."""
    from imtc.store import Store, StoreError

    try:
        with Store(db_url) as store:
            found = store.previous_plan(ex) if ex.kind == "annual_report" else None
            history = store.history(ex)
    except StoreError as exc:
        log.warning("store: %s", exc)
        return None, None, []
    if found is None:
        return None, None, history
    return found.extraction, f"由记录库找到：{found.describe()}", history


def score_and_review(ex: Extraction, path: Path, db_url: str | None) -> None:
    """score.json and the review documents beside `path`, for applications and annual reports.
    Best effort: a failure here leaves the check's result as it is."""
    if ex.kind not in SCORABLE or crashed(ex):
        return
    from imtc.score_assist import read_texts, score

    folder = path.parent
    try:
        prev, note, history = _previous(ex, db_url) if db_url else (None, None, [])
        texts = read_texts(path, ex.kind)
        result = score(ex, previous=prev, texts=texts, history=history, previous_note=note)
        write_text_atomic(folder / SCORE, _json(result))
    except Exception:  # a bug in scoring must not lose the check
        log.exception("scoring %s failed", path.name)
        return
    review = review_module()
    if review is None:
        return
    extra = {"texts": texts} if "texts" in inspect.signature(review.write_review).parameters else {}
    try:
        review.write_review(ex, result, folder / REVIEW, **extra)
    except Exception:
        log.exception("review documents for %s failed", path.name)


def assess(path: Path, limits: Limits | None = None, db_url: str | None = None) -> Extraction:
    """Check one file, then score it and write its review documents (all in the worker)."""
    ex = check_file(path, limits)
    score_and_review(ex, path, db_url)
    return ex


def rescore(path: Path, db_url: str | None = None) -> Extraction:
    """Score a file of a round already checked (its result.json beside it), with the store."""
    ex = Extraction.model_validate_json((path.parent / RESULT).read_text(encoding="utf-8"))
    score_and_review(ex, path, db_url)
    return ex


def write_round_workbook(folder: Path, rows: Sequence[RoundFile], results: Sequence[tuple[Path, Extraction]]) -> None:
    """summary.xlsx of a round; with the review columns when imtc.review provides them (their link is
    the file's folder in the round's reviews.zip, so the links work once both are unpacked side by side)."""
    target = folder / "summary.xlsx"
    review = review_module()
    figures = getattr(review, "review_figures", None)
    if figures is not None:
        reviews = []
        for row, (_, ex) in zip(rows, results, strict=True):
            sub = folder / "files" / f"{row.seq:03d}"
            score = json.loads((sub / SCORE).read_text(encoding="utf-8")) if (sub / SCORE).is_file() else None
            has_docs = (sub / REVIEW).is_dir() and any((sub / REVIEW).iterdir())
            reviews.append(figures(ex, score, review_folder(row) if has_docs else None) if score else None)
        try:
            write_workbook(results, target, reviews)
            return
        except TypeError:  # an older summary.write_workbook without the review columns
            pass
    write_workbook(results, target)


def review_folder(row: RoundFile) -> str:
    """A file's folder in the round's reviews.zip."""
    return f"{row.seq:03d} {Path(row.file_name).stem}"


def in_background(work: batch.Work, path: Path) -> Extraction:
    """`work(path)` at a lower CPU priority (in the worker process), so that pages come first."""
    try:
        os.nice(WORKER_NICE)
    except OSError:
        pass
    return work(path)


# --- the worker ---------------------------------------------------------------------------------


class Worker:
    """Document work, queued in the database (jobs.py) and run by this process's threads: checks
    (`jobs` at once, each in a worker process of imtc.batch) and rounds (one at a time, each with
    `jobs` worker processes). The pages only queue work and read its state."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.limits = Limits(max_file_bytes=settings.max_upload_bytes)
        self.queue = JobQueue(db)
        self.runner = Runner(self.queue, {"check": (self.run_check, settings.jobs), "round": (self._run_round, 1)},
                             self._abandoned)

    def start(self) -> None:
        self.interrupted()
        self.runner.start()

    def shutdown(self) -> None:
        self.runner.stop()

    def check(self, upload: Path, original_name: str, previous: str | None = None, nonce: str | None = None) -> str:
        """Queue one uploaded file (moved from `upload`) for its check; returns the new check's token
        (or, for a form already sent — the same `nonce` — the check it made). Refused when its bytes
        are of no kind imtc reads, or when the queue is full."""
        name = safe_name(read_head(upload), original_name)
        if name is None:
            upload.unlink(missing_ok=True)
            raise Refused(f"无法识别文件类型：{ACCEPTED}（按文件内容判断，而不是扩展名）")
        if self.queue.waiting("check") >= self.settings.max_queue:
            upload.unlink(missing_ok=True)
            raise Busy(f"排队等待检查的文件已达上限（{self.settings.max_queue} 个），请几分钟后再上传")
        token = new_token()
        folder = self.settings.data_dir / "checks" / token
        folder.mkdir(parents=True)
        upload.replace(folder / name)
        with self.db.session() as s:
            if nonce:  # atomically: the first of two sends of one form wins, the second waits and sees it
                insert_ignore(s, Submission, nonce=nonce[:64], token=token, created_at=now())
                first = s.scalar(select(Submission.token).where(Submission.nonce == nonce[:64]))
                if first != token:
                    shutil.rmtree(folder, ignore_errors=True)
                    return str(first)
            s.add(Check(token=token, previous=previous, file_name=name, created_at=now(), status="queued"))
            self.queue.add(s, "check", token)
        self.runner.wake("check")
        return token

    def run_check(self, token: str) -> None:
        """The check behind `token`, in a worker process, with its time limit; the result recorded."""
        check = self.db.check(token)
        folder = self.settings.data_dir / "checks" / token
        if check is None or not (folder / check.file_name).is_file():
            return  # deleted meanwhile
        self._set_check(token, status="running")
        work = partial(assess, limits=self.limits, db_url=None)  # drafts are never looked up in, nor added to, the store
        [(_, ex)] = list(batch.run([folder / check.file_name], partial(in_background, work), jobs=1,
                                   timeout=self.settings.timeout_s))
        self._record_check(token, folder, ex)

    def _record_check(self, token: str, folder: Path, ex: Extraction) -> None:
        write_text_atomic(folder / RESULT, _json(ex.model_dump(mode="json")))
        counts = ex.counts()
        self._set_check(token, status=status_of(ex), kind=ex.kind, center_name=ex.meta.center_name,
                        errors=counts["error"], warnings=counts["warning"])

    def _set_check(self, token: str, **values: Any) -> None:
        with self.db.session() as s:
            s.execute(update(Check).where(Check.token == token).values(**values))

    def _abandoned(self, job: Taken) -> None:
        """A job given up because the process running it stopped (and, for a check, twice)."""
        if job.kind == "round":
            self._set_round(job.ref, status="failed", message=INTERRUPTED)
            return
        check = self.db.check(job.ref)
        folder = self.settings.data_dir / "checks" / job.ref
        if check is not None and folder.is_dir():
            ex = Extraction(source=Source(file=check.file_name, format="docx", sha256=""), kind="unreadable",
                            findings=[INTERNAL_ERROR(error="处理过程被中断（服务重启或进程退出）")])
            self._record_check(job.ref, folder, ex)

    # --- a round ------------------------------------------------------------------------------

    def start_round(self, tx: Session, round_id: str) -> None:
        """Queue the round, in the transaction that adds its row (a round is never without its job)."""
        self.queue.add(tx, "round", round_id)
        self.runner.wake("round")  # (before the commit it finds nothing, and polls again a second later)

    def _set_round(self, round_id: str, **values: Any) -> None:
        with self.db.session() as s:
            s.execute(update(Round).where(Round.id == round_id).values(**values))

    def _run_round(self, round_id: str) -> None:
        try:
            self._round(round_id)
        except Exception as exc:
            log.exception("round %s failed", round_id)
            self._set_round(round_id, status="failed", message=f"处理时发生内部错误（{type(exc).__name__}），请联系技术支持。")

    def _unpack(self, round_id: str, folder: Path) -> list[tuple[RoundFile, Path | None]]:
        """The zip's entries into files/<nnn>/; an entry with the same bytes as an earlier one is a
        duplicate: kept out of the work (and removed), its row says which file it repeats."""
        archive = folder / "round.zip"
        members = inspect_zip(archive, self.settings)
        rows: list[tuple[RoundFile, Path | None]] = []
        seen: dict[str, RoundFile] = {}
        with zipfile.ZipFile(archive) as zf:
            for seq, m in enumerate(members, start=1):
                path, note = (None, m.note) if m.note else unpack_member(zf, m, folder / "files" / f"{seq:03d}")
                shown = path.name if path is not None else Path(m.name.replace("\\", "/")).name[:300]
                row = RoundFile(round_id=round_id, seq=seq, member=m.name[:500], file_name=shown,
                                status="queued" if path else "skipped", note=note)
                digest = sha256_of(path) if path is not None else ""
                if digest and digest in seen:
                    first = seen[digest]
                    row.status, row.note = "duplicate", f"与第 {first.seq} 个文件“{first.file_name}”内容完全相同，只检查一次"
                    shutil.rmtree(path.parent, ignore_errors=True)
                    path = None
                elif digest:
                    seen[digest] = row
                rows.append((row, path))
        archive.unlink()
        with self.db.session() as s:
            s.add_all([r for r, _ in rows])
        return rows

    def _round(self, round_id: str) -> None:
        folder = self.settings.data_dir / "rounds" / round_id
        self._set_round(round_id, status="running", message="正在解压")
        try:
            rows = self._unpack(round_id, folder)
        except Refused as exc:
            self._set_round(round_id, status="failed", message=str(exc))
            return
        todo = [(r, p) for r, p in rows if p is not None]
        self._set_round(round_id, total=len(todo), message="正在检查")
        results = self._check_all(round_id, todo)
        packages = self._register_checks(todo, results)  # issue 17: application packages, 第十九条
        scorable = [(r, p) for (r, p), ex in zip(todo, results, strict=True)
                    if ex.kind in SCORABLE and status_of(ex) == "done"]
        self._set_round(round_id, to_score=len(scorable), message="正在预评分并生成评审文件")
        self._score_all(round_id, scorable)
        by_id = {r.id: ex for (r, _), ex in zip(todo, results, strict=True)}
        workbook = []
        rows = [(r, p) for r, p in rows if r.status != "duplicate"]  # each file once
        for r, _ in rows:
            ex = by_id.get(r.id) or Extraction(source=Source(file=r.file_name, format="docx", sha256=""),
                                               kind="unreadable", findings=[FILE_UNREADABLE(reason=r.note or "已跳过")])
            workbook.append((Path(r.file_name), ex))
        write_round_workbook(folder, [r for r, _ in rows], workbook)
        if packages:
            from imtc.register.rounds import add_package_sheet

            add_package_sheet(folder / "summary.xlsx", packages)
        self._set_round(round_id, status="done", message=None)

    def _register_checks(self, todo: Sequence[tuple[RoundFile, Path]], results: list[Extraction]) -> list[Any]:
        """Package findings and 第十九条 on the round's results (imtc/register/rounds.py), saved."""
        from imtc.register.rounds import web_round_checks

        def rewrite(i: int, ex: Extraction) -> None:
            results[i] = ex
            row, path = todo[i]
            write_text_atomic(path.parent / RESULT, _json(ex.model_dump(mode="json")))
            counts = ex.counts()
            with self.db.session() as s:
                s.execute(update(RoundFile).where(RoundFile.id == row.id).values(
                    errors=counts["error"], warnings=counts["warning"], infos=counts["info"]))

        return web_round_checks(self.settings.db, [r.member for r, _ in todo], [p for _, p in todo], results, rewrite)

    def _check_all(self, round_id: str, todo: Sequence[tuple[RoundFile, Path]]) -> list[Extraction]:
        from imtc.store import Store, StoreError

        try:
            store: Store | None = Store(self.settings.db)
        except StoreError as exc:
            log.warning("store: %s", exc)
            store = None
        results: list[Extraction | None] = [None] * len(todo)
        work = partial(check_file, limits=self.limits)
        try:
            for i, ex in batch.run([p for _, p in todo], partial(in_background, work), jobs=self.settings.jobs,
                                   timeout=self.settings.timeout_s):
                row, path = todo[i]
                write_text_atomic(path.parent / RESULT, _json(ex.model_dump(mode="json")))
                counts = ex.counts()
                status = status_of(ex)
                note = next((f.message for f in ex.findings if f.severity == "error"), None) if status != "done" else None
                with self.db.session() as s:
                    s.execute(update(RoundFile).where(RoundFile.id == row.id).values(
                        status=status, kind=ex.kind, center_name=ex.meta.center_name, note=note,
                        errors=counts["error"], warnings=counts["warning"], infos=counts["info"]))
                    s.execute(update(Round).where(Round.id == round_id).values(checked=Round.checked + 1))
                if store is not None and status == "done":
                    try:
                        store.record(ex)
                    except StoreError as exc:
                        log.warning("store: %s", exc)
                results[i] = ex
        finally:
            if store is not None:
                store.close()
        return [ex for ex in results if ex is not None]

    def _score_all(self, round_id: str, todo: Sequence[tuple[RoundFile, Path]]) -> None:
        from imtc.store import as_url

        work = partial(rescore, db_url=as_url(self.settings.db))
        for i, _ in batch.run([p for _, p in todo], partial(in_background, work), jobs=self.settings.jobs,
                              timeout=self.settings.timeout_s):
            row, path = todo[i]
            with self.db.session() as s:
                s.execute(update(RoundFile).where(RoundFile.id == row.id).values(scored=(path.parent / SCORE).exists()))
                s.execute(update(Round).where(Round.id == round_id).values(scored=Round.scored + 1))

    def interrupted(self) -> None:
        """Rounds left unfinished by a server that kept no job for them (before the queue was in the
        database). Jobs of a stopped process are found by their heartbeat (jobs.py)."""
        with self.db.session() as s:
            live = select(Job.ref).where(Job.kind == "round", Job.status != "done")
            s.execute(update(Round).where(Round.status.in_(("queued", "running")), Round.id.not_in(live)).values(
                status="failed", message=INTERRUPTED))
