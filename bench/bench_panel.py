"""Speed of `imtc panel` on the panel samples (tests/panel_samples/): reading each sheet by format,
and a whole panel with its report and workbook.

    python bench/bench_panel.py [--repeat 3]

Prints, best of --repeat runs in this process: the time to read one sheet of each format (.docx,
.doc through LibreOffice, PDF), and run_panel + write_outputs for each sample panel. Nothing is
asserted: the figures are for the README and issue notes.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from imtc.panel.run import read_one, run_panel, write_outputs

ROOT = Path(__file__).resolve().parent.parent
PANELS = ROOT / "tests" / "panel_samples"
ONE = {"docx": "annex5-power-battery-2025/张明-附件5.docx", "doc (LibreOffice)": "annex5-power-battery-2025/王芳-附件5.doc",
       "pdf": "annex5-power-battery-2025/附件5-赵强.pdf"}


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for what, rel in ONE.items():
        print(f"one sheet, {what:18s} {best(lambda rel=rel: read_one(PANELS / rel), args.repeat):6.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for panel in sorted(p for p in PANELS.iterdir() if p.is_dir()):
            n = sum(1 for _ in panel.iterdir())
            t = best(lambda panel=panel: write_outputs(run_panel([panel]), Path(tmp) / panel.name), args.repeat)
            print(f"panel {panel.name} ({n} sheets), report and workbook: {t:6.2f} s")


if __name__ == "__main__":
    main()
