"""The templates as data: outlines of annex 1 and annex 4, and the table layouts.

Loaded once per process; the files beside this module are the only place they are defined.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUTLINE_FILES = {"application": "annex1.toml", "annual_report": "annex4.toml"}


@dataclass(frozen=True)
class SectionSpec:
    key: str
    label: str
    title: str
    table: str | None = None
    suggested: bool = False

    @property
    def level(self) -> int:
        return self.key.count(".") + 1

    @property
    def parent(self) -> str | None:
        return self.key.rsplit(".", 1)[0] if "." in self.key else None


@dataclass(frozen=True)
class Outline:
    kind: str
    title: str
    title_marks: tuple[str, ...]
    sections: tuple[SectionSpec, ...]
    index: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def children(self, key: str) -> list[SectionSpec]:
        return [s for s in self.sections if s.parent == key]


@dataclass(frozen=True)
class Family:
    name: str
    min_match: int
    marks: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class TableKind:
    name: str
    family: str
    title: str
    section: str
    required: tuple[str, ...]
    sections: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    optional: bool = False


def _load(name: str) -> dict[str, Any]:
    with open(HERE / name, "rb") as f:
        return tomllib.load(f)


@cache
def outline(kind: str) -> Outline:
    data = _load(OUTLINE_FILES[kind])
    secs = tuple(SectionSpec(**s) for s in data["sections"])
    return Outline(kind=data["kind"], title=data["title"], title_marks=tuple(data["title_marks"]),
                   sections=secs, index={s.key: i for i, s in enumerate(secs)})


@cache
def families() -> dict[str, Family]:
    data = _load("tables.toml")["families"]
    return {name: Family(name=name, min_match=f["min_match"], marks=tuple(f["marks"]),
                         fields={k: tuple(v) for k, v in f["fields"].items()})
            for name, f in data.items()}


@cache
def table_kinds() -> dict[str, TableKind]:
    data = _load("tables.toml")["kinds"]
    return {name: TableKind(name=name, family=k["family"], title=k["title"], section=k["section"],
                            required=tuple(k["required"]), sections=tuple(k.get("sections", ())),
                            areas=tuple(k.get("areas", ())), optional=k.get("optional", False))
            for name, k in data.items()}
