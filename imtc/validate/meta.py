"""Cover rules: the center's name is given, in the unified form of the measures' article 4."""

from __future__ import annotations

import re
from collections.abc import Iterator

from imtc.findings import CENTER_NAME_ABSENT, CENTER_NAME_FORM
from imtc.models import Extraction, Finding, Location
from imtc.validate.registry import rule

PROVINCIAL = re.compile(r"浙江省.+(产业|碳)计量测试中心")
NATIONAL = re.compile(r"国家.+(产业|碳)计量测试中心")  # annual reports of national centers too
NAME_FORMS = {"annual_report": (PROVINCIAL, NATIONAL)}
NAMED_KINDS = ("application", "annual_report")


@rule(CENTER_NAME_ABSENT, CENTER_NAME_FORM)
def center_name(ex: Extraction) -> Iterator[Finding]:
    name = ex.meta.center_name
    if name is None:
        if ex.kind in NAMED_KINDS:
            yield CENTER_NAME_ABSENT(Location())
    elif not any(p.fullmatch(name) for p in NAME_FORMS.get(ex.kind, (PROVINCIAL,))):
        yield CENTER_NAME_FORM(Location(), name=name)
