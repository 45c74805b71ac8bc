"""Plan rows → done rows: which rows of last year's plan reappear among this year's completions.

Precision comes before recall: a wrong match raises η and so a score, a missed one only leaves a
plan row for the expert to look at. So:

- equipment is matched by model: equal after normalisation, or one contained in the other (the
  shorter at least 4 characters, never cutting a number in two). Different models never match,
  whatever the names say. The name decides only where a model is absent, and then only when it is
  nearly the same name.
- key-parameter items are identified by their parameter; the instrument's model, several items
  sharing one instrument, can only veto (two different models never match).
- calibration items have no model: the instrument's name must be nearly the same, or alike and
  corroborated by the same calibrated quantities (or the same specification where quantities are
  not given).
- one-to-one: the best-scoring pairs are taken first; each row is used once.

Normalisation (data in rubric_annex5.toml [matching]): NFKC (full-width → half-width), case,
brackets and their content（定制）— the content kept as an alternative name when it is one —,
spaces, hyphens and other punctuation, known brand names, words of the same meaning.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from imtc.score_assist.rubric import load_rubric

_BRACKETS = re.compile(r"[（(【\[［〔]([^（）()【】\[\]［］〔〕]*)[）)】\]］〕]")
_KEEP = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_SPLIT = re.compile(r"[、，,；;+＋]")
_TABLE_FIELDS = {  # table family: (name field, model field, corroborating fields)
    "equipment": ("name", "model", ()),
    "calibration_items": ("instrument", None, ("quantity", "specification")),
    "key_parameter_items": ("parameter", "model", ("specification",)),
}
FAMILY_OF = {
    "equipment": "equipment", "equipment_plan": "equipment", "equipment_done": "equipment",
    "calibration_items": "calibration_items", "calibration_items_plan": "calibration_items",
    "calibration_items_done": "calibration_items",
    "key_parameter_items": "key_parameter_items", "key_parameter_items_plan": "key_parameter_items",
    "key_parameter_items_done": "key_parameter_items",
}


@dataclass(frozen=True)
class Settings:
    brands: tuple[str, ...]
    synonyms: tuple[tuple[str, str], ...]
    calibrator_suffixes: tuple[str, ...]
    qualifiers: frozenset[str]
    generic_suffixes: tuple[str, ...]
    strong: float
    medium_overlap: float
    medium_dice: float
    corroborate: float
    model_contain_min: int


@cache
def settings() -> Settings:
    m = load_rubric("annex5").matching
    return Settings(
        brands=tuple(sorted({_words(b) for b in m["brands"]} - {""}, key=len, reverse=True)),
        synonyms=tuple((_plain(a), _plain(b)) for a, b in m["synonyms"]),
        calibrator_suffixes=tuple(_plain(s) for s in m["calibrator_suffixes"]),
        qualifiers=frozenset(_plain(q) for q in m["qualifiers"]),
        generic_suffixes=tuple(sorted((_plain(s) for s in m["generic_suffixes"]), key=len, reverse=True)),
        strong=m["strong"], medium_overlap=m["medium_overlap"], medium_dice=m["medium_dice"],
        corroborate=m["corroborate"], model_contain_min=m["model_contain_min"],
    )


def _plain(text: str) -> str:
    """NFKC, lower case, only letters, digits and CJK characters."""
    return _KEEP.sub("", unicodedata.normalize("NFKC", text).casefold())


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _words(raw: str) -> str:
    """NFKC, lower case, every run of punctuation or space one space ("J.A. Woollam" -> "j a woollam")."""
    return " ".join(re.sub(r"[^0-9a-z\u3400-\u9fff&]+", " ", _nfkc(raw)).split())


def _drop_brands(words: str, s: Settings) -> str:
    """Brand names out of a _words() text; Latin brands only as whole words, Chinese ones anywhere."""
    for brand in s.brands:
        if brand.isascii():
            words = re.sub(rf"(?<![0-9a-z&]){re.escape(brand)}(?![0-9a-z&])", " ", words)
        else:
            words = words.replace(brand, " ")
    return words


def _brandless(raw: str, s: Settings) -> str:
    return _plain(_drop_brands(_words(raw), s))


# --- names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    main: str  # brackets, brands and punctuation removed
    core: str  # main without a generic suffix (系统, 设备, …)
    aliases: tuple[str, ...]  # bracket contents that are names of their own
    raw: str


def name_forms(raw: str | None) -> Name | None:
    if not raw or not raw.strip():
        return None
    s = settings()
    text = _nfkc(raw)
    aliases = []
    for inner in _BRACKETS.findall(text):
        a = _synonyms(_brandless(inner, s), s)
        if len(a) >= 2 and a not in s.qualifiers:
            aliases.append(a)
    main = _synonyms(_brandless(_BRACKETS.sub(" ", text), s), s)
    if not main:
        return None
    core = main
    for suffix in s.generic_suffixes:
        if core.endswith(suffix) and len(core) - len(suffix) >= 2:
            core = core[: -len(suffix)]
            break
    return Name(main=main, core=core, aliases=tuple(aliases), raw=raw)


def _synonyms(text: str, s: Settings) -> str:
    for a, b in s.synonyms:
        text = text.replace(a, b)
    return text


def _bigrams(text: str) -> Counter[str]:
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def dice(a: str, b: str) -> float:
    """Character-bigram Dice coefficient (multiset), 0..1."""
    ga, gb = _bigrams(a), _bigrams(b)
    total = sum(ga.values()) + sum(gb.values())
    return 2 * sum((ga & gb).values()) / total if total else 0.0


def overlap(a: str, b: str) -> float:
    """How much of the shorter text's bigrams the longer one holds, 0..1."""
    ga, gb = _bigrams(a), _bigrams(b)
    small = min(sum(ga.values()), sum(gb.values()))
    return sum((ga & gb).values()) / small if small else 0.0


def _calibrator(text: str, s: Settings) -> bool:
    return any(text.endswith(x) for x in s.calibrator_suffixes)


@dataclass(frozen=True)
class NameMatch:
    level: str  # "equal" | "strong" | "medium" | "none"
    similarity: float


def compare_names(a: Name | None, b: Name | None) -> NameMatch:
    """How alike two names are. "equal": the same after normalisation, or one is the other's bracketed
    alternative name; "strong": bigram Dice ≥ strong; "medium": the shorter's bigrams mostly in the
    longer (overlap ≥ medium_overlap) and Dice ≥ medium_dice. A calibrator never matches the thing
    it calibrates (电池包绝缘监测装置 ≠ 电池包绝缘监测装置校准器)."""
    if a is None or b is None:
        return NameMatch("none", 0.0)
    s = settings()
    if _calibrator(a.main, s) != _calibrator(b.main, s):
        return NameMatch("none", 0.0)
    if a.main == b.main or a.main in b.aliases or b.main in a.aliases:
        return NameMatch("equal", 1.0)
    best_dice = max(dice(a.main, b.main), dice(a.core, b.core))
    best_overlap = max(overlap(a.main, b.main), overlap(a.core, b.core))
    if best_dice >= s.strong:
        return NameMatch("strong", best_dice)
    if best_overlap >= s.medium_overlap and best_dice >= s.medium_dice:
        return NameMatch("medium", best_dice)
    return NameMatch("none", best_dice)


# --- models ----------------------------------------------------------------------------------


def model_forms(raw: str | None) -> tuple[str, ...]:
    """The forms a model is compared in: the whole (all separators dropped) and each part of a list
    ("742A-1、742A-10k"), brand-free; a brand-free form shorter than 3 keeps its brand ("KLA P-7")."""
    if not raw or not raw.strip():
        return ()
    s = settings()
    text = _BRACKETS.sub(" ", _nfkc(raw))
    pieces = [text, *_SPLIT.split(text)] if _SPLIT.search(text) else [text]
    forms: list[str] = []
    for piece in pieces:
        bare = _brandless(piece, s)
        form = bare if len(bare) >= 3 else _plain(piece)
        if len(form) >= 2 and form not in forms:
            forms.append(form)
    return tuple(forms)


def _contains(longer: str, shorter: str, minimum: int) -> bool:
    """`shorter` inside `longer`, at least `minimum` long, and not cutting a number in two
    (A700 is not inside A7000)."""
    if len(shorter) < minimum or len(shorter) >= len(longer):
        return False
    start = longer.find(shorter)
    while start >= 0:
        end = start + len(shorter)
        cuts_before = start > 0 and shorter[0].isdigit() and longer[start - 1].isdigit()
        cuts_after = end < len(longer) and shorter[-1].isdigit() and longer[end].isdigit()
        if not cuts_before and not cuts_after:
            return True
        start = longer.find(shorter, start + 1)
    return False


def compare_models(a: Sequence[str], b: Sequence[str]) -> str:
    """"equal", "contained" or "different" ("" when either is absent)."""
    if not a or not b:
        return ""
    minimum = settings().model_contain_min
    if set(a) & set(b):
        return "equal"
    for x in a:
        for y in b:
            if _contains(x, y, minimum) or _contains(y, x, minimum):
                return "contained"
    return "different"


# --- rows ------------------------------------------------------------------------------------


def _get(row: Any, name: str | None) -> str | None:
    if name is None:
        return None
    value = row.get(name) if isinstance(row, dict) else getattr(row, name, None)
    return value if isinstance(value, str) else None


def _spec_key(text: str | None) -> str:
    return _plain(text or "")


@dataclass(frozen=True)
class Pair:
    plan: int  # index in the plan rows
    done: int  # index in the done rows
    score: float
    reason: str  # Chinese: why these two are taken for the same thing


@dataclass
class MatchResult:
    family: str
    pairs: list[Pair] = field(default_factory=list)
    unmatched_plan: list[int] = field(default_factory=list)
    unplanned_done: list[int] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return len(self.pairs)


def _field_similarity(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None
    pa, pb = _plain(a), _plain(b)
    return 1.0 if pa == pb else dice(pa, pb)


def _equipment(plan: Any, done: Any, names: NameMatch) -> tuple[float, str] | None:
    models = compare_models(model_forms(_get(plan, "model")), model_forms(_get(done, "model")))
    if models == "equal":
        return 4 + names.similarity, "型号一致"
    if models == "contained":
        return 3 + names.similarity, "型号相互包含"
    if models == "different":
        return None
    if names.level in ("equal", "strong"):  # a model absent on one side: the name alone, nearly the same
        return 1 + names.similarity, ("名称一致" if names.level == "equal" else f"名称相近（相似度{names.similarity:.2f}）") + "，缺少型号"
    return None


def _key_parameter(plan: Any, done: Any, names: NameMatch) -> tuple[float, str] | None:
    models = compare_models(model_forms(_get(plan, "model")), model_forms(_get(done, "model")))
    if models == "different" or names.level == "none":
        return None
    same_spec = bool(_get(plan, "specification")) and _spec_key(_get(plan, "specification")) == _spec_key(
        _get(done, "specification"))
    if names.level == "medium" and not (models or same_spec):
        return None
    what = "参数名称一致" if names.level == "equal" else f"参数名称相近（相似度{names.similarity:.2f}）"
    if models:
        what += "，仪器型号一致" if models == "equal" else "，仪器型号相互包含"
    elif names.level == "medium":
        what += "，测量规范一致"
    bonus = {"equal": 0.5, "contained": 0.3}.get(models, 0.0) + (0.2 if same_spec else 0.0)
    return 2 + names.similarity + bonus, what


def _calibration(plan: Any, done: Any, names: NameMatch) -> tuple[float, str] | None:
    if names.level == "none":
        return None
    quantity = _field_similarity(_get(plan, "quantity"), _get(done, "quantity"))
    same_spec = bool(_get(plan, "specification")) and _spec_key(_get(plan, "specification")) == _spec_key(
        _get(done, "specification"))
    s = settings()
    if quantity is not None and quantity < 0.3 and not same_spec:
        return None  # the same kind of instrument, another calibration item
    if names.level == "medium":
        corroborated = quantity >= s.corroborate if quantity is not None else same_spec
        if not corroborated:
            return None
    what = "仪器名称一致" if names.level == "equal" else f"仪器名称相近（相似度{names.similarity:.2f}）"
    if quantity is not None and quantity >= s.corroborate:
        what += "，校准参量一致" if quantity == 1.0 else "，校准参量相近"
    if same_spec:
        what += "，校准规范一致"
    return 2 + names.similarity + (quantity or 0.0) * 0.5 + (0.2 if same_spec else 0.0), what


_DECIDE = {"equipment": _equipment, "key_parameter_items": _key_parameter, "calibration_items": _calibration}


def candidate(family: str, plan: Any, done: Any) -> tuple[float, str] | None:
    """(score, reason) when the two rows may be the same thing, else None."""
    name_field = _TABLE_FIELDS[family][0]
    names = compare_names(name_forms(_get(plan, name_field)), name_forms(_get(done, name_field)))
    return _DECIDE[family](plan, done, names)


def match_rows(family: str, plan_rows: Sequence[Any], done_rows: Sequence[Any]) -> MatchResult:
    """One-to-one matching of plan rows to done rows of one table family (equipment,
    calibration_items, key_parameter_items), best-scoring pairs first."""
    family = FAMILY_OF.get(family, family)
    options = []
    for i, p in enumerate(plan_rows):
        for j, d in enumerate(done_rows):
            c = candidate(family, p, d)
            if c is not None:
                options.append((-c[0], i, j, c[1]))
    options.sort()
    used_plan: set[int] = set()
    used_done: set[int] = set()
    result = MatchResult(family=family)
    for neg, i, j, reason in options:
        if i in used_plan or j in used_done:
            continue
        used_plan.add(i)
        used_done.add(j)
        result.pairs.append(Pair(plan=i, done=j, score=-neg, reason=reason))
    result.pairs.sort(key=lambda p: p.plan)
    result.unmatched_plan = [i for i in range(len(plan_rows)) if i not in used_plan]
    result.unplanned_done = [j for j in range(len(done_rows)) if j not in used_done]
    return result


def describe(family: str, row: Any) -> str:
    """A row in a few words: 名称 型号 (equipment), 仪器：参量 (calibration), 参数（仪器 型号）."""
    name_field, model_field, _ = _TABLE_FIELDS[FAMILY_OF.get(family, family)]
    name = _get(row, name_field) or "（未填名称）"
    if family.startswith("calibration"):
        quantity = _get(row, "quantity")
        return f"{name}（{quantity}）" if quantity else name
    model = _get(row, model_field)
    if family.startswith("key_parameter"):
        instrument = " ".join(x for x in (_get(row, "instrument"), model) if x)
        return f"{name}（{instrument}）" if instrument else name
    return f"{name} {model}" if model else name
