"""Workers that start warm: everything a worker would build again for each file is built once, in the
parent, before imtc.batch forks it.

A worker is forked per file (imtc/batch.py) and inherits the parent's memory: what the parent has
imported and built — the readers, the templates, the entities' patterns, the rules, the rubrics,
the libraries of the review documents and their pictures — the worker has too, for free. Only what a round's files need is
warmed: the PDF reader when a PDF is among them, scoring and the review documents when the round
scores and writes them. The OCR engine is never warmed: it
is built in the worker that meets a scanned page (rare, and it holds threads that a fork must not
copy). Warming twice costs nothing (every builder is cached).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def warm(files: Iterable[Path] = (), *, score: bool = False, review: bool = False) -> None:
    """Import and build, in this process, what the workers for `files` will use."""
    from imtc.extract import entities, gazetteer, pipeline  # noqa: F401  (the readers and the mapping)
    from imtc.extract.tables import header_vocabulary
    from imtc.templates import families, outline, table_kinds
    from imtc.validate import validate  # noqa: F401  (importing registers the rules)

    entities.config()
    entities.patterns()
    gazetteer.gazetteer()
    header_vocabulary()
    families()
    table_kinds()
    for kind in ("application", "annual_report"):
        outline(kind)
    suffixes = {Path(f).suffix.lower() for f in files}
    if ".pdf" in suffixes:
        import pdfplumber  # noqa: F401

        from imtc.extract import pdf_reader, pdf_stream  # noqa: F401
    if score or review:
        import imtc.score_assist  # noqa: F401  (the rules of annexes 2 and 5)
        from imtc.score_assist import match
        from imtc.score_assist.rubric import load_rubric

        load_rubric("annex2")
        load_rubric("annex5")
        match.settings()
    if review:
        import pdfplumber  # noqa: F401, F811  (the PDF twin of a Word file, for the pictures)
        import pypdfium2  # noqa: F401  (pages rendered for the pictures)
        from PIL import Image, ImageDraw  # noqa: F401

        import imtc.crops  # noqa: F401
        import imtc.review  # noqa: F401  (docxtpl, jinja2, python-docx)
        from imtc.extract import pdf_reader  # noqa: F401, F811


__all__ = ["warm"]
