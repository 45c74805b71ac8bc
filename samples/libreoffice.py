"""LibreOffice as the sample builder runs it: its own fonts, a fresh profile, a fixed locale.

LibreOffice lays a document out with whatever fonts fontconfig offers it. Asked for 宋体 or Times
New Roman, it takes the machine's SimSun, WenQuanYi or Liberation Serif when they are installed,
and the PDF twins, the Word 97 twins and the -lo.docx files come out with other bytes. So every
conversion the builder makes runs with

- FONTCONFIG_FILE: samples/layout/fonts.conf filled in here; it includes no system or user
  configuration, accepts exactly the files of FONTS (the packages setup.sh installs) and rejects
  every other font: the machine's other fonts do not exist for LibreOffice, and its font rules
  are the builder's;
- a fresh LibreOffice profile (-env:UserInstallation) in a temporary directory per conversion;
- the C.UTF-8 locale (a zh_CN profile would lay CJK text out with other defaults);

and each PDF it prints is made steady (`steady_pdf`). LibreOffice writes the embedded fonts in an
order that follows their places in memory, and numbers the Type 1 fonts it makes from OpenType CFF
(Noto Sans CJK) in that order (/UniqueID 4100001, 4100002…): with only these fonts, two runs of
the same conversion gave PDFs with the same pages but other bytes (measured: of three full
builds, each had 3 or 4 of the 7 PDF twins differ from another's). So the PDF is written again by
pypdf, objects numbered in the order they are reached from the catalogue, each Type 1 font's
/UniqueID numbered by its name: five full builds since (one of them with extra fonts and a zh_CN
locale) gave the same bytes.

When a font of FONTS is missing the builder refuses to start and names the file and its package.
`environment()` is what the bytes depend on beyond the builder's code (LibreOffice's version, the
fonts' contents, pypdf's version); the builder writes it to samples/built-with.json so that a test
on another machine can tell why its rebuild cannot be byte for byte.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

# The files LibreOffice may use, and the Debian package of each (setup.sh installs them). They are
# the fonts the committed PDFs embed: Noto Sans CJK for CJK text (宋体 falls back to it), DejaVu for
# Latin text (Times New Roman falls back to DejaVu Serif, LibreOffice's UI and heading fonts to DejaVu Sans).
FONTS: dict[str, str] = {
    "NotoSansCJK-Regular.ttc": "fonts-noto-cjk",
    "NotoSansCJK-Bold.ttc": "fonts-noto-cjk",
    "DejaVuSans.ttf": "fonts-dejavu-core",
    "DejaVuSans-Bold.ttf": "fonts-dejavu-core",
    "DejaVuSerif.ttf": "fonts-dejavu-core",
    "DejaVuSerif-Bold.ttf": "fonts-dejavu-core",
}
# Where the package manager puts fonts; the first directory that holds a file wins.
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
LOCALE = "C.UTF-8"

FONTS_CONF = Path(__file__).resolve().parent / "layout" / "fonts.conf"  # @DIRS@ and @ACCEPT@ filled in
EEXEC_KEY = 55665  # Type 1 fonts: the key of the encrypted (eexec) part


class FontsMissing(RuntimeError):
    """A font of FONTS is not installed; the message says which and how to get it."""


def find_fonts(dirs: tuple[Path, ...] = FONT_DIRS) -> dict[str, Path]:
    """Each file of FONTS where it is installed; FontsMissing names those that are not."""
    found: dict[str, Path] = {}
    for d in dirs:
        if d.is_dir():
            for path in sorted(d.rglob("*")):
                if path.name in FONTS and path.name not in found and path.is_file():
                    found[path.name] = path
    missing = [name for name in FONTS if name not in found]
    if missing:
        packages = " ".join(sorted({FONTS[n] for n in missing}))
        where = "、".join(str(d) for d in dirs)
        raise FontsMissing(f"样本生成需要的字体未安装：{'、'.join(missing)}（在 {where} 下未找到）。"
                           f"请运行 bash setup.sh，或 apt-get install {packages}")
    return found


class Session:
    """The builder's fontconfig configuration, made once and removed at exit."""

    def __init__(self, dirs: tuple[Path, ...] = FONT_DIRS) -> None:
        self.fonts = find_fonts(dirs)
        self.root = Path(tempfile.mkdtemp(prefix="imtc-lo-fonts-"))
        atexit.register(shutil.rmtree, self.root, True)
        self.conf = self.root / "fonts.conf"
        self.conf.write_text(fonts_conf(self.fonts), "utf-8")

    def env(self) -> dict[str, str]:
        """The environment LibreOffice runs in: the machine's, with fonts and locale pinned."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("FONTCONFIG_", "FC_", "LC_", "SAL_", "LANG"))}
        return env | {"FONTCONFIG_FILE": str(self.conf), "LANG": LOCALE, "LC_ALL": LOCALE}

    def convert(self, src: Path, target: str, outdir: Path | str, timeout: int = 300) -> None:
        """`soffice --convert-to target` of src into outdir, with a profile of its own."""
        with tempfile.TemporaryDirectory(prefix="imtc-lo-profile-") as profile:
            subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                            target, "--outdir", str(outdir), str(src)],
                           env=self.env(), check=True, timeout=timeout, capture_output=True)

    def environment(self) -> dict:
        """What the LibreOffice-made bytes depend on besides the builder: versions and font contents."""
        version = subprocess.run(["soffice", "--version"], env=self.env(), check=True, timeout=120,
                                 capture_output=True, text=True).stdout.strip()
        fonts = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in sorted(self.fonts.items())}
        from importlib.metadata import version as installed

        return {"libreoffice": version, "fonts": fonts, "pypdf": installed("pypdf")}


def fonts_conf(fonts: dict[str, Path]) -> str:
    """layout/fonts.conf for these font files: their directories scanned, the files themselves
    accepted, every other font rejected. (LibreOffice did not use fonts that fontconfig found
    through symbolic links gathered in a directory of their own, so the files stay where they are.)"""
    dirs = sorted({str(p.parent) for p in fonts.values()})
    return (FONTS_CONF.read_text("utf-8")
            .replace("@DIRS@", "\n  ".join(f"<dir>{escape(d)}</dir>" for d in dirs))
            .replace("@ACCEPT@", "\n      ".join(f"<glob>{escape(str(p))}</glob>" for p in fonts.values())))


def steady_pdf(data: bytes) -> bytes:
    """A PDF of LibreOffice's written again so that its bytes follow from its content alone."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    type1 = {}
    for page in writer.pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile" in descriptor.get_object():
                type1[str(font["/BaseFont"])] = descriptor.get_object()["/FontFile"].get_object()
    for i, name in enumerate(sorted(type1), 1):
        pin_unique_id(type1[name], 4100000 + i)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pin_unique_id(stream, number: int) -> None:  # noqa: ANN001  (a pypdf stream object)
    """Set a Type 1 font program's /UniqueID, in its clear part and in its encrypted part."""
    from pypdf.generic import NameObject, NumberObject

    data = stream.get_data()
    n1, n2 = int(stream["/Length1"]), int(stream["/Length2"])
    unique = b"/UniqueID %d def" % number
    clear = re.sub(rb"/UniqueID \d+ def", unique, data[:n1])
    secret = re.sub(rb"/UniqueID \d+ def", unique, eexec(data[n1:n1 + n2], decrypt=True))
    stream.set_data(clear + eexec(secret, decrypt=False) + data[n1 + n2:])
    stream[NameObject("/Length1")] = NumberObject(len(clear))
    stream[NameObject("/Length2")] = NumberObject(len(secret))


def eexec(data: bytes, decrypt: bool) -> bytes:
    """Type 1's eexec cipher (Adobe Type 1 Font Format, 7.2), one way or the other."""
    r, out = EEXEC_KEY, bytearray()
    for byte in data:
        plain_or_cipher = byte ^ (r >> 8)
        out.append(plain_or_cipher)
        cipher = byte if decrypt else plain_or_cipher
        r = ((cipher + r) * 52845 + 22719) & 0xFFFF
    return bytes(out)


_session: Session | None = None


def session() -> Session:
    """The builder's one Session (made on first use)."""
    global _session
    if _session is None:
        _session = Session()
    return _session
