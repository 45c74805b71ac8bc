"""What every item's result looks like, the evidence helpers, and the items left to the expert."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from imtc import labels
from imtc.models import Extraction, Location
from imtc.names import center_key  # noqa: F401  (where scoring has always found it)
from imtc.score_assist.rubric import Item, Number
from imtc.score_assist.texts import SectionTexts
from imtc.templates import outline

STATUS_WORDS, TABLE_LABELS = labels.SECTION_STATUS, labels.TABLE  # imtc/templates/labels.toml


def evidence(text: str, location: dict[str, Any] | Location | None = None, **extra: Any) -> dict[str, Any]:
    loc = location.model_dump(mode="json") if isinstance(location, Location) else dict(location or {})
    out: dict[str, Any] = {"text": text, "location": {k: v for k, v in loc.items() if v is not None}}
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def pct(x: Number) -> str:
    """0.7 -> "70%", 5/7 -> "71.4%"."""
    v = float(x) * 100
    return f"{v:.0f}%" if abs(v - round(v)) < 1e-9 else f"{v:.1f}%"


def as_json_number(x: Number | None) -> float | int | None:
    if x is None:
        return None
    if isinstance(x, Fraction):
        return int(x) if x.denominator == 1 else round(float(x), 4)
    return x


@dataclass
class ItemScore:
    item: Item
    value: Number | None = None
    points: int | None = None
    basis: str = "expert"
    evidence: list[dict[str, Any]] = field(default_factory=list)
    band: str | None = None  # the annex's words of the band the value falls in
    suggestion: str | None = None  # for the expert; never counted
    suggested_points: int | None = None
    variables: dict[str, Any] = field(default_factory=dict)  # the other figures the bands read (proofs, …)

    def to_json(self) -> dict[str, Any]:
        it = self.item
        out: dict[str, Any] = {
            "title": it.title, "max": it.max, "value": as_json_number(self.value), "points": self.points,
            "basis": self.basis, "evidence": self.evidence, "part": it.part, "group": it.group,
            "band": self.band,
        }
        if self.variables:
            out["variables"] = {k: as_json_number(v) for k, v in self.variables.items()}
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion
            out["suggested_points"] = self.suggested_points
        if it.formula:
            out["formula"] = it.formula
        if it.symbol:
            out["symbol"] = it.symbol
        return out


def auto(item: Item, value: Number | None, evid: list[dict[str, Any]], **aux: Number | None) -> ItemScore:
    """An item the tool decides: the band for value (and aux), with the band's words as evidence."""
    band = item.band_for(value, **aux)
    score = ItemScore(item, value=value, points=band.points if band else None, basis="auto", evidence=evid,
                      band=band.text if band else None, variables={k: v for k, v in aux.items() if v is not None})
    if item.reading:
        score.evidence.insert(0, evidence("口径：" + item.reading))
    return score


def depends_on(item: Item, value: Number | None, evid: list[dict[str, Any]], unknown: str, what: str,
               **aux: Number | None) -> ItemScore:
    """Auto where the unknown variable cannot change the points; else the expert's, with the range."""
    low = item.points_for(value, **aux, **{unknown: None})
    high = item.points_for(value, **aux, **{unknown: 10**9})
    if low == high:
        return auto(item, value, evid, **aux)
    score = ItemScore(item, value=value, basis="expert", evidence=evid,
                      variables={k: v for k, v in aux.items() if v is not None})
    score.suggested_points = None
    score.suggestion = f"{low}-{high}分：取决于{what}（报告中未写明，请专家核查）"
    if item.reading:
        score.evidence.insert(0, evidence("口径：" + item.reading))
    return score


def section_titles(kind: str) -> dict[str, str]:
    return {s.key: s.title for s in outline(kind).sections}


def section_evidence(ex: Extraction, texts: SectionTexts | None, keys: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    """One line per related section: its status, text length, and the tables under it."""
    titles = section_titles(ex.kind) if ex.kind in ("application", "annual_report") else {}
    by_key = {s.key: s for s in ex.sections}
    out = []
    for key in keys:
        s = by_key.get(key)
        if s is None:
            continue
        line = f"{key} {titles.get(key, s.title)}：{STATUS_WORDS.get(s.status, s.status)}"
        if texts is not None and s.status != "missing":
            line += f"，正文约{texts.chars(key)}字"
        tables = [(k, t) for k, t in ex.tables.items()
                  if t.location.section and (t.location.section == key or t.location.section.startswith(key + "."))]
        for k, t in tables:
            line += f"；表“{TABLE_LABELS.get(k, k)}”{len(t.rows)}行"
        out.append(evidence(line, s.location.model_copy(update={"section": key})))
    return out


def keyword_evidence(texts: SectionTexts | None, keys: tuple[str, ...], keywords: tuple[str, ...]) -> list[dict[str, Any]]:
    """Where the related sections use the words the annex looks for (first place each)."""
    if texts is None or not keywords:
        return []
    out = []
    paras = texts.text(keys)
    for word in keywords:
        hit = next((p for p in paras if word in p.text), None)
        if hit is None:
            out.append(evidence(f"相关章节中未出现“{word}”"))
        else:
            out.append(evidence(f"“{word}”见于 {hit.section}：{snippet(hit.text, word)}", hit.location()))
    return out


def snippet(text: str, word: str | None = None, width: int = 60) -> str:
    """A short quote around `word` (or the start)."""
    t = text.strip()
    if word and word in t:
        i = t.index(word)
        start = max(0, i - width // 2)
        end = min(len(t), i + len(word) + width // 2)
        return ("…" if start else "") + t[start:end] + ("…" if end < len(t) else "")
    return t[:width] + ("…" if len(t) > width else "")


def expert_item(item: Item, ex: Extraction, texts: SectionTexts | None, extra: list[dict[str, Any]] | None = None) -> ItemScore:
    """An item the annex leaves to judgement or to on-site checks: evidence only, `points` null.
    When every related section is missing or empty, the lowest band is suggested (marked as such)."""
    evid = section_evidence(ex, texts, item.sections)
    evid += keyword_evidence(texts, item.sections, item.keywords)
    evid += extra or []
    score = ItemScore(item, basis="expert", evidence=evid)
    statuses = [s.status for s in ex.sections if s.key in item.sections]
    if statuses and all(s != "present" for s in statuses) and item.bands:
        lowest = item.bands[-1]
        score.suggested_points = lowest.low
        score.suggestion = f"建议（供参考）：相关章节缺失或为空，可考虑“{lowest.text}”；请核查证明材料"
    if item.reading:
        score.evidence.insert(0, evidence("口径：" + item.reading))
    return score
