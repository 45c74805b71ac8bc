"""Small hostile .docx fixtures for the untrusted-input rules (DESIGN.md).

    python samples/hostile.py OUTDIR

Every file is written deterministically (fixed zip timestamps) and is at most 600 KB.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import docx

DATE = (2024, 1, 1, 0, 0, 0)
BOMB_MIB = 200  # declared size of the bomb's word/document.xml; ~200 KB on disk
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

XXE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE w:document [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&xxe;&lol9;</w:t></w:r></w:p></w:body></w:document>
""".encode()


def _docx_parts() -> list[tuple[str, bytes]]:
    """The members of a small valid .docx made with python-docx."""
    document = docx.Document()
    document.add_heading("浙江省××产业计量测试中心申请书", level=1)
    document.add_paragraph("一、申请单位基本情况")
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def _write_zip(path: Path, parts: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(_info(name), data)


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def _zip_bomb(path: Path) -> None:
    """A .docx whose word/document.xml is BOMB_MIB MiB of blanks inside a valid start tag."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'.encode()
    blanks = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _docx_parts():
            if name != "word/document.xml":
                zf.writestr(_info(name), data)
        with zf.open(_info("word/document.xml"), "w") as member:
            member.write(head)
            for _ in range(BOMB_MIB):
                member.write(blanks)
            member.write(b"</w:body></w:document>")


def build(outdir: Path) -> list[Path]:
    """Write the hostile fixtures into outdir and return their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    parts = _docx_parts()
    valid = io.BytesIO()
    with zipfile.ZipFile(valid, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(_info(name), data)
    whole = valid.getvalue()

    files: dict[str, bytes | None] = {
        "empty.docx": b"",
        "truncated.docx": whole[: len(whole) // 2],
        "not-a-docx.docx": "浙江省产业计量测试中心申请书\n这是一个改了扩展名的纯文本文件。\n".encode(),
        "fake-pdf.docx": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        "zip-bomb.docx": None,
        "xxe.docx": None,
        "not-word.docx": None,
        "encrypted.docx": bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504),
    }
    paths = []
    for name, data in files.items():
        path = outdir / name
        if data is not None:
            path.write_bytes(data)
        elif name == "zip-bomb.docx":
            _zip_bomb(path)
        elif name == "xxe.docx":
            _write_zip(path, [(n, XXE if n == "word/document.xml" else d) for n, d in parts])
        else:
            _write_zip(path, [("readme.txt", "这不是 Word 文档。".encode())])
        paths.append(path)
    return paths


def build_pdfs(outdir: Path, scans: Path, text_pdf: Path) -> list[Path]:
    """Hostile PDFs into `outdir`, scanned ones into `scans`. `text_pdf` is a text PDF of the samples
    (the blank template's): its first page, rendered to an image, becomes the scanned page."""
    import pypdfium2
    from pypdf import PdfReader, PdfWriter

    outdir.mkdir(parents=True, exist_ok=True)
    files = {
        "text-named.pdf": "浙江省产业计量测试中心申请书\n这是一个改了扩展名的纯文本文件。\n".encode(),
        "broken.pdf": text_pdf.read_bytes()[:3000],
    }
    for name, data in files.items():
        (outdir / name).write_bytes(data)

    # encrypted: a user password is needed to open it
    w = PdfWriter()
    w.add_blank_page(595, 842)
    _pin_id(w)  # the key derives from the ID: pin it first
    import pypdf._encryption as enc  # it draws a random file key; a fixed one gives the same bytes on rebuild

    real = enc.secrets.token_bytes
    enc.secrets.token_bytes = lambda n=16: bytes(range(n))  # type: ignore[assignment]
    try:
        w.encrypt(user_password="imtc-secret", owner_password="imtc-owner", algorithm="RC4-128")
        _write_pdf(w, outdir / "encrypted.pdf")
    finally:
        enc.secrets.token_bytes = real

    # a scanned page: the template's cover rendered at 72 dpi, stored as a grey JPEG image
    page = pypdfium2.PdfDocument(str(text_pdf))[0]
    image = page.render(scale=1).to_pil().convert("L")
    scan = io.BytesIO()
    image.save(scan, "PDF", resolution=72.0)
    scanned = PdfReader(io.BytesIO(scan.getvalue()))
    w = PdfWriter()
    w.add_page(scanned.pages[0])
    scans.mkdir(parents=True, exist_ok=True)
    _write_pdf(w, scans / "scanned.pdf")

    # mixed: the scanned cover, then the text pages of the same document
    w = PdfWriter()
    w.add_page(scanned.pages[0])
    for p in PdfReader(str(text_pdf)).pages[1:]:
        w.add_page(p)
    _write_pdf(w, scans / "mixed-scanned-cover.pdf")
    return [*(outdir / n for n in (*files, "encrypted.pdf")), scans / "scanned.pdf", scans / "mixed-scanned-cover.pdf"]


def _pin_id(writer) -> None:  # noqa: ANN001
    from pypdf.generic import ArrayObject, ByteStringObject

    writer._ID = ArrayObject([ByteStringObject(b"imtc-sample-0000"), ByteStringObject(b"imtc-sample-0000")])


def _write_pdf(writer, path: Path) -> None:  # noqa: ANN001
    """Write with a fixed document ID, so that a rebuild gives the same bytes."""
    if getattr(writer, "_encryption", None) is None:
        _pin_id(writer)
    buf = io.BytesIO()
    writer.write(buf)
    path.write_bytes(buf.getvalue())


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python samples/hostile.py OUTDIR")
    for path in build(Path(sys.argv[1])):
        print(f"{path}  {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
