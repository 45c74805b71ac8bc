"""Levels from names: funders and programmes, awarding bodies, written levels, index classes.

The names are data (imtc/templates/gazetteers.toml); this module only looks them up. Every lookup
runs over folded text (full-width ASCII folded to ASCII) and answers (level, the words that gave it),
or (None, None) when nothing names a level: the caller says so with a finding, never a default.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FILE = Path(__file__).resolve().parent.parent / "templates" / "gazetteers.toml"
LEVELS = ("national", "provincial", "municipal", "other")


@dataclass(frozen=True)
class Gazetteer:
    explicit: tuple[tuple[str, re.Pattern[str]], ...]
    funders: tuple[tuple[str, re.Pattern[str]], ...]
    awards: tuple[tuple[str, re.Pattern[str]], ...]
    indexed: tuple[tuple[str, re.Pattern[str]], ...]


def _compile(words: list[str], cities: str) -> re.Pattern[str]:
    return re.compile("|".join(w.replace("CITY", cities) for w in words))


@cache
def gazetteer() -> Gazetteer:
    with open(FILE, "rb") as f:
        raw = tomllib.load(f)
    cities = "|".join(raw["funders"]["municipal_cities"])
    fund = raw["funders"]
    return Gazetteer(
        explicit=tuple((lv, _compile(raw["explicit"][lv], cities)) for lv in LEVELS),
        funders=tuple((lv, _compile(fund[lv], cities)) for lv in LEVELS),
        awards=tuple((lv, _compile(ws, cities)) for lv, ws in raw["awards"].items()),
        indexed=tuple((k, re.compile(v)) for k, v in raw["papers"]["indexed"].items()),
    )


def explicit_level(text: str) -> tuple[str | None, str | None]:
    """A level the text writes out (国家级, 省部级, 市级 …): the last one written wins."""
    best: tuple[int, str, str] | None = None
    for level, pattern in gazetteer().explicit:
        for m in pattern.finditer(text):
            if best is None or m.start() > best[0]:
                best = (m.start(), level, m.group())
    return (best[1], best[2]) if best else (None, None)


def funder_level(text: str, nearest_end: bool = True) -> tuple[str | None, str | None]:
    """The level of the funder named in `text`: the one ending nearest its end (the title follows
    it), or nearest its start when `nearest_end` is False (the funder follows the title). Among
    matches ending at the same place the longer wins."""
    best: tuple[int, int, str, str] | None = None
    for level, pattern in gazetteer().funders:
        for m in pattern.finditer(text):
            where = m.end() if nearest_end else -m.start()
            cand = (where, m.end() - m.start(), level, m.group())
            if best is None or cand[:2] > best[:2]:
                best = cand
    return (best[2], best[3]) if best else (None, None)


def project_level(text: str, nearest_end: bool = True) -> tuple[str | None, str | None]:
    """A written level wins over the funder's."""
    level, words = explicit_level(text)
    if level is not None:
        return level, words
    return funder_level(text, nearest_end)


def award_level(body: str) -> str | None:
    """The level of an award by the words of its awarding body (a society's prize is other)."""
    for level, pattern in gazetteer().awards:
        if pattern.search(body):
            return level
    return None


def indexed(text: str) -> str | None:
    for name, pattern in gazetteer().indexed:
        if pattern.search(text):
            return name
    return None
