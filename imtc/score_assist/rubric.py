"""The rubrics of annex 5 and annex 2 as data (imtc/templates/rubric_annex*.toml) and their bands.

A band's condition is data too: alternatives, each a few "var >= x" comparisons joined by "and".
Values are compared as exact fractions, so η = 3/5 is exactly 60% and meets a "≥60%" band.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
RUBRIC_FILES = {"annex5": "rubric_annex5.toml", "annex2": "rubric_annex2.toml"}

_CONDITION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|==|>|<)\s*(-?\d+(?:\.\d+)?)\s*$")
Number = int | float | Fraction


def exact(x: Number) -> Fraction:
    """A number as an exact fraction; floats through their shortest decimal form (0.6 is 3/5)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    return Fraction(repr(float(x)))


def _holds(condition: str, variables: dict[str, Number | None]) -> bool:
    m = _CONDITION.match(condition)
    if m is None:
        raise ValueError(f"bad band condition: {condition!r}")
    name, op, bound = m.group(1), m.group(2), Fraction(m.group(3))
    value = variables.get(name)
    if value is None:
        return False
    v = exact(value)
    return {">=": v >= bound, ">": v > bound, "<=": v <= bound, "<": v < bound, "==": v == bound}[op]


@dataclass(frozen=True)
class Band:
    text: str
    points: int | None = None  # a single score
    points_min: int | None = None  # or a range ("1-2分", "A：9—10分")
    points_max: int | None = None
    level: str | None = None  # annex 2: A, B, C
    when: tuple[str, ...] = ()  # alternatives; empty = the fallback band

    @property
    def low(self) -> int:
        return self.points if self.points is not None else int(self.points_min or 0)

    @property
    def high(self) -> int:
        return self.points if self.points is not None else int(self.points_max or 0)

    @property
    def label(self) -> str:
        if self.points is not None:
            return f"{self.points}分"
        return f"{self.points_min}-{self.points_max}分" if self.points_min != self.points_max else f"{self.points_min}分"

    def applies(self, variables: dict[str, Number | None]) -> bool:
        if not self.when:
            return True
        return any(all(_holds(c, variables) for c in alt.split(" and ")) for alt in self.when)


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    max: int
    part: str
    group: str
    basis: str = "expert"
    bands: tuple[Band, ...] = ()
    counts: str = ""
    formula: str = ""
    symbol: str | None = None  # η, a, b (a ratio 0-1) or n (a count): what `value` is
    check: str = ""
    standard: str = ""
    reading: str = ""
    needs: str | None = None
    sections: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    project_category: str | None = None

    @property
    def quantitative(self) -> bool:
        return any(b.when for b in self.bands)

    def band_for(self, value: Number | None = None, **aux: Number | None) -> Band | None:
        """The first band whose condition holds (bands run from the highest points down)."""
        if not self.quantitative:
            return None
        variables: dict[str, Number | None] = {"value": value, **aux}
        for band in self.bands:
            if band.applies(variables):
                return band
        return None

    def points_for(self, value: Number | None = None, **aux: Number | None) -> int | None:
        """The points the annex's bands give `value` (and the item's other variables)."""
        band = self.band_for(value, **aux)
        return None if band is None else band.points


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    max: int
    parent: str | None = None
    part: str | None = None


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    max: int


@dataclass(frozen=True)
class Rubric:
    name: str
    title: str
    source: str
    whole_points: bool
    totals: dict[str, Any]
    parts: tuple[Part, ...]
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    matching: dict[str, Any] = field(default_factory=dict)
    cases: dict[str, Any] = field(default_factory=dict)
    stated_total: int | None = None

    def item(self, key: str) -> Item:
        for it in self.items:
            if it.key == key:
                return it
        raise KeyError(key)

    def part_items(self, part: str) -> list[Item]:
        return [it for it in self.items if it.part == part]

    def leaf_sum(self, group: str) -> int:
        """The maxima of the items under a group (at any depth) added up."""
        keys = {group}
        changed = True
        while changed:
            changed = False
            for g in self.groups:
                if g.parent in keys and g.key not in keys:
                    keys.add(g.key)
                    changed = True
        return sum(it.max for it in self.items if it.group in keys)


def _band(raw: dict[str, Any]) -> Band:
    return Band(text=raw.get("text") or f"{raw.get('level')}：{raw.get('points_min')}—{raw.get('points_max')}分",
                points=raw.get("points"), points_min=raw.get("points_min"), points_max=raw.get("points_max"),
                level=raw.get("level"), when=tuple(raw.get("when", ())))


def _item(raw: dict[str, Any]) -> Item:
    return Item(key=raw["key"], title=raw.get("title", raw["key"].split("/")[-1]), max=raw["max"], part=raw["part"],
                group=raw["group"], basis=raw.get("basis", "expert"),
                bands=tuple(_band(b) for b in raw.get("bands", ())), counts=raw.get("counts", ""),
                formula=raw.get("formula", ""), symbol=raw.get("symbol"), check=raw.get("check", ""), standard=raw.get("standard", ""),
                reading=raw.get("reading", ""), needs=raw.get("needs"), sections=tuple(raw.get("sections", ())),
                tables=tuple(raw.get("tables", ())), keywords=tuple(raw.get("keywords", ())),
                project_category=raw.get("project_category"))


@cache
def load_rubric(name: str) -> Rubric:
    """The rubric "annex5" or "annex2", read once per process."""
    with open(TEMPLATES / RUBRIC_FILES[name], "rb") as f:
        raw = tomllib.load(f)
    return Rubric(
        name=raw["rubric"], title=raw["title"], source=raw["source"], whole_points=raw.get("whole_points", True),
        totals=raw["totals"], parts=tuple(Part(**p) for p in raw["parts"]),
        groups=tuple(Group(key=g["key"], title=g.get("title", g["key"]), max=g["max"], parent=g.get("parent"),
                           part=g.get("part")) for g in raw.get("groups", ())),
        items=tuple(_item(i) for i in raw["items"]), matching=raw.get("matching", {}), cases=raw.get("cases", {}),
        stated_total=raw.get("stated_total"),
    )
