"""The LibreOffice kept running for a round (imtc/extract/office.py), with a stand-in for the UNO
client and for LibreOffice itself: what a worker does when the shared LibreOffice converts, cannot
open a file, breaks the connection, or hangs. The real LibreOffice: tests/test_office_lo.py."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from imtc.extract import office
from imtc.extract.package import Unreadable


@pytest.fixture
def service(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A process group standing in for LibreOffice."""
    proc = subprocess.Popen(["sleep", "600"], start_new_session=True)
    yield proc
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def shared(tmp_path: Path, service: subprocess.Popen[bytes], client: str) -> office.Office:
    """office._current as running() sets it, with `client` (a shell script body) as the UNO client;
    the client gets: uno_convert.py PIPE SOURCE TARGET FILTER FOLDER."""
    script = tmp_path / "client.sh"
    script.write_text("#!/bin/sh\n" + client + "\n")
    script.chmod(0o755)
    folder = tmp_path / "office"
    folder.mkdir()
    return office.Office(pipe="imtc-test", pid=service.pid, folder=folder, python=str(script))


@pytest.fixture
def current(monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a setter
    def use(o: office.Office) -> None:
        monkeypatch.setattr(office, "_current", o)
    return use


def test_no_shared_libreoffice_means_none(tmp_path: Path) -> None:
    assert office._current is None
    assert office.convert(tmp_path / "a.doc", tmp_path / "out" / "a.docx", timeout=5) is None


def test_the_shared_libreoffice_converts(tmp_path: Path, service, current) -> None:  # noqa: ANN001
    current(shared(tmp_path, service, 'test "$5" = "MS Word 2007 XML" && printf docx > "$4"'))
    target = tmp_path / "out" / "a.docx"
    assert office.convert(tmp_path / "a.doc", target, timeout=30) == target
    assert target.read_text() == "docx"


@pytest.mark.parametrize("code", [4, 5])
def test_a_file_it_cannot_open_falls_back_and_keeps_it(tmp_path: Path, service, current, code: int) -> None:  # noqa: ANN001
    o = shared(tmp_path, service, f"exit {code}")
    current(o)
    assert office.convert(tmp_path / "a.doc", tmp_path / "out" / "a.docx", timeout=30) is None
    assert o.usable() and service.poll() is None


@pytest.mark.parametrize("client", ["exit 3", "exit 6", "kill -SEGV $$", 'printf "" > "$4"; exit 0'])
def test_a_broken_connection_or_crash_falls_back_and_retires_it(tmp_path: Path, service, current,  # noqa: ANN001
                                                                  client: str) -> None:
    o = shared(tmp_path, service, client)
    current(o)
    assert office.convert(tmp_path / "a.doc", tmp_path / "out" / "a.docx", timeout=30) is None
    if client.startswith("printf"):  # an empty file from a working LibreOffice: this file's fault
        assert o.usable()
        return
    assert not o.usable()
    assert service.wait(timeout=30) == -signal.SIGKILL
    # and nobody asks it again: no client is run for the next file
    (tmp_path / "client.sh").write_text("#!/bin/sh\ntouch " + str(tmp_path / "asked") + "\n")
    assert office.convert(tmp_path / "b.doc", tmp_path / "out" / "b.docx", timeout=30) is None
    assert not (tmp_path / "asked").exists()


def test_a_hang_makes_the_file_unreadable_and_kills_the_shared_libreoffice(tmp_path: Path, service,  # noqa: ANN001
                                                                          current) -> None:
    o = shared(tmp_path, service, "exec sleep 600")
    current(o)
    with pytest.raises(Unreadable, match="LibreOffice 转换超时（超过 1 秒），文件可能已损坏"):
        office.convert(tmp_path / "a.doc", tmp_path / "out" / "a.docx", timeout=1)
    assert not o.usable()
    assert service.wait(timeout=30) == -signal.SIGKILL


def test_one_legacy_file_starts_no_shared_libreoffice(tmp_path: Path) -> None:
    with office.running([tmp_path / "a.doc", tmp_path / "b.docx", tmp_path / "c.pdf"]) as o:
        assert o is None and office._current is None
