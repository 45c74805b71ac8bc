"""Study tool: cells of the layout variants (tuning half only) whose text differs from the truth in
whitespace only, grouped by class × producer and by cause (which join put or lost the space).

    python bench/study_spaces.py [--seeds 32] [--out bench/out/layouts] [--show N] [--cause CAUSE]

Variants are those bench/bench_layouts.py made (made here when missing). Each join of two lines of
a cell (pdf_reader.cell_text) is recorded with the separator it chose and why; each join of a cell's
parts cut by a page break (tables._join_text) too. A difference is put down to the join at its place.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "bench"))

JOINS: list[tuple[str, list[tuple[int, str, str]]]] = []  # (squashed text, [(offset, sep, why)])
LINES: list[tuple[str, list[tuple[int, Any, Any, float, str | None]]]] = []  # (squashed, [(offset, prev, nxt, right, sep)])
PAGE_JOINS: list[tuple[str, str, str]] = []  # (a, b, joined)


def sq(s: str) -> str:
    return "".join(s.split())


def instrument() -> None:
    from imtc.extract import pdf_reader, pdf_stream, tables

    def cell_text(lines: list[Any], right: float, width: float | None = None, cues: Any = None) -> str:
        out = ""
        joins: list[tuple[int, str, str]] = []
        lj: list[tuple[int, Any, Any, float, str | None]] = []
        for i, ln in enumerate(lines):
            if i:
                prev = lines[i - 1]
                r = right if width is None else prev.x0 + width
                sep = pdf_reader.line_separator(lines, i, right, width, cues)
                room = r - prev.x1
                why = (f"room={room:.1f} need={max(ln.first_token_width(), ln.first_group_width()):.1f}"
                       f" sa={int(prev.space_after)} sb={int(ln.space_before)} sp={int(prev.spaces)}"
                       f" | {prev.text[-12:]!r} / {ln.text[:12]!r}")
                joins.append((len(sq(out)), "\\n" if sep is None else repr(sep), why))
                lj.append((len(sq(out)), prev, ln, r, sep, [(round(x.x0, 2), round(x.x1, 2)) for x in lines], i))
                out += "\n" if sep is None else sep
            out += ln.text
        JOINS.append((sq(out), joins))
        LINES.append((sq(out), lj))
        return out

    pdf_reader.cell_text = cell_text
    pdf_stream.cell_text = cell_text
    orig = tables._join_text

    def join_text(a: str | None, b: str | None) -> str | None:
        out = orig(a, b)
        if a and b:
            PAGE_JOINS.append((a, b, out or ""))
        return out

    tables._join_text = join_text


def boundaries(text: str) -> set[int]:
    """Offsets in the squashed text before which the text has whitespace."""
    out, n = set(), 0
    for i, ch in enumerate(text):
        if ch.isspace():
            if i and not text[i - 1].isspace():
                out.add(n)
        else:
            n += 1
    return {b for b in out if 0 < b < n}


def cause_of(got: str, at: int, missing: bool) -> tuple[str, str]:
    s = sq(got)
    for a, b, _ in PAGE_JOINS:
        if sq(a) + sq(b) in s:
            off = s.index(sq(a) + sq(b)) + len(sq(a))
            if off == at:
                return "page-break join", f"{a[-12:]!r} + {b[:12]!r}"
    for text, joins in JOINS:
        if text and text in s:
            base = s.index(text)
            for off, sep, why in joins:
                if base + off == at:
                    return f"line join {sep}", why
    return ("inside a line: space missing" if missing else "inside a line: space added"), ""


def space_width(*lns: Any) -> float | None:
    ws = [c["x1"] - c["x0"] for ln in lns for c in ln.chars if c["text"] == " "]
    return sum(ws) / len(ws) if ws else None


def first_unit(ln: Any) -> float:
    import unicodedata

    from imtc.extract.pdf_reader import NO_LINE_START
    end = 0
    while end + 1 < len(ln.chars) and unicodedata.normalize("NFKC", ln.chars[end + 1]["text"])[:1] in NO_LINE_START:
        end += 1
    return ln.chars[end]["x1"] - ln.chars[0]["x0"]


def record(rows: list[dict[str, Any]], v: Any, where: str, got: str, truth: str) -> None:
    s, tb = sq(got), boundaries(truth)
    for text, lj in LINES:
        if not text or text not in s or not lj:
            continue
        base = s.index(text)
        for off, prev, nxt, right, sep, ext, idx in lj:
            rows.append({
                "seed": v.seed, "cls": v.cls, "producer": v.producer, "where": where, "space": base + off in tb,
                "sep": sep, "a": prev.chars[-1]["text"], "b": nxt.chars[0]["text"], "prev": prev.text[-15:],
                "next": nxt.text[:15], "room": round(right - prev.x1, 2), "avail": round(right - prev.x0, 2),
                "c1": round(nxt.chars[0]["x1"] - nxt.chars[0]["x0"], 2), "tok": round(nxt.first_token_width(), 2),
                "grp": round(nxt.first_group_width(), 2), "last": round(prev.last_token_width(), 2),
                "sw": space_width(prev, nxt), "size": prev.size, "sa": prev.space_after, "sb": nxt.space_before,
                "px": [round(prev.x0, 2), round(prev.x1, 2)], "nx": [round(nxt.x0, 2), round(nxt.x1, 2)],
                "right": round(right, 2), "ext": ext, "idx": idx, "c1g": round(first_unit(nxt), 2),
                "ntext": nxt.text, "ptext": prev.text})
        return


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=32)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "layouts")
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--cause", default=None, help="show every example of causes containing this text")
    ap.add_argument("--only", type=int, nargs="*")
    ap.add_argument("--joins", type=Path, default=None, help="write every line join of the cells, with its features "
                    "and whether the truth has a space there, to this JSON-lines file")
    args = ap.parse_args()
    os.environ.setdefault("IMTC_DOCUMENT_CACHE", "off")
    import layouts
    from bench_layouts import cells, written

    instrument()
    from imtc.pipeline import check_file

    by_group: Counter[tuple[str, str]] = Counter()
    by_cause: Counter[tuple[str, str, str]] = Counter()
    examples: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    total = 0
    rows: list[dict[str, Any]] = []
    for seed in args.only if args.only is not None else range(0, args.seeds, 2):
        v = layouts.variant(seed)
        assert v.half == "tune"
        pdf = args.out / f"{v.name}.pdf"
        if not pdf.exists():
            layouts.make(v, args.out)
        expected = json.loads((args.out / f"{v.name}.expected.json").read_text("utf-8"))
        JOINS.clear()
        PAGE_JOINS.clear()
        LINES.clear()
        got = check_file(pdf).model_dump(mode="json")
        for kind, table in expected["tables"].items():
            have = got["tables"].get(kind, {})
            tw, gw = cells(table, written), cells(have, written)
            for k, t in tw.items():
                total += 1
                g = gw.get(k)
                if args.joins is not None and g is not None and sq(g) == sq(t):
                    record(rows, v, f"{kind}.{k[0]}.{k[1]}", g, t)
                if g is None or g == t or sq(g) != sq(t):
                    continue
                by_group[(v.cls, v.producer)] += 1
                tb, gb = boundaries(t), boundaries(g)
                for at in sorted(tb ^ gb):
                    missing = at in tb
                    cause, why = cause_of(g, at, missing)
                    key = (v.cls, v.producer, f"{'lost' if missing else 'added'} / {cause}")
                    by_cause[key] += 1
                    examples[key].append(f"{v.seed:3d} {kind}.{k[0]}.{k[1]}: {g!r} for {t!r}  [{why}]")
    if args.joins is not None:
        args.joins.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{sum(by_group.values())} cells of {total} differ in whitespace only")
    for key, n in sorted(by_group.items()):
        print(f"  {' / '.join(key):28} {n}")
    print("differences by cause:")
    for key, n in by_cause.most_common():
        print(f"{n:5d}  {' / '.join(key)}")
        show = examples[key] if args.cause and args.cause in key[2] else examples[key][: args.show]
        for ex in show:
            print("        " + ex)


if __name__ == "__main__":
    main()
