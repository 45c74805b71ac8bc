"""Which files a round reads, how their names are shown, and what their outputs are called.

Everything here treats names as untrusted, like contents:

- a name that is not UTF-8 (GBK bytes, as unzip gives for a zip made on Chinese Windows) reaches
  Python with surrogate escapes; `display_name` decodes it (UTF-8, then GB18030, a superset of GBK)
  for every output, and `for_terminal` also shows control characters as visible escapes;
- every path named or found gets a row: `collect` returns the files to read and, as `Skipped`
  paths, those it will not read (a dangling link, a link out of the folder), each with why;
  FIFOs and devices are refused by the reader itself, without opening them;
- an output name is always writable (`output_names`): at most NAME_BYTES bytes of UTF-8, shortened
  with a hash of the full name when longer; the workbook keeps the full name.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path, PosixPath

SUFFIXES = {".docx", ".doc", ".wps", ".pdf"}
# NAME_MAX is 255 bytes on every common file system; the atomic writer adds ".<name>.XXXXXXXX.tmp".
NAME_BYTES = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|\u2028\u2029]')


class Skipped(PosixPath):
    """A path found but not read; `why` is the Chinese reason for its row."""

    why: str = ""

    @classmethod
    def because(cls, path: Path, why: str) -> Skipped:
        s = cls(path)
        s.why = why
        return s


def display_name(name: str) -> str:
    """A file name as people should read it: non-UTF-8 bytes decoded as GB18030 (GBK), else shown as �."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", errors="replace")


def display_path(path: Path | str) -> str:
    return display_name(str(path))


def for_terminal(text: str) -> str:
    """Text safe to print: control characters (escape sequences too) shown as \\xNN, never executed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def clean_text(text: str) -> str:
    """Text for JSON, HTML and Word outputs: control characters removed (tab and line breaks kept),
    lone surrogates replaced."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    return text.encode("utf-8", errors="replace").decode("utf-8") if _has_surrogates(text) else text


def _has_surrogates(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def safe_file_name(name: str, suffix: str = "", limit: int = NAME_BYTES) -> str:
    """`name` + `suffix` as a name any file system takes: decoded, unsafe characters as "_", and at
    most `limit` bytes of UTF-8; a longer name is cut and gets "~" and 8 hex digits of its hash."""
    shown = unicodedata.normalize("NFC", display_name(name))
    shown = _UNSAFE_IN_NAME.sub("_", shown).strip() or "_"
    if shown in (".", ".."):
        shown = "_"
    if len((shown + suffix).encode("utf-8")) <= limit:
        return shown + suffix
    tag = "~" + hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    room = limit - len((tag + suffix).encode("utf-8"))
    cut = shown.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return cut + tag + suffix


def output_names(files: Sequence[Path], suffix: str = ".extract.json") -> Iterator[str]:
    """`<file name><suffix>` for each file, always writable; a name met before gets " (2)", " (3)" … ."""
    used: set[str] = set()
    for f in files:
        name, n = safe_file_name(f.name, suffix), 1
        while name.casefold() in used:
            n += 1
            name = safe_file_name(f.name, f" ({n}){suffix}")
        used.add(name.casefold())
        yield name


# --- which files ------------------------------------------------------------------------------


def _hidden(part: str) -> bool:
    return part.startswith((".", "~$"))


def _inside(target: str, root: str) -> bool:
    return target == root or target.startswith(root.rstrip(os.sep) + os.sep)


def found_in(folder: Path, follow_links: bool = False) -> list[Path]:
    """The candidate files under `folder` (recursive, sorted; hidden and ~$ lock files left out).
    Links into sub-folders are not walked; a link that leads nowhere, or out of `folder` (unless
    `follow_links`), comes back as `Skipped`."""
    root = os.path.realpath(folder)
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _hidden(d))
        for name in sorted(filenames):
            if _hidden(name) or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = Path(dirpath) / name
            out.append(_link_checked(path, root, follow_links))
    return out


def _link_checked(path: Path, root: str, follow_links: bool) -> Path:
    if not path.is_symlink():
        return path
    target = os.path.realpath(path)
    if not os.path.exists(target):
        return Skipped.because(path, "是一个链接（快捷方式），但它指向的文件不存在")
    if not follow_links and not _inside(target, root):
        return Skipped.because(path, "是指向所选文件夹之外的链接（快捷方式），为安全起见未读取；如确需读取，请加 --follow-links 选项")
    return path


def collect(paths: Sequence[Path], follow_links: bool = False) -> tuple[list[Path], list[str]]:
    """(the files to read, each once, `Skipped` ones among them; the named paths that do not exist).
    Files named are read as named (a link the user names is followed)."""
    missing = [display_path(p) for p in paths if not os.path.lexists(p)]
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            found.extend(found_in(p, follow_links))
        elif os.path.lexists(p):
            found.append(p)
    return list(dict.fromkeys(found)), missing
