"""How long the register takes on a bureau-sized store: N centers × Y years of annual reports
(copies of the sample extractions under new center names and hashes), on SQLite or PostgreSQL.

    python bench/bench_register.py [--centers 100] [--years 5] [--db URL]

Prints the time to record the documents, to list every center (`imtc centers`), to list those due,
one center with its figures (`imtc center`, each year scored against its previous plan), its chart,
and the register workbook (figures of every center).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from imtc.pipeline import check_file
from imtc.register.records import Register
from imtc.register.service import center_report, chart, export, listing
from imtc.store import Store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - t:.2f} s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--centers", type=int, default=100)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    app = check_file(SAMPLES / "power-battery.docx")
    reports = [check_file(SAMPLES / f"report-power-battery-{y}.docx") for y in (2024, 2025)]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        with Store(url) as store:
            reg = Register(store)

            def record() -> None:
                for c in range(args.centers):
                    name = f"浙江省测试{c:03d}产业计量测试中心"
                    ex = app.model_copy(deep=True)
                    ex.meta.center_name, ex.source.sha256 = name, f"a{c:063d}"
                    store.record(ex)
                    for y in range(args.years):
                        r = reports[y % 2].model_copy(deep=True)
                        r.meta.center_name, r.meta.report_year = name, 2020 + y
                        r.meta.submitted_on, r.source.sha256 = f"{2020 + y}-11-20", f"r{c:04d}{y:059d}"
                        store.record(r)
                    reg.add_status(name, "建设中", "2019-12-01")

            n = args.centers * (args.years + 1)
            timed(f"record {n} documents of {args.centers} centers", record)
            day = date(2025, 12, 10)
            views = timed("list every center", lambda: listing(store, day, 2025).centers)
            due = timed("list those due", lambda: listing(store, day, 2025, due_only=True).centers)
            print(f"  {len(views)} centers, {len(due)} due")
            report = timed(f"one center with its figures ({args.years} years)",
                           lambda: center_report(store, views[0].name, day))
            timed("its chart", lambda: chart(report))
            timed("the register workbook", lambda: export(store, Path(tmp) / "register.xlsx", day, 2025))


if __name__ == "__main__":
    main()
