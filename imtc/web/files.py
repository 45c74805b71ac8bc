"""Files that come in over the web: saved under a cap, named safely, typed by their bytes; a round's
zip inspected before anything is unpacked; everything deleted after the retention period.

Layout under the data folder (never served as a folder; every download goes through a route that
checks the token or the desk login):

    tmp/                      uploads being received
    checks/<token>/           an applicant's upload, result.json, score.json, review/
    rounds/<id>/round.zip     a round's zip, until it is unpacked
    rounds/<id>/files/<nnn>/  one submission: the file, result.json, score.json, review/
    rounds/<id>/summary.xlsx
"""

from __future__ import annotations

import logging
import re
import secrets
import shutil
import stat
import time
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import delete, select

from imtc.extract.package import data_kind, sniff_format
from imtc.web.db import Check, Database, DeskSession, Job, LoginLimit, Round, RoundFile, Submission, now
from imtc.web.settings import Settings

log = logging.getLogger("imtc.web")

CHUNK = 1 << 20
ACCEPTED = "仅接受 .docx、.pdf、.doc 或 .wps 文件"
ARCHIVE_SUFFIXES = {".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".cab", ".arj", ".lzh"}
ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd")
JUNK = re.compile(r"(^|/)(__MACOSX/|\.|~\$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*]')


class TooLarge(Exception):
    pass


class Refused(Exception):
    """An upload refused as a whole; the message is Chinese and shown to the user."""


class Busy(Refused):
    """Refused for now: the queue of document work is full (503)."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
ROUND_RE = re.compile(r"^[A-Za-z0-9_-]{12}$")


# --- names and types ----------------------------------------------------------------------------


def safe_stem(name: str) -> str:
    """A file name's stem fit to be shown and stored: its last path part, no control, format or
    reserved characters, no leading dots, at most 80 characters."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = "".join(c for c in stem if unicodedata.category(c)[0] != "C")
    stem = _UNSAFE_CHARS.sub("_", stem)
    stem = " ".join(stem.split()).strip(" ._-")
    return stem[:80].strip() or "文件"


def document_suffix(head: bytes, name: str) -> str | None:
    """The suffix a document is stored under, from its first bytes; the name only tells .doc from
    .wps (both OLE) and a .wps saved in the new format. None: not a kind imtc reads."""
    by_name = Path(name or "").suffix.lower()
    kind = data_kind(head)
    if kind == "rtf":
        return ".doc"
    if kind == "pdf":
        return ".pdf"
    if kind == "ole":
        return by_name if by_name in (".doc", ".wps") else ".doc"
    if kind == "zip":
        return ".wps" if by_name == ".wps" else ".docx"
    return None


def safe_name(head: bytes, name: str) -> str | None:
    suffix = document_suffix(head, name)
    return None if suffix is None else safe_stem(name) + suffix


def copy_capped(src: BinaryIO, target: Path, limit: int) -> int:
    """Copy at most `limit` bytes; TooLarge (and nothing left behind) past that."""
    size = 0
    try:
        with open(target, "xb") as out:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return size


def read_head(path: Path, n: int = 4096) -> bytes:
    with open(path, "rb") as f:
        return f.read(n)


# --- a round's zip ------------------------------------------------------------------------------


@dataclass
class Member:
    info: zipfile.ZipInfo
    name: str  # as decoded, for display
    note: str | None = None  # why it is skipped; None: to be unpacked


def member_name(info: zipfile.ZipInfo) -> str:
    """Names from Chinese Windows are GBK without the zip's UTF-8 flag; Python read them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _unsafe_path(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts


def _skip_reason(info: zipfile.ZipInfo, name: str, settings: Settings) -> str | None:
    if _unsafe_path(name):
        return "路径不安全（含“..”或绝对路径），已跳过"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "是符号链接，已跳过"
    if info.flag_bits & 0x1:
        return "已加密，无法读取，已跳过"
    if Path(name).suffix.lower() in ARCHIVE_SUFFIXES:
        return "是嵌套的压缩包，不予解压，已跳过（请把文件直接放在压缩包中）"
    if info.file_size > settings.max_upload_bytes:
        return f"超过单个文件大小上限（{settings.max_upload_mb:g} MB），已跳过"
    return None


def inspect_zip(path: Path, settings: Settings) -> list[Member]:
    """Read the zip's central directory only: Refused for a file that is no zip, a corrupt one, too
    many entries, or declared sizes that make it a zip bomb. Directories and system files (__MACOSX,
    hidden files, Word's ~$ lock files) are left out; entries that cannot be taken carry a note."""
    if sniff_format(read_head(path)) != "zip":
        raise Refused("上传的文件不是 zip 压缩包")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError):
        raise Refused("zip 压缩包已损坏或格式不受支持") from None
    if len(infos) > settings.max_zip_members:
        raise Refused(f"压缩包内有 {len(infos)} 个条目，超过上限 {settings.max_zip_members} 个")
    declared = sum(i.file_size for i in infos)
    if declared > settings.max_unpacked_bytes:
        raise Refused(f"压缩包解压后共 {declared / (1024 * 1024):.0f} MB，超过上限 "
                      f"{settings.max_unpacked_mb:g} MB（疑似压缩炸弹）")
    for i in infos:
        if i.file_size > CHUNK and i.file_size > settings.max_zip_ratio * max(i.compress_size, 1):
            raise Refused(f"压缩包中“{member_name(i)}”的压缩比异常（疑似压缩炸弹）")
    members = []
    for i in infos:
        name = member_name(i)
        if i.is_dir() or (JUNK.search(name.replace("\\", "/")) and not _unsafe_path(name)):
            continue
        members.append(Member(i, name, _skip_reason(i, name, settings)))
    if not members:
        raise Refused("压缩包中没有文件")
    return members


def unpack_member(zf: zipfile.ZipFile, member: Member, folder: Path) -> tuple[Path | None, str | None]:
    """One entry into `folder` under a safe name: (path, None), or (None, why it was skipped).
    Never more than the declared size is written; the CRC is checked by zipfile on the way."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / ".unpacking"
    try:
        with zf.open(member.info) as src:
            copy_capped(src, tmp, member.info.file_size)
    except TooLarge:
        return None, "实际大小与压缩包声明的不符，已跳过"
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        tmp.unlink(missing_ok=True)
        return None, "在压缩包中已损坏，无法解压，已跳过"
    head = read_head(tmp)
    name = safe_name(head, member.name)
    if name is None:
        tmp.unlink()
        if head.startswith(ARCHIVE_MAGIC):
            return None, "是嵌套的压缩包，不予解压，已跳过"
        return None, f"不是可读取的文件格式（{ACCEPTED}），已跳过"
    target = folder / name
    tmp.replace(target)
    return target, None


# --- retention ----------------------------------------------------------------------------------


def _remove(paths: Iterable[Path]) -> None:
    for p in paths:
        shutil.rmtree(p, ignore_errors=True)


def cleanup(settings: Settings, db: Database) -> int:
    """Delete the checks and rounds older than the retention period (rows and files), unfinished
    uploads older than a day and folders no row names. Returns how many checks and rounds went."""
    cutoff = now() - timedelta(days=settings.retention_days)
    root = settings.data_dir
    with db.session() as s:
        tokens = list(s.scalars(select(Check.token).where(Check.created_at < cutoff)))
        rounds = list(s.scalars(select(Round.id).where(Round.created_at < cutoff, Round.status.in_(
            ("done", "failed")))))
        if tokens:
            s.execute(delete(Check).where(Check.token.in_(tokens)))
        if rounds:
            s.execute(delete(RoundFile).where(RoundFile.round_id.in_(rounds)))
            s.execute(delete(Round).where(Round.id.in_(rounds)))
        s.execute(delete(DeskSession).where(DeskSession.expires_at <= now()))
        s.execute(delete(LoginLimit).where(LoginLimit.window_start < now() - timedelta(days=1)))
        s.execute(delete(Job).where(Job.status == "done", Job.heartbeat_at < now() - timedelta(days=1)))
        s.execute(delete(Submission).where(Submission.created_at < now() - timedelta(days=1)))
    _remove(root / "checks" / t for t in tokens)
    _remove(root / "rounds" / r for r in rounds)
    with db.session() as s:
        known_checks = set(s.scalars(select(Check.token)))
        known_rounds = set(s.scalars(select(Round.id)))
    limit = time.time() - settings.retention_days * 86400
    for folder, known in ((root / "checks", known_checks), (root / "rounds", known_rounds)):
        if folder.is_dir():
            _remove(p for p in folder.iterdir() if p.name not in known and p.stat().st_mtime < limit)
    tmp = root / "tmp"
    if tmp.is_dir():
        for p in tmp.iterdir():
            if p.stat().st_mtime < time.time() - 86400:
                p.unlink(missing_ok=True) if p.is_file() else shutil.rmtree(p, ignore_errors=True)
    if tokens or rounds:
        log.info("retention: deleted %d checks and %d rounds", len(tokens), len(rounds))
    return len(tokens) + len(rounds)
