"""What the register adds to the desk's round (`imtc check --review`, the web page's rounds): each
folder holding one 申请书 is checked as an application package (imtc/register/materials.py), an
application from a unit revoked less than three years before gets its 第十九条 finding, and the
round's workbook gains the sheet 申请材料. Applying them again replaces, never duplicates."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from imtc.atomic import atomic_path
from imtc.cells import as_text, put
from imtc.findings import APPLICATION_AFTER_REVOCATION, CATALOGUE, PACKAGE_MEMBER
from imtc.models import Extraction
from imtc.register.materials import (
    ROLE_LABELS,
    PackageReport,
    annotate,
    check_package,
    guarded_lines,
    packages_of,
)

REGISTER_CODES = frozenset(c.code for c in CATALOGUE.values() if c.stage == "register")
SHEET = "申请材料"
COLUMNS = [("材料文件夹", 30), ("中心名称", 30), ("申请单位", 26), ("申请推荐文件", 28), ("申请书", 28),
           ("配套支持文件", 28), ("未能识别的文件", 28), ("发现", 70)]


def _without(ex: Extraction, codes: frozenset[str]) -> Extraction:
    return ex.model_copy(update={"findings": [f for f in ex.findings if f.code not in codes]})


def check_packages(paths: Sequence[Path], results: Sequence[Extraction], root: Path | None = None,
                   lines_of: Callable[[Path], list[str]] = guarded_lines) -> tuple[list[Extraction], list[PackageReport]]:
    """The round's results with the package findings on them, and one report per package."""
    package_codes = REGISTER_CODES - {APPLICATION_AFTER_REVOCATION.code}
    out = [_without(ex, package_codes) for ex in results]
    reports = []
    for folder, idx in sorted(packages_of(paths, out).items()):
        name = _package_name(folder, root)
        files = [(paths[i], out[i]) for i in idx]
        report = check_package(name, files, lines_of)
        for i, ex in zip(idx, annotate(files, report), strict=True):
            out[i] = ex
        reports.append(report)
    return out, reports


def _package_name(folder: Path, root: Path | None) -> str:
    if root is not None:
        try:
            rel = folder.resolve().relative_to(root.resolve())
            if str(rel) not in ("", "."):
                return str(rel)
        except ValueError:
            pass
    return folder.name or "（根目录）"


def revocation_checked(store: object, ex: Extraction) -> Extraction:
    """The application with its 第十九条 finding (if any), from the register of `store`."""
    from imtc.register.records import Register

    if ex.kind != "application":
        return ex
    ex = _without(ex, frozenset({APPLICATION_AFTER_REVOCATION.code}))
    found = Register(store).revocation_findings(ex)  # type: ignore[arg-type]
    return ex.model_copy(update={"findings": [*ex.findings, *found]}) if found else ex


def add_package_sheet(workbook: Path, reports: Sequence[PackageReport]) -> None:
    """The sheet 申请材料 in the round's workbook: one row per package, what each file is, what is missing."""
    wb = load_workbook(workbook)
    ws = wb.create_sheet(SHEET)
    for c, (header, width) in enumerate(COLUMNS, start=1):
        put(ws, 1, c, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, rep in enumerate(reports, start=2):
        by_role = {role: "\n".join(m.file for m in rep.members if m.role == role) or None for role in ROLE_LABELS}
        unknown = "\n".join(f"{m.file}（{m.why}）" for m in rep.members if m.role is None) or None
        shown = [f for f in rep.findings if f.code != PACKAGE_MEMBER.code]
        row = [rep.package, rep.center_name, rep.applicant, by_role["recommendation"], by_role["application"],
               by_role["support"], unknown, "\n".join(f.message for f in shown) or "材料齐全"]
        for c, value in enumerate(row, start=1):
            cell = put(ws, r, c, value)
            cell.alignment = wrap
            as_text(cell)
    ws.freeze_panes = "A2"
    with atomic_path(workbook) as tmp:
        wb.save(tmp)


def apply_register_checks(paths: Sequence[Path], results: Sequence[Extraction], db: str | None,
                          root: Path | None = None, lines_of: Callable[[Path], list[str]] = guarded_lines,
                          ) -> tuple[list[Extraction], list[PackageReport]]:
    """Packages (grouped by `paths`' folders; `lines_of` reads a file's text) and 第十九条 (from the
    register in the store `db`, when it opens) over a round's results."""
    from imtc.store import Store, StoreError

    checked, reports = check_packages(paths, results, root, lines_of)
    try:
        with Store(db) as store:
            checked = [revocation_checked(store, ex) for ex in checked]
    except StoreError:
        pass  # the round warns about the store already; the 第十九条 check needs it
    return checked, reports


def register_round(files: Sequence[Path], results: dict[int, Extraction], db: str | None,
                   rewrite: Callable[[int, Extraction], None]) -> list[PackageReport]:
    """`imtc check --review`: the register's checks over the round's results (index → extraction,
    updated in place; `rewrite` is called for each one that changed); the package reports."""
    import os

    idx = sorted(results)
    paths = [Path(files[i]) for i in idx]
    root = Path(os.path.commonpath([str(p.parent.resolve()) for p in paths])) if paths else None
    checked, reports = apply_register_checks(paths, [results[i] for i in idx], db, root)
    for i, ex in zip(idx, checked, strict=True):
        if ex != results[i]:
            results[i] = ex
            rewrite(i, ex)
    return reports


def web_round_checks(db: str | None, members: Sequence[str], files: Sequence[Path], results: Sequence[Extraction],
                     rewrite: Callable[[int, Extraction], None]) -> list[PackageReport]:
    """The web page's round: packages by the folders of the zip's member names (`files` are where
    the members were unpacked); `rewrite(i, ex)` for each result that changed."""
    where: dict[Path, Path] = {}
    for i, (m, f) in enumerate(zip(members, files, strict=True)):
        p = Path(m.replace("\\", "/"))
        where[p if p not in where else p.with_name(f"{p.name}#{i}")] = f  # a zip may repeat a name
    paths = list(where)
    checked, reports = apply_register_checks(paths, results, db, lines_of=lambda p: guarded_lines(where[p]))
    for i, ex in enumerate(checked):
        if ex != results[i]:
            rewrite(i, ex)
    return reports
