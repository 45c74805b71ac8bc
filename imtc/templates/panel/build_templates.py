"""Builds the Word templates of the panel's final reports (docxtpl), with the review templates' helpers.

    python imtc/templates/panel/build_templates.py [FOLDER]

panel_annex6.docx   附件6 后续评价报告 with the panel's figures (annual reports, annex 5)
panel_annex3.docx   附件3 建设评价报告 with the panel's figures (applications, annex 2)

The variables are listed in docs/panel.md. Commit the .docx files this writes; a test fails when the
committed files differ from what it builds.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from docx.document import Document as DocumentObject

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("review_build_templates", HERE.parent / "review" / "build_templates.py")
R = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(R)  # type: ignore[union-attr]

OUT = HERE
PANEL_NOTE = ("本报告由 imtc 根据评审组 {{ experts|length }} 位专家的评分表汇总生成：各项得分取计入汇总的专家评分的平均值，"
              "总得分按管理办法规定的公式计算。{{ status }}")


def _scores_table(doc: DocumentObject, rows: list[tuple[str, str]]) -> None:
    t = R.table(doc, len(rows), [16.0])
    for r, (label, key) in enumerate(rows):
        R.cell_text(t.cell(r, 0), ("", {"runs": [(label, {"bold": True}), (f"{{{{ totals.{key} }}}}", {"underline": True}),
                                                 (f"  {{{{ totals.{key}_note }}}}", {"size": R.SMALL_PT, "color": R.GREY})]}))
    R.para(doc, "")


def _experts_table(doc: DocumentObject) -> None:
    t = R.table(doc, 4, [1.4, 3.0, 6.6, 2.6, 2.4], header_rows=1)
    for c, h in enumerate(("序号", "专家", "评分表", "总得分", "等级")):
        R.cell_text(t.cell(0, c), h, font=R.HEI, bold=True, align="center")
        R.shade(t.cell(0, c))
    R.tag_row(t, 1, "{%tr for e in experts %}")
    for c, v in enumerate(("{{ e.no }}", "{{ e.name }}", "{{ e.file }}", "{{ e.total }}", "{{ e.grade }}")):
        R.cell_text(t.cell(2, c), v, align="left" if c == 2 else "center")
    R.tag_row(t, 3, "{%tr endfor %}")
    R.para(doc, "")


def _items_table(doc: DocumentObject) -> None:
    t = R.table(doc, 4, [1.6, 5.0, 1.2, 1.6, 1.6, 1.4, 1.4, 1.4, 1.8], header_rows=1)
    for c, h in enumerate(("序号", "评价内容", "分值", "平均分", "中位数", "最低", "最高", "极差", "合议")):
        R.cell_text(t.cell(0, c), h, font=R.HEI, bold=True, align="center", size=R.SMALL_PT)
        R.shade(t.cell(0, c))
    R.tag_row(t, 1, "{%tr for r in items %}")
    for c, v in enumerate(("{{ r.number }}", "{{ r.title }}", "{{ r.max }}", "{{ r.mean }}", "{{ r.median }}",
                           "{{ r.min }}", "{{ r.max_given }}", "{{ r.spread }}", "{{ r.flag }}")):
        R.cell_text(t.cell(2, c), v, align="left" if c == 1 else "center", size=R.SMALL_PT)
    R.tag_row(t, 3, "{%tr endfor %}")
    R.para(doc, "")


def _notes(doc: DocumentObject) -> None:
    R.para(doc, "{%p for f in discuss %}", size=R.SMALL_PT)
    R.para(doc, "{{ f }}", indent_chars=2)
    R.para(doc, "{%p endfor %}", size=R.SMALL_PT)
    R.para(doc, "{%p if not discuss %}", size=R.SMALL_PT)
    R.para(doc, "无。", indent_chars=2)
    R.para(doc, "{%p endif %}", size=R.SMALL_PT)
    R.heading(doc, "附：评分表读取情况")
    R.para(doc, "{%p for f in findings %}", size=R.SMALL_PT)
    R.para(doc, "{{ f }}", size=R.SMALL_PT, font=R.SONG)
    R.para(doc, "{%p endfor %}", size=R.SMALL_PT)


def _signatures(doc: DocumentObject) -> None:
    t = R.table(doc, 4, [1.4, 2.6, 5.6, 3.2, 3.2], header_rows=1)
    for c, h in enumerate(("序号", "姓名", "单位", "职务/职称", "签名")):
        R.cell_text(t.cell(0, c), h, bold=True, align="center")
    R.tag_row(t, 1, "{%tr for e in experts %}")
    R.cell_text(t.cell(2, 0), "{{ e.no }}", align="center")
    R.cell_text(t.cell(2, 1), "{{ e.name }}", align="center")
    t.rows[2].height = R.Cm(0.9)
    R.tag_row(t, 3, "{%tr endfor %}")


def build_annex6() -> Path:
    doc = R.new_document()
    R.cover(doc, ["浙江产业计量测试中心后续评价报告"],
            [("中心名称：", "{{ center_name }}"), ("评价年度：", "{{ year }}"), ("评审组组长：", "                    "),
             ("评价日期：", "        年    月    日")])
    R.para(doc, PANEL_NOTE, font=R.SONG, size=R.SMALL_PT, color=R.GREY, after=6)
    R.heading(doc, "三、后续评价主要结果")
    R.para(doc, "评审组依据《浙江产业计量测试中心工作总结和下年度工作计划》《浙江产业计量测试中心后续评价细则》等，对{{ center_name }}"
                "{{ year }}年度工作进行了后续评价，评审组{{ experts|length }}位专家的评分汇总如下：", indent_chars=2, after=4)
    _scores_table(doc, [("工作开展情况得分：", "work"), ("下年度工作计划得分：", "plan"), ("交办任务得分：", "assigned"),
                        ("后续评价总得分：", "total"), ("评价等级：", "grade")])
    R.para(doc, "{{ formula }}", font=R.SONG, size=R.SMALL_PT, color=R.GREY, after=6)
    R.heading(doc, "（一）各专家评分")
    _experts_table(doc)
    R.heading(doc, "（二）各项评分汇总")
    _items_table(doc)
    R.heading(doc, "（三）需评审组合议的事项")
    _notes(doc)
    R.heading(doc, "四、评审组签名")
    _signatures(doc)
    return save(doc, "panel_annex6.docx")


def build_annex3() -> Path:
    doc = R.new_document()
    R.cover(doc, ["浙江省产业计量测试中心", "建设评价报告"], [("中心名称：", "{{ center_name }}")])
    R.title_block(doc, "{{ center_name }}建设评价报告", size=16)
    R.para(doc, PANEL_NOTE, font=R.SONG, size=R.SMALL_PT, color=R.GREY, after=6)
    R.heading(doc, "三、建设评价情况及结论")
    R.para(doc, "评审组依据《浙江省产业计量测试中心建设评价细则》《{{ center_name }}申请书》，对{{ center_name }}申请书内容和申请单位"
                "在计量测试服务、计量科技创新、运行保障等方面的能力，分别进行评价和现场核查，评审组{{ experts|length }}位专家的"
                "评分汇总如下：", indent_chars=2, after=4)
    _scores_table(doc, [("申请书评价得分：", "application"), ("现场核查得分：", "site"), ("加分项得分（不计入总得分）：", "bonus"),
                        ("建设评价总得分：", "total"), ("评价等级：", "grade")])
    R.para(doc, "{{ formula }}", font=R.SONG, size=R.SMALL_PT, color=R.GREY, after=6)
    R.heading(doc, "（一）各专家评分")
    _experts_table(doc)
    R.heading(doc, "（二）各项评分汇总")
    _items_table(doc)
    R.heading(doc, "（三）需评审组合议的事项")
    _notes(doc)
    R.heading(doc, "四、专家签字")
    _signatures(doc)
    return save(doc, "panel_annex3.docx")


def save(doc: DocumentObject, name: str) -> Path:
    target = OUT / name
    props = doc.core_properties
    props.author = "imtc"
    props.title = name.removesuffix(".docx")
    props.comments = "imtc 评审组汇总报告模板（docxtpl）；变量说明见 docs/panel.md"
    doc.save(target)
    return target


BUILDERS = (build_annex6, build_annex3)


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
