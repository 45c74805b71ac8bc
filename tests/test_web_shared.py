"""What several serving processes share through the database: login limits checked and recorded
atomically (proven with parallel attempts against the app in-process), sessions, and the queue of
document work — two app instances on one database behave as one site, and a restart forgets nothing."""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

import httpx  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select, update  # noqa: E402

import imtc.web.routes_desk  # noqa: E402
import imtc.web.work  # noqa: E402
from imtc.web.app import create_app  # noqa: E402
from imtc.web.auth import ACCOUNT_MAX_FAILURES, MAX_FAILURES, hash_password  # noqa: E402
from imtc.web.db import Check, Job, now  # noqa: E402
from imtc.web.jobs import STALE_AFTER_S, JobQueue  # noqa: E402
from imtc.web.settings import Settings  # noqa: E402
from tests.pg import db_url  # noqa: E402, F401

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "power-battery.docx"
PASSWORD = "受理窗口-correct-horse"


@pytest.fixture()
def settings(tmp_path: Path, db_url: str) -> Settings:  # noqa: F811
    """On SQLite, and on PostgreSQL at IMTC_TEST_PG_URL (tests/pg.py)."""
    return Settings(data_dir=tmp_path / "data", db=db_url, desk_password_hash=hash_password(PASSWORD),
                    timeout_s=60, jobs=1)


@pytest.fixture()
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password the app actually checked."""
    checked: list[str] = []
    lock = threading.Lock()
    real = imtc.web.routes_desk.verify_password

    def counting(password: str, stored: str | None) -> bool:
        with lock:
            checked.append(password)
        return real(password, stored)

    monkeypatch.setattr(imtc.web.routes_desk, "verify_password", counting)
    return checked


async def _attempts(app, passwords: list[tuple[str, str]]) -> list[int]:  # noqa: ANN001
    """All at once: (client address, password) each in a client of its own."""

    async def one(address: str, password: str) -> int:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            r = await c.post("/desk/login", data={"password": password})
            return r.status_code

    return list(await asyncio.gather(*(one(a, p) for a, p in passwords)))


def test_parallel_wrong_passwords_are_checked_at_most_five_times(settings: Settings, verifications: list[str]) -> None:
    app = create_app(settings)
    statuses = asyncio.run(_attempts(app, [("10.0.0.1", f"wrong-{i}") for i in range(100)]))
    assert len(verifications) == MAX_FAILURES
    assert sorted(statuses) == [401] * MAX_FAILURES + [429] * (100 - MAX_FAILURES)
    # now even the right password waits, from that address …
    assert asyncio.run(_attempts(app, [("10.0.0.1", PASSWORD)])) == [429]
    # … also after a restart, and in another process on the same database
    with TestClient(create_app(settings), client=("10.0.0.1", 50000)) as other:
        r = other.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 429 and "15 分钟" in r.text
    assert len(verifications) == MAX_FAILURES
    # another address is not locked by this one
    assert asyncio.run(_attempts(app, [("10.0.0.2", PASSWORD)])) == [303]


def test_the_right_password_among_parallel_wrong_ones(settings: Settings, verifications: list[str]) -> None:
    """The audit's case: 99 wrong passwords and the right one at position 21, all at once."""
    app = create_app(settings)
    tries = [("10.0.0.1", f"wrong-{i}") for i in range(99)]
    tries.insert(20, ("10.0.0.1", PASSWORD))
    statuses = asyncio.run(_attempts(app, tries))
    right = statuses[20]
    # the right one logs in only if it came among the first five attempts; never after a lock
    wrong_checked = [p for p in verifications if p != PASSWORD]
    if right == 303:
        assert len(verifications) <= 2 * MAX_FAILURES  # a success gives the address its five places back
    else:
        assert right == 429 and PASSWORD not in verifications and len(wrong_checked) == MAX_FAILURES
    assert statuses.count(401) == len(wrong_checked)


def test_attempts_limited_per_account_from_many_addresses(settings: Settings, verifications: list[str]) -> None:
    app = create_app(settings)
    tries = [(f"10.1.{i}.{j}", f"wrong-{i}-{j}") for i in range(15) for j in range(4)]  # 60 addresses, 1 each
    statuses = asyncio.run(_attempts(app, tries))
    assert len(verifications) == ACCOUNT_MAX_FAILURES
    assert statuses.count(401) == ACCOUNT_MAX_FAILURES and statuses.count(429) == 60 - ACCOUNT_MAX_FAILURES
    assert asyncio.run(_attempts(app, [("10.9.9.9", PASSWORD)])) == [429]  # a new address too: the account waits


def test_login_limit_window_passes(settings: Settings) -> None:
    app = create_app(settings)
    asyncio.run(_attempts(app, [("10.0.0.1", "wrong")] * MAX_FAILURES))
    assert asyncio.run(_attempts(app, [("10.0.0.1", PASSWORD)])) == [429]
    from imtc.web.db import LoginLimit

    with app.state.db.session() as tx:  # 15 minutes later
        tx.execute(update(LoginLimit).values(window_start=now() - timedelta(minutes=16)))
    assert asyncio.run(_attempts(app, [("10.0.0.1", PASSWORD)])) == [303]


# --- two instances on one database -----------------------------------------------------------------


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m
    return m.group(1)


def test_two_instances_share_sessions(settings: Settings) -> None:
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
        r = a.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 303
        b.cookies.update(a.cookies)
        page = b.get("/desk", follow_redirects=False)  # the other process knows the session
        assert page.status_code == 200 and "上传一轮申报材料" in page.text
        token = csrf_of(page.text)
        assert b.post("/desk/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
        assert a.get("/desk", follow_redirects=False).status_code == 303  # ended for both


def test_a_check_queued_on_one_instance_is_seen_on_the_other(settings: Settings) -> None:
    with TestClient(create_app(settings)) as a, TestClient(create_app(settings)) as b:
        with open(SAMPLE, "rb") as f:
            r = a.post("/check", files={"file": ("草稿.docx", f)}, follow_redirects=False)
        link = r.headers["location"]
        for _ in range(1200):  # either instance's worker may take it; b shows it when done
            page = b.get(link)
            if 'http-equiv="refresh"' not in page.text:
                break
            threading.Event().wait(0.2)
        assert "浙江省动力电池产业计量测试中心" in page.text
        with a.app.state.db.session() as tx:
            jobs = list(tx.scalars(select(Job)))
        assert [(j.kind, j.status, j.attempts) for j in jobs] == [("check", "done", 1)]  # taken once


# --- the queue ----------------------------------------------------------------------------------


def test_pages_answer_while_document_work_waits(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads are queued and answered at once; the waiting page shows the place in the queue."""
    release = threading.Event()
    started = threading.Event()
    real = imtc.web.work.Worker.run_check

    def held(self, token: str) -> None:  # noqa: ANN001
        started.set()
        release.wait(60)
        real(self, token)

    monkeypatch.setattr(imtc.web.work.Worker, "run_check", held)
    with TestClient(create_app(settings)) as c:  # jobs=1: one document at a time
        links = []
        for i in range(3):
            with open(SAMPLE, "rb") as f:
                r = c.post("/check", files={"file": (f"草稿{i}.docx", f)}, follow_redirects=False)
            assert r.status_code == 303
            links.append(r.headers["location"])
        assert started.wait(30)
        try:
            assert c.get("/").status_code == 200  # the site answers while the worker is busy
            pages = [c.get(link).text for link in links]
            assert all('<meta http-equiv="refresh" content="3">' in p for p in pages)
            assert "正在读取和检查您的文件" in pages[0]
            assert "下一个就是您的文件" in pages[1]
            assert "前面还有 1 个文件" in pages[2]
            assert c.get(links[0] + "/result.json").status_code == 404  # nothing to download yet
        finally:
            release.set()
        for _ in range(1200):  # all three done before the app (and its database) goes
            if all('http-equiv="refresh"' not in c.get(link).text for link in links):
                break
            threading.Event().wait(0.2)
        assert c.get(links[2] + "/result.json").status_code == 200


def test_full_queue_refuses_uploads(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imtc.web.work.Worker, "start", lambda self: None)  # no worker takes anything
    with TestClient(create_app(settings.model_copy(update={"max_queue": 2}))) as c:
        codes = []
        for i in range(3):
            with open(SAMPLE, "rb") as f:
                codes.append(c.post("/check", files={"file": (f"草稿{i}.docx", f)}, follow_redirects=False))
        assert [r.status_code for r in codes] == [303, 303, 503]
        assert "排队等待检查的文件已达上限（2 个）" in codes[2].text
        assert len(list((settings.data_dir / "checks").iterdir())) == 2  # the refused file was not kept


def test_work_of_a_stopped_process_is_taken_up(settings: Settings) -> None:
    app = create_app(settings)
    db = app.state.db
    queue = JobQueue(db)
    with db.session() as tx:
        tx.add(Check(token="t" * 43, file_name="a.docx", created_at=now(), status="queued"))
        queue.add(tx, "check", "t" * 43)
    taken = queue.take("check", "dead-process")
    assert taken is not None and queue.take("check", "other") is None  # taken once
    assert queue.place("check", "t" * 43) == 0
    assert queue.abandoned() == []  # its heart still beats
    with db.session() as tx:
        tx.execute(update(Job).values(heartbeat_at=now() - timedelta(seconds=STALE_AFTER_S + 1)))
    assert queue.abandoned() == []  # first time: back in the queue
    assert queue.place("check", "t" * 43) == 1
    again = queue.take("check", "other")
    assert again is not None and again.id == taken.id
    with db.session() as tx:
        tx.execute(update(Job).values(heartbeat_at=now() - timedelta(seconds=STALE_AFTER_S + 1)))
    assert [j.ref for j in queue.abandoned()] == ["t" * 43]  # second time: given up
    assert queue.place("check", "t" * 43) is None


# --- imtc serve --workers 2, for real, on 127.0.0.1 ------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_with_two_worker_processes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    import time

    port = _free_port()
    env = os.environ | {"IMTC_DESK_PASSWORD": PASSWORD, "IMTC_DB": f"sqlite:///{tmp_path / 'imtc.sqlite'}"}
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "imtc"), "serve", "--port", str(port), "--workers", "2",
                             "--data", str(tmp_path / "data"), "--jobs", "1"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as c:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if c.get("/").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                threading.Event().wait(0.3)
            while time.monotonic() < deadline and (tmp_path / "serve.log").read_text().count(
                    "Application startup complete") < 2:
                threading.Event().wait(0.3)
            assert (tmp_path / "serve.log").read_text().count("Application startup complete") == 2
            assert c.post("/desk/login", data={"password": PASSWORD}).status_code == 303
            # whichever process answers knows the session (fresh connections spread over both)
            for _ in range(20):
                with httpx.Client(base_url=base, timeout=30, cookies=c.cookies) as fresh:
                    assert fresh.get("/desk").status_code == 200
            with open(SAMPLE, "rb") as f:
                link = c.post("/check", files={"file": ("草稿.docx", f)}).headers["location"]
            while time.monotonic() < deadline + 120:
                page = c.get(link).text
                if 'http-equiv="refresh"' not in page:
                    break
                threading.Event().wait(0.3)
            assert "浙江省动力电池产业计量测试中心" in page
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_retention_cleanup_forgets_shared_state(settings: Settings) -> None:
    from imtc.web.db import DeskSession, LoginLimit, Submission
    from imtc.web.files import cleanup

    app = create_app(settings)
    db = app.state.db
    old, fresh = now() - timedelta(days=2), now()
    with db.session() as tx:
        tx.add_all([DeskSession(token_hash="a" * 64, csrf="x", expires_at=old),
                    DeskSession(token_hash="b" * 64, csrf="x", expires_at=fresh + timedelta(hours=1)),
                    LoginLimit(key="address:old", window_start=old, attempts=5),
                    LoginLimit(key="address:new", window_start=fresh, attempts=5),
                    Job(kind="check", ref="old", status="done", created_at=old, heartbeat_at=old, attempts=1),
                    Job(kind="check", ref="new", status="done", created_at=fresh, heartbeat_at=fresh, attempts=1),
                    Job(kind="check", ref="waiting", status="queued", created_at=old, attempts=0),
                    Submission(nonce="old", token="t", created_at=old),
                    Submission(nonce="new", token="t", created_at=fresh)])
    cleanup(settings, db)
    with db.session() as tx:
        assert [r.token_hash[0] for r in tx.scalars(select(DeskSession))] == ["b"]
        assert [r.key for r in tx.scalars(select(LoginLimit))] == ["address:new"]
        assert sorted(r.ref for r in tx.scalars(select(Job))) == ["new", "waiting"]
        assert [r.nonce for r in tx.scalars(select(Submission))] == ["new"]
