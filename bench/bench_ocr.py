"""Speed of reading scanned PDFs (OCR): seconds per scanned page on this machine.

    python bench/bench_ocr.py [--jobs 2] [PDF ...]

Without arguments, the scanned samples (samples/scans/*.pdf). For each PDF, in a fresh process with
one onnxruntime thread (as in an `imtc check` worker): wall and CPU seconds of extract + validate per
page, the engine's start-up, and where the time of one table page goes (render, orientation,
deskew, grid, text detection, recognition). Then all the PDFs at once through `imtc check`'s worker pool (--jobs
workers): wall time against the sum of the single-file times. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ONE = r"""
import json, os, sys, time, resource
t0 = time.perf_counter(); c0 = time.process_time()
from imtc.extract import ocr
ocr.engine()
t1 = time.perf_counter(); c1 = time.process_time()
from imtc.pipeline import check_file
ex = check_file(sys.argv[1])
t2 = time.perf_counter(); c2 = time.process_time()
print(json.dumps({"pages": ex.source.pages, "ocr_pages": len(ex.source.ocr_confidence or {}),
                  "engine_s": t1 - t0, "wall_s": t2 - t1, "cpu_s": c2 - c1,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

STAGES = r"""
import json, sys, time
import cv2, numpy as np, pypdfium2
from imtc.extract import ocr
eng = ocr.engine()
pdf = pypdfium2.PdfDocument(sys.argv[1]); page = pdf[int(sys.argv[2])]
out = {}
def step(name, f):
    c = time.process_time(); r = f(); out[name] = time.process_time() - c; return r
grey, k = step("render", lambda: ocr.render(page)); dpi = 72 / k
from imtc.extract import ocr_layout
grey = step("orientation", lambda: ocr_layout.upright(grey, ocr.binarize(grey, dpi), dpi)[0])
def deskew():
    b = ocr.binarize(grey, dpi); a = ocr.skew_angle(b); return ocr.rotate(grey, a, 255)
grey = step("deskew", deskew)
binary = ocr.binarize(grey, dpi)
grids = step("grid", lambda: ocr.find_grids(binary, dpi))
rules = ocr._grid_rules(binary, dpi, grids)
h, w = grey.shape; f = min(1.0, ocr.DET_SIDE / max(h, w))
small = cv2.resize(grey, (int(w * f), int(h * f)), interpolation=cv2.INTER_AREA)
step("detection", lambda: eng.text_det(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)))
boxes = step("detection+recognition", lambda: ocr.recognise(grey, grids, rules))
out["recognition"] = out.pop("detection+recognition") - out["detection"]
out["lines"] = len(boxes); out["chars"] = sum(len(b.text) for b in boxes)
print(json.dumps(out))
"""


def run(code: str, *args: str) -> dict:
    env = dict(os.environ, IMTC_OCR_THREADS="1")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--page", type=int, default=8, help="0-based page for the per-stage split (a table page)")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "samples" / "scans").glob("*.pdf"))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work on the machine slows wall times)")
    print(f"{'file':34} {'pages':>5} {'engine s':>8} {'wall s/page':>11} {'cpu s/page':>10} {'peak MB':>7}")
    single = 0.0
    for pdf in pdfs:
        r = run(ONE, str(pdf))
        single += r["wall_s"]
        n = max(1, r["ocr_pages"])
        print(f"{pdf.name:34} {r['pages']:>5} {r['engine_s']:>8.2f} {r['wall_s'] / n:>11.2f} {r['cpu_s'] / n:>10.2f} {r['peak_mb']:>7.0f}")
    s = run(STAGES, str(pdfs[0]), str(args.page))
    print(f"\none table page ({pdfs[0].name}, page {args.page + 1}: {s.pop('lines')} text lines, {s.pop('chars')} characters), CPU s:")
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in s.items()))

    sys.path.insert(0, str(ROOT))
    from imtc import batch
    from imtc.pipeline import check_file

    os.environ.pop("IMTC_OCR_THREADS", None)
    t = time.perf_counter()
    for _ in batch.run(pdfs, check_file, jobs=args.jobs):
        pass
    wall = time.perf_counter() - t
    print(f"\nall {len(pdfs)} files through imtc check's pool, {args.jobs} workers (1 OCR thread each): {wall:.1f} s "
          f"wall; one after another {single:.1f} s; ratio {wall / single:.2f}")


if __name__ == "__main__":
    main()
