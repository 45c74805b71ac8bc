"""Small generated 申请推荐文件 and 配套支持文件 (and a document that is neither) for the package
tests, and application packages built from them and the sample applications."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.minidocx import p, tbl, write

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


def recommendation(path: Path, center: str, unit: str, city: str) -> Path:
    return write(path, [
        p(f"{city}市场监督管理局"),
        p(f"关于推荐{center}建设申请的函"),
        p("浙江省市场监督管理局："),
        p(f"经审核，{unit}提交的申请材料真实、完整，符合《浙江省产业计量测试中心管理办法》第七条规定的条件，"
          f"同意推荐申报{center}。"),
        p("特此函告。"),
        p(f"{city}市场监督管理局（公章）"),
        p("2024年5月18日"),
    ])


def support(path: Path, center: str, city: str) -> Path:
    return write(path, [
        p(f"{city}人民政府办公室"),
        p(f"关于支持{center}建设的意见"),
        p(f"为支持{center}建设，市政府在人才、资金、土地等方面给予以下配套支持："),
        tbl([["事项", "支持内容"], ["资金", "每年安排建设经费 500 万元，连续三年"], ["人才", "纳入高层次人才引进计划"],
             ["用地", "保障实验用房 3000 平方米"]]),
        p(f"{city}人民政府（盖章）"),
        p("2024年5月10日"),
    ])


def notice(path: Path) -> Path:
    return write(path, [p("会议通知"), p("定于下周三上午九时召开季度工作例会，请各科室负责人准时参加。"), p("办公室")])


def package(folder: Path, application: str, *, rec: bool = True, sup: bool = True, other: bool = False,
            center: str = "浙江省集成电路产业计量测试中心", unit: str = "杭州市质量技术监督检测院",
            city: str = "杭州市") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SAMPLES / application, folder / "申请书.docx")
    if rec:
        recommendation(folder / "推荐函.docx", center, unit, city)
    if sup:
        support(folder / "配套支持文件.docx", center, city)
    if other:
        notice(folder / "附件.docx")
    return folder
