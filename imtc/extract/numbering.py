"""Word's automatic list numbering: the label a numbered paragraph displays.

The label (一、 （一） 1.) is not in the paragraph's text; it comes from numbering.xml through
w:numPr (on the paragraph or its style). Counters are kept per abstract list, as Word does:
lists that share an abstract definition continue each other unless a w:num overrides the
start. Call `label()` for every numbered paragraph in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


VAL = q("val")
CN_DIGITS = "〇一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
TIANGAN = "甲乙丙丁戊己庚辛壬癸"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (as Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + CN_DIGITS[rest] if rest < 10 else chinese_number(rest))
        if 10 <= rest < 20:
            tail = "一" + tail
        return CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
            (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def letters(n: int) -> str:
    # Word repeats the letter: 27 -> AA
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


def _full_width(n: int) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in str(n))


def _circled(n: int) -> str:
    return CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n)


_CHINESE_FORMATS = ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                    "chineseLegalSimplified", "ideographDigital", "koreanCounting")
FORMATTERS = {
    **dict.fromkeys(_CHINESE_FORMATS, chinese_number),
    "decimalFullWidth": _full_width,
    "decimalFullWidth2": _full_width,
    "decimalEnclosedCircle": _circled,
    "decimalEnclosedCircleChinese": _circled,
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "ideographTraditional": lambda n: TIANGAN[(n - 1) % 10],
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": roman,
    "lowerRoman": lambda n: roman(n).lower(),
    "upperLetter": letters,
    "lowerLetter": lambda n: letters(n).lower(),
    "bullet": lambda n: "",
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """The counter `n` as Word's w:numFmt `fmt` shows it; decimal for formats not listed (and for
    counters beyond any real list, whose Roman numerals or letters would only cost time)."""
    if not -MAX_START <= n <= 10 * MAX_START:
        return str(n)
    return FORMATTERS.get(fmt, str)(n)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # w:lvlRestart: restart after this 1-based level; None = any higher
    legal: bool = False
    style: str | None = None


@dataclass
class Instance:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    level_overrides: dict[int, Level] = field(default_factory=dict)


MAX_START = 32767  # Word's own bound on a list's start value
MAX_LEVEL = 8  # w:ilvl is 0-8
_INTEGER = re.compile(r"[+-]?[0-9]{1,12}")


def int_attr(el: etree._Element | None, lo: int, hi: int, bad: list[str] | None = None,
             default: int | None = None, name: str = VAL) -> int | None:
    """The integer attribute `name` of `el`, clamped to [lo, hi]; `default` when `el` or the attribute
    is absent or not a decimal integer. A value that is not an integer or out of range is noted
    in `bad` ("w:ilvl=\"abc\"") for the reader's warning."""
    if el is None:
        return default
    raw = el.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if not _INTEGER.fullmatch(text):
        _note(bad, el, name, raw)
        return default
    n = int(text)
    if not lo <= n <= hi:
        _note(bad, el, name, raw)
        n = min(max(n, lo), hi)
    return n


def _note(bad: list[str] | None, el: etree._Element, name: str, raw: str) -> None:
    if bad is not None:
        shown = raw if len(raw) <= 20 else raw[:19] + "…"
        bad.append(f'w:{etree.QName(el).localname} {etree.QName(name).localname}="{shown}"')


def _int(el: etree._Element | None, default: int | None = None, bad: list[str] | None = None,
         lo: int = 0, hi: int = MAX_START) -> int | None:
    return int_attr(el, lo, hi, bad, default)


def _level(lvl: etree._Element, bad: list[str] | None = None) -> Level:
    fmt = lvl.find(q("numFmt"))
    text = lvl.find(q("lvlText"))
    style = lvl.find(q("pStyle"))
    legal = lvl.find(q("isLgl"))
    return Level(
        start=_int(lvl.find(q("start")), 1, bad) or 0,
        fmt=fmt.get(VAL, "decimal") if fmt is not None else "decimal",
        text=(text.get(VAL, "") if text is not None else "")[:100],
        restart=_int(lvl.find(q("lvlRestart")), None, bad, 0, MAX_LEVEL + 1),
        legal=legal is not None and legal.get(VAL, "true") not in ("0", "false", "off"),
        style=style.get(VAL) if style is not None else None,
    )


class Numbering:
    """Label resolver over one document's numbering part."""

    def __init__(self, root: etree._Element | None, style_num: dict[str, tuple[str, int | None]] | None = None,
                 bad: list[str] | None = None):
        self.bad = bad if bad is not None else []  # malformed attributes met, for the reader's warning
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.abstract_links: dict[str, str] = {}  # abstractNumId -> numStyleLink style id
        self.instances: dict[str, Instance] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.seen: set[str] = set()
        self.style_num = style_num or {}
        if root is None:
            return
        for a in root.iter(q("abstractNum")):
            aid = a.get(q("abstractNumId"))
            self.abstracts[aid] = {self._ilvl(lv): _level(lv, self.bad) for lv in a.findall(q("lvl"))}
            link = a.find(q("numStyleLink"))
            if link is not None:
                self.abstract_links[aid] = link.get(VAL)
        for n in root.iter(q("num")):
            nid = n.get(q("numId"))
            a = n.find(q("abstractNumId"))
            inst = Instance(abstract=a.get(VAL) if a is not None else "")
            for o in n.findall(q("lvlOverride")):
                ilvl = self._ilvl(o)
                so = _int(o.find(q("startOverride")), None, self.bad)
                if so is not None:
                    inst.start_overrides[ilvl] = so
                lv = o.find(q("lvl"))
                if lv is not None:
                    inst.level_overrides[ilvl] = _level(lv, self.bad)
            self.instances[nid] = inst

    def _ilvl(self, el: etree._Element) -> int:
        return int_attr(el, 0, MAX_LEVEL, self.bad, 0, q("ilvl")) or 0

    def _abstract_of(self, num_id: str) -> str | None:
        inst = self.instances.get(num_id)
        if inst is None:
            return None
        aid = inst.abstract
        link = self.abstract_links.get(aid)
        if link and link in self.style_num:  # numStyleLink -> the style's own list
            linked = self.instances.get(self.style_num[link][0])
            if linked is not None:
                aid = linked.abstract
        return aid

    def levels(self, num_id: str) -> dict[int, Level]:
        aid = self._abstract_of(num_id)
        levels = dict(self.abstracts.get(aid or "", {}))
        inst = self.instances.get(num_id)
        if inst:
            levels.update(inst.level_overrides)
        return levels

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        for i, lv in self.levels(num_id).items():
            if lv.style == style_id:
                return i
        return None

    def label(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list's counter at `ilvl` and return the label it displays."""
        if num_id in ("0", "", None):  # numId 0 removes numbering
            return None
        levels = self.levels(num_id)
        if ilvl not in levels:
            return None
        aid = self._abstract_of(num_id) or num_id
        counters = self.counters.setdefault(aid, {})
        inst = self.instances[num_id]
        if num_id not in self.seen:
            self.seen.add(num_id)
            for lv_i, start in inst.start_overrides.items():
                counters[lv_i] = start - 1
                for deeper in [k for k in counters if k > lv_i]:
                    del counters[deeper]
        lvl = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, lvl.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counters[deeper]
        text = lvl.text
        for k in range(9):
            token = f"%{k + 1}"
            if token not in text:
                continue
            lv_k = levels.get(k, Level())
            n = counters.get(k, lv_k.start)
            fmt = "decimal" if (lvl.legal and k != ilvl) else lv_k.fmt
            text = text.replace(token, format_number(n, fmt))
        return text
