"""An item under a heading that names its kind, read as that kind: the parts of one list item or row.

A list item (numbered by hand or automatically) or a table row under 一（七）2 前瞻性…, under a
sub-heading “知识产权”, after “发表论文如下：” is a candidate of that kind even when it quotes
nothing: its title is the part that reads as a title once the funder, level, status, dates, people
and events are set aside. These are plain functions over one item's folded text; the reader in
entities.py decides what to keep and merges.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from imtc.extract import gazetteer as G

LABEL = re.compile(
    r"^\s*(?:\d{1,2}\s*[.、．)）](?:(?=(?:19|20)\d{2}\s*年)|(?!\d))|[(（]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*、|"
    r"\[\d{1,3}\]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]|[•·●▪◆■□\-—]\s*)\s*")
SEP = re.compile(r"\s*(?:[，,；;。：:、（）()\[\]【】]|——|\s{2,}|\t|　)\s*")
QUOTE = re.compile(r"[“\"「『]([^“”\"「」『』\n]{2,120})[”\"」』]|《([^《》\n]{2,120})》")
YEARS = re.compile(r"^(?:(?:19|20)\d{2}(?:\s*[年.\-—–~至]\s*\d{0,4}\s*(?:年|月)?)*\s*(?:年度?|年)?[-—–~至]*)+$")
STATUS_DONE = re.compile(r"验收|结题|已完成(?![^，,。；;]{0,6}(?:中期|样机|阶段|检查|初稿|方案))|^完成$|已结项|完成并")
STATUS_ONGOING = re.compile(r"在研|在建|实施中|进行中|正在|推进|中期|进展")
TITLE_END = re.compile(r"(?:研究|研制|开发|应用|技术|方法|系统|装置|平台|建设|设计|评价|体系|工程|示范|攻关|产业化|模型|"
                       r"探索|实践|分析|检测|测量|校准|测试|计量|仪|器|机|规范|规程|标准|进展|展望|服务)$")
FUNDER_END = re.compile(r"(?:计划|专项|基金|资助|委托|科研|课题|来源|部门|管理局|科技局|科技厅|监管局|项目)$")
PROGRAMME_AFTER = re.compile(r"\s*(?:[“\"「]|重点专项|研发攻关|攻关计划|计划(?!项目|课题)|项目指南)")
PROGRAMME_AROUND = (re.compile(r"(?:计划|基金)\s*$"), re.compile(r"\s*专项"))  # 研发计划“…”专项
EVENT = re.compile(r"会议|大会|年会|论坛|研讨会|交流会|峰会|workshop|conference|symposium|I2MTC|会$", re.I)
TALK_KIND = re.compile(r"(?:学术|特邀|主题|大会|分会|专题|邀请|口头)?报告$")
PERSON = re.compile(r"^(?:中心)?(?:主任|副主任|专家|技术负责人|首席|高级工程师|工程师|研究员|教授|博士)|"
                    r"(?:主任|专家|负责人|工程师|研究员|教授|博士)$|^[\u4e00-\u9fff]{2,3}$")
OWN_ROLE = re.compile(r"中心|第一完成|完成单位|第[一二三四五]|排名|为主|牵头|参与")
REFERENCE_KIND = re.compile(r"\[[JCMDRSPNZA](?:/OL)?\]")
REFERENCE_REACH = 420  # authors (160) and title (240) before the [J], venue and year after it
REFERENCE = re.compile(
    r"(?P<authors>[^\[\]“”《》。：:；;]{1,160}?)[.．。]\s*(?P<title>[^\[\]。]{4,240}?)\s*\[(?P<type>[JCMDRSPNZA])(?:/OL)?\]\s*"
    r"(?:[.．。,，]|//)?\s*(?P<venue>[^,，\[\]]{2,160}?)\s*[,，]\s*(?P<year>(?:19|20)\d{2})")


def strip_label(text: str) -> str:
    """The item without its label (two at most: （1）[9] …)."""
    return LABEL.sub("", LABEL.sub("", text, count=1), count=1)


def has_label(text: str) -> bool:
    return bool(LABEL.match(text))


def parts(text: str) -> list[tuple[int, int]]:
    """The stretches between separators, as (start, end) in `text`."""
    out = []
    start = 0
    for m in SEP.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def quotes(text: str) -> list[tuple[int, int, str]]:
    """Quoted stretches (start, end of the quote marks, inner text), programme names left out
    (“尖兵”“领雁”研发攻关计划, 国家重点研发计划“国家质量基础设施体系”重点专项)."""
    out = []
    for m in QUOTE.finditer(text):
        inner = m.group(1) or m.group(2)
        if programme(text, m.start(), m.end()):
            continue
        out.append((m.start(), m.end(), inner))
    return out


def programme(text: str, start: int, end: int) -> bool:
    """Whether the quote at [start, end) names a programme (“尖兵”“领雁”研发攻关计划,
    重点研发计划“国家质量基础设施体系”重点专项), not a title."""
    if PROGRAMME_AFTER.match(text, end) or text[max(0, start - 1):start] in ("”", '"'):
        return True
    return bool(PROGRAMME_AROUND[0].search(text[max(0, start - 8):start]) and PROGRAMME_AROUND[1].match(text, end))


@dataclass
class Item:
    title: str | None
    rest: str  # the item without its title: where levels, funders, statuses and venues are read
    start: int = -1  # the title's stretch in the item's text (-1: from labelled fields)
    end: int = -1


def _labelled(text: str, names: str) -> Item | None:
    m = re.search(rf"(?:{names})\s*[:：]\s*([^；;，,。\n]{{4,160}})", text)
    if m is None:
        return None
    return Item(m.group(1).strip(), text[:m.start()] + text[m.end():], m.start(1), m.end(1))


def _by_parts(text: str, skip: Callable[[str], bool], prefer: re.Pattern[str], min_len: int) -> Item | None:
    """The part that reads best as a title: not skipped, ending as titles end, the longest."""
    best: tuple[int, int, int, int] | None = None
    for a, b in parts(text):
        seg = text[a:b].strip()
        if len(seg) < min_len or YEARS.match(seg) or STATUS_DONE.search(seg) and len(seg) < 10:
            continue
        if skip(seg):
            continue
        score = (1 if prefer.search(seg) else 0, len(seg))
        if best is None or score > best[:2]:
            best = (*score, a, b)
    if best is None:
        return None
    a, b = best[2], best[3]
    return Item(text[a:b].strip(), text[:a] + "，" + text[b:], a, b)


def _funder_part(seg: str) -> bool:
    level, words = G.project_level(seg)
    return level is not None and (len(words or "") * 3 >= len(seg) or bool(FUNDER_END.search(seg)))


def _not_project_title(seg: str) -> bool:
    """A funder, a level, a status, a kind word on its own."""
    return (_funder_part(seg) or bool(FUNDER_END.search(seg)) or bool(STATUS_ONGOING.search(seg) and len(seg) <= 12)
                or seg in ("项目", "课题", "其他") or bool(re.match(r"^(?:项目|课题)?(?:名称|来源|状态|级别)$", seg)))


def project_item(text: str) -> Item | None:
    found = _labelled(text, r"(?:项目|课题)?名称|题目")
    if found:
        return found
    q = [x for x in quotes(text) if len(x[2]) >= 5]
    first = re.search(r"[。！？!?]", text)
    if q and (first is None or q[0][0] < first.start()):
        a, b, inner = q[0]
        return Item(inner, text[:a] + "，" + text[b:], a, b)
    found = _by_parts(text, _not_project_title, TITLE_END, 6)  # a quote only in a later sentence names another
    if found is None and q:
        a, b, inner = q[0]
        return Item(inner, text[:a] + "，" + text[b:], a, b)
    return found


def status_of(text: str) -> str:
    if STATUS_ONGOING.search(text) and not re.search(r"(?:通过|完成)[^，,。；;]{0,6}验收|已?结题", text):
        return "ongoing"
    return "completed" if STATUS_DONE.search(text) else "ongoing"


def _not_award_title(seg: str) -> bool:
    return bool(re.search(r"奖|^获|荣获|^中心|单位|排名|^第", seg))


def award_item(text: str, prize: tuple[int, int] | None) -> Item | None:
    q = [x for x in quotes(text) if len(x[2]) >= 4]
    if q:
        a, b, inner = q[0]
        return Item(inner, text[:a] + "，" + text[b:], a, b)
    head = text
    if prize is not None:  # the title is never inside the prize's own words
        head = text[:prize[0]] + "，" * (prize[1] - prize[0]) + text[prize[1]:]
    head = re.sub(r"(?:荣获|获得|获评|获)", "，", head)
    return _by_parts(head, _not_award_title, TITLE_END, 6)


def _not_talk_title(seg: str) -> bool:
    return bool(EVENT.search(seg) or TALK_KIND.search(seg) or PERSON.search(seg)
                or re.search(r"^(?:在|应邀|受邀)|月$|^\d", seg))


EVENT_NAME = re.compile(r"(?:^|在|于|出席|参加)\s*([^，,。；;:：“”\"「」《》()（）]{2,60}?(?:国际会议|会议|大会|年会|论坛|研讨会|交流会|峰会|"
                        r"workshop|conference|symposium))", re.I)


def event_of(text: str) -> str | None:
    """The meeting named in a talk's text: 在第十届全国动力电池技术大会上作… → 第十届全国动力电池技术大会."""
    for a, b in parts(text):
        m = EVENT_NAME.search(text[a:b])
        if m:
            name = re.split(r"在|出席|参加|应邀|受邀", m.group(1))[-1].strip()
            return name or None
    return None


def talk_like(text: str) -> bool:
    """An item that speaks of a talk at an event: 报告 and a meeting's word."""
    return "报告" in text and bool(EVENT.search(text))


def talk_item(text: str) -> Item | None:
    q = [x for x in quotes(text) if len(x[2]) >= 4]
    if q:
        a, b, inner = q[0]
        return Item(inner, text[:a] + "，" + text[b:], a, b)
    return _by_parts(text, _not_talk_title, TITLE_END, 6)


@dataclass
class Reference:
    title: str
    venue: str | None
    year: str | None
    kind: str  # J C M D R S P …


def reference(text: str) -> Reference | None:
    """A GB/T 7714 entry: authors. title[J]. venue, year, volume(issue): pages."""
    text = strip_label(text)
    kind = REFERENCE_KIND.search(text)
    if kind is None:
        return None
    # an entry's authors and title fit in the stretch before its [J]: never search further back
    text = text[max(0, kind.start() - REFERENCE_REACH):kind.end() + REFERENCE_REACH]
    m = REFERENCE.search(text)
    while m is not None and not _authors(m.group("authors")):
        m = REFERENCE.search(text, m.end("authors") + 1)  # prose before the entry: start after it
    if m is None:
        return None
    title = m.group("title").strip()
    if "." in title and not re.search(r"[A-Za-z]", title):  # authors cut at the wrong dot
        title = title.rsplit(".", 1)[-1].strip()
    venue = re.sub(r"\s+", " ", m.group("venue")).strip().strip("《》") or None
    return Reference(title=title, venue=venue, year=m.group("year"), kind=m.group("type"))


def starts_with_reference(text: str) -> bool:
    text = strip_label(text)
    kind = REFERENCE_KIND.search(text, 0, REFERENCE_REACH)
    if kind is None:
        return False
    m = REFERENCE.match(text[:kind.end() + REFERENCE_REACH])
    return m is not None and _authors(m.group("authors"))


def _authors(text: str) -> bool:
    """Names separated by commas: a Chinese name is a few characters, a Latin one a few words."""
    names = [n.strip() for n in re.split(r"[,，、;；]", text) if n.strip()]
    return bool(names) and all(len(n) <= (6 if re.search(r"[\u4e00-\u9fff]", n) else 40) for n in names)


def paper_item(text: str) -> tuple[Item, str | None] | None:
    """(title and the rest, venue) of a listed paper that is not a GB/T 7714 reference:
    “title”，venue，2024（EI） or title，《venue》，2025."""
    q = [x for x in quotes(text) if len(x[2]) >= 4 and text[x[0]] != "《"]
    if not q:
        return None
    a, b, inner = q[0]
    after = text[b:]
    v = re.match(r"\s*[,，]?\s*(?:发表于|刊登于|载于)?\s*《?([^,，。；;《》()（）]{2,80}?)》?\s*[,，(（]\s*(?:19|20)\d{2}", after)
    return Item(inner, text[:a] + "，" + after, a, b), (v.group(1).strip() if v else None)
