"""The queue of document work, kept in the database, and the threads that take work from it.

Every serving process (one `imtc serve`, or several uvicorn workers or instances on one database)
runs a `Runner`: a few threads per kind of work, each taking the oldest queued job of its kind with
an update that only one process can win, and handing its reference to the handler it was given
(what to do with a check or a round is not this module's business: see work.py). The pages only
add jobs and read places in the queue, so they never wait for document work.

A process that stops in the middle of a job stops beating its heart: after STALE_AFTER_S any
process puts a check back in the queue (once; then it is given up) and gives a round up.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from imtc.web.db import Database, Job, now

log = logging.getLogger("imtc.web")

STALE_AFTER_S = 60.0
BEAT_S = 10.0
POLL_S = 1.0
MAX_ATTEMPTS = 2  # a check whose process died is tried once more


def process_id() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Taken:
    id: int
    kind: str
    ref: str


class JobQueue:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def add(tx: Session, kind: str, ref: str) -> None:
        """Queue a job in the caller's transaction (with the row it is about)."""
        tx.add(Job(kind=kind, ref=ref, status="queued", created_at=now(), attempts=0))

    def waiting(self, kind: str) -> int:
        with self.db.session() as tx:
            return tx.scalar(select(func.count()).select_from(Job).where(Job.kind == kind, Job.status == "queued")) or 0

    def place(self, kind: str, ref: str) -> int | None:
        """1 for the next to be taken, 2 … behind it; 0 when being worked on; None when not queued."""
        with self.db.session() as tx:
            job = tx.scalars(select(Job).where(Job.kind == kind, Job.ref == ref, Job.status != "done")
                             .order_by(Job.id.desc()).limit(1)).first()
            if job is None:
                return None
            if job.status == "running":
                return 0
            return tx.scalar(select(func.count()).select_from(Job).where(
                Job.kind == kind, Job.status == "queued", Job.id <= job.id))

    def take(self, kind: str, owner: str) -> Taken | None:
        """The oldest queued job of `kind`, now this process's; None when there is none."""
        for _ in range(10):  # another process may win the same row: try the next one
            with self.db.session() as tx:
                job_id = tx.scalar(select(Job.id).where(Job.kind == kind, Job.status == "queued")
                                   .order_by(Job.id).limit(1))
                if job_id is None:
                    return None
                won = tx.execute(update(Job).where(Job.id == job_id, Job.status == "queued").values(
                    status="running", owner=owner, heartbeat_at=now(), attempts=Job.attempts + 1))
                if won.rowcount == 1:
                    ref = tx.scalar(select(Job.ref).where(Job.id == job_id))
                    return Taken(job_id, kind, str(ref))
        return None

    def finish(self, job_id: int) -> None:
        with self.db.session() as tx:
            tx.execute(update(Job).where(Job.id == job_id).values(status="done", heartbeat_at=now()))

    def beat(self, owner: str) -> None:
        with self.db.session() as tx:
            tx.execute(update(Job).where(Job.owner == owner, Job.status == "running").values(heartbeat_at=now()))

    def abandoned(self, stale_after_s: float = STALE_AFTER_S) -> list[Taken]:
        """Jobs whose process stopped beating: checks tried fewer than MAX_ATTEMPTS times go back
        in the queue; the others are closed and returned (for their rows to say so)."""
        cutoff = now() - timedelta(seconds=stale_after_s)
        given_up: list[Taken] = []
        with self.db.session() as tx:
            stale = list(tx.execute(select(Job.id, Job.kind, Job.ref, Job.attempts).where(
                Job.status == "running", Job.heartbeat_at < cutoff)))
            for job in stale:
                again = job.kind == "check" and job.attempts < MAX_ATTEMPTS
                done = tx.execute(update(Job).where(Job.id == job.id, Job.status == "running",
                                                    Job.heartbeat_at < cutoff).values(
                    status="queued" if again else "done", owner=None))
                if done.rowcount == 1 and not again:
                    given_up.append(Taken(job.id, job.kind, job.ref))
        return given_up

    def forget_done(self, before_days: float = 1) -> None:
        with self.db.session() as tx:
            tx.execute(delete(Job).where(Job.status == "done", Job.heartbeat_at < now() - timedelta(days=before_days)))


Handler = Callable[[str], None]


class Runner:
    """Threads taking jobs from the queue: `handlers` maps a kind to (what to do with a job's
    reference, how many threads); `on_abandoned` is told of jobs given up (any process's)."""

    def __init__(self, queue: JobQueue, handlers: dict[str, tuple[Handler, int]],
                 on_abandoned: Callable[[Taken], None]) -> None:
        self.queue = queue
        self.handlers = handlers
        self.on_abandoned = on_abandoned
        self.owner = process_id()
        self._stop = threading.Event()
        self._wake = {kind: threading.Event() for kind in handlers}
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for kind, (_, count) in self.handlers.items():
            for n in range(count):
                self._spawn(self._work, kind, f"imtc-{kind}-{n}")
        self._spawn(self._beat, None, "imtc-jobs-heartbeat")

    def _spawn(self, target: Callable[..., None], arg: object, name: str) -> None:
        # daemon threads: stopping the server never waits for a document (another process, or the
        # next start, takes the job up again when its heart stops)
        t = threading.Thread(target=target, args=(arg,) if arg is not None else (), daemon=True, name=name)
        t.start()
        self._threads.append(t)

    def wake(self, kind: str) -> None:
        """A job of `kind` was just queued by this process: no need to wait for the next poll."""
        if kind in self._wake:
            self._wake[kind].set()

    def stop(self) -> None:
        self._stop.set()
        for event in self._wake.values():
            event.set()

    def _work(self, kind: str) -> None:
        handler = self.handlers[kind][0]
        while not self._stop.is_set():
            try:
                job = self.queue.take(kind, self.owner)
            except Exception:
                log.exception("taking a %s job failed", kind)
                job = None
            if job is None:
                self._wake[kind].wait(POLL_S)
                self._wake[kind].clear()
                continue
            try:
                handler(job.ref)
            except Exception:
                log.exception("%s job %s failed", kind, job.ref)
            try:
                self.queue.finish(job.id)
            except Exception:  # the database went away: the job's heart stops, another process takes it up
                log.exception("finishing %s job %s failed", kind, job.ref)

    def _beat(self) -> None:
        while True:
            try:
                self.queue.beat(self.owner)
                for job in self.queue.abandoned():
                    self.on_abandoned(job)
            except Exception:
                log.exception("job heartbeat failed")
            if self._stop.wait(BEAT_S):
                return
