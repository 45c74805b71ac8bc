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
CN = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]


def document(headings: dict[str, str | None], bare: frozenset[str] = frozenset()) -> Document:
    """Annex 1's headings (label + title) with a sentence under each but those in `bare`;
    `headings` rewrites some (key -> text) or drops them (key -> None)."""
    texts = ["浙江省产业计量测试中心申请书", "中心名称：浙江省动力电池产业计量测试中心"]
    for spec in TPL.sections:
        text = headings.get(spec.key, spec.label + spec.title)
        if text is not None:
            texts.append(text)
        if spec.key not in bare:
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


def test_a_section_merged_into_a_heading_with_subsections_is_found_past_them() -> None:
    # 五 has subsections (5.1-5.5): the top-level heading found before 六 is 五, not 5.5
    doc = document({"5": "五、产业发展计量测试技术需求及现有能力与条件", "6": None})
    status, warnings = sections(doc)
    assert status["5"] == status["6"] == "present"
    assert [w[0] for w in warnings] == ["6"] and "合并" in warnings[0][1]


def test_a_merged_section_is_present_when_its_heading_has_content_only_in_subsections() -> None:
    # 十 writes nothing under its own heading, only under its subsections (10.1-10.7), and 十一's
    # text follows them: 十一 shares 十's heading, so it is present as 十 is
    doc = document({"10": "十、产业计量测试中心能力建设任务与经费概算与来源", "11": None}, bare=frozenset({"10"}))
    status, warnings = sections(doc)
    assert status["10"] == status["11"] == "present"
    assert [w[0] for w in warnings] == ["11"]


def test_a_reworded_heading_numbered_in_the_documents_own_sequence_after_a_merge() -> None:
    # 二 and 三 merged, the rest numbered again from there: 六 (现有能力与条件) is written 五、, reworded
    renumbered = {s.key: f"{CN[int(s.key) - 2]}、{s.title}" for s in TPL.sections if s.level == 1 and int(s.key) > 3}
    doc = document(renumbered | {"2": "二、必要性及意义及省内外产业计量测试发展状况", "3": None,
                                 "6": "五、本中心现有基础与资源"})
    status, warnings = sections(doc)
    assert all(v == "present" for k, v in status.items() if "." not in k)
    # the merged heading resembles 三's title more than 二's: 三 is taken by title, 二 as merged into it
    assert sorted(w[0] for w in warnings) == ["2", "6"]
    assert "五、本中心现有基础与资源" in dict(warnings)["6"]


def test_a_top_level_heading_whose_separator_ocr_dropped_is_taken_by_its_number_and_place() -> None:
    """A scan read "六、现有能力与条件" as "六现有能力导条件" (、 dropped, 与 read as 导): no label, and a short
    title one character off. Between 五 and 七, the numeral in sequence is its label."""
    doc = document({"6": "六现有能力导条件"})
    status, warnings = sections(doc)
    assert status["6"] == "present"
    assert [w[0] for w in warnings] == ["6"]


def test_prose_that_starts_with_a_numeral_is_no_heading() -> None:
    """"一是…" and "十分…" start with a numeral too; out of sequence or not, they stay prose."""
    doc = document({"6": "十分重要的现有条件"})
    status, _ = sections(doc)
    assert status["6"] == "missing"


def test_a_heading_whose_numeral_a_scan_lost_is_found_before_the_caption_that_repeats_its_title() -> None:
    # "（一）校准项目技术需求表" read as "()校准项目技术需求表", its table's caption below it: the heading
    # is 5.1's, not the caption (seed 164 at 200 dpi: the table fell under 5 and 5.1 was reported empty)
    for read in ("()校准项目技术需求表", ")校准项目技术需求表", "（）校准项目技术需求表"):  # （一 lost (seed 36 too)
        doc = document({"5.1": read})
        i = next(i for i, b in enumerate(doc.blocks) if b.text == read)
        doc.blocks.insert(i + 1, Paragraph(text="校准项目技术需求表", index=0, page=1))
        doc = Document(blocks=[Paragraph(text=b.text, index=n, page=1) for n, b in enumerate(doc.blocks)]).number()
        found = {m.key: m.block for m in match_headings(doc.blocks, TPL)}
        assert found["5.1"] == i, read
