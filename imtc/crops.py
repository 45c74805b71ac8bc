"""Evidence as pictures: a crop of the source page with the rows, cells or paragraphs outlined.

Made only for review output (the HTML review, the web result page), all on this machine:

- a PDF's pages are rendered with pypdfium2, and the boxes come from its Document (rows, cells and
  paragraphs keep their boxes in page points: imtc/extract/blocks.py);
- a .docx/.doc/.wps has no pages of its own: LibreOffice prints it to PDF (headless, in a private
  temporary folder), the PDF reader reads that twin, and each block of the Word Document is found in
  the twin by its text (a table row by its cells' text, a paragraph by its own), then cropped there.

A block that cannot be placed (no box, no page, not found in the twin) gets no crop: the text
evidence stays. `Cropper.crops(block ids)` gives one picture per page, at most `max_pages`, each the
band of the page around the blocks on it, every block outlined.
"""

from __future__ import annotations

import base64
import contextlib
import io
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from imtc import labels
from imtc.extract.blocks import Box, Document, Paragraph, Place, union
from imtc.extract.text import squash

SCALE = 1.5  # pixels per point: 108 dpi
MARGIN = 36.0  # points of page above and below the outlined blocks
PAGE_CACHE = 8  # rendered pages kept while one file's crops are made
MAX_HEIGHT = 420.0  # points: a crop taller than this is cut around its first blocks
OUTLINE = (214, 40, 40)
CONVERT_TIMEOUT_S = 120
MIN_SIMILARITY = 0.85  # a Word row matches a row of its PDF twin whose text is at least this similar


@dataclass
class Crop:
    page: int
    image: bytes  # PNG
    boxes: list[Box] = field(default_factory=list)  # outlined, in page points

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.image).decode("ascii")


class Cropper:
    """Crops of one source file, made on demand; `close()` (or `with`) frees the rendered PDF."""

    def __init__(self, source: Path, doc: Document, fmt: str, max_pages: int = 3) -> None:
        self.doc = doc
        self.max_pages = max_pages
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._pdf: Any = None
        self._twin: Document | None = None
        self._index: dict[str, list[Place]] | None = None
        self._pages: dict[int, tuple[Any, float, float]] = {}  # rendered pages, the last PAGE_CACHE
        self.available = False
        try:
            pdf_path = source if fmt == "pdf" else self._print(source)
            if pdf_path is not None:
                import pypdfium2

                self._pdf = pypdfium2.PdfDocument(str(pdf_path))
                self._twin = doc if fmt == "pdf" else _read_twin(pdf_path)
                self.available = self._twin is not None
        except Exception:  # noqa: BLE001 - no picture is no harm: the text evidence stays
            self.close()

    def __enter__(self) -> Cropper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pdf is not None:
            with contextlib.suppress(Exception):
                self._pdf.close()
            self._pdf = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        self.available = False

    # --- where the blocks are -------------------------------------------------------------------

    def places(self, block_ids: Iterable[str]) -> list[Place]:
        """The places of these blocks on the pages that are rendered (Word blocks: in the PDF twin)."""
        out: list[Place] = []
        for bid in block_ids:
            place = self.doc.place(bid)
            if place is None or _is_table(bid):
                continue
            if self._twin is self.doc:
                if place.page is not None and place.bbox is not None:
                    out.append(place)
                continue
            out += self._in_twin(place)[:1]
        return out

    def _in_twin(self, place: Place) -> list[Place]:
        if self._index is None:
            self._index = _text_index(self._twin) if self._twin is not None else {}
        key = squash(place.text)
        if not key:
            return []
        exact = self._index.get(key)
        if exact:
            return exact
        best, score = None, MIN_SIMILARITY
        for k, places in self._index.items():
            if abs(len(k) - len(key)) > 0.2 * len(key) or k[:2] != key[:2]:
                continue
            r = SequenceMatcher(None, k, key, autojunk=False).ratio()
            if r >= score:
                best, score = places, r
        return best or []

    # --- pictures -------------------------------------------------------------------------------

    def crops(self, block_ids: Iterable[str]) -> list[Crop]:
        """One crop per page (pages in order, at most max_pages) with these blocks outlined."""
        if not self.available:
            return []
        by_page: dict[int, list[Box]] = {}
        for p in self.places(block_ids):
            if p.page is not None and p.bbox is not None and p.bbox not in by_page.get(p.page, []):
                by_page.setdefault(p.page, []).append(p.bbox)
        out = []
        for page in sorted(by_page)[: self.max_pages]:
            try:
                out.append(self._crop(page, by_page[page]))
            except Exception:  # noqa: BLE001 - a page PDFium cannot render gets no picture
                continue
        return out

    def _crop(self, page_no: int, boxes: list[Box]) -> Crop:
        from PIL import Image, ImageDraw

        image, width, height = self._page(page_no)
        image = image.copy()
        around = union(boxes)
        assert around is not None
        top = max(0.0, around[1] - MARGIN)
        bottom = min(height, around[3] + MARGIN, top + MAX_HEIGHT)
        draw = ImageDraw.Draw(image)
        for x0, t, x1, b in boxes:
            draw.rectangle([x0 * SCALE - 2, t * SCALE - 2, x1 * SCALE + 2, b * SCALE + 2], outline=OUTLINE, width=3)
        left, right = max(0.0, around[0] - MARGIN), min(width, around[2] + MARGIN)
        cut = image.crop((int(left * SCALE), int(top * SCALE), int(right * SCALE), int(bottom * SCALE)))
        buf = io.BytesIO()
        # text, paper and the red outline: 16 colours keep it sharp and small; the fast octree keeps the
        # outline's own red exactly, at an eighth of median cut's time
        cut.quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(buf, "PNG")
        return Crop(page=page_no, image=buf.getvalue(), boxes=boxes)

    def _page(self, page_no: int) -> tuple[Any, float, float]:
        """The page rendered (in colour, SCALE pixels a point), its width and height in points."""
        if page_no not in self._pages:
            page = self._pdf[page_no - 1]
            try:
                width, height = page.get_size()
                image = page.render(scale=SCALE).to_pil().convert("RGB")
            finally:
                page.close()
            if len(self._pages) >= PAGE_CACHE:
                self._pages.pop(next(iter(self._pages)))
            self._pages[page_no] = (image, width, height)
        return self._pages[page_no]

    # --- Word documents -------------------------------------------------------------------------

    def _print(self, source: Path) -> Path | None:
        """The Word document printed to PDF by LibreOffice, in a private folder (None: no LibreOffice)."""
        exe = shutil.which("soffice") or shutil.which("libreoffice")
        if exe is None:
            return None
        self._tmp = tempfile.TemporaryDirectory(prefix="imtc-crops-")
        tmp = self._tmp.name
        src = Path(tmp) / ("input" + source.suffix.lower())
        shutil.copyfile(source, src)  # LibreOffice never touches the submitted file
        if (done := _by_shared_office(src, Path(tmp) / "out" / "input.pdf")) is not None:
            return done
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", f"{tmp}/out", str(src)]
        from imtc.extract.convert import end_group, start

        proc = start(cmd, Path(tmp))  # its group recorded: a worker stopped meanwhile leaves nothing behind
        try:
            proc.wait(timeout=CONVERT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            return None
        finally:  # on every exit path (SIGTERM raises here too): the whole group ends
            end_group(proc.pid)
            proc.wait()
        out = Path(tmp) / "out" / "input.pdf"
        return out if out.exists() and out.stat().st_size > 0 else None


def _by_shared_office(src: Path, target: Path) -> Path | None:
    """Printed by the LibreOffice kept running for the round (imtc/extract/office.py), when there is one."""
    from imtc.extract import office
    from imtc.extract.package import Unreadable

    try:
        return office.convert(src, target, CONVERT_TIMEOUT_S, office.PDF)
    except Unreadable:  # it hung on this file: no pictures
        return None


def _is_table(block_id: str) -> bool:
    """A whole table ("t3") is no place to outline: its rows are."""
    return block_id.startswith("t") and "." not in block_id


def _read_twin(pdf: Path) -> Document | None:
    from imtc.extract.limits import Limits
    from imtc.extract.pdf_reader import read_pdf

    return read_pdf(pdf, Limits())


def _text_index(doc: Document) -> dict[str, list[Place]]:
    """Every paragraph and table row of the twin by its text (whitespace removed), in reading order."""
    out: dict[str, list[Place]] = {}
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            if b.bbox is not None:
                out.setdefault(squash(b.text), []).append(Place(b.id, b.page, b.bbox, b.text))
            continue
        for r in range(len(b.grid)):
            place = doc.place(b.row_id(r))
            if place is not None and place.bbox is not None:
                out.setdefault(squash(place.text), []).append(place)
    return out


def cropper_for(source: Path | None, doc: Document | None, fmt: str, max_pages: int = 3) -> Cropper | None:
    """A Cropper for the file `source` and its Document, or None when either is missing."""
    if source is None or doc is None or not Path(source).is_file():
        return None
    c = Cropper(Path(source), doc, fmt, max_pages)
    return c if c.available else None


# --- the review's pictures ------------------------------------------------------------------------

MAX_FINDINGS_WITH_CROPS = 40


def _blocks_of(location: dict[str, Any] | None, document_file: str) -> list[str]:
    """The block ids of a location in this document (one in another file, the previous plan, has none here)."""
    if not location or location.get("file") not in (None, document_file):
        return []
    return [b for b in location.get("blocks") or [] if not _is_table(b)]


def _views(cropper: Cropper, blocks: list[str], caption: str) -> list[dict[str, Any]]:
    return [{"page": c.page, "src": c.data_uri(), "caption": caption.format(page=c.page)}
            for c in cropper.crops(dict.fromkeys(blocks))]


def item_pictures(cropper: Cropper | None, score: dict[str, Any], document_file: str) -> dict[str, list[dict[str, Any]]]:
    """Rubric item key -> crops of the rows and paragraphs its auto-computed value was counted from."""
    out: dict[str, list[dict[str, Any]]] = {}
    if cropper is None:
        return out
    for key, item in score.get("items", {}).items():
        if item.get("basis") != "auto":
            continue
        blocks = [b for e in item.get("evidence", []) for b in _blocks_of(e.get("location"), document_file)]
        if blocks:
            out[key] = _views(cropper, blocks, "原文第 {page} 页（红框：计算所依据的内容）")
    return out


def finding_pictures(cropper: Cropper | None, findings: list[Any], document_file: str) -> list[dict[str, Any]]:
    """Each finding (severity in words, message, location) with crops of where it is located."""
    out = []
    for f in findings:
        loc = f.location.model_dump(mode="json")
        blocks = _blocks_of(loc, document_file)
        crops = (_views(cropper, blocks, "原文第 {page} 页（红框：问题所在位置）")
                 if cropper is not None and blocks and len(out) < MAX_FINDINGS_WITH_CROPS else [])
        out.append({"severity": f.severity, "label": labels.label("severity", f.severity),
                    "message": f.message, "location": loc, "crops": crops})
    return out


def save_pictures(context: dict[str, Any], findings: list[Any], folder: Path) -> None:
    """The review context's pictures as PNG files in `folder` with an index.json (item key -> pictures,
    "code|message" of a finding -> pictures), for pages that may not inline images (the web's)."""
    import json

    index: dict[str, dict[str, list[dict[str, str]]]] = {"items": {}, "findings": {}}
    rows = [r for k in ("rows", "table1_basic", "table1_bonus", "table2") for r in context.get(k, [])]
    named = [("items", r["key"], f"item-{r['key']}", r["crops"]) for r in rows if r.get("crops")]
    named += [("findings", f"{f.code}|{f.message}", f"finding-{i}", v["crops"])
              for i, (f, v) in enumerate(zip(findings, context.get("findings", []), strict=False)) if v["crops"]]
    if not named:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for group, key, stem, crops in named:
        for c in crops:
            name = f"{stem}-p{c['page']}.png"
            (folder / name).write_bytes(base64.b64decode(c["src"].split(",", 1)[1]))
            index[group].setdefault(key, []).append({"name": name, "caption": c["caption"]})
    (folder / "index.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")


def load_pictures(folder: Path, url: str) -> dict[str, dict[str, list[dict[str, str]]]]:
    """save_pictures' index with each picture's address (`url` + "/" + its name); empty when none."""
    import json

    try:
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"items": {}, "findings": {}}
    return {g: {k: [p | {"url": f"{url}/{p['name']}"} for p in v] for k, v in index.get(g, {}).items()}
            for g in ("items", "findings")}


def picture_names(folder: Path) -> set[str]:
    """The names save_pictures wrote in `folder` (nothing else there is ever served)."""
    pics = load_pictures(folder, "")
    return {p["name"] for g in pics.values() for v in g.values() for p in v}
