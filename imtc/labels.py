"""The one vocabulary of Chinese labels (imtc/templates/labels.toml): kinds, severities, section
statuses, stages, bases, rubrics, parts, grades, table titles, entity lists. The terminal, the
summary workbook, the web pages and the review documents all take their words from here.

Plain dictionaries, read once when this module is imported (a few hundred bytes of TOML).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

FILE = Path(__file__).resolve().parent / "templates" / "labels.toml"

with open(FILE, "rb") as _f:
    VOCABULARY: dict[str, dict[str, str]] = tomllib.load(_f)

KIND = VOCABULARY["kind"]
SEVERITY = VOCABULARY["severity"]
SECTION_STATUS = VOCABULARY["section_status"]
STAGE = VOCABULARY["stage"]
BASIS = VOCABULARY["basis"]
RUBRIC = VOCABULARY["rubric"]
PART = VOCABULARY["part"]
CATEGORY = VOCABULARY["category"]
GRADE = VOCABULARY["grade"]
TABLE = VOCABULARY["table"]
ENTITY = VOCABULARY["entity"]
EXCELLENT, PASSED, FAILED = GRADE["excellent"], GRADE["passed"], GRADE["failed"]


def label(group: str, key: str | None, default: str | None = None) -> str:
    """The label of `key` in `group`; `default` (else the key itself) where the vocabulary has none."""
    if key is None:
        return default or ""
    return VOCABULARY[group].get(key, default if default is not None else key)
