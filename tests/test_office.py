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


def test_the_client_is_asked_for_the_filter_given(tmp_path: Path, service, current) -> None:  # noqa: ANN001
    current(shared(tmp_path, service, 'test "$5" = "writer_pdf_Export" && printf pdf > "$4"'))
    target = tmp_path / "out" / "a.pdf"
    assert office.convert(tmp_path / "a.docx", target, timeout=30, filter_name=office.PDF) == target


def test_one_legacy_file_starts_no_shared_libreoffice(tmp_path: Path) -> None:
    with office.running([tmp_path / "a.doc", tmp_path / "b.docx", tmp_path / "c.pdf"]) as o:
        assert o is None and office._current is None
    with office.running([tmp_path / "a.docx", tmp_path / "b.docx"]) as o:  # read without LibreOffice
        assert o is None


# --- the batch: one client converting a round's .doc/.wps in turn (uno_convert.py --batch) -------------
#
# The real client (imtc/extract/uno_convert.py) is run against a stand-in for LibreOffice's `uno`
# module: what it "converts" is decided by the source's text — "ok X" is stored as "docx of X",
# "cannot" cannot be opened, "hang" never returns, "crash" loses the connection (LibreOffice died).

FAKE_UNO = '''
import os, signal

LOG = os.environ["FAKE_UNO_LOG"]

def _log(line):
    with open(LOG, "a") as f:
        f.write(line + "\\n")

class _Resolver:
    def resolve(self, url):
        _log("connect")
        with open(LOG + ".pid", "w") as f:
            f.write(str(os.getpid()))
        return _Context()

class _Manager:
    def createInstanceWithContext(self, name, ctx):
        return _Resolver() if name.endswith("UnoUrlResolver") else _Desktop()

class _Context:
    ServiceManager = _Manager()

class _Doc:
    def __init__(self, text):
        self.text = text
    def storeToURL(self, url, props):
        with open(url.removeprefix("file://"), "w") as f:
            f.write("docx of " + self.text.removeprefix("ok "))
    def close(self, deliver):
        pass

class _Desktop:
    def loadComponentFromURL(self, url, frame, flags, props):
        from com.sun.star.lang import DisposedException
        path = url.removeprefix("file://")
        text = open(path, "rb").read()[8:].decode()  # after the OLE header
        _log("load " + os.path.basename(path) + " " + text)
        if text == "cannot":
            raise ValueError("not a document")
        if text == "hang":
            signal.pause()
        if text == "crash":
            raise DisposedException("LibreOffice died")
        return _Doc(text)

def getComponentContext():
    return _Context()

def systemPathToFileUrl(path):
    return "file://" + path
'''

FAKE_COM = {
    "com/sun/star/connection.py": "class NoConnectException(Exception): pass\n",
    "com/sun/star/lang.py": "class DisposedException(Exception): pass\n",
    "com/sun/star/uno.py": "class RuntimeException(Exception): pass\n",
    "com/sun/star/beans.py": "class PropertyValue:\n    Name = Value = None\n",
}


@pytest.fixture
def fake_lo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - the log's lines, the stand-ins
    """office.running() with a stand-in for LibreOffice (a `sleep` process group) and the real batch
    client run by a Python that imports the stand-in `uno` above; calling it reads the stand-in's log."""
    import sys

    fakes = tmp_path / "fakes"
    for rel, text in {"uno.py": FAKE_UNO, **FAKE_COM}.items():
        (fakes / rel).parent.mkdir(parents=True, exist_ok=True)
        (fakes / rel).write_text(text)
    for pkg in ("com", "com/sun", "com/sun/star"):
        (fakes / pkg / "__init__.py").touch()
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH={fakes} exec {sys.executable} "$@"\n')
    python.chmod(0o755)
    log = tmp_path / "uno.log"
    monkeypatch.setenv("FAKE_UNO_LOG", str(log))
    monkeypatch.setattr(office, "uno_python", lambda: str(python))
    monkeypatch.setattr("imtc.extract.convert.soffice", lambda: "/usr/bin/soffice-not-run")
    started = []

    def start(soffice: str, python: str, memory_limit: int) -> tuple[office.Office, subprocess.Popen[bytes]]:
        folder = tmp_path / f"office-{len(started)}"
        folder.mkdir()
        proc = subprocess.Popen(["sleep", "600"], start_new_session=True)
        started.append(proc)
        return office.Office(pipe="imtc-test", pid=proc.pid, folder=folder, python=python), proc

    monkeypatch.setattr(office, "start", start)

    class Fake:
        services = started  # the stand-ins for LibreOffice started

        def __call__(self) -> list[str]:
            return log.read_text().splitlines() if log.exists() else []
    yield Fake()
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # what an old .doc/.wps begins with


def legacy(folder: Path, name: str, text: str) -> Path:
    """A file sniffed as an old Word file, whose stand-in conversion does what `text` says."""
    path = folder / name
    path.write_bytes(OLE + text.encode())
    return path


def test_a_batch_converts_every_legacy_file_over_one_connection(tmp_path: Path, fake_lo) -> None:  # noqa: ANN001
    files = [legacy(tmp_path, "a.doc", "ok A"), legacy(tmp_path, "b.wps", "ok B"), tmp_path / "c.docx",
             tmp_path / "empty.doc", tmp_path / "zip.doc"]
    files[2].write_bytes(b"PK\x03\x04")
    files[3].write_bytes(b"")
    files[4].write_bytes(b"PK\x03\x04")  # a .docx named .doc: read without LibreOffice
    with office.running(files) as o:
        assert o is not None and o.batch == {str(files[0]): 0, str(files[1]): 1}
        targets = [tmp_path / "w" / f"{n}" / "input.docx" for n in range(2)]
        got = [office.convert(tmp_path / "copy", t, timeout=30, original=f) for f, t in zip(files[:2], targets, strict=True)]
        assert got == targets
        assert [t.read_text() for t in targets] == ["docx of A", "docx of B"]
        assert not (o.folder / "batch" / "0" / "out" / "input.docx").exists()  # moved, not copied
        folder = o.folder
    assert fake_lo() == ["connect", "load input.doc ok A", "load input.wps ok B"]
    assert not folder.exists()


def _convert_all(tmp_path: Path, files: list[Path], timeout: float = 30) -> list[object]:
    """What a worker gets for each file, in turn: its .docx's text, None (it converts with a soffice of
    its own) or the Unreadable's reason."""
    got: list[object] = []
    for n, f in enumerate(files):
        try:
            out = office.convert(tmp_path / "copy", tmp_path / "w" / str(n) / "input.docx", timeout, original=f)
        except Unreadable as e:
            got.append(e.reason)
        else:
            got.append(out.read_text() if out else None)
    return got


def test_a_file_the_batch_cannot_open_falls_back_and_the_batch_goes_on(tmp_path: Path, fake_lo) -> None:  # noqa: ANN001
    files = [legacy(tmp_path, "a.doc", "cannot"), legacy(tmp_path, "b.doc", "ok B")]
    with office.running(files) as o:
        assert _convert_all(tmp_path, files) == [None, "docx of B"]
        assert o.usable()
    assert fake_lo() == ["connect", "load input.doc cannot", "load input.doc ok B"]


def test_a_crash_inside_the_batch_loses_no_file(tmp_path: Path, fake_lo) -> None:  # noqa: ANN001
    """LibreOffice dies on b: a was converted, b and c are converted by soffices of their own."""
    files = [legacy(tmp_path, f"{c}.doc", t) for c, t in (("a", "ok A"), ("b", "crash"), ("c", "ok C"))]
    with office.running(files):
        assert _convert_all(tmp_path, files) == ["docx of A", None, None]
    assert fake_lo() == ["connect", "load input.doc ok A", "load input.doc crash"]


def test_a_hang_inside_the_batch_makes_that_file_unreadable_and_the_rest_fall_back(tmp_path: Path,  # noqa: ANN001
                                                                                    fake_lo) -> None:
    files = [legacy(tmp_path, f"{c}.doc", t) for c, t in (("a", "ok A"), ("b", "hang"), ("c", "ok C"))]
    with office.running(files) as o:
        assert _convert_all(tmp_path, files, timeout=1) == [
            "docx of A", "LibreOffice 转换超时（超过 1 秒），文件可能已损坏", None]
        assert not o.usable()
        assert fake_lo.services[0].wait(timeout=30) == -signal.SIGKILL
    assert fake_lo() == ["connect", "load input.doc ok A", "load input.doc hang"]


def test_a_file_queued_behind_a_hang_is_not_kept_waiting(tmp_path: Path, fake_lo,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker whose file is still queued stops waiting after PATIENCE_S (its own time limit may be
    shorter than the stuck file's), without killing LibreOffice, and the batch passes its file over."""
    monkeypatch.setattr(office, "PATIENCE_S", 0.5)
    files = [legacy(tmp_path, "a.doc", "hang"), legacy(tmp_path, "b.doc", "ok B")]
    with office.running(files) as o:
        assert _convert_all(tmp_path, files[1:]) == [None]
        assert o.usable()
        assert (o.folder / "batch" / "1" / "status").read_text() == office.SKIPPED
        batch = o.folder / "batch"
    assert not batch.exists()
    assert fake_lo() == ["connect", "load input.doc hang"]
    client = Path(f"/proc/{(tmp_path / 'uno.log.pid').read_text()}/stat")  # the client stuck on a: ended
    assert not client.exists() or client.read_text().split()[2] == "Z"


def test_a_hung_file_is_stopped_by_whichever_worker_waits(tmp_path: Path, fake_lo) -> None:  # noqa: ANN001
    """The worker of a file queued behind one stuck past the time limit kills LibreOffice, and the
    stuck file's worker, coming later, finds it marked: unreadable, no second wait."""
    files = [legacy(tmp_path, "a.doc", "hang"), legacy(tmp_path, "b.doc", "ok B")]
    with office.running(files) as o:
        assert _convert_all(tmp_path, files[1:], timeout=1) == [None]
        assert not o.usable()
        assert _convert_all(tmp_path, files[:1], timeout=600) == ["LibreOffice 转换超时（超过 1 秒），文件可能已损坏"]


def test_a_file_not_in_the_batch_is_converted_on_its_own(tmp_path: Path, fake_lo) -> None:  # noqa: ANN001
    """A web page named .doc (converted from a copy named .html) is not in the batch: its worker asks
    LibreOffice for it alone, through a client of its own."""
    files = [legacy(tmp_path, "a.doc", "ok A"), legacy(tmp_path, "b.doc", "ok B")]
    page = legacy(tmp_path, "input.html", "ok page")
    with office.running(files):
        assert _convert_all(tmp_path, files) == ["docx of A", "docx of B"]
        target = tmp_path / "page.docx"
        assert office.convert(page, target, timeout=30, original=None) == target
        assert target.read_text() == "docx of page"
    assert fake_lo() == ["connect", "load input.doc ok A", "load input.doc ok B", "connect",
                         "load input.html ok page"]


def test_to_docx_falls_back_to_its_own_soffice_for_a_file_the_batch_could_not_convert(
        tmp_path: Path, fake_lo, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from imtc.extract import convert

    soffice = tmp_path / "soffice"  # writes what its own soffice makes of the copy it is given
    soffice.write_text('#!/bin/sh\nfor a; do last="$a"; done\nmkdir -p "$(dirname "$last")/out"\n'
                       'printf "own soffice" > "$(dirname "$last")/out/input.docx"\n')
    soffice.chmod(0o755)
    files = [legacy(tmp_path, "a.doc", "cannot"), legacy(tmp_path, "b.doc", "ok B")]
    with office.running(files):
        monkeypatch.setattr(convert, "soffice", lambda: str(soffice))
        got = []
        for f in files:
            with convert.to_docx(f) as out:
                got.append(out.read_text())
    assert got == ["own soffice", "docx of B"]
    assert fake_lo() == ["connect", "load input.doc cannot", "load input.doc ok B"]
