"""The committed samples are exactly what samples/build.py makes, and their expected extractions
have the contract's shape (every outline key, every table kind, every field)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from imtc.models import TABLE_KINDS, row_fields

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
OUTLINES = ROOT.parent / "shared" / "OUTLINES.md"
LAYOUT = {"application": "annex1.toml", "annual_report": "annex4.toml"}
SOFFICE = shutil.which("soffice")


def outline(kind: str) -> list[str]:
    layout = tomllib.loads((SAMPLES / "layout" / LAYOUT[kind]).read_text("utf-8"))
    return [s["key"] for s in layout["sections"]]


def committed() -> list[Path]:
    """The builder's outputs in samples/: everything but its sources."""
    sources = {"content", "layout", "__pycache__"}
    return sorted(p for p in SAMPLES.rglob("*")
                  if p.is_file() and p.relative_to(SAMPLES).parts[0] not in sources and p.suffix not in {".py", ".md"})


def lo_version(docx: Path) -> str | None:
    app = zipfile.ZipFile(docx).read("docProps/app.xml").decode("utf-8")
    m = re.search(r"<Application>([^<]*)</Application>", app)
    return m.group(1) if m else None


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    args = [sys.executable, str(SAMPLES / "build.py"), "--out", str(out)]
    if SOFFICE is None:
        args.append("--no-libreoffice")
    subprocess.run(args, check=True, timeout=600)
    return out


def test_rebuild_is_byte_identical(rebuilt: Path) -> None:
    files = committed()
    assert any(p.suffix == ".docx" for p in files), "no built samples committed in samples/"
    made = {p.relative_to(rebuilt) for p in rebuilt.rglob("*") if p.is_file()}
    skipped, differ = [], []
    for path in files:
        rel = path.relative_to(SAMPLES)
        if rel.name.endswith("-lo.docx") and SOFFICE is None:
            skipped.append(rel)
            continue
        assert rel in made, f"{rel} is committed but the builder no longer makes it"
        if (rebuilt / rel).read_bytes() != path.read_bytes():
            differ.append(rel)
    # LibreOffice's output is byte-stable for one LibreOffice version; another version writes
    # other XML, which is no fault of the builder.
    other_lo = [r for r in differ if r.name.endswith("-lo.docx")
                and lo_version(SAMPLES / r) != lo_version(rebuilt / r)]
    assert [r for r in differ if r not in other_lo] == [], "rebuild differs; run python samples/build.py"
    if skipped or other_lo:
        pytest.skip(f"not compared (LibreOffice missing or another version): {skipped + other_lo}")


def test_every_output_is_committed(rebuilt: Path) -> None:
    present = {p.relative_to(SAMPLES) for p in committed()}
    for path in rebuilt.rglob("*"):
        if path.is_file():
            assert path.relative_to(rebuilt) in present, f"{path.name} is built but not in samples/"


@pytest.mark.skipif(not OUTLINES.exists(), reason="shared/OUTLINES.md not beside the repository")
def test_layout_outlines_match_outlines_md() -> None:
    text = OUTLINES.read_text("utf-8")
    app, report = text.split("## Annex 4")
    for kind, part in (("application", app), ("annual_report", report)):
        assert outline(kind) == re.findall(r"^\| ([\d.]+) \|", part, flags=re.M)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.expected.json")), ids=lambda p: p.name)
def test_expected_has_contract_shape(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    assert data["file"] == path.name.replace(".expected.json", ".docx")
    assert (SAMPLES / data["file"]).exists()
    assert set(data["meta"]) == {"center_name", "applicant", "responsible_person", "submitted_on", "report_year"}
    kind = data["kind"]
    if kind not in LAYOUT:
        assert data["sections"] == {} and data["tables"] == {}
        return
    assert list(data["sections"]) == outline(kind)
    assert set(data["sections"].values()) <= {"present", "empty", "missing"}
    assert list(data["tables"]) == TABLE_KINDS[kind]
    for table_kind, table in data["tables"].items():
        fields = row_fields(table_kind)
        assert table["status"] in {"present", "empty", "missing"}
        assert (table["status"] == "present") == bool(table["rows"])
        assert ("total_wan" in table) == ("investment_wan" in fields)
        for row in table["rows"]:
            assert list(row) == fields
    pairs = [(f["code"], f["section"]) for f in data["findings"]]
    assert pairs == sorted(set(pairs), key=lambda p: (p[0], p[1] or ""))
