"""The committed samples are exactly what samples/build.py makes, whatever fonts the machine has, and
their expected extractions have the contract's shape (every outline key, every table kind, every field).

LibreOffice-made bytes (PDF twins, Word 97 twins, -lo.docx and what derives from them) can only be
the same where LibreOffice, its fonts and pypdf are those of samples/built-with.json; elsewhere the
test says so and compares what matters instead: text, tables, page count, fonts embedded."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest
from pypdf import PdfReader

from imtc.models import TABLE_KINDS, row_fields
from imtc.pipeline import check_file
from tests.conftest import need_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
OUTLINES = ROOT.parent / "shared" / "OUTLINES.md"
LAYOUT = {"application": "annex1.toml", "annual_report": "annex4.toml"}
SOFFICE = shutil.which("soffice")
CI = os.environ.get("CI") == "true"
BUILT_WITH = Path("built-with.json")


def _builder_module(name: str):  # noqa: ANN202
    spec = importlib.util.spec_from_file_location(f"samples_{name}", SAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


libreoffice = _builder_module("libreoffice")  # the builder's LibreOffice: its fonts, profile and locale


def outline(kind: str) -> list[str]:
    layout = tomllib.loads((SAMPLES / "layout" / LAYOUT[kind]).read_text("utf-8"))
    return [s["key"] for s in layout["sections"]]


def committed() -> list[Path]:
    """The builder's outputs in samples/: everything but its sources."""
    sources = {"content", "layout", "__pycache__"}
    return sorted(p for p in SAMPLES.rglob("*")
                  if p.is_file() and p.relative_to(SAMPLES).parts[0] not in sources and p.suffix not in {".py", ".md"})


def lo_made(rel: Path) -> bool:
    """Whether a sample's bytes come from LibreOffice, or from a PDF it printed."""
    return (rel == BUILT_WITH or rel == Path("hostile/broken.pdf") or rel.name.endswith("-lo.docx")
            or (rel.parts[0] in {"pdf", "scans", "legacy"} and not rel.name.endswith(".json"))
            or (rel.parts[0] == "layouts" and "-lo-docx" in rel.name and not rel.name.endswith(".json")))


def why_bytes_differ(rebuilt: Path) -> str | None:
    """Why LibreOffice-made bytes cannot be the committed ones here (None: they must be)."""
    if SOFFICE is None:
        return "LibreOffice (soffice) is not installed"
    want = json.loads((SAMPLES / BUILT_WITH).read_text("utf-8"))
    have = json.loads((rebuilt / BUILT_WITH).read_text("utf-8"))
    reasons = [f"{key}: {have.get(key)!r} here, {want.get(key)!r} in samples/built-with.json"
               for key in ("libreoffice", "pypdf") if have.get(key) != want.get(key)]
    fonts = sorted(n for n in want["fonts"].keys() | have["fonts"].keys() if want["fonts"].get(n) != have["fonts"].get(n))
    if fonts:
        reasons.append(f"other versions of the fonts {', '.join(fonts)}")
    return "; ".join(reasons) or None


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    if SOFFICE is None and CI:
        pytest.fail("LibreOffice (soffice) is missing: with CI=true every sample must be rebuilt")
    out = tmp_path_factory.mktemp("samples")
    args = [sys.executable, str(SAMPLES / "build.py"), "--out", str(out)]
    if SOFFICE is None:
        args.append("--no-libreoffice")
    subprocess.run(args, check=True, timeout=900)
    return out


@pytest.mark.slow  # the whole sample rebuild (about a minute of LibreOffice)
def test_rebuild_is_byte_identical(rebuilt: Path) -> None:
    files = committed()
    assert any(p.suffix == ".docx" for p in files), "no built samples committed in samples/"
    made = {p.relative_to(rebuilt) for p in rebuilt.rglob("*") if p.is_file()}
    reason = why_bytes_differ(rebuilt)
    not_compared, differ = [], []
    for path in files:
        rel = path.relative_to(SAMPLES)
        if reason and lo_made(rel):
            not_compared.append(str(rel))
            continue
        assert rel in made, f"{rel} is committed but the builder no longer makes it"
        if (rebuilt / rel).read_bytes() != path.read_bytes():
            differ.append(str(rel))
    assert differ == [], "rebuild differs; run python samples/build.py"
    if not_compared:
        warnings.warn(f"{len(not_compared)} LibreOffice-made samples not compared byte for byte ({reason}); "
                      "test_what_matters_is_unchanged compares their text, tables, pages and fonts", stacklevel=1)


def pdf_facts(data: bytes) -> dict:
    """Page count, the fonts embedded (without their subset tags) and each page's text without spaces."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except Exception:  # noqa: BLE001  (the hostile broken.pdf)
        return {"pdf": "unreadable", "bytes": len(data)}
    fonts = {re.sub(r"^[A-Z]{6}\+", "", str(f.get_object()["/BaseFont"])[1:])
             for p in pages for f in (p["/Resources"].get_object().get("/Font") or {}).values()}
    texts = ["".join(p.extract_text().split()) for p in pages]
    sizes = [tuple(round(float(x)) for x in p.mediabox) for p in pages]
    return {"pages": len(pages), "sizes": sizes, "fonts": sorted(fonts), "text": texts}


def what_matters(path: Path) -> dict:
    """What a sample says, to compare where its bytes cannot be: imtc's reading of it (kind, meta,
    sections, tables, entities, findings) and, for a PDF, its pages, fonts and text. Scanned pages
    are not read (OCR is tests/test_ocr.py's): their PDFs are compared by pages and page sizes."""
    facts = pdf_facts(path.read_bytes()) if path.suffix == ".pdf" else {}
    if path.suffix == ".pdf" and not all(facts.get("text", [""])):
        return facts
    got = check_file(path).model_dump(mode="json")
    facts |= {k: got[k] for k in ("kind", "meta", "sections", "tables", "entities")}
    facts["findings"] = sorted((f["code"], f["message"]) for f in got["findings"])
    return facts


@pytest.mark.slow  # the whole sample rebuild (about a minute of LibreOffice)
def test_what_matters_is_unchanged(rebuilt: Path) -> None:
    """Where the LibreOffice-made bytes cannot be compared, their content must still be the same."""
    reason = why_bytes_differ(rebuilt)
    if reason is None:
        pytest.skip("LibreOffice, fonts and pypdf are those of samples/built-with.json: bytes compared")
    if SOFFICE is None:
        pytest.skip(f"not rebuilt: {reason}")
    changed = [str(p.relative_to(SAMPLES)) for p in committed() if lo_made(p.relative_to(SAMPLES))
               and p.relative_to(SAMPLES) != BUILT_WITH
               and what_matters(p) != what_matters(rebuilt / p.relative_to(SAMPLES))]
    assert changed == [], f"content differs ({reason})"


@pytest.mark.slow  # the whole sample rebuild (about a minute of LibreOffice)
def test_every_output_is_committed(rebuilt: Path) -> None:
    present = {p.relative_to(SAMPLES) for p in committed()}
    for path in rebuilt.rglob("*"):
        if path.is_file():
            assert path.relative_to(rebuilt) in present, f"{path.name} is built but not in samples/"


def test_layout_outlines_match_outlines_md() -> None:
    text = need_path(OUTLINES, "../shared/OUTLINES.md").read_text("utf-8")  # CI=true: missing fails, not skips
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


# --- the machine's fonts change nothing ------------------------------------------------------

HOSTILE_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{extra}</dir>
  <cachedir>{cache}</cachedir>
  <match target="scan">
    <test name="file" compare="contains"><string>{extra}/</string></test>
    <edit name="family" mode="assign" binding="same"><string>Times New Roman</string><string>宋体</string></edit>
  </match>
</fontconfig>
"""


def hostile_machine(tmp: Path) -> dict[str, str]:
    """The environment of a machine with fonts of its own: the machine's fonts and rules
    (/etc/fonts/fonts.conf), WenQuanYi or Liberation if it has them, and an extra font directory
    whose font, DejaVu Sans Mono copied there, is named Times New Roman and 宋体, the fonts the
    samples ask for; a Chinese locale; a home directory of its own."""
    mono = next((p for d in libreoffice.FONT_DIRS if d.is_dir() for p in sorted(d.rglob("DejaVuSansMono.ttf"))), None)
    assert mono is not None, "DejaVuSansMono.ttf (fonts-dejavu-core, setup.sh installs it) not found"
    extra = tmp / "extra-fonts"
    extra.mkdir()
    shutil.copyfile(mono, extra / mono.name)
    conf = tmp / "fonts.conf"
    conf.write_text(HOSTILE_FONTS.format(extra=extra, cache=tmp / "fc-cache"), "utf-8")
    (tmp / "home").mkdir()
    return os.environ | {"FONTCONFIG_FILE": str(conf), "HOME": str(tmp / "home"),
                         "LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}


@pytest.mark.slow  # two LibreOffice conversions
@pytest.mark.skipif(SOFFICE is None and not CI, reason="LibreOffice (soffice) not installed")
def test_pdf_twin_ignores_the_machines_fonts(tmp_path: Path) -> None:
    env = hostile_machine(tmp_path)
    twin = SAMPLES / "pdf" / "power-battery.pdf"
    # LibreOffice run as it comes, on that machine, takes the extra font
    plain = tmp_path / "plain"
    subprocess.run([SOFFICE or "soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(plain), str(SAMPLES / "power-battery.docx")],
                   env=env, check=True, timeout=300, capture_output=True)
    hostile = pdf_facts((plain / "power-battery.pdf").read_bytes())
    committed_facts = pdf_facts(twin.read_bytes())
    assert "DejaVuSansMono" in hostile["fonts"] and "DejaVuSansMono" not in committed_facts["fonts"]
    # the builder on that machine: the committed twin
    out = tmp_path / "built"
    subprocess.run([sys.executable, str(SAMPLES / "build.py"), "--out", str(out), "--pdf-twin", "power-battery"],
                   env=env, check=True, timeout=600)
    made = out / "power-battery.pdf"
    env_here = libreoffice.Session().environment()
    same_setup = env_here == json.loads((SAMPLES / BUILT_WITH).read_text("utf-8"))
    if same_setup:
        assert made.read_bytes() == twin.read_bytes()
    else:
        warnings.warn("power-battery.pdf compared by pages, fonts and text, not bytes: LibreOffice, its fonts "
                      "or pypdf differ from samples/built-with.json", stacklevel=1)
        assert pdf_facts(made.read_bytes()) == committed_facts


def test_builder_fonts_are_the_only_fonts(tmp_path: Path) -> None:
    """fontconfig under the builder's configuration lists exactly the files of libreoffice.FONTS."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        if CI:
            pytest.fail("fc-list (fontconfig, setup.sh installs it) is missing")
        pytest.skip("fc-list (fontconfig) not installed")
    session = libreoffice.Session()
    listed = subprocess.run([fc_list, "--format", "%{file}\n"], env=session.env(), check=True,
                            capture_output=True, text=True, timeout=120).stdout.split()
    assert sorted({Path(f).name for f in listed}) == sorted(libreoffice.FONTS)


def test_builder_refuses_without_its_fonts(tmp_path: Path) -> None:
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    with pytest.raises(libreoffice.FontsMissing) as e:
        libreoffice.find_fonts((tmp_path,))
    assert str(e.value) == (
        "样本生成需要的字体未安装：NotoSansCJK-Regular.ttc、NotoSansCJK-Bold.ttc、DejaVuSans-Bold.ttf、"
        f"DejaVuSerif.ttf、DejaVuSerif-Bold.ttf（在 {tmp_path} 下未找到）。"
        "请运行 bash setup.sh，或 apt-get install fonts-dejavu-core fonts-noto-cjk")
