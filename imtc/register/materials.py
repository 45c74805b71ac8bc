"""Application packages (管理办法第八条): a center's folder or zip holds 申请推荐文件, the 申请书
(附件1) and the local government's 配套支持文件. Each file is classified by its content — the
words of its title, the issuing body in its last lines, the text beside 公章/盖章 (where the text
layer or OCR gives it), scored as imtc/templates/materials.toml says — and what is missing becomes a
finding. The 申请书 is what imtc's extraction recognises as an application.
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel

from imtc.findings import (
    KIND_UNKNOWN,
    PACKAGE_APPLICATION_MISSING,
    PACKAGE_FILE_UNCLASSIFIED,
    PACKAGE_MEMBER,
    PACKAGE_RECOMMENDATION_DIRECT,
    PACKAGE_RECOMMENDATION_MISSING,
    PACKAGE_SUPPORT_MISSING,
)
from imtc.models import Extraction, Finding

HEAD_LINES, TAIL_LINES, MIN_SCORE = 5, 8, 4
SEAL_WORDS = ("公章", "盖章", "印章", "（章）", "(章)")
ROLE_LABELS = {"recommendation": "申请推荐文件", "application": "申请书", "support": "配套支持文件"}


@dataclass(frozen=True)
class Material:
    key: str
    label: str
    title_words: tuple[str, ...]
    issuers: tuple[str, ...]
    body_words: tuple[str, ...]


@cache
def _rules() -> tuple[tuple[Material, ...], tuple[str, ...]]:
    data = tomllib.loads(resources.files("imtc").joinpath("templates/materials.toml").read_text("utf-8"))
    materials = tuple(Material(m["key"], m["label"], tuple(m["title_words"]), tuple(m["issuers"]),
                               tuple(m["body_words"])) for m in data["materials"])
    return materials, tuple(data["direct_units"])


class Member(BaseModel):
    file: str
    role: str | None  # recommendation / application / support; None when it cannot be told
    why: str


class PackageReport(BaseModel):
    package: str
    center_name: str | None
    applicant: str | None
    members: list[Member]
    findings: list[Finding]


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).replace("(", "（").replace(")", "）")


def classify_text(lines: Sequence[str]) -> tuple[str | None, str]:
    """(material key or None, why) from a document's non-empty lines."""
    lines = [_squash(t) for t in lines if t.strip()]
    if not lines:
        return None, "文件中没有可读取的文字"
    head = "".join(lines[:HEAD_LINES])
    tail = "".join(lines[-TAIL_LINES:] + [t for t in lines if any(w in t for w in SEAL_WORDS)])
    body = "".join(lines)
    scored = []
    for m in _rules()[0]:
        reasons, score = [], 0
        title = next((w for w in m.title_words if w in head), None)
        if title:
            score += 3
            reasons.append(f"标题含“{title}”")
        issuer = next((line for line in reversed(lines[-TAIL_LINES:]) if any(i in line for i in m.issuers)), None)
        if issuer is None and any(i in tail for i in m.issuers):
            issuer = next(i for i in m.issuers if i in tail)
        if issuer:
            score += 2
            reasons.append(f"落款或公章为“{issuer[:40]}”")
        words = [w for w in m.body_words if w in body][:3]
        score += len(words)
        if words:
            reasons.append("正文含“" + "”“".join(words) + "”")
        scored.append((score, m, "，".join(reasons)))
    scored.sort(key=lambda t: -t[0])
    best = scored[0]
    if best[0] < MIN_SCORE:
        return None, "未找到足以判断的标题、发文单位或公章文字"
    if len(scored) > 1 and scored[1][0] == best[0]:
        return None, f"同时像{best[1].label}和{scored[1][1].label}（{best[2]}；{scored[1][2]}）"
    return best[1].key, best[2]


def document_lines(path: Path) -> list[str]:
    """The text of a file imtc reads, paragraph by paragraph and cell by cell (OCR for scans)."""
    from imtc.extract.blocks import Paragraph
    from imtc.extract.limits import Limits
    from imtc.extract.package import data_kind
    from imtc.extract.pipeline import read_document

    with open(path, "rb") as f:
        head = f.read(1024)
    doc = read_document(path, data_kind(head), Limits.from_env())
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:
            for r in range(len(b.grid)):
                out.extend(c.text for c in b.row_cells(r))
    return out


class Lines(BaseModel):
    lines: list[str] = []
    error: str | None = None


def _read_lines(path: Path) -> Lines:
    try:
        return Lines(lines=document_lines(path))
    except Exception as exc:  # the reader's own refusal or failure, worded by its class
        return Lines(error=getattr(exc, "reason", None) or type(exc).__name__)


def guarded_lines(path: Path) -> list[str]:
    """document_lines in a worker process with imtc's time and memory limits (imtc/batch.py), as
    every file of a round is read: a package member is read again only for its words."""
    from imtc import batch

    [(_, got)] = list(batch.run([path], _read_lines, jobs=1, timeout=batch.DEFAULT_TIMEOUT_S, result=Lines,
                                failed=lambda p, f: Lines(error=f.message)))
    if got.error:
        raise ValueError(got.error)
    return got.lines


def is_direct_unit(applicant: str | None) -> bool:
    return bool(applicant) and _squash(applicant or "") in {_squash(u) for u in _rules()[1]}


def check_package(name: str, files: Sequence[tuple[Path, Extraction]],
                  lines_of: Callable[[Path], list[str]] | None = None) -> PackageReport:
    """Classify each (file, its extraction) of one package and find what is missing."""
    members: list[Member] = []
    apps = [ex for _, ex in files if ex.kind == "application"]
    for path, ex in files:
        if ex.kind == "application":
            members.append(Member(file=path.name, role="application", why="按附件1申请书模板识别"))
        elif ex.kind == "annual_report":
            members.append(Member(file=path.name, role=None, why="这是年度工作总结，不属于申请材料"))
        elif ex.kind == "unreadable":
            members.append(Member(file=path.name, role=None, why="文件无法读取"))
        else:
            try:
                role, why = classify_text((lines_of or guarded_lines)(path))
            except Exception as exc:  # a reader's failure: say so, never stop the round
                reason = str(exc) if isinstance(exc, ValueError) else type(exc).__name__
                role, why = None, f"读取文字失败（{reason[:100]}）"
            members.append(Member(file=path.name, role=role, why=why))
    app = apps[0] if apps else None
    applicant = app.meta.applicant if app else None
    roles = {m.role for m in members}
    findings: list[Finding] = []
    if app is None:
        findings.append(PACKAGE_APPLICATION_MISSING(package=name))
    if "recommendation" not in roles:
        findings.append(PACKAGE_RECOMMENDATION_DIRECT(package=name, unit=applicant) if is_direct_unit(applicant)
                        else PACKAGE_RECOMMENDATION_MISSING(package=name))
    if "support" not in roles:
        findings.append(PACKAGE_SUPPORT_MISSING(package=name))
    for m in members:
        if m.role is None and m.why != "这是年度工作总结，不属于申请材料":
            findings.append(PACKAGE_FILE_UNCLASSIFIED(package=name, file=m.file, reason=m.why))
    return PackageReport(package=name, center_name=app.meta.center_name if app else None, applicant=applicant,
                         members=members, findings=findings)


def annotate(files: Sequence[tuple[Path, Extraction]], report: PackageReport) -> list[Extraction]:
    """The package's findings put on its files: what is missing on the 申请书 (else on every member),
    and a recognised 推荐文件 or 配套支持文件 is marked as such instead of 'not a template document'."""
    out = []
    roles = {m.file: m for m in report.members}
    missing = [f for f in report.findings if f.code != PACKAGE_FILE_UNCLASSIFIED.code]
    for path, ex in files:
        m = roles[path.name]
        found = list(ex.findings)
        if m.role in ("recommendation", "support"):
            found = [f for f in found if f.code != KIND_UNKNOWN.code]
            found.append(PACKAGE_MEMBER(package=report.package, what=ROLE_LABELS[m.role], why=m.why))
        if ex.kind == "application" or not any(e.kind == "application" for _, e in files):
            found.extend(missing)
        found.extend(f for f in report.findings if f.code == PACKAGE_FILE_UNCLASSIFIED.code
                     and f.message.find(f"“{path.name}”") >= 0)
        out.append(ex.model_copy(update={"findings": found}))
    return out


def packages_of(paths: Sequence[Path], results: Sequence[Extraction]) -> dict[Path, list[int]]:
    """The round's packages: each folder holding exactly one 申请书 (a folder of several applications
    is a pile, not a package). Values are indexes into `paths`."""
    folders: dict[Path, list[int]] = {}
    for i, p in enumerate(paths):
        folders.setdefault(p.parent, []).append(i)
    return {folder: idx for folder, idx in folders.items()
            if sum(results[i].kind == "application" for i in idx) == 1}


SUFFIXES = (".docx", ".doc", ".wps", ".pdf")
MAX_MEMBERS = 50


class PackageError(Exception):
    """A folder or zip that cannot be checked as a package; the message is Chinese."""


def package_files(path: Path, workdir: Path) -> list[Path]:
    """The files of a package: a folder's (not recursive; hidden and ~$ files skipped), or a zip's
    members unpacked into `workdir` under their base names, within imtc's size limits."""
    if path.is_dir():
        return sorted(p for p in path.iterdir()
                      if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$")))
    import zipfile

    from imtc.extract.limits import Limits

    limits = Limits.from_env()
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir() and Path(i.filename.replace("\\", "/")).suffix.lower()
                     in SUFFIXES and not Path(i.filename.replace("\\", "/")).name.startswith((".", "~$"))]
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > limits.max_unpacked_bytes:
                raise PackageError(f"压缩包“{path.name}”中的文件过多或过大，不像一个中心的申请材料。")
            out = []
            for n, info in enumerate(infos, start=1):
                if info.file_size > limits.max_file_bytes:
                    raise PackageError(f"压缩包中的“{info.filename}”超过大小限制。")
                target = workdir / f"{n:02d}" / Path(info.filename.replace("\\", "/")).name
                target.parent.mkdir(parents=True)
                with zf.open(info) as src:
                    data = src.read(limits.max_file_bytes + 1)
                if len(data) > limits.max_file_bytes:
                    raise PackageError(f"压缩包中的“{info.filename}”超过大小限制。")
                target.write_bytes(data)
                out.append(target)
            return out
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise PackageError(f"无法打开压缩包“{path.name}”：{type(exc).__name__}（不是有效的 zip 文件，或已加密、损坏）") from None


def check_path(path: Path) -> tuple[PackageReport, list[tuple[Path, Extraction]]]:
    """`imtc package PATH`: check every file of a folder or zip, then the package."""
    import tempfile

    from imtc.pipeline import check_file

    if not path.exists():
        raise PackageError(f"找不到“{path}”。")
    with tempfile.TemporaryDirectory(prefix="imtc-package-") as tmp:
        files = package_files(path, Path(tmp))
        if not files:
            raise PackageError(f"“{path.name}”中没有 .docx、.doc、.wps 或 .pdf 文件。")
        from imtc import batch

        found = dict(batch.run(files, check_file, jobs=1, timeout=batch.DEFAULT_TIMEOUT_S))
        checked = [(f, found[i]) for i, f in enumerate(files)]
        report = check_package(path.stem if path.is_file() else path.name, checked)
        return report, list(zip(files, annotate(checked, report), strict=True))
