"""What the annex 5 rubric counts, read from a document's prose, lists and tables.

`read_entities(blocks, sections_of, doc_kind)` fills the contract's `entities`: patents,
standards and technical specifications, research projects, awards and papers, and besides them
academic talks, training/宣贯 events and service cases. The patterns and word lists are data
(imtc/templates/entities.toml); this module combines them.

How it reads:

- The text read is every paragraph of a `fact` or `plan` section, and every row of a table the
  template does not define (a template table's codes are calibration bases, never the center's
  output). `context` sections (the industry's situation, other organisations) and the cover are
  not read. A table whose header names patents, papers, awards, standards or projects is read as
  records, column by column; another unknown table is read row by row as prose.
- That text, full-width ASCII folded to ASCII one character for one, is searched once by every
  pattern (`candidates`); each match, widened to whole tokens (ASCII letter runs, digit runs,
  every other character), is a candidate, then judged in its sentence. (This was a blank spaCy
  pipeline doing only that alignment, `Doc.char_span` in "expand" mode; spaCy's import cost
  about a second per process, so the same alignment is now plain Python, span for span identical.)
- Precision comes before recall: a wrong entity inflates a score. So
  - a patent needs its number (ZL…, an application number in a sentence about a patent, or a
    CN…A/B/U publication number); ZL is granted, an application or A publication applied; the
    type is the number's own type digit when it has one, else the words before it;
  - a standard counts only as the center's own output: not cited (依据/按/参照… right before it),
    and a role verb (主持/参与/牵头/编制/制定/起草…) in its sentence, or, in the standards section
    (annex 4 1.7.7), a status verb (发布/立项/报批/征求意见…) after it. International codes never count;
  - a project is a quoted title next to 项目/课题; one only applied for (申报 without 获批/立项)
    is none; its level is the funder nearest before the title (CONTRACT.md: the State
    Administration's programmes are 省部级 = provincial);
  - an award needs a verb of winning, and is not one a company won or was helped to win;
  - a paper is a quoted title that was published (发表于 + a journal);
  - in `plan` sections a mention only confirms what the factual part states, except a project
    being continued (继续实施), which is an ongoing project.
- The same entity named twice counts once: patents by their digits (an application later granted
  under the same digits is one, granted patent), standards by code number or title, projects by
  title (one title inside the other), awards by title or by prize when one mention has no title.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from imtc.extract import entity_items as I
from imtc.extract import gazetteer as G
from imtc.extract.blocks import Block, Paragraph, TableBlock
from imtc.extract.text import key_text, squash
from imtc.models import (
    Award,
    Case,
    Entities,
    Location,
    Paper,
    Patent,
    Project,
    Standard,
    Talk,
    Training,
)

CONFIG_FILE = Path(__file__).resolve().parent.parent / "templates" / "entities.toml"
FOLD = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " ", "\xa0": " "})
ROW_SEP = "，"  # cells of a prose row: one sentence, so a title cell and a number cell stay together


def fold(text: str) -> str:
    """Full-width ASCII to ASCII, one character for one: offsets stay the original's."""
    return text.translate(FOLD)


# --- configuration ----------------------------------------------------------------------------


def _alt(words: list[str]) -> str:
    return "|".join(words)


@dataclass(frozen=True)
class Config:
    raw: dict[str, Any]
    sentence_end: re.Pattern[str]
    clause_end: re.Pattern[str]
    quote: re.Pattern[str]
    date: re.Pattern[str]
    patent: dict[str, re.Pattern[str]]
    code: re.Pattern[str]
    code_q: re.Pattern[str]
    code_intl: re.Pattern[str]
    code_levels: tuple[tuple[str, re.Pattern[str]], ...]
    std_word: re.Pattern[str]
    std_word_level: dict[str, str]
    re_: dict[str, re.Pattern[str]]
    project_levels: tuple[tuple[str, re.Pattern[str]], ...]
    award_levels: tuple[tuple[str, tuple[str, ...]], ...]
    indexed: tuple[tuple[str, re.Pattern[str]], ...]


@cache
def config() -> Config:
    with open(CONFIG_FILE, "rb") as f:
        raw = tomllib.load(f)
    t, pa, st, pr, aw, pp = raw["text"], raw["patents"], raw["standards"], raw["projects"], raw["awards"], raw["papers"]
    prefixes = st["prefixes"]
    levels = [(lv, prefixes[lv]) for lv in ("local", "national", "group", "enterprise", "industry")]
    code_levels = tuple((lv, re.compile("(?:" + _alt(ps) + ")$")) for lv, ps in levels)
    ordinary_ps = [p for lv, ps in levels if lv != "enterprise" for p in ps]
    ordinary = _alt(sorted(ordinary_ps, key=lambda p: "\\(" not in p))  # JJF(电子) before JJF
    lead = r"(?<![A-Za-z0-9/])"
    words = {w: lv for lv, ws in st["words"].items() for w in ws}
    rules = st["rules"]
    re_ = {
        "std_role": rules["role"], "std_status": rules["status"], "std_cited": rules["cited"],
        "std_published": rules["published"], "std_drafting": rules["drafting"],
        "proj_before": pr["before"], "proj_after": pr["after"],
        "applied_only": pr["rules"]["applied_only"], "approved": pr["rules"]["approved"],
        "plan_new": pr["rules"]["plan_new"], "plan_existing": pr["rules"]["plan_existing"],
        "completed_before": pr["rules"]["completed_before"], "completed_after": pr["rules"]["completed_after"],
        "progress_after": pr["rules"]["progress_after"],
        "award_prize": aw["prize"], "award_grade": aw["grade"], "award_won": aw["won"],
        "award_others": aw["others"], "award_stop": aw["body_stop"], "award_year": aw["year"],
        "paper_published": pp["published"], "venue_cn": pp["venue_cn"], "venue_en": pp["venue_en"],
        "venue_before_cn": pp["venue_before_cn"], "venue_before_en": pp["venue_before_en"],
        "paper_words": pp["words"], "paper_year": pp["year"],
        "venue_bracket": pp["venue_bracket"], "paper_verb_before": pp["verb_before"],
        "venue_listed": pp["venue_listed"], "paper_statement": pp["statement"],
        "talk": raw["talks"]["pattern"], "training": raw["trainings"]["event"],
        "people": raw["trainings"]["people"], "case": raw["cases"]["label"],
        "case_other": raw["cases"]["other_industry"],
        "patent_context": _alt(pa["context"]),
        "patent_granted_words": pa["granted_words"], "patent_pending_words": pa["pending_words"],
        "not_own": raw["places"]["rules"]["not_own"],
        "proj_others": pr["rules"]["others"], "proj_place": pr["rules"]["place"],
        "doc_title": pr["rules"]["document"],
    }
    return Config(
        raw=raw,
        sentence_end=re.compile(t["sentence_end"]),
        clause_end=re.compile(t["clause_end"]),
        quote=re.compile(t["quote"]),
        date=re.compile(t["date"]),
        patent={k: re.compile(pa[k]) for k in ("granted", "application", "publication")},
        code=re.compile(lead + "(?P<prefix>" + ordinary + ")" + st["number"]),
        code_q=re.compile(lead + "(?P<prefix>" + _alt(prefixes["enterprise"]) + ")" + st["enterprise_number"]),
        code_intl=re.compile(lead + "(?P<prefix>" + _alt(prefixes["international"]) + r")\s*\d[0-9A-Za-z\-.:/]*"),
        code_levels=code_levels,
        std_word=re.compile("(?:" + _alt(sorted(words, key=len, reverse=True)) + ")"),
        std_word_level=words,
        re_={k: re.compile(v, re.M) for k, v in re_.items()},
        project_levels=tuple((lv, re.compile(_alt(pr["levels"][lv])))
                             for lv in ("national", "provincial", "municipal", "other")),
        award_levels=tuple((lv, tuple(aw_words)) for lv, aw_words in raw["awards"]["levels"].items()),
        indexed=tuple((k, re.compile(v)) for k, v in pp["indexed"].items()),
    )


# --- the candidates ---------------------------------------------------------------------------

TOKEN = re.compile(r"[A-Za-z]+|[0-9]+|[ \t]+|\s|.", re.S)


def _tokens(text: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the tokens the regex spans are aligned to: ASCII letter runs and digit runs
    one token each (a code's year run onto a title's first word, JJF1925-2024MEMS…, stays apart),
    every other character its own; a single space after a token that is not whitespace is that
    token's trailing space (its end excludes it). Tokens cover the text without gaps."""
    starts: list[int] = []
    ends: list[int] = []
    for m in TOKEN.finditer(text):
        s, e = m.span()
        if (e - s == 1 and text[s] == " " and starts and ends[-1] == s
                and not text[starts[-1]:s].isspace()):
            continue
        starts.append(s)
        ends.append(e)
    return starts, ends


def candidates(text: str, pats: list[tuple[str, re.Pattern[str]]] | None = None) -> list[Cand]:
    """Every pattern's matches, widened to whole tokens (a match that starts on a token's trailing
    space starts at the next token), in order of (start, end), a tie in the patterns' order."""
    starts, ends = _tokens(text)
    out: list[Cand] = []
    for label, pattern in pats if pats is not None else patterns():
        for m in pattern.finditer(text):
            ms, me = m.span()
            if me <= ms:
                continue
            first = bisect_right(starts, ms) - 1
            last = bisect_right(starts, me - 1)  # one past the token holding the match's last character
            if ms == ends[first]:
                first += 1
            if first < last:
                out.append(Cand(label, starts[first], ends[last - 1]))
            else:
                at = starts[first] if first < len(starts) else len(text)
                out.append(Cand(label, at, at))
    out.sort(key=lambda c: (c.start, c.end))
    return out


@cache
def patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(label, pattern) of every candidate, in the order ties are kept."""
    c = config()
    return [
        ("PATENT_ZL", c.patent["granted"]), ("PATENT_APP", c.patent["application"]),
        ("PATENT_PUB", c.patent["publication"]), ("STD_CODE", c.code), ("STD_Q", c.code_q),
        ("STD_WORD", c.std_word), ("QUOTE", c.quote), ("PRIZE", c.re_["award_prize"]),
        ("TALK", c.re_["talk"]), ("TRAINING", c.re_["training"]),
    ]


@dataclass(frozen=True)
class Cand:
    """A candidate span, by its character offsets in the document text."""

    label: str
    start: int
    end: int


# --- the text read ----------------------------------------------------------------------------


@dataclass
class Unit:
    """A paragraph or a table row, as a stretch [start, end) of the document text."""

    start: int
    end: int
    section: str | None
    mode: str  # "fact" | "plan"
    location: Location
    record: str | None = None  # a records table's entity kind
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # column role -> stretch
    place: str | None = None  # the kind its heading or sub-heading names (entities.toml [places])
    item: bool = False  # a list item (numbered by hand or automatically): one entity of the place's kind


def _covers(keys: list[str], key: str) -> bool:
    return any(key == k or key.startswith(k + ".") for k in keys)


def section_mode(section: str | None, doc_kind: str) -> str | None:
    """fact | plan | None (not read)."""
    if section is None:
        return None
    spec = config().raw["sections"].get(doc_kind)
    if spec is None:
        return "fact"
    if _covers(spec["context"], section):
        return None
    return "plan" if _covers(spec["plan"], section) else "fact"


class TextBuilder:
    """The document text, as written (`parts`) and folded (`folded`), and its units."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.units: list[Unit] = []

    def add(self, text: str, section: str | None, mode: str, loc: Location) -> Unit:
        start = self.size
        self.parts.append(text)
        self.parts.append("\n")
        self.size += len(text) + 1
        unit = Unit(start, start + len(text), section, mode, loc)
        self.units.append(unit)
        return unit

    def drop_last(self) -> Unit:
        """Take the last unit back out (a table row that the next one continues)."""
        unit = self.units.pop()
        self.parts = self.parts[:-2]
        self.size = unit.start
        return unit

    def extend(self, text: str) -> None:
        """The last unit goes on with `text` (a paragraph that a page break cut in two)."""
        unit = self.units[-1]
        tail = self.parts[-2][-1:] if self.parts[-1] == "\n" else self.parts[-1][-2:-1]
        joiner = " " if tail.isascii() and tail.isalnum() and text[:1].isascii() and text[:1].isalnum() else ""
        self.parts[-1] = self.parts[-1][:-1] + joiner + text + "\n"
        self.size += len(joiner) + len(text)
        unit.end = self.size - 1


def _header_text(tb: TableBlock, r: int) -> list[str]:
    return [squash(c.text) for c in tb.row_cells(r)]


def _record_kind(texts: list[str]) -> str | None:
    joined = "".join(texts)
    for kind, words in config().raw["tables"]["kinds"].items():
        if any(w in joined for w in words):
            return kind
    return None


def _column_roles(header: list[str]) -> dict[int, str]:
    """Header cell index -> role; number, indexed, venue, status, type and level before title
    (奖项名称 is the prize, 项目名称 the title)."""
    cols = config().raw["tables"]["columns"]
    order = ["number", "indexed", "venue", "status", "type", "level", "event", "title"]
    out: dict[int, str] = {}
    used: set[str] = set()
    for i, h in enumerate(header):
        for role in order:
            if role not in used and any(w in h for w in cols[role]):
                out[i] = role
                used.add(role)
                break
    return out


@dataclass
class TableState:
    kind: str | None = None
    roles: dict[int, str] = field(default_factory=dict)
    ncols: int = 0
    block: int = -10
    seq_first: bool = False  # the records table's first column is its 序号
    last: tuple[Unit, list[str]] | None = None  # the last records row added, and its cells


def _add_table(tb: TableBlock, bi: int, section: str | None, mode: str, tb_state: TableState,
               out: TextBuilder, place: str | None = None) -> None:
    first = 0
    while first < len(tb.grid) - 1 and len(tb.row_cells(first)) == 1:
        first += 1  # title rows spanning the table
    titles = [squash(tb.grid[r][0].text) for r in range(first) if tb.grid[r] and tb.grid[r][0]]
    header = _header_text(tb, first) if tb.grid else []
    kind = _record_kind(titles + header)
    if kind is None and place is not None and any(w in h for h in header for w in config().raw["tables"]["columns"]["title"]):
        kind = place  # a table under a place, its header naming only 名称/题目: rows of the place's kind
    roles = _column_roles(header) if kind else {}
    start = first + 1
    if kind is None and tb_state.kind and tb_state.block == bi - 1 and tb_state.ncols == len(header):
        kind, roles, start = tb_state.kind, tb_state.roles, first  # a headerless continuation
    if kind is None:
        start = 0
    if start == first + 1:
        tb_state.seq_first = bool(header) and "序号" in header[0]
    tb_state.kind, tb_state.roles, tb_state.ncols, tb_state.block = kind, roles, len(header), bi
    for r in range(start, len(tb.grid)):
        cells = tb.row_cells(r)
        texts = [c.text.strip() for c in cells]
        if not any(texts):
            continue
        page = tb.row_pages[r] if r < len(tb.row_pages) else tb.page
        loc = Location(section=section, table=tb.index, row=r - start if kind else r, page=page,
                       blocks=[tb.row_id(r)])
        last = tb_state.last
        if kind and tb_state.seq_first and last and out.units and out.units[-1] is last[0] \
                and not texts[0] and len(texts) == len(last[1]):
            first_part = out.drop_last().location  # a row a page break cut in two: its second part has no 序号
            loc = first_part.model_copy(update={"blocks": [*(first_part.blocks or []), tb.row_id(r)]})
            texts = [a + b for a, b in zip(last[1], texts, strict=True)]
        text = ROW_SEP.join(texts)
        unit = out.add(text, section, mode, loc)
        unit.record = kind
        unit.place = place
        tb_state.last = (unit, texts) if kind else None
        if kind:
            pos = unit.start
            for i, t in enumerate(texts):
                if i in roles:
                    unit.cells[roles[i]] = (pos, pos + len(t))
                pos += len(t) + len(ROW_SEP)


def collect(blocks: list[Block], sections_of: list[str | None], doc_kind: str) -> TextBuilder:
    """The units to read, in document order, and the document text they make; each unit knows
    the place it sits in (the kind its section or the sub-heading above it names)."""
    from imtc.extract.tables import find_layout

    out = TextBuilder()
    state = TableState()
    places = Places(doc_kind)
    last: Paragraph | None = None  # the paragraph read last, when the next may continue it
    for bi, b in enumerate(blocks):
        section = sections_of[bi] if bi < len(sections_of) else None
        mode = section_mode(section, doc_kind)
        if mode is None:
            last = None
            continue
        heading = bi == 0 or sections_of[bi - 1] != section  # a section's first block is its heading
        if heading:
            places.enter(section)
        if isinstance(b, Paragraph):
            if not b.text.strip():
                continue
            if last is not None and not heading and _cut(last, b) and out.units[-1].section == section:
                out.extend(b.text)
            else:
                loc = Location(section=section, paragraph=b.index, page=b.page, blocks=[b.id])
                for piece in [b.text] if heading else places.split(b.text):
                    unit = out.add(piece, section, mode, loc)
                    if not heading:
                        places.see(Paragraph(text=piece, index=b.index, page=b.page, auto_label=b.auto_label), unit)
            last = None if heading else b
            continue
        last = None
        if find_layout(b) is None:  # the template's own tables hold calibration bases, not output
            _add_table(b, bi, section, mode, state, out, places.kind)
    return out


class Places:
    """The place a paragraph sits in: its section's kind, or the kind of the sub-heading (or lead
    sentence ending in ：) above it in that section."""

    def __init__(self, doc_kind: str) -> None:
        cfg = config().raw["places"]
        self.sections: dict[str, str] = cfg.get(doc_kind, {})
        self.subheads: dict[str, list[str]] = cfg["subheads"]
        self.rules = cfg["rules"]
        self.section_kind: str | None = None
        self.kind: str | None = None

    def enter(self, section: str | None) -> None:
        self.section_kind = next((k for key, k in self.sections.items() if section and _covers([key], section)), None)
        self.kind = self.section_kind

    def see(self, p: Paragraph, unit: Unit) -> None:
        text = fold(p.text).strip()
        labelled = p.auto_label is not None or bool(ITEM_START.match(text))
        body = ITEM_START.sub("", text, count=1).strip() if labelled else text
        named = self._named(body)
        if named is not None and self._is_subhead(body):
            self.kind = named  # the line names the place; it is no entity itself
            return
        unit.place = self.kind
        unit.item = labelled or (self.kind is not None and _reference_shaped(text))
        if not labelled and named is not None and body.endswith((":", "：")) and len(body) <= self.rules["lead_max"]:
            self.kind = named  # 发表论文如下： the items that follow are papers

    def split(self, text: str) -> list[str]:
        """A paragraph as its items (split_items), a sub-heading run onto its end set apart
        (a PDF line that lost its break: “…已受理（2）学术论文”)."""
        m = TRAILING_SUBHEAD.search(text)
        tail: list[str] = []
        if m and m.start() > 0 and self._named(m.group(2)) is not None and self._is_subhead(m.group(2)):
            text, tail = text[:m.start()], [text[m.start():]]
        return split_items(text) + tail

    def _named(self, body: str) -> str | None:
        for kind, words in self.subheads.items():
            if any(w in body for w in words):
                return kind
        return None

    def _is_subhead(self, body: str) -> bool:
        core = body.rstrip(":：").strip()
        return len(core) <= self.rules["subhead_max"] and not re.search(r"[“”\"《》。；;，,、()（）]|\d{4}", core)


NUMBERED = re.compile(r"^\s*(?:[(（](\d{1,2})[)）]|(\d{1,2})\s*[.、．](?:(?=(?:19|20)\d{2}\s*年)|(?!\d))|\[(\d{1,2})\]|"
                      r"([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]))")
LABEL_FORMS = (r"(?<![0-9A-Za-z])[(（]{n}[)）]", r"(?<![\d.．A-Za-z]){n}\s*[.、．](?!\d)", r"\[{n}\]", "{c}")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


TRAILING_SUBHEAD = re.compile(r"([(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|[一二三四五六七八九十]{1,2}、)\s*([^\s，,。；;:：“”\"《》()（）]{2,12})\s*[:：]?$")


def split_items(text: str) -> list[str]:
    """A paragraph that holds several numbered items run together (a PDF line that lost its
    break: “…正在实施（5）承担…”) as one piece per item: split where the next number of the
    same form follows (（4）… （5）…, 2. … 3. …)."""
    m = NUMBERED.match(text)
    if m is None:
        return [text]
    form = next(i for i in range(4) if m.group(i + 1) is not None)
    n = CIRCLED.index(m.group(4)) + 1 if form == 3 else int(m.group(form + 1))
    pieces, start, pos = [], 0, m.end()
    while n < len(CIRCLED):
        n += 1
        label = re.compile(LABEL_FORMS[form].format(n=n, c=CIRCLED[n - 1]))
        nxt = label.search(text, pos)
        if nxt is None:
            break
        pieces.append(text[start:nxt.start()])
        start, pos = nxt.start(), nxt.end()
    pieces.append(text[start:])
    return [p for p in pieces if p.strip()]


def _reference_shaped(text: str) -> bool:
    """A paragraph that is a GB/T 7714 entry from its first word (authors. title[J]. …)."""
    return "[" in text and I.starts_with_reference(text)


SENTENCE_DONE = tuple("。！？!?；;：:)）.")
ITEM_START = re.compile(r"^\s*(?:\d{1,2}\s*[.、．)）](?:(?=(?:19|20)\d{2}\s*年)|(?!\d))|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|"
                        r"\[\d{1,3}\]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]|案例|[•·●▪\-—])")


def _cut(prev: Paragraph, nxt: Paragraph) -> bool:
    """A paragraph that the reader cut in two (a PDF's page or line break): it stops mid-sentence,
    is no list item and no short heading-like line (unless a quote or bracket is left open), and
    the next does not begin a list item of its own."""
    text = prev.text.rstrip()
    if _check_digit_cut(text, nxt.text):
        return True
    if prev.outline_level is not None or text.endswith(SENTENCE_DONE) or ITEM_START.match(nxt.text):
        return False
    if nxt.auto_label is not None:
        return False
    if prev.auto_label is not None or ITEM_START.match(text):  # a list item goes on where it is left open
        return (_open(text) or text.endswith(("，", ",", "、", "：", ":")) or text[-1] in DANGLING or nxt.text[:1].islower()
                or ("[" not in text and bool(REFERENCE_TAIL.match(nxt.text))))
    return len(text) >= CUT_MIN or _open(text)


NUMBER_END = re.compile(r"(?<![\d.])((?:\d\s?){12}|(?:\d\s?){8})[.．]?$")  # a patent number cut before its check digit
CHECK_START = re.compile(r"^\s*([\dXx])(?![\d.])")


def _check_digit_cut(text: str, nxt: str) -> bool:
    """A line that ends on a patent number's digits and a next that starts with its check digit
    (“ZL202035751168.” / “4）…”): one number the break cut, not a list item 4）."""
    m, c = NUMBER_END.search(fold(text)), CHECK_START.match(fold(nxt))
    return bool(m and c) and check_digit(re.sub(r"\s", "", m.group(1))) == c.group(1).upper()  # type: ignore[union-attr]


REFERENCE_TAIL = re.compile(r"[^。；;“”《》]{0,60}\[[JCMDRSPN](?:/OL)?\]")  # the rest of a reference's title
SPEC_TITLE = re.compile(r"(?:规程|规范|技术要求|标准|导则|指南|方法)$")  # the title of a specification
DANGLING = "已的和与及并在对将把被从向于且或之"  # words a sentence cannot stop on (…研究”，已 / 通过验收)
CUT_MIN = 30  # a shorter line that stops without punctuation is a heading or a list entry


def _open(text: str) -> bool:
    return any(text.count(a) > text.count(b) for a, b in ("“”", "《》", "（）", "()", "「」"))


# --- mentions and merging ---------------------------------------------------------------------


def title_key(title: str | None) -> str:
    return key_text(title).lower() if title else ""


def _clean_title(text: str) -> str | None:
    t = re.sub(r"\s+", " ", text).strip().strip("《》“”\"「」『』").strip()
    return t or None


WORDS_AFTER_TITLE = re.compile(r"\s*[(（]\s*(?:浙江省|浙江|省)?")  # 《…》（浙江省 地方标准）
DOTTED_DATE = re.compile(r"((?:19|20)\d{2})\s*[.\-/]\s*(\d{1,2})(?!\d)")  # a table cell's 2025.05


def _date(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    year, month = m.group(1), m.group(2)
    return f"{year}-{int(month):02d}" if month else year


@dataclass
class Reader:
    """Reads one document's units; `self.text` is the folded text, `self.orig` the original."""

    text: str
    orig: str
    cands: list[Cand]
    doc_kind: str
    found: Entities = field(default_factory=Entities)
    used: set[tuple[int, int]] = field(default_factory=set)  # quotes already taken as a title
    starts: list[int] = field(default_factory=list)
    patent_keys: dict[str, Patent] = field(default_factory=dict)  # digits (or CN number) -> patent

    def __post_init__(self) -> None:
        self.starts = [c.start for c in self.cands]
        self.cfg = config()

    def within(self, start: int, end: int, *labels: str) -> list[Cand]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.cands) and self.cands[i].start < end:
            c = self.cands[i]
            if c.end <= end and (not labels or c.label in labels):
                out.append(c)
            i += 1
        return out

    def quote_text(self, q: Cand) -> str:
        m = self.cfg.quote.fullmatch(self.text, q.start, q.end)
        if m is None:
            return self.orig[q.start + 1:q.end - 1]
        g = 1 if m.group(1) is not None else 2
        return self.orig[m.start(g):m.end(g)]

    def sentences(self, u: Unit) -> Iterator[tuple[int, int]]:
        start = u.start
        for m in self.cfg.sentence_end.finditer(self.text, u.start, u.end):
            if m.start() > start:
                yield start, m.start()
            start = m.end()
        if start < u.end:
            yield start, u.end

    def clause_start(self, sent_start: int, pos: int) -> int:
        last = sent_start
        for m in self.cfg.clause_end.finditer(self.text, sent_start, pos):
            last = m.end()
        return last

    # -- the whole document --

    def read(self, units: list[Unit]) -> Entities:
        statement: tuple[set[str], str] | None = None  # the list's statement of index classes
        for u in units:
            if not u.item and not u.record:
                statement = self._index_statement(u)
            before = len(self.found.papers)
            if u.record:
                self.read_record(u)
            else:
                self.read_case(u)
                done = self.read_item(u) if u.item else None
                for s, e in self.sentences(u):
                    self.read_sentence(u, s, e, done)
            if statement is not None and (u.item or u.record):
                _apply_statement(self.found.papers[before:], *statement)
        return self.found

    def _index_statement(self, u: Unit) -> tuple[set[str], str] | None:
        """(index classes, words) of a line that says how a list's papers are indexed:
        其中SCI收录1篇、EI收录2篇 / 以下论文均被EI收录."""
        text = self.text[u.start:u.end]
        found = list(self.cfg.re_["paper_statement"].finditer(text))
        if not found:
            return None
        classes = {G.indexed(m.group(1) or m.group(2)) or "" for m in found} - {""}
        words = "、".join(self.orig[u.start + m.start():u.start + m.end()] for m in found)
        return classes, words

    def read_sentence(self, u: Unit, s: int, e: int, done: str | None = None) -> None:
        """Every kind's reader over one sentence; `done` is the kind the unit was read as an item."""
        self.read_patents(u, s, e)
        self.read_standards(u, s, e)
        if done != "talks":
            self.read_talks(u, s, e)
        if done != "papers":
            self.read_papers(u, s, e)
        if done != "awards":
            self.read_awards(u, s, e)
        if done != "projects":
            self.read_projects(u, s, e)
        if u.mode == "fact":
            self.read_trainings(u, s, e)

    # -- items under a place (entity_items.py) --

    def read_item(self, u: Unit) -> str | None:
        """A list item under a place, read as one entity of the place's kind; the kind when the
        item was taken (or refused as someone else's), so its sentences are not read for it again."""
        raw = self.text[u.start:u.end]
        body = I.strip_label(raw)
        off = u.start + len(raw) - len(body)
        kind = self._item_kind(u, body)
        reader = {"projects": self.item_project, "awards": self.item_award, "papers": self.item_paper,
                  "talks": self.item_talk, "standards": self.item_standard}.get(kind or "")
        if reader is None:
            return None
        return kind if reader(u, body, off) else None

    def _item_kind(self, u: Unit, body: str) -> str | None:
        """The place's kind, unless the item says plainly it is another: a prize, a reference [J]."""
        if u.place is None:  # no place: only a reference or a graded prize is plainly an item of its own
            if I.reference(body) is not None:
                return "papers"
            return "awards" if self._graded_prize(u, body) else None
        evidence = []
        if self.within(u.start, u.end, "PRIZE"):
            evidence.append("awards")
        if I.reference(body) is not None:
            evidence.append("papers")
        if I.talk_like(body):
            evidence.append("talks")
        if self.within(u.start, u.end, "PATENT_ZL", "PATENT_APP", "PATENT_PUB"):
            evidence.append("patents")
        if not evidence or u.place in evidence:
            return u.place
        return evidence[0]

    def _graded_prize(self, u: Unit, body: str) -> bool:
        """An item naming a prize with its grade (…科学技术进步奖二等奖), not one applied for."""
        return any(self.cfg.re_["award_grade"].search(self.text, c.start, c.end) for c in self.within(u.start, u.end, "PRIZE")) \
            and not re.search(r"申报|推荐|拟|争取|力争", body)

    def _not_own(self, body: str, it: I.Item | None) -> bool:
        """Someone else's or not yet done (邀请…报告, 拟投稿, 尚在评审 …), said of this item."""
        return bool(self.cfg.re_["not_own"].search(self._own_part(body, it)))

    def _without_others_sentences(self, body: str) -> str:
        """An item up to a later sentence about another unit's project (a PDF line that ran the next
        paragraph, “省内龙头企业获批…项目“…”。”, onto the item): that sentence is read on its own."""
        parts = re.split(r"(?<=[。！？!?])", body)
        for i in range(1, len(parts)):
            if self.cfg.re_["proj_others"].search(parts[i]):
                return "".join(parts[:i])
        return body

    @staticmethod
    def _own_part(body: str, it: I.Item | None) -> str:
        """An item's text up to just after its title: a PDF line may have run the next paragraph onto it."""
        end = it.end + 12 if it is not None and it.end >= 0 else len(body)
        return body[:end]

    def _item_title(self, it: I.Item, off: int) -> str | None:
        if it.start < 0:
            return _clean_title(it.title or "")
        return _clean_title(self.orig[off + it.start:off + it.end])

    def _mark_quotes(self, start: int, end: int) -> None:
        for q in self.within(start, end, "QUOTE"):
            self.used.add((q.start, q.end))

    def item_project(self, u: Unit, body: str, off: int) -> bool:
        body = self._without_others_sentences(body)
        it = I.project_item(body)
        if self.cfg.re_["proj_others"].search(self._own_part(body, it)) or self._not_own(body, it):
            return True
        title = self._item_title(it, off) if it else None
        if it is None or not title or len(title) < self.cfg.raw["projects"]["min_title"]:
            return False
        self._mark_quotes(u.start, u.end)
        level, funder = G.project_level(it.rest)
        p = Project(title=title, level=level, funder=funder, status=I.status_of(it.rest) if u.mode == "fact" else "ongoing",  # type: ignore[arg-type]
                    category=self._category(u.section, body), location=u.location)
        self._merge_project(p, create=u.mode == "fact")
        return True

    def item_standard(self, u: Unit, body: str, off: int) -> bool:
        """An item under a standards heading that names a 《specification》 with no code and no level
        word, written or being written by the center (主编，已颁布实施): a standard of unknown level."""
        if self.within(u.start, u.end, "STD_CODE", "STD_Q", "STD_WORD"):
            return False  # the code or the level word speaks: read as a sentence
        q = next((q for q in self.within(u.start, u.end, "QUOTE") if self.text[q.start] == "《"
                  and SPEC_TITLE.search(self.quote_text(q))), None)
        if q is None:
            return False
        after = self.text[q.end:u.end]
        if not (self.cfg.re_["std_role"].search(body) or self.cfg.re_["std_status"].search(after)):
            return False
        self.used.add((q.start, q.end))
        std = Standard(code=None, level=None, title=_clean_title(self.quote_text(q)), location=u.location)
        std.status = self._std_status(after, std) if u.mode == "fact" else "drafting"  # type: ignore[assignment]
        self._merge_standard(std, create=u.mode == "fact")
        return True

    def item_award(self, u: Unit, body: str, off: int) -> bool:
        prizes = self.within(u.start, u.end, "PRIZE")
        if not prizes or self.cfg.re_["award_others"].search(body[:prizes[0].end - off]):
            return bool(prizes)  # (up to its prize: a PDF line may have run the next paragraph onto it)
        c = prizes[0]
        prize_body, year = self._award_body(self.text[self.clause_start(off, c.start):c.start])
        it = I.award_item(body, (c.start - off - len(prize_body), c.end - off))
        title = self._item_title(it, off) if it else None
        self._mark_quotes(u.start, u.end)
        a = Award(title=title, prize=prize_body + self.orig[c.start:c.end].replace(" ", ""),
                  level=G.award_level(prize_body), date=year, location=u.location)  # type: ignore[arg-type]
        self._merge_award(a, create=u.mode == "fact")
        return True

    def item_paper(self, u: Unit, body: str, off: int) -> bool:
        ref = I.reference(body)
        if self._not_own(body, None if ref is None else I.Item(ref.title, "", 0, body.find(ref.title) + len(ref.title))):
            return True
        if ref is not None:
            title, venue, year = _clean_title(ref.title), ref.venue, ref.year
            rest = body.replace(ref.title, "")
        else:
            found = I.paper_item(body)
            if found is None:
                return False
            it, venue = found
            title, rest = self._item_title(it, off), it.rest
            ym = self.cfg.re_["paper_year"].search(rest)
            year = ym.group(1) if ym else None
        if not title:
            return False
        self._mark_quotes(u.start, u.end)
        p = Paper(title=title, venue=_clean_title(venue) if venue else None, indexed=G.indexed(rest),  # type: ignore[arg-type]
                  date=year, location=u.location)
        self._add_paper(p, create=u.mode == "fact")
        return True

    def item_talk(self, u: Unit, body: str, off: int) -> bool:
        it = I.talk_item(body)
        if self._not_own(body, it):
            return True
        title = self._item_title(it, off) if it else None
        if it is None or not title:
            return False
        self._mark_quotes(u.start, u.end)
        if u.mode == "fact" and not any(title_key(t.title) == title_key(title) for t in self.found.talks):
            self.found.talks.append(Talk(title=title, event=I.event_of(it.rest), date=_date(self.cfg.date.search(body)),
                                         location=u.location))
        return True

    def _add_paper(self, p: Paper, create: bool) -> None:
        tk = title_key(p.title)
        old = next((x for x in self.found.papers if title_key(x.title) == tk), None)
        if old is not None:
            old.venue, old.indexed, old.date = old.venue or p.venue, old.indexed or p.indexed, old.date or p.date
        elif create:
            self.found.papers.append(p)

    # -- patents --

    def _patent(self, c: Cand) -> tuple[str, str, str | None, str | None] | None:
        """(key, number as output, status, type from the number) of a number candidate."""
        pa = self.cfg.raw["patents"]
        if c.label == "PATENT_PUB":
            m = self.cfg.patent["publication"].fullmatch(self.text, c.start, c.end)
            if m is None:
                return None
            digits, kind = m.group(1), m.group(2)
            return f"CN{digits}{kind}", f"CN{digits}{kind}", pa["publication_kind"][kind], pa["publication_type"][kind]
        pattern = self.cfg.patent["granted" if c.label == "PATENT_ZL" else "application"]
        m = pattern.fullmatch(self.text, c.start, c.end)
        if m is None:
            return None
        digits = re.sub(r"\s", "", m.group(1))
        check = m.group(2).upper()
        if not re.search(r"[.．·]", self.text[m.end(1):m.start(2)]) and check != check_digit(digits):
            return None  # no dot before the last digit, and it is no check digit: some other number
        key = f"{digits}.{check}"
        ptype = pa["type_digit"].get(digits[4]) if len(digits) == 12 else None
        if c.label == "PATENT_ZL":
            return key, f"ZL{key}", "granted", ptype
        return key, key, None, ptype

    def read_patents(self, u: Unit, s: int, e: int) -> None:
        cands = self.within(s, e, "PATENT_ZL", "PATENT_APP", "PATENT_PUB")
        if not cands:
            return
        sentence = self.text[s:e]
        patent_talk = bool(self.cfg.re_["patent_context"].search(sentence)) or u.record == "patents"
        last: tuple[Cand, Patent, str] | None = None
        for c in cands:
            if c.label == "PATENT_APP" and not patent_talk:
                continue  # a bare 12-digit number outside any patent sentence: not read
            info = self._patent(c)
            if info is None:
                continue
            key, number, status, ptype = info
            before = self.text[self.clause_start(s, c.start):c.start]
            if status is None:  # an application number: granted only if its words or sentence say so
                own = self.text[last[0].end if last is not None else s:c.start]  # since the patent before
                status = self._granted_or_applied(before, sentence, own)
            if last is not None and self._same_patent(last[0], c):
                self._join_numbers(last[1], last[2], key, number)
                continue
            p = Patent(number=number, status=status, type=ptype or self._type_words(s, c.start),  # type: ignore[arg-type]
                       title=self._patent_title(s, c), location=u.location)
            if u.mode == "fact":
                p = self._add_patent(p, key)
            else:
                self._confirm_patent(p, key)
            last = (c, p, key)

    def _granted_or_applied(self, clause: str, sentence: str, own: str = "") -> str:
        """An application number's patent is granted when its clause says 授权 (not 申请), or its
        own words (since the patent before) say one and not the other (新申请…专利，专利号… is
        applied), or its sentence says it was granted and nothing of an application still pending."""
        if "授权" in clause and "申请" not in clause:
            return "granted"
        granted, applied = "授权" in own, bool(re.search(r"申请(?![号日人])|提交|受理", own))
        if granted != applied:
            return "granted" if granted else "applied"
        pa = self.cfg.re_
        if pa["patent_granted_words"].search(sentence) and not pa["patent_pending_words"].search(sentence):
            return "granted"
        return "applied"

    def _same_patent(self, a: Cand, b: Cand) -> bool:
        """An application number and its publication number given together name one patent."""
        gap = self.text[a.end:b.start]
        return (a.label != b.label and "PATENT_ZL" not in (a.label, b.label) and len(gap) <= 25
                and not self.cfg.quote.search(gap))

    def _join_numbers(self, p: Patent, key: str, key2: str, number2: str) -> None:
        if number2.startswith("CN") and p.publication is None:
            p.publication = number2
        elif not number2.startswith("CN"):
            p.publication, p.number = p.number, number2
            self._rekey_patent(p, key, key2)

    def _rekey_patent(self, p: Patent, old: str, new: str) -> None:
        if self.patent_keys.get(old) is p:
            self.patent_keys[new] = p

    def _type_words(self, s: int, pos: int) -> str | None:
        best, where = None, -1
        window = self.text[s:pos]
        for word, t in self.cfg.raw["patents"]["type_words"].items():
            i = window.rfind(word)
            if i > where:
                best, where = t, i
        return best

    def _patent_title(self, s: int, c: Cand) -> str | None:
        gap_max = self.cfg.raw["patents"]["title_gap"]
        quotes = [q for q in self.within(s, c.start, "QUOTE") if (q.start, q.end) not in self.used]
        if quotes:
            q = quotes[-1]
            gap = self.text[q.end:c.start]
            if len(gap) <= gap_max and not re.search(r"\d{6}", gap):
                self.used.add((q.start, q.end))
                return _clean_title(self.quote_text(q))
        after = [q for q in self.within(c.end, c.end + 122, "QUOTE") if q.start - c.end <= 2]
        if after:
            self.used.add((after[0].start, after[0].end))
            return _clean_title(self.quote_text(after[0]))
        return None

    def _find_patent(self, p: Patent, key: str) -> Patent | None:
        index = self.patent_keys
        if key in index:
            return index[key]
        tk = title_key(p.title)
        if tk:
            for q in self.found.patents:
                if title_key(q.title) == tk:
                    return q
        return None

    def _add_patent(self, p: Patent, key: str) -> Patent:
        old = self._find_patent(p, key)
        if old is None:
            self.found.patents.append(p)
            self.patent_keys[key] = p
            return p
        if p.status == "granted" and old.status != "granted":
            old.status = "granted"
            if p.number and p.number.startswith("ZL"):
                old.number = p.number
        old.title = old.title or p.title
        old.type = old.type or p.type
        self.patent_keys[key] = old
        return old

    def _confirm_patent(self, p: Patent, key: str) -> None:
        old = self._find_patent(p, key)
        if old is not None:
            old.title = old.title or p.title
            old.type = old.type or p.type

    # -- standards --

    def parse_code(self, c: Cand) -> tuple[str, str | None, str | None, str | None] | None:
        """(code as output, level, number, year) of a code candidate."""
        pattern = self.cfg.code_q if c.label == "STD_Q" else self.cfg.code
        m = pattern.fullmatch(self.text, c.start, c.end)
        if m is None:
            return None
        return normalise_code(m)

    def read_standards(self, u: Unit, s: int, e: int) -> None:
        cands = self.within(s, e, "STD_CODE", "STD_Q", "STD_WORD")
        if not cands:
            return
        sentence = self.text[s:e]
        sections = self.cfg.raw["sections"].get(self.doc_kind, {}).get("standards", [])
        in_std_section = u.section is not None and _covers(sections, u.section)
        role = bool(self.cfg.re_["std_role"].search(sentence)) or u.record == "standards"
        codes = [c for c in cands if c.label != "STD_WORD"]
        for i, c in enumerate(cands):
            nxt = next((d.start for d in cands[i + 1:] if d.start >= c.end), e)
            if c.label == "STD_WORD":
                std = self._worded_standard(c, codes, nxt)
            else:
                std = self._coded_standard(c, s, nxt)
            if std is None:
                continue
            after = self.text[std[1]:nxt]
            owned = role or (in_std_section and self.cfg.re_["std_status"].search(after))
            if not owned:
                continue
            standard, _end = std
            standard.status = self._std_status(after, standard)  # type: ignore[assignment]
            published = self.cfg.re_["std_published"].search(after)
            standard.date = _date(self.cfg.date.search(after[:published.end()])) if published else None
            standard.location = u.location
            if u.mode == "plan":
                standard.status = "drafting"
                self._merge_standard(standard, create=False)
            else:
                self._merge_standard(standard, create=True)

    def _coded_standard(self, c: Cand, s: int, nxt: int) -> tuple[Standard, int] | None:
        parsed = self.parse_code(c)
        if parsed is None:
            return None
        code, level, num, _year = parsed
        if level is None or level == "international":
            return None
        if num is None and level in ("national", "industry") and not self.text.startswith("《", c.end):
            return None
        before = self.text[self.clause_start(s, c.start):c.start]
        if self.cfg.re_["std_cited"].search(before):
            return None  # a calibration basis cited, not written
        title, end = self._std_title(c.start, c.end)
        return Standard(code=code, level=level, title=title), end  # type: ignore[arg-type]

    def _worded_standard(self, c: Cand, codes: list[Cand], nxt: int) -> tuple[Standard, int] | None:
        if any(0 <= d.start - c.end <= 2 for d in codes):
            return None  # 地方计量技术规范JJF(浙)…: the code speaks
        q = next((q for q in self.within(c.end, c.end + 125, "QUOTE")
                  if q.start - c.end <= 2 and self.text[q.start] == "《"), None)
        if q is None:  # 《title》（浙江省地方标准）: the words in the bracket after the title
            q = next((q for q in self.within(max(0, c.start - 130), c.start, "QUOTE")
                      if self.text[q.start] == "《" and WORDS_AFTER_TITLE.fullmatch(self.text, q.end, c.start)), None)
        if q is None or (q.start, q.end) in self.used or any(0 <= d.start - q.end <= 2 for d in codes):
            return None  # …《title》（JJF(浙) 1286-2023）: the code that follows speaks
        self.used.add((q.start, q.end))
        level = self.cfg.std_word_level[self.text[c.start:c.end]]
        return Standard(code=None, level=level, title=_clean_title(self.quote_text(q))), q.end  # type: ignore[arg-type]

    def _std_title(self, start: int, end: int) -> tuple[str | None, int]:
        after = next((q for q in self.within(end, end + 125, "QUOTE")
                      if q.start - end <= 2 and self.text[q.start] == "《"), None)
        if after is not None and (after.start, after.end) not in self.used:
            self.used.add((after.start, after.end))
            return _clean_title(self.quote_text(after)), after.end
        before = [q for q in self.within(max(0, start - 125), start, "QUOTE")
                  if start - q.end <= 2 and self.text[q.start] == "《"]
        if before and (before[-1].start, before[-1].end) not in self.used:
            self.used.add((before[-1].start, before[-1].end))
            return _clean_title(self.quote_text(before[-1])), end
        return None, end

    def _std_status(self, after: str, std: Standard) -> str:
        if self.cfg.re_["std_published"].search(after):
            return "published"
        if self.cfg.re_["std_drafting"].search(after):
            return "drafting"
        has_year = bool(std.code and re.search(r"-\d{4}$", std.code))
        return "published" if has_year else "drafting"

    def _merge_standard(self, std: Standard, create: bool) -> None:
        key = code_key(std.code)
        tk = title_key(std.title)
        for old in self.found.standards:
            same_code = key is not None and code_key(old.code) == key
            same_title = bool(tk) and title_key(old.title) == tk
            if same_code or same_title:
                if create and std.status == "published":
                    old.status = "published"
                    old.date = old.date or std.date
                if std.code and (old.code is None or (code_key(old.code) is None and key is not None)):
                    old.code = std.code
                old.title = old.title or std.title
                old.level = old.level or std.level
                return
        if create:
            self.found.standards.append(std)

    # -- projects --

    def read_projects(self, u: Unit, s: int, e: int) -> None:
        quotes = [q for q in self.within(s, e, "QUOTE") if (q.start, q.end) not in self.used and not self._programme(q)]
        prev_end = s
        for i, q in enumerate(quotes):
            title = _clean_title(self.quote_text(q))
            if not title or len(title) < self.cfg.raw["projects"]["min_title"]:
                continue
            lo = max(prev_end, s, q.start - 40)
            before = self.text[lo:q.start]
            after = self.text[q.end:min(e, q.end + 12)]
            if not (self.cfg.re_["proj_before"].search(before) or self.cfg.re_["proj_after"].match(after)
                    or self._project_place(u, q, s, e)):
                continue
            self.used.add((q.start, q.end))
            prev_end = q.end
            nxt = quotes[i + 1].start if i + 1 < len(quotes) else e
            rest = self.text[q.end:nxt]
            clause = self.text[self.clause_start(s, q.start):q.start]
            if self.cfg.re_["proj_others"].search(clause):
                continue  # another unit's project
            if self.cfg.re_["applied_only"].search(clause) and not self.cfg.re_["approved"].search(rest):
                continue  # applied for, not granted: no project yet
            if u.mode == "plan" and self.cfg.re_["plan_new"].search(clause) \
                    and not self.cfg.re_["plan_existing"].search(clause):
                continue  # a plan's new work
            level, funder = self._funder(before, rest)
            done_after = self.cfg.re_["completed_after"].search(rest)
            done_before = self.cfg.re_["completed_before"].search(before) and not self.cfg.re_["progress_after"].search(rest)
            completed = u.mode == "fact" and bool(done_before or done_after)
            date = _date(self.cfg.date.search(rest[:done_after.end()])) if completed and done_after else None
            p = Project(title=title, level=level, funder=funder, status="completed" if completed else "ongoing",
                        category=self._category(u.section, self.text[s:e]), date=date, location=u.location)  # type: ignore[arg-type]
            self._merge_project(p, create=u.mode == "fact" or bool(self.cfg.re_["plan_existing"].search(clause)))

    def _programme(self, q: Cand) -> bool:
        """A quoted programme name (“尖兵”“领雁”研发攻关计划, …计划“国家质量基础设施体系”重点专项), not a title."""
        return I.programme(self.text, q.start, q.end)

    def _project_place(self, u: Unit, q: Cand, s: int, e: int) -> bool:
        """Under a projects heading, a quoted title in a sentence that speaks of funding or research
        (a 《title》 too, unless it names a document: a specification, a plan, a report)."""
        if u.place != "projects":
            return False
        if self.text[q.start] == "《" and self.cfg.re_["doc_title"].search(self.text, q.start, q.end):
            return False
        return bool(self.cfg.re_["proj_place"].search(self.text, s, e))

    def _funder(self, before: str, rest: str) -> tuple[str | None, str | None]:
        """A level written before the title or in the bracket after it wins; else the funder nearest
        before the title; else the first one after it (“…”获省科技厅立项)."""
        bracket = re.match(r"\s*[(（]([^()（）]{0,40})[)）]", rest) \
            or re.match(r"[^，,。；;()（）“”《》]{0,20}[(（]([^()（）]{0,40})[)）]", rest)  # …获某课题立项支持（市级）
        level, words = G.explicit_level(before[-16:] + "，" + (bracket.group(1) if bracket else ""))
        if level is not None:
            funder = G.funder_level(before)[1] or (G.funder_level(rest[:bracket.end()])[1] if bracket else None)
            return level, funder or words
        level, words = G.funder_level(before)
        if level is not None:
            return level, words
        return G.funder_level(rest, nearest_end=False)

    def _category(self, section: str | None, sentence: str) -> str | None:
        by_section = self.cfg.raw["projects"]["category"].get(self.doc_kind, {})
        if section is not None:
            for key, cat in by_section.items():
                if _covers([key], section):
                    return cat
        for word, cat in self.cfg.raw["projects"]["category"]["words"].items():
            if word in sentence:
                return cat
        return None

    def _merge_project(self, p: Project, create: bool) -> None:
        tk = title_key(p.title)
        for old in self.found.projects:
            ok = title_key(old.title)
            if ok == tk or (min(len(ok), len(tk)) >= 8 and (ok in tk or tk in ok)):
                if create and p.status == "completed" and p.location.section and not p.location.section.startswith("2"):
                    old.status = "completed"
                    old.date = old.date or p.date
                old.level = old.level or p.level
                old.funder = old.funder or p.funder
                old.category = old.category or p.category
                return
        if create:
            self.found.projects.append(p)

    # -- awards --

    def read_awards(self, u: Unit, s: int, e: int) -> None:
        for c in self.within(s, e, "PRIZE"):
            clause_at = self.clause_start(s, c.start)
            before = self.text[s:c.start]
            if not self.cfg.re_["award_won"].search(before) or self.cfg.re_["award_others"].search(before):
                continue
            body, year = self._award_body(self.text[clause_at:c.start])
            prize = body + self.orig[c.start:c.end].replace(" ", "")
            title = self._award_title(s, c.start, c.end)
            a = Award(title=title, prize=prize, level=self._award_level(body), date=year,  # type: ignore[arg-type]
                      location=u.location)
            self._merge_award(a, create=u.mode == "fact")

    def _award_body(self, before: str) -> tuple[str, str | None]:
        parts = self.cfg.re_["award_stop"].split(before)
        body = parts[-1] if parts else before
        year = None
        m = self.cfg.re_["award_year"].search(body)
        if m:
            year = m.group(1)
            body = body[:m.start()] + body[m.end():]
        if year is None:
            m = self.cfg.re_["award_year"].search(before)
            year = m.group(1) if m else None
        return body.strip(), year

    def _award_level(self, body: str) -> str | None:
        return G.award_level(body)

    def _award_title(self, s: int, pos: int, end: int | None = None) -> str | None:
        """The quoted title before the prize in its clause, or right after it (…奖1项：“…”)."""
        quotes = [q for q in self.within(s, pos, "QUOTE") if (q.start, q.end) not in self.used]
        q = quotes[-1] if quotes and not re.search(r"[。；;]", self.text[quotes[-1].end:pos]) else None
        if q is None and end is not None:
            q = next((x for x in self.within(end, end + 130, "QUOTE")
                      if (x.start, x.end) not in self.used and re.fullmatch(r"\s*(?:\d+\s*项)?\s*[:：(（]?\s*", self.text[end:x.start])), None)
        if q is None:
            return None
        self.used.add((q.start, q.end))
        return _clean_title(self.quote_text(q))

    def _merge_award(self, a: Award, create: bool) -> None:
        tk, pk = title_key(a.title), title_key(a.prize)
        for old in self.found.awards:
            same_title = bool(tk) and title_key(old.title) == tk
            same_prize = title_key(old.prize) == pk and (not tk or not old.title)
            if same_title or same_prize:
                old.title = old.title or a.title
                old.level = old.level or a.level
                old.date = old.date or a.date
                return
        if create:
            self.found.awards.append(a)

    # -- papers and talks --

    def read_talks(self, u: Unit, s: int, e: int) -> None:
        if u.mode != "fact":
            return
        for c in self.within(s, e, "TALK"):
            m = self.cfg.re_["talk"].fullmatch(self.text, c.start, c.end)
            if m is None:
                continue
            for q in self.within(c.start, c.end, "QUOTE"):
                self.used.add((q.start, q.end))
            if self.cfg.re_["not_own"].search(self.text, self.clause_start(s, c.start), c.end):
                continue  # a talk given to the center, not by it
            g = next(k for k in ("t1", "t2", "t3") if m.group(k) is not None)
            title = _clean_title(self.orig[m.start(g):m.end(g)])
            if any(title_key(t.title) == title_key(title) for t in self.found.talks):
                continue
            self.found.talks.append(Talk(title=title, event=self._event(s, e, c), location=u.location,
                                         date=_date(self.cfg.date.search(self.text, s, c.start))))

    def _event(self, s: int, e: int, c: Cand) -> str | None:
        """The meeting of a talk: named before it in its sentence (在…大会上作…), else after it."""
        found = I.event_of(self.text[s:c.start]) or I.event_of(self.text[c.end:e])
        return _clean_title(found) if found else None

    def read_papers(self, u: Unit, s: int, e: int) -> None:
        self._prose_reference(u, s, e)
        quotes = [q for q in self.within(s, e, "QUOTE") if (q.start, q.end) not in self.used]
        for i, q in enumerate(quotes):
            if self.text[q.start] == "《" and not self.cfg.re_["paper_words"].search(self.text[max(s, q.start - 6):q.start]):
                continue  # 《…》 is a journal or a document unless 论文 names it
            nxt = next((x.start for x in quotes[i + 1:] if self.text[x.start] != "《"), e)
            found = self._paper_venue(s, q, nxt)
            if found is None:
                continue
            venue, tail = found
            self.used.add((q.start, q.end))
            for v in self.within(s, nxt, "QUOTE"):  # the journal's 《》 is no title of anything
                if self.text[v.start] == "《" and venue and self.quote_text(v) == venue:
                    self.used.add((v.start, v.end))
            lead = self.text[max(s, q.start - 10):q.start]
            indexed = self._indexed(tail) or self._indexed(lead)
            year = self.cfg.re_["paper_year"].search(tail)
            p = Paper(title=_clean_title(self.quote_text(q)), venue=venue, indexed=indexed,  # type: ignore[arg-type]
                      date=year.group(1) if year else None, location=u.location)
            tk = title_key(p.title)
            old = next((x for x in self.found.papers if title_key(x.title) == tk), None)
            if old is not None:
                old.venue, old.indexed = old.venue or p.venue, old.indexed or p.indexed
            elif u.mode == "fact":
                self.found.papers.append(p)

    def _prose_reference(self, u: Unit, s: int, e: int) -> None:
        """A GB/T 7714 reference written after a colon in running prose (发表EI收录论文1篇：作者. 题名[J]. …)."""
        if "[" not in self.text[s:e]:
            return
        colon = re.search(r"[:：]", self.text[s:e])
        if colon is None:
            return
        piece = self.text[s + colon.end():e]
        ref = I.reference(piece)
        if ref is None:
            return
        self._mark_quotes(s, e)
        title = _clean_title(ref.title)
        self._add_paper(Paper(title=title, venue=ref.venue, indexed=G.indexed(self.text[s:e].replace(ref.title, "")),  # type: ignore[arg-type]
                              date=ref.year, location=u.location), create=u.mode == "fact")

    def _paper_venue(self, s: int, q: Cand, nxt: int) -> tuple[str, str] | None:
        """(venue, the text after it up to the next title) of a published paper's title, else None."""
        after = self.text[q.end:nxt]
        m = re.match(r"\s*[,，]?\s*(?:" + self.cfg.re_["paper_published"].pattern + ")", after)
        if m is not None:
            rest = after[m.end():]
            v = self.cfg.re_["venue_cn"].match(rest) or self.cfg.re_["venue_en"].match(rest)
            if v is not None:
                return _clean_title(self.orig[q.end + m.end() + v.start(1):q.end + m.end() + v.end(1)]) or "", rest[v.end(1):]
            return None
        before = self.text[s:q.start]
        listed = self.cfg.re_["venue_listed"].match(after)
        if listed is not None and (listed.group(1).startswith("《") or self._indexed(after[listed.end():])):
            return _clean_title(self.orig[q.end + listed.start(1):q.end + listed.end(1)]) or "", after[listed.end(1):]
        verb = self.cfg.re_["paper_verb_before"].search(before)
        if verb is not None:
            v = self.cfg.re_["venue_bracket"].match(after)
            if v is not None:
                return _clean_title(self.orig[q.end + v.start(1):q.end + v.end(1)]) or "", after[v.end(1):]
        if verb is None and not re.search("(?:" + self.cfg.re_["paper_words"].pattern + r")[^“”\"《》]{0,4}$", before):
            return None
        for key in ("venue_before_cn", "venue_before_en"):
            found = list(self.cfg.re_[key].finditer(before))
            if found:
                v = found[-1]
                g = v.lastindex or 1  # the alternative that matched names the journal
                return _clean_title(self.orig[s + v.start(g):s + v.end(g)]) or "", before[v.end():] + after
        return None

    def _indexed(self, text: str) -> str | None:
        return G.indexed(text)

    # -- trainings and cases --

    def read_trainings(self, u: Unit, s: int, e: int) -> None:
        for c in self.within(s, e, "TRAINING"):
            m = self.cfg.re_["training"].fullmatch(self.text, c.start, c.end)
            if m is None:
                continue
            kind = "宣贯" if "宣贯" in m.group("kind") else "培训"
            held = re.compile(r"举办|召开|组织|开展").search(self.text, c.start, c.end)
            title = _clean_title(self.orig[held.end():c.end]) if held else None
            if title:
                title = re.sub(r"^在[\u4e00-\u9fff]{1,6}?(?=[A-Z\u4e00-\u9fff])", "", title) or title
            dm = self.cfg.date.match(self.text, m.start("date"))
            clause_end = self.cfg.clause_end.search(self.text, c.end, e)
            people = self.cfg.re_["people"].search(self.text, c.end, min(e, (clause_end.end() if clause_end else e) + 20))
            code = next((self.parse_code(d) for d in self.within(c.start, c.end, "STD_CODE", "STD_Q")), None)
            t = Training(kind=kind, title=title, date=_date(dm), participants=int(people.group(1)) if people else None,  # type: ignore[arg-type]
                         standard=code[0] if code else None, location=u.location)
            if not any(x.date == t.date and title_key(x.title) == title_key(t.title) for x in self.found.trainings):
                self.found.trainings.append(t)

    def read_case(self, u: Unit) -> None:
        if u.mode != "fact" or u.location.paragraph is None:
            return
        m = self.cfg.re_["case"].match(self.text, u.start, u.end)
        if m is None:
            return
        rest = self.orig[m.end():u.end]
        first = re.split(r"[。；;]", rest, maxsplit=1)[0]
        label_note = m.group(2) or ""
        self.found.cases.append(Case(label=m.group(1), title=_clean_title(first[:60]),
                                     other_industry=bool(self.cfg.re_["case_other"].search(label_note)),
                                     location=u.location))

    # -- records (tables of patents, papers, … that the template does not define) --

    def cell(self, u: Unit, role: str) -> str | None:
        span = u.cells.get(role)
        return _clean_title(self.orig[span[0]:span[1]]) if span else None

    def read_record(self, u: Unit) -> None:
        handler: dict[str, Callable[[Unit], None]] = {
            "patents": self.record_patent, "standards": self.record_standard, "projects": self.record_project,
            "awards": self.record_award, "papers": self.record_paper, "talks": self.record_talk,
        }
        handler[u.record or ""](u)

    def record_patent(self, u: Unit) -> None:
        cands = self.within(u.start, u.end, "PATENT_ZL", "PATENT_APP", "PATENT_PUB")
        if not cands:
            return
        info = self._patent(cands[0])
        if info is None:
            return
        key, number, status, ptype = info
        status_text = (self.cell(u, "status") or "") + (self.cell(u, "type") or "")
        if status is None:  # an application number: its status column decides (授权, else applied)
            status = "granted" if "授权" in status_text and not re.search(r"申请|受理|审查|公开", status_text) else "applied"
        type_text = self.cell(u, "type") or ""
        words = self.cfg.raw["patents"]["type_words"]
        ptype = ptype or next((t for w, t in words.items() if w in type_text), None)
        p = Patent(number=number, status=status, type=ptype, title=self.cell(u, "title"),  # type: ignore[arg-type]
                   location=u.location)
        if len(cands) > 1 and cands[1].label != cands[0].label:
            second = self._patent(cands[1])
            if second is not None and second[1].startswith("CN"):
                p.publication = second[1]
        if u.mode == "fact":
            self._add_patent(p, key)

    def record_standard(self, u: Unit) -> None:
        cands = self.within(u.start, u.end, "STD_CODE", "STD_Q")
        parsed = self.parse_code(cands[0]) if cands else None
        text_level = (self.cell(u, "type") or "") + (self.cell(u, "level") or "")
        level = parsed[1] if parsed else None
        if level is None:
            level = next((lv for w, lv in self.cfg.std_word_level.items() if w in text_level), None)
        if level == "international" or (parsed is None and level is None):
            return
        title = self.cell(u, "title")
        status_text = self.cell(u, "status") or ""
        std = Standard(code=parsed[0] if parsed else None, title=title, level=level, location=u.location)  # type: ignore[arg-type]
        std.status = self._std_status(status_text, std)  # type: ignore[assignment]
        if u.mode == "fact":
            self._merge_standard(std, create=True)

    def record_project(self, u: Unit) -> None:
        title = self.cell(u, "title")
        if not title:
            return
        rest = self._row_without(u, "title")
        level, funder = G.project_level(rest)
        status_text = self.cell(u, "status") or rest
        p = Project(title=title, level=level, funder=funder, status=I.status_of(status_text),  # type: ignore[arg-type]
                    category=self._category(u.section, title + rest), location=u.location)
        if u.mode == "fact":
            self._merge_project(p, create=True)

    def _row_without(self, u: Unit, role: str) -> str:
        span = u.cells.get(role)
        if span is None:
            return self.text[u.start:u.end]
        return self.text[u.start:span[0]] + self.text[span[1]:u.end]

    def record_talk(self, u: Unit) -> None:
        title = self.cell(u, "title")
        if title and u.mode == "fact" and not any(title_key(t.title) == title_key(title) for t in self.found.talks):
            rest = self._row_without(u, "title")
            self.found.talks.append(Talk(title=title, event=self.cell(u, "event") or I.event_of(rest),
                                         date=_date(self.cfg.date.search(rest) or DOTTED_DATE.search(rest)),
                                         location=u.location))

    def record_award(self, u: Unit) -> None:
        prize_c = self.within(u.start, u.end, "PRIZE")
        title = self.cell(u, "title")
        if not prize_c and not title:
            return
        level_text = self.cell(u, "level") or ""
        prize = None
        body = level_text
        if prize_c:
            c = prize_c[0]
            row_start = u.cells.get("level", (u.start, u.start))[0] if "level" in u.cells else u.start
            body, _year = self._award_body(self.text[max(row_start, u.start):c.start])
            prize = body + self.orig[c.start:c.end]
        a = Award(title=title, prize=prize, level=G.award_level(body or level_text), location=u.location)  # type: ignore[arg-type]
        if u.mode == "fact":
            self._merge_award(a, create=True)

    def record_paper(self, u: Unit) -> None:
        title = self.cell(u, "title")
        if not title:
            return
        indexed = self._indexed(self.cell(u, "indexed") or "") or self._indexed(self.text[u.start:u.end])
        venue = self.cell(u, "venue")
        p = Paper(title=title, venue=venue, indexed=indexed, location=u.location)  # type: ignore[arg-type]
        if u.mode == "fact" and not any(title_key(x.title) == title_key(title) for x in self.found.papers):
            self.found.papers.append(p)


def _apply_statement(papers: list[Paper], classes: set[str], words: str) -> None:
    """Papers listed under a statement of index classes, naming none themselves: one class for the
    whole list is theirs; several (其中SCI收录1篇、EI收录2篇) cannot say which is which."""
    for p in papers:
        if p.indexed is not None:
            continue
        if len(classes) == 1:
            p.indexed = next(iter(classes))  # type: ignore[assignment]
        else:
            p.index_statement = words


def check_digit(digits: str) -> str:
    """CNIPA's check digit of an application number: weights 2–9 repeated, sum mod 11, 10 is X."""
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    return "X" if total % 11 == 10 else str(total % 11)


# --- codes ------------------------------------------------------------------------------------


def normalise_code(m: re.Match[str]) -> tuple[str, str | None, str | None, str | None]:
    """(code as the contract writes it, level, number, year) of a code match: JJF(浙) 1215-2025."""
    prefix = re.sub(r"\s+", "", m.group("prefix")).upper().replace("（", "(").replace("）", ")")
    groups = m.groupdict()
    num = groups.get("num") or groups.get("qnum")
    year = groups.get("year") or groups.get("qyear")
    num = re.sub(r"\s+", "", num) if num else None
    level = code_level(prefix)
    code = prefix
    if num:
        code += f" {num}"
        if year:
            code += f"-{year}"
    return code, level, num, year


def code_level(prefix: str) -> str | None:
    for level, pattern in config().code_levels:
        if pattern.match(prefix):
            return level
    return None


def code_key(code: str | None) -> str | None:
    """A code's identity without its year: JJF(浙)1215 (None when the code has no number)."""
    if not code or " " not in code:
        return None
    prefix, rest = code.split(" ", 1)
    num = re.sub(r"-(?:19|20)\d{2}$", "", rest)
    return prefix + num


def find_codes(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """Every specification code in a cell's text: (code, level, number, year); international ones
    with level "international"."""
    t = fold(text)
    out = [normalise_code(m) for m in config().code.finditer(t)]
    out += [normalise_code(m) for m in config().code_q.finditer(t)]
    out += [(m.group().strip(), "international", None, None) for m in config().code_intl.finditer(t)]
    return out


# --- the entry point --------------------------------------------------------------------------


def read_entities(blocks: list[Block], sections_of: list[str | None], doc_kind: str) -> Entities:
    """The entities of a document (see the module docstring for what counts)."""
    built = _worth_reading(collect(blocks, sections_of, doc_kind))
    if not built.units:
        return Entities()
    orig = "".join(built.parts)
    text = fold(orig)
    return Reader(text=text, orig=orig, cands=candidates(text), doc_kind=doc_kind).read(built.units)


def _worth_reading(built: TextBuilder) -> TextBuilder:
    """Only the units that could hold an entity (table records always): the rest are never searched."""
    trigger = re.compile(config().raw["text"]["trigger"])
    orig = "".join(built.parts)
    out = TextBuilder()
    for u in built.units:
        piece = orig[u.start:u.end]
        if u.record or (u.place and u.item) or trigger.search(fold(piece)):
            shift = out.size - u.start
            out.parts += [piece, "\n"]
            out.size += len(piece) + 1
            u.start += shift
            u.end += shift
            u.cells = {k: (a + shift, b + shift) for k, (a, b) in u.cells.items()}
            out.units.append(u)
    return out
