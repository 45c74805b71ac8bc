"""One LibreOffice kept running for a round of Word files, spoken to over UNO.

Starting LibreOffice takes most of a .doc's conversion (seconds; `--convert-to` starts it anew for
every file), and a review round prints every Word file to PDF for its pictures (imtc/crops.py). For
a batch holding several such files, `running(files)` starts one LibreOffice in
the parent before the workers are forked: headless, listening on a private named pipe, with its own
profile in a private temporary folder, under the workers' memory limit. A worker then converts with
`convert()`: a short client (uno_convert.py) run by the system's Python, which has LibreOffice's `uno`
module (Debian's python3-uno), asks that LibreOffice to open the file and store it as .docx or PDF.

The round's old Word and WPS files (those the reader would convert: pipeline.through_libreoffice)
are not each asked for by a client of their own: one client, started with LibreOffice, converts
them all in turn over one connection (uno_convert.py --batch), ahead of the workers, which meanwhile
read the ones already converted (LibreOffice's conversions and imtc's reading overlap on two cores).
A worker waits for its file's .docx (`from_batch`) within the same per-file time limit, counted from
the moment LibreOffice begins that file. Whatever goes wrong in the batch costs that file only: a
file LibreOffice cannot open, or all files after it when LibreOffice dies, are converted by soffices
of their own; a file stuck past its limit is unreadable and LibreOffice killed (by whichever worker
waits first); a worker whose file is queued behind one taking more than PATIENCE_S stops waiting and
converts its file itself. The .docx made either way is byte for byte the same (tests/test_office_lo.py).

It only ever speeds things up. When there is no such LibreOffice (no python3-uno, one file only, it
died, or it would not open the file), `convert()` returns None and the caller converts with one
soffice of its own (imtc/extract/convert.py), as before. When it hangs on a file past the time limit,
the file is unreadable (the same finding as with its own soffice) and the shared LibreOffice is
killed and not used again in that round. On leaving `running()` LibreOffice and its whole process
group, and the batch's client, are ended, the temporary folder with the profile and what the batch
converted removed, and the sockets LibreOffice leaves in /tmp deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path

from imtc.extract.package import Unreadable

LEGACY = {".doc", ".wps"}
WORD = {".docx", *LEGACY}  # printed to PDF for the review's pictures (imtc/crops.py)
MIN_FILES = 2  # for one file, starting a shared LibreOffice costs what its own soffice costs
CLIENT = Path(__file__).with_name("uno_convert.py")
DOCX, PDF = "MS Word 2007 XML", "writer_pdf_Export"  # LibreOffice's export filters
DEAD = "dead"  # a file in the service's folder: it was killed, do not use it
BATCH, FINISHED, STATUS = "batch", "finished", "status"  # the batch's files (uno_convert.py --batch)
HUNG, SKIPPED = "hung", "skipped"  # a job's status written by a worker: stuck past its time; not waited for
PATIENCE_S = 20.0  # a worker waits this long for a conversion before its own file's to begin
POLL_S = 0.01


@dataclass(frozen=True)
class Office:
    """A LibreOffice listening on `pipe`, process group `pid`, its profile under `folder`."""

    pipe: str
    pid: int
    folder: Path
    python: str
    batch: dict[str, int] = field(default_factory=dict)  # file (absolute path) -> its job in the batch

    def usable(self) -> bool:
        return self.folder.is_dir() and not (self.folder / DEAD).exists()

    def kill(self) -> None:
        """End its whole process group (oosplash, soffice.bin) and mark it unusable."""
        with suppress(OSError):
            (self.folder / DEAD).touch()
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


_current: Office | None = None  # set in the parent by running(); a forked worker inherits it


def uno_python() -> str | None:
    """A Python that can import LibreOffice's `uno`: $IMTC_UNO_PYTHON, else the system's python3 when
    Debian's python3-uno is installed."""
    if env := os.environ.get("IMTC_UNO_PYTHON"):
        return env if os.access(env, os.X_OK) else None
    system = Path("/usr/bin/python3")
    return str(system) if system.exists() and Path("/usr/lib/python3/dist-packages/uno.py").exists() else None


def start(soffice: str, python: str, memory_limit: int) -> tuple[Office, subprocess.Popen[bytes]]:
    """A LibreOffice listening on a new private pipe (not waited for: the client waits for the pipe)."""
    folder = Path(tempfile.mkdtemp(prefix="imtc-office-"))
    pipe = f"imtc-{os.getpid()}-{secrets.token_hex(6)}"
    cmd = [soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--invisible", "--norestore",
           "--nologo", "--nodefault", "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    # the memory limit through the shell: no preexec_fn in a process that may have threads (the web)
    proc = subprocess.Popen(["/bin/sh", "-c", f'ulimit -v {memory_limit // 1024}; exec "$@"', "sh", *cmd],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "HOME": str(folder), "TMPDIR": str(folder)}, start_new_session=True)
    return Office(pipe=pipe, pid=proc.pid, folder=folder, python=python), proc


def start_batch(office: Office, files: list[Path]) -> tuple[Office, subprocess.Popen[bytes]]:
    """One client converting every one of `files` to .docx in turn over one connection, ahead of
    the workers (uno_convert.py --batch); `office` given the job of each file. When the client ends,
    however it ends, batch/finished is written."""
    root = office.folder / BATCH
    root.mkdir()
    jobs = [[str(f), f.suffix.lower()] for f in files]
    for n in range(len(jobs)):
        (root / str(n)).mkdir()
    (root / "jobs.json").write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
    script = f'"$@"; echo $? > "{root / FINISHED}"'
    proc = subprocess.Popen(["/bin/sh", "-c", script, "sh", office.python, str(CLIENT), "--batch", office.pipe,
                             str(office.folder)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    return replace(office, batch={_key(f): n for n, f in enumerate(files)}), proc


def stop(office: Office, proc: subprocess.Popen[bytes], client: subprocess.Popen[bytes] | None = None) -> None:
    """End LibreOffice and its helpers and the batch's client, reap them, and remove the folder (the
    profile, what the batch converted)."""
    if client is not None:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(client.pid, signal.SIGKILL)
        client.wait()
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(office.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        office.kill()
        proc.wait()
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(office.pid, signal.SIGKILL)  # helpers left in its group
    shutil.rmtree(office.folder, ignore_errors=True)
    for name in (office.pipe, _ipc_name(office.folder)):  # the sockets a stopped LibreOffice leaves in /tmp
        for socket in Path("/tmp").glob(f"OSL_PIPE_*_{name}"):
            socket.unlink(missing_ok=True)


def _ipc_name(folder: Path) -> str:
    """The name of the socket LibreOffice opens for its profile (SingleOfficeIPC_ and the MD5 of the
    profile's URL in UTF-16, each byte in hex without its leading zero), as LibreOffice 7 names it."""
    digest = hashlib.md5(f"file://{folder}/profile".encode("utf-16-le"), usedforsecurity=False).digest()
    return "SingleOfficeIPC_" + "".join(f"{b:x}" for b in digest)


@contextmanager
def running(files: Iterable[Path], *, review: bool = False) -> Iterator[Office | None]:
    """One LibreOffice for the workers forked inside this block, when MIN_FILES or more of `files` need
    it (.doc/.wps to read; with `review`, every Word file, printed to PDF for the review's pictures)
    and it can be spoken to; None otherwise (each worker then starts its own). The round's files that
    the reader converts to .docx are converted at once, in turn, by one client (`start_batch`)."""
    global _current
    from imtc.batch import MEMORY_LIMIT_BYTES
    from imtc.extract.convert import soffice
    from imtc.extract.limits import Limits
    from imtc.extract.pipeline import through_libreoffice
    from imtc.files import Skipped

    files = [Path(f) for f in files if not isinstance(f, Skipped)]
    need = sum(1 for f in files if f.suffix.lower() in (WORD if review else LEGACY))
    exe, python = soffice(), uno_python()
    if need < MIN_FILES or exe is None or python is None or _current is not None:
        yield None
        return
    office, proc = start(exe, python, MEMORY_LIMIT_BYTES)
    client = None
    try:
        limits = Limits.from_env()
        legacy = {_key(f): f for f in files if f.suffix.lower() in LEGACY and through_libreoffice(f, limits)}
        if legacy := list(legacy.values()):  # a file named twice is converted once
            office, client = start_batch(office, legacy)
        _current = office
        yield office
    finally:
        _current = None
        stop(office, proc, client)


def convert(src: Path, target: Path, timeout: float, filter_name: str = DOCX, original: Path | None = None,
            ) -> Path | None:
    """`src` stored as `target` (a .docx; a PDF with filter_name=PDF) by the round's LibreOffice; None
    when there is none or it could not (the caller converts with its own soffice). A conversion that overruns `timeout` kills
    the shared LibreOffice and raises Unreadable, as one soffice of its own would. When `original`
    (the submitted file `src` is a copy of) is in the round's batch, its .docx is taken from there."""
    office = _current
    if office is None:
        return None
    if original is not None and (job := office.batch.get(_key(original))) is not None and filter_name == DOCX:
        return from_batch(office, job, target, timeout)
    if not office.usable():
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen([office.python, str(CLIENT), office.pipe, str(src), str(target), filter_name,
                             str(office.folder)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:  # the client stays in the worker's process group: stopping the worker stops it too
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        office.kill()  # it may be stuck on this file: nobody uses it again
        raise _timed_out(timeout) from None
    if code == 0 and target.is_file() and target.stat().st_size > 0:
        return target
    if code not in (0, 4, 5):  # not this file's fault: it never answered, broke the connection or crashed
        office.kill()
    return None


def _key(path: Path) -> str:
    return os.path.abspath(path)


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (OSError, UnicodeDecodeError):
        return None


def _write(path: Path, text: str) -> None:
    """`text` into `path` at once (a reader never sees half of it)."""
    part = path.with_name(path.name + ".part")
    with suppress(OSError):  # the round is over and its folder gone: nobody reads it
        part.write_text(text)
        os.replace(part, path)


def _timed_out(timeout: float) -> Unreadable:
    return Unreadable(f"LibreOffice 转换超时（超过 {int(timeout)} 秒），文件可能已损坏")


def from_batch(office: Office, job: int, target: Path, timeout: float) -> Path | None:
    """Job `job`'s .docx moved to `target` once the batch's client has stored it; None when it could
    not (the caller converts with its own soffice): LibreOffice could not open it, died, the client
    ended, or the file is still queued behind another that has taken longer than PATIENCE_S. A
    conversion running past `timeout` since it began is stuck: LibreOffice is killed (nobody uses
    it again), and when it is this file's, the file is unreadable as with its own soffice."""
    root = office.folder / BATCH
    mine = root / str(job)
    while True:
        status = _read(mine / STATUS)
        if status is None and (not office.usable() or (root / FINISHED).exists()):
            status = _read(mine / STATUS) or "gone"  # written just before it ended, or never
        if status is not None:
            out = mine / "out" / "input.docx"
            if status.startswith(HUNG):  # stopped by another worker, past its limit
                raise _timed_out(float(status.split()[1]))
            if status == "0" and out.is_file() and out.stat().st_size > 0:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(out, target)
                return target
            return None
        current = (_read(root / "current") or "").split()
        if len(current) == 2:
            n, running_for = int(current[0]), time.monotonic() - float(current[1])
            if running_for > timeout and _read(root / current[0] / STATUS) is None:  # stuck on job n
                _write(root / current[0] / STATUS, f"{HUNG} {timeout}")
                office.kill()
                if n == job:
                    raise _timed_out(timeout)
                return None
            if n < job and running_for > PATIENCE_S:  # queued behind a slow one: no waiting for it
                _write(mine / STATUS, SKIPPED)
                return None
        time.sleep(POLL_S)


__all__ = ["Office", "convert", "running"]
