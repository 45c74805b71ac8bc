"""The intake desk's round on 2 cores: `imtc check FOLDER --review` over 100 mixed submissions.

    python bench/bench_round.py [--files 100] [--jobs 2] [--keep]

Makes a temporary folder of real submissions — copies of the bundled samples' .docx, .pdf, .doc and
.wps, each made distinct so that no two share a SHA-256 (a .docx gets its own docProps/core.xml
description, a .pdf its own /Subject through pypdf, a legacy .doc/.wps one more 512-byte sector
after its last, holding the copy's number, which Word and LibreOffice ignore) — and prints:

1. the machine's own parallel ceiling: two busy CPU loops at once against one alone;
2. the single-file times: every file read, checked, scored and its review documents written, one
   file at a time, each in a worker process of its own as the round does it (imtc/batch.py);
3. the round itself on `--jobs` cores: wall time, the summed CPU time of its workers (and their
   LibreOffice children), and how busy the cores were.

Target (DESIGN.md): both cores busy, the round's wall time about half the summed single-file times.

    python bench/bench_round.py --against DIR [--repeat 2] [--files 100] [--jobs 2]

compares instead two versions of imtc on the same round, each as a whole process (`imtc check FOLDER
--review --silent`, an empty document cache, output folder and store each time), run one after the
other `--repeat` times so that both see the same load on a shared machine: this tree, and the one in
DIR (e.g. `git archive main | tar -x -C DIR`, run through PYTHONPATH). It prints each run's wall time,
the CPU time of its whole process tree (workers and LibreOffice) and the ratio of the walls, pair
by pair (issue 14's target: this tree's round at most half of DIR's).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import multiprocessing as mp
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imtc import batch  # noqa: E402
from imtc.cli.round import review_round  # noqa: E402
from imtc.models import Extraction  # noqa: E402
from imtc.pipeline import check_file, crashed  # noqa: E402
from imtc.review import write_review  # noqa: E402
from imtc.score_assist import read_texts, rubric_for, score  # noqa: E402

SAMPLES = ROOT / "samples"


def sources() -> list[Path]:
    """The bundled real submissions: .docx (applications, annual reports, their defect variants),
    the PDF twins, the legacy .doc/.wps; the deliberately hostile files are left out."""
    groups = [sorted(SAMPLES.glob("*.docx")), sorted((SAMPLES / "pdf").glob("*.pdf")),
              sorted(p for p in (SAMPLES / "legacy").iterdir() if p.suffix in (".doc", ".wps"))]
    # interleaved in proportion, so that any first N files are a mix of the formats
    ranked = [((i + 0.5) / len(g), k, p) for k, g in enumerate(groups) for i, p in enumerate(g)]
    return [p for _, _, p in sorted(ranked)]


def _vary_docx(src: Path, dst: Path, n: int) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                note = f"<dc:description>bench copy {n}</dc:description>"
                text = re.sub(r"<dc:description>.*?</dc:description>|<dc:description/>", "", text)
                if "xmlns:dc=" not in text:
                    text = text.replace("<cp:coreProperties ", '<cp:coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" ', 1)
                data = text.replace("</cp:coreProperties>", note + "</cp:coreProperties>").encode("utf-8")
            zout.writestr(info, data)


def _vary_pdf(src: Path, dst: Path, n: int) -> None:
    try:
        from pypdf import PdfReader, PdfWriter
    except ImportError:  # pypdf is a dev dependency; without it, an incremental comment after %%EOF
        dst.write_bytes(src.read_bytes() + f"\n% bench copy {n}\n".encode())
        return
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.add_metadata({"/Subject": f"bench copy {n}"})
    buf = io.BytesIO()
    writer.write(buf)
    dst.write_bytes(buf.getvalue())


def make_round(folder: Path, count: int) -> list[Path]:
    srcs = sources()
    files = []
    for n in range(count):
        src = srcs[n % len(srcs)]
        dst = folder / f"{n:03d}-{src.name}"
        if src.suffix == ".docx":
            _vary_docx(src, dst, n)
        elif src.suffix == ".pdf":
            _vary_pdf(src, dst, n)
        else:
            dst.write_bytes(src.read_bytes() + f"bench copy {n}".encode().ljust(512, b"\0"))
        files.append(dst)
    return files


def _spin(_: int) -> float:
    t = time.perf_counter()
    x = 0
    for i in range(15_000_000):
        x += i
    return time.perf_counter() - t


def calibrate(jobs: int) -> float:
    """Speed-up of `jobs` busy loops run together over one alone (2.0 on two free cores)."""
    ctx = mp.get_context("fork")
    with ctx.Pool(1) as pool:
        one = pool.map(_spin, [0])[0]
    with ctx.Pool(jobs) as pool:
        t = time.perf_counter()
        pool.map(_spin, range(jobs))
        together = time.perf_counter() - t
    return jobs * one / together


def _machine() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat (other tenants included)."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + fields[4]  # idle, iowait
    total = sum(fields[:8])
    return (total - idle) / 100, total / 100  # USER_HZ ticks


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def single_file_times(files: list[Path], scratch: Path) -> list[float]:
    """One file at a time, each in a worker of its own: check, score, review documents."""
    times_dir = scratch / "times"
    times_dir.mkdir(parents=True)
    index = {f: i for i, f in enumerate(files)}

    def work(path: Path) -> Extraction:
        t = time.perf_counter()
        ex = check_file(path)
        if rubric_for(ex.kind) is not None and not crashed(ex):
            texts = read_texts(path, ex.kind)
            write_review(ex, score(ex, texts=texts), scratch / "docs" / path.name, texts=texts)
        (times_dir / f"{index[path]}.json").write_text(json.dumps(time.perf_counter() - t))
        return ex

    for _ in batch.run(files, work, jobs=1):
        pass
    return [json.loads((times_dir / f"{i}.json").read_text()) for i in range(len(files))]


def quiet_round(files: list[Path], tmp: Path, jobs: int) -> int:
    """review_round as `imtc check --review --silent` runs it, its summary table sent to /dev/null."""
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null), contextlib.redirect_stderr(null):
        return review_round(files, tmp / "out", jobs=jobs, timeout=300, silent=True, db=str(tmp / "store.sqlite"))


def whole_round(files: list[Path], tmp: Path, jobs: int, tree: Path | None) -> tuple[float, float]:
    """(wall s, CPU s of the whole process tree) of `imtc check FOLDER --review` in a process of its own,
    run from `tree` (None: this one), with an empty document cache, output folder and store."""
    run = Path(tempfile.mkdtemp(prefix="run-", dir=tmp))
    env = {**os.environ, "IMTC_DOCUMENT_CACHE": str(run / "cache")}
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    cmd = [sys.executable, "-c", "import sys; from imtc.cli import app; sys.argv[0] = 'imtc'; app()",
           "check", str(files[0].parent), "--review", "--silent", "--jobs", str(jobs),
           "--out", str(run / "out"), "--db", str(run / "store.sqlite"), "--timeout", "300"]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp)
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    shutil.rmtree(run, ignore_errors=True)
    return wall, usage.ru_utime + usage.ru_stime


def against(files: list[Path], tmp: Path, jobs: int, other: Path, repeat: int) -> None:
    ratios = []
    for n in range(repeat):
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        old, old_cpu = whole_round(files, tmp, jobs, other)
        new, new_cpu = whole_round(files, tmp, jobs, None)
        ratios.append(new / old)
        print(f"run {n + 1} (load {load}): {other}: wall {old:.1f} s, CPU {old_cpu:.1f} s "
              f"({old_cpu / old:.2f} cores busy) | this tree: wall {new:.1f} s, CPU {new_cpu:.1f} s "
              f"({new_cpu / new:.2f} cores busy) | ratio {new / old:.2f}", flush=True)
    print(f"median ratio this tree / {other}: {statistics.median(ratios):.2f} (target <= 0.50)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    ap.add_argument("--against", type=Path, help="another imtc tree to compare with, whole process against whole process")
    ap.add_argument("--repeat", type=int, default=2, help="with --against: the number of pairs of runs")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="imtc-bench-round-"))
    try:
        (tmp / "round").mkdir()
        files = make_round(tmp / "round", args.files)
        kinds = {}
        for f in files:
            kinds[f.suffix] = kinds.get(f.suffix, 0) + 1
        print(f"round: {len(files)} files ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))}), "
              f"{len({hashlib.sha256(f.read_bytes()).hexdigest() for f in files})} distinct contents; jobs = {args.jobs}")

        if args.against:
            against(files, tmp, args.jobs, args.against.resolve(), args.repeat)
            return
        ceiling = calibrate(args.jobs)
        print(f"machine: {args.jobs} busy loops together run {ceiling:.2f}x one alone (the parallel ceiling here)")

        t = time.perf_counter()
        singles = single_file_times(files, tmp / "single")
        single_wall = time.perf_counter() - t
        total = sum(singles)
        print(f"single-file times: sum {total:.1f} s, median {statistics.median(singles):.2f} s, "
              f"max {max(singles):.2f} s (one at a time: {single_wall:.1f} s wall)")

        cpu0, m0, t = _children_cpu(), _machine(), time.perf_counter()
        code = quiet_round(files, tmp, args.jobs)
        wall = time.perf_counter() - t
        cpu = _children_cpu() - cpu0
        m1 = _machine()
        cores = os.cpu_count() or 1
        machine_busy = (m1[0] - m0[0]) / (m1[1] - m0[1]) * cores if m1[1] > m0[1] else float("nan")
        reviews = sum(1 for _ in (tmp / "out" / "review").iterdir())
        print(f"round (imtc check --review, --jobs {args.jobs}): wall {wall:.1f} s, exit {code}, "
              f"{reviews} review folders; workers' CPU {cpu:.1f} s -> {cpu / wall:.2f} cores busy on average")
        print(f"the whole machine ({cores} cores) was {machine_busy:.2f} cores busy during the round "
              f"(the round's workers {cpu / wall:.2f}, other tenants the rest)")
        print(f"wall / (sum of single-file times / {args.jobs}) = {wall / (total / args.jobs):.2f} "
              f"(1.00 = perfect use of {args.jobs} free cores)")
        print(f"speed-up over one file at a time: {total / wall:.2f}x; "
              f"busy loops after the round: {calibrate(args.jobs):.2f}x")

        t = time.perf_counter()
        quiet_round(files, tmp, args.jobs)
        print(f"second run (everything done before, skipped by SHA-256): {time.perf_counter() - t:.1f} s")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
