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
import re
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
def to_docx(path: Path, timeout: float = TIMEOUT_S, suffix: str | None = None,
            content: bytes | None = None) -> Iterator[Path]:
    """Yield a .docx converted from `path` in a private temporary folder, removed afterwards.
    `suffix` names the copy LibreOffice is given (".html" for a web page saved as .doc); `content`,
    when given, is what the copy holds instead of the file's bytes (the page inside an MHTML file)."""
    exe = soffice()
    if exe is None:
        raise Unreadable("读取 .doc/.wps 文件需要 LibreOffice，但本机未安装（请运行 setup.sh，或另存为 .docx 后提交）")
    tmp = Path(tempfile.mkdtemp(prefix="imtc-convert-"))
    proc = None
    try:
        src = tmp / ("input" + (suffix or path.suffix.lower()))
        if content is not None:
            src.write_bytes(content)
        else:
            shutil.copyfile(path, src)  # LibreOffice never touches the submitted file
        original = path if content is None and suffix is None else None  # as the round's batch converts it
        if (done := office.convert(src, Path(tmp) / "out" / "input.docx", timeout, original=original)) is not None:
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


# --- web pages saved as .doc ---------------------------------------------------------------------------

_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b",
                         re.IGNORECASE | re.DOTALL)
_MHTML_START = re.compile(rb"^(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?"
                          rb"content-type:\s*multipart/related", re.IGNORECASE)


def web_page(head: bytes) -> str | None:
    """"html" or "mhtml" when the file's first bytes are a web page (as web systems give out .doc
    files), else None."""
    if _MHTML_START.match(head):
        return "mhtml"
    if _HTML_START.match(head):
        return "html"
    return None


def page_of_mhtml(data: bytes) -> bytes:
    """The HTML page inside an MHTML ("single file web page") file, its transfer encoding undone and
    its character set declared at the top; raises Unreadable when there is none."""
    import email
    import email.policy

    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            body = part.get_payload(decode=True)
            if isinstance(body, bytes) and body.strip():
                charset = part.get_content_charset()
                if charset and re.fullmatch(r"[A-Za-z0-9_.:-]{1,40}", charset):
                    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
                    body = meta.encode("ascii") + body
                return body
    raise Unreadable("文件是“单个文件网页”（MHTML），但其中没有网页正文")
