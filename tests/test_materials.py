"""Application packages (管理办法第八条): files classified by content, what is missing a finding —
on the command line (`imtc package`), in the round's results and in its workbook."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from imtc.cli import app
from imtc.pipeline import check_file
from imtc.register.materials import check_path, classify_text, document_lines
from imtc.register.rounds import add_package_sheet, check_packages
from tests.packages import notice, package, recommendation, support

CIRCUIT = "浙江省集成电路产业计量测试中心"


def codes(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f.code for f in findings)


def test_each_material_is_told_by_its_content(tmp_path: Path) -> None:
    rec = document_lines(recommendation(tmp_path / "a.docx", CIRCUIT, "杭州市质量技术监督检测院", "杭州市"))
    role, why = classify_text(rec)
    assert role == "recommendation" and "标题含“推荐函”" not in why and "标题含“推荐”" in why
    assert "落款或公章为“杭州市市场监督管理局（公章）”" in why
    role, why = classify_text(document_lines(support(tmp_path / "b.docx", CIRCUIT, "杭州市")))
    assert role == "support" and "落款或公章为“杭州市人民政府（盖章）”" in why and "人才" in why
    role, why = classify_text(document_lines(notice(tmp_path / "c.docx")))
    assert role is None and why == "未找到足以判断的标题、发文单位或公章文字"
    assert classify_text([]) == (None, "文件中没有可读取的文字")
    # the file name says nothing: a recommendation named 配套支持文件.docx is still a recommendation
    assert classify_text(document_lines(recommendation(tmp_path / "配套支持文件.docx", CIRCUIT, "x", "湖州市")))[0] \
        == "recommendation"


def test_a_complete_package_and_one_without_its_support(tmp_path: Path) -> None:
    report, files = check_path(package(tmp_path / "集成电路", "integrated-circuit.docx"))
    assert report.findings == []
    assert {m.file: m.role for m in report.members} == {
        "申请书.docx": "application", "推荐函.docx": "recommendation", "配套支持文件.docx": "support"}
    by_name = {p.name: ex for p, ex in files}
    assert "kind-unknown" not in codes(by_name["推荐函.docx"].findings)  # recognised, not "not a template"
    assert "package-member" in codes(by_name["推荐函.docx"].findings)

    report, files = check_path(package(tmp_path / "光伏", "smart-pv.docx", sup=False, other=True,
                                       center="浙江省智能光伏产业计量测试中心", unit="嘉兴市计量检定测试院", city="嘉兴市"))
    assert codes(report.findings) == ["package-file-unclassified", "package-no-support"]
    app_findings = {p.name: ex for p, ex in files}["申请书.docx"].findings
    assert "package-no-support" in codes(app_findings)
    [missing] = [f for f in app_findings if f.code == "package-no-support"]
    assert missing.severity == "error" and "“光伏”" in missing.message
    assert "package-file-unclassified" in codes({p.name: ex for p, ex in files}["附件.docx"].findings)


def test_a_direct_unit_needs_no_recommendation(tmp_path: Path) -> None:
    report, _ = check_path(package(tmp_path / "电池", "power-battery.docx", rec=False,
                                   center="浙江省动力电池产业计量测试中心", unit="浙江省计量科学研究院", city="杭州市"))
    assert codes(report.findings) == ["package-direct-unit"]  # 浙江省计量科学研究院: 省局直属
    report, _ = check_path(package(tmp_path / "集成电路", "integrated-circuit.docx", rec=False))
    assert codes(report.findings) == ["package-no-recommendation"]


def test_a_zip_is_a_package_and_the_command_says_so(tmp_path: Path) -> None:
    folder = package(tmp_path / "集成电路", "integrated-circuit.docx", sup=False)
    archive = tmp_path / "集成电路.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f"材料/{f.name}")
        zf.writestr("../../evil.docx", b"not a docx")  # a path out of the folder: read under its base name only
    res = CliRunner().invoke(app, ["package", str(archive), "--json"])
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["package"] == "集成电路"
    assert [f["code"] for f in data["findings"]] == ["package-no-support", "package-file-unclassified"]
    assert {m["file"]: m["role"] for m in data["members"]}["evil.docx"] is None
    assert not (tmp_path.parent / "evil.docx").exists()
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 broken")
    res = CliRunner().invoke(app, ["package", str(bad)])
    assert res.exit_code == 2 and "无法打开压缩包" in res.stderr


def test_the_round_gets_the_findings_and_a_sheet(tmp_path: Path) -> None:
    package(tmp_path / "round" / "集成电路", "integrated-circuit.docx")
    package(tmp_path / "round" / "光伏", "smart-pv.docx", rec=False, center="浙江省智能光伏产业计量测试中心",
            unit="嘉兴市计量检定测试院", city="嘉兴市")
    paths = sorted((tmp_path / "round").rglob("*.docx"))
    results = [check_file(p) for p in paths]
    checked, reports = check_packages(paths, results, tmp_path / "round")
    assert [r.package for r in reports] == ["光伏", "集成电路"]
    again, _ = check_packages(paths, checked, tmp_path / "round")  # a resumed round: replaced, not doubled
    assert [codes(ex.findings) for ex in again] == [codes(ex.findings) for ex in checked]
    pv_app = checked[paths.index(tmp_path / "round" / "光伏" / "申请书.docx")]
    assert "package-no-recommendation" in codes(pv_app.findings)
    target = tmp_path / "summary.xlsx"
    Workbook().save(target)
    add_package_sheet(target, reports)
    rows = list(load_workbook(target)["申请材料"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3], r[5]) for r in rows] == [("光伏", None, "配套支持文件.docx"),
                                                 ("集成电路", "推荐函.docx", "配套支持文件.docx")]
    assert "未找到申请推荐文件" in rows[0][7] and rows[1][7] == "材料齐全"


def test_the_desks_round_on_the_command_line(tmp_path: Path) -> None:
    """imtc check --review: each center's folder a package; 第十九条 from the register in the store."""
    from imtc.register.desk import load_desk_file
    from imtc.register.records import Register
    from imtc.store import Store

    db = tmp_path / "imtc.sqlite"
    with Store(db) as s:
        load_desk_file(Register(s), Path(__file__).parent / "data" / "register-desk.toml")
    package(tmp_path / "round" / "集成电路", "integrated-circuit.docx")
    package(tmp_path / "round" / "光伏", "smart-pv.docx", rec=False, center="浙江省智能光伏产业计量测试中心",
            unit="嘉兴市计量检定测试院", city="嘉兴市")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["check", str(tmp_path / "round"), "--review", "--out", str(out), "--db", str(db),
                                   "--silent", "--jobs", "1"])
    assert res.exit_code == 1, res.output  # errors: the missing recommendation, the revoked unit
    results = {p.name: json.loads(p.read_text("utf-8")) for p in out.glob("*.extract.json")}
    pv = next(r for r in results.values() if r["meta"]["center_name"] == "浙江省智能光伏产业计量测试中心")
    assert {"package-no-recommendation", "application-after-revocation"} <= {f["code"] for f in pv["findings"]}
    assert "推荐函.docx.extract.json" in results
    assert [f["code"] for f in results["推荐函.docx.extract.json"]["findings"]] == ["package-member"]
    wb = load_workbook(out / "summary.xlsx")
    assert [r[0] for r in wb["申请材料"].iter_rows(min_row=2, values_only=True)] == ["光伏", "集成电路"]
    again = CliRunner().invoke(app, ["check", str(tmp_path / "round"), "--review", "--out", str(out), "--db", str(db),
                                     "--silent", "--jobs", "1"])  # resumed: nothing doubled
    assert again.exit_code == 1
    pv2 = json.loads((out / next(n for n, r in results.items() if r is pv)).read_text("utf-8"))
    assert [f["code"] for f in pv2["findings"]] == [f["code"] for f in pv["findings"]]


def test_a_recommendation_printed_to_pdf_is_told_too(tmp_path: Path) -> None:
    """The same words read from a PDF's text layer (LibreOffice prints it); with CI=true LibreOffice must be there."""
    import os
    import shutil
    import subprocess

    import pytest

    exe = shutil.which("soffice")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is needed to print the PDF (setup.sh installs it)")
        pytest.skip("LibreOffice is not installed (setup.sh installs it)")
    src = recommendation(tmp_path / "推荐函.docx", CIRCUIT, "杭州市质量技术监督检测院", "杭州市")
    subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), str(src)],
                   check=True, capture_output=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    role, why = classify_text(document_lines(tmp_path / "pdf" / "推荐函.pdf"))
    assert role == "recommendation" and "杭州市市场监督管理局（公章）" in why


def test_a_member_is_read_again_in_a_worker_and_a_failure_is_said(tmp_path: Path) -> None:
    import pytest

    from imtc.register.materials import check_package, guarded_lines
    from tests.packages import SAMPLES

    assert "同意推荐" in "".join(guarded_lines(recommendation(tmp_path / "r.docx", CIRCUIT, "x", "杭州市")))
    with pytest.raises(ValueError, match="损坏|不完整|截断"):
        guarded_lines(SAMPLES / "hostile" / "truncated.docx")
    bad = tmp_path / "附件.docx"
    bad.write_bytes((SAMPLES / "hostile" / "truncated.docx").read_bytes())
    unknown = check_file(notice(tmp_path / "n.docx")).model_copy(update={"kind": "unknown"})
    report = check_package("x", [(bad, unknown)])
    [m] = report.members
    assert m.role is None and m.why.startswith("读取文字失败（")
