"""Stage 2: rules over an `Extraction` -> findings (docs/validation.md says when each is emitted).

Rules live in modules by subject (outline, tables, meta) and register themselves with the codes
they may emit; `validate()` runs them all. Template data comes from imtc/templates/.
"""

from __future__ import annotations

from imtc.models import Extraction, Finding
from imtc.validate import crosscheck, meta, outline, tables  # noqa: F401  (importing registers their rules)
from imtc.validate.registry import RULES, Rule, rule, run

__all__ = ["RULES", "Rule", "rule", "validate"]


def validate(ex: Extraction) -> list[Finding]:
    """The findings the rules make of `ex`, to be appended to its own; `ex` is not changed."""
    return run(ex)
