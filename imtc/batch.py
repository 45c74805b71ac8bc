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
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported where used: `imtc --help` reads DEFAULT_TIMEOUT_S and no more
    from imtc.models import Extraction, Finding

DEFAULT_TIMEOUT_S = 900.0  # a 60-page scan read by OCR takes several minutes
MEMORY_LIMIT_BYTES = 2 * 1024**3  # per worker: address space, a bound on a swelling parser

R = TypeVar("R")
Work = Callable[[Path], Any]  # a pydantic model: an Extraction, or (imtc.service) an Assessment


def _child(conn: Connection, work: Work, path: Path) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    except (ValueError, OSError):
        pass
    try:
        conn.send_bytes(work(path).model_dump_json().encode())
    finally:
        conn.close()


def failed_extraction(path: Path, finding: Finding) -> Extraction:
    """What a file gets when its worker overran its time or died."""
    from imtc.models import Extraction, Source

    fmt = path.suffix.lower().lstrip(".")
    fmt = fmt if fmt in ("docx", "doc", "wps", "pdf", "ofd") else "docx"
    return Extraction(source=Source(file=path.name, format=fmt, sha256=""), kind="unreadable", findings=[finding])


def run(files: Sequence[Path], work: Work, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT_S, *,
        result: Any = None, failed: Callable[[Path, Finding], Any] | None = None) -> Iterator[tuple[int, Any]]:
    """Yield (index into `files`, result) for every file, in the order they finish. `work` returns a
    pydantic model of class `result` (default Extraction); a file whose worker overran or died gets
    `failed(path, finding)` (default failed_extraction)."""
    from imtc.findings import TIMEOUT
    from imtc.models import Extraction

    result = result or Extraction
    failed = failed or failed_extraction
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
            yield i, _receive(conn, proc, Path(files[i]), result, failed)
        now = time.monotonic()
        for conn, (i, proc, deadline) in list(running.items()):
            if now >= deadline:
                proc.kill()
                proc.join()
                conn.close()
                del running[conn]
                yield i, failed(Path(files[i]), TIMEOUT(seconds=int(timeout)))


def _receive(conn: Connection, proc: multiprocessing.Process, path: Path, result: Any,
             failed: Callable[[Path, Finding], R]) -> R:
    from imtc.findings import INTERNAL_ERROR

    try:
        data = conn.recv_bytes()
    except (EOFError, OSError):
        data = None
    finally:
        conn.close()
    proc.join()
    if data is None:
        why = f"工作进程异常退出（退出码 {proc.exitcode}），可能是内存不足"
        return failed(path, INTERNAL_ERROR(error=why))
    return result.model_validate_json(data)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
