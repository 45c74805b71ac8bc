"""The work behind the pages: an applicant's check, and a round run in the background.

Each document is read in a worker process of imtc.batch, with its time and memory limit; the
scoring and the review documents are made in that same worker, so the limit covers them too, and
their files are written beside the document. The parent records the results.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import update

from imtc.atomic import write_text_atomic
from imtc.extract.limits import Limits
from imtc.findings import FILE_UNREADABLE, TIMEOUT
from imtc.models import Extraction, Source
from imtc.pipeline import crashed
from imtc.service import SCORABLE, Assessment, Known, Options, assess, assess_all
from imtc.summary import write_workbook
from imtc.web.db import Check, Database, Round, RoundFile, now
from imtc.web.files import ACCEPTED, Refused, inspect_zip, new_token, read_head, safe_name, unpack_member
from imtc.web.settings import Settings

log = logging.getLogger("imtc.web")

RESULT, SCORE, REVIEW = "result.json", "score.json", "review"


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
    a = assess(path, options=Options(score=True, limits=limits, review_dir=path.parent / REVIEW), timeout=timeout)
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
    """Runs checks (in the request's thread, at most `jobs` at once) and rounds (one at a time, in
    a background thread, each with `jobs` worker processes)."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.limits = Limits(max_file_bytes=settings.max_upload_bytes)
        self.slots = threading.BoundedSemaphore(settings.jobs)
        # a daemon thread: stopping the server never waits for a round (the next start marks it failed)
        self.rounds: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._rounds_loop, daemon=True, name="imtc-rounds").start()

    def shutdown(self) -> None:
        self.rounds.put(None)

    def _rounds_loop(self) -> None:
        while (round_id := self.rounds.get()) is not None:
            self._run_round(round_id)

    def check(self, upload: Path, original_name: str, previous: str | None = None) -> str:
        """Check one uploaded file (moved from `upload`); returns the new check's token. Refused when
        its bytes are of no kind imtc reads."""
        name = safe_name(read_head(upload), original_name)
        if name is None:
            upload.unlink(missing_ok=True)
            raise Refused(f"无法识别文件类型：{ACCEPTED}（按文件内容判断，而不是扩展名）")
        token = new_token()
        folder = self.settings.data_dir / "checks" / token
        folder.mkdir(parents=True)
        target = folder / name
        upload.replace(target)
        with self.slots:
            ex = assess_check(target, self.limits, self.settings.timeout_s)
        write_text_atomic(folder / RESULT, _json(ex.model_dump(mode="json")))
        counts = ex.counts()
        with self.db.session() as s:
            s.add(Check(token=token, previous=previous, file_name=name, created_at=now(), status=status_of(ex),
                        kind=ex.kind, center_name=ex.meta.center_name, errors=counts["error"],
                        warnings=counts["warning"]))
        return token

    # --- a round ------------------------------------------------------------------------------

    def start_round(self, round_id: str) -> None:
        self.rounds.put(round_id)

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
        archive = folder / "round.zip"
        members = inspect_zip(archive, self.settings)
        rows: list[tuple[RoundFile, Path | None]] = []
        with zipfile.ZipFile(archive) as zf:
            for seq, m in enumerate(members, start=1):
                path, note = (None, m.note) if m.note else unpack_member(zf, m, folder / "files" / f"{seq:03d}")
                shown = path.name if path is not None else Path(m.name.replace("\\", "/")).name[:300]
                rows.append((RoundFile(round_id=round_id, seq=seq, member=m.name[:500], file_name=shown,
                                       status="queued" if path else "skipped", note=note), path))
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
        scorable = [(r, p) for (r, p), ex in zip(todo, results, strict=True)
                    if ex.kind in SCORABLE and status_of(ex) == "done"]
        self._set_round(round_id, to_score=len(scorable), message="正在预评分并生成评审文件")
        self._score_all(round_id, scorable)
        by_id = {r.id: ex for (r, _), ex in zip(todo, results, strict=True)}
        workbook = []
        for r, _ in rows:
            ex = by_id.get(r.id) or Extraction(source=Source(file=r.file_name, format="docx", sha256=""),
                                               kind="unreadable", findings=[FILE_UNREADABLE(reason=r.note or "已跳过")])
            workbook.append((Path(r.file_name), ex))
        write_round_workbook(folder, [r for r, _ in rows], workbook)
        self._set_round(round_id, status="done", message=None)

    def _check_all(self, round_id: str, todo: Sequence[tuple[RoundFile, Path]]) -> list[Extraction]:
        from imtc.store import Store, StoreError

        try:
            store: Store | None = Store(self.settings.db)
        except StoreError as exc:
            log.warning("store: %s", exc)
            store = None
        results: list[Extraction | None] = [None] * len(todo)
        try:
            for i, a in assess_all([p for _, p in todo], Options(limits=self.limits), jobs=self.settings.jobs,
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
        options = Options(score=True, db=as_url(self.settings.db), record=False, limits=self.limits)
        for i, a in assess_all(paths, options, known=known, review_dirs={p: p.parent / REVIEW for p in paths},
                               jobs=self.settings.jobs, timeout=self.settings.timeout_s):
            row, path = todo[i]
            _keep_score(a, path)
            with self.db.session() as s:
                s.execute(update(RoundFile).where(RoundFile.id == row.id).values(scored=(path.parent / SCORE).exists()))
                s.execute(update(Round).where(Round.id == round_id).values(scored=Round.scored + 1))

    def interrupted(self) -> None:
        """Rounds left unfinished by a previous run of the server (they cannot be resumed)."""
        with self.db.session() as s:
            s.execute(update(Round).where(Round.status.in_(("queued", "running"))).values(
                status="failed", message="服务重启，处理被中断；请重新上传该压缩包。"))
