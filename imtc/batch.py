"""Many files, each in a worker process of its own, with a time and a memory limit.

A hostile file can make a parser loop or swell; a worker that overruns its time is stopped and the
file gets a `timeout` finding, a worker that dies gets `internal-error`, and the batch goes on.
Workers are forked one per file (cheap: the parent has already imported everything), at most
`jobs` at a time, and results come back as they finish.

Nothing outlives the batch: each worker leads a process group of its own and keeps its temporary
files in a private folder (TMPDIR). A worker is stopped with SIGTERM, which raises in it so that its
`finally` blocks end LibreOffice and remove temporary copies; one that does not end within GRACE_S
is killed with its group, and the parent removes its folder and any LibreOffice group recorded
there (convert.reap). The same happens to every running worker when the batch is left early
(Ctrl-C in the parent: workers ignore SIGINT and leave it to the parent).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported where used: `imtc --help` reads DEFAULT_TIMEOUT_S and no more
    from imtc.models import Extraction, Finding

DEFAULT_TIMEOUT_S = 900.0  # a 60-page scan read by OCR takes several minutes
MEMORY_LIMIT_BYTES = 2 * 1024**3  # per worker: address space it may add, a bound on a swelling parser
GRACE_S = 10.0  # a stopped worker's time to clean up before it is killed

R = TypeVar("R")
Work = Callable[[Path], Any]  # a pydantic model: an Extraction, or (imtc.service) an Assessment


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _child(conn: Connection, work: Work, path: Path, folder: Path) -> None:
    os.setpgrp()  # a group of its own: stopping it stops whatever it started
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _terminated)
    tempfile.tempdir = str(folder)
    os.environ["TMPDIR"] = str(folder)
    try:
        limit = inherited_address_space() + MEMORY_LIMIT_BYTES
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    try:
        conn.send_bytes(work(path).model_dump_json().encode())
    finally:
        conn.close()


def inherited_address_space() -> int:
    """The address space this forked worker starts with: its parent's (a long-lived web server or test
    process that has loaded the OCR engine maps over a gigabyte). The limit is counted on top of it, so a
    file gets the same room whatever process forked its worker."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def failed_extraction(path: Path, finding: Finding) -> Extraction:
    """What a file gets when it was not read (skipped) or its worker overran its time or died."""
    from imtc.files import display_name
    from imtc.models import Extraction, Source

    fmt = path.suffix.lower().lstrip(".")
    fmt = fmt if fmt in ("docx", "doc", "wps", "pdf", "ofd") else "docx"
    return Extraction(source=Source(file=display_name(path.name), format=fmt, sha256=""), kind="unreadable",
                      findings=[finding])


@dataclass
class _Worker:
    index: int
    proc: multiprocessing.Process
    deadline: float
    folder: Path


def stop(w: _Worker) -> None:
    """Stop a worker and everything it started, and remove its temporary folder."""
    from imtc.extract.convert import reap

    if w.proc.is_alive():
        w.proc.terminate()
        w.proc.join(GRACE_S)
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the worker, or what it left behind
        os.killpg(w.proc.pid, signal.SIGKILL)
    w.proc.join()
    reap(w.folder)


def run(files: Sequence[Path], work: Work, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT_S, *,
        result: Any = None, failed: Callable[[Path, Finding], Any] | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (index into `files`, result) for every file, in the order they finish. `work` returns a
    pydantic model of class `result` (default Extraction); a file whose worker overran or died, or a
    `Skipped` path (imtc/files.py: not read), gets `failed(path, finding)` (default failed_extraction).
    Leaving early (Ctrl-C, an error in the caller) stops every running worker."""
    from imtc.files import Skipped
    from imtc.findings import FILE_SKIPPED, TIMEOUT
    from imtc.models import Extraction

    result = result or Extraction
    failed = failed or failed_extraction
    ctx = multiprocessing.get_context("fork")
    pending = list(enumerate(files))[::-1]
    running: dict[Connection, _Worker] = {}
    try:
        while pending or running:
            while pending and len(running) < max(1, jobs):
                i, path = pending.pop()
                if isinstance(path, Skipped):
                    yield i, failed(path, FILE_SKIPPED(reason=path.why))
                    continue
                folder = Path(tempfile.mkdtemp(prefix="imtc-worker-"))
                recv, send = ctx.Pipe(duplex=False)
                proc = ctx.Process(target=_child, args=(send, work, Path(path), folder), daemon=True)
                proc.start()
                send.close()
                running[recv] = _Worker(i, proc, time.monotonic() + timeout, folder)
            if not running:
                continue
            soonest = min(w.deadline for w in running.values())
            ready = wait(list(running), timeout=max(0.0, soonest - time.monotonic()))
            for conn in ready:
                w = running.pop(conn)  # type: ignore[call-overload]
                yield w.index, _receive(conn, w, Path(files[w.index]), result, failed)
            now = time.monotonic()
            for conn, w in list(running.items()):
                if now >= w.deadline:
                    del running[conn]
                    conn.close()
                    stop(w)
                    yield w.index, failed(Path(files[w.index]), TIMEOUT(seconds=int(timeout)))
    finally:
        for conn, w in running.items():
            conn.close()
            stop(w)


def _receive(conn: Connection, w: _Worker, path: Path, result: Any, failed: Callable[[Path, Finding], R]) -> R:
    from imtc.extract.convert import reap
    from imtc.findings import INTERNAL_ERROR

    try:
        data = conn.recv_bytes()
    except (EOFError, OSError):
        data = None
    finally:
        conn.close()
    w.proc.join()
    with contextlib.suppress(ProcessLookupError, PermissionError):  # anything the worker left running
        os.killpg(w.proc.pid, signal.SIGKILL)
    reap(w.folder)
    if data is None:
        code = w.proc.exitcode
        why = f"工作进程异常退出（退出码 {code}），可能是内存不足"
        return failed(path, INTERNAL_ERROR(error=why, detail=f"worker process exit code {code}"))
    return result.model_validate_json(data)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
