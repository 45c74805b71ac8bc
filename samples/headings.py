"""Top-level headings as other hands write them (issue 15): variants of the sample documents with
some top-level headings reworded, or two merged into one, by seed.

    python samples/headings.py [--out DIR] [--seeds 16]

Each seed gives one .docx or PDF: a sample application (annex 1) or annual report (annex 4) of
samples/content/, headings in Word's heading styles or bold, every top-level heading numbered in
one form (一、 一． 第一部分 第一章),
and one to three top-level headings changed by slot fillers drawn from the seed:

- reworded: words swapped for ones a writer uses instead (现状 → 状况, 计划 → 安排 …), a qualifier
  added (本中心, 关于, 的主要), a part joined by 及/与/和 dropped, or two parts swapped; the number kept;
- merged: a heading and the next one written as one ("一、产业界定与范围及必要性"), the second's own
  heading left out; then, or not, the headings after it numbered again from there.

Seed s: kind = application for (s // 2) % 2 == 0, annual report otherwise; producer = the .docx
for (s // 4) % 2 == 0, else the .docx printed to PDF by LibreOffice (as the sample builder runs it);
half = "tune" for an even seed, "held" for an odd one. The truth (<name>.expected.json) is build.py's from the blocks
as the template has them (a merged section shares the heading's content, so its status is the one
it has unmerged), with `changed`: each changed section's key and how ("reworded" or "merged", the
one swallowed). Made at bench time (bench/bench_headings.py) into bench/out/headings (gitignored).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import tomllib
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build  # noqa: E402  (blocks, render and the truth)

CN = "一二三四五六七八九十"
PRODUCERS = ("docx", "lo-pdf")  # the .docx itself; the .docx printed to PDF by LibreOffice
NUMBERINGS = ("{n}、", "{n}．", "第{n}部分 ", "第{n}章 ")
SWAPS = {  # a word of a template title -> what a writer may put instead
    "现状": ("状况", "情况"), "状况": ("现状", "情况", "概况"), "发展": ("建设", "进展"), "计划": ("安排", "规划"),
    "目标": ("任务", "目的"), "需求": ("要求", "需要"), "能力": ("水平", "实力"), "建设": ("构建", "筹建"),
    "条件": ("基础", "资源"), "产业": ("行业",), "意义": ("作用", "价值"), "总结": ("小结", "回顾"),
    "问题": ("困难",), "建议": ("意见",), "概算": ("预算", "估算"), "来源": ("筹措", "渠道"),
    "进度": ("进度安排", "时间表"), "落实": ("完成",), "交办": ("布置",), "分析": ("研究", "评估"),
}
QUALIFIERS = ("本中心{t}", "关于{t}", "{t}情况", "{t}的主要内容", "中心{t}")
JOINS = re.compile(r"(及|与|和|、)")


def cn_number(n: int) -> str:
    return CN[n - 1] if n <= 10 else "十" + CN[n - 11]


def reworded(title: str, rng: random.Random) -> str:
    """The title as another hand writes it: a different string that means the same."""
    ops = ["swap", "qualify", "drop", "order"]
    rng.shuffle(ops)
    for op in ops:
        if op == "swap":
            words = [w for w in SWAPS if w in title]
            if words:
                w = rng.choice(words)
                return title.replace(w, rng.choice(SWAPS[w]), 1)
        elif op == "qualify":
            return rng.choice(QUALIFIERS).format(t=title)
        else:
            parts = JOINS.split(title)
            if len(parts) >= 3:
                if op == "drop":
                    keep = rng.choice((0, len(parts) - 1))
                    return parts[keep] if len(parts[keep]) >= 4 else parts[0] + parts[-1]
                return "".join([parts[-1], parts[1], *parts[2:-1], parts[0]])
    return "本中心" + title


def merged(first: str, second: str, rng: random.Random) -> str:
    return first + rng.choice(("及", "与", "和")) + second


def variant(seed: int) -> dict:
    """The seed's choices: kind, content, numbering, and the changes {key: "reworded" | "merged"}."""
    rng = random.Random(seed)
    kind = "application" if (seed // 2) % 2 == 0 else "annual_report"
    contents = sorted(p.stem for p in (HERE / "content").glob("*.toml")
                      if tomllib.loads(p.read_text("utf-8"))["kind"] == kind)
    layout = build.LAYOUTS[kind]
    tops = [s["key"] for s in layout["sections"] if "." not in s["key"]]
    n_changes = rng.choice((1, 2, 3)) if kind == "application" else 1
    picked: dict[str, str] = {}
    for key in rng.sample(tops[:-1], len(tops) - 1):
        if sum(c != "host" for c in picked.values()) >= n_changes:
            break
        nxt = tops[tops.index(key) + 1]
        if key in picked or nxt in picked:
            continue
        if rng.random() < 0.4:
            picked[nxt] = "merged"  # key's heading swallows nxt's
            picked.setdefault(key, "host")
        else:
            picked[key] = "reworded"
    return {"seed": seed, "half": "tune" if seed % 2 == 0 else "held", "kind": kind,
            "producer": PRODUCERS[(seed // 4) % 2],
            "content": rng.choice(contents), "numbering": rng.choice(NUMBERINGS),
            "renumber": rng.random() < 0.5, "changes": picked, "headings": rng.choice(("styles", "bold")),
            "rng": rng.random()}


def name_of(v: dict) -> str:
    return f"heading-{v['seed']:03d}-{v['kind'].replace('_', '-')}-{v['producer']}"


def file_of(v: dict, out: Path) -> Path:
    return out / f"{name_of(v)}.{'docx' if v['producer'] == 'docx' else 'pdf'}"


def blocks_of(v: dict) -> tuple[list, list, dict]:
    """(the blocks as the template has them, the blocks as written, the content)"""
    content = tomllib.loads((HERE / "content" / f"{v['content']}.toml").read_text("utf-8"))
    style = replace(build.STYLES.get(content["slug"], build.Style()), headings=v["headings"])
    make = build.application_blocks if v["kind"] == "application" else build.report_blocks
    template, written = make(content, style), make(content, style)
    rng = random.Random(v["rng"])
    titles = {b.key: b.title for b in template if isinstance(b, build.Heading)}
    tops = [b.key for b in template if isinstance(b, build.Heading) and b.level == 1]
    out, shift = [], 0
    for b in written:
        if not isinstance(b, build.Heading) or b.level != 1:
            out.append(b)
            continue
        change = v["changes"].get(b.key)
        if change == "merged":
            shift += 1 if v["renumber"] else 0
            continue
        number = int(b.key) - shift
        title = b.title
        if change == "reworded":
            title = reworded(title, rng)
        elif change == "host":
            title = merged(title, titles[tops[tops.index(b.key) + 1]], rng)
        out.append(replace(b, label=v["numbering"].format(n=cn_number(number)), title=title))
    return template, out, content


def make(v: dict, out: Path) -> Path:
    """The variant's .docx (or its PDF) and <name>.expected.json in out; the document's path."""
    out.mkdir(parents=True, exist_ok=True)
    template, written, content = blocks_of(v)
    name, meta = name_of(v), build.meta_of(content)
    style = replace(build.STYLES.get(content["slug"], build.Style()), headings=v["headings"])
    path = file_of(v, out)
    with tempfile.TemporaryDirectory(prefix="imtc-headings-") as tmp:
        docx = out / f"{name}.docx" if v["producer"] == "docx" else Path(tmp) / f"{name}.docx"
        build.render(written, v["kind"], style, docx, author=meta["applicant"] or "", title=meta["center_name"] or "")
        if v["producer"] == "lo-pdf":
            import libreoffice

            libreoffice.session().convert(docx, "pdf", tmp)
            path.write_bytes(libreoffice.steady_pdf(build.pin_pdf((Path(tmp) / f"{name}.pdf").read_bytes())))
    truth = build.expected(name, v["kind"], meta, template, []) | {"file": path.name}
    changed = {k: c for k, c in v["changes"].items() if c != "host"}
    build.write_json(out / f"{name}.expected.json",
                     truth | {"variant": {k: x for k, x in v.items() if k != "rng"}, "changed": changed})
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE.parent / "bench" / "out" / "headings")
    ap.add_argument("--seeds", type=int, default=16)
    args = ap.parse_args(argv)
    for seed in range(args.seeds):
        print(make(variant(seed), args.out))


if __name__ == "__main__":
    main()
