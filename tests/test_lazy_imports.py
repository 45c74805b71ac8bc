"""Each command loads only what it uses: `imtc rules` and `imtc extract` (in the parent process that
collects, warms the workers, forks and prints) load neither the store, the web, the review documents,
the workbook nor the OCR engine; `imtc extract` of .docx files does not load the PDF reader. Run in a fresh interpreter; the loaded modules are read from sys.modules at exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NOT_FOR_EXTRACT = ("spacy", "sqlalchemy", "psycopg", "fastapi", "starlette", "uvicorn", "docxtpl", "openpyxl",
                   "matplotlib", "cv2", "rapidocr_onnxruntime", "onnxruntime")
NOT_FOR_RULES = (*NOT_FOR_EXTRACT, "spacy", "jinja2", "pdfplumber", "pypdfium2", "docx", "numpy", "lxml")

RUN = """
import atexit, sys
watch = {watch!r}
atexit.register(lambda: sys.stderr.write("LOADED " + " ".join(m for m in watch if m in sys.modules) + "\\n"))
sys.argv = ["imtc", *{args!r}]
from imtc.cli import app
app()
"""


def loaded_by(args: list[str], watch: tuple[str, ...]) -> list[str]:
    """The modules of `watch` that `imtc ARGS` had imported when it exited."""
    proc = subprocess.run([sys.executable, "-c", RUN.format(watch=watch, args=args)],
                          capture_output=True, text=True, timeout=120)
    [line] = [ln for ln in proc.stderr.splitlines() if ln.startswith("LOADED")]
    return line.split()[1:]


def test_rules_loads_no_heavy_library() -> None:
    assert loaded_by(["rules"], NOT_FOR_RULES) == []


def test_the_watch_sees_a_module_that_is_loaded() -> None:
    assert loaded_by(["rules"], ("rich", "typer", "sqlalchemy")) == ["rich", "typer"]


def test_extract_loads_neither_store_web_review_workbook_nor_ocr() -> None:
    assert loaded_by(["extract", str(SAMPLES / "power-battery.docx"), "--json"], (*NOT_FOR_EXTRACT, "pdfplumber")) == []


def test_extract_warms_its_workers() -> None:
    """The parent builds the entities' patterns and, for a PDF, loads the PDF reader before it forks;
    spaCy is not loaded at all (its import alone took about a second)."""
    assert loaded_by(["extract", str(SAMPLES / "pdf" / "power-battery.pdf"), "--json"],
                     ("spacy", "pdfplumber", "imtc.extract.pdf_reader", "imtc.extract.entities", "docxtpl")) == [
        "pdfplumber", "imtc.extract.pdf_reader", "imtc.extract.entities"]
