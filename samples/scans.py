"""Scanned twins of sample PDFs: every page printed, then "scanned" back as an image-only PDF.

    python samples/scans.py PDF_DIR OUT_DIR

Each page of PDF_DIR/<name>.pdf is rendered by pypdfium2 at the twin's resolution in grey, turned
by a small angle (0.5-1°, alternating in sign), softened a little, given grain and speckles
(numpy's generator with a fixed seed per page) and stored as a baseline JPEG in a PDF written
here byte by byte, so the same inputs give the same bytes on every rebuild. Beside each twin its
<twin>.expected.json is the text twin's truth, with the finding that the pages were read by OCR.
With `turned`, pages are fed to the scanner in the other directions too (TURNS, page by page: a
landscape page scanned sideways comes out as a portrait image of text running up or down the page,
one upside down), as a scanned landscape document may be.
The twins live in samples/scans/, not samples/pdf/: OCR is not exact, so tests/test_ocr.py holds
them to a cell F1 floor instead of the exact comparison of tests/test_samples.py.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

# twin name -> (text twin in PDF_DIR, dpi, JPEG quality, seed)
SCANS: dict[str, tuple[str, int, int, int]] = {
    "power-battery-scan": ("power-battery", 150, 28, 20240601),
    "report-power-battery-2025-scan": ("report-power-battery-2025", 150, 28, 20250601),
}
OCR_FINDING = "ocr-pages"
TURNS = (90, 270, 0, 180)  # degrees counter-clockwise that page i of a turned twin is fed at: TURNS[i % 4]


def scan_page(image, seed: int, index: int):  # noqa: ANN001, ANN201  (PIL images; PIL is imported lazily)
    """A clean grey page image -> what a desk scanner makes of it."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng([seed, index])
    angle = float(rng.uniform(0.5, 1.0)) * (1 if index % 2 == 0 else -1)
    turned = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    a = np.asarray(turned, dtype=np.float32) * 0.93 + 10  # paper not quite white, ink not quite black
    a += rng.normal(0.0, 2.0, a.shape).astype(np.float32)  # sensor grain
    dots = rng.random(a.shape) < 0.0001  # dust: dark speckles
    a[dots] = rng.uniform(0, 120, int(dots.sum()))
    grainy = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    return grainy.filter(ImageFilter.GaussianBlur(0.6))  # the scanner's optics


def jpeg(image, quality: int) -> bytes:  # noqa: ANN001
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality, optimize=True, progressive=False)
    return buf.getvalue()


def image_pdf(pages: list[tuple[bytes, int, int, float, float]]) -> bytes:
    """A PDF whose pages are only JPEG images: (data, pixel width, pixel height, points w, points h)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    kids = []
    for data, w, h, pw, ph in pages:
        img = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                  b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, len(data))
                  + data + b"\nendstream")
        draw = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (pw, ph)
        content = add(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject "
                        b"<< /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (tree, pw, ph, img, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = (b"<< /Type /Pages /Count %d /Kids [" % len(kids)
                         + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R /ID [<696d74632d7363616e> <696d74632d7363616e>] >>\n"
              b"startxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def scanned_twin(text_pdf: Path, dpi: int, quality: int, seed: int, turned: bool = False) -> bytes:
    """The text PDF printed and scanned back; `turned`: its pages fed at TURNS' angles."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(text_pdf))
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            pw, ph = page.get_size()
            clean = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            turn = TURNS[i % len(TURNS)] if turned else 0
            if turn:
                clean = clean.rotate(turn, expand=True)
                if turn != 180:
                    pw, ph = ph, pw
            image = scan_page(clean, seed, i)
            pages.append((jpeg(image, quality), image.width, image.height, pw, ph))
            page.close()
    finally:
        doc.close()
    return image_pdf(pages)


def build(pdf_dir: Path, out: Path) -> list[Path]:
    """The scanned twins of SCANS and their truth, into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for twin, (name, dpi, quality, seed) in SCANS.items():
        path = out / f"{twin}.pdf"
        path.write_bytes(scanned_twin(pdf_dir / f"{name}.pdf", dpi, quality, seed))
        truth = json.loads((pdf_dir / f"{name}.expected.json").read_text("utf-8"))
        pairs = {(f["code"], f["section"]) for f in truth["findings"]} | {(OCR_FINDING, None)}
        truth |= {"file": path.name, "text_twin": f"pdf/{name}.pdf", "scan": {"dpi": dpi, "jpeg_quality": quality, "seed": seed},
                  "findings": [{"code": c, "section": s} for c, s in sorted(pairs, key=lambda p: (p[0], p[1] or ""))]}
        (out / f"{twin}.expected.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", "utf-8")
        made.append(path)
    return made


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: python samples/scans.py PDF_DIR OUT_DIR")
    for path in build(Path(sys.argv[1]), Path(sys.argv[2])):
        print(f"{path}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
