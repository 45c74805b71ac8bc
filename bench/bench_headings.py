"""Top-level headings reworded or merged (samples/headings.py) as imtc's outline reads them, per kind and half.

    python bench/bench_headings.py [--seeds 64] [--start 0] [--out bench/out/headings] [--files] [--half tune|held]

Generates the variants not in --out yet (python-docx; LibreOffice for the PDFs, seconds each), runs imtc on each (imtc.pipeline.check_file)
and compares with the generator's truth:

- sections: the share of outline sections whose status (present, empty, missing) is the truth's;
- files exact: files whose every section status is the truth's;
- changed right: top-level sections the generator reworded or merged away whose status is the truth's;
- warned: those changed sections that imtc reads with the warning `heading-guessed`, on the section or,
  merged, on the one whose heading swallowed it (a change close enough to the template's title is read
  without one: no warning is needed there);
- false alarms: `heading-guessed` on a section the generator did not change.

Printed per kind × producer × half (tune: even seeds, held: odd seeds). --files prints each file of the tuning
half (the held-out half is not looked at file by file unless --half held).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "bench"))


def score(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, int]:
    status = {s["key"]: s["status"] for s in got["sections"]}
    warned = {f["location"].get("section") for f in got["findings"] if f["code"] == "heading-guessed"}
    changed = expected["changed"]
    changes = expected["variant"]["changes"]
    hosts = {k for k, c in changes.items() if c == "host"}  # a merged heading: warned on either of its two
    host_of = {k: max(h for h in hosts if int(h) < int(k)) for k, c in changed.items() if c == "merged"}
    s: dict[str, int] = defaultdict(int)
    s["sections"] = len(expected["sections"])
    s["sections_right"] = sum(status.get(k) == v for k, v in expected["sections"].items())
    s["files_exact"] = s["sections_right"] == s["sections"]
    s["changed"] = len(changed)
    s["changed_right"] = sum(status.get(k) == expected["sections"][k] for k in changed)
    s["warned"] = sum(k in warned or host_of.get(k) in warned for k in changed)
    s["false_alarms"] = len(warned - set(changed) - hosts)
    return s


def line(label: str, s: dict[str, int]) -> str:
    share = s["sections_right"] / s["sections"] if s["sections"] else 0.0
    return (f"{label:28} {s['files']:5d} {share:8.4f} {s['files_exact']:5d}/{s['files']:<5d}"
            f" {s['changed_right']:5d}/{s['changed']:<5d} {s['warned']:5d}/{s['changed']:<5d} {s['false_alarms']:6d}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=64, help="seeds below this one")
    ap.add_argument("--start", type=int, default=0, help="first seed")
    ap.add_argument("--half", choices=("tune", "held"), default=None,
                    help="run only this half's seeds and print its files with --files")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "headings")
    ap.add_argument("--files", action="store_true", help="also print each file's figures and what it read wrong")
    args = ap.parse_args()
    import headings
    from bench_layouts import clear_if_stale

    clear_if_stale(args.out, prefix="heading-", sources=("headings.py", "build.py", "docxgen.py", "libreoffice.py", "content", "layout"))
    os.environ.setdefault("IMTC_DOCUMENT_CACHE", "off")
    from imtc.pipeline import check_file

    groups: dict[tuple[str, str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for seed in range(args.start, args.seeds):
        v = headings.variant(seed)
        if args.half and v["half"] != args.half:
            continue
        path = headings.file_of(v, args.out)
        if not path.exists():
            headings.make(v, args.out)
        expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
        got = check_file(path).model_dump(mode="json")
        s = score(expected, got)
        s["files"] = 1
        for key in ((v["kind"], v["producer"], v["half"]), (v["kind"], "all", v["half"]), ("all", "all", v["half"])):
            for k, n in s.items():
                groups[key][k] += n
        if args.files and v["half"] == (args.half or "tune"):
            status = {x["key"]: x["status"] for x in got["sections"]}
            wrong = {k: (want, status.get(k)) for k, want in expected["sections"].items() if status.get(k) != want}
            print(line(path.stem, s), expected["changed"], "wrong:", wrong, file=sys.stderr)
    print(f"{'kind / producer / half':28} {'files':>5} {'sections':>8} {'files exact':>11} {'changed right':>13} "
          f"{'warned':>11} {'false alarms':>6}")
    for key in sorted(groups):
        print(line(" / ".join(key), groups[key]))


if __name__ == "__main__":
    main()
