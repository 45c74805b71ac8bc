"""Issue 19: nothing in a file, or in its name, stops a round.

Each test is one of the failures fuzzing found, on a hand-shaped file: names too long to take a
suffix, names that are not UTF-8, control characters in names and text, FIFOs and links, malformed
attributes, and the command's exit codes and outputs around them. The CLI tests run the real
`imtc` in a subprocess: the workers' stderr and the exit status are what a user gets.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from imtc.extract import extract
from imtc.extract.numbering import Numbering, format_number
from imtc.files import collect, display_name, output_names, safe_file_name
from tests.minidocx import W, p, tbl, tc, tr, write

IMTC = [str(Path(sys.executable).with_name("imtc"))]
GBK_NAME = os.fsdecode("中文申请书".encode("gbk") + b".docx")


def imtc(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*IMTC, *map(str, args)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def small_docx(path: Path, *body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write(path, list(body) or [p("一、产业界定与范围"), p("正文")])


def rows_of(workbook: Path) -> list[tuple]:
    ws = load_workbook(workbook).active
    return [r for r in ws.iter_rows(min_row=2, values_only=True)]


# --- 1. names too long for a suffix -----------------------------------------------------------------


def test_output_names_are_at_most_200_bytes_and_keep_distinct_names_apart() -> None:
    long_a, long_b = "浙" * 81 + "甲.docx", "浙" * 81 + "乙.docx"  # 250 bytes each, legal names
    names = list(output_names([Path(long_a), Path(long_b), Path("a.docx"), Path("A.docx")]))
    assert all(len(n.encode()) <= 200 and n.endswith(".extract.json") for n in names)
    assert names[0] != names[1] and re.fullmatch("浙{59}~[0-9a-f]{8}[.]extract[.]json", names[0])
    assert names[2:] == ["a.docx.extract.json", "A.docx (2).extract.json"]


@pytest.mark.slow  # the real command in a subprocess
def test_a_long_name_gets_its_json_and_the_workbook_keeps_the_full_name(tmp_path: Path) -> None:
    name = "浙江省" * 27 + ".docx"  # 81 Chinese characters: 248 bytes
    small_docx(tmp_path / "in" / name)
    small_docx(tmp_path / "in" / "b.docx")
    out = tmp_path / "out"
    done = imtc("check", tmp_path / "in", "--out", out, "--silent", "--jobs", "1")
    assert done.returncode == 1, done.stderr  # both read: kind-unknown is an error finding
    assert "Traceback" not in done.stderr
    jsons = sorted(out.glob("*.extract.json"))
    assert len(jsons) == 2
    assert {json.loads(j.read_text("utf-8"))["source"]["file"] for j in jsons} == {name, "b.docx"}
    assert [Path(r[0]).name for r in rows_of(out / "summary.xlsx")] == ["b.docx", name]


# --- 2. names that are not UTF-8 --------------------------------------------------------------------


def test_a_gbk_name_is_shown_decoded() -> None:
    assert display_name(GBK_NAME) == "中文申请书.docx"
    assert display_name(os.fsdecode(b"\xff\xfe.docx")) == "\ufffd\ufffd.docx"
    assert safe_file_name(GBK_NAME, ".extract.json") == "中文申请书.docx.extract.json"


@pytest.mark.slow  # the real command in a subprocess
def test_a_gbk_name_is_read_and_shown_decoded_everywhere(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    small_docx(folder / GBK_NAME)
    out = tmp_path / "out"
    done = imtc("check", folder, "--out", out, "--silent", env={"COLUMNS": "400"})  # the path on one line
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    data = json.loads((out / "中文申请书.docx.extract.json").read_text("utf-8"))
    assert data["source"]["file"] == "中文申请书.docx" and data["kind"] == "unknown"
    assert rows_of(out / "summary.xlsx")[0][0].endswith("in/中文申请书.docx")
    assert "中文申请书.docx" in done.stdout


# --- 3. control characters ----------------------------------------------------------------------------


@pytest.mark.slow  # the real command in a subprocess
def test_control_characters_in_a_name_and_in_text_still_give_a_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    sym = '<w:r><w:sym w:font="Wingdings" w:char="F001"/><w:t>浙江省测试</w:t></w:r>'  # XML 1.0 has no &#1;
    small_docx(folder / "a\x01b\x1b[31m.docx", p("一、产业界定与范围"), f"<w:p>{sym}</w:p>")
    out = tmp_path / "out"
    done = imtc("check", folder, "--out", out, "--silent")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (row,) = rows_of(out / "summary.xlsx")
    assert row[0].endswith("/ab[31m.docx")  # the workbook cannot hold control characters
    assert "\x1b" not in done.stdout and "\\x1b" in done.stdout  # shown, never executed
    (js,) = out.glob("*.extract.json")
    assert js.name == "a_b_[31m.docx.extract.json"
    assert json.loads(js.read_text("utf-8"))["source"]["file"] == "a\x01b\x1b[31m.docx"


def test_a_sym_control_character_is_no_text(tmp_path: Path) -> None:
    from imtc.extract.docx_reader import read_docx
    from imtc.extract.limits import Limits
    from imtc.extract.package import open_docx

    f = small_docx(tmp_path / "a.docx", '<w:p><w:r><w:sym w:char="F001"/><w:sym w:char="F0B7"/>'
                   '<w:sym w:char="FFFFFFFF"/><w:sym w:char="zz"/><w:t>x</w:t></w:r></w:p>')
    doc = read_docx(open_docx(f, Limits()))
    assert doc.blocks[0].text == "\u00b7x"
    assert doc.invalid_attributes == ['w:sym char="FFFFFFFF"', 'w:sym char="zz"']


def test_a_failure_while_writing_the_summary_exits_2_not_1(tmp_path: Path, monkeypatch) -> None:
    from typer.testing import CliRunner

    import imtc.cli
    import imtc.summary

    def broken(results, target, reviews=None):  # noqa: ANN001, ANN202
        raise ValueError("cannot write")

    monkeypatch.setattr(imtc.summary, "write_workbook", broken)
    small_docx(tmp_path / "a.docx")
    result = CliRunner().invoke(imtc.cli.app, ["check", str(tmp_path / "a.docx"), "--out", str(tmp_path / "o"),
                                               "--silent"])
    assert result.exit_code == 2
    assert "时程序出错" in result.output and "summary.xlsx" in result.output.replace("\n", "")


# --- 6. malformed attributes ----------------------------------------------------------------------------

BAD_NUMBERING = f"""<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="abc"><w:start w:val="2147483647"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="x"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%2)"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/>
 <w:lvlOverride w:ilvl="99999999999999999999"><w:startOverride w:val="-5"/></w:lvlOverride></w:num>
</w:numbering>"""


def test_malformed_numbering_is_clamped_with_a_warning_and_never_holds_the_reader(tmp_path: Path) -> None:
    f = write(tmp_path / "a.docx", [p("一", num=(1, 0)), p("二", num=(1, 1)),
                                     '<w:p><w:pPr><w:numPr><w:ilvl w:val="²"/><w:numId w:val="1"/></w:numPr></w:pPr>'
                                     '<w:r><w:t>三</w:t></w:r></w:p>'], numbering=BAD_NUMBERING)
    ex = extract(f)
    assert ex.kind == "unknown"
    (warning,) = [x for x in ex.findings if x.code == "attributes-invalid"]
    assert warning.severity == "warning" and "6 处" in warning.message


def test_numbering_start_values_are_bounded() -> None:
    from lxml import etree

    n = Numbering(etree.fromstring(BAD_NUMBERING.encode()))
    assert n.abstracts["0"][0].start == 32767 and n.abstracts["0"][1].start == 1
    assert n.label("1", 0) == "."  # a 20-digit ilvl is level 0; its start -5 is clamped to 0: no Roman numeral…
    assert format_number(2147483647, "upperRoman") == "2147483647"  # …and no 2-million-letter numeral
    assert format_number(3999, "upperRoman") == "MMMCMXCIX"


def test_huge_and_non_numeric_grid_spans_are_bounded(tmp_path: Path) -> None:
    from imtc.extract.docx_reader import read_docx
    from imtc.extract.limits import Limits
    from imtc.extract.package import open_docx

    huge = tc("a").replace("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="4294967296"/></w:tcPr>', 1)
    bad = tc("b").replace("<w:tc>", '<w:tc><w:tcPr><w:gridSpan w:val="2x"/></w:tcPr>', 1)
    row = tr(huge, bad).replace("<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="abc"/></w:trPr>', 1)
    row2 = tr(tc("c")).replace("<w:tr>", '<w:tr><w:trPr><w:gridBefore w:val="99999999"/></w:trPr>', 1)
    f = write(tmp_path / "a.docx", [tbl([row, row2])])
    doc = read_docx(open_docx(f, Limits()))
    grid = doc.blocks[0].grid
    assert len(grid[0]) == 64 and grid[0][0].colspan == 63 and grid[0][63].text == "b"
    assert len(grid[1]) == 64 and grid[1][63].text == "c"
    assert len(doc.invalid_attributes) == 4


# --- 7. FIFOs and links ------------------------------------------------------------------------------------


@pytest.mark.slow  # the real command in a subprocess
def test_every_path_found_gets_a_row_and_links_do_not_lead_out(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    small_docx(folder / "a.docx")
    os.mkfifo(folder / "pipe.docx")
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    outside = small_docx(tmp_path / "secret.docx")
    (folder / "out.docx").symlink_to(outside)
    (folder / "in.docx").symlink_to(folder / "a.docx")
    files, missing = collect([folder])
    assert not missing and [f.name for f in files] == ["a.docx", "gone.pdf", "in.docx", "out.docx", "pipe.docx"]

    out = tmp_path / "out"
    done = imtc("check", folder, "--out", out, "--silent", "--timeout", "60")
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    data = {p.name.removesuffix(".extract.json"): json.loads(p.read_text("utf-8")) for p in out.glob("*.json")}
    assert sorted(data) == ["a.docx", "gone.pdf", "in.docx", "out.docx", "pipe.docx"]
    assert data["in.docx"]["kind"] == "unknown"
    assert [f["code"] for f in data["out.docx"]["findings"]] == ["file-skipped"]
    assert "--follow-links" in data["out.docx"]["findings"][0]["message"]
    assert "不存在" in data["gone.pdf"]["findings"][0]["message"]
    assert "命名管道" in data["pipe.docx"]["findings"][0]["message"]
    assert len(rows_of(out / "summary.xlsx")) == 5

    followed = imtc("check", folder / "out.docx", folder / "a.docx", "--out", tmp_path / "o2", "--silent",
                    "--follow-links")
    assert followed.returncode == 1
    assert json.loads((tmp_path / "o2" / "out.docx.extract.json").read_text("utf-8"))["kind"] == "unknown"


# --- 8. noise ------------------------------------------------------------------------------------------------


@pytest.mark.slow  # the real command in a subprocess
def test_library_warnings_go_to_the_log_not_the_terminal(tmp_path: Path) -> None:
    from tests.minipdf import pdf

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.pdf").write_bytes(pdf(["一、产业界定与范围", "正文"], content_extra=b"/P0 g"))
    out = tmp_path / "out"
    done = imtc("check", tmp_path / "in", "--out", out)
    assert done.returncode == 1
    assert "P0" not in done.stderr and "Cannot set" not in done.stderr
    assert "Cannot set gray" in (out / "imtc.log").read_text("utf-8")


def test_an_internal_error_speaks_chinese_and_keeps_the_technical_text_in_detail(tmp_path: Path,
                                                                                  monkeypatch) -> None:
    import imtc.extract.pipeline as pipeline

    def broken(*args: object) -> None:
        raise OverflowError("int too large to convert")

    monkeypatch.setattr(pipeline, "read_document", broken)
    ex = extract(small_docx(tmp_path / "a.docx"))
    (f,) = ex.findings
    assert f.code == "internal-error" and f.detail == "OverflowError: int too large to convert"
    assert "Overflow" not in f.message and "反馈" not in f.message


@pytest.mark.slow  # the real command in a subprocess
@pytest.mark.parametrize("n", [0, 1])
def test_an_interrupted_check_exits_130_with_what_finished(tmp_path: Path, n: int) -> None:
    """SIGINT to the whole process group (as Ctrl-C does) while a worker sleeps in a slow file."""
    import signal

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        small_docx(folder / f"ok{i}.docx")
    (folder / "slow.docx").write_bytes(b"x")
    code = ("import signal, sys, time, imtc.cli, imtc.service\n"
            "signal.signal(signal.SIGINT, signal.default_int_handler)\n"  # as on a terminal, even in the background
            "started = sys.argv[1]\n"
            "real = imtc.service.check_file_with_document\n"
            "def slow(path, limits=None):\n"
            "    if path.name == 'slow.docx':\n"
            "        open(started, 'w').close(); time.sleep(600)\n"
            "    return real(path, limits)\n"
            "imtc.service.check_file_with_document = slow\n"
            "sys.argv = ['imtc', 'check', sys.argv[2], '--out', sys.argv[3], '--silent', '--jobs', '1']\n"
            "imtc.cli.app()\n")
    started = tmp_path / "started"
    os.mkfifo(started)  # the worker opens it when it starts on slow.docx
    proc = subprocess.Popen([sys.executable, "-c", code, str(started), str(folder), str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    with open(started) as f:
        f.read()
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "已中断" in err
    assert len(rows_of(tmp_path / "out" / "summary.xlsx")) == n
    assert len(list((tmp_path / "out").glob("*.extract.json"))) == n


@pytest.mark.slow  # the real command in a subprocess
def test_a_terminated_check_ends_its_workers_and_exits_130_with_what_finished(tmp_path: Path) -> None:
    """SIGTERM to imtc alone (a service manager, `kill`): it used to end the parent at once, leaving
    its workers (each in a process group of its own) and the round's LibreOffice running."""
    import signal

    folder = tmp_path / "in"
    folder.mkdir()
    small_docx(folder / "ok0.docx")
    (folder / "slow.docx").write_bytes(b"x")
    code = ("import os, sys, time, imtc.cli, imtc.service\n"
            "started = sys.argv[1]\n"
            "real = imtc.service.check_file_with_document\n"
            "def slow(path, limits=None):\n"
            "    if path.name == 'slow.docx':\n"
            "        with open(started, 'w') as f: f.write(str(os.getpid()))\n"
            "        time.sleep(600)\n"
            "    return real(path, limits)\n"
            "imtc.service.check_file_with_document = slow\n"
            "sys.argv = ['imtc', 'check', sys.argv[2], '--out', sys.argv[3], '--silent', '--jobs', '1']\n"
            "imtc.cli.app()\n")
    started = tmp_path / "started"
    os.mkfifo(started)  # the worker writes its pid into it when it starts on slow.docx
    proc = subprocess.Popen([sys.executable, "-c", code, str(started), str(folder), str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    with open(started) as f:
        worker = int(f.read())
    os.kill(proc.pid, signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "已中断" in err
    assert len(rows_of(tmp_path / "out" / "summary.xlsx")) == 1
    assert not _alive(worker)


# --- 4. no LibreOffice left behind --------------------------------------------------------------------

FAKE_SOFFICE = """#!/bin/sh
# stands in for LibreOffice: a helper in the background, then hangs, as soffice.bin does on a bad file
sleep 300 &
echo $! >> "$IMTC_TEST_PIDS"
echo $$ >> "$IMTC_TEST_PIDS"
[ -n "$IMTC_TEST_STARTED" ] && echo started > "$IMTC_TEST_STARTED"
exec sleep 301
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits for a parent


@pytest.mark.slow  # the real command in a subprocess
@pytest.mark.parametrize("how", ["timeout", "ctrl-c"])
def test_a_stopped_conversion_leaves_no_process_and_no_copy(tmp_path: Path, how: str) -> None:
    import signal

    from imtc.extract.package import OLE_MAGIC

    bin_dir, temp, folder = tmp_path / "bin", tmp_path / "temp", tmp_path / "in"
    for d in (bin_dir, temp, folder):
        d.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(FAKE_SOFFICE)
    fake.chmod(0o755)
    (folder / "old.doc").write_bytes(OLE_MAGIC + b"\0" * 600)
    pids, started = tmp_path / "pids", tmp_path / "started"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "TMPDIR": str(temp),
           "IMTC_TEST_PIDS": str(pids)}
    if how == "timeout":
        done = subprocess.run([*IMTC, "check", str(folder), "--out", str(tmp_path / "out"), "--silent",
                               "--timeout", "2"], capture_output=True, text=True, timeout=120, env=env)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        data = json.loads((tmp_path / "out" / "old.doc.extract.json").read_text("utf-8"))
        assert [f["code"] for f in data["findings"]] == ["timeout"]
    else:
        os.mkfifo(started)
        code = ("import signal, sys, imtc.cli\n"
                "signal.signal(signal.SIGINT, signal.default_int_handler)\n"  # as on a terminal
                "sys.argv = ['imtc', 'check', sys.argv[1], '--out', sys.argv[2], '--silent']\n"
                "imtc.cli.app()\n")
        proc = subprocess.Popen([sys.executable, "-c", code, str(folder), str(tmp_path / "out")],
                                env={**env, "IMTC_TEST_STARTED": str(started)}, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        with open(started) as f:
            f.read()
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130 and "Traceback" not in err, err
    started_pids = [int(x) for x in pids.read_text().split()]
    assert len(started_pids) == 2 and not [p for p in started_pids if _alive(p)]
    assert list(temp.iterdir()) == []  # no worker folder, no copy of the document


# --- 5. files Word opens --------------------------------------------------------------------------------


def test_an_empty_pdf_is_called_empty(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"")
    ex = extract(tmp_path / "a.pdf")
    assert ex.kind == "unreadable" and ex.findings[0].message == "文件无法读取：文件为空（0 字节）。请检查文件后重新提交。"


WEB_PAGE = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
            "<title>申请书</title></head><body><h1>一、产业界定与范围</h1><p>本中心服务动力电池产业。</p>"
            "<table border=1><tr><td>序号</td><td>名称</td></tr><tr><td>1</td><td>电池</td></tr></table>"
            "</body></html>")


def mhtml(html: str) -> bytes:
    """A page as Word or a browser saves it "as a single file": MIME, the HTML quoted-printable."""
    import quopri

    body = quopri.encodestring(html.encode("gbk")).decode("ascii")
    return ('MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
            "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
            '------=_NextPart_01\r\nContent-Location: file:///C:/x.htm\r\nContent-Transfer-Encoding: '
            'quoted-printable\r\nContent-Type: text/html; charset="gbk"\r\n\r\n'
            f"{body}\r\n------=_NextPart_01--\r\n").encode("ascii")


@pytest.mark.slow  # LibreOffice
@pytest.mark.parametrize("kind", ["html", "mhtml"])
def test_a_web_page_saved_as_doc_is_read_with_a_note(tmp_path: Path, kind: str) -> None:
    from imtc.extract.limits import Limits
    from imtc.extract.pipeline import extract_file_with_document
    from tests.conftest import need_libreoffice

    need_libreoffice()
    f = tmp_path / "申请书.doc"
    f.write_bytes(WEB_PAGE.encode("gbk") if kind == "html" else mhtml(WEB_PAGE))
    ex, doc = extract_file_with_document(f, Limits())
    assert ex.kind == "unknown" and doc is not None
    texts = [b.text for b in doc.blocks if hasattr(b, "text")]
    assert texts[:2] == ["一、产业界定与范围", "本中心服务动力电池产业。"]
    assert [[c.text for c in row] for row in doc.blocks[2].grid] == [["序号", "名称"], ["1", "电池"]]
    (note,) = [x for x in ex.findings if x.code == "web-page-as-doc"]
    assert note.severity == "info" and ("单个文件网页" if kind == "mhtml" else "网页") in note.message


def read_pdf_bytes(tmp_path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201 - a Document
    """The Document of a PDF, OCR left out (pages it would read stay in pages_without_text)."""
    import imtc.extract.ocr as ocr
    from imtc.extract.limits import Limits
    from imtc.extract.pdf_reader import read_pdf

    monkeypatch.setattr(ocr, "available", lambda: False)
    (tmp_path / "a.pdf").write_bytes(data)
    return read_pdf(tmp_path / "a.pdf", Limits())


def texts_of(doc) -> list[str]:  # noqa: ANN001
    return [b.text for b in doc.blocks if hasattr(b, "text")]


@pytest.mark.parametrize("box", [None, "[0 0 abc]"])
def test_a_pdf_pdfminer_cannot_open_is_read_by_pdfium(tmp_path: Path, box: str | None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.minipdf import pdf

    doc = read_pdf_bytes(tmp_path, pdf(["一、产业界定与范围", "正文"], media_box=box), monkeypatch)
    assert texts_of(doc) == ["一、产业界定与范围正文"]  # as pdfminer reads the undamaged file
    assert doc.pdfium_pages == [1] and doc.pages == 1 and doc.pages_without_text == []
    ex = extract(tmp_path / "a.pdf")
    (f,) = [x for x in ex.findings if x.code == "pdf-damaged"]
    assert f.severity == "warning" and "第 1 页" in f.message


def test_a_page_pdfminer_cannot_parse_goes_to_pdfium_then_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.minipdf import pdf

    good = pdf(["一、产业界定与范围", "正文"], pages=2)
    bad_font = good.replace(b"/DescendantFonts [4 0 R]", b"/DescendantFonts 4")  # a damaged font dictionary
    doc = read_pdf_bytes(tmp_path, bad_font, monkeypatch)
    assert doc.pdfium_pages == [1, 2] and doc.pages_without_text == [1, 2]  # PDFium finds no text: OCR's


def test_an_owner_password_pdf_is_read_as_viewers_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    from tests.minipdf import pdf

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(["一、产业界定与范围", "正文"]))))
    w.encrypt(user_password="", owner_password="secret", permissions_flag=0, algorithm="RC4-128")
    data = io.BytesIO()
    w.write(data)
    doc = read_pdf_bytes(tmp_path, data.getvalue(), monkeypatch)
    assert texts_of(doc) == ["一、产业界定与范围正文"] and doc.pdfium_pages == [1]
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(["x"]))))
    w.encrypt(user_password="open", owner_password="secret", algorithm="RC4-128")
    data = io.BytesIO()
    w.write(data)
    (tmp_path / "b.pdf").write_bytes(data.getvalue())
    assert "已加密" in extract(tmp_path / "b.pdf").findings[0].message


def test_a_broken_trailer_is_a_damaged_file_not_an_internal_error(tmp_path: Path) -> None:
    from tests.minipdf import pdf

    (tmp_path / "a.pdf").write_bytes(pdf(["x"]).replace(b"/Root 1 0 R", b"/Root 9 0 R"))
    ex = extract(tmp_path / "a.pdf")
    assert [f.code for f in ex.findings] == ["file-unreadable"] and "已损坏" in ex.findings[0].message


def test_cid_text_is_no_text_layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.minipdf import pdf

    doc = read_pdf_bytes(tmp_path, pdf(["一、产业界定与范围", "正文"], to_unicode=False, pages=2), monkeypatch)
    assert doc.cid_pages == [1, 2] and doc.pages_without_text == [1, 2] and texts_of(doc) == []
    ex = extract(tmp_path / "a.pdf")
    (f,) = [x for x in ex.findings if x.code == "text-layer-unusable"]
    assert f.severity == "warning" and "第 1、2 页" in f.message and "(cid:" in f.message


def test_a_content_stream_bomb_is_left_to_pdfium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zlib

    from tests.minipdf import assemble

    bomb = zlib.compress(b"0" * (64 << 20), 9)  # 64 KB holding 64 MB: pdfminer took minutes on it
    data = assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                     b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(bomb) + bomb + b"\nendstream"])
    doc = read_pdf_bytes(tmp_path, data, monkeypatch)
    assert doc.pdfium_pages == [1] and doc.pages_without_text == [1]


def test_a_page_neither_reader_can_load_stays_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2

    from tests.minipdf import pdf

    def refuses(*args: object, **kwargs: object) -> None:
        raise pypdfium2.PdfiumError("Failed to load document (PDFium: Success).")

    monkeypatch.setattr(pypdfium2, "PdfDocument", refuses)
    bad_font = pdf(["x"], pages=2).replace(b"/DescendantFonts [4 0 R]", b"/DescendantFonts 4")
    doc = read_pdf_bytes(tmp_path, bad_font, monkeypatch)
    assert doc.pdfium_pages == [1, 2] and doc.pages_without_text == [1, 2]
    monkeypatch.setattr("imtc.extract.ocr.available", lambda: True)
    monkeypatch.setattr("imtc.extract.ocr.engine", lambda: None)
    ex = extract(tmp_path / "a.pdf")
    assert ex.kind == "unknown" and "internal-error" not in [f.code for f in ex.findings]


def test_control_characters_in_a_pdf_text_layer_are_no_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.minipdf import assemble

    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"  # A -> U+0001, B -> U+000B, C -> 中
            b"3 beginbfchar <41> <0001> <42> <000B> <43> <4E2D> endbfchar endcmap\n"
            b"CMapName currentdict /CMap defineresource pop end end")
    content = b"BT /F1 14 Tf 72 760 Td (CACBC) Tj ET"
    doc = read_pdf_bytes(tmp_path, assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"]), monkeypatch)
    assert texts_of(doc) == ["中"]  # (the three 中 share one place: Helvetica has no width for them)
