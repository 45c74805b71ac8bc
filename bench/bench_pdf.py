"""Speed and memory of the PDF path against pdfplumber's own extract_tables on the same pages.

    python bench/bench_pdf.py [--pages 60] [--repeat 3] [PDF ...]

Without PDFs, builds a long application with the sample builder (see bench_docx.py) and has
LibreOffice print it to PDF. For each PDF prints, best of --repeat on one core, seconds per page
for pdfplumber's extract_tables on every page and for imtc's extract + validate (target: within
1.5x), and the peak resident memory of a fresh process that runs imtc on it (target < 150 MB).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def to_pdf(docx: Path, outdir: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{outdir}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(docx)], capture_output=True, timeout=600, check=True)
    return outdir / (docx.stem + ".pdf")


def pdfplumber_tables(path: Path) -> int:
    import pdfplumber

    n = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            n += len(page.extract_tables())
            page.close()
    return n


def peak_rss_mb(path: Path) -> float:
    code = ("import sys; from imtc.pipeline import check_file; check_file(sys.argv[1]); "
            "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from bench_docx import best

    from imtc.pipeline import check_file

    with tempfile.TemporaryDirectory() as tmp:
        pdfs = list(args.pdfs)
        if not pdfs:
            if not shutil.which("soffice"):
                sys.exit("LibreOffice (soffice) is needed to make the benchmark PDF; or name PDFs")
            import bench_docx

            docx = Path(tmp) / "long-application.docx"
            bench_docx.make(docx, max(1, round(args.pages / 14.3)))
            pdfs = [to_pdf(docx, Path(tmp))]
        print(f"{'file':32} {'pages':>5} {'tables':>6} {'pdfplumber s/page':>18} {'imtc s/page':>12} {'ratio':>6} {'peak MB':>8}")
        for pdf in pdfs:
            import pypdfium2

            n = len(pypdfium2.PdfDocument(str(pdf)))
            check_file(pdf)  # warm up
            base = best(lambda p=pdf: pdfplumber_tables(p), args.repeat) / n
            ours = best(lambda p=pdf: check_file(p), args.repeat) / n
            tables = pdfplumber_tables(pdf)
            print(f"{pdf.name[:32]:32} {n:5d} {tables:6d} {base:18.4f} {ours:12.4f} {ours / base:6.2f} {peak_rss_mb(pdf):8.0f}")
    _ = resource  # (peak memory is read in the child process)


if __name__ == "__main__":
    main()
