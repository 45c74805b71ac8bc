"""Annual reports that state the same kinds of facts in wordings imtc was not written against.

    reports(seed_from, count) -> [Variant]       one synthetic annual report per seed
    write_docx(variant, path)                      the report as a .docx (tests/minidocx.py)
    half(seed) -> "tuning" | "held-out"            the split: even seeds tune, odd seeds are held out

Each report is the annex 4 outline with facts placed where reports put them: projects under
一（七）2, 3, 5, 6 (the category is the heading's), standards under 一（七）7, patents, awards, papers
and talks under 一（七）1 (under a sub-heading of their own, or none). A fact is rendered in one of
several places — a sentence in running prose, a list item numbered by hand or by Word's automatic
numbering, a table row — and in a wording assembled from parts (lead words × order of the slots ×
punctuation and quotes × status words × number and code forms), its slots filled from word lists
below that are the generator's own, not imtc's gazetteers: a funder's level here is what the
regulation says it is, written down independently of imtc/templates/.

Negatives sit beside the facts and must not be found: a standard cited as a calibration basis, a
patent only planned, another unit's project, a project only applied for, a paper only to be
submitted (拟投稿), a company's award, a talk given to the center by an invited expert.

Nothing here reads imtc: the truth is what the generator wrote.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imtc.extract.text import key_text
from imtc.models import Extraction
from tests import minidocx as M

KINDS = ("patents", "standards", "projects", "awards", "papers", "talks")
PLACES = ("sentence", "list_typed", "list_auto", "table")


def half(seed: int) -> str:
    return "tuning" if seed % 2 == 0 else "held-out"


@dataclass
class Fact:
    kind: str
    key: str  # identity: patent digits, standard code key or title, else the title
    title: str
    want: dict[str, str | None] = field(default_factory=dict)  # level, category, status, type, indexed
    place: str = "sentence"
    wording: str = ""


@dataclass
class Block:
    """A paragraph (text, automatic numbering or not) or a table (rows of cell texts)."""

    text: str = ""
    auto: bool = False
    rows: list[list[str]] | None = None


@dataclass
class Variant:
    seed: int
    facts: list[Fact]
    negatives: list[str]  # what each negative is, for the bench's listing
    sections: dict[str, list[Block]]


# --- slot fillers -------------------------------------------------------------------------------

OBJECTS = ["动力电池", "锂离子电芯", "光伏组件", "功率半导体器件", "集成电路测试系统", "氢燃料电池堆", "储能变流器",
           "直流充电桩", "电化学工作站", "晶圆", "激光干涉仪", "扭矩传感器", "气体质量流量计", "红外热像仪",
           "超声波流量计", "太赫兹功率计", "高压直流电能表", "温湿度传感器", "智能电表", "风电齿轮箱", "半导体激光器",
           "电池管理系统", "逆变器", "工业机器人", "数控机床", "MEMS压力传感器", "碳化硅模块", "钠离子电池"]
ASPECTS = ["内阻", "膨胀力", "热失控产热量", "容量", "绝缘电阻", "动态参数", "时序参数", "温度场", "流量", "输出功率",
           "零点漂移", "一致性", "剩余能量", "电压纹波", "定位精度", "重复性", "线宽", "热阻", "转换效率", "泄漏电流"]
METHODS = ["测量方法研究", "在线校准技术研究", "计量关键技术研究", "校准装置研制", "量值溯源体系研究", "现场测试方法研究",
           "量值传递技术研究", "标准装置研制及应用", "测试评价技术研究", "计量特性评价方法研究"]
DEVICES = ["校准装置", "测量方法", "检测系统", "校准方法及装置", "测试夹具", "在线监测装置", "标定装置", "温控工装",
           "数据采集电路", "信号隔离模块"]
STD_FORMS = ["{o}{a}测试仪校准规范", "{o}{a}测量方法", "{o}用{a}传感器检定规程", "{o}{a}测试系统校准规范",
             "{o}{a}计量技术要求", "{o}{a}在线监测装置校准规范"]
EN_OBJECTS = ["lithium-ion cells", "photovoltaic modules", "SiC power devices", "fuel cell stacks", "torque transducers",
              "gas flow meters", "wafer surfaces", "battery packs", "infrared thermometers", "charging piles"]
EN_ASPECTS = ["internal resistance", "heat generation", "dynamic parameters", "temperature distribution", "capacity fade",
              "insulation resistance", "thickness", "flow rate", "output power", "timing jitter"]
EN_LEADS = ["In-situ measurement of", "A calibration method for", "Traceable measurement of", "Uncertainty evaluation of",
            "Online monitoring of", "A novel approach to measuring"]
PEOPLE_CN = ["张伟", "李娜", "王磊", "刘洋", "陈静", "杨帆", "赵敏", "黄强", "周杰", "吴婷", "徐斌", "孙丽", "马超", "朱琳"]
PEOPLE_EN = ["Zhang W", "Li N", "Wang L", "Liu Y", "Chen J", "Yang F", "Zhao M", "Huang Q", "Zhou J", "Wu T"]
JOURNALS_CN = [("计量学报", "EI"), ("仪器仪表学报", "EI"), ("电工技术学报", "EI"), ("中国电机工程学报", "EI"),
               ("光学精密工程", "EI"), ("电子测量与仪器学报", "CSCD"), ("传感技术学报", "CSCD"), ("电源技术", "中文核心"),
               ("中国测试", "中文核心"), ("计量科学与技术", None), ("中国计量", None), ("工业计量", None)]
JOURNALS_EN = [("Measurement", "SCI"), ("Metrologia", "SCI"), ("IEEE Transactions on Instrumentation and Measurement", "SCI"),
               ("Journal of Energy Storage", "SCI"), ("Sensors", "SCI"), ("Measurement Science and Technology", "SCI")]
CONFERENCES = ["第十届全国动力电池技术大会", "2025年中国计量测试学会学术年会", "全国集成电路计量技术研讨会",
               "第七届长三角计量测试技术论坛", "2025国际光伏计量与测试会议", "第三届产业计量测试技术交流会",
               "全国温度计量技术委员会年会", "IEEE I2MTC 2025国际会议", "中国仪器仪表学会第二十届年会"]
# funders and programmes with the level the measures give them (CONTRACT.md: the State
# Administration's programmes are 省部级). Written for the generator, independently of imtc's gazetteer.
FUNDERS = {
    "national": ["国家重点研发计划", "国家自然科学基金", "国家重点研发计划“国家质量基础设施体系”重点专项",
                 "国家自然科学基金青年科学基金", "国家科技重大专项", "工业和信息化部产业基础再造和制造业高质量发展专项"],
    "provincial": ["浙江省重点研发计划", "浙江省“尖兵”“领雁”研发攻关计划", "浙江省自然科学基金", "浙江省市场监督管理局科研计划",
                   "国家市场监督管理总局科技计划", "省市场监管局雏鹰计划", "浙江省科技厅软科学研究计划", "浙江省基础公益研究计划"],
    "municipal": ["杭州市科技局", "宁波市科技计划", "温州市基础性科研项目", "嘉兴市科技计划", "湖州市公益性应用研究计划",
                  "绍兴市科技计划", "金华市科学技术研究计划", "衢州市科技攻关计划", "舟山市科技计划", "台州市科技计划",
                  "丽水市公益性技术应用研究计划", "宁波市市场监督管理局科研计划", "杭州市市场监督管理局科技项目"],
    "other": ["企业委托", "横向合作", "院自立科研", "中心自筹", "合作企业委托"],
}
LEVEL_WORDS = {"national": ["国家级"], "provincial": ["省部级", "省级"], "municipal": ["市级"], "other": ["其他"]}
UNKNOWN_FUNDERS = ["产业联盟开放课题", "某基金会资助", "行业协会课题"]
AWARDS = {  # prize (without grade) -> level
    "national": ["国家科学技术进步奖", "国家技术发明奖"],
    "provincial": ["浙江省科学技术进步奖", "浙江省科学技术奖", "国家市场监督管理总局科技兴检奖", "浙江省标准创新贡献奖"],
    "municipal": ["杭州市科学技术进步奖", "宁波市科学技术奖", "嘉兴市科学技术进步奖", "湖州市科技进步奖"],
    "other": ["中国计量测试学会科学技术进步奖", "中国仪器仪表学会科学技术奖", "浙江省计量测试学会科技奖", "中国电子学会科学技术奖"],
}
GRADES = ["一等奖", "二等奖", "三等奖"]
STD_PREFIXES = {  # code prefix (as it may be written) -> level
    "local": ["JJF(浙)", "JJF（浙）", "JJG(浙)", "DB33/T", "DB 33/T"],
    "national": ["JJF", "JJG", "GB/T"],
    "industry": ["JB/T", "SJ/T", "NB/T", "JJF(电子)"],
    "group": ["T/ZJAS", "T/CMTBA", "T/ZZB", "T/CSTM"],
}
STD_LEVEL_WORDS = {"local": ["地方计量技术规范", "浙江省地方标准"], "national": ["国家计量技术规范", "国家标准"],
                   "industry": ["行业标准"], "group": ["团体标准"]}


# --- building the facts ---------------------------------------------------------------------------


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.used: set[str] = set()

    def pick(self, seq: list) -> object:
        return self.r.choice(seq)

    def unique(self, make) -> str:  # noqa: ANN001
        for _ in range(200):
            t = make()
            if t not in self.used:
                self.used.add(t)
                return t
        raise RuntimeError("no unique title")

    def oa(self) -> tuple[str, str]:
        return self.pick(OBJECTS), self.pick(ASPECTS)  # type: ignore[return-value]

    def project_title(self) -> str:
        return self.unique(lambda: "".join(self.oa()) + str(self.pick(METHODS)))

    def patent_title(self) -> str:
        def make() -> str:
            o, a = self.oa()
            return f"一种{o}{a}的{self.pick(DEVICES)}"
        return self.unique(make)

    def std_title(self) -> str:
        def make() -> str:
            o, a = self.oa()
            return str(self.pick(STD_FORMS)).format(o=o, a=a)
        return self.unique(make)

    def award_title(self) -> str:
        def make() -> str:
            o, a = self.oa()
            return f"{o}{a}{self.pick(['计量测试关键技术及应用', '精密测量技术与产业化', '量值溯源关键技术及应用'])}"
        return self.unique(make)

    def paper_title(self, english: bool) -> str:
        if english:
            return self.unique(lambda: f"{self.pick(EN_LEADS)} {self.pick(EN_ASPECTS)} in {self.pick(EN_OBJECTS)}")

        def make() -> str:
            o, a = self.oa()
            return f"{self.pick(['基于', '采用'])}{self.pick(['电化学阻抗谱', '机器视觉', '激光干涉', '数字孪生', '深度学习', '量热法'])}的{o}{a}{self.pick(['测量方法', '校准方法研究', '不确定度评定', '在线测量'])}"
        return self.unique(make)

    def talk_title(self) -> str:
        def make() -> str:
            o, a = self.oa()
            return f"{o}{a}{self.pick(['计量技术进展', '测量技术研究与实践', '计量测试服务实践', '校准技术新进展'])}"
        return self.unique(make)


def check_digit(digits: str) -> str:
    """CNIPA's check digit of an application number (weights 2–9 repeated, mod 11, 10 is X)."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9]
    total = sum(int(d) * weights[i % 8] for i, d in enumerate(digits))
    c = total % 11
    return "X" if c == 10 else str(c)


def patent_number(g: Gen, ptype: str) -> str:
    year = g.r.randint(2019, 2025)
    digit = {"发明": g.pick(["1", "1", "8"]), "实用新型": "2", "外观设计": "3"}[ptype]
    digits = f"{year}{digit}{g.r.randint(0, 9999999):07d}"
    return digits + check_digit(digits)


def spaced_number(g: Gen, n: str, zl: bool) -> str:
    """One of the forms a number is written in: spaces, full-width, with or without the dot."""
    body, check = n[:-1], n[-1]
    form = g.r.randrange(6)
    if form == 0:
        s = f"{body}.{check}"
    elif form == 1:
        s = f"{body[:4]} {body[4]} {body[5:]}.{check}"
    elif form == 2:
        s = f"{body}{check}"  # no dot before the check digit
    elif form == 3:
        s = f"{body}．{check}"
    elif form == 4:
        s = f"{body[:4]}{body[4]}{body[5:]}. {check}"
    else:
        s = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in f"{body}.{check}")
    if zl:
        return ("ZL" if form != 5 else "ＺＬ") + g.pick(["", " "]) + s  # type: ignore[operator]
    return s


# --- wordings: each kind's parts, combined --------------------------------------------------------


def q(g: Gen, title: str, kinds: tuple[str, ...] = ("“”", "《》", "「」")) -> str:
    a, b = g.pick(list(kinds))  # type: ignore[misc]
    return f"{a}{title}{b}"


def patent_fact(g: Gen) -> Fact:
    ptype = str(g.pick(["发明", "发明", "实用新型", "实用新型", "外观设计"]))
    status = str(g.pick(["granted", "granted", "applied"]))
    num = patent_number(g, ptype)
    title = g.patent_title()
    return Fact("patents", num, title, {"status": status, "type": ptype})


def patent_text(g: Gen, f: Fact, place: str) -> tuple[str, str]:
    num, title, ptype, status = f.key, f.title, f.want["type"], f.want["status"]
    granted = status == "granted"
    n = spaced_number(g, num, zl=granted and g.r.random() < 0.8)
    label = g.pick(["专利号", "专利号：", "授权公告号…", "申请号", "申请号：", ""]) if not granted else g.pick(
        ["专利号", "专利号：", "授权号：", ""])
    if label == "授权公告号…":
        label = "申请号"
    if not granted and not label:
        label = "申请号"
    year = g.r.randint(2024, 2025)
    month = g.r.randint(1, 12)
    if place.startswith("list"):
        forms = [
            lambda: f"{title}，{ptype}专利，{label}{n}，{'已授权' if granted else '已受理'}",
            lambda: f"{q(g, title)}（{ptype}专利，{label}{n}）" + ("" if granted else "，实质审查中"),
            lambda: f"{ptype}专利：{title}（{label}{n}，{'授权' if granted else '申请'}日{year}.{month:02d}）",
            lambda: f"{label}{n}　{title}　{ptype}" + ("　授权" if granted else "　公开"),
            lambda: f"{title} [{ptype}专利] {label}{n}" + ("" if granted else "（已公开）"),
            lambda: f"{'授权' if granted else '申请'}{ptype}专利1项：{q(g, title)}，{label}{n}",
        ]
    else:
        verb = "获授权" if granted else str(g.pick(["新申请", "申请", "提交"]))
        forms = [
            lambda: f"{year}年{month}月，中心{verb}{ptype}专利{q(g, title)}（{label}{n}）",
            lambda: f"{q(g, title)}{'获得国家知识产权局授权' if granted else '已提交专利申请并获受理'}（{ptype}专利，{label}{n}）",
            lambda: f"团队研发的{ptype}专利{q(g, title)}{'已获授权' if granted else '已进入实质审查阶段'}，{label}{n}",
            lambda: f"本年度{verb}{ptype}专利1项，即{q(g, title)}，{label}{n}",
            lambda: f"围绕{g.pick(OBJECTS)}测量难题，{verb}{ptype}专利{q(g, title)}，{label}为{n}",
            lambda: f"中心以第一申请人{verb}{ptype}专利（{label}{n}）{q(g, title)}",
        ]
    i = g.r.randrange(len(forms))
    return forms[i](), f"patent-{place}-{i}"


def patent_row(g: Gen, f: Fact) -> tuple[list[str], list[str]]:
    granted = f.want["status"] == "granted"
    n = spaced_number(g, f.key, zl=granted and g.r.random() < 0.7)
    header = g.pick([["序号", "专利名称", "专利类型", "专利号", "状态"], ["序号", "名称", "类型", "申请号/专利号", "法律状态"],
                     ["序号", "知识产权名称", "类别", "授权（申请）号", "进展"]])
    state = g.pick(["已授权", "授权"]) if granted else g.pick(["实质审查", "已受理", "公开", "申请中"])
    return header, [f.title, str(f.want["type"]), n, str(state)]  # type: ignore[return-value]


def code_of(g: Gen, prefix: str) -> tuple[str, str]:
    """(code as written, code key) — the key is prefix+number without spaces or year."""
    if prefix.startswith("T/"):
        num = f"{g.r.randint(1, 300):03d}"
    elif prefix.startswith(("DB", "JJF(", "JJF（", "JJG(")):
        num = str(g.r.randint(1100, 1299))
    elif prefix == "GB/T":
        num = str(g.r.randint(30000, 44999)) + g.pick(["", "", ".1", ".2"])  # type: ignore[operator]
    else:
        num = str(g.r.randint(1000, 1999))
    year = str(g.r.randint(2023, 2026))
    dash = g.pick(["-", "-", "—", "－", " ", "–"])
    sp = g.pick(["", " ", " "])
    key = re.sub(r"[\s]", "", prefix).replace("（", "(").replace("）", ")") + num
    return f"{prefix}{sp}{num}{dash}{year}", key


def standard_fact(g: Gen) -> Fact:
    level = str(g.pick(["local", "local", "national", "industry", "group"]))
    status = str(g.pick(["published", "drafting"]))
    prefix = str(g.pick(STD_PREFIXES[level]))
    code, key = code_of(g, prefix)
    while key in g.used:  # one code per standard in a report
        code, key = code_of(g, prefix)
    g.used.add(key)
    f = Fact("standards", key, g.std_title(), {"level": level, "status": status})
    f.want["code_as_written"] = code
    return f


PUBLISHED = ["已发布", "已发布实施", "已正式实施", "于{y}年{m}月发布", "已颁布实施", "发布并实施"]
DRAFTING = ["正在制定", "已报批", "已完成征求意见稿", "已立项，正在编制", "已送审", "处于征求意见阶段", "已通过审定，待发布"]
ROLES = ["主持制定", "牵头起草", "参与编制", "主编", "负责起草", "作为第一起草单位制定", "参与制修订"]


def standard_text(g: Gen, f: Fact, place: str) -> tuple[str, str]:
    code, title, level = str(f.want["code_as_written"]), f.title, str(f.want["level"])
    status = str(g.pick(PUBLISHED if f.want["status"] == "published" else DRAFTING)).format(
        y=g.r.randint(2024, 2025), m=g.r.randint(1, 12))
    role = g.pick(ROLES)
    lw = g.pick(STD_LEVEL_WORDS[level])
    show_code = g.r.random() < 0.85 or f.want["status"] == "drafting"
    c = code if show_code else ""
    if not show_code:
        f.key = "title:" + title
    if place.startswith("list"):
        forms = [
            lambda: f"{c}《{title}》，{role}，{status}",
            lambda: f"《{title}》（{c or lw}），{status}",
            lambda: f"{lw}{c}《{title}》：{status}",
            lambda: f"{role}{lw}《{title}》{c}，{status}",
            lambda: f"《{title}》 {c} {status}",
            lambda: f"{c}{title}（{role}，{status}）" if c else f"{lw}《{title}》（{role}，{status}）",
        ]
    else:
        forms = [
            lambda: f"中心{role}的{lw}{c}《{title}》{status}",
            lambda: f"{role}{c}《{title}》，该{g.pick(['规范', '标准'])}{status}",
            lambda: f"由中心{role}的《{title}》（{c or lw}）{status}",
            lambda: f"本年度{role}{lw}1项：《{title}》{c}，{status}",
            lambda: f"{lw}《{title}》{'（' + c + '）' if c else ''}由中心{role}，{status}",
            lambda: f"在{g.pick(OBJECTS)}领域，中心{role}{c}《{title}》，目前{status}",
        ]
    i = g.r.randrange(len(forms))
    return forms[i](), f"standard-{place}-{i}"


def standard_row(g: Gen, f: Fact) -> tuple[list[str], list[str]]:
    code = str(f.want["code_as_written"])
    f.key = f.key if not f.key.startswith("title:") else f.key
    header = g.pick([["序号", "标准名称", "标准编号", "类别", "状态"], ["序号", "规范名称", "编号", "级别", "进展情况"],
                     ["序号", "技术规范名称", "规范编号", "类型", "完成情况"]])
    state = g.pick(["已发布", "发布实施"]) if f.want["status"] == "published" else g.pick(["报批", "征求意见", "编制中", "已立项"])
    kind = {"local": "地方计量技术规范", "national": "国家计量技术规范", "industry": "行业标准", "group": "团体标准"}[str(f.want["level"])]
    return header, [f.title, code, kind, str(state)]  # type: ignore[return-value]


def project_fact(g: Gen, category: str) -> Fact:
    r = g.r.random()
    if r < 0.06:
        level, funder, explicit = None, str(g.pick(UNKNOWN_FUNDERS)), None
    else:
        level = str(g.pick(["national", "provincial", "provincial", "municipal", "municipal", "other"]))
        funder = str(g.pick(FUNDERS[level]))
        explicit = str(g.pick(LEVEL_WORDS[level])) if g.r.random() < 0.3 else None
    if level is None and g.r.random() < 0.5:  # an unknown funder whose level the text states
        level = str(g.pick(["provincial", "municipal"]))
        explicit = str(g.pick(LEVEL_WORDS[level]))
    status = str(g.pick(["completed", "ongoing", "ongoing"]))
    f = Fact("projects", "", g.project_title(), {"level": level, "category": category, "status": status})
    f.key = f.title
    f.want["funder"], f.want["explicit"] = funder, explicit
    return f


DONE = ["已通过验收", "已结题", "通过专家验收", "于{y}年{m}月完成验收", "顺利结题", "已完成并通过验收"]
ONGOING = ["在研", "正在实施", "进展顺利", "已完成中期检查", "按计划推进", "完成样机研制，项目在研"]


def project_text(g: Gen, f: Fact, place: str) -> tuple[str, str]:
    funder, explicit, title = str(f.want["funder"]), f.want["explicit"], f.title
    st = str(g.pick(DONE if f.want["status"] == "completed" else ONGOING)).format(y=g.r.randint(2024, 2025), m=g.r.randint(1, 12))
    lv = f"（{explicit}）" if explicit else ""
    kindword = g.pick(["项目", "课题", "计划项目", "专项"])
    if place.startswith("list"):
        forms = [
            lambda: f"{title}（{funder}{lv}，{st}）",
            lambda: f"{funder}{kindword}{lv}：{title}，{st}",
            lambda: f"项目名称：{title}；项目来源：{funder}{lv}；状态：{st}",
            lambda: f"{q(g, title)}，{funder}{lv}，{g.r.randint(2023, 2025)}—{g.r.randint(2025, 2027)}年，{st}",
            lambda: f"{title}。来源：{funder}{lv}。{st}。",
            lambda: f"承担{funder}{kindword}{q(g, title)}{lv}，{st}",
        ]
    else:
        forms = [
            lambda: f"中心承担的{funder}{kindword}{q(g, title)}{lv}{st}",
            lambda: f"{q(g, title)}获{funder}立项支持{lv}，目前{st}",
            lambda: f"本年度获批{funder}{kindword}1项{lv}，即{q(g, title)}，项目{st}",
            lambda: f"由中心牵头的{q(g, title)}{kindword}（{funder}{'，' + str(explicit) if explicit else ''}）{st}",
            lambda: f"围绕{g.pick(OBJECTS)}，中心开展{funder}{kindword}{q(g, title)}{lv}研究，{st}",
            lambda: f"{funder}资助{lv}的{q(g, title)}{st}",
        ]
    i = g.r.randrange(len(forms))
    return forms[i](), f"project-{place}-{i}"


def project_row(g: Gen, f: Fact) -> tuple[list[str], list[str]]:
    st = g.pick(["已验收", "已结题", "完成"]) if f.want["status"] == "completed" else g.pick(["在研", "实施中", "进行中"])
    explicit = f.want["explicit"]
    header = g.pick([["序号", "项目名称", "项目来源", "级别", "起止时间", "完成情况"],
                     ["序号", "课题名称", "下达部门", "项目级别", "状态"],
                     ["序号", "项目名称", "资助来源", "进展"]])
    years = f"{g.r.randint(2023, 2024)}.01-{g.r.randint(2025, 2027)}.12"
    cells = {"项目名称": f.title, "课题名称": f.title, "项目来源": str(f.want["funder"]), "下达部门": str(f.want["funder"]),
             "资助来源": str(f.want["funder"]) + (f"（{explicit}）" if explicit else ""),
             "级别": str(explicit or ""), "项目级别": str(explicit or ""), "起止时间": years,
             "完成情况": str(st), "状态": str(st), "进展": str(st)}
    return header, [cells[h] for h in header[1:]]  # type: ignore[index]


def award_fact(g: Gen) -> Fact:
    level = str(g.pick(["national", "provincial", "provincial", "municipal", "other"]))
    prize = str(g.pick(AWARDS[level])) + str(g.pick(GRADES))
    f = Fact("awards", "", g.award_title(), {"level": level})
    f.key = f.title
    f.want["prize"] = prize
    return f


def award_text(g: Gen, f: Fact, place: str) -> tuple[str, str]:
    prize, title = str(f.want["prize"]), f.title
    year = g.r.randint(2023, 2025)
    if place.startswith("list"):
        forms = [
            lambda: f"{q(g, title)}，{year}年度{prize}",
            lambda: f"{prize}：{title}（{year}年）",
            lambda: f"{title}，获{prize}，中心为第一完成单位",
            lambda: f"{year}年{prize}1项（{q(g, title)}）",
            lambda: f"成果{q(g, title)}荣获{prize}",
            lambda: f"{title}——{prize}",
        ]
    else:
        forms = [
            lambda: f"中心完成的{q(g, title)}成果荣获{year}年度{prize}",
            lambda: f"{q(g, title)}获{prize}",
            lambda: f"{year}年，中心牵头完成的{q(g, title)}获得{prize}",
            lambda: f"本年度获{prize}1项：{q(g, title)}",
            lambda: f"经评审，{q(g, title)}被授予{year}年度{prize}",
            lambda: f"中心作为第一完成单位的{q(g, title)}项目获评{prize}",
        ]
    i = g.r.randrange(len(forms))
    return forms[i](), f"award-{place}-{i}"


def award_row(g: Gen, f: Fact) -> tuple[list[str], list[str]]:
    prize = str(f.want["prize"])
    name, grade = prize[:-3], prize[-3:]
    header = g.pick([["序号", "获奖成果名称", "奖项名称", "等级", "时间"], ["序号", "成果名称", "奖励名称及等级", "授奖年度"],
                     ["序号", "项目名称", "获奖情况", "年份"]])
    year = str(g.r.randint(2023, 2025))
    if len(header) == 5:
        return header, [f.title, name, grade, year]  # type: ignore[return-value]
    return header, [f.title, prize, year]  # type: ignore[return-value]


def paper_fact(g: Gen) -> Fact:
    english = g.r.random() < 0.35
    venue, indexed = g.pick(JOURNALS_EN if english else JOURNALS_CN)  # type: ignore[misc]
    f = Fact("papers", "", g.paper_title(english), {"indexed": indexed})
    f.key = f.title
    f.want["venue"], f.want["english"] = venue, "1" if english else ""
    return f


def reference(g: Gen, f: Fact) -> str:
    """The paper as a GB/T 7714 reference, with or without the index marker."""
    english = bool(f.want["english"])
    people = PEOPLE_EN if english else PEOPLE_CN
    authors = g.r.sample(people, g.r.randint(1, 4))
    sep = ", " if english else g.pick(["，", ",", "，"])
    names = sep.join(authors) + (", et al" if english and g.r.random() < 0.3 else "")
    year = g.r.randint(2024, 2025)
    vol, issue = g.r.randint(10, 60), g.r.randint(1, 12)
    p1 = g.r.randint(1, 200)
    pages = f"{p1}-{p1 + g.r.randint(4, 12)}" if g.r.random() < 0.7 else str(g.r.randint(100000, 120000))
    dot = ". " if english else g.pick(["．", ". ", "."])
    entry = f"{names}{dot}{f.title}[J]{dot}{f.want['venue']}, {year}, {vol}({issue}): {pages}."
    if g.r.random() < 0.3:
        entry = f"{names}{dot}{f.title}[J]{dot}{f.want['venue']}，{year}，{vol}（{issue}）：{pages}。"
    return entry


def paper_text(g: Gen, f: Fact, place: str) -> tuple[str, str]:
    ix = f.want["indexed"]
    mark = {"SCI": ["（SCI收录）", "(SCI)", "，SCI收录", "（SCI二区）"], "EI": ["（EI收录）", "(EI)", "，EI检索"],
            "CSCD": ["（CSCD收录）", "(CSCD)", "，CSCD核心库"], "中文核心": ["（北大核心）", "（中文核心）"]}.get(str(ix), [""])
    m = str(g.pick(mark))
    title, venue = f.title, str(f.want["venue"])
    if place.startswith("list"):
        forms = [
            lambda: reference(g, f) + m,
            lambda: m.strip("，()（）") + ("：" if m else "") + reference(g, f) if m else reference(g, f),
            lambda: reference(g, f).rstrip(".。") + m,
            lambda: f"{q(g, title, ('“”',))}，{venue}，{g.r.randint(2024, 2025)}{m}",
            lambda: f"{reference(g, f)} {m.strip('，')}",
            lambda: f"[{g.r.randint(1, 9)}] {reference(g, f)}{m}",
        ]
    else:
        yr = g.r.randint(2024, 2025)
        forms = [
            lambda: f"在{'《' + venue + '》' if not f.want['english'] else venue}发表论文“{title}”{m}",
            lambda: f"论文“{title}”发表于{'《' + venue + '》' if not f.want['english'] else venue}，{yr}{m}",
            lambda: f"团队撰写的“{title}”一文刊登在{'《' + venue + '》' if not f.want['english'] else venue}{yr}年第{g.r.randint(1, 12)}期{m}",
            lambda: f"{'《' + venue + '》' if not f.want['english'] else venue}刊发了中心论文“{title}”{m}",
            lambda: f"本年度发表{str(ix or '') + '收录' if ix in ('SCI', 'EI', 'CSCD') else ''}论文1篇：{reference(g, f)}",
            lambda: f"中心人员以第一作者发表“{title}”（{venue}，{yr}）{m}",
        ]
    i = g.r.randrange(len(forms))
    return forms[i](), f"paper-{place}-{i}"


def paper_row(g: Gen, f: Fact) -> tuple[list[str], list[str]]:
    header = g.pick([["序号", "论文题目", "发表期刊", "年份", "收录情况"], ["序号", "论文名称", "刊物名称", "检索类型"],
                     ["序号", "题名", "期刊", "作者", "收录"]])
    ix = str(f.want["indexed"] or g.pick(["—", "/", "无", ""]))
    if ix == "中文核心":
        ix = str(g.pick(["北大核心", "中文核心"]))
    cells = {"论文题目": f.title, "论文名称": f.title, "题名": f.title, "发表期刊": str(f.want["venue"]),
             "刊物名称": str(f.want["venue"]), "期刊": str(f.want["venue"]), "年份": str(g.r.randint(2024, 2025)),
             "作者": str(g.pick(PEOPLE_CN)), "收录情况": ix, "检索类型": ix, "收录": ix}
    return header, [cells[h] for h in header[1:]]  # type: ignore[index]


def talk_fact(g: Gen) -> Fact:
    f = Fact("talks", "", g.talk_title(), {})
    f.key = f.title
    f.want["event"] = str(g.pick(CONFERENCES))
    return f


def talk_text(g: Gen, f: Fact, place: str) -> tuple[str, str]:
    title, event = f.title, str(f.want["event"])
    who = g.pick(["中心主任", "技术负责人" + str(g.pick(PEOPLE_CN)), str(g.pick(PEOPLE_CN)) + "高级工程师", "中心专家"])
    kind = g.pick(["学术报告", "特邀报告", "主题报告", "大会报告", "报告"])
    if place.startswith("list"):
        forms = [
            lambda: f"{who}：{q(g, title)}，{event}，{kind}",
            lambda: f"{event}（{kind}）：{title}",
            lambda: f"在{event}上作{kind}{q(g, title)}",
            lambda: f"{q(g, title)}——{event}{kind}",
            lambda: f"{kind}：{title}（{event}，{who}）",
            lambda: f"{g.r.randint(2025, 2025)}年{g.r.randint(1, 12)}月，{event}，{who}作{q(g, title)}{kind}",
        ]
    else:
        forms = [
            lambda: f"{who}在{event}上作题为{q(g, title)}的{kind}",
            lambda: f"{who}应邀在{event}作{kind}{q(g, title)}",
            lambda: f"{g.r.randint(2025, 2025)}年{g.r.randint(1, 12)}月，{who}受邀出席{event}并作{q(g, title)}{kind}",
            lambda: f"在{event}上，{who}以{q(g, title)}为题作{kind}",
            lambda: f"{who}在{event}作了{q(g, title)}的{kind}，反响良好",
            lambda: f"中心在{event}作{kind}1场：{q(g, title)}",
        ]
    i = g.r.randrange(len(forms))
    return forms[i](), f"talk-{place}-{i}"


def talk_row(g: Gen, f: Fact) -> tuple[list[str], list[str]]:
    header = g.pick([["序号", "报告题目", "会议名称", "报告人", "时间"], ["序号", "报告名称", "会议", "类型"],
                     ["序号", "学术交流报告题目", "交流会议", "日期"]])
    cells = {"报告题目": f.title, "报告名称": f.title, "学术交流报告题目": f.title, "会议名称": str(f.want["event"]),
             "会议": str(f.want["event"]), "交流会议": str(f.want["event"]), "报告人": str(g.pick(PEOPLE_CN)),
             "时间": f"2025.{g.r.randint(1, 12):02d}", "日期": f"2025年{g.r.randint(1, 12)}月",
             "类型": str(g.pick(["特邀报告", "大会报告", "分会报告"]))}
    return header, [cells[h] for h in header[1:]]  # type: ignore[index]


# --- negatives ------------------------------------------------------------------------------------


def negatives(g: Gen) -> dict[str, list[tuple[str, str]]]:
    """section -> [(what, sentence)]: things that must not be found."""
    o, a = g.oa()
    code, _ = code_of(g, str(g.pick(["JJF", "JJG", "GB/T", "JJF(浙)"])))
    other = g.unique(lambda: "".join(g.oa()) + str(g.pick(METHODS)))
    ptitle = g.unique(lambda: f"一种{o}{a}的{g.pick(DEVICES)}")
    paper = g.unique(lambda: f"{''.join(g.oa())}测量不确定度评定")
    talk = g.unique(lambda: f"{''.join(g.oa())}标准化工作展望")
    out = {
        "1.7.7": [("cited standard", str(g.pick([
            f"依据{code}对{o}{a}测试系统开展校准，出具校准证书{g.r.randint(20, 90)}份",
            f"按照{code}的要求完成了计量标准的建标考核",
            f"参照{code}《{o}{a}测量方法》编制了作业指导书",
            f"中心校准工作执行{code}，未发现偏离"])))],
        "1.7.1": [
            ("planned patent", str(g.pick([f"拟申请发明专利“{ptitle}”", f"下一步计划申报发明专利《{ptitle}》",
                                           f"“{ptitle}”专利申请材料正在撰写，尚未提交"]))),
            ("paper to submit", str(g.pick([f"论文“{paper}”拟投稿《计量学报》", f"完成论文“{paper}”初稿，拟投稿Measurement",
                                            f"“{paper}”一文已投稿至《仪器仪表学报》，正在审稿"]))),
            ("invited talk", str(g.pick([f"邀请中国计量大学教授来中心作“{talk}”专题报告",
                                         f"组织员工听取“{talk}”讲座"]))),
            ("company award", str(g.pick([f"服务企业{g.pick(['宁波某电池公司', '杭州某光伏企业'])}获得{g.pick(AWARDS['provincial'])}二等奖",
                                          "中心协助合作企业荣获浙江省科学技术进步奖三等奖"]))),
        ],
        "1.7.3": [("other unit's project", str(g.pick([
            f"合作单位浙江大学承担的国家重点研发计划项目“{other}”已启动，中心提供测试支持",
            f"省内龙头企业获批浙江省重点研发计划项目“{other}”",
            f"申报浙江省自然科学基金项目“{other}”，尚在评审"])))],
    }
    return out


# --- the report -----------------------------------------------------------------------------------

HEADINGS = [("1", "一、年度工作总结"), ("1.1", "（一）概述"), ("1.1.3", "3.中心建设工作概况"), ("1.5", "（五）产业计量测试中心运行能力建设"),
            ("1.6", "（六）计量测试服务能力建设"), ("1.7", "（七）计量科技创新能力建设"), ("1.7.1", "1.科技创新能力建设总体情况"),
            ("1.7.2", "2.前瞻性技术的科技创新能力"), ("1.7.3", "3.关键共性技术科技创新能力"), ("1.7.4", "4.全寿命周期服务与创新能力"),
            ("1.7.5", "5.测量方法的研究与创新能力"), ("1.7.6", "6.测量装备的研制与创新能力"), ("1.7.7", "7.技术规范的编制与创新能力"),
            ("1.8", "（八）推进本领域计量体系建设情况"), ("2", "二、下年度工作计划"), ("2.1", "（一）建设目标、重点领域、重点项目"),
            ("3", "三、省市场监管局交办工作落实情况"), ("4", "四、建设工作有关问题与建议")]
CATEGORY_OF = {"1.7.2": "frontier", "1.7.3": "common_technology", "1.7.5": "equipment_method", "1.7.6": "equipment_method"}
SUBHEADS = {"patents": ["（1）知识产权", "知识产权情况：", "（一）专利", "专利授权与申请情况"],
            "papers": ["（2）学术论文", "论文发表情况：", "（二）论文", "发表论文"],
            "awards": ["（3）科技奖励", "科技奖励情况：", "（三）获奖", "获奖情况"],
            "talks": ["（4）学术交流", "学术交流报告：", "（四）学术报告", "学术交流情况"]}
TEXT = {"patents": patent_text, "standards": standard_text, "projects": project_text, "awards": award_text,
        "papers": paper_text, "talks": talk_text}
ROW = {"patents": patent_row, "standards": standard_row, "projects": project_row, "awards": award_row,
       "papers": paper_row, "talks": talk_row}
FILLER = ["中心围绕产业需求持续推进科技创新工作。", "相关工作按年度计划有序开展。", "各项成果已在省内企业得到应用。",
          "团队建设和人才培养同步推进。", "本年度科研经费投入较上年有所增加。"]


def _render(g: Gen, facts: list[Fact], place: str, kind: str) -> list[Block]:
    out: list[Block] = []
    for f in facts:
        f.place = place
    if place == "table":
        header: list[str] | None = None
        rows: list[list[str]] = []
        for i, f in enumerate(facts):
            for _ in range(50):  # one header per table: draw the row again until its header is the table's
                h, cells = ROW[kind](g, f)
                if header is None or h == header:
                    break
            header = header or h
            rows.append([str(i + 1)] + cells)
            f.wording = f"{kind}-table-{header[1]}"
        out.append(Block(text=str(g.pick(["详见下表。", f"具体如表{g.r.randint(1, 9)}所示：", ""])) or "情况如下："))
        out.append(Block(rows=[header or []] + rows))
        return out
    if place == "sentence":
        parts = []
        for f in facts:
            text, f.wording = TEXT[kind](g, f, place)
            parts.append(text)
        glue = str(g.pick(["；", "。", "；另外，", "。此外，"]))
        out.append(Block(text=str(g.pick(FILLER)) + glue.join(parts) + "。"))
        return out
    label_style = g.r.randrange(5)
    for i, f in enumerate(facts):
        text, f.wording = TEXT[kind](g, f, place)
        if place == "list_auto":
            out.append(Block(text=text, auto=True))
        else:
            label = [f"{i + 1}.", f"（{i + 1}）", f"{i + 1}、", "①②③④⑤⑥⑦⑧⑨"[i % 9], f"[{i + 1}]"][label_style]
            if kind == "papers" and text.startswith("["):
                label = ""
            out.append(Block(text=label + (" " if label_style == 4 else "") + text))
    return out


def make_variant(seed: int) -> Variant:
    g = Gen(seed)
    sections: dict[str, list[Block]] = {k: [] for k, _ in HEADINGS}
    facts: list[Fact] = []
    for sec, cat in CATEGORY_OF.items():
        ps = [project_fact(g, cat) for _ in range(g.r.randint(1, 3))]
        place = str(g.pick(PLACES))
        sections[sec] += _render(g, ps, place, "projects")
        facts += ps
    ss = [standard_fact(g) for _ in range(g.r.randint(1, 3))]
    sections["1.7.7"] += _render(g, ss, str(g.pick(PLACES)), "standards")
    facts += ss
    for kind, make in (("patents", patent_fact), ("papers", paper_fact), ("awards", award_fact), ("talks", talk_fact)):
        fs = [make(g) for _ in range(g.r.randint(1, 3))]
        place = str(g.pick(PLACES))
        if g.r.random() < 0.6:
            sections["1.7.1"].append(Block(text=str(g.pick(SUBHEADS[kind]))))
        sections["1.7.1"] += _render(g, fs, place, kind)
        facts += fs
    negs: list[str] = []
    for sec, items in negatives(g).items():
        for what, sentence in items:
            if g.r.random() < 0.7:
                sections[sec].insert(g.r.randint(0, len(sections[sec])), Block(text=sentence + "。"))
                negs.append(what)
    sections["2.1"].append(Block(text=f"下年度继续推进科研项目，计划申报国家重点研发计划项目“{g.project_title()}”。"))
    return Variant(seed=seed, facts=facts, negatives=negs, sections=sections)


def reports(seed_from: int, count: int) -> list[Variant]:
    return [make_variant(s) for s in range(seed_from, seed_from + count)]


def write_docx(v: Variant, path: Path) -> Path:
    body = [M.p("浙江省智能制造产业计量测试中心2025年度工作总结和下年度工作计划")]
    for key, heading in HEADINGS:
        body.append(M.p(heading))
        blocks = v.sections.get(key) or []
        if not blocks and key.count(".") == 2 or key in ("1.8", "3", "4"):
            body.append(M.p("本年度相关工作按计划推进。"))
        for b in blocks:
            if b.rows is not None:
                body.append(M.tbl(b.rows).replace("<w:tblPr/>", BORDERS, 1))  # type: ignore[arg-type]
            else:
                body.append(M.p(b.text, num=(3, 0) if b.auto else None))
    return M.write(path, body, numbering=NUMBERING)


# tables drawn with rules, as Word's default table style draws them
BORDERS = ("<w:tblPr><w:tblBorders>" + "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders></w:tblPr>")

# automatic numbering "1." / "（1）" for list items (numId 3); the outline numbering is typed in the headings
NUMBERING = M.NUMBERING.replace(
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>',
    '<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>').replace(
    "</w:abstractNum>\n<w:num",
    '</w:abstractNum>\n<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>\n<w:num', 1)


# --- scoring what imtc found against what was written ---------------------------------------------

def code_key(code: str) -> str:
    c = code.translate({0xFF08: "(", 0xFF09: ")"})
    c = re.sub(r"\s+", "", c)
    return re.sub(r"[-—–－]?(?:19|20)\d{2}$", "", c)


def title_key(t: str | None) -> str:
    return key_text(t or "").lower()


def found_key(kind: str, e: Any) -> tuple[str, str]:
    """(identity by number or code, identity by title) of a found entity."""
    if kind == "patents":
        n = re.sub(r"[^0-9Xx]", "", (e.number or "").upper().removeprefix("ZL"))
        return n.upper(), title_key(e.title)
    if kind == "standards":
        return (code_key(e.code) if e.code else ""), title_key(e.title)
    return "", title_key(e.title)


def same(kind: str, f: Fact, e: Any) -> bool:
    num, tk = found_key(kind, e)
    if kind == "patents":
        return num == f.key.upper()
    if kind == "standards":
        if f.key.startswith("title:"):
            return bool(tk) and (tk == title_key(f.title))
        return num == f.key.replace("（", "(").replace("）", ")")
    want = title_key(f.title)
    return bool(tk) and (tk == want or (min(len(tk), len(want)) >= 6 and (tk in want or want in tk)))


ATTRS = {"projects": ("level", "category", "status"), "awards": ("level",), "standards": ("level", "status"),
         "papers": ("indexed",), "patents": ("status", "type")}


class Tally:
    def __init__(self) -> None:
        self.tp: dict[str, int] = defaultdict(int)
        self.fp: dict[str, int] = defaultdict(int)
        self.fn: dict[str, int] = defaultdict(int)
        self.attr_ok: dict[str, int] = defaultdict(int)
        self.attr_n: dict[str, int] = defaultdict(int)
        self.notes: list[str] = []

    def add(self, v: Variant, ex: Extraction, label: str) -> None:
        for kind in KINDS:
            found = list(getattr(ex.entities, kind))
            found = [e for e in found if (e.location.section or "1").startswith("1")]
            want = [f for f in v.facts if f.kind == kind]
            taken: set[int] = set()
            for f in want:
                hit = next((i for i, e in enumerate(found) if i not in taken and same(kind, f, e)), None)
                if hit is None:
                    self.fn[kind] += 1
                    self.notes.append(f"{label} MISS {kind} [{f.wording}] {f.title} {f.key} {f.want}")
                    continue
                taken.add(hit)
                self.tp[kind] += 1
                e = found[hit]
                for a in ATTRS.get(kind, ()):
                    self.attr_n[kind] += 1
                    if getattr(e, a) == f.want.get(a):
                        self.attr_ok[kind] += 1
                    else:
                        self.notes.append(f"{label} ATTR {kind}.{a} [{f.wording}] {f.title}: "
                                          f"got {getattr(e, a)!r} want {f.want.get(a)!r} {f.want}")
            for i, e in enumerate(found):
                if i not in taken:
                    self.fp[kind] += 1
                    self.notes.append(f"{label} FALSE {kind} {e.model_dump(exclude={'location'}, exclude_none=True)}"
                                      f" at {e.location.section}")

    def table(self, title: str) -> str:
        lines = [title, f"{'kind':<10} {'truth':>5} {'found':>5} {'precision':>9} {'recall':>7} {'attributes right':>17}"]
        for kind in KINDS:
            tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            n = self.attr_n[kind]
            attrs = f"{self.attr_ok[kind] / n:.3f} ({'/'.join(ATTRS[kind])})" if n else "—"
            lines.append(f"{kind:<10} {tp + fn:>5} {tp + fp:>5} {p:>9.3f} {r:>7.3f} {attrs:>17}")
        return "\n".join(lines)
