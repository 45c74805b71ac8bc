"""One LibreOffice kept running for a round of Word files, spoken to over UNO.

Starting LibreOffice takes most of a .doc's conversion (seconds; `--convert-to` starts it anew for
every file), and a review round prints every Word file to PDF for its pictures (imtc/crops.py). For
a batch holding several such files, `running(files)` starts one LibreOffice in
the parent before the workers are forked: headless, listening on a private named pipe, with its own
profile in a private temporary folder, under the workers' memory limit. A worker then converts with
`convert()`: a short client (uno_convert.py) run by the system's Python, which has LibreOffice's `uno`
module (Debian's python3-uno), asks that LibreOffice to open the file and store it as .docx or PDF.

It only ever speeds things up. When there is no such LibreOffice (no python3-uno, one file only, it
died, or it would not open the file), `convert()` returns None and the caller converts with one
soffice of its own (imtc/extract/convert.py), as before. When it hangs on a file past the time limit,
the file is unreadable (the same finding as with its own soffice) and the shared LibreOffice is
killed and not used again in that round. On leaving `running()` LibreOffice and its whole process
group are ended and the temporary folder with the profile removed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from imtc.extract.package import Unreadable

LEGACY = {".doc", ".wps"}
WORD = {".docx", *LEGACY}  # printed to PDF for the review's pictures (imtc/crops.py)
MIN_FILES = 2  # for one file, starting a shared LibreOffice costs what its own soffice costs
CLIENT = Path(__file__).with_name("uno_convert.py")
DOCX, PDF = "MS Word 2007 XML", "writer_pdf_Export"  # LibreOffice's export filters
DEAD = "dead"  # a file in the service's folder: it was killed, do not use it


@dataclass(frozen=True)
class Office:
    """A LibreOffice listening on `pipe`, process group `pid`, its profile under `folder`."""

    pipe: str
    pid: int
    folder: Path
    python: str

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


def stop(office: Office, proc: subprocess.Popen[bytes]) -> None:
    """End LibreOffice and its helpers, reap it, and remove its folder (the profile)."""
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


@contextmanager
def running(files: Iterable[Path], *, review: bool = False) -> Iterator[Office | None]:
    """One LibreOffice for the workers forked inside this block, when MIN_FILES or more of `files` need
    it (.doc/.wps to read; with `review`, every Word file, printed to PDF for the review's pictures)
    and it can be spoken to; None otherwise (each worker then starts its own)."""
    global _current
    from imtc.batch import MEMORY_LIMIT_BYTES
    from imtc.extract.convert import soffice

    need = sum(1 for f in files if Path(f).suffix.lower() in (WORD if review else LEGACY))
    exe, python = soffice(), uno_python()
    if need < MIN_FILES or exe is None or python is None or _current is not None:
        yield None
        return
    office, proc = start(exe, python, MEMORY_LIMIT_BYTES)
    _current = office
    try:
        yield office
    finally:
        _current = None
        stop(office, proc)


def convert(src: Path, target: Path, timeout: float, filter_name: str = DOCX) -> Path | None:
    """`src` stored as `target` (a .docx; a PDF with filter_name=PDF) by the round's LibreOffice; None
    when there is none or it could not (the caller converts with its own soffice). A conversion that overruns `timeout` kills
    the shared LibreOffice and raises Unreadable, as one soffice of its own would."""
    office = _current
    if office is None or not office.usable():
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
        raise Unreadable(f"LibreOffice 转换超时（超过 {int(timeout)} 秒），文件可能已损坏") from None
    if code == 0 and target.is_file() and target.stat().st_size > 0:
        return target
    if code not in (0, 4, 5):  # not this file's fault: it never answered, broke the connection or crashed
        office.kill()
    return None


__all__ = ["Office", "convert", "running"]
