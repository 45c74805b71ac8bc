"""Legacy .doc and .wps files (and web pages saved as .doc) -> a temporary .docx, through LibreOffice headless.

LibreOffice runs in a process group of its own, with a private profile and temporary folder holding
a copy of the applicant's document. Whatever ends the conversion — success, failure, its time
limit, the worker being stopped (SIGTERM raises in Python, so `finally` runs) — `cleanup` ends the
whole group and removes the folder. A worker killed outright cannot clean up: the group's id is
written into the folder (PGID_FILE) so that whoever removes the folder (batch.py's `reap`) ends
the group first. These three functions are meant for reuse by anything else that runs soffice.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from imtc.extract import office
from imtc.extract.package import Unreadable

TIMEOUT_S = 120
PGID_FILE = "soffice.pgid"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def start(cmd: list[str], folder: Path) -> subprocess.Popen[bytes]:
    """Start `cmd` in a new process group whose id is recorded in `folder`."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                            env={**os.environ, "HOME": str(folder), "TMPDIR": str(folder)},
                            start_new_session=True)
    (folder / PGID_FILE).write_text(str(proc.pid))
    return proc


def end_group(pgid: int) -> None:
    """SIGKILL every process of the group `pgid` (soffice starts helpers); gone already is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def cleanup(proc: subprocess.Popen[bytes] | None, folder: Path) -> None:
    """End `proc`'s whole group (helpers outlive the leader at times), reap it, and remove `folder`."""
    if proc is not None:
        end_group(proc.pid)
        with contextlib.suppress(Exception):
            proc.wait(timeout=30)
    reap(folder)


def reap(folder: Path) -> None:
    """Remove `folder`, first ending every process group recorded in it (a worker killed mid-conversion)."""
    for pid_file in Path(folder).rglob(PGID_FILE):
        with contextlib.suppress(OSError, ValueError):
            end_group(int(pid_file.read_text()))
    shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def to_docx(path: Path, timeout: float = TIMEOUT_S, suffix: str | None = None) -> Iterator[Path]:
    """Yield a .docx converted from `path` in a private temporary folder, removed afterwards.
    `suffix` names the copy LibreOffice is given (".html" for a web page saved as .doc)."""
    exe = soffice()
    if exe is None:
        raise Unreadable("读取 .doc/.wps 文件需要 LibreOffice，但本机未安装（请运行 setup.sh，或另存为 .docx 后提交）")
    tmp = Path(tempfile.mkdtemp(prefix="imtc-convert-"))
    proc = None
    try:
        src = tmp / ("input" + (suffix or path.suffix.lower()))
        shutil.copyfile(path, src)  # LibreOffice never touches the submitted file
        if (done := office.convert(src, Path(tmp) / "out" / "input.docx", timeout)) is not None:
            yield done  # by the LibreOffice kept running for the round (imtc/extract/office.py)
            return
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", f"{tmp}/out", str(src)]
        proc = start(cmd, tmp)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Unreadable(f"LibreOffice 转换超时（超过 {int(timeout)} 秒），文件可能已损坏") from None
        out = tmp / "out" / "input.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise Unreadable("LibreOffice 无法打开该文件，文件可能已损坏或不是 Word/WPS 文档")
        yield out
    finally:
        cleanup(proc, tmp)
