"""Whole-process speed of the command line against the libraries underneath (issue 14's targets).

    python bench/bench_speed.py [--repeat 3] [--only docx,pdf,help,doc]

Every figure is the wall time of a whole process started afresh (`imtc …` as a user types it, and
the library doing the same reading in one plain Python process), the two run one after the other,
`--repeat` times, interleaved, so that both see the same load on this shared machine; the ratio is
taken pair by pair and its median printed, with `uptime`'s load before and after. Nothing is
asserted: the figures are for the README and the issue's notes.

- docx: 10 copies of a 56-page application (the sample builder's power-battery content repeated,
  see bench_docx.py): `imtc extract … --json` against python-docx reading every paragraph and cell of
  the same files in one process (target <= 2x);
- pdf: 3 copies of the same application printed to PDF by LibreOffice: `imtc extract … --json`
  against pdfplumber's extract_tables on every page of the same files in one process (target <= 1.3x);
- help: `imtc --help` against `python -c "import pdfplumber"` (target <= 3x);
- doc: 10 copies of samples/legacy/power-battery.doc: `imtc extract … --json` against one soffice
  call converting all 10 to .docx (target <= 1.5x).

Copies are made distinct (no two share a SHA-256) and every imtc run gets an empty document cache,
so nothing is skipped. The peak resident memory is the largest process of the imtc run's tree (its
workers included; for .doc, LibreOffice too), read from wait4().
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "samples"))

PY = sys.executable
IMTC = str(Path(sys.executable).parent / "imtc")

DOCX_READ = """
import sys, docx
n = 0
for f in sys.argv[1:]:
    d = docx.Document(f)
    n += sum(len(p.text) for p in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                n += len(cell.text)
"""

PDF_TABLES = """
import sys, pdfplumber
for f in sys.argv[1:]:
    with pdfplumber.open(f) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.close()
"""


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak resident MB of the largest process in its tree) of one whole process."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd[:4])} …")
    return wall, usage.ru_maxrss / 1024


def fresh_cache_env(tmp: Path) -> Callable[[], dict[str, str]]:
    counter = iter(range(10**6))

    def env() -> dict[str, str]:
        folder = tmp / f"cache-{next(counter)}"
        return {**os.environ, "IMTC_DOCUMENT_CACHE": str(folder)}
    return env


def compare(name: str, ours: Callable[[], list[str]], base: Callable[[], list[str]], repeat: int,
            target: float, env: Callable[[], dict[str, str]] | None = None) -> None:
    mine, theirs, ratios, peaks = [], [], [], []
    for _ in range(repeat):
        b, _ = run(base())
        o, peak = run(ours(), env() if env else None)
        mine.append(o)
        theirs.append(b)
        ratios.append(o / b)
        peaks.append(peak)
    ratio = statistics.median(ratios)
    print(f"{name:6} imtc {statistics.median(mine):7.2f} s   baseline {statistics.median(theirs):7.2f} s   "
          f"ratio {ratio:5.2f} (runs {' '.join(f'{r:.2f}' for r in ratios)}; target <= {target}: "
          f"{'met' if ratio <= target else 'NOT met'})   peak {max(peaks):4.0f} MB", flush=True)


def uptime() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def make_inputs(tmp: Path, parts: set[str]) -> dict[str, list[Path]]:
    import bench_docx
    from bench_round import _vary_docx, _vary_pdf

    out: dict[str, list[Path]] = {}
    if parts & {"docx", "pdf"}:
        master = tmp / "long-application.docx"
        bench_docx.make(master, 4)  # 56 pages (LibreOffice's count)
        out["docx"] = []
        for n in range(10):
            _vary_docx(master, tmp / f"app-{n}.docx", n)
            out["docx"].append(tmp / f"app-{n}.docx")
    if "pdf" in parts:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp), str(master)], capture_output=True, timeout=600, check=True)
        out["pdf"] = []
        for n in range(3):
            _vary_pdf(tmp / "long-application.pdf", tmp / f"app-{n}.pdf", n)
            out["pdf"].append(tmp / f"app-{n}.pdf")
    if "doc" in parts:
        src = (ROOT / "samples" / "legacy" / "power-battery.doc").read_bytes()
        out["doc"] = []
        for n in range(10):
            dst = tmp / f"legacy-{n}.doc"
            dst.write_bytes(src + f"bench copy {n}".encode().ljust(512, b"\0"))
            out["doc"].append(dst)
    return out


def soffice_all(files: list[Path], tmp: Path) -> Callable[[], list[str]]:
    counter = iter(range(10**6))

    def cmd() -> list[str]:
        run_dir = tmp / f"soffice-{next(counter)}"
        return ["soffice", f"-env:UserInstallation=file://{run_dir}/profile", "--headless", "--norestore",
                "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(run_dir / "out"), *map(str, files)]
    return cmd


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="help,docx,pdf,doc")
    args = ap.parse_args()
    parts = set(args.only.split(","))
    print(f"load before: {uptime()} (1, 5, 15 min); {os.cpu_count()} cores; repeat {args.repeat}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="imtc-bench-speed-"))
    try:
        inputs = make_inputs(tmp, parts)
        env = fresh_cache_env(tmp)
        if "help" in parts:
            compare("help", lambda: [IMTC, "--help"], lambda: [PY, "-c", "import pdfplumber"], max(5, args.repeat), 3)
        if "docx" in parts:
            files = list(map(str, inputs["docx"]))
            compare("docx", lambda: [IMTC, "extract", *files, "--json"], lambda: [PY, "-c", DOCX_READ, *files],
                    args.repeat, 2, env)
        if "pdf" in parts:
            files = list(map(str, inputs["pdf"]))
            compare("pdf", lambda: [IMTC, "extract", *files, "--json"], lambda: [PY, "-c", PDF_TABLES, *files],
                    args.repeat, 1.3, env)
        if "doc" in parts:
            files = list(map(str, inputs["doc"]))
            compare("doc", lambda: [IMTC, "extract", *files, "--json"], soffice_all(inputs["doc"], tmp),
                    args.repeat, 1.5, env)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"load after: {uptime()}")


if __name__ == "__main__":
    main()
