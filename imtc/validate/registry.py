"""The rule registry: each rule is a plain function declared with the finding codes it may emit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from imtc.findings import Code
from imtc.models import Extraction, Finding

RuleFn = Callable[[Extraction], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    name: str
    codes: frozenset[str]
    check: RuleFn


RULES: list[Rule] = []


class UndeclaredCode(Exception):
    """A rule emitted a finding code it did not declare (a programming error)."""


def rule(*codes: Code) -> Callable[[RuleFn], RuleFn]:
    """Register the decorated function as a rule that may emit `codes` (validate-stage codes)."""
    for c in codes:
        if c.stage != "validate":
            raise ValueError(f"{c.code} is declared for stage {c.stage!r}, not validate")

    def register(fn: RuleFn) -> RuleFn:
        RULES.append(Rule(fn.__name__, frozenset(c.code for c in codes), fn))
        return fn

    return register


def run(ex: Extraction, rules: Iterable[Rule] | None = None) -> list[Finding]:
    """Every registered rule's findings on `ex`, in registration order."""
    out: list[Finding] = []
    for r in RULES if rules is None else rules:
        for f in r.check(ex):
            if f.code not in r.codes:
                raise UndeclaredCode(f"rule {r.name} emitted {f.code}, not among {sorted(r.codes)}")
            out.append(f)
    return out
