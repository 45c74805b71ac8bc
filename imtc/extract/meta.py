"""Cover and signature-block fields -> `Meta`.

Labelled lines (中心名称：… 申报单位：…（盖章）), in paragraphs or in a cover table, read
before the first heading; annual reports also give a year in their title and a dated
signature block at the end.
"""

from __future__ import annotations

import re
import unicodedata

from imtc.extract.blocks import Block, Paragraph, TableBlock
from imtc.extract.outline import PLACEHOLDER
from imtc.extract.text import clean, parse_date, squash
from imtc.models import Meta

LABELS = {
    "center_name": ("中心名称",),
    "applicant": ("申报单位", "建设单位", "申请单位", "依托单位"),
    "responsible_person": ("申报单位负责人", "建设单位负责人", "单位负责人", "负责人"),
    "submitted_on": ("申报日期", "申请日期", "填报日期", "报送日期", "日期"),
}
STAMPS = re.compile(r"[（(]\s*(盖章|签名|签字|公章|签章)\s*[)）]")
_YEAR_TITLE = re.compile(r"(\d{4})\s*年(?:度)?.{0,20}?工作总结")
_CENTER = re.compile(r"((?:国家|浙江省)[^，。,；;：:\s]{1,40}?计量测试中心)")


def _lines(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.extend(b.text.split("\n"))
        elif isinstance(b, TableBlock):  # a cover laid out as a table: label cell, value cell
            for r in range(len(b.grid)):
                out.append("：".join(c.text.replace("\n", " ") for c in b.row_cells(r)))
    return out


def _value(raw: str) -> str | None:
    v = STAMPS.sub("", raw)
    v = v.replace("_", " ").replace("＿", " ")
    v = clean(v)
    if v is None or PLACEHOLDER.match(v) or re.fullmatch(r"[年月日\s]+", v):
        return None
    return v.strip("：: ") or None


def _labelled(line: str) -> tuple[str, str] | None:
    """('applicant', 'value') for '申 报 单 位：X（盖章）'."""
    norm = unicodedata.normalize("NFKC", line)
    m = re.match(r"^\s*([^:：]{2,20}?)\s*[:：]\s*(.*)$", norm)
    if not m:
        return None
    label = squash(m.group(1))
    # the longest label wins: 申报单位负责人 before 申报单位
    for fname, words in sorted(LABELS.items(), key=lambda kv: -max(len(w) for w in kv[1])):
        for w in sorted(words, key=len, reverse=True):
            if label == w:
                return fname, m.group(2)
    return None


_NEXT_LABEL = re.compile("(" + "|".join(sorted({w for ws in LABELS.values() for w in ws}, key=len, reverse=True))
                         + r")\s*[:：]")


def _pieces(line: str) -> list[str]:
    """A line cut before each label in it: cover lines run together (as OCR gives them) come apart."""
    starts = [m.start() for m in _NEXT_LABEL.finditer(line)]
    if len(starts) <= 1:
        return [line]
    cuts = [0, *starts[1:], len(line)] if starts[0] > 0 else [*starts, len(line)]
    return [line[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if line[a:b].strip()]


def read_meta(front: list[Block], tail: list[Block], doc_kind: str) -> Meta:
    meta = Meta()
    for line in (piece for ln in _lines(front) for piece in _pieces(ln)):
        hit = _labelled(line)
        if not hit:
            continue
        fname, raw = hit
        if getattr(meta, fname) is not None:
            continue
        if fname == "submitted_on":
            setattr(meta, fname, parse_date(raw))
        else:
            setattr(meta, fname, _value(raw))
    front_text = [squash(x) for x in _lines(front)]
    if meta.center_name is None:
        for t in front_text:
            m = _CENTER.search(t)
            generic = m is not None and re.sub(r"^(国家|浙江省)", "", m.group(1)).startswith("产业")  # the annex's own title
            if m and not generic and "XX" not in m.group(1).upper() and "××" not in m.group(1):
                meta.center_name = m.group(1)
                break
    if doc_kind == "annual_report":
        for t in front_text:
            m = _YEAR_TITLE.search(t)
            if m:
                meta.report_year = int(m.group(1))
                break
        _signature_block(meta, tail)
    return meta


def _signature_block(meta: Meta, tail: list[Block]) -> None:
    """A report's closing lines: the unit (with （盖章）) and the date."""
    lines = [ln for ln in _lines(tail) if ln.strip()][-6:]
    for ln in reversed(lines):
        if meta.submitted_on is None:
            d = parse_date(ln)
            if d and len(squash(ln)) <= 16:
                meta.submitted_on = d
                continue
        hit = _labelled(ln)
        if hit and getattr(meta, hit[0]) is None:
            setattr(meta, hit[0], parse_date(hit[1]) if hit[0] == "submitted_on" else _value(hit[1]))
        elif meta.applicant is None and STAMPS.search(ln):
            meta.applicant = _value(ln)
