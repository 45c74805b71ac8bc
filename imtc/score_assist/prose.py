"""Figures the rubric counts in running text: service cases (1.5.2, 1.5.3), trainings on standards
(2.4.2), units applying a result (2.2.3, 2.3.3), results applied per project (2.5.2) and academic
exchange reports (2.5.4). Each finder returns the figure and the paragraphs it was read from, so
the evidence can quote them; None when the text does not say.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from imtc.extract.text import chinese_to_int
from imtc.score_assist.texts import Para, SectionTexts

_NUM = r"(\d+|[一二两三四五六七八九十]+)"
_SENTENCE_END = re.compile(r"(?<=[。；;！!？?])")
_UNITS = re.compile(rf"{_NUM}\s*(?:家(?:企业|单位|实验室|机构|公司)?|个(?:企业|单位|实验室|机构|公司))")
_APPLIED = ("应用", "推广", "采用", "试用", "转化")
_FUTURE = ("拟", "将在", "将于", "力争", "预计", "争取", "计划于", "计划在", "计划将")
_TIMES = re.compile(rf"{_NUM}\s*次")
_EVENTS = re.compile(r"宣贯培训会|宣贯会|培训班|培训会")
_REPORTS_COUNTED = re.compile(rf"学术(?:交流)?报告\s*{_NUM}\s*次")
_REPORT_MENTION = re.compile(r"[作做][^。；]{0,60}?(?:学术(?:交流)?报告|特邀报告|大会报告)")


def number(text: str) -> int | None:
    t = unicodedata.normalize("NFKC", text).replace("两", "二")
    return chinese_to_int(t)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


@dataclass
class Found:
    value: int | None
    paras: list[Para] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    how: str = ""


# --- 1.5.2 / 1.5.3: cases -----------------------------------------------------------------------


@dataclass
class Case:
    para: Para
    other_industry: bool


def cases(texts: SectionTexts, section: str, label: str, markers: list[str]) -> list[Case]:
    """The numbered case paragraphs of a section ("案例一：…", "（一）…", "1. …"); a case is another
    industry's when a marker word stands in its first 40 characters (its label or title)."""
    pattern = re.compile(label)
    out = []
    for p in texts.under(section):
        text = unicodedata.normalize("NFKC", p.text).strip()
        if pattern.match(text):
            head = text[:40]
            out.append(Case(p, any(unicodedata.normalize("NFKC", m) in head for m in markers)))
    return out


# --- 2.2.3 / 2.3.3: units applying the results ----------------------------------------------------


def applying_units(texts: SectionTexts, keys: tuple[str, ...]) -> Found:
    """The largest N in sentences such as "在省内16家企业推广应用", "成果已在2家企业应用"."""
    best = Found(None, how="报告中“在N家企业/单位应用（推广、采用、试用、转化）”一类表述的最大N")
    for p in texts.text(keys):
        for s in sentences(p.text):
            if not any(w in s for w in _APPLIED) or any(w in s for w in _FUTURE):
                continue
            for m in _UNITS.finditer(s):
                n = number(m.group(1))
                if n is not None and (best.value is None or n > best.value):
                    best.value = n
                    best.paras = [p]
                    best.quotes = [s.strip()]
    return best


# --- 2.4.2: trainings on standards -----------------------------------------------------------------


def trainings(texts: SectionTexts, keys: tuple[str, ...]) -> Found:
    """"全年组织宣贯和培训3次" gives 3; without a count, the events named (宣贯会, 培训班) are counted."""
    for p in texts.text(keys):
        for s in sentences(p.text):
            if "宣贯" in s or "培训" in s:
                m = _TIMES.search(s)
                if m and number(m.group(1)) is not None:
                    return Found(number(m.group(1)), [p], [s.strip()], "报告写明的宣贯、培训次数")
    events: list[tuple[Para, str]] = []
    for p in texts.text(keys):
        for s in sentences(p.text):
            events += [(p, s.strip())] * len(_EVENTS.findall(s))
    if not events:
        return Found(None, how="报告未写明宣贯、培训次数")
    return Found(len(events), [e[0] for e in events], [e[1] for e in events], "报告未写明次数，按提到的宣贯会、培训班计")


# --- 2.5.4: academic exchange reports --------------------------------------------------------------


def academic_reports(texts: SectionTexts, keys: tuple[str, ...]) -> Found:
    """"作学术交流报告1次" gives 1; without a count, the sentences saying a report was given."""
    for p in texts.text(keys):
        m = _REPORTS_COUNTED.search(p.text)
        if m and number(m.group(1)) is not None:
            return Found(number(m.group(1)), [p], [m.group(0)], "报告写明的学术交流报告次数")
    found = Found(0, how="按写明作了学术报告的句子计")
    for p in texts.text(keys):
        for s in sentences(p.text):
            if _REPORT_MENTION.search(s):
                found.value = (found.value or 0) + 1
                found.paras.append(p)
                found.quotes.append(s.strip())
    return found


# --- 2.5.2: results applied, per project -----------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"[\s“”\"《》]", "", unicodedata.normalize("NFKC", text))


def applied_sentence(para_text: str, title: str, other_titles: list[str]) -> str | None:
    """The sentence saying the project's result is applied: from the sentence naming the project up to
    the next sentence naming another project, one with 应用/推广/采用/转化 and no future tense."""
    t = _squash(title)
    if not t:
        return None
    others = [_squash(o) for o in other_titles if _squash(o) and _squash(o) != t]
    inside = False
    for s in sentences(para_text):
        q = _squash(s)
        if t in q:
            inside = True
        elif any(o in q for o in others):
            inside = False
        if inside and any(w in s for w in _APPLIED if w != "试用") and not any(w in s for w in _FUTURE):
            return s.strip()
    return None
