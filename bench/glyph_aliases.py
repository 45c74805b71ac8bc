"""Which characters Chromium's PDFs name by another code of the same glyph (imtc/extract/text.py _ALIASES).

    python bench/glyph_aliases.py

Prints every GB2312 character (and the symbols of its rows 1-9) in each Noto CJK SC face, 40 to a
line, with Chromium (/usr/bin/chromium, as setup.sh installs it) to PDF, reads the PDF back with
pdfplumber, and lists each character that came back under another code: `printed U+XXXX -> written`.
A study of one producer and its fonts (Skia names a glyph by its lowest Unicode code point), not a
test; the reader's table holds what it found.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

FACES = ("Noto Serif CJK SC", "Noto Sans CJK SC")


def gb2312() -> list[str]:
    out = []
    for hi in [*range(0xA1, 0xAA), *range(0xB0, 0xF8)]:
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def printed(lines: list[str], face: str, path: Path) -> list[str]:
    """The lines as Chromium's PDF gives them back, one string a line."""
    import pdfplumber
    from playwright.sync_api import sync_playwright

    html = (f"<meta charset=utf-8><style>body{{font-family:'{face}';font-size:10pt}}p{{margin:0;white-space:pre}}"
            "</style>" + "".join(f"<p>{ln}</p>" for ln in lines))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.set_content(html)
        page.pdf(path=str(path))
        browser.close()
    got = []
    with pdfplumber.open(path) as pdf:
        for p in pdf.pages:
            rows: dict[int, list] = {}
            for c in p.chars:
                rows.setdefault(round(c["top"]), []).append(c)
            got += ["".join(c["text"] for c in sorted(rows[k], key=lambda c: c["x0"])) for k in sorted(rows)]
    return got


def main() -> None:
    chars = gb2312()
    lines = ["".join(chars[i:i + 40]) for i in range(0, len(chars), 40)]
    found: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for face in FACES:
            got = printed(lines, face, Path(tmp) / "glyphs.pdf")
            if len(got) != len(lines):
                sys.exit(f"{face}: {len(got)} lines read back for {len(lines)} printed")
            for want, have in zip(lines, got, strict=True):
                if len(want) == len(have):
                    found.update({b: a for a, b in zip(want, have, strict=True) if a != b})
    for b, a in sorted(found.items()):
        print(f"{b} U+{ord(b):04X} -> {a} U+{ord(a):04X}")


if __name__ == "__main__":
    main()
