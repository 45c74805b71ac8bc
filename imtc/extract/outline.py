"""Block stream -> the template's outline: which headings are there, and what is under them.

A heading is found by its title, helped by its label: the label (一、 （一） 1. 5.1, typed or
from automatic numbering) gives the level and the number; the title must resemble the
template's. Headings are matched in template order, so a list item in the prose that looks
like a later heading cannot pull the outline forward unless it resembles it closely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from imtc.extract.blocks import Block, Paragraph
from imtc.extract.text import Label, chinese_to_int, key_text, parse_label, similarity_keyed, squash
from imtc.templates import Outline, SectionSpec

_BARE_LABEL = re.compile(r"^[^:：]{1,12}[:：]$")
PLACEHOLDER = re.compile(r"^[Xx×ＸＸ*＊_＿\-—…・.。/、\s]*$")
PLACEHOLDER_WORDS = {"无", "略", "暂无", "待补充", "待填写", "待定", "此处填写", "填写内容"}
MAX_HEADING_CHARS = 60


@dataclass
class Match:
    key: str
    block: int  # index into the block list
    heading: str  # as written, label included
    inline_content: bool  # text after the title on the heading's own line ("建设目标：到2026年…")
    guessed: str | None = None  # a top-level heading taken by its place: "reworded" or "merged" (with the one before)


def _title_and_rest(title: str) -> tuple[str, bool]:
    """Split "重点项目：本中心……" into the title and whether content follows it."""
    for sep in ("：", ":"):
        if sep in title:
            head, _, tail = title.partition(sep)
            if 0 < len(key_text(head)) <= 30:
                return head, bool(key_text(tail))
    return title, False


def _threshold(label: Label, para: Paragraph, spec: SectionSpec, title_key: str, spec_key: str) -> float:
    """The similarity a heading candidate needs to count as this template section."""
    if label.level is None:
        # no label: a styled heading, or a bare line that says just the template's title
        if para.outline_level is not None:
            return 0.75
        return 0.9 if len(title_key) <= len(spec_key) + 4 else 9.0
    if label.level != spec.level:
        return 0.9
    number_agrees = label.number is not None and spec.key.rsplit(".", 1)[-1] == str(label.number)
    return 0.6 if number_agrees else 0.7


@dataclass
class _Node:
    total: float
    block: int
    section: int
    prev: _Node | None


def _candidates(b: Paragraph, outline: Outline, spec_keys: list[str]) -> list[tuple[int, float]] | None:
    text = b.text.strip()
    if not text or (len(text) > MAX_HEADING_CHARS * 2 and b.outline_level is None):
        return None
    if len(squash(text)) > MAX_HEADING_CHARS and b.outline_level is None:
        return None
    label = parse_label(text)
    title, _ = _title_and_rest(label.title)
    title_key = key_text(title)
    if not title_key:
        return None
    if label.level is None and b.outline_level is None and len(title_key) > _longest(spec_keys) + 4:
        return None  # an unlabelled line longer than any title cannot be a bare title line
    out = []
    for si, spec in enumerate(outline.sections):
        threshold = _threshold(label, b, spec, title_key, spec_keys[si])
        score = similarity_keyed(title_key, spec_keys[si], at_least=threshold)  # exact where it counts
        if score and score >= threshold:
            agrees = label.number is not None and spec.key.rsplit(".", 1)[-1] == str(label.number)
            out.append((si, score + (0.05 if agrees else 0.0)))
    return out


def _longest(keys: list[str]) -> int:
    return max(len(k) for k in keys)


def match_headings(blocks: list[Block], outline: Outline) -> list[Match]:
    """The best assignment of paragraphs to template headings, in order on both sides.

    Each paragraph that resembles a heading closely enough is a candidate for those headings;
    the chosen set maximises the summed similarity under the constraint that headings appear
    in template order. A stray list item that resembles a heading far ahead therefore cannot
    swallow the sections in between: the real headings outweigh it.
    """
    spec_keys = [key_text(s.title) for s in outline.sections]
    n = len(outline.sections)
    best_at: list[_Node | None] = [None] * n  # best chain whose last match is section i
    for bi, b in enumerate(blocks):
        if not isinstance(b, Paragraph):
            continue
        options = _candidates(b, outline, spec_keys)
        if not options:
            continue
        prefix: list[_Node | None] = [None] * (n + 1)  # best chain among sections < i
        for i in range(n):
            cur = best_at[i]
            prev = prefix[i]
            prefix[i + 1] = cur if cur is not None and (prev is None or cur.total > prev.total) else prev
        for si, score in options:
            before = prefix[si]
            node = _Node(total=score + (before.total if before else 0.0), block=bi, section=si, prev=before)
            if best_at[si] is None or node.total > best_at[si].total + 1e-9:
                best_at[si] = node
    chain = max((x for x in best_at if x is not None), key=lambda x: x.total, default=None)
    out: list[Match] = []
    while chain is not None:
        para = blocks[chain.block]
        assert isinstance(para, Paragraph)
        text = para.text.strip()
        _, inline = _title_and_rest(parse_label(text).title)
        out.append(Match(key=outline.sections[chain.section].key, block=chain.block, heading=text,
                         inline_content=inline))
        chain = chain.prev
    return guess_top_level(blocks, outline, out[::-1])


MIN_TOP_FOUND = 3  # top-level headings found by their titles before any is taken by its place
MERGED_OVERLAP = 3  # characters in a row that a merged heading shares with the title it swallowed


def guess_top_level(blocks: list[Block], outline: Outline, matches: list[Match]) -> list[Match]:
    """Top-level headings no title resembled, taken by their place, each marked `guessed`:

    - reworded: between the headings found before and after it, a paragraph labelled at the top
      level with this section's number ("三、国内外及省内发展现状" for 三、省内外产业计量测试发展状况),
      or with the number in sequence with the document's own numbers around it (_numbers);
    - merged: no such paragraph, and the top-level heading found just before or after it, its own
      title taken out, holds MERGED_OVERLAP characters in a row of this title ("一、产业界定与范围及
      必要性" for 一 and 二): both sections begin at that heading, and share its content.
    """
    found = {m.key: m for m in matches}
    order = [s.key for s in outline.sections]
    if sum(1 for m in matches if _level_of(m.key) == 1) < MIN_TOP_FOUND:
        return matches  # too little of the template found by title to go by places
    for si, spec in enumerate(outline.sections):
        if spec.level != 1 or spec.key in found:
            continue
        before = [found[k] for k in order[:si] if k in found]
        after = [found[k] for k in order[si + 1:] if k in found]
        lo = before[-1].block if before else -1
        hi = after[0].block if after else len(blocks)
        taken = {m.block for m in found.values()}
        tops_before = [m for m in before if _level_of(m.key) == 1]  # past the subsections of the one before
        tops_after = [m for m in after if _level_of(m.key) == 1]
        guess = _reworded(blocks, spec, lo, hi, taken, _numbers(spec, tops_before[-1:], tops_after[:1]))
        if guess is None:
            guess = _merged(outline, spec, tops_before[-1:] + after[:1])
        if guess is not None:
            found[spec.key] = guess
    return sorted(found.values(), key=lambda m: (m.block, order.index(m.key)))


def _level_of(key: str) -> int:
    return key.count(".") + 1


def _numbers(spec: SectionSpec, before: list[Match], after: list[Match]) -> set[int]:
    """The numbers spec's heading may carry: the template's, and the one in sequence with the
    document's own numbers of the top-level headings found around it (a document that merged two
    sections earlier numbers the rest one lower)."""
    numbers = {int(spec.key)}
    for m, step in [(m, 1) for m in before] + [(m, -1) for m in after]:
        number = parse_label(m.heading).number
        if number is not None:
            numbers.add(number + step)
    return numbers


def _reworded(blocks: list[Block], spec: SectionSpec, lo: int, hi: int, taken: set[int],
              numbers: set[int]) -> Match | None:
    for bi in range(lo + 1, hi):
        b = blocks[bi]
        if bi in taken or not isinstance(b, Paragraph) or len(squash(b.text)) > MAX_HEADING_CHARS:
            continue
        label = parse_label(b.text.strip())
        if label.level is None:
            label = _unseparated(b.text.strip())
        if label.level == 1 and label.number in numbers and key_text(label.title):
            return Match(key=spec.key, block=bi, heading=b.text.strip(), inline_content=False, guessed="reworded")
    return None


_UNSEPARATED = re.compile(r"^([一二三四五六七八九十]{1,3})([\u4e00-\u9fff].*)$")


def _unseparated(text: str) -> Label:
    """A top-level label whose separator a scan lost ("六现有能力导条件" for 六、现有能力与条件): the numeral
    as its number, for `_reworded` to take only where that number is in sequence at that place."""
    m = _UNSEPARATED.match(text)
    number = chinese_to_int(m.group(1)) if m else None
    return Label(level=1, number=number, title=m.group(2)) if m and number else Label(level=None, number=None,
                                                                                      title=text)


def _merged(outline: Outline, spec: SectionSpec, neighbours: list[Match]) -> Match | None:
    """A top-level heading found next to `spec` whose text, its own title taken out, holds
    MERGED_OVERLAP characters in a row of spec's title: the two sections begin at one heading."""
    titles = {s.key: s.title for s in outline.sections}
    want = key_text(spec.title)
    for m in neighbours:
        if m.guessed or _level_of(m.key) != 1:
            continue
        title = key_text(parse_label(m.heading).title)
        own = SequenceMatcher(None, title, key_text(titles[m.key]), autojunk=False)
        kept = set()
        for blk in own.get_matching_blocks():
            kept |= set(range(blk.a, blk.a + blk.size))
        rest = "".join(ch for i, ch in enumerate(title) if i not in kept)
        sm = SequenceMatcher(None, rest, want, autojunk=False)
        if sm.find_longest_match(0, len(rest), 0, len(want)).size >= MERGED_OVERLAP:
            return Match(key=spec.key, block=m.block, heading=m.heading, inline_content=m.inline_content,
                         guessed="merged")
    return None


def is_content(text: str) -> bool:
    """Real content, not the template's guidance, a bare label or a placeholder."""
    t = squash(text)
    if not t:
        return False
    if t[0] == "(" and t[-1] == ")":
        return False  # the template's parenthesised guidance
    if _BARE_LABEL.match(t) or PLACEHOLDER.match(t):
        return False
    head, _, tail = t.partition(":") if ":" in t else t.partition("：")
    if tail and (tail in PLACEHOLDER_WORDS or PLACEHOLDER.match(tail)):
        return False
    return t not in PLACEHOLDER_WORDS and "XX产业" not in t.replace("××", "XX")


def section_of_blocks(n_blocks: int, matches: list[Match]) -> list[str | None]:
    """For each block, the key of the section it sits in (None before the first heading)."""
    out: list[str | None] = [None] * n_blocks
    starts = sorted((m.block, m.key) for m in matches)
    for i, (start, key) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else n_blocks
        for j in range(start, end):
            out[j] = key
    return out


def statuses(outline: Outline, matches: list[Match], has_content: set[str]) -> dict[str, str]:
    """present / empty / missing for every key; a parent is present when any child is."""
    found = {m.key for m in matches}
    by_block: dict[int, set[str]] = {}
    for m in matches:
        by_block.setdefault(m.block, set()).add(m.key)
    has_content = has_content | {k for keys in by_block.values() if len(keys) > 1 and keys & has_content for k in keys}
    status: dict[str, str] = {}
    for spec in reversed(outline.sections):  # children before parents
        kids = [status[c.key] for c in outline.children(spec.key)]
        if spec.key in has_content or "present" in kids:
            status[spec.key] = "present"
        elif spec.key in found or "empty" in kids:
            status[spec.key] = "empty"
        else:
            status[spec.key] = "missing"
    for keys in by_block.values():  # merged headings: a section whose heading holds a present one is present
        if len(keys) > 1 and any(status[k] == "present" for k in keys):
            status.update({k: "present" for k in keys})
    return status
