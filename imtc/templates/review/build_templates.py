"""Builds the Word templates of the experts' review documents (docxtpl: jinja2 inside .docx).

Run once after changing the layout, and commit the four .docx files it writes beside itself:

    python imtc/templates/review/build_templates.py [FOLDER]

annex5_sheet.docx   附件5 后续评价细则 (annual reports), the annex's table, one row per item
annex6_report.docx  附件6 后续评价报告 (annual reports)
annex2_tables.docx  附件2 表1 申请书评价评分表 and 表2 现场核查评分表 (applications)
annex3_report.docx  附件3 建设评价报告 (applications)

A bureau may edit or replace the .docx files in Word without touching code; docs/review.md lists
the variables each template receives. Conventions the renderer adds to docxtpl's own:
a table cell whose whole text is 〃 is merged with the cell above it (the annexes' vertically
merged 分类 / 一级指标 cells).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell

HERE = Path(__file__).resolve().parent
OUT = HERE  # where save() writes; main(FOLDER) changes it

SONG, FANG, HEI = "宋体", "仿宋", "黑体"
LATIN = "Times New Roman"
GREY = RGBColor(0x59, 0x59, 0x59)
BODY_PT, TABLE_PT, SMALL_PT = 12, 10.5, 9


# --- low-level helpers ---------------------------------------------------------------------------


def _fonts(rpr_parent, east: str, size: float | None = None, bold: bool | None = None) -> None:
    """Latin and East Asian fonts (宋体/仿宋/黑体 by name: Word's eastAsia slot) on a run or a style."""
    font = rpr_parent.font
    font.name = LATIN
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = rpr_parent._r.get_or_add_rPr() if hasattr(rpr_parent, "_r") else rpr_parent.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east)


def new_document(*, landscape: bool = False, margins_cm: float = 2.2) -> DocumentObject:
    """An A4 document whose body text is 仿宋 12 pt, language zh-CN."""
    doc = Document()
    normal = doc.styles["Normal"]
    _fonts(normal, FANG, BODY_PT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(margins_cm)
    section.left_margin = section.right_margin = Cm(margins_cm - 0.4 if landscape else margins_cm)
    _page_number_footer(section)
    return doc


def _page_number_footer(section) -> None:  # noqa: ANN001
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, kind in (("第 ", None), ("PAGE", "field"), (" 页 / 共 ", None), ("NUMPAGES", "field"), (" 页", None)):
        if kind is None:
            _fonts(p.add_run(text), SONG, SMALL_PT)
            continue
        run = p.add_run()
        _fonts(run, SONG, SMALL_PT)
        for tag, extra in (("w:fldChar", "begin"), ("w:instrText", text), ("w:fldChar", "separate"),
                           ("w:t", "1"), ("w:fldChar", "end")):
            el = OxmlElement(tag)
            if tag == "w:fldChar":
                el.set(qn("w:fldCharType"), extra)
            else:
                el.text = extra
                if tag == "w:instrText":
                    el.set(qn("xml:space"), "preserve")
            run._r.append(el)


def para(container, text: str = "", *, font: str = FANG, size: float = BODY_PT, bold: bool = False,
         align: str = "left", before: float = 0, after: float = 0, indent_chars: float = 0,
         color: RGBColor | None = None, underline: bool = False, runs: list[tuple] | None = None):
    """A paragraph of one run (or of `runs`: (text, {font,size,bold,color,underline}) pairs)."""
    p = container.add_paragraph()
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    for t, opts in runs or [(text, {})]:
        if t == "":
            continue
        run = p.add_run(t)
        _fonts(run, opts.get("font", font), opts.get("size", size), opts.get("bold", bold))
        c = opts.get("color", color)
        if c is not None:
            run.font.color.rgb = c
        if opts.get("underline", underline):
            run.font.underline = True
    return p


def page_break(doc: DocumentObject) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def cell_para(cell: _Cell, text: str = "", first: bool = False, **kw):
    """Write into a cell: the first call reuses the cell's empty paragraph."""
    if first:  # a fresh (or merged) cell holds empty paragraphs: drop them all
        for p in cell.paragraphs:
            p._p.getparent().remove(p._p)
    kw.setdefault("font", SONG)
    kw.setdefault("size", TABLE_PT)
    p = para(cell, text, **kw)
    p.paragraph_format.line_spacing = 1.0  # tables single-spaced, as Word's forms are
    return p


def cell_text(cell: _Cell, *paras: str | tuple, **kw) -> _Cell:
    """Replace a cell's content by paragraphs (a str, or (text, options) for a paragraph of its own)."""
    for i, item in enumerate(paras or ("",)):
        opts = dict(kw)
        if isinstance(item, tuple):
            item, extra = item
            opts.update(extra)
        cell_para(cell, item, first=(i == 0), **opts)
    return cell


def table(container, rows: int, widths_cm: list[float], *, header_rows: int = 0) -> Table:
    t = container.add_table(rows=rows, cols=len(widths_cm))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False  # w:tblLayout fixed
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in t.rows:
        for cell, w in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(w)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for r in range(header_rows):
        tr_pr = t.rows[r]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        tr_pr.append(el)
    return t


def merge(t: Table, row: int, first: int, last: int) -> _Cell:
    return t.cell(row, first).merge(t.cell(row, last))


def tag_row(t: Table, row: int, tag: str) -> None:
    """A docxtpl row tag ({%tr … %}): the whole row is replaced by the tag when rendering."""
    cell_text(t.cell(row, 0), tag, size=SMALL_PT)


# w:tcPr children after w:shd, in schema order (Word rejects a misplaced one)
_AFTER_SHD = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")


def shade(cell: _Cell, fill: str = "F2F2F2") -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    later = [el for tag in _AFTER_SHD if (el := tc_pr.find(qn(tag))) is not None]
    if later:
        later[0].addprevious(shd)
    else:
        tc_pr.append(shd)


def top_align(cell: _Cell) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def loop_paras(cell: _Cell, loop: str, body: list[tuple], *, first: bool = False, end: str = "endfor") -> None:
    """{%p for … %} / body paragraphs / {%p endfor %} inside a cell (or {%p if %} … {%p endif %})."""
    cell_para(cell, f"{{%p {loop} %}}", first=first, size=SMALL_PT)
    for runs, opts in body:
        cell_para(cell, runs=runs, **opts)
    cell_para(cell, f"{{%p {end} %}}", size=SMALL_PT)


def title_block(doc: DocumentObject, title: str, size: float = 18, before: float = 6, after: float = 12) -> None:
    para(doc, title, font=HEI, size=size, bold=True, align="center", before=before, after=after)


def label_line(doc: DocumentObject, label: str, value: str, *, size: float = BODY_PT, indent_cm: float = 0) -> None:
    p = para(doc, runs=[(label, {}), (value, {"underline": True})], size=size, after=4)
    if indent_cm:
        p.paragraph_format.left_indent = Cm(indent_cm)


def save(doc: DocumentObject, name: str) -> Path:
    target = OUT / name
    props = doc.core_properties
    props.author = "imtc"
    props.title = name.removesuffix(".docx")
    props.comments = "imtc 评审文件模板（docxtpl）；变量说明见 docs/review.md"
    doc.save(target)
    return target


# --- shared pieces ----------------------------------------------------------------------------------

EVIDENCE = [("{{ e.text }}", {"size": SMALL_PT}), ("{{ e.where }}", {"size": 8, "color": GREY})]
PREFILL_NOTE = ("本文件由 imtc 根据“{{ source_file }}”预填：标注“自动”的得分由工具按细则计算，"
                "其余得分留待专家评定；所有内容均可修改。")


def prefill_note(doc: DocumentObject) -> None:
    para(doc, PREFILL_NOTE, font=SONG, size=SMALL_PT, color=GREY, after=6)


def signature_table(doc: DocumentObject, widths: list[float]) -> None:
    t = table(doc, 7, widths, header_rows=1)
    for c, h in enumerate(("序号", "姓名", "单位", "职务/职称", "联系电话")):
        cell_text(t.cell(0, c), h, bold=True, align="center")
    for r, label in enumerate(("1", "2", "3", "4", "5", "..."), start=1):
        cell_text(t.cell(r, 0), label, align="center")
        t.rows[r].height = Cm(0.9)


# --- 附件5 后续评价细则 ------------------------------------------------------------------------------


def build_annex5() -> Path:
    doc = new_document(landscape=True)
    title_block(doc, "浙江产业计量测试中心后续评价细则")
    prefill_note(doc)
    for label, value in (("中心名称：", "{{ center_name }}"), ("建设单位：", "{{ applicant }}"),
                         ("建设单位负责人：", "{{ responsible_person }}"), ("评审组组长：", "                    "),
                         ("评价日期：", "                    ")):
        label_line(doc, label, value)
    para(doc, runs=[("评价对象：", {}), ("{{ document_label }}", {})], size=SMALL_PT, font=SONG, color=GREY)
    para(doc, runs=[("上一份计划（计划完成率η的分母）：", {}), ("{{ previous_label }}", {})], size=SMALL_PT,
         font=SONG, color=GREY, after=6)

    widths = [1.4, 3.6, 1.3, 1.3, 6.6, 11.9]
    t = table(doc, 8, widths, header_rows=1)
    for c, h in enumerate(("序号", "评价内容", "分值", "得分", "量化标准", "核查说明")):
        cell_text(t.cell(0, c), h, font=HEI, bold=True, align="center")
        shade(t.cell(0, c))
    tag_row(t, 1, "{%tr for r in rows %}")
    tag_row(t, 2, "{%tr if r.kind == 'item' %}")
    # the item row
    cell_text(t.cell(3, 0), "{{ r.number }}", align="center")
    cell_text(t.cell(3, 1), "{{ r.title }}")
    cell_text(t.cell(3, 2), "{{ r.max }}", align="center")
    cell_text(t.cell(3, 3), ("{{ r.points }}", {"bold": True, "align": "center"}),
              ("{{ r.points_note }}", {"size": 8, "color": GREY, "align": "center"}))
    bands = t.cell(3, 4)
    top_align(bands)
    cell_para(bands, "{%p for b in r.bands %}", first=True, size=SMALL_PT)
    cell_para(bands, "{%p if b.selected %}", size=SMALL_PT)
    cell_para(bands, runs=[("{{ b.mark }}", {}), ("{{ b.text }}", {"bold": True})], size=SMALL_PT)
    cell_para(bands, "{%p else %}", size=SMALL_PT)
    cell_para(bands, runs=[("{{ b.mark }}", {}), ("{{ b.text }}", {})], size=SMALL_PT)
    cell_para(bands, "{%p endif %}", size=SMALL_PT)
    cell_para(bands, "{%p endfor %}", size=SMALL_PT)
    check = t.cell(3, 5)
    top_align(check)
    cell_para(check, "{{ r.check }}", first=True, size=SMALL_PT)
    cell_para(check, "{%p if r.prefill %}", size=SMALL_PT)
    cell_para(check, "{{ r.prefill }}", size=SMALL_PT, bold=True, before=3)
    cell_para(check, "{%p endif %}", size=SMALL_PT)
    loop_paras(check, "for e in r.evidence", [(EVIDENCE, {})])
    for c in range(6):
        top_align(t.cell(3, c))
    tag_row(t, 4, "{%tr else %}")
    # the heading row (part, article, group)
    cell_text(t.cell(5, 0), "{{ r.number }}", bold=True, align="center")
    cell_text(t.cell(5, 1), "{{ r.title }}", bold=True)
    cell_text(t.cell(5, 2), "{{ r.max }}", bold=True, align="center")
    cell_text(t.cell(5, 3), "{{ r.points }}", bold=True, align="center")
    note = merge(t, 5, 4, 5)
    cell_text(note, "{{ r.note }}", size=SMALL_PT, color=GREY)
    for c in range(6):
        shade(t.cell(5, c), "F7F7F7")
    tag_row(t, 6, "{%tr endif %}")
    tag_row(t, 7, "{%tr endfor %}")

    para(doc, "有关说明：", font=HEI, before=10, after=2)
    for line in ("1.后续评价项目总分125分，评分只给出整数分数，不设小数点后分值；",
                 "2.根据评分分为：85分及以上（优秀）、60分及以上（合格）、60分以下（不合格）三档；"
                 "其中省局交办任务不落实或者落实不到位的，不得评为优秀；"):
        para(doc, line, after=2)
    para(doc, runs=[("3.后续评价总得分：工作开展情况得分", {}), ("{{ totals.work }}", {"underline": True}),
                    ("×75%+下年度工作计划得分", {}), ("{{ totals.plan }}", {"underline": True}),
                    ("+交办任务得分", {}), ("{{ totals.assigned }}", {"underline": True}),
                    ("=", {}), ("{{ totals.total }}", {"underline": True, "bold": True}),
                    ("  {{ totals.grade }}", {"bold": True})], after=2)
    para(doc, "{{ totals.status }}", font=SONG, size=SMALL_PT, color=GREY, after=12)
    para(doc, "评审专家（签名）：                              评价日期：", before=12)
    return save(doc, "annex5_sheet.docx")


# --- 附件6 后续评价报告 ------------------------------------------------------------------------------


def cover(doc: DocumentObject, title_lines: list[str], fields: list[tuple[str, str]]) -> None:
    for _ in range(4):
        para(doc, "")
    for line in title_lines:
        title_block(doc, line, size=22, before=0, after=6)
    for _ in range(4):
        para(doc, "")
    for label, value in fields:
        label_line(doc, label, value, size=14, indent_cm=2.5)
    for _ in range(8):
        para(doc, "")
    para(doc, "浙江省市场监督管理局", font=HEI, size=16, align="center")
    page_break(doc)


def heading(doc: DocumentObject, text: str) -> None:
    para(doc, text, font=HEI, size=14, before=10, after=6)


def label_cell(cell: _Cell, text: str) -> None:
    cell_text(cell, text, align="center")
    shade(cell, "F7F7F7")


def profile_table(doc: DocumentObject, natures: str, *, full: bool) -> None:
    """一、单位概况: annex 6 (full) or annex 3 (short) layout; six grid columns."""
    w = [3.4, 3.2, 1.6, 3.2, 1.9, 3.1]
    rows = 9 if full else 5
    t = table(doc, rows, w)
    r = 0
    for label, value in (("名称", "{{ profile.name }}"), ("地址", "{{ profile.address }}")):
        label_cell(t.cell(r, 0), label)
        cell_text(merge(t, r, 1, 5), value)
        r += 1
    if full:
        for c, (label, value) in enumerate((("电话", "{{ profile.phone }}"), ("传真", "{{ profile.fax }}"),
                                            ("邮政编码", "{{ profile.postcode }}"))):
            label_cell(t.cell(r, 2 * c), label)
            cell_text(t.cell(r, 2 * c + 1), value)
        r += 1
        label_cell(t.cell(r, 0), "电子信箱（E-mail）（联系人）")
        cell_text(merge(t, r, 1, 5), "{{ profile.email }}")
        r += 1
    for who, name in (("负责人", "{{ profile.leader }}"), ("联系人", "{{ profile.contact }}")):
        label_cell(t.cell(r, 0), who)
        cell_text(t.cell(r, 1), name)
        label_cell(t.cell(r, 2), "职务")
        label_cell(t.cell(r, 4), "电话")
        r += 1
    if full:
        label_cell(t.cell(r, 0), "组织机构代码")
        cell_text(merge(t, r, 1, 5), "{{ profile.org_code }}")
        r += 1
        label_cell(t.cell(r, 0), "单位性质")
        cell_text(merge(t, r, 1, 5), natures)
        r += 1
        staff = merge(t, r, 0, 5)
        cell_text(staff, ("人员及设施", {"bold": True}),
                  ("", {"runs": [("{{ center_name }}现有工作人员", {}), ("{{ profile.staff }}", {"underline": True}),
                                  ("名，其中管理人员", {}), ("{{ profile.managers }}", {"underline": True}),
                                  ("名，计量技术人员", {}), ("{{ profile.technicians }}", {"underline": True}),
                                  ("名。占地面积", {}), ("{{ profile.land_area }}", {"underline": True}),
                                  ("平方米，实验室面积", {}), ("{{ profile.lab_area }}", {"underline": True}),
                                  ("平方米，恒温室面积", {}), ("{{ profile.constant_temperature_area }}", {"underline": True}),
                                  ("平方米。", {})], "indent_chars": 2}))
        loop_paras(staff, "for e in profile.evidence", [(EVIDENCE, {"color": GREY})])
    else:
        label_cell(t.cell(r, 0), "单位性质")
        cell_text(merge(t, r, 1, 5), natures)
    para(doc, "")


def build_annex6() -> Path:
    doc = new_document()
    cover(doc, ["浙江产业计量测试中心后续评价报告"],
          [("中心名称：", "{{ center_name }}"), ("建设单位负责人：", "{{ responsible_person }}"),
           ("评审组组长：", "                    "), ("评价日期：", "        年    月    日")])
    prefill_note(doc)
    heading(doc, "一、单位概况")
    profile_table(doc, "□法定计量检定机构    □行业计量技术机构    □其他", full=True)

    heading(doc, "二、评价简况")
    t = table(doc, 4, [2.6, 13.4])
    label_cell(t.cell(0, 0), "评价日期")
    cell_text(t.cell(0, 1), "        年    月    日  至        年    月    日，  共    日")
    label_cell(t.cell(1, 0), "评价地点")
    cell_text(t.cell(1, 1), "")
    label_cell(t.cell(2, 0), "评价依据")
    basis = t.cell(2, 1)
    cell_text(basis, ("", {"runs": [("1.浙江产业计量测试中心工作总结和下年度工作计划", {}),
                                    ("（{{ document_label }}）", {"size": SMALL_PT, "color": GREY})]}),
              "2.浙江产业计量测试中心后续评价细则")
    cell_para(basis, "{%p if previous_label %}", size=SMALL_PT)
    cell_para(basis, runs=[("计划完成率η的分母取自上一份计划：", {}), ("{{ previous_label }}", {})],
              size=SMALL_PT, color=GREY)
    cell_para(basis, "{%p endif %}", size=SMALL_PT)
    label_cell(t.cell(3, 0), "评价内容")
    cell_text(t.cell(3, 1), "1.产业计量测试中心建设工作开展情况；", "2.产业计量测试中心下年度工作规划情况；",
              "3.省市场监管局交办任务落实情况。")
    para(doc, "")

    heading(doc, "三、后续评价主要结果")
    t = table(doc, 6, [16.0])
    cell_text(t.cell(0, 0), ("评审组依据《浙江产业计量测试中心工作总结和下年度工作计划》《浙江产业计量测试中心后续评价细则》等，"
                             "通过资料评价和现场软件和硬件核查，评审组认为：{{ center_name }}战略定位与战略目标（明确、基本明确、不够明确），"
                             "建设与发展思路（清晰、基本清晰、不够清晰），计量测试项目能力与水平（满足、基本满足、没有满足）规定要求，"
                             "计量科技创新能力与成果（满足、基本满足、没有满足）规定要求，中心运行能力与成效（满足、基本满足、没有满足）规定要求，"
                             "硬件和软件建设（达到、基本达到、没有达到）规定要求，（完成、基本完成、没有完成）各项年度任务，"
                             "下年度工作规划（详实、基本详实、不够详实），（完成、基本完成、没有完成）省局交办任务。",
                             {"indent_chars": 2}))
    for r, (label, key) in enumerate((("工作开展情况得分：", "work"), ("下年度工作计划得分：", "plan"),
                                      ("交办任务得分：", "assigned"), ("后续评价总得分：", "total")), start=1):
        cell_text(t.cell(r, 0), ("", {"runs": [(label, {"bold": True}), (f"{{{{ totals.{key} }}}}", {"underline": True}),
                                                (f"  {{{{ totals.{key}_note }}}}", {"size": SMALL_PT, "color": GREY})]}))
    cell_text(t.cell(5, 0), ("有关建议：", {"bold": True}), "", "", "", "")
    para(doc, "")

    heading(doc, "四、评审组签名")
    signature_table(doc, [1.4, 2.6, 5.6, 3.2, 3.2])
    heading(doc, "五、建设单位确认意见")
    t = table(doc, 1, [16.0])
    cell_text(t.cell(0, 0), "□确认    □不确认，原因：                                             ", "",
              "建设单位代表签名：                        日期：")
    return save(doc, "annex6_report.docx")


# --- 附件2 表1、表2 -------------------------------------------------------------------------------


def _criteria_cell(cell: _Cell) -> None:
    top_align(cell)
    cell_para(cell, "{{ r.standard }}", first=True)
    cell_para(cell, "{{ r.bands }}", bold=True)
    cell_para(cell, "{%p if r.evidence %}", size=SMALL_PT)
    cell_para(cell, "预填依据（供参考）：", size=SMALL_PT, color=GREY, before=3)
    cell_para(cell, "{%p endif %}", size=SMALL_PT)
    loop_paras(cell, "for e in r.evidence", [([("{{ e.text }}", {"size": SMALL_PT, "color": GREY}),
                                               ("{{ e.where }}", {"size": 8, "color": GREY})], {})])


def _item_loop(t: Table, first_row: int, loop: str, cells: list[str]) -> int:
    """Rows: {%tr for %}, the item row, {%tr endfor %}; returns the next free row."""
    tag_row(t, first_row, f"{{%tr {loop} %}}")
    row = first_row + 1
    n = len(t.columns)
    for c in range(n):
        cell = t.cell(row, c)
        if c == n - 2:
            _criteria_cell(cell)
        elif c == n - 1:
            cell_text(cell, "{{ r.points }}", bold=True, align="center")
        else:
            cell_text(cell, cells[c], align="center")
    tag_row(t, row + 1, "{%tr endfor %}")
    return row + 2


def build_annex2() -> Path:
    doc = new_document()
    title_block(doc, "浙江省产业计量测试中心建设评价细则")
    prefill_note(doc)
    for line in ("一、浙江省产业计量测试中心建设评价包括两部分内容：一是申请书评价；二是现场核查。",
                 "二、评审得分：（一）申请书评价总分100分，现场核查总分100分；（二）评价总得分：申请书评价得分×60%+现场核查得分×40%；"
                 "（三）评价加分项得分不计入总得分，作为优选参考；（四）根据评分分为：90分及以上（优秀）、75分及以上（合格）、75分以下（不合格）三档。"):
        para(doc, line, size=SMALL_PT + 1, after=2, indent_chars=2)
    para(doc, "")
    # 表1
    para(doc, "表1", font=HEI, size=BODY_PT)
    title_block(doc, "浙江省产业计量测试中心申请书评价评分表", size=15, before=0, after=6)
    label_line(doc, "中心名称：", "{{ center_name }}")
    w = [1.7, 2.4, 2.9, 7.8, 1.6]
    t = table(doc, 10, w, header_rows=1)
    for c, h in enumerate(("分类", "一级指标", "二级指标", "评分标准", "得分")):
        cell_text(t.cell(0, c), h, font=HEI, bold=True, align="center")
        shade(t.cell(0, c))
    row = _item_loop(t, 1, "for r in table1_basic", ["{{ r.category }}", "{{ r.group }}", "{{ r.title }}"])
    cell_text(merge(t, row, 0, 3), "基本项汇总得分：", bold=True, align="right")
    cell_text(t.cell(row, 4), "{{ totals.application }}", bold=True, align="center")
    row = _item_loop(t, row + 1, "for r in table1_bonus", ["{{ r.category }}", "{{ r.group }}", "{{ r.title }}"])
    cell_text(merge(t, row, 0, 3), "加分项汇总得分：", bold=True, align="right")
    cell_text(t.cell(row, 4), "{{ totals.bonus }}", bold=True, align="center")
    cell_text(merge(t, row + 1, 0, 4), "专家签名：")
    t.rows[row + 1].height = Cm(1.2)
    para(doc, "说明：评分只给出整数分数，不设小数点后分值。", size=SMALL_PT + 1, before=4)
    page_break(doc)
    # 表2
    para(doc, "表2", font=HEI, size=BODY_PT)
    title_block(doc, "浙江省产业计量测试中心现场核查评分表", size=15, before=0, after=6)
    label_line(doc, "中心名称：", "{{ center_name }}")
    w = [2.4, 3.4, 8.8, 1.8]
    t = table(doc, 6, w, header_rows=1)
    for c, h in enumerate(("分类", "指标", "评分标准", "得分")):
        cell_text(t.cell(0, c), h, font=HEI, bold=True, align="center")
        shade(t.cell(0, c))
    row = _item_loop(t, 1, "for r in table2", ["{{ r.group }}", "{{ r.title }}"])
    cell_text(merge(t, row, 0, 2), "总得分：", bold=True, align="right")
    cell_text(t.cell(row, 3), "{{ totals.site }}", bold=True, align="center")
    cell_text(merge(t, row + 1, 0, 3), "专家签名：")
    t.rows[row + 1].height = Cm(1.2)
    para(doc, "说明：评分只给出整数分数，不设小数点后分值。", size=SMALL_PT + 1, before=4)
    para(doc, runs=[("评价总得分：申请书评价得分", {}), ("{{ totals.application }}", {"underline": True}),
                    ("×60%+现场核查得分", {}), ("{{ totals.site }}", {"underline": True}), ("×40%=", {}),
                    ("{{ totals.total }}", {"underline": True, "bold": True}), ("  {{ totals.grade }}", {"bold": True})],
         before=8)
    para(doc, "{{ totals.status }}", font=SONG, size=SMALL_PT, color=GREY)
    return save(doc, "annex2_tables.docx")


# --- 附件3 建设评价报告 ------------------------------------------------------------------------------


def build_annex3() -> Path:
    doc = new_document()
    cover(doc, ["浙江省产业计量测试中心", "建设评价报告"],
          [("中心名称：", "{{ center_name }}"), ("申报单位：", "{{ applicant }}")])
    title_block(doc, "{{ center_name }}建设评价报告", size=16)
    prefill_note(doc)
    heading(doc, "一、单位概况")
    profile_table(doc, "□法定计量检定机构    □行业计量技术机构    □企业    □其他", full=False)

    heading(doc, "二、建设评价简况")
    t = table(doc, 5, [2.6, 6.7, 6.7])
    for r, label in enumerate(("评价日期", "评价地点")):
        label_cell(t.cell(r, 0), label)
        cell_text(t.cell(r, 1), "申请书评价：")
        cell_text(t.cell(r, 2), "现场核查：")
    cell_text(merge(t, 2, 0, 2), "评审类型         □申请书评价         □现场核查")
    label_cell(t.cell(3, 0), "评审依据")
    cell_text(merge(t, 3, 1, 2), "1.浙江省产业计量测试中心建设评价细则",
              ("", {"runs": [("2.浙江省产业计量测试中心申请书", {}),
                             ("（{{ document_label }}）", {"size": SMALL_PT, "color": GREY})]}), "3.其他")
    label_cell(t.cell(4, 0), "评价内容")
    cell_text(merge(t, 4, 1, 2), "1.申请书", "2.申请单位现场能力核查")
    para(doc, "")

    heading(doc, "三、建设评价情况及结论")
    body = [
        "评审组依据《浙江省产业计量测试中心建设评价细则》《{{ center_name }}申请书》，对{{ center_name }}申请书内容和申请单位在"
        "计量测试服务、计量科技创新、运行保障等方面的能力，分别进行评价和现场核查。结果如下：",
    ]
    for text in body:
        para(doc, text, indent_chars=2, after=4)
    para(doc, "1.申报书评审组意见", font=HEI, after=2)
    para(doc, "通过申请书评价，评审组认为：{{ center_name }}产业界定明确、产业链分析合理、产业计量测试需求分析全面、"
              "关注产品研制生产过程中的关键参数的计量测试问题，能够为产业创新发展和产品质量提升提供技术支撑。", indent_chars=2)
    para(doc, "申报材料准备充分、中心定位基本准确、建设与发展思路（清晰、基本清晰、不够清晰）、（符合、基本符合、不符合）中心申报要求。",
         indent_chars=2, after=4)
    para(doc, runs=[("申请书评价得分：", {"bold": True}), ("{{ totals.application }}", {"underline": True}),
                    ("  {{ totals.application_note }}", {"size": SMALL_PT, "color": GREY})], after=2)
    para(doc, "建议：", after=16)
    para(doc, "2.现场核查评审组意见", font=HEI, after=2)
    para(doc, "通过现场核查，评审组认为：{{ center_name }}计量测试服务能力（满足、基本满足、没有满足）产业发展需求，"
              "（具备、基本具备、不具备）服务产业的计量科技创新能力，中心运行保障能力（满足、基本满足、没有满足）产业发展需要，"
              "申报单位实际计量测试服务能力、计量科技创新能力、运行保障能力（符合、基本符合、不符合）该单位实际申报能力，"
              "（能、基本能、不能）为产业提供“三全一前”的计量测试服务。", indent_chars=2, after=4)
    para(doc, runs=[("现场核查得分：", {"bold": True}), ("{{ totals.site }}", {"underline": True}),
                    ("  {{ totals.site_note }}", {"size": SMALL_PT, "color": GREY})], after=2)
    para(doc, "建议：", after=16)
    para(doc, "3.评价总分", font=HEI, after=2)
    para(doc, runs=[("建设评价总得分：", {"bold": True}), ("{{ totals.total }}", {"underline": True}),
                    ("  {{ totals.grade }}", {"bold": True})], after=2)
    para(doc, "{{ totals.status }}", font=SONG, size=SMALL_PT, color=GREY, after=8)

    heading(doc, "四、专家签字")
    para(doc, "1.申请书评审组", after=4)
    signature_table(doc, [1.4, 2.6, 5.6, 3.2, 3.2])
    para(doc, "")
    para(doc, "2.现场核查组", after=4)
    signature_table(doc, [1.4, 2.6, 5.6, 3.2, 3.2])
    return save(doc, "annex3_report.docx")


BUILDERS = (build_annex5, build_annex6, build_annex2, build_annex3)


def main(folder: Path | None = None) -> list[Path]:
    global OUT
    OUT = Path(folder) if folder is not None else HERE
    OUT.mkdir(parents=True, exist_ok=True)
    written = [build() for build in BUILDERS]
    for path in written:
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return written


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
