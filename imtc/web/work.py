"""The work behind the pages: an applicant's check, and a round run in the background.

Each document is read in a worker process of imtc.batch, with its time and memory limit; the
scoring and the review documents are made in that same worker, so the limit covers them too, and
their files are written beside the document. The parent records the results.
"""

from __future__ import annotations

import json
import logging
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from imtc.atomic import write_text_atomic
from imtc.extract.limits import Limits
from imtc.findings import FILE_UNREADABLE, INTERNAL_ERROR, TIMEOUT
from imtc.hashing import sha256_of
from imtc.models import Extraction, Source
from imtc.pipeline import crashed
from imtc.service import SCORABLE, Assessment, Known, Options, assess, assess_all
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
WORKER_NICE = 10  # document work yields the CPU to the pages
INTERRUPTED = "服务重启，处理被中断；请重新上传该压缩包。"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def status_of(ex: Extraction) -> str:
    if any(f.code == TIMEOUT.code for f in ex.findings):
        return "timeout"
    return "unreadable" if crashed(ex) else "done"


# --- the work, by imtc.service.assess() ------------------------------------------------------------


def assess_check(path: Path, limits: Limits, timeout: float) -> Extraction:
    """An applicant's draft: checked, scored and its review documents written beside it by assess(),
    in a worker with the time and memory limit. Drafts are never looked up in, nor added to, the store."""
    options = Options(score=True, limits=limits, review_dir=path.parent / REVIEW, nice=WORKER_NICE)
    a = assess(path, options=options, timeout=timeout)
    _keep_score(a, path)
    return a.extraction


def _keep_score(a: Assessment, path: Path) -> None:
    """score.json beside the file; a file that could not be scored is logged, its check kept as it is."""
    if a.score is not None:
        write_text_atomic(path.parent / SCORE, _json(a.score.as_json()))
    if a.error is not None and a.extraction.kind in SCORABLE and status_of(a.extraction) == "done":
        log.warning("scoring %s: %s", path.name, a.error)


def write_round_workbook(folder: Path, rows: Sequence[RoundFile], results: Sequence[tuple[Path, Extraction]]) -> None:
    """summary.xlsx of a round, with the review columns (their link is the file's folder in the round's
    reviews.zip, so the links work once both are unpacked side by side)."""
    from imtc.review import review_figures

    reviews = []
    for row, (_, ex) in zip(rows, results, strict=True):
        sub = folder / "files" / f"{row.seq:03d}"
        score = json.loads((sub / SCORE).read_text(encoding="utf-8")) if (sub / SCORE).is_file() else None
        has_docs = (sub / REVIEW).is_dir() and any((sub / REVIEW).iterdir())
        reviews.append(review_figures(ex, score, review_folder(row) if has_docs else None) if score else None)
    write_workbook(results, folder / "summary.xlsx", reviews)


def review_folder(row: RoundFile) -> str:
    """A file's folder in the round's reviews.zip."""
    return f"{row.seq:03d} {Path(row.file_name).stem}"


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
        if nonce and (sent := self.db.submitted(nonce)) is not None:  # the same form again: its check
            upload.unlink(missing_ok=True)
            return sent
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
        ex = assess_check(folder / check.file_name, self.limits, self.settings.timeout_s)
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
        try:
            for i, a in assess_all([p for _, p in todo], Options(limits=self.limits, nice=WORKER_NICE),
                                   jobs=self.settings.jobs,
                                   timeout=self.settings.timeout_s):
                row, path = todo[i]
                ex = a.extraction
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
        """Each file of the round already checked (its result.json beside it) scored with the store (the
        previous plan, the history) and its review documents written, by assess() in worker processes."""
        from imtc.store import as_url

        paths = [p for _, p in todo]
        known = {p: Known(extraction=Extraction.model_validate_json((p.parent / RESULT).read_text(encoding="utf-8")))
                 for p in paths}
        options = Options(score=True, db=as_url(self.settings.db), record=False, limits=self.limits, nice=WORKER_NICE)
        for i, a in assess_all(paths, options, known=known, review_dirs={p: p.parent / REVIEW for p in paths},
                               jobs=self.settings.jobs, timeout=self.settings.timeout_s):
            row, path = todo[i]
            _keep_score(a, path)
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
