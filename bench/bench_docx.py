"""Speed of the .docx path against python-docx's own load-and-read of the same file.

    python bench/bench_docx.py [--pages 60] [--repeat 5]

Builds an application of about --pages pages with the sample builder (the power-battery content,
its prose and table rows repeated), then prints, best of --repeat runs on one core:
  - python-docx: Document(path) and the text of every paragraph and every table cell;
  - imtc: extract + validate (imtc.pipeline.check_file) of the same file;
and their ratio (target: imtc within 2x of python-docx). The page count is LibreOffice's, when
soffice is installed. Nothing is asserted: the figures are for the README and issue notes.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))

import build  # noqa: E402  (the sample builder)
import docx  # noqa: E402

from imtc.pipeline import check_file  # noqa: E402


def scaled_content(factor: int) -> dict:
    content = tomllib.loads((ROOT / "samples" / "content" / "power-battery.toml").read_text("utf-8"))
    content["sections"] = {k: v * factor for k, v in content["sections"].items()}
    content["tables"] = {k: v * factor for k, v in content["tables"].items()}
    return content


def make(path: Path, factor: int) -> None:
    content = scaled_content(factor)
    style = build.Style(merge=("basis", "stage"))
    build.render(build.application_blocks(content, style), "application", style, path, author="bench", title="bench")


def pages(path: Path) -> int | None:
    if not shutil.which("soffice"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/p", "--headless", "--convert-to", "pdf",
                        "--outdir", tmp, str(path)], capture_output=True, timeout=300, check=False)
        pdf = Path(tmp) / (path.stem + ".pdf")
        if not pdf.exists():
            return None
        import pypdfium2

        return len(pypdfium2.PdfDocument(str(pdf)))


def python_docx_read(path: Path) -> int:
    d = docx.Document(str(path))
    n = sum(len(p.text) for p in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                n += len(cell.text)
    return n


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long-application.docx"
        factor = max(1, round(args.pages / 14.3))  # one copy of the power-battery content is about 14.3 pages
        make(path, factor)
        n_pages = pages(path)
        check_file(path)  # warm imports and caches
        baseline = best(lambda: python_docx_read(path), args.repeat)
        ours = best(lambda: check_file(path), args.repeat)
        ex = check_file(path)
        rows = sum(len(t.rows) for t in ex.tables.values())
        print(f"document: {path.stat().st_size / 1024:.0f} KiB, {n_pages or '?'} pages (LibreOffice), "
              f"{rows} table rows, {len(ex.findings)} findings")
        print(f"python-docx load + read every paragraph and cell: {baseline:.3f} s")
        print(f"imtc extract + validate:                         {ours:.3f} s")
        print(f"ratio imtc / python-docx: {ours / baseline:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
