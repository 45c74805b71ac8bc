"""Layout variants of the sample applications (and, as a study, annual reports) as real submissions print them (issue 15).

    python samples/layouts.py [--out DIR] [--seeds 16] [--only SEED ...] [--template report]

Each seed gives one variant: an application of samples/content/ laid out in one class, by one
producer, with the rest drawn from the seed (paper A4/Letter, portrait/landscape, left/centred
cells, cells aligned to their top or centred vertically, the space above and below a cell's text,
font size, margins, the table titles as a caption above or below the table or as a first table
row, traceability's two-level header kept or flattened to one level, the running footer's form:
第 N 页 共 M 页, N / M, - N -, 第 N 页). Classes:

- ruleless: tables drawn without any rule, as a general converter exports them;
- running: every page carries a running header and a page-number footer, tables repeat their
  header rows (and their title, when it is a first table row) atop each page, and rows break
  across pages.

Producers (two layout engines):

- lo-docx: a .docx written by python-docx (page setup, header/footer fields, tblHeader rows, no
  cantSplit, so rows break), printed to PDF by LibreOffice as the sample builder runs it;
- reportlab: a PDF written directly by reportlab's platypus (Adobe's STSong-Light CID font, not
  embedded; Table with repeatRows and splitInRow, so rows break too).

Seed s: class = CLASSES[(s // 2) % 2], producer = PRODUCERS[(s // 4) % 2], half = "tune" for an
even seed, "held" for an odd one: every 8 seeds hold each class × producer once in each half.
The truth (<name>.expected.json) is build.py's, computed from the blocks written, never by imtc.
Seeds 0-7 (each class × producer once in each half) and two scans of the tuning half are kept in
samples/layouts/ (build.py calls build_samples); the others are made at bench and test time
(bench/bench_layouts.py, tests/test_layouts.py) into bench/out/layouts (gitignored).

Templates: a variant lays out the application (annex 1, template "application", the default and the
only one kept in samples/layouts/) or, as a study dimension, the annual report (annex 4, template
"report": `variant(seed, "report")`, --template report here and in bench_layouts.py). A report variant
takes every draw of its seed's application variant (paper, caption, font, footer, ...; its running
header names the report) and lays out build.report_blocks of REPORT_CONTENTS[(seed // 8) % 4] (by
seed, not drawn, so no seed's draws change: each report once per class × producer × half every 32
seeds), its tables as LAYOUTS["annual_report"] has them (plans and completions: *_plan, *_done);
it is named layout-NNN-<class>-<producer>-report, its truth is build.expected's for "annual_report"
(and the content's entities, as build.py writes them).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
import tempfile
import tomllib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build  # noqa: E402  (blocks, layouts and the truth)
from docxgen import Row, accepted  # noqa: E402

CLASSES = ("ruleless", "running")
PRODUCERS = ("lo-docx", "reportlab")
CONTENTS = ("power-battery", "integrated-circuit", "smart-pv")
# the annual reports (annex 4) a report variant lays out: chosen by seed, not drawn, so that the draws
# of every seed stay as the application's
REPORT_CONTENTS = ("report-power-battery-2024", "report-integrated-circuit-2024", "report-power-battery-2025",
                   "report-integrated-circuit-2025")
TEMPLATES = ("application", "report")
KIND = {"application": "application", "report": "annual_report"}  # build.LAYOUTS' key of each template
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
RUNNING_HEADER = "浙江省产业计量测试中心申请书"
RUNNING_HEADERS = {"application": RUNNING_HEADER, "report": "产业计量测试中心工作总结和下年度工作计划"}
FOOTERS = ("第 {n} 页 共 {m} 页", "{n} / {m}", "- {n} -", "第 {n} 页")


@dataclass(frozen=True)
class Variant:
    seed: int
    cls: str
    producer: str
    content: str
    paper: str
    landscape: bool
    caption: str  # "above" | "below" | "row" (a first table row, repeated atop each page)
    flat_header: bool  # traceability's two header rows written as one
    center: bool  # data cells centred (else left-aligned)
    font_pt: float
    margin_mm: float
    ruled: bool
    middle: bool = False  # cells centred vertically (else aligned to their top)
    pad_pt: float = 3.0  # space above and below each cell's text
    footer: str = FOOTERS[0]  # the running footer, {n} the page's number and {m} the number of pages
    template: str = "application"  # "application" (annex 1) | "report" (annex 4, the annual report)

    @property
    def half(self) -> str:
        return "tune" if self.seed % 2 == 0 else "held"

    @property
    def name(self) -> str:
        return f"layout-{self.seed:03d}-{self.cls}-{self.producer}" + ("-report" if self.template == "report" else "")

    @property
    def kind(self) -> str:
        """The document kind (build.LAYOUTS' key, the truth's `kind`)."""
        return KIND[self.template]

    @property
    def running_header(self) -> str:
        return RUNNING_HEADERS[self.template]


def variant(seed: int, template: str = "application") -> Variant:
    """The seed's variant; `template` "report": the same layout draws applied to the annual report
    REPORT_CONTENTS[(seed // 8) % 4] (each report once per class × producer × half every 32 seeds)."""
    rng = random.Random(seed)
    cls = CLASSES[(seed // 2) % 2]
    v = Variant(
        seed=seed, cls=cls, producer=PRODUCERS[(seed // 4) % 2], content=rng.choice(CONTENTS),
        paper=rng.choice(("A4", "Letter")), landscape=rng.random() < 0.35,
        caption="row" if cls == "running" else rng.choice(("above", "below", "row")),
        flat_header=rng.random() < 0.5, center=rng.random() < 0.5,
        font_pt=rng.choice((9.0, 10.0, 10.5, 11.0)), margin_mm=rng.choice((15.0, 20.0, 25.0)),
        ruled=cls == "running" and rng.random() < 0.5)
    # drawn after the others, so that those stay as they were
    caption = rng.choice(("row", "row", "above", "below")) if cls == "running" else v.caption
    v = replace(v, caption=caption, middle=rng.random() < 0.3, pad_pt=rng.choice((1.0, 3.0, 6.0)),
                footer=rng.choice(FOOTERS))
    if template == "report":
        v = replace(v, template="report", content=REPORT_CONTENTS[(seed // 8) % len(REPORT_CONTENTS)])
    return v


# --- the document as blocks, and each table as rows of cells ------------------------------------


def blocks_of(v: Variant) -> tuple[list, dict, dict]:
    """(blocks, meta, truth) of the variant's application or annual report."""
    content = tomllib.loads((HERE / "content" / f"{v.content}.toml").read_text("utf-8"))
    style = build.Style()
    if v.template == "report":
        blocks = build.report_blocks(content, style)
    else:
        blocks = build.application_blocks(content, style)
    if v.producer == "reportlab":
        blocks = plain_blocks(blocks)
    for b in blocks:
        if isinstance(b, build.TableBlock):
            b.total_field = None
    meta = build.meta_of(content)
    truth = build.expected(v.name, v.kind, meta, blocks, [])
    if v.template == "report" and "entities" in content:
        truth["entities"] = build.entities_truth(content["entities"])
    return blocks, meta, truth


# traceability's header in one row, as a converter flattens it (the template's width: columns by position)
FLAT_TRACEABILITY = ["序号", "参数名称", "范围或量值", "允许误差", "设备名称型号", "设备参数和测量范围",
                     "设备技术要求", "标准名称型号", "标准参数和测量范围", "标准技术要求", "依据技术文件", "溯源现状"]
# reportlab's STSong-Light (not embedded, Adobe-GB1) has no glyph for these: its PDF would lose them, so
# its variants are written with the plain forms, and their truth follows
SUPERSCRIPTS = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def plain(text: str) -> str:
    text = re.sub("[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+", lambda m: "^" + m.group().translate(SUPERSCRIPTS), text)
    return text.replace("·", "*")


def plain_blocks(blocks: list) -> list:
    for b in blocks:
        if isinstance(b, build.Para) and isinstance(b.text, str):
            b.text = plain(b.text)
        elif isinstance(b, build.TableBlock):
            for r in b.rows:
                r.values = {f: plain(v) for f, v in r.values.items()}
                r.written = {f: plain(v) if isinstance(v, str) else v for f, v in r.written.items()}
            b.total = plain(b.total)
    return blocks


def table_rows(t: build.TableBlock, v: Variant) -> tuple[str | None, list[Row], int]:
    """(caption written outside the table or None, rows, how many leading rows repeat atop each page)."""
    lt = build.LAYOUTS[v.kind]["tables"][t.kind]
    t = copy.copy(t)
    if v.flat_header and t.kind == "traceability":
        t.header = [FLAT_TRACEABILITY]
    rows = build.table_parts(t, lt, build.Style(merge=()), None)[0]
    has_title = "title" in lt
    heads = len(t.header or lt["header"])
    if has_title and v.caption != "row":
        return lt["title"], rows[1:], heads
    return None, rows, heads + has_title


def grid(rows: list[Row]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The rows as a full grid of texts, and the merged areas (row0, col0, row1, col1)."""
    ncols = sum(c.span for c in rows[0].cells)
    texts: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    starts: dict[int, int] = {}
    for r, row in enumerate(rows):
        line = [""] * ncols
        col = 0
        for c in row.cells:
            if c.vmerge == "continue":
                merges = [m for m in merges if not (m[1] == col and m[0] == starts[col])]
                merges.append((starts[col], col, r, col + c.span - 1))
            else:
                if c.vmerge == "restart":
                    starts[col] = r
                line[col] = accepted(c.text)
            if c.span > 1 and c.vmerge != "continue":
                merges.append((r, col, r, col + c.span - 1))
            col += c.span
        texts.append(line)
    return texts, merges


# --- producer 1: python-docx, then LibreOffice ----------------------------------------------------


def _field(paragraph, instr: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cell_margins(table, pad_pt: float) -> None:
    """The table's default cell margins above and below (w:tblCellMar), in points."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "bottom"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(round(pad_pt * 20)))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    table._tbl.tblPr.append(mar)


def write_docx(v: Variant, blocks: list, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(v.font_pt)
    sec = doc.sections[0]
    w, h = PAPER_MM[v.paper]
    if v.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        w, h = h, w
    sec.page_width, sec.page_height = Mm(w), Mm(h)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(v.margin_mm))
    if v.cls == "running":
        head = sec.header.paragraphs[0]
        head.text = v.running_header
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        foot = sec.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in re.split(r"(\{[nm]\})", v.footer):
            if part in ("{n}", "{m}"):
                _field(foot, "PAGE" if part == "{n}" else "NUMPAGES")
            elif part:
                foot.add_run(part)
    for b in blocks:
        if isinstance(b, build.Heading):
            doc.add_paragraph().add_run(b.label + b.title).bold = True
        elif isinstance(b, build.Para):
            doc.add_paragraph(accepted(b.text))
        else:
            _docx_table(doc, v, b)
    doc.save(str(path))


def _docx_table(doc, v: Variant, b: build.TableBlock) -> None:
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption, rows, repeat = table_rows(b, v)
    if caption and v.caption == "above":
        doc.add_paragraph(caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
    texts, merges = grid(rows)
    table = doc.add_table(rows=len(texts), cols=len(texts[0]))
    if v.ruled:
        table.style = doc.styles["Table Grid"]
    _cell_margins(table, v.pad_pt)
    for r, line in enumerate(texts):
        for c, text in enumerate(line):
            cell = table.cell(r, c)
            parts = text.split("\n")
            cell.paragraphs[0].text = parts[0]
            for more in parts[1:]:
                cell.add_paragraph(more)
            centred = v.center or r < repeat
            for p in cell.paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
            if v.middle:
                cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    for r0, c0, r1, c1 in merges:
        keep = table.cell(r0, c0).text
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        for p in merged.paragraphs[1:]:
            p._p.getparent().remove(p._p)
        merged.paragraphs[0].text = keep
    for r in range(repeat):
        _repeat_header(table.rows[r])
    if caption and v.caption == "below":
        doc.add_paragraph(caption).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("")


def lo_pdf(v: Variant, blocks: list, out: Path) -> Path:
    import libreoffice

    with tempfile.TemporaryDirectory(prefix="imtc-layout-") as tmp:
        src = Path(tmp) / f"{v.name}.docx"
        write_docx(v, blocks, src)
        libreoffice.session().convert(src, "pdf", tmp)
        data = (Path(tmp) / f"{v.name}.pdf").read_bytes()
    path = out / f"{v.name}.pdf"
    path.write_bytes(libreoffice.steady_pdf(build.pin_pdf(data)))
    return path


# --- producer 2: reportlab ------------------------------------------------------------------------


def reportlab_pdf(v: Variant, blocks: list, out: Path) -> Path:
    from reportlab.lib.units import mm

    w, h = PAPER_MM[v.paper]
    size = (h * mm, w * mm) if v.landscape else (w * mm, h * mm)
    path = out / f"{v.name}.pdf"
    pages = _reportlab_build(v, blocks, path, size, total=0)
    if v.cls == "running":  # "共 M 页": a second pass, now that M is known
        _reportlab_build(v, blocks, path, size, total=pages)
    return path


def _reportlab_build(v: Variant, blocks: list, path: Path, size: tuple[float, float], total: int) -> int:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=v.font_pt, leading=v.font_pt * 1.5,
                          wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=v.font_pt + 2, leading=(v.font_pt + 2) * 1.6)
    pages = [0]

    def furniture(canvas, doc) -> None:
        pages[0] = doc.page
        if v.cls != "running":
            return
        canvas.saveState()
        canvas.setFont("STSong-Light", 9)
        canvas.drawCentredString(size[0] / 2, size[1] - v.margin_mm * mm / 2, v.running_header)
        canvas.drawCentredString(size[0] / 2, v.margin_mm * mm / 2, v.footer.format(n=doc.page, m=total or "?"))
        canvas.restoreState()

    story: list = []
    for b in blocks:
        if isinstance(b, build.Heading):
            story.append(Paragraph(_esc(b.label + b.title), head))
        elif isinstance(b, build.Para):
            story.append(Paragraph(_esc(accepted(b.text)), body))
        else:
            story += _reportlab_table(v, b, body, size[0] - 2 * v.margin_mm * mm)
            story.append(Spacer(1, v.font_pt))
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=v.margin_mm * mm, rightMargin=v.margin_mm * mm,
                            topMargin=v.margin_mm * mm, bottomMargin=v.margin_mm * mm, invariant=1,
                            title=v.name, author="imtc samples")
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return pages[0]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _reportlab_table(v: Variant, b: build.TableBlock, body, width: float) -> list:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    caption, rows, repeat = table_rows(b, v)
    texts, merges = grid(rows)
    ncols = len(texts[0])
    left = ParagraphStyle("cell", parent=body, alignment=TA_CENTER if v.center else TA_LEFT)
    mid = ParagraphStyle("cellc", parent=body, alignment=TA_CENTER)
    data = [[Paragraph(_esc(t).replace("\n", "<br/>"), mid if r < repeat or v.center else left) for t in line]
            for r, line in enumerate(texts)]
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE" if v.middle else "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
             ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), v.pad_pt),
             ("BOTTOMPADDING", (0, 0), (-1, -1), v.pad_pt)]
    style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in merges]
    if v.ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table = Table(data, colWidths=[width / ncols] * ncols, repeatRows=repeat, splitInRow=1, style=TableStyle(style))
    cap = [Paragraph(_esc(caption), mid)] if caption else []
    return cap + [table] if v.caption == "above" else [table] + cap


# --- a study producer: an HTML page printed by Chromium ---------------------------------------------
#
# Not one of PRODUCERS (the seeds' producers, tuned on in their even half): a third layout engine
# the readers were never tuned on, for a study of how they generalise (bench_layouts.py --producer
# chromium). Chromium lays the grid out as an HTML table (fixed column widths, thead rows repeated
# atop each page, rows breaking across pages), prints it with its own running header and footer
# (headerTemplate/footerTemplate: page number and page count), with the fonts fontconfig offers it.
CHROMIUM = Path("/usr/bin/chromium")
FOOTER_HTML = {"{n}": '<span class="pageNumber"></span>', "{m}": '<span class="totalPages"></span>'}


def chromium_html(v: Variant, blocks: list) -> str:
    from html import escape

    align = "center" if v.center else "left"
    rule = "0.5pt solid #000" if v.ruled else "none"
    css = (f"body{{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:{v.font_pt}pt;margin:0}}"
           f"h2{{font-size:{v.font_pt + 2}pt;margin:{v.font_pt}pt 0 {v.font_pt / 2}pt}}"
           f"p{{margin:0 0 {v.font_pt / 2}pt;line-height:1.5}} p.cap{{text-align:center}}"
           f"table{{border-collapse:collapse;table-layout:fixed;width:100%;margin-bottom:{v.font_pt}pt}}"
           f"td,th{{border:{rule};padding:{v.pad_pt}pt 2pt;vertical-align:{'middle' if v.middle else 'top'};"
           f"text-align:{align};font-weight:normal;overflow-wrap:anywhere;line-height:1.3}}"
           "th{text-align:center} tr{break-inside:auto}")
    out = [f"<!doctype html><html lang=zh-CN><meta charset=utf-8><style>{css}</style><body>"]
    for b in blocks:
        if isinstance(b, build.Heading):
            out.append(f"<h2>{escape(b.label + b.title)}</h2>")
        elif isinstance(b, build.Para):
            out.append(f"<p>{escape(accepted(b.text))}</p>")
        else:
            caption, rows, repeat = table_rows(b, v)
            texts, merges = grid(rows)
            cap = f"<p class=cap>{escape(caption)}</p>" if caption else ""
            out.append(cap if v.caption == "above" else "")
            out.append(_html_table(texts, merges, repeat))
            out.append(cap if v.caption == "below" else "")
    return "".join(out) + "</body></html>"


def _html_table(texts: list[list[str]], merges: list[tuple[int, int, int, int]], repeat: int) -> str:
    from html import escape

    span = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
    hidden = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
              if (r, c) != (r0, c0)}
    html = ["<table>"]
    for r, line in enumerate(texts):
        html.append("<thead>" if r == 0 and repeat else "<tbody>" if r == repeat else "")
        tag = "th" if r < repeat else "td"
        cells = []
        for c, text in enumerate(line):
            if (r, c) in hidden:
                continue
            rs, cs = span.get((r, c), (1, 1))
            attrs = (f" rowspan={rs}" if rs > 1 else "") + (f" colspan={cs}" if cs > 1 else "")
            cells.append(f"<{tag}{attrs}>{escape(text).replace(chr(10), '<br>')}</{tag}>")
        html.append(f"<tr>{''.join(cells)}</tr>")
        html.append("</thead>" if r == repeat - 1 else "")
    return "".join(html) + "</tbody></table>"


def chromium_pdf(v: Variant, blocks: list, out: Path) -> Path:
    from playwright.sync_api import sync_playwright

    w, h = PAPER_MM[v.paper]
    margin = f"{v.margin_mm}mm"
    small = "font-size:9pt;width:100%;text-align:center;font-family:'Noto Sans CJK SC',sans-serif"
    footer = "".join(FOOTER_HTML.get(part, part) for part in re.split(r"(\{[nm]\})", v.footer))
    path = out / f"{v.name}.pdf"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page()
            page.set_content(chromium_html(v, blocks))
            page.pdf(path=str(path), width=f"{w}mm", height=f"{h}mm", landscape=v.landscape,
                     margin={"top": margin, "bottom": margin, "left": margin, "right": margin},
                     display_header_footer=v.cls == "running",
                     header_template=f"<div style=\"{small}\">{v.running_header}</div>",
                     footer_template=f"<div style=\"{small}\">{footer}</div>")
        finally:
            browser.close()
    return path


# --- building -------------------------------------------------------------------------------------


def make(v: Variant, out: Path) -> Path:
    """The variant's PDF and <name>.expected.json in out; the PDF's path."""
    out.mkdir(parents=True, exist_ok=True)
    blocks, _meta, truth = blocks_of(v)
    made_by = {"lo-docx": lo_pdf, "reportlab": reportlab_pdf, "chromium": chromium_pdf}[v.producer]
    path = made_by(v, blocks, out)
    drawn = asdict(v) | {"half": v.half}
    if v.template == "application":  # as the variants were written before there were templates
        del drawn["template"]
    build.write_json(out / f"{v.name}.expected.json", truth | {"file": path.name, "variant": drawn})
    return path


def scan_dpi(v: Variant) -> int:
    """The resolution a variant is scanned at: 150 dpi in the tuning half, 200 in the held-out one."""
    return 150 if v.half == "tune" else 200


def scan_name(v: Variant, turned: bool = False, dpi: int | None = None) -> str:
    """`dpi`: a study's resolution instead of the half's (scan_dpi)."""
    return f"{v.name}-{'turned' if turned else 'scan'}{dpi or scan_dpi(v)}"


def scan(v: Variant, out: Path, turned: bool = False, dpi: int | None = None) -> Path:
    """The variant (out/<name>.pdf, made if missing) printed and scanned back (samples/scans.py: tilt,
    grain, speckle, JPEG 28), `turned`: its pages fed sideways and upside down; beside it
    <scan name>.expected.json, the variant's truth with the finding that the pages were read by OCR;
    `dpi`: a study's resolution instead of the half's (scan_dpi)."""
    import scans

    pdf = out / f"{v.name}.pdf"
    if not pdf.exists():
        make(v, out)
    dpi = dpi or scan_dpi(v)
    path = out / f"{scan_name(v, turned, dpi)}.pdf"
    path.write_bytes(scans.scanned_twin(pdf, dpi, 28, 1000 + v.seed, turned))
    truth = json.loads((out / f"{v.name}.expected.json").read_text("utf-8"))
    pairs = {(f["code"], f["section"]) for f in truth["findings"]} | {(scans.OCR_FINDING, None)}
    build.write_json(out / f"{path.stem}.expected.json",
                     truth | {"file": path.name, "text_twin": pdf.name,
                              "scan": {"dpi": dpi, "jpeg_quality": 28, "seed": 1000 + v.seed, "turned": turned},
                              "findings": [{"code": c, "section": s}
                                           for c, s in sorted(pairs, key=lambda p: (p[0], p[1] or ""))]})
    return path


# --- the variants kept in samples/layouts/ --------------------------------------------------------

# each class × producer once in each half; and two scans of the tuning half (LibreOffice-made, so their
# bytes are pinned as samples/scans' are): a table without rules, and a landscape document fed sideways
SAMPLE_SEEDS = tuple(range(8))
SAMPLE_SCANS = ((0, False), (2, True))


def build_samples(out: Path) -> list[Path]:
    """The variants of SAMPLE_SEEDS and the scans of SAMPLE_SCANS, each with its truth, into `out`."""
    made = [make(variant(seed), out) for seed in SAMPLE_SEEDS]
    return made + [scan(variant(seed), out, turned) for seed, turned in SAMPLE_SCANS]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE.parent / "bench" / "out" / "layouts")
    ap.add_argument("--seeds", type=int, default=16)
    ap.add_argument("--only", type=int, nargs="*")
    ap.add_argument("--template", choices=TEMPLATES, default="application")
    args = ap.parse_args(argv)
    for seed in args.only if args.only else range(args.seeds):
        print(make(variant(seed, args.template), args.out))


if __name__ == "__main__":
    main()
