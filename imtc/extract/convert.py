"""Legacy .doc and .wps files -> a temporary .docx, through LibreOffice headless."""

from __future__ import annotations

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


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextmanager
def to_docx(path: Path, timeout: float = TIMEOUT_S) -> Iterator[Path]:
    """Yield a .docx converted from `path` in a private temporary folder, removed afterwards."""
    exe = soffice()
    if exe is None:
        raise Unreadable("读取 .doc/.wps 文件需要 LibreOffice，但本机未安装（请运行 setup.sh，或另存为 .docx 后提交）")
    with tempfile.TemporaryDirectory(prefix="imtc-convert-") as tmp:
        src = Path(tmp) / ("input" + path.suffix.lower())
        shutil.copyfile(path, src)  # LibreOffice never touches the submitted file
        if (done := office.convert(src, Path(tmp) / "out" / "input.docx", timeout)) is not None:
            yield done  # by the LibreOffice kept running for the round (imtc/extract/office.py)
            return
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", f"{tmp}/out", str(src)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "HOME": tmp}, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # soffice starts helpers: end the whole group
            proc.wait()
            raise Unreadable(f"LibreOffice 转换超时（超过 {int(timeout)} 秒），文件可能已损坏") from None
        out = Path(tmp) / "out" / "input.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise Unreadable("LibreOffice 无法打开该文件，文件可能已损坏或不是 Word/WPS 文档")
        yield out
