"""The catalogue of finding codes.

Every finding any stage emits is declared here once: a stable code (never reused once
retired), a severity, what it checks, and a Chinese message template. `docs/rules.md` is
generated from this catalogue (`imtc rules --markdown`), and a test fails when it drifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imtc.models import Finding, Location, Severity


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    stage: str  # "extract", "validate" or "register" (imtc/register: the register and application packages)
    checks: str  # what it checks, in Chinese, for the catalogue
    template: str  # the message, str.format()-ed with the finding's parameters
    example: dict[str, Any]

    def __call__(self, location: Location | None = None, detail: str | None = None, **params: Any) -> Finding:
        """The finding, its message formatted with `params`; `detail` is technical text kept out of the
        message (the JSON's `detail`)."""
        return Finding(code=self.code, severity=self.severity, message=self.template.format(**params),
                       location=location or Location(), detail=detail)

    def example_message(self) -> str:
        return self.template.format(**self.example)


CATALOGUE: dict[str, Code] = {}


def declare(code: str, severity: Severity, stage: str, checks: str, template: str,
            **example: Any) -> Code:
    if code in CATALOGUE:
        raise ValueError(f"finding code declared twice: {code}")
    c = Code(code, severity, stage, checks, template, example)
    CATALOGUE[code] = c
    return c


# --- reading the file (extract) -------------------------------------------------------------

FILE_UNREADABLE = declare(
    "file-unreadable", "error", "extract", "文件无法读取：空文件、损坏或截断、格式不符、加密、超过大小限制、疑似压缩炸弹、含 XML 实体声明等",
    "文件无法读取：{reason}。请检查文件后重新提交。",
    reason="文件已损坏或不完整（不是有效的 .docx 压缩包）")
FILE_SKIPPED = declare(
    "file-skipped", "error", "extract", "找到的文件未读取：指向不存在的文件或所选文件夹之外的链接（快捷方式）等",
    "未读取本文件：{reason}。", reason="是指向所选文件夹之外的链接（快捷方式），为安全起见未读取")
INTERNAL_ERROR = declare(
    "internal-error", "error", "extract", "读取过程中发生程序内部错误（程序缺陷，不是文件的问题）",
    "处理本文件时程序发生内部错误（{error}），结果不完整。这是程序的问题，不是文件的问题；技术细节已记入本文件结果（JSON）的 detail 字段。",
    error="读取文件时遇到未预料的情况")
PART_UNREADABLE = declare(
    "part-unreadable", "error", "extract", "文档的某一部分（一个表格、封面信息、成果识别等）读取时出错；其余部分照常读取",
    "{part}读取时出错，该部分内容未能读取，文档其余部分已照常读取。请检查该处内容；这也可能是程序的问题，"
    "技术细节已记入本文件结果（JSON）的 detail 字段。",
    part="第 4 个表格（第 12 页）")
TIMEOUT = declare(
    "timeout", "error", "extract", "处理时间超过限制（文件可能构造异常），已中止",
    "处理本文件超过 {seconds} 秒仍未完成，已中止。文件可能已损坏或结构异常，请检查后重新提交。", seconds=300)
TRACKED_CHANGES = declare(
    "tracked-changes", "warning", "extract", "文档仍带有未接受的修订（插入或删除）",
    "文档仍带有 {count} 处未接受的修订，本次按“接受全部修订”后的内容读取。提交前请在 Word 中接受或拒绝全部修订。",
    count=3)
COMMENTS = declare(
    "comments-present", "info", "extract", "文档带有批注",
    "文档带有 {count} 条批注，批注内容不计入正文。提交前请删除批注。", count=2)
PAGES_WITHOUT_TEXT = declare(
    "pages-without-text", "warning", "extract", "PDF 中有页面没有文字层（扫描件或图片），这些页面的内容无法读取",
    "PDF 有 {count} 页没有文字层（第 {pages} 页），可能是扫描件或图片，其中的内容未能读取。请提交由 Word/WPS 直接导出的文字版 PDF，或同时提交 .docx 文件。",
    pages="1、2", count=2)
ATTRIBUTES_INVALID = declare(
    "attributes-invalid", "warning", "extract", "文档中有格式属性的值无效或超出范围（编号级别、起始编号、合并单元格数、符号字符等）",
    "文档中有 {count} 处格式属性的值无效或超出范围（如 {example}），已忽略或按允许的范围处理；"
    "相关的自动编号、合并单元格或符号可能与 Word 中显示的不同。文件可能由非 Word 程序生成或已损坏。",
    count=2, example='w:ilvl val="abc"')
PDF_DAMAGED = declare(
    "pdf-damaged", "warning", "extract", "PDF 文件结构有损坏，部分或全部页面改用备用方式读取",
    "PDF 文件结构有损坏（第 {pages} 页无法按常规方式解析），这些页面已改用备用方式读取文字，表格和版面可能不完整；"
    "没有文字的页面已尝试文字识别。建议由原文档重新导出 PDF 后提交。", pages="1、2")
TEXT_LAYER_UNUSABLE = declare(
    "text-layer-unusable", "warning", "extract", "PDF 的文字层无法使用（字体缺少 Unicode 映射，只能提取出 (cid:N) 代码）",
    "PDF 第 {pages} 页的文字层无法使用（所用字体缺少 Unicode 映射，提取出的是 (cid:N) 之类的代码），"
    "这些页面已改用文字识别（OCR）读取，可能有识别错误。建议导出 PDF 时嵌入字体，或同时提交 .docx 文件。", pages="1、2")
WEB_PAGE_AS_DOC = declare(
    "web-page-as-doc", "info", "extract", "文件名为 Word 文档，内容实为网页（HTML 或 MHTML），已转换后读取",
    "本文件名为 Word 文档，但内容是{what}（常见于从网上系统导出的文件），已转换后读取；表格和格式可能与 Word 中显示的略有不同。"
    "建议在 Word 中另存为 .docx 后提交。", what="网页（HTML）")
KIND_UNKNOWN = declare(
    "kind-unknown", "error", "extract", "文档既不像申请书（附件1）也不像工作总结和下年度工作计划（附件4）",
    "无法识别文档类型：未找到《浙江省产业计量测试中心申请书》（附件1）或《工作总结和下年度工作计划》（附件4）的章节结构。请使用管理办法附件规定的模板。")
AMOUNT_NOT_NUMBER = declare(
    "amount-not-number", "warning", "extract", "投资金额（万元）一栏不是数字",
    "{table}第 {row} 行的投资金额“{text}”不是数字，无法计入合计。请填写以万元为单位的数字。",
    table="测量仪器设备配置表", row=3, text="约一百")
COLUMN_UNCERTAIN = declare(
    "column-uncertain", "warning", "extract", "没有框线的表格中，文字越过栏界伸入右侧的栏，无法判断属于哪一栏（已按其起始的栏读取）",
    "“{table}”第 {row} 行的“{text}”从“{field}”栏伸入“{others}”栏；表格没有框线，无法判断它属于哪一栏，"
    "已按“{field}”栏读取。请核对该行。",
    table="校准项目技术需求表", row=3, text="MPE: ±(0.01%读数+0.005%量程)", field="测量技术要求", others="现有能力")
TABLE_UNRECOGNISED = declare(
    "table-unrecognised", "info", "extract", "章节中的表格无法对应到模板规定的任何一种表",
    "第 {index} 个表格（位于“{section}”）的表头与模板规定的各类表格均不符，未作为结构化数据读取。",
    index=5, section="8.2 测量仪器设备配置表")
OCR_PAGES = declare(
    "ocr-pages", "info", "extract", "PDF 中没有文字层的页面（扫描件或图片）已通过文字识别（OCR）读取",
    "PDF 有 {count} 页没有文字层（第 {pages} 页），是扫描件或图片，已通过文字识别（OCR）读取，平均识别置信度 {confidence}。"
    "识别结果可能有个别错字，请以原件为准；提交由 Word/WPS 直接导出的文字版 PDF 可避免识别误差。",
    pages="1–3", count=3, confidence="96%")
OCR_LOW_CONFIDENCE = declare(
    "ocr-low-confidence", "warning", "extract", "扫描页表格中识别置信度低的单元格（文字可能识别有误）",
    "{where}的内容“{text}”由文字识别（OCR）读出，识别置信度较低（{confidence}），可能有误。请对照原件核对该栏。",
    where="“测量仪器设备配置表”第 3 行“型号规格”栏", text="CT-4008Q", confidence="62%")
OCR_LOW_CONFIDENCE_MORE = declare(
    "ocr-low-confidence-more", "warning", "extract", "识别置信度低的单元格过多，超出逐一列出的数量",
    "另有 {count} 个单元格的文字识别置信度较低，未逐一列出。扫描件可能不清晰，建议提交文字版 PDF 或 .docx 文件。",
    count=12)
OCR_PAGES_TURNED = declare(
    "ocr-pages-turned", "info", "extract", "扫描页横置或上下颠倒，已转正后识别",
    "第 {pages} 页的扫描图像方向不正（横向页面竖着扫描，或上下颠倒），已自动转正后识别。", pages="3、5")
OCR_ORIENTATION_UNSURE = declare(
    "ocr-orientation-unsure", "warning", "extract", "扫描页的方向无法确定（文字过少或不清晰）",
    "第 {pages} 页扫描图像的方向无法确定（文字过少或不清晰），已按原方向识别，该页内容可能未读出或有误。"
    "请对照原件核对；如该页横置或倒置，请提交方向正确的扫描件。", pages="2")
OCR_COLUMN_UNSURE = declare(
    "ocr-column-unsure", "warning", "extract", "扫描页无框线表格中一段识别文字跨入相邻一栏，无法确定所属栏目",
    "第 {page} 页第 {table} 个表格（无框线）第 {row} 行第 {col} 列识别出的文字“{text}”跨入了右侧相邻一栏，"
    "无法确定分栏，已整体归入第 {col} 列，右侧一栏可能因此为空或错位。请对照原件核对该行。",
    page=6, table=3, row=4, col=2, text="标准直流分流器 FL-2 1000 A")

HEADING_GUESSED = declare(
    "heading-guessed", "warning", "extract", "一级标题与模板措辞不同（改写或两节合并为一个标题），按编号和位置推定为模板章节",
    "标题“{heading}”与模板的“{key} {title}”措辞不同，{how}。请核对，或按模板标题修改。",
    heading="三、国内外及省内发展现状", key="3", title="省内外产业计量测试发展状况",
    how="按其编号和位置推定为该章节")

# --- outline and tables (validate) ----------------------------------------------------------

SECTION_MISSING = declare(
    "section-missing", "error", "validate", "模板规定的章节在文档中找不到",
    "缺少章节“{key} {title}”。请按模板补充该章节。", key="5.1", title="校准项目技术需求表")
SECTION_SUGGESTED_MISSING = declare(
    "section-suggested-missing", "warning", "validate", "附件4“建议包括以下条目”中的条目在报告中找不到",
    "未找到建议条目“{key} {title}”。模板建议包括该条目，请补充或说明。", key="1.1.1", title="产业的形势与发展")
SECTION_EMPTY = declare(
    "section-empty", "warning", "validate", "章节标题存在，但其下只有模板说明文字、空白表格或占位内容",
    "章节“{key} {title}”只有标题或模板说明文字，没有实际内容。请填写该章节。", key="7.1", title="建设目标")
TABLE_MISSING = declare(
    "table-missing", "error", "validate", "模板规定的表格在文档中找不到",
    "缺少“{title}”（{key}）。请按模板填写该表。", key="8.2", title="测量仪器设备配置表")
TABLE_EMPTY = declare(
    "table-empty", "warning", "validate", "表格存在，但没有任何数据行",
    "“{title}”（{key}）没有填写任何数据行。", key="8.2", title="测量仪器设备配置表")
TOTAL_MISMATCH = declare(
    "total-mismatch", "error", "validate", "合计行金额与各行投资金额之和不一致",
    "“{title}”的合计为 {stated} 万元，但各行投资金额之和为 {computed} 万元，两者不一致。",
    title="测量仪器设备配置表", stated="830.5", computed="820.5")
TOTAL_ABSENT = declare(
    "total-absent", "warning", "validate", "设备表有投资金额，但没有填写合计行",
    "“{title}”填写了投资金额，但没有合计金额（各行之和为 {computed} 万元）。", title="测量仪器设备配置表", computed="830.5")
EQUIPMENT_STATUS = declare(
    "equipment-status-invalid", "warning", "validate", "设备表“备注”不是“新建”或“已建”",
    "“{title}”第 {row} 行（{name}）的备注为“{text}”，应填写“新建”或“已建”。",
    title="测量仪器设备配置表", row=2, name="高低温试验箱", text="拟购")
SEQ_GAP = declare(
    "seq-gap", "warning", "validate", "序号不连续（跳号）",
    "“{title}”的序号在 {before} 之后跳到 {after}，缺少中间的序号。", title="校准项目能力表", before="3", after="5")
SEQ_REPEAT = declare(
    "seq-repeat", "warning", "validate", "序号重复",
    "“{title}”的序号 {seq} 重复出现。", title="校准项目能力表", seq="4")
REQUIRED_FIELD_EMPTY = declare(
    "required-field-empty", "warning", "validate", "数据行缺少必填栏目",
    "“{title}”第 {row} 行的“{field}”未填写。", title="测量仪器设备配置表", row=2, field="型号规格")
CENTER_NAME_FORM = declare(
    "center-name-form", "warning", "validate", "中心名称不符合“浙江省××产业（或碳）计量测试中心”的统一格式",
    "中心名称“{name}”不符合管理办法第四条规定的统一格式“浙江省××产业（或碳）计量测试中心”。", name="浙江动力电池检测中心")
CENTER_NAME_ABSENT = declare(
    "center-name-absent", "warning", "validate", "封面没有填写中心名称",
    "封面未填写中心名称。请按“浙江省××产业（或碳）计量测试中心”的格式填写。")


# --- cross-checks between tables, entities and dates (validate) -------------------------------

SPEC_CODE_MALFORMED = declare(
    "spec-code-malformed", "warning", "validate",
    "规范、标准编号格式有误：缺少年号、年号不是四位或不合理，或编号前缀不是已知形式",
    "{where}中的编号“{spec}”{problem}。请核对并按“JJF 1033-2023”“JJF(浙) 1201-2024”“GB/T 6283-2008”等规范格式填写。",
    where="“校准项目能力表”第 3 行的“校准规范”", spec="JJF 1033-16", problem="的年号不是四位数字")
SPEC_CODE_ABSENT = declare(
    "spec-code-absent", "warning", "validate", "校准项目的“校准规范”栏没有写明任何规范编号",
    "“{title}”第 {row} 行（{instrument}）的校准规范为“{text}”，未写明规范编号。请填写所依据的计量技术规范编号（如 JJF 1033-2023），自编方法请写明其编号。",
    title="校准项目能力表", row=4, instrument="电池模拟器", text="自编方法")
PLANNED_NEED_UNMATCHED = declare(
    "planned-need-unmatched", "warning", "validate",
    "校准项目技术需求表中“是否拟建”为“是”的参数，在校准项目能力表和测量仪器设备配置表中都找不到对应项目或设备",
    "“校准项目技术需求表”第 {row} 行的“{parameter}”拟建（是），但“校准项目能力表”和“测量仪器设备配置表”中均未找到对应的校准项目或测量仪器。请补充，或核对“是否拟建”。",
    row=5, parameter="电池模拟器输出电压")
TRACEABILITY_GAP = declare(
    "traceability-gap", "info", "validate", "产业参数量值溯源信息汇总表中溯源现状为无法溯源（或暂无溯源途径）的参数",
    "“产业参数量值溯源信息汇总表”第 {row} 行的“{parameter}”溯源现状为“{status}”。请在建设计划中说明解决该参数量值溯源的措施。",
    row=12, parameter="绝热温升速率", status="无法溯源（国内暂无计量标准）")
PLAN_AMOUNT_MISSING = declare(
    "plan-amount-missing", "warning", "validate", "下年度测量仪器设备购置计划中有设备没有填写投资金额",
    "“测量仪器设备购置计划”第 {row} 行（{name}）没有填写投资金额，无法核算年度预算。请填写以万元为单位的金额。",
    row=3, name="标准电阻器组")
YEAR_INCONSISTENT = declare(
    "year-inconsistent", "warning", "validate", "报告年度与文中日期不一致：报送日期早于报告年度，或年度总结中完成、发布的事项晚于报告年度",
    "{what}的日期为 {date}，晚于报告年度 {year} 年（报送日期 {submitted}）。请核对报告年度或该日期。",
    what="项目“电池内阻测试仪校准装置研制”通过验收", date="2026-03", year=2025, submitted="2025-11-24")
LEVEL_UNKNOWN = declare(
    "level-unknown", "warning", "validate",
    "科研项目或科技奖励的级别既未在文中写明，也无法从资助单位、计划名称或授奖单位判断（不按“其他”计）",
    "{what}“{title}”未写明级别，也无法从{source}判断是国家级、省部级、市级还是其他。评分时不按“其他”计，"
    "请专家核实证明材料后确认；提交时请在该{noun}后注明级别（如“（省部级）”）。",
    what="项目", title="储能变流器效率测试评价技术研究", source="资助来源“产业联盟开放课题”", noun="项目")
STANDARD_LEVEL_UNKNOWN = declare(
    "standard-level-unknown", "warning", "validate",
    "标准或技术规范既无能判断级别的编号，文中也未写明是国家、行业、地方、团体还是企业标准（不计入，也不按任何级别计）",
    "{what}“{title}”没有能判断级别的标准编号，文中也未写明是国家、行业、地方、团体还是企业标准。评分时暂不计入，"
    "请专家核实后确认；提交时请写明标准编号（如 JJF（浙）1234—2025）或注明级别（如“（地方计量技术规范）”）。",
    what="标准或技术规范", title="电池内阻测试仪校准规范")
PAPER_INDEX_UNCLEAR = declare(
    "paper-index-unclear", "warning", "validate",
    "论文列表只在列表前笼统说明收录情况（如“其中SCI收录1篇、EI收录2篇”），条目本身未注明收录类别",
    "论文“{title}”未注明收录类别，列表前的说明为“{statement}”，无法确定该篇属于哪一类。评分时暂不计入收录论文，"
    "请专家核对检索证明；提交时请在每篇论文后注明收录类别（如“（SCI收录）”）。",
    title="电芯膨胀力测量系统的校准方法", statement="SCI收录1篇、EI收录2篇")
YEAR_BEFORE_REPORT = declare(
    "submitted-before-report-year", "warning", "validate", "报送日期早于报告所总结的年度",
    "报送日期 {submitted} 早于报告年度 {year} 年，请核对封面上的年度或报送日期。", submitted="2024-11-20", year=2025)


# --- the experts' filled sheets (panel) ---------------------------------------------------------------

PANEL_UNREADABLE = declare(
    "panel-sheet-unreadable", "error", "panel", "专家评分表无法读取",
    "评分表“{file}”无法读取：{reason}。该表未计入汇总。", file="张三-附件5.docx", reason="文件已损坏或不完整")
PANEL_NO_TABLE = declare(
    "panel-table-missing", "error", "panel", "评分表中找不到评分表格（表格被删除或表头被改动）",
    "评分表“{file}”中找不到带“序号、评价内容、得分”或“二级指标、评分标准、得分”表头的评分表格，可能已被删除。该表未计入汇总。",
    file="张三-附件5.docx")
PANEL_OTHER_CENTER = declare(
    "panel-other-center", "error", "panel", "评分表属于另一个中心或另一年度",
    "评分表“{file}”是“{center}”{year}的评分表，与本次汇总的“{target}”{target_year}不符，未计入汇总。",
    file="李四-附件5.docx", center="浙江省集成电路产业计量测试中心", year="（2025年度）",
    target="浙江省动力电池产业计量测试中心", target_year="（2025年度）")
PANEL_NOT_IDENTIFIED = declare(
    "panel-not-identified", "warning", "panel", "评分表没有 imtc 写入的标识，只能按表内填写的中心名称和年度对应",
    "评分表“{file}”没有 imtc 写入的文档标识（可能经过打印或另存），按表内字段对应到“{center}”{year}，请核对。",
    file="王五.pdf", center="浙江省动力电池产业计量测试中心", year="（2025年度）")
PANEL_EXPERT_UNKNOWN = declare(
    "panel-expert-unknown", "warning", "panel", "评分表上没有专家签名，文件名中也没有可用的姓名",
    "评分表“{file}”上没有专家签名，文件名中也找不到姓名，暂以文件名“{name}”代表该专家。", file="评分表3.docx", name="评分表3")
PANEL_DUPLICATE_EXPERT = declare(
    "panel-duplicate-expert", "error", "panel", "同一位专家交了两份（或更多）内容不同的评分表",
    "专家“{expert}”有 {count} 份内容不同的评分表（{files}），无法判断以哪一份为准，均未计入汇总。请专家确认后重新提交一份。",
    expert="张三", count=2, files="张三-附件5.docx、张三-附件5(1).docx")
PANEL_SAME_SHEET = declare(
    "panel-same-sheet-twice", "info", "panel", "同一份评分表（内容相同）提交了多次",
    "专家“{expert}”的评分表提交了 {count} 份，内容相同（{files}），只计一次。", expert="张三", count=2,
    files="张三.docx、张三.pdf")
PANEL_FEW_EXPERTS = declare(
    "panel-few-experts", "warning", "panel", "计入汇总的专家少于管理办法第十三条规定的5人",
    "计入汇总的评分表只有 {count} 位专家（{experts}），少于管理办法第十三条“一般不少于5人”的要求。", count=4,
    experts="张三、李四、王五、赵六")
PANEL_NO_SHEETS = declare(
    "panel-no-sheets", "error", "panel", "没有任何可以汇总的评分表",
    "没有可以汇总的评分表：{reason}。", reason="给出的路径中没有 .docx、.doc 或 .pdf 文件")
PANEL_ITEM_BLANK = declare(
    "panel-item-blank", "warning", "panel", "评分表中某一项没有填写得分",
    "专家“{expert}”的评分表中“{item}”没有填写得分，该项按未评分处理（不计入该项平均分，该专家的总分无法算出）。",
    expert="张三", item="1.1.1 产业计量测试需求分析")
PANEL_ITEM_MISSING = declare(
    "panel-item-missing", "warning", "panel", "评分表中找不到某一项（行被删除）",
    "专家“{expert}”的评分表中找不到“{item}”这一行，该项按未评分处理。", expert="张三", item="3.2.1 质量管理体系")
PANEL_SCORE_UNREADABLE = declare(
    "panel-score-unreadable", "warning", "panel", "得分栏的内容不是一个可以确定的分数",
    "专家“{expert}”的评分表中“{item}”的得分“{text}”{problem}，该项按未评分处理。请专家确认。",
    expert="张三", item="1.1.1 产业计量测试需求分析", text="1或2", problem="含有多个数字")
PANEL_SCORE_ABOVE_MAX = declare(
    "panel-score-above-max", "error", "panel", "得分超过该项分值（或为负数）",
    "专家“{expert}”的评分表中“{item}”的得分为 {points} 分，超出该项分值（0—{max} 分），未计入汇总。请专家更正。",
    expert="张三", item="1.5.1 产业计量测试服务范围", points=6, max=4)
PANEL_SCORE_NOT_WHOLE = declare(
    "panel-score-not-whole", "warning", "panel", "得分不是整数（细则规定评分只给出整数分数）",
    "专家“{expert}”的评分表中“{item}”的得分为 {points} 分，不是整数（细则规定评分只给出整数分数），按所填分数计入。",
    expert="张三", item="3.1.1 战略规划", points=1.5)
PANEL_BAND_MISMATCH = declare(
    "panel-band-mismatch", "warning", "panel", "勾选的档次与所填得分不一致",
    "专家“{expert}”的评分表中“{item}”勾选的档次是“{band}”，与所填得分 {points} 分不一致，按所填得分计入。请专家确认。",
    expert="张三", item="1.1.1 产业计量测试需求分析", band="2分  有产业计量测试需求报告，分析全面", points=1)
PANEL_BANDS_SEVERAL = declare(
    "panel-bands-several", "warning", "panel", "同一项勾选了多个档次",
    "专家“{expert}”的评分表中“{item}”勾选了 {count} 个档次，按所填得分计入。请专家确认。",
    expert="张三", item="1.1.1 产业计量测试需求分析", count=2)
PANEL_AUTO_CHANGED = declare(
    "panel-auto-changed", "info", "panel", "专家修改了工具自动计算的得分（以专家所填为准）",
    "专家“{expert}”把“{item}”的得分由工具预填的 {prefilled} 分改为 {points} 分，按专家所填计入。",
    expert="张三", item="1.2.1 购置计划完成情况", prefilled=1, points=2)
PANEL_SPREAD = declare(
    "panel-spread", "warning", "panel", "各专家对同一项的评分相差超过设定值，需评审组合议",
    "“{item}”各专家评分相差 {spread} 分（最低 {low} 分，最高 {high} 分），超过设定的 {threshold} 分，请评审组合议。",
    item="二.1 产业计量测试中心建设下年度工作任务计划情况", spread=6, low=12, high=18, threshold=3)
# --- the register and application packages (register) ----------------------------------------

APPLICATION_AFTER_REVOCATION = declare(
    "application-after-revocation", "error", "register", "撤销建设资格未满3年的中心或单位再次提出新建申请（管理办法第十九条）",
    "申请单位或中心与记录库中的“{center}”（依托单位：{unit}）相同，该中心于 {revoked} 被撤销建设资格。"
    "按管理办法第十九条，被撤销建设资格的，3年内（至 {until}）不予新建申请；本申请的报送日期为 {submitted}。",
    center="浙江省纺织产业计量测试中心", unit="嘉兴市计量检定测试院", revoked="2022-03-15", until="2025-03-15",
    submitted="2024-07-08")
PACKAGE_RECOMMENDATION_MISSING = declare(
    "package-no-recommendation", "error", "register", "申请材料中没有申请推荐文件（管理办法第八条第（一）项）",
    "申请材料“{package}”中未找到申请推荐文件（设区市市场监管局或省有关行业主管部门的推荐函）。"
    "按管理办法第八条，除省市场监管局直属单位外，申请须经推荐。请补充推荐文件。", package="集成电路")
PACKAGE_RECOMMENDATION_DIRECT = declare(
    "package-direct-unit", "info", "register", "省市场监管局直属单位直接申请，没有推荐文件",
    "申请材料“{package}”中没有推荐文件；申请单位“{unit}”为省市场监管局直属单位，按管理办法第八条可直接申请。",
    package="动力电池", unit="浙江省计量科学研究院")
PACKAGE_SUPPORT_MISSING = declare(
    "package-no-support", "error", "register", "申请材料中没有地方政府配套支持文件（管理办法第八条第（三）项）",
    "申请材料“{package}”中未找到地方政府在人才、资金、土地等方面的具体配套支持文件。请按管理办法第八条补充。",
    package="集成电路")
PACKAGE_APPLICATION_MISSING = declare(
    "package-no-application", "error", "register", "申请材料中有推荐文件或配套支持文件，但没有申请书（附件1）",
    "申请材料“{package}”中没有《浙江省产业计量测试中心申请书》（附件1）。请补充申请书。", package="集成电路")
PACKAGE_FILE_UNCLASSIFIED = declare(
    "package-file-unclassified", "warning", "register", "申请材料中的文件无法判断是推荐文件、申请书还是配套支持文件",
    "申请材料“{package}”中的文件“{file}”既不像申请推荐文件，也不像申请书或配套支持文件（{reason}）。请核对该文件。",
    package="集成电路", file="附件.pdf", reason="未找到标题、发文单位或公章文字")
PACKAGE_MEMBER = declare(
    "package-member", "info", "register", "文件被识别为申请材料中的推荐文件或配套支持文件（不按申请书模板检查）",
    "本文件识别为申请材料“{package}”中的{what}（依据：{why}），不按申请书或年度工作总结的模板检查。",
    package="集成电路", what="申请推荐文件", why="标题含“推荐”，发文单位为杭州市市场监督管理局")


def catalogue_markdown() -> str:
    """The rule catalogue as Markdown, generated from the declarations above."""
    lines = [
        "# 发现项目录 (finding catalogue)",
        "",
        "Generated by `imtc rules --markdown` from `imtc/findings.py`; do not edit by hand.",
        "A test fails when this file and the code disagree.",
        "",
        "| code | severity | stage | 检查内容 | 示例消息 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for c in CATALOGUE.values():
        lines.append(f"| `{c.code}` | {c.severity} | {c.stage} | {c.checks} | {c.example_message()} |")
    return "\n".join(lines) + "\n"
