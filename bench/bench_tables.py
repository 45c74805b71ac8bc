"""Table extraction from the sample PDFs: pdfplumber and camelot on their own, against imtc.

    python bench/bench_tables.py [--repeat 3] [PDF ...]

Files: the sample PDFs that have an expected extraction (samples/pdf/*.expected.json) and table
rows in it; "ruled" are all but smart-pv-ruleless.pdf (the same application printed with every
table border removed), "ruleless" is that one. Pages: the pages where imtc places the rows of
those tables (the same pages for every method).

Methods, each timed best of --repeat on one core, in seconds per page:
  - pdfplumber `page.extract_tables()` (its ruling-based finder), on the table pages;
  - camelot: lattice on ruled files, stream on the ruleless one (its own table detection), on
    the table pages; on the ruleless file also network, and stream told where imtc found each
    table (`table_areas`) and its columns (`columns`), its text lines gathered into imtc's rows;
  - imtc end to end (imtc.pipeline.check_file: read, recognise, validate), per page of the whole file.

Cell accuracy, one formula for all. The truth cells are the non-null field values of the expected
rows (roadmaps' `area` is no column and is left out); a value and a cell are compared as text
with all whitespace removed (numbers as written: 28, 5.6). For a library, whose output is grids
of cell texts, truth row t with fields f_0..f_k in the contract's column order is looked for
among all rows of all grids the library returned on the file's table pages:

    hits(t, g) = #{ j : t[f_j] is not null and g[j] == t[f_j] }      for a grid row g with g[0] == t[f_0]
    found(t)   = max over such g of hits(t, g)   (0 when no row's first cell is the key 序号 / 时间节点)
    accuracy   = sum over t of found(t)  /  sum over t of #{ j : t[f_j] is not null }

that is, the share of truth cells found, as they are, in the right column of one row that holds
the truth row's key in its first column (the right row). For imtc, row i of a table kind is
compared with truth row i of that kind, field by field, over the same denominator.

Also printed: the time imtc's ruleless-table hook (imtc.extract.pdf_stream) takes per page, on
the pages where it found a table and on all others.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RULELESS = "smart-pv-ruleless.pdf"

Grid = list[list[str]]


def squash(v: Any) -> str:
    """A value or cell as compared: text with all whitespace removed; numbers as written."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "".join(str(v).split())


def truth_rows(expected: dict[str, Any]) -> list[list[str | None]]:
    """The expected rows of every table, each as its values in column order (None for null)."""
    out: list[list[str | None]] = []
    for table in expected.get("tables", {}).values():
        for row in table["rows"]:
            out.append([None if v is None else squash(v) for f, v in row.items() if f != "area"])
    return out


def grid_accuracy(truth: list[list[str | None]], grids: list[Grid]) -> tuple[int, int]:
    """(truth cells found in the right row and column of the grids, truth cells): the module docstring's formula."""
    rows = [[squash(c) for c in row] for g in grids for row in g]
    by_key: dict[str, list[list[str]]] = {}
    for r in rows:
        if r:
            by_key.setdefault(r[0], []).append(r)
    found = total = 0
    for t in truth:
        cells = [(j, v) for j, v in enumerate(t) if v is not None]
        total += len(cells)
        found += max((sum(1 for j, v in cells if j < len(g) and g[j] == v) for g in by_key.get(t[0] or "", [])),
                     default=0)
    return found, total


def imtc_accuracy(expected: dict[str, Any], got: dict[str, Any]) -> tuple[int, int]:
    """(truth cells equal in imtc's row of the same index and kind, truth cells)."""
    found = total = 0
    for kind, table in expected.get("tables", {}).items():
        have = got["tables"].get(kind, {}).get("rows", [])
        for i, row in enumerate(table["rows"]):
            for f, v in row.items():
                if f == "area" or v is None:
                    continue
                total += 1
                found += i < len(have) and squash(have[i].get(f)) == squash(v)
    return found, total


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of `repeat` runs, and the last run's result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


# --- the libraries on their own ---------------------------------------------------------------


def pdfplumber_grids(path: Path, pages: list[int]) -> list[Grid]:
    import pdfplumber

    grids: list[Grid] = []
    with pdfplumber.open(str(path)) as pdf:
        for n in pages:
            page = pdf.pages[n - 1]
            grids.extend([[c or "" for c in row] for row in t] for t in page.extract_tables())
            page.close()
    return grids


def camelot_grids(path: Path, pages: list[int], flavor: str, **kwargs: Any) -> list[Grid]:
    import camelot

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = camelot.read_pdf(str(path), pages=",".join(map(str, pages)), flavor=flavor, **kwargs)
    return [[[c.text for c in row] for row in t.cells] for t in tables]


# --- camelot told imtc's table areas and columns --------------------------------------------------


@dataclass
class PageRegions:
    """The ruleless tables imtc found on one page: what camelot is told, and imtc's rows to gather into."""

    number: int
    height: float
    areas: list[str] = field(default_factory=list)  # camelot's "x1,y1,x2,y2" (PDF space, origin bottom left)
    columns: list[str] = field(default_factory=list)  # camelot's "x,x,..." inner column boundaries
    rows: list[list[tuple[float, float]]] = field(default_factory=list)  # per area: each data row's top, bottom


def imtc_regions(path: Path) -> list[PageRegions]:
    """Run imtc's reader once, recording the regions pdf_stream finds on each page."""
    from imtc.extract import pdf_stream
    from imtc.extract.limits import Limits
    from imtc.extract.pdf_reader import read_pdf
    from imtc.extract.tables import header_vocabulary

    found: list[PageRegions] = []
    hook, finder = pdf_stream.add_ruleless_tables, pdf_stream.find_regions

    def add(lines: Any, height: float, number: int, *args: Any) -> Any:
        found.append(PageRegions(number=number, height=height))
        return hook(lines, height, number, *args)

    def find(lines: Any, height: float, open_: Any, vocab: Any) -> Any:
        regions = finder(lines, height, open_, vocab)
        for r in regions:
            edges = r.columns.edges
            spans = [(min(b.top for b in row), max(b.bottom for b in row)) for row in r.rows]
            top, bottom = r.top, max(s[1] for s in spans)
            found[-1].areas.append(f"{edges[0]},{height - top + 1},{edges[-1]},{height - bottom - 1}")
            found[-1].columns.append(",".join(f"{x:.2f}" for x in edges[1:-1]))
            found[-1].rows.append(spans)
        return regions

    pdf_stream.add_ruleless_tables, pdf_stream.find_regions = add, find  # type: ignore[assignment]
    try:
        read_pdf(path, Limits(), header_vocabulary())
    finally:
        pdf_stream.add_ruleless_tables, pdf_stream.find_regions = hook, finder  # type: ignore[assignment]
    return [p for p in found if p.areas]


def _nearest(spans: list[tuple[float, float]], y: float) -> int | None:
    """The row whose extent is nearest to y, None above the first (the header)."""
    if not spans or y < spans[0][0] - 2:
        return None
    return min(range(len(spans)), key=lambda i: 0 if spans[i][0] <= y <= spans[i][1]
               else min(abs(y - spans[i][0]), abs(y - spans[i][1])))


def camelot_in_imtc_regions(path: Path, regions: list[PageRegions]) -> list[Grid]:
    """camelot stream on imtc's areas and columns; each of its text rows gathered into imtc's row
    nearest to it, texts of a cell joined top to bottom."""
    import camelot

    grids: list[Grid] = []
    for pr in regions:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tables = camelot.read_pdf(str(path), pages=str(pr.number), flavor="stream", table_areas=pr.areas,
                                      columns=pr.columns, split_text=True)
        for t, spans in zip(sorted(tables, key=lambda t: -t._bbox[3]), pr.rows, strict=False):
            grid: Grid = [[""] * len(t.cols) for _ in spans]
            for (y_top, y_bottom), cells in zip(t.rows, t.cells, strict=True):
                r = _nearest(spans, pr.height - (y_top + y_bottom) / 2)
                if r is not None:
                    for c, cell in enumerate(cells):
                        grid[r][c] += cell.text
            grids.append(grid)
    return grids


# --- imtc -------------------------------------------------------------------------------------


def imtc_run(path: Path) -> dict[str, Any]:
    from imtc.pipeline import check_file

    return check_file(path).model_dump(mode="json")


def table_pages(got: dict[str, Any]) -> list[int]:
    return sorted({r["location"]["page"] for t in got["tables"].values() for r in t["rows"]
                   if r.get("location", {}).get("page")})


def stream_hook_times(path: Path) -> tuple[float, int, float, int]:
    """Seconds in imtc's ruleless-table hook: on pages where it found a table (and how many), on the others."""
    from imtc.extract import pdf_stream

    hook = pdf_stream.add_ruleless_tables
    with_t, without_t, n_with, n_without = 0.0, 0.0, 0, 0

    def timed(*args: Any) -> Any:
        nonlocal with_t, without_t, n_with, n_without
        t = time.perf_counter()
        out = hook(*args)
        dt = time.perf_counter() - t
        if out.tables:
            with_t, n_with = with_t + dt, n_with + 1
        else:
            without_t, n_without = without_t + dt, n_without + 1
        return out

    pdf_stream.add_ruleless_tables = timed  # type: ignore[assignment]
    try:
        imtc_run(path)
    finally:
        pdf_stream.add_ruleless_tables = hook  # type: ignore[assignment]
    return with_t, n_with, without_t, n_without


# --- the table ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Sums over the files of one group for one method."""

    pages: int = 0
    seconds: float = 0.0
    found: int = 0
    total: int = 0

    def add(self, pages: int, seconds: float, acc: tuple[int, int]) -> None:
        self.pages += pages
        self.seconds += seconds
        self.found += acc[0]
        self.total += acc[1]

    def row(self, group: str, method: str) -> str:
        sp = self.seconds / self.pages if self.pages else 0.0
        acc = 100 * self.found / self.total if self.total else 0.0
        return f"| {group} | {method} | {self.pages} | {sp:.3f} | {acc:.1f}% ({self.found}/{self.total}) |"


def bench_file(pdf: Path, repeat: int, tallies: dict[tuple[str, str], Tally]) -> None:
    import pypdfium2

    expected = json.loads(pdf.with_name(pdf.stem + ".expected.json").read_text("utf-8"))
    truth = truth_rows(expected)
    got = imtc_run(pdf)
    pages = table_pages(got)
    if not truth or not pages:
        return
    group = "ruleless" if pdf.name == RULELESS else "ruled"
    n_all = len(pypdfium2.PdfDocument(str(pdf)))

    def tally(method: str, n: int, seconds: float, acc: tuple[int, int]) -> None:
        tallies.setdefault((group, method), Tally()).add(n, seconds, acc)

    t, grids = best(lambda: pdfplumber_grids(pdf, pages), repeat)
    tally("pdfplumber extract_tables (rulings)", len(pages), t, grid_accuracy(truth, grids))
    flavors = ["stream", "network"] if group == "ruleless" else ["lattice"]
    for flavor in flavors:
        t, grids = best(lambda f=flavor: camelot_grids(pdf, pages, f), repeat)
        tally(f"camelot {flavor}", len(pages), t, grid_accuracy(truth, grids))
    if group == "ruleless":
        regions = imtc_regions(pdf)
        t, grids = best(lambda: camelot_in_imtc_regions(pdf, regions), repeat)
        tally("camelot stream in imtc's areas and columns", len(regions), t, grid_accuracy(truth, grids))
    t, got = best(lambda: imtc_run(pdf), repeat)
    tally("imtc end to end (all pages)", n_all, t, imtc_accuracy(expected, got))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pdfs = args.pdfs or sorted((ROOT / "samples" / "pdf").glob("*.pdf"))
    tallies: dict[tuple[str, str], Tally] = {}
    for pdf in pdfs:
        print(f"  {pdf.name} ...", file=sys.stderr)
        bench_file(pdf, args.repeat, tallies)
    print("| files | method | pages | s/page | cell accuracy |")
    print("|---|---|---|---|---|")
    for (group, method), tally in sorted(tallies.items(), key=lambda kv: kv[0][0] != "ruled"):
        print(tally.row(group, method))
    for pdf in pdfs:
        if pdf.name == RULELESS:
            w, nw, wo, nwo = stream_hook_times(pdf)
            print(f"\nimtc's ruleless-table path on {pdf.name}: {w / max(nw, 1):.4f} s a page on the {nw} pages "
                  f"where it found a table, {wo / max(nwo, 1):.4f} s a page on the {nwo} others")


if __name__ == "__main__":
    main()
