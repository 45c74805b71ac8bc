"""The fuzz suite: a few hundred damaged and hostile inputs (tests/fuzz_corpus.py, generated here),
plus a FIFO and links, through the real `imtc check --jobs 2`. Whatever the files hold or are called:

- every input gets exactly one row in summary.xlsx and one JSON, each a valid Extraction;
- no traceback, no internal error, no file held until the time limit;
- the exit status is the documented one (2: some files could not be read);
- no process started by the round is left, and no temporary file.

Prints the figures the README quotes (inputs, rows, kinds, peak memory of the largest process).
Slow (minutes): registered in tests/conftest.py SLOW_MODULES.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

from openpyxl import load_workbook

from imtc.files import display_name
from imtc.models import Extraction
from tests.conftest import need_libreoffice
from tests.fuzz_corpus import corpus

IMTC = str(Path(sys.executable).with_name("imtc"))
# Runs imtc and prints the largest resident size among it and every process it waited for (KiB).
MEASURED = ("import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:]).returncode\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(code)\n")


def _with_marker(marker: str) -> list[int]:
    """The processes whose environment carries `marker` (everything the round started inherits it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    state = (entry / "status").read_text().split("State:")[1].split()[0]
                    if state != "Z":
                        found.append(int(entry.name))
            except (OSError, IndexError):
                pass
    return found


def test_a_few_hundred_hostile_inputs_each_get_one_row_and_one_json(tmp_path: Path) -> None:
    need_libreoffice()
    folder, out, temp = tmp_path / "in", tmp_path / "out", tmp_path / "temp"
    for d in (folder, temp):
        d.mkdir()
    names = corpus(folder)
    os.mkfifo(folder / "pipe.docx")
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (tmp_path / "outside.docx").write_bytes((folder / "申请书.docx").read_bytes())
    (folder / "outside.docx").symlink_to(tmp_path / "outside.docx")
    (folder / "inside.docx").symlink_to(folder / "申请书.docx")
    names += ["pipe.docx", "gone.pdf", "outside.docx", "inside.docx"]
    marker = f"IMTC_FUZZ_{uuid.uuid4().hex}"

    done = subprocess.run([sys.executable, "-c", MEASURED, IMTC, "check", str(folder), "--out", str(out),
                           "--jobs", "2", "--timeout", "60", "--silent"],
                          capture_output=True, text=True, timeout=3600,
                          env={**os.environ, "TMPDIR": str(temp), marker: "1", "COLUMNS": "200"})
    *messages, peak_kib = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and messages == [], messages

    rows = list(load_workbook(out / "summary.xlsx").active.iter_rows(min_row=2, values_only=True))
    jsons = sorted(out.glob("*.extract.json"))
    results = [Extraction.model_validate_json(j.read_text("utf-8")) for j in jsons]
    assert len(rows) == len(jsons) == len(names)
    shown = Counter(display_name(n).replace("\x01", "").replace("\x1b", "") for n in names)
    assert Counter(Path(r[0]).name for r in rows) == shown  # the workbook keeps every full name
    assert Counter(r.source.file for r in results) == Counter(display_name(n) for n in names)
    codes = Counter(f.code for r in results for f in r.findings)
    assert codes["internal-error"] == 0 and codes["part-unreadable"] == 0 and codes["timeout"] == 0, [
        (r.source.file, f.detail) for r in results for f in r.findings if f.code in ("internal-error", "timeout")]

    assert _with_marker(marker) == []
    assert list(temp.iterdir()) == []
    kinds = Counter(r.kind for r in results)
    print(f"\nfuzz: {len(names)} inputs, {len(rows)} rows, {len(jsons)} JSON, kinds {dict(kinds)}, "
          f"exit {done.returncode}, peak RSS {int(peak_kib) // 1024} MiB; findings {dict(codes.most_common())}")
    assert json.loads(jsons[0].read_text("utf-8"))["schema_version"]
