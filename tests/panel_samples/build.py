"""Build the panel samples: experts' filled sheets and, beside each panel, the aggregate imtc should give.

    python tests/panel_samples/build.py [--out DIR]

The sheets are the ones `imtc review` renders for the sample submissions, filled in here with
python-docx the way experts fill them, with the varieties the panel must read: scores typed with
units or full-width digits, a Word comment, rows moved, a sheet saved as .doc and one printed to PDF
(both by LibreOffice), a score above the item's maximum, a blank item, a ticked band that disagrees
with the score, an auto item changed, two different sheets from one expert, a sheet of another
center, a sheet whose scoring table was deleted.

The expected aggregate (<panel>.expected.json) is computed here from the points the builder itself
typed, with plain arithmetic and the measures' formulas written out below; it never runs imtc's
panel code (imtc renders the blank sheets only).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from fractions import Fraction
from pathlib import Path
from statistics import median

from docx import Document
from lxml import etree

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLES = ROOT / "samples"  # the submissions whose sheets imtc renders
RUBRICS = ROOT / "imtc" / "templates"
SPREAD = 3  # the panel's default setting
TICK = "■"

ANNEX5 = "annex5-power-battery-2025"
ANNEX2 = "annex2-power-battery"
EXPERTS5 = ["张明", "李华", "王芳", "赵强", "陈静", "刘洋"]
EXPERTS2 = ["郑凯", "冯雪", "何平", "许蕾", "韩冰"]
PLAN_POINTS = [18, 16, 12, 17, 15, 14]  # 二.1 (max 20): spread 6 among the counted five, flagged
ASSIGNED_POINTS = [5, 4, 5, 4, 5, 3]  # 三.1 (max 5)


# --- the rubrics (data) ---------------------------------------------------------------------------------


def rubric_items(name: str) -> list[dict]:
    with open(RUBRICS / f"rubric_{name}.toml", "rb") as f:
        return tomllib.load(f)["items"]


def number_of(key: str) -> str:
    return key.split(".", 1)[1] if key[0] in "二三" else key


# --- imtc renders the blank sheets --------------------------------------------------------------------


def render(tmp: Path, submission: str, previous: str | None = None) -> Path:
    out = tmp / Path(submission).stem
    cmd = [str(Path(sys.executable).parent / "imtc"), "review", str(SAMPLES / submission), "--out", str(out),
           "--db", str(tmp / "store.sqlite")]
    if previous:
        cmd += ["--previous", str(SAMPLES / previous)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return out


def identity(path: Path) -> dict:
    """imtc's identifier of a rendered sheet (docProps/custom.xml)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("docProps/custom.xml"))
    return json.loads("".join(root.itertext()))


def prefilled(path: Path) -> dict[str, int]:
    """The auto items' points imtc wrote."""
    return identity(path)["auto"]


# --- filling a sheet ----------------------------------------------------------------------------------


def set_cell(cell, text: str) -> None:
    """The cell's first paragraph holds `text`, the others are removed (the 自动 note goes too)."""
    paras = cell.paragraphs
    for p in paras[1:]:
        p._p.getparent().remove(p._p)
    p = paras[0]
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    if p.runs:
        p.runs[0].text = text
    else:
        p.add_run(text)


def tick(cell, band_points: str) -> None:
    """Tick the band whose line starts with `band_points` (e.g. "2分"): □ -> ■; every other band unticked."""
    for p in cell.paragraphs:
        text = p.text
        if text[:1] not in "□■":
            continue
        mark = TICK if text[1:].strip().startswith(band_points) else "□"
        runs = p.runs
        if runs and runs[0].text[:1] in "□■":
            runs[0].text = mark + runs[0].text[1:]


def sign(doc, name: str) -> None:
    for p in doc.paragraphs:
        if p.text.startswith("评审专家（签名）："):
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = f"评审专家（签名）：{name}    评价日期：2025年12月10日"
            return
    raise AssertionError("no signature line")


def item_rows(table) -> dict[str, object]:
    """number -> the item row (rows whose 序号 is an item's number; 二.1 and 三.1 are both "1": by title)."""
    out = {}
    for row in table.rows[1:]:
        cells = row.cells
        number, title = cells[0].text.strip(), cells[1].text.strip()
        if number and number.count(".") >= 2 or number == "1" or number in ("4.1", "5.1"):
            out[(number, title)] = row
    return out


def annex5_points(items: list[dict], auto: dict[str, int], e: int) -> dict[str, int]:
    """What expert e scores: auto items as imtc pre-filled them, the others a pattern below the maximum."""
    out = {}
    for i, item in enumerate(items):
        key, top = item["key"], item["max"]
        if key == "二.1":
            out[key] = PLAN_POINTS[e]
        elif key == "三.1":
            out[key] = ASSIGNED_POINTS[e]
        elif key in auto:
            out[key] = auto[key]
        else:
            out[key] = max(0, top - (i + e) % 3)
    return out


def band_for(item: dict, points: int) -> str:
    for b in item["bands"]:
        lo = b.get("points", b.get("points_min"))
        hi = b.get("points", b.get("points_max"))
        if lo <= points <= hi:
            return b["text"].split()[0]
    raise AssertionError((item["key"], points))


def fill_annex5(src: Path, target: Path, items: list[dict], points: dict[str, object], *, name: str | None,
                style: str = "plain", ticks: dict[str, str] | None = None, move_rows: bool = False,
                comment: tuple[str, str] | None = None) -> None:
    doc = Document(str(src))
    table = doc.tables[0]
    rows = item_rows(table)
    by_title = {(number_of(it["key"]), it["title"]): it for it in items}
    for (number, title), row in rows.items():
        item = by_title[(number, title)]
        value = points.get(item["key"])
        cells = row.cells
        text = "" if value is None else fmt(value, style)
        set_cell(cells[3], text)
        if value is not None and isinstance(value, int) and item["bands"]:
            tick(cells[4], (ticks or {}).get(item["key"]) or band_for(item, min(value, item["max"])))
        if comment and item["key"] == comment[0]:
            doc.add_comment(cells[3].paragraphs[0].runs, text=comment[1], author=name or "", initials="")
    if move_rows:  # three item rows taken out and put back elsewhere, as an expert dragging rows does
        tbl = table._tbl
        trs = [rows[k]._tr for k in (("1.1.1", "产业计量测试需求分析"), ("2.5.4", "学术论文和著作发布情况"),
                                     ("1", "省市场监管局交办任务完成情况"))]
        anchor = table.rows[2]._tr
        for tr in trs:
            tbl.remove(tr)
        anchor.addnext(trs[1])
        table.rows[10]._tr.addnext(trs[0])
        table.rows[40]._tr.addnext(trs[2])
    if name:
        sign(doc, name)
    doc.save(str(target))


def fmt(value: object, style: str) -> str:
    if not isinstance(value, int):
        return str(value)
    if style == "units":  # "8分", full-width "８分", "得分：7"
        full = str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        return [f"{value}分", f"{full}分", f"得分：{value}", full][value % 4]
    return str(value)


def delete_table(src: Path, target: Path, name: str) -> None:
    doc = Document(str(src))
    tbl = doc.tables[0]._tbl
    tbl.getparent().remove(tbl)
    sign(doc, name)
    doc.save(str(target))


def libreoffice(src: Path, fmt_: str, target: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice is needed to build the .doc and PDF sheets")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", fmt_,
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=300)
        shutil.move(str(Path(tmp) / (src.stem + "." + fmt_)), target)


# --- the expected aggregate, by hand ----------------------------------------------------------------------


def num(x: Fraction | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if x.denominator == 1 else round(float(x), 4)


def expected_items(items: list[dict], by_expert: dict[str, dict[str, int | None]]) -> list[dict]:
    out = []
    for item in items:
        scores = {e: p.get(item["key"]) for e, p in by_expert.items()}
        given = [Fraction(v) for v in scores.values() if v is not None]
        row = {"key": item["key"], "n": len(given), "scores": scores}
        if given:
            row.update(mean=num(sum(given) / len(given)), median=num(Fraction(median(given))), min=num(min(given)),
                       max_given=num(max(given)), spread=num(max(given) - min(given)),
                       flagged=max(given) - min(given) > SPREAD)
        out.append(row)
    return out


def total5(items: list[dict], points: dict[str, Fraction | None]) -> tuple[Fraction | None, str | None]:
    """后续评价总得分 = 工作开展情况得分×75% + 下年度工作计划得分 + 交办任务得分; 优秀 ≥85 (交办任务 ≥4), 合格 ≥60."""
    if any(points.get(it["key"]) is None for it in items):
        return None, None
    work = sum(points[it["key"]] for it in items if it["part"] == "work")
    total = Fraction(work) * Fraction(3, 4) + points["二.1"] + points["三.1"]
    grade = "优秀" if total >= 85 and points["三.1"] >= 4 else "合格" if total >= 60 else "不合格"
    return total, grade


def total2(items: list[dict], points: dict[str, Fraction | None]) -> tuple[Fraction | None, str | None]:
    """评价总得分 = 申请书评价得分×60% + 现场核查得分×40%; 优秀 ≥90, 合格 ≥75; 加分项不计入."""
    if any(points.get(it["key"]) is None for it in items if it["part"] != "bonus"):
        return None, None
    app = sum(points[it["key"]] for it in items if it["part"] == "application")
    site = sum(points[it["key"]] for it in items if it["part"] == "site")
    total = Fraction(app) * Fraction(3, 5) + Fraction(site) * Fraction(2, 5)
    return total, "优秀" if total >= 90 else "合格" if total >= 75 else "不合格"


def expected(items: list[dict], by_expert: dict[str, dict[str, int | None]], total, sheets: dict[str, list[str]],
             panel_findings: list[str], *, rubric: str, center: str, year: int | None) -> dict:
    agg = expected_items(items, by_expert)
    means = {a["key"]: (sum(Fraction(v) for v in a["scores"].values() if v is not None) / a["n"]) if a["n"] else None
             for a in agg}
    t, g = total(items, means)
    experts = {}
    for e, p in by_expert.items():
        et, eg = total(items, {k: (Fraction(v) if v is not None else None) for k, v in p.items()})
        experts[e] = {"total": num(et), "grade": eg}
    return {"rubric": rubric, "center": center, "year": year, "experts": list(by_expert), "spread_threshold": SPREAD,
            "items": agg, "expert_totals": experts, "total": num(t), "grade": g,
            "sheets": sheets, "panel_findings": sorted(panel_findings)}


# --- the panels ---------------------------------------------------------------------------------------------


def build_annex5(tmp: Path, out: Path) -> None:
    items = rubric_items("annex5")
    folder = render(tmp, "report-power-battery-2025.docx", "report-power-battery-2024.docx")
    blank = folder / "report-power-battery-2025-附件5-后续评价细则.docx"
    other = render(tmp, "report-integrated-circuit-2025.docx", "report-integrated-circuit-2024.docx")
    other_blank = other / "report-integrated-circuit-2025-附件5-后续评价细则.docx"
    auto = prefilled(blank)
    panel = out / ANNEX5
    shutil.rmtree(panel, ignore_errors=True)
    panel.mkdir(parents=True)
    pts = {e: annex5_points(items, auto, i) for i, e in enumerate(EXPERTS5)}
    sheets: dict[str, list[str]] = {}
    # 张明: plain digits, a Word comment on 1.1.1
    fill_annex5(blank, panel / "张明-附件5.docx", items, pts["张明"], name="张明",
                comment=("1.1.1", "需求报告未见产业专家评审意见，按1分档考虑。"))
    sheets["张明-附件5.docx"] = []
    # 李华: units and full-width digits
    fill_annex5(blank, panel / "李华-附件5.docx", items, pts["李华"], name="李华", style="units")
    sheets["李华-附件5.docx"] = []
    # 王芳: rows moved, saved as .doc
    fill_annex5(blank, tmp / "王芳-附件5.docx", items, pts["王芳"], name="王芳", move_rows=True)
    libreoffice(tmp / "王芳-附件5.docx", "doc", panel / "王芳-附件5.doc")
    sheets["王芳-附件5.doc"] = []
    # 赵强: no signature (the name is in the file name), printed to PDF
    fill_annex5(blank, tmp / "附件5-赵强.docx", items, pts["赵强"], name=None)
    libreoffice(tmp / "附件5-赵强.docx", "pdf", panel / "附件5-赵强.pdf")
    sheets["附件5-赵强.pdf"] = []
    # 陈静: a score above the maximum, a blank item, a band disagreeing, an auto item changed
    chen = dict(pts["陈静"])
    chen["1.5.1"] = 6  # max 4
    chen["3.1.1"] = None  # blank
    chen["1.1.1"] = 1  # ticked as 2分 below
    chen["1.2.1"] = auto["1.2.1"] + 1  # imtc computed it; the expert disagrees
    fill_annex5(blank, panel / "陈静-附件5.docx", items, chen, name="陈静", ticks={"1.1.1": "2分"})
    sheets["陈静-附件5.docx"] = sorted(["panel-score-above-max", "panel-item-blank", "panel-band-mismatch",
                                      "panel-auto-changed"])
    counted_chen = dict(chen)
    counted_chen["1.5.1"] = None  # not counted
    # 刘洋: two different sheets
    fill_annex5(blank, panel / "刘洋-附件5.docx", items, pts["刘洋"], name="刘洋")
    second = dict(pts["刘洋"])
    second["二.1"] = 19
    fill_annex5(blank, panel / "刘洋-附件5-修改稿.docx", items, second, name="刘洋")
    sheets["刘洋-附件5.docx"] = ["panel-duplicate-expert"]
    sheets["刘洋-附件5-修改稿.docx"] = ["panel-duplicate-expert"]
    # 孙丽: another center's sheet
    other_auto = prefilled(other_blank)
    fill_annex5(other_blank, panel / "孙丽-附件5.docx", items, annex5_points(items, other_auto, 2), name="孙丽")
    sheets["孙丽-附件5.docx"] = ["panel-other-center"]
    # 周伟: the scoring table deleted
    delete_table(blank, panel / "周伟-附件5.docx", "周伟")
    sheets["周伟-附件5.docx"] = ["panel-table-missing"]

    files = {"张明": "张明-附件5.docx", "李华": "李华-附件5.docx", "王芳": "王芳-附件5.doc", "赵强": "附件5-赵强.pdf",
             "陈静": "陈静-附件5.docx"}
    counted = {e: counted_chen if e == "陈静" else pts[e] for e in sorted(files, key=files.get)}  # the panel reads files sorted
    agg_flags = [f"panel-spread:{it['key']}" for it in expected_items(items, counted) if it.get("flagged")]
    data = expected(items, counted, total5, sheets, agg_flags, rubric="annex5",
                    center="浙江省动力电池产业计量测试中心", year=2025)
    write_json(out / f"{ANNEX5}.expected.json", data)


def build_annex2(tmp: Path, out: Path) -> None:
    items = rubric_items("annex2")
    folder = render(tmp, "power-battery.docx")
    blank = folder / "power-battery-附件2-建设评价细则表1表2.docx"
    panel = out / ANNEX2
    shutil.rmtree(panel, ignore_errors=True)
    panel.mkdir(parents=True)
    by_expert = {}
    for e, name in enumerate(EXPERTS2):
        # the fifth expert is 4 points lower on the first two items: those spreads exceed the setting
        points = {it["key"]: max(0, it["max"] - (i + e) % 3 - (e == 4 and i < 2) * 4) for i, it in enumerate(items)}
        by_expert[name] = points
        doc = Document(str(blank))
        for t, part in ((doc.tables[0], ("application", "bonus")), (doc.tables[1], ("site",))):
            titles = {it.get("title") or it["key"].split("/")[-1]: it for it in items if it["part"] in part}
            for row in t.rows[1:]:
                cells = row.cells
                title = cells[-3].text.strip()
                bare = title.split("（")[0]
                if bare in titles and title.endswith("分）"):
                    value = points[titles[bare]["key"]]
                    set_cell(cells[-1], f"{value}分" if e % 2 else str(value))
                elif cells[0].text.startswith("专家签名"):
                    set_cell(cells[0], f"专家签名：{name}")
        doc.save(str(panel / f"{name}-附件2表1表2.docx"))
    by_expert = dict(sorted(by_expert.items(), key=lambda kv: f"{kv[0]}-附件2表1表2.docx"))  # the panel reads files sorted
    sheets = {f"{n}-附件2表1表2.docx": [] for n in EXPERTS2}
    flags = [f"panel-spread:{it['key']}" for it in expected_items(items, by_expert) if it.get("flagged")]
    data = expected(items, by_expert, total2, sheets, flags, rubric="annex2", center="浙江省动力电池产业计量测试中心",
                    year=identity(blank)["year"])  # an application's year: its submission year
    write_json(out / f"{ANNEX2}.expected.json", data)


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="imtc-panel-samples-") as tmp:
        build_annex5(Path(tmp), args.out)
        build_annex2(Path(tmp), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
