"""Top-level headings reworded or merged (issue 15): taken by their place, with a warning.

Hand-shaped documents: every heading of annex 1 as the template writes it, a sentence of content
under each, then one top-level heading reworded, or two merged into one.
"""

from __future__ import annotations

from imtc.extract.blocks import Document, Paragraph
from imtc.extract.outline import match_headings
from imtc.extract.pipeline import from_document
from imtc.models import Source
from imtc.templates import outline

TPL = outline("application")


def document(headings: dict[str, str | None]) -> Document:
    """Annex 1's headings (label + title) with a sentence under each; `headings` rewrites some
    (key -> text) or drops them (key -> None)."""
    texts = ["浙江省产业计量测试中心申请书", "中心名称：浙江省动力电池产业计量测试中心"]
    for spec in TPL.sections:
        text = headings.get(spec.key, spec.label + spec.title)
        if text is not None:
            texts.append(text)
        texts.append(f"本节内容：围绕{spec.title}开展的工作安排与说明，详见下文所列各项。")
    return Document(blocks=[Paragraph(text=t, index=i, page=1) for i, t in enumerate(texts)]).number()


def sections(doc: Document) -> tuple[dict[str, str], list[tuple[str, str]]]:
    ex = from_document(doc, Source(file="x.pdf", format="pdf", sha256="0" * 64))
    status = {s.key: s.status for s in ex.sections}
    warnings = [(f.location.section, f.message) for f in ex.findings if f.code == "heading-guessed"]
    return status, warnings


def test_a_reworded_top_level_heading_is_taken_by_its_number_and_place_with_a_warning() -> None:
    doc = document({"3": "三、国内外及省内产业计量现状"})
    status, warnings = sections(doc)
    assert status["3"] == "present"
    assert warnings == [("3", "标题“三、国内外及省内产业计量现状”与模板的“3 省内外产业计量测试发展状况”措辞不同，"
                              "按其编号和位置推定为该章节。请核对，或按模板标题修改。")]


def test_two_top_level_headings_merged_into_one_are_both_present_with_a_warning() -> None:
    doc = document({"1": "一、产业界定与范围及建设必要性", "2": None})
    status, warnings = sections(doc)
    assert status["1"] == status["2"] == "present"
    assert [w[0] for w in warnings] == ["2"] and "合并" in warnings[0][1]


def test_a_top_level_section_really_missing_stays_missing() -> None:
    # 九 shares 建设计划 with 八's title: 八's heading, its own title taken out, has nothing left of 九
    doc = document({"9": None})
    status, warnings = sections(doc)
    assert status["9"] == "present"  # its subsections are there: a parent with present children
    doc = document({k: None for k in ("9", *[s.key for s in TPL.sections if s.key.startswith("9.")])})
    matches = match_headings(doc.blocks, TPL)
    assert "9" not in {m.key for m in matches}
    status, warnings = sections(doc)
    assert status["9"] == "missing" and warnings == []


def test_headings_unlike_the_template_are_not_guessed_into_an_application() -> None:
    doc = Document(blocks=[Paragraph(text=t, index=i, page=1) for i, t in enumerate(
        ["一、会议时间", "二、会议地点", "三、参会人员", "四、会议议程", "五、其他事项"])]).number()
    assert match_headings(doc.blocks, TPL) == []
