"""What a center's name says: its level (国家/省级) and its industry. Pure functions."""

from __future__ import annotations

import re
import unicodedata

LEVELS = {"national": "国家", "provincial": "省级"}

_NATIONAL = re.compile(r"^国家.+(?:产业)?计量测试中心$")
_PROVINCIAL = re.compile(r"^浙江省?(?P<industry>.+?)(?:产业)?(?:（碳）|\(碳\))?计量测试中心$")
_NATIONAL_INDUSTRY = re.compile(r"^国家(?P<industry>.+?)(?:产业)?计量测试中心")


def _clean(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).replace("(", "（").replace(")", "）")


def level_of(name: str) -> str | None:
    """national / provincial from the name's form (第四条, 第二十条), None when it says neither."""
    t = _clean(name)
    if _NATIONAL.match(t):
        return "national"
    if _PROVINCIAL.match(t):
        return "provincial"
    return None


def industry_of(name: str) -> str | None:
    """The ×× of 浙江省××产业计量测试中心 (or of 国家××产业计量测试中心); None for another form."""
    t = _clean(name)
    m = _PROVINCIAL.match(t) or _NATIONAL_INDUSTRY.match(t)
    if not m:
        return None
    industry = m.group("industry").removesuffix("产业")
    return industry or None
