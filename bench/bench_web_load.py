"""How many simultaneous uploads `imtc serve` takes on this machine with pages still under 200 ms.

    python bench/bench_web_load.py [--levels 10,25,50,100] [--jobs 2] [--window 20]

Against 127.0.0.1 only, bounded, and it stops by itself. For each level N: a fresh `imtc serve`
(a temporary data folder and database, `--jobs` worker processes, one serving process) on a free
loopback port; N clients upload a real sample (samples/power-battery.docx, 51 kB) at the same moment
(a barrier, in a process of their own); meanwhile one client asks for pages one after another — the home page, the first
upload's waiting page, the desk's login page — for `--window` seconds from the burst; then the
server is stopped (the backlog with it). Printed per level: the uploads' answers (303 queued, 503
queue full) and times, the pages' p50 / p95 / max and how many took over 200 ms (with when, in
seconds from the burst), and the load average before and after (the machine may be shared). Level 0
(no uploads) is the control: what the machine's own load does to the pages.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from multiprocessing.synchronize import Event
from pathlib import Path
from queue import Queue

import httpx

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "power-battery.docx"
LIMIT_MS = 200.0
MAX_LEVEL = 200  # bounded: never more clients than this


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, jobs: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {"IMTC_DESK_PASSWORD": "bench-password-123", "IMTC_DB": f"sqlite:///{folder / 'db.sqlite'}",
                        "IMTC_WEB_MAX_QUEUE": "100"}
    imtc = Path(sys.executable).parent / "imtc"
    proc = subprocess.Popen([str(imtc), "serve", "--host", "127.0.0.1", "--port", str(port), "--jobs", str(jobs),
                             "--data", str(folder / "data")], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def uploaders(base: str, n: int, data: bytes, ready: Event, go: Event, out: Queue) -> None:
    """N clients uploading at the same moment, in a process of their own: the probe's times are then
    not its waits for this process's interpreter lock."""
    barrier = threading.Barrier(n + 1)
    uploads: list[tuple[int, float, str]] = []
    lock = threading.Lock()

    def upload(i: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as c:
            barrier.wait()
            t0 = time.perf_counter()
            r = c.post("/check", files={"file": (f"草稿{i}.docx", data)})
            with lock:
                uploads.append((r.status_code, (time.perf_counter() - t0) * 1000, r.headers.get("location", "")))
                if r.status_code == 303 and sum(1 for code, _, _ in uploads if code == 303) == 1:
                    out.put(("first", uploads[-1][2]))

    threads = [threading.Thread(target=upload, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    while barrier.n_waiting < n:
        time.sleep(0.01)
    ready.set()
    go.wait()
    barrier.wait()
    for t in threads:
        t.join(120)
    out.put(("done", uploads))


def level(n: int, jobs: int, window: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="imtc-load-"))
    proc, base = start_server(folder, jobs)
    ctx = multiprocessing.get_context("fork")
    ready, go, out = ctx.Event(), ctx.Event(), ctx.Queue()
    child = ctx.Process(target=uploaders, args=(base, n, SAMPLE.read_bytes(), ready, go, out), daemon=True)
    child.start()
    ready.wait(60)
    load_before = os.getloadavg()
    uploads: list[tuple[int, float, str]] | None = None
    pages: list[float] = []
    slow: list[tuple[float, float, str]] = []  # (seconds from the burst, ms, which) of the pages over the limit
    with httpx.Client(base_url=base, timeout=60) as probe:
        go.set()
        start = time.monotonic()
        urls = ["/", "/desk/login"]
        while time.monotonic() - start < window:
            while uploads is None and not out.empty():
                kind, value = out.get()
                if kind == "first":
                    urls.append(value)  # the first upload's waiting page
                else:
                    uploads = value
            url = urls[len(pages) % len(urls)]
            t0 = time.perf_counter()
            probe.get(url)
            pages.append((time.perf_counter() - t0) * 1000)
            if pages[-1] > LIMIT_MS:
                slow.append((time.monotonic() - start, pages[-1], "waiting" if url.startswith("/c/") else url))
            time.sleep(0.05)
    while uploads is None:
        kind, value = out.get(timeout=180)
        if kind == "done":
            uploads = value
    child.join(10)
    load_after = os.getloadavg()
    stop_server(proc)
    shutil.rmtree(folder, ignore_errors=True)
    times = [ms for _, ms, _ in uploads] or [0.0]
    return {"n": n, "queued": sum(1 for c, _, _ in uploads if c == 303),
            "full": sum(1 for c, _, _ in uploads if c == 503), "other": sum(1 for c, _, _ in uploads if c not in (303, 503)),
            "upload_p50": statistics.median(times), "upload_max": max(times),
            "pages": len(pages), "p50": statistics.median(pages), "p95": percentile(pages, 0.95), "max": max(pages),
            "over": len(slow), "slow": slow, "load_before": load_before[0], "load_after": load_after[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="10,25,50,100")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--window", type=float, default=20.0)
    args = parser.parse_args()
    levels = [max(0, min(MAX_LEVEL, int(x))) for x in args.levels.split(",")]
    print(f"cores: {os.cpu_count()}, jobs: {args.jobs}, window: {args.window:g} s, sample: {SAMPLE.name}")
    print("uploads  queued/full/other  upload p50/max ms  pages  page p50/p95/max ms  >200ms  load 1-min before→after  over 200 ms at")
    for n in levels:
        r = level(n, args.jobs, min(args.window, 60.0))
        print(f"{r['n']:7d}  {r['queued']:6d}/{r['full']}/{r['other']}  {r['upload_p50']:8.0f}/{r['upload_max']:6.0f}"
              f"  {r['pages']:5d}  {r['p50']:6.0f}/{r['p95']:5.0f}/{r['max']:6.0f}  {r['over']:6d}"
              f"  {r['load_before']:.2f}→{r['load_after']:.2f}"
              f"  {' '.join(f'{t:.1f}s:{ms:.0f}({u})' for t, ms, u in r['slow'])}", flush=True)


if __name__ == "__main__":
    main()
