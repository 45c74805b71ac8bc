"""Small text helpers shared by the readers and the template logic (no template knowledge here)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

_WS = re.compile(r"\s+")
_NOT_KEY = re.compile(r"[\s:：,，.。;；、·•\-—_＿\"'“”‘’《》〈〉]+")


# A PDF's font may name a CJK character by the code of another that shares its glyph (Noto/Source Han
# CJK SC printed by Chromium or Skia, which name each glyph by its lowest code: 小 as the Kangxi
# radical ⼩ U+2F29, 门 as ⻔ U+2ED4, 胶 as 㬵 U+3B35, 〈 as 〈 U+2329): the text is the character.
# Measured by bench/glyph_aliases.py (every GB2312 character printed by Chromium in both Noto CJK SC
# faces and read back): the Kangxi radicals by their compatibility mapping, but ⼾ as the simplified
# 户; those of the CJK radicals supplement found; and the horizontal bar those fonts draw as the em dash.
_ALIASES = {
    0x2015: "—", 0x2329: "〈", 0x232A: "〉", 0x2215: "／", 0x301C: "～", 0x3B35: "胶", 0x2F3E: "户",
    0x2E85: "亻", 0x2E89: "刂", 0x2E8E: "兀", 0x2E90: "尢", 0x2E92: "巳", 0x2E93: "幺", 0x2E95: "彐",
    0x2E96: "忄", 0x2E98: "扌", 0x2E99: "攵", 0x2E9F: "母", 0x2EA0: "民", 0x2EA1: "氵", 0x2EA3: "灬",
    0x2EA6: "丬", 0x2EA8: "犭", 0x2EAD: "礻", 0x2EB0: "纟", 0x2EBA: "肀", 0x2EBE: "艹", 0x2EC1: "虎",
    0x2EC2: "衤", 0x2EC5: "见", 0x2EC6: "角", 0x2EC8: "讠", 0x2EC9: "贝", 0x2ECB: "车", 0x2ECC: "辶",
    0x2ED0: "钅", 0x2ED3: "长", 0x2ED4: "门", 0x2ED6: "阝", 0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页",
    0x2EDB: "风", 0x2EDC: "飞", 0x2EDD: "食", 0x2EE0: "饣", 0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼",
    0x2EE5: "鱼", 0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦", 0x2EE9: "黄", 0x2EEA: "黾", 0x2EEC: "齐",
    0x2EEE: "齿", 0x2EF0: "龙", 0x2EF3: "龟",
}
# Latin ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ, U+FB00-FB06) that a layout engine sets as one glyph and names by
# the ligature's code (Chromium/Skia: "Thermo Scientiﬁc"): the text is their letters.
LIGATURES = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)}
ALIASES: dict[int, str] = ({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)} | _ALIASES
                           | LIGATURES)
ALIASED = re.compile("[" + "".join(map(chr, sorted(ALIASES))) + "]")


def unalias(text: str) -> str:
    """`text` with each code a PDF's font gave for another character of the same glyph read as that
    character (_ALIASES)."""
    return text.translate(ALIASES) if ALIASED.search(text) else text


def clean(text: str | None) -> str | None:
    """A cell value as the contract wants it: whitespace runs collapsed to one space, trimmed, None when empty."""
    if text is None:
        return None
    out = _WS.sub(" ", text.replace("\u3000", " ").replace("\xa0", " ")).strip()
    return out or None


def squash(text: str) -> str:
    """For comparing labels: NFKC (full-width -> half-width, （ -> (), no whitespace at all."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def header_key(text: str) -> str:
    """A table header text as the header vocabulary holds it (blocks.HeaderVocabulary): squashed,
    brackets removed."""
    return squash(text).replace("(", "").replace(")", "")


def key_text(text: str) -> str:
    """For comparing titles: squash() and no punctuation, nor what is left of a heading's label a
    scan lost the numeral of: an empty bracket ("()校准项目技术需求表"), a closing one before the
    title (")产业参数量值溯源信息汇总表")."""
    return _NOT_KEY.sub("", unicodedata.normalize("NFKC", text)).replace("()", "").lstrip(")")


def similarity(a: str, b: str) -> float:
    """How alike two titles are, 0..1, after key_text()."""
    return similarity_keyed(key_text(a), key_text(b))


def similarity_keyed(a: str, b: str, at_least: float = 0.0) -> float:
    """similarity() of two texts already passed through key_text(); b is the template's title.

    With `at_least`, a similarity that would fall below it may come back as 0.0 instead: difflib's
    comparison is skipped when its upper bound (the characters the two have in common, counted
    with repeats: difflib's quick_ratio) already falls short. A value >= `at_least` is exact."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if b in a:  # the template title inside a longer heading ("…需求表（单位：万元）")
        return 0.95 if len(a) <= len(b) + 12 else 0.8
    common = len(set(a) & set(b))
    if common < 0.4 * len(set(b)):
        return 0.0  # cheap reject: most of the title's characters are absent
    abbreviated = a in b and len(a) >= 4  # an abbreviated heading ("建设目标" for "建设目标、重点领域和重点项目")
    if (at_least > 0.6 or not abbreviated) and _ratio_bound(a, b) < at_least:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    if abbreviated:
        return max(0.6, ratio)
    return ratio


def _ratio_bound(a: str, b: str) -> float:
    """An upper bound of SequenceMatcher(None, a, b).ratio() (no junk): its matched characters are
    at most those the two share, counted with repeats; the same formula, so the same rounding."""
    matches = sum((_counts(a) & _counts(b)).values())
    return 2.0 * matches / (len(a) + len(b))


@lru_cache(maxsize=4096)
def _counts(text: str) -> Counter[str]:
    return Counter(text)  # shared: never changed in place


_AMOUNT = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
NO_AMOUNT = {"/", "—", "-", "--", "——", "无", "－", "／", "–"}


def parse_amount(text: str | None) -> tuple[float | None, bool]:
    """(value, ok). '120', '120.5', '１２０', '120万元', '1,200' -> a number; '/' '—' '无' -> (None, True);
    anything else -> (None, False)."""
    if text is None:
        return None, True
    t = squash(text).replace(",", "")
    if t in NO_AMOUNT or not t:
        return None, True
    for suffix in ("万元", "万", "(万元)"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
            break
    if t.startswith("¥") or t.startswith("￥"):
        t = t[1:]
    if _AMOUNT.match(t):
        v = float(t)
        return (int(v) if v.is_integer() else v), True
    return None, False


CN_NUM = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0, "Ｏ": 0}


def chinese_to_int(s: str) -> int | None:
    """'二〇二四' -> 2024 (digit by digit), '十' -> 10, '二十一' -> 21, '十二' -> 12."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        tens = CN_NUM.get(head, None) if head else 1
        ones = CN_NUM.get(tail, None) if tail else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    digits = [CN_NUM.get(c) for c in s]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


_DATE_PATTERNS = [
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})"),
    re.compile(r"([〇一二三四五六七八九零○OＯ]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日?"),
]


def parse_date(text: str) -> str | None:
    """The first date in the text as YYYY-MM-DD; Chinese-numeral dates too."""
    t = unicodedata.normalize("NFKC", text)
    for pat in _DATE_PATTERNS:
        m = pat.search(t)
        if not m:
            continue
        y, mo, d = (chinese_to_int(g) for g in m.groups())
        if y and mo and d and 1900 < y < 2200 and 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


NOTE_RE = re.compile(r"^(注|说明|备注)\d?[:：]")  # a note under a table
CN = "一二三四五六七八九十"
_L1 = re.compile(rf"^(?:第)?([{CN}]{{1,3}})\s*(?:[、.,，．]|章|部分)\s*(.*)$")
_L2 = re.compile(rf"^[(（]\s*([{CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*(.*)$")
_L3 = re.compile(r"^(\d{1,2})\s*(?:[.．、)）]|\s)\s*(?!\d)(.*)$")
_DOTTED = re.compile(r"^(\d{1,2}(?:\s*[.．]\s*\d{1,2})+)\s*[.．、]?\s*(?!\d)(.*)$")


@dataclass
class Label:
    level: int | None  # 1, 2, 3 from the label's form; None when there is no label
    number: int | None
    title: str  # text after the label


def parse_label(text: str) -> Label:
    t = unicodedata.normalize("NFKC", text).strip()
    m = _DOTTED.match(t)
    if m:
        parts = re.split(r"\s*[.．]\s*", m.group(1))
        return Label(level=len(parts), number=int(parts[-1]), title=m.group(2))
    m = _L2.match(t)
    if m:
        return Label(level=2, number=chinese_to_int(m.group(1)), title=m.group(2))
    m = _L1.match(t)
    if m:
        return Label(level=1, number=chinese_to_int(m.group(1)), title=m.group(2))
    m = _L3.match(t)
    if m:
        return Label(level=3, number=int(m.group(1)), title=m.group(2))
    return Label(level=None, number=None, title=t)
