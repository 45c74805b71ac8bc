"""The identifier imtc writes into every review document it renders: a custom document property
(docProps/custom.xml) holding a small JSON object, so that a sheet an expert filled in can be matched
to its center and year whatever the expert did to the visible fields.

{"v": 1, "rubric": "annex5", "center": "浙江省…计量测试中心", "year": 2025, "sha256": "<submission>",
 "template": "annex5_sheet.docx", "auto": {"1.2.1": 1, …}}

`auto` holds the points imtc computed itself (the 自动 items), so that a changed one can be noted.
Word, WPS and LibreOffice keep custom properties through "save as .doc" and back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from lxml import etree

PROPERTY = "imtc-sheet-id"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one format id Word uses for custom properties


def sheet_identity(context: Mapping[str, Any], template: str) -> dict[str, Any]:
    """The identifier of one rendered review document, from the review context (imtc/review.py)."""
    year: int | None = None
    text = str(context.get("report_year") or "") or str(context.get("submitted_on") or "")
    m = re.search(r"(\d{4})", text)
    if m:
        year = int(m.group(1))
    auto: dict[str, int] = {}
    rows = list(context.get("rows") or []) + [r for k in ("table1_basic", "table1_bonus", "table2")
                                              for r in context.get(k) or []]
    for r in rows:
        if r.get("kind") == "item" and r.get("points_note") == "自动" and str(r.get("points", "")).isdigit():
            auto[r["key"]] = int(r["points"])
    return {"v": 1, "rubric": context.get("rubric"), "center": context.get("center_name", "").strip("\u3000") or None,
            "year": year, "sha256": context.get("sha256"), "template": template, "auto": auto}


def custom_properties_xml(values: Mapping[str, str]) -> bytes:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(values.items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def set_identity(document: Any, identity: Mapping[str, Any]) -> None:
    """Add (or replace) the identifier as a custom property of a python-docx Document."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    blob = custom_properties_xml({PROPERTY: json.dumps(identity, ensure_ascii=False, sort_keys=True)})
    for rel in package.rels.values():
        if rel.reltype == CUSTOM_RELTYPE:
            rel.target_part._blob = blob
            return
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_CT, blob, package)
    package.relate_to(part, CUSTOM_RELTYPE)


def read_custom_properties(root: etree._Element | None) -> dict[str, str]:
    """name -> text of a parsed docProps/custom.xml."""
    out: dict[str, str] = {}
    if root is None:
        return out
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = prop.get("name")
        if name:
            out[name] = "".join(prop.itertext()).strip()
    return out


def parse_identity(text: str | None) -> dict[str, Any] | None:
    """The identifier from the property's text; None when absent or not imtc's."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("v") != 1 or value.get("rubric") not in ("annex5", "annex2"):
        return None
    auto = value.get("auto")
    value["auto"] = {str(k): v for k, v in auto.items() if isinstance(v, int)} if isinstance(auto, dict) else {}
    year = value.get("year")
    value["year"] = year if isinstance(year, int) else None
    return value


KEYWORDS_PREFIX = "imtc-sheet-id="


def keywords_identity(identity: Mapping[str, Any]) -> str:
    """The short form kept in the core Keywords, which a PDF print carries (custom properties it drops):
    rubric/year/the submission's sha256 (first 16 hex digits)."""
    return f"{KEYWORDS_PREFIX}{identity.get('rubric')}/{identity.get('year') or ''}/{(identity.get('sha256') or '')[:16]}"


def parse_keywords(text: str | None) -> dict[str, Any] | None:
    # LibreOffice's PDF export may turn separators into ", ": read any of them
    m = re.search(re.escape(KEYWORDS_PREFIX) + r"(annex[25])[/;,\s]+(\d{4})?[/;,\s]+([0-9a-f]{0,16})", text or "")
    if m is None:
        return None
    return {"v": 1, "rubric": m.group(1), "year": int(m.group(2)) if m.group(2) else None, "sha256": m.group(3) or None,
            "center": None, "auto": {}, "template": None}
