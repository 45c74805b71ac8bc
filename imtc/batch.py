"""Many files, each in a worker process of its own, with a time and a memory limit.

A hostile file can make a parser loop or swell; a worker that overruns its time is killed and the
file gets a `timeout` finding, a worker that dies gets `internal-error`, and the batch goes on.
Workers are forked one per file (cheap: the parent has already imported everything), at most
`jobs` at a time, and results come back as they finish.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path

from imtc.findings import INTERNAL_ERROR, TIMEOUT
from imtc.models import Extraction, Source

DEFAULT_TIMEOUT_S = 900.0  # a 60-page scan read by OCR takes several minutes
MEMORY_LIMIT_BYTES = 2 * 1024**3  # per worker: address space, a bound on a swelling parser

Work = Callable[[Path], Extraction]


def _child(conn: Connection, work: Work, path: Path) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ValueError, OSError):
        pass
    try:
        conn.send_bytes(work(path).model_dump_json().encode())
    finally:
        conn.close()


def _failed(path: Path, finding) -> Extraction:  # noqa: ANN001
    fmt = path.suffix.lower().lstrip(".")
    fmt = fmt if fmt in ("docx", "doc", "wps", "pdf", "ofd") else "docx"
    return Extraction(source=Source(file=path.name, format=fmt, sha256=""), kind="unreadable", findings=[finding])


def run(files: Sequence[Path], work: Work, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT_S
        ) -> Iterator[tuple[int, Extraction]]:
    """Yield (index into `files`, result) for every file, in the order they finish."""
    ctx = multiprocessing.get_context("fork")
    pending = list(enumerate(files))[::-1]
    running: dict[Connection, tuple[int, multiprocessing.Process, float]] = {}
    while pending or running:
        while pending and len(running) < max(1, jobs):
            i, path = pending.pop()
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(send, work, Path(path)), daemon=True)
            proc.start()
            send.close()
            running[recv] = (i, proc, time.monotonic() + timeout)
        soonest = min(deadline for _, _, deadline in running.values())
        ready = wait(list(running), timeout=max(0.0, soonest - time.monotonic()))
        for conn in ready:
            i, proc, _ = running.pop(conn)  # type: ignore[call-overload]
            yield i, _receive(conn, proc, Path(files[i]))
        now = time.monotonic()
        for conn, (i, proc, deadline) in list(running.items()):
            if now >= deadline:
                proc.kill()
                proc.join()
                conn.close()
                del running[conn]
                yield i, _failed(Path(files[i]), TIMEOUT(seconds=int(timeout)))


def _receive(conn: Connection, proc: multiprocessing.Process, path: Path) -> Extraction:
    try:
        data = conn.recv_bytes()
    except (EOFError, OSError):
        data = None
    finally:
        conn.close()
    proc.join()
    if data is None:
        why = f"工作进程异常退出（退出码 {proc.exitcode}），可能是内存不足"
        return _failed(path, INTERNAL_ERROR(error=why))
    return Extraction.model_validate_json(data)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
