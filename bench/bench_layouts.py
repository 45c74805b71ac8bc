"""Tables of the layout variants (samples/layouts.py) as imtc reads them, per class and half.

    python bench/bench_layouts.py [--seeds 16] [--start 0] [--out bench/out/layouts] [--fresh] [--files]
                                  [--half tune|held|both] [--scans SEED...] [--turned SEED...] [--dpi N]
                                  [--producer chromium] [--template report]

(the README quotes --seeds 32: 16 tuned on, 16 held out)

Generates the variants that are not in --out yet (LibreOffice and reportlab), runs imtc on each
PDF (imtc.pipeline.check_file) and compares its tables with the generator's truth:

- cells F1: a cell is (table kind, row index, field) with a non-null value (roadmaps' `area` left
  out); a hit is an extracted cell equal to the truth's (all whitespace removed, numbers as
  written); precision = hits / extracted cells, recall = hits / truth cells;
- rows exact: tables whose extracted rows equal the truth's rows, every field, in order;
- totals exact: tables with a 合计 in the truth whose total_wan equals it;
- sections: the share of the outline's sections whose status (present, empty, missing) is the truth's;
- as written: the share of truth cells whose extracted text is the truth's with its spaces (runs of
  whitespace as one space): what cells F1 does not see, a space lost or put in where a cell wraps;
- lost: characters of the document its PDF does not draw (LibreOffice's variants: the .docx written
  again, its text's characters counted against the PDF's, digits and spaces left out as page numbers
  add them). LibreOffice leaves a character out of a narrow cell now and then (seed 80: the "M" of
  "MPE" where a centred cell wraps before it); no reader gets it back, and the table's row is not exact.

Printed per class × producer × half (tune: even seeds, held: odd seeds), then per class × half.
--files prints each file's figures, of the tuning half only unless --half says otherwise (the
held-out half is not looked at file by file); --half tune|held also runs only that half's seeds
(--start and --seeds: a study range such as 32..160).
With --scans SEED..., those variants are also printed and scanned back (samples/scans.py) and read
by OCR: class "scan" (ruled tables) or "scan-ruleless"; with --turned SEED..., landscape variants
scanned with their pages fed sideways and upside down (samples/scans.py TURNS), class "scan-turned".
Minutes of CPU a file. --producer chromium (a study option) lays every variant out as an HTML page
printed by Chromium instead of its seed's producer: a third layout engine, never tuned on.
--template report (a study option) lays out the annual report (annex 4, samples/content/report-*.toml,
by seed: layouts.REPORT_CONTENTS) instead of the application, with each seed's same layout draws
(files layout-NNN-<class>-<producer>-report); its tables are the plans and completions (*_plan, *_done).
--dpi N (a study option) scans every one of them at N dpi instead of the
resolution of its half (150 tuning, 200 held out), e.g. to study tuning seeds at the held-out one's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))


def squash(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "".join(str(v).split())


def cells(table: dict[str, Any], keep: Callable[[Any], str] = squash) -> dict[tuple[int, str], str]:
    return {(i, f): keep(v) for i, row in enumerate(table.get("rows", [])) for f, v in row.items()
            if f not in ("area", "location") and v is not None and squash(v)}


def written(v: Any) -> str:
    """A cell as written: numbers as squash() gives them, whitespace runs as one space."""
    return squash(v) if not isinstance(v, str) else " ".join(v.split())


def undrawn(written: str, drawn: str) -> int:
    """How many characters of `written` (a document's text) `drawn` (its PDF's) lacks, one character
    at a time; spaces and digits are not counted (page numbers add digits, a PDF draws spaces or not)."""
    have = Counter(drawn)
    return sum(max(0, n - have[ch]) for ch, n in Counter(written).items() if not ch.isspace() and not ch.isdigit())


def lost(layouts: Any, v: Any, pdf: Path) -> int:
    """Characters of the variant's .docx that its PDF does not draw (0 for reportlab's PDFs, which
    draw their text as given)."""
    if v.producer != "lo-docx":
        return 0
    import re
    import tempfile
    import zipfile
    from xml.sax.saxutils import unescape

    import pdfplumber

    with tempfile.TemporaryDirectory(prefix="imtc-bench-") as tmp:
        src = Path(tmp) / "variant.docx"
        layouts.write_docx(v, layouts.blocks_of(v)[0], src)
        xml = zipfile.ZipFile(src).read("word/document.xml").decode("utf-8")
    with pdfplumber.open(pdf) as doc:
        drawn = "".join(c["text"] for page in doc.pages for c in page.chars)
    return undrawn(unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))), drawn)


def score(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, int]:
    """Counts for one file: hits, extracted and truth cells, exact tables, exact totals."""
    s = defaultdict(int)
    status = {sec["key"]: sec["status"] for sec in got.get("sections", [])}
    s["sections"] = len(expected["sections"])
    s["sections_exact"] = sum(status.get(k) == v for k, v in expected["sections"].items())
    for kind, table in expected.get("tables", {}).items():
        if not table.get("rows"):
            continue
        have = got.get("tables", {}).get(kind, {})
        t, g = cells(table), cells(have)
        s["hits"] += sum(1 for k, v in t.items() if g.get(k) == v)
        tw, gw = cells(table, written), cells(have, written)
        s["written"] += sum(1 for k, v in tw.items() if gw.get(k) == v)
        s["truth"] += len(t)
        s["got"] += len(g)
        s["tables"] += 1
        s["rows_exact"] += t == g and len(table["rows"]) == len(have.get("rows", []))
        if table.get("total_wan") is not None:
            s["totals"] += 1
            s["totals_exact"] += have.get("total_wan") == table["total_wan"]
    return s


def line(label: str, s: dict[str, int]) -> str:
    p = s["hits"] / s["got"] if s["got"] else 0.0
    r = s["hits"] / s["truth"] if s["truth"] else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    sections = s["sections_exact"] / s["sections"] if s["sections"] else 0.0
    return (f"{label:34} {s['files']:5d} {f1:8.4f} {p:7.4f} {r:7.4f} {s['rows_exact']:4d}/{s['tables']:<4d}"
            f" {s['totals_exact']:4d}/{s['totals']:<4d} {sections:8.4f} {s['written'] / max(s['truth'], 1):10.4f}"
            f" {s['lost']:5d}")


def scan_of(layouts: Any, v: Any, out: Path, turned: bool = False, dpi: int | None = None) -> Path:
    """The variant printed and scanned back (layouts.scan: 150 dpi in the tuning half, 200 in the
    held-out one, unless a study's `dpi` says otherwise; `turned`: pages fed sideways); made once."""
    path = out / f"{layouts.scan_name(v, turned, dpi)}.pdf"
    return path if path.exists() else layouts.scan(v, out, turned, dpi)


# what the variants and their scans are made from: variants in --out made by other versions are made again
GENERATOR = ("layouts.py", "build.py", "docxgen.py", "libreoffice.py", "scans.py", "content", "layout")


def clear_if_stale(out: Path, prefix: str = "layout-", sources: tuple[str, ...] = GENERATOR) -> None:
    """Empty `out` of variants (files named prefix…) the generator as it is now would not make (the
    digest of its `sources` in samples/ is kept in out/GENERATOR): a variant is otherwise made only
    when it is not there yet."""
    files = sorted(p for n in sources for p in [ROOT / "samples" / n, *(ROOT / "samples" / n).rglob("*")]
                   if p.is_file())
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()
    mark = out / "GENERATOR"
    if mark.exists() and mark.read_text() == digest:
        return
    for p in out.glob(f"{prefix}*"):
        p.unlink()
    out.mkdir(parents=True, exist_ok=True)
    mark.write_text(digest)


def in_half(v: Any, half: str | None) -> bool:
    """Is the variant run under --half (tune or held: that half's seeds only; both or none: all)?"""
    return half not in ("tune", "held") or v.half == half


def arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=16, help="seeds below this one")
    ap.add_argument("--start", type=int, default=0, help="first seed")
    ap.add_argument("--half", choices=("tune", "held", "both"), default=None,
                    help="run only this half's seeds and print its files (default: both halves run, "
                         "files of the tuning half printed)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "layouts")
    ap.add_argument("--fresh", action="store_true", help="generate every variant again")
    ap.add_argument("--files", action="store_true", help="also print each file's figures")
    ap.add_argument("--scans", type=int, nargs="*", default=[],
                    help="seeds of variants also printed and scanned back (samples/scans.py) and read by OCR")
    ap.add_argument("--turned", type=int, nargs="*", default=[],
                    help="seeds of landscape variants scanned with pages fed sideways and upside down")
    ap.add_argument("--producer", choices=("chromium",), default=None,
                    help="study option: every variant laid out by this producer instead of its seed's "
                         "(chromium: an HTML page printed by Chromium, a layout engine never tuned on)")
    ap.add_argument("--template", choices=("application", "report"), default="application",
                    help="study option: report lays out the annual report (annex 4) instead of the application")
    ap.add_argument("--dpi", type=int, default=None,
                    help="study option: scan every scanned variant at this resolution instead of its half's "
                         "(150 dpi tuning, 200 held out)")
    return ap.parse_args()


def main() -> None:
    args = arguments()
    import layouts

    clear_if_stale(args.out)
    os.environ.setdefault("IMTC_DOCUMENT_CACHE", "off")  # the variants are read once: keep the cache for real work
    from imtc.pipeline import check_file

    groups: dict[tuple[str, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shown = {"tune", "held"} if args.half == "both" else {args.half or "tune"}

    def variant(seed: int) -> Any:
        v = layouts.variant(seed, args.template)
        return replace(v, producer=args.producer) if args.producer else v

    def count(keys: tuple[tuple[str, ...], ...], s: dict[str, int]) -> None:
        for key in keys:
            for k, n in s.items():
                groups[key][k] += n

    for seed in [s for s in range(args.start, args.seeds) if in_half(variant(s), args.half)]:
        v = variant(seed)
        pdf = args.out / f"{v.name}.pdf"
        if args.fresh or not pdf.exists():
            layouts.make(v, args.out)
        expected = json.loads((args.out / f"{v.name}.expected.json").read_text("utf-8"))
        s = score(expected, check_file(pdf).model_dump(mode="json"))
        s["files"], s["lost"] = 1, lost(layouts, v, pdf)
        count(((v.cls, v.producer, v.half), (v.cls, "all", v.half), ("all", "all", v.half)), s)
        if args.files and v.half in shown:
            print(line(v.name, s), file=sys.stderr)
    scanned = [(seed, False) for seed in args.scans] + [(seed, True) for seed in args.turned]
    for seed, turned in [(s, t) for s, t in scanned if in_half(variant(s), args.half)]:
        v = variant(seed)
        pdf = scan_of(layouts, v, args.out, turned, args.dpi)
        expected = json.loads((args.out / f"{v.name}.expected.json").read_text("utf-8"))
        s = score(expected, check_file(pdf).model_dump(mode="json"))
        s["files"] = 1
        cls = "scan-turned" if turned else "scan" if v.ruled else "scan-ruleless"
        count(((cls, v.producer, v.half), (cls, "all", v.half)), s)
        if args.files and v.half in shown:
            print(line(pdf.stem, s), file=sys.stderr)
    print(f"{'class / producer / half':34} {'files':>5} {'cells F1':>8} {'prec':>7} {'recall':>7} "
          f"{'rows exact':>9} {'totals':>9} {'sections':>8} {'as written':>10} {'lost':>5}")
    for key in sorted(groups):
        print(line(" / ".join(key), groups[key]))


if __name__ == "__main__":
    main()
