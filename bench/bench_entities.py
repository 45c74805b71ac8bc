"""Entities on wording imtc has never seen: precision and recall per kind on generated reports.

    python bench/bench_entities.py [--count 40] [--pdf 4] [--show held-out] [--half tuning] [--first-seed N] [--samples]

Writes --count annual reports per half with tests/entity_variants.py (even seeds: the tuning
half, odd seeds: the held-out half) as .docx, --pdf of each half also as text PDFs through
LibreOffice (cached under bench/out/entity_variants/, keyed by the .docx's content), reads each
with imtc's extract pipeline and compares its entities with what the generator wrote:

  - precision / recall per kind (a found entity is right when it is one the generator wrote:
    patents by their digits, standards by code or title, the others by title);
  - levels and categories right, of the found projects and awards (projects: level, category and
    status; awards: level); standards' level and status; papers' index class;
  - the time of read_entities per report (after start-up) and of the whole extraction.

--show HALF prints every miss and every false find of that half. Nothing is asserted: the
figures are for the README. Rules are tuned on the tuning half only: --half tuning writes and reads
that half alone (the held-out figures are not even printed), --first-seed N starts the seeds
elsewhere (an even N past 2 × --count: tuning seeds the rules have not met yet). --samples also
times read_entities on the sample reports and the PDF twin.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import imtc.extract.pipeline as pipeline  # noqa: E402
from imtc.extract.limits import Limits  # noqa: E402
from tests.entity_variants import Tally, half, make_variant, write_docx  # noqa: E402

CACHE = ROOT / "bench" / "out" / "entity_variants"
TIMES: list[float] = []


def _timed_entities() -> None:
    real = pipeline.read_entities

    def timed(*a: Any, **k: Any) -> Any:
        t = time.perf_counter()
        out = real(*a, **k)
        TIMES.append(time.perf_counter() - t)
        return out

    pipeline.read_entities = timed  # type: ignore[assignment]


def content_digest(docx: Path) -> str:
    """The .docx's parts, not its zip bytes: the zip stamps each part with the minute it was written."""
    h = hashlib.sha256()
    with zipfile.ZipFile(docx) as z:
        for name in sorted(z.namelist()):
            h.update(name.encode() + b"\0" + z.read(name) + b"\0")
    return h.hexdigest()[:16]


def to_pdf(docx: Path) -> Path | None:
    digest = content_digest(docx)
    pdf = CACHE / f"{digest}.pdf"
    if pdf.exists():
        return pdf
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", tmp, str(docx)], capture_output=True, timeout=180, check=False)
        out = Path(tmp) / (docx.stem + ".pdf")
        if not out.exists():
            return None
        shutil.copy(out, pdf)
    return pdf


def sample_times(limits: Limits) -> None:
    """read_entities on each sample report (and the PDF twin), after start-up: the median of 5 reads."""
    samples = ROOT / "samples"
    for path in sorted(samples.glob("report-*.docx")) + sorted((samples / "pdf").glob("report-*.pdf")):
        runs = []
        for _ in range(5):
            pipeline.extract_file(path, limits)
            runs.append(TIMES[-1])
        print(f"read_entities {path.relative_to(samples)}: {sorted(runs)[2] * 1000:.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=40, help="reports per half")
    ap.add_argument("--pdf", type=int, default=4, help="reports per half also read as text PDF")
    ap.add_argument("--show", choices=["tuning", "held-out"], default=None)
    ap.add_argument("--half", choices=["tuning", "held-out"], default=None,
                    help="write and read only this half (tune on the tuning half without seeing the other)")
    ap.add_argument("--samples", action="store_true",
                    help="also time read_entities on the sample reports and their PDF twin (median of 5 reads)")
    ap.add_argument("--first-seed", type=int, default=0,
                    help="start the seeds here (fresh tuning seeds: an even number past 2 * the usual --count)")
    args = ap.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    _timed_entities()
    limits = Limits()
    tallies = {h: Tally() for h in ("tuning", "held-out")}
    pdf_tallies = {h: Tally() for h in ("tuning", "held-out")}
    pdf_left = {"tuning": args.pdf, "held-out": args.pdf}
    whole: list[float] = []
    docx_times: list[float] = []
    facts = 0
    halves = [args.half] if args.half else ["tuning", "held-out"]
    for seed in range(args.first_seed, args.first_seed + 2 * args.count):
        h = half(seed)
        if h not in halves:
            continue
        v = make_variant(seed)
        facts += len(v.facts)
        path = CACHE / f"variant-{seed:03d}.docx"
        write_docx(v, path)
        t = time.perf_counter()
        ex = pipeline.extract_file(path, limits)
        whole.append(time.perf_counter() - t)
        docx_times.append(TIMES[-1] if TIMES else 0.0)
        if ex.kind != "annual_report":
            print(f"seed {seed}: read as {ex.kind}", file=sys.stderr)
        tallies[h].add(v, ex, f"[{h} {seed} docx]")
        if pdf_left[h] > 0:
            pdf_left[h] -= 1
            pdf = to_pdf(path)
            if pdf is not None:
                pdf_tallies[h].add(v, pipeline.extract_file(pdf, limits), f"[{h} {seed} pdf]")
    print(f"{len(whole)} reports ({args.count} per half, seeds from {args.first_seed}), {facts} facts; "
          f"PDF twins: {args.pdf} per half\n")
    for h in halves:
        print(tallies[h].table(f"{h} half, .docx"))
        print()
        if args.pdf:
            print(pdf_tallies[h].table(f"{h} half, text PDF"))
            print()
    warm = sorted(docx_times[1:]) if len(docx_times) > 1 else docx_times
    median = warm[len(warm) // 2] * 1000 if warm else 0.0
    print(f"read_entities per report (median after start-up): {median:.1f} ms; "
          f"whole extraction per .docx (median): {sorted(whole)[len(whole) // 2] * 1000:.0f} ms")
    if args.samples:
        sample_times(limits)
    if args.show:
        for t in (tallies[args.show], pdf_tallies[args.show]):
            print("\n".join(t.notes))


if __name__ == "__main__":
    main()
