"""Tiny hand-made PDFs for tests of one quirk at a time.

    pdf(["一、产业界定与范围", "text"])            one page, a line per string (CJK through a Type0 font)
    pdf(lines, content_extra=b"/P0 g")           extra operators in the page's content stream
    pdf(lines, media_box=None)                    a page without a MediaBox
    pdf(lines, to_unicode=False)                  a font without ToUnicode (Identity ordering): (cid:N) text

Objects are numbered in order and the xref table is exact, so a test can damage one thing at a time.
"""

from __future__ import annotations

import zlib

# Adobe-GB1 through the built-in STSong-Light: no font file needed, pdfminer maps CIDs to Unicode
# by the CMap name (UniGB-UCS2-H), so text reads back; without that encoding name it cannot.


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def content(lines: list[str], extra: bytes = b"") -> bytes:
    ops = [b"BT /F1 14 Tf 16 TL 72 760 Td"]
    for ln in lines:
        ops.append(f"<{_utf16_hex(ln)}> Tj T*".encode())
    ops.append(b"ET")
    if extra:
        ops.append(extra)
    return b"\n".join(ops)


def pdf(lines: list[str], *, content_extra: bytes = b"", media_box: str | None = "[0 0 595 842]",
        to_unicode: bool = True, pages: int = 1, compress: bool = False) -> bytes:
    """A PDF of `pages` identical pages showing `lines`."""
    encoding = "/UniGB-UCS2-H" if to_unicode else "/Identity-H"
    stream = content(lines, content_extra)
    if compress:
        stream = zlib.compress(stream)
    objects: list[bytes] = []
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    box = f"/MediaBox {media_box} " if media_box else ""
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {pages} {box}>>".encode())
    objects.append(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding {encoding} "
                   "/DescendantFonts [4 0 R] >>".encode())
    ordering = b"(GB1) /Supplement 2" if to_unicode else b"(Identity) /Supplement 0"  # Identity: no way back
    objects.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                   b"/CIDSystemInfo << /Registry (Adobe) /Ordering " + ordering + b" >> /DW 1000 >>")
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {6 + 2 * i} 0 R >>".encode())
        filt = b"/Filter /FlateDecode " if compress else b""
        objects.append(b"<< " + filt + b"/Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
                       + b"\nendstream")
    return assemble(objects)


def assemble(objects: list[bytes], trailer_extra: str = "") -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
