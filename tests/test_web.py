"""The web app through FastAPI's TestClient: applicant checks behind unguessable links, the desk's
login, a round's zip processed in the background, and the limits on what comes in."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import threading
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from sqlalchemy import select, update  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

import imtc.review  # noqa: E402
import imtc.service  # noqa: E402
import imtc.web.work  # noqa: E402
from imtc.web.app import create_app  # noqa: E402
from imtc.web.auth import Sessions, hash_password, verify_password  # noqa: E402
from imtc.web.db import Check, Database, DeskSession, now  # noqa: E402
from imtc.web.files import cleanup, member_name, safe_stem  # noqa: E402
from imtc.web.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PASSWORD = "受理窗口-correct-horse"
TOKEN_LINK = re.compile(r"^/c/([A-Za-z0-9_-]{43})$")


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", db=f"sqlite:///{tmp_path / 'imtc.sqlite'}",
                    desk_password_hash=hash_password(PASSWORD), timeout_s=60, jobs=2)


@pytest.fixture()
def client(settings: Settings):
    with TestClient(create_app(settings)) as c:
        yield c


def upload(client: TestClient, path: Path, name: str | None = None, url: str = "/check", wait: bool = True):
    """POST a file; when it was queued (303 to its link), wait until its check is done."""
    with open(path, "rb") as f:
        r = client.post(url, files={"file": (name or path.name, f, "application/octet-stream")},
                        follow_redirects=False)
    if wait and r.status_code == 303 and TOKEN_LINK.match(r.headers["location"]):
        wait_check(client, r.headers["location"])
    return r


def wait_check(client: TestClient, link: str, seconds: float = 240) -> None:
    """Until the check's page is no longer the waiting page (it refreshes itself every 3 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if 'http-equiv="refresh"' not in client.get(link).text:
            return
        time.sleep(0.2)
    raise AssertionError(f"check {link} not finished in time")


def check(client: TestClient, path: Path, name: str | None = None) -> str:
    r = upload(client, path, name)
    assert r.status_code == 303, r.text
    assert TOKEN_LINK.match(r.headers["location"])
    return r.headers["location"]


def login(client: TestClient, password: str = PASSWORD):
    return client.post("/desk/login", data={"password": password}, follow_redirects=False)


def csrf(client: TestClient, url: str = "/desk") -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert m
    return m.group(1)


# --- applicants ---------------------------------------------------------------------------------


def test_upload_shows_findings_tables_and_figures(client: TestClient) -> None:
    link = check(client, SAMPLES / "defect-equipment.docx")
    page = client.get(link)
    assert page.status_code == 200
    html = page.text
    assert "合计为 1288 万元" in html  # the total-mismatch finding
    assert "8.2 测量仪器设备配置表" in html  # grouped under its section
    assert "第 4 个表格" in html and "第 5 行" in html  # where: table and row, counted from 1
    assert "电池充放电测试系统" in html  # an extracted table row
    assert "评价细则将统计的数据" in html and "测量仪器设备配置表" in html
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    report = client.get(link + "/result.json")
    assert report.status_code == 200 and "attachment" in report.headers["content-disposition"]
    assert report.json()["meta"]["center_name"] == "浙江省动力电池产业计量测试中心"
    assert client.get(link + "/score.json").json()["rubric"] == "annex2"


def test_pages_are_chinese_and_local(client: TestClient) -> None:
    html = client.get("/").text
    assert 'lang="zh-CN"' in html and "开始检查" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from elsewhere
    assert client.get("/static/style.css").status_code == 200
    assert "页面不存在" in client.get("/nowhere").text


def test_another_checks_link_is_unreachable(client: TestClient, settings: Settings) -> None:
    mine = check(client, SAMPLES / "power-battery.docx", "我的文件.docx")
    theirs = check(client, SAMPLES / "defect-equipment.docx", "别人的文件.docx")
    their_token = TOKEN_LINK.match(theirs).group(1)
    guessed = "A" * 43
    for url in (f"/c/{guessed}", f"/c/{guessed}/result.json", f"/c/{guessed}/score.json",
                f"/c/{guessed}/review/x.docx", "/c/short", f"/c/{their_token[:-1]}",
                f"{mine}/review/..%2F..%2F{their_token}%2Fresult.json", f"{mine}/review/%2E%2E",
                f"/static/../checks/{their_token}/result.json", f"/checks/{their_token}/result.json",
                "/static/..%2Fchecks"):
        assert client.get(url).status_code == 404, url
    assert "别人的文件" not in client.get(mine).text
    # nothing under the data folder is served as a file
    stored = next((settings.data_dir / "checks" / their_token).glob("*.docx")).name
    assert client.get(f"/c/{their_token}/{stored}").status_code == 404


def test_type_is_sniffed_from_content_not_name(client: TestClient, settings: Settings) -> None:
    r = upload(client, SAMPLES / "hostile" / "text-named.pdf", "草稿.docx")
    assert r.status_code == 400 and "无法识别文件类型" in r.text
    link = check(client, SAMPLES / "power-battery.docx", "草稿.pdf")  # a .docx under a .pdf name
    token = TOKEN_LINK.match(link).group(1)
    assert [p.name for p in (settings.data_dir / "checks" / token).glob("草稿.*")] == ["草稿.docx"]
    assert client.get(link + "/result.json").json()["source"]["format"] == "docx"


def test_names_are_sanitised_and_escaped(client: TestClient, settings: Settings) -> None:
    link = check(client, SAMPLES / "power-battery.docx", "../../etc/<img src=x onerror=alert(1)>\u202e\u0007.docx")
    token = TOKEN_LINK.match(link).group(1)
    names = [p.name for p in (settings.data_dir / "checks" / token).iterdir()]
    stored = [n for n in names if n.endswith(".docx")]
    assert len(stored) == 1 and "img src=x" in stored[0] and not set(stored[0]) & set("<>/\\\u202e\x07")
    assert "<img" not in client.get(link).text
    assert safe_stem("../../<img src=x>\u202e\x07.docx") == "img src=x"
    assert safe_stem("..\\..\\a:b?.doc") == "a_b"
    assert safe_stem("....") == "文件"


def test_empty_and_oversized_uploads(settings: Settings, tmp_path: Path) -> None:
    small = settings.model_copy(update={"max_upload_mb": 0.01})
    with TestClient(create_app(small)) as c:
        r = upload(c, SAMPLES / "power-battery.docx")
        assert r.status_code == 413 and "太大" in r.text
        empty = tmp_path / "empty.docx"
        empty.write_bytes(b"")
        assert "空的" in upload(c, empty).text
        assert "请选择" in c.post("/check", data={"x": "1"}).text
    assert not list((small.data_dir / "tmp").iterdir())  # nothing half-received left behind


def test_chunked_upload_over_cap_refused(settings: Settings) -> None:
    """No Content-Length to refuse it by: the body is counted as it comes in."""
    def body():
        yield (b'--xx\r\nContent-Disposition: form-data; name="file"; filename="a.docx"\r\n'
               b"Content-Type: application/octet-stream\r\n\r\n")
        for _ in range(100):
            yield b"\0" * 1024
        yield b"\r\n--xx--\r\n"

    with TestClient(create_app(settings.model_copy(update={"max_upload_mb": 0.01}))) as c:
        r = c.post("/check", content=body(), headers={"content-type": "multipart/form-data; boundary=xx"})
        assert r.status_code == 413 and "太大" in r.text
        r = c.post("/desk/login", content=iter([b"password=" + b"x" * 100_000]),
                   headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413


def test_revised_version_shows_what_changed(client: TestClient) -> None:
    first = check(client, SAMPLES / "defect-equipment.docx")
    r = upload(client, SAMPLES / "power-battery.docx", url=first + "/revise")
    assert r.status_code == 303
    second = r.headers["location"]
    assert second != first and TOKEN_LINK.match(second)
    html = client.get(second).text
    assert "与上一次检查相比" in html
    resolved = html.split("已解决", 1)[1].split("</ul>", 1)[0]
    assert "合计为 1288 万元" in resolved
    assert f'href="{first}"' in html
    assert "与上一次检查相比" not in client.get(first).text
    assert upload(client, SAMPLES / "power-battery.docx", url="/c/" + "B" * 43 + "/revise").status_code == 404


def test_missing_sections_change_status(client: TestClient) -> None:
    first = check(client, SAMPLES / "defect-missing-sections.docx")
    second = upload(client, SAMPLES / "power-battery.docx", url=first + "/revise").headers["location"]
    html = client.get(second).text
    assert "状态变化的章节" in html and "缺失" in html


def test_time_limit_per_document(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def stuck(path, limits=None):  # noqa: ANN001
        threading.Event().wait()  # never returns: only the time limit ends it

    monkeypatch.setattr(imtc.service, "check_file_with_document", stuck)
    with TestClient(create_app(settings.model_copy(update={"timeout_s": 1}))) as c:
        link = check(c, SAMPLES / "power-battery.docx")
        html = c.get(link).text
        assert "超过 1 秒仍未完成" in html and "文件无法读取" in html


@pytest.fixture()
def reviews_client(settings: Settings):
    """Applicants may download the experts' pre-filled forms (a setting; not by default)."""
    with TestClient(create_app(settings.model_copy(update={"applicant_reviews": True}))) as c:
        yield c


def test_review_documents_download(reviews_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a stand-in write_review: its files are listed and downloadable through the check's link."""
    client = reviews_client

    def write_review(ex, score, out_dir, texts=None, source=None, document=None):  # noqa: ANN001
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        target = out / f"{Path(ex.source.file).stem}-评审报告.docx"
        target.write_bytes(b"PK fake " + score["rubric"].encode())
        return [target]

    monkeypatch.setattr(imtc.review, "write_review", write_review)
    link = check(client, SAMPLES / "power-battery.docx")
    html = client.get(link).text
    assert "power-battery-评审报告.docx" in html
    r = client.get(link + "/review/power-battery-评审报告.docx")
    assert r.status_code == 200 and r.content == b"PK fake annex2"


def test_real_review_documents(reviews_client: TestClient) -> None:
    client = reviews_client
    link = check(client, SAMPLES / "report-power-battery-2025.docx")
    names = re.findall(rf'href="{link}/review/([^"]+)"', client.get(link).text)
    assert names, "no review documents listed"
    for name in names:
        r = client.get(f"{link}/review/{name}")
        assert r.status_code == 200 and r.content


def test_retention_deletes_old_checks(client: TestClient, settings: Settings) -> None:
    link = check(client, SAMPLES / "power-battery.docx")
    token = TOKEN_LINK.match(link).group(1)
    db = client.app.state.db
    with db.session() as s:
        s.execute(update(Check).where(Check.token == token).values(
            created_at=Check.created_at - timedelta(days=settings.retention_days + 1)))
    assert cleanup(settings, db) == 1
    assert not (settings.data_dir / "checks" / token).exists()
    assert client.get(link).status_code == 404


# --- the intake desk -------------------------------------------------------------------------------


def test_desk_pages_redirect_to_login(client: TestClient) -> None:
    for url in ("/desk", "/desk/rounds/abcdefghijkl", "/desk/rounds/abcdefghijkl/summary.xlsx"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/desk/login", url
    assert client.post("/desk/rounds", follow_redirects=False).headers["location"] == "/desk/login"
    assert "受理窗口登录" in client.get("/desk/login").text


def test_wrong_password_refused_then_throttled(client: TestClient) -> None:
    r = login(client, "wrong password")
    assert r.status_code == 401 and "密码不正确" in r.text and "set-cookie" not in r.headers
    assert client.get("/desk", follow_redirects=False).status_code == 303
    for _ in range(4):
        login(client, "wrong again")
    r = login(client)  # even the right password waits once an address failed five times
    assert r.status_code == 429 and "15 分钟" in r.text


def test_login_cookie_csrf_and_logout(client: TestClient) -> None:
    r = login(client)
    assert r.status_code == 303 and r.headers["location"] == "/desk"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/desk" in cookie
    assert "上传一轮申报材料" in client.get("/desk").text
    r = client.post("/desk/rounds", data={"csrf": "forged"},
                    files={"archive": ("r.zip", b"PK\x05\x06" + b"\0" * 18)}, follow_redirects=False)
    assert r.status_code == 403
    assert client.post("/desk/logout", data={"csrf": "forged"}).status_code == 403
    token = csrf(client)
    assert client.post("/desk/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert client.get("/desk", follow_redirects=False).status_code == 303


def test_no_password_set_means_no_login(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"desk_password_hash": None}))) as c:
        assert "尚未设置受理窗口密码" in c.get("/desk/login").text
        assert login(c, "").status_code in (400, 403)
        assert login(c, "anything").status_code == 403


def round_zip(*members: tuple[str, bytes], utf8: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2025, 11, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def upload_round(client: TestClient, data: bytes, name: str = "2025年度 第一批"):
    return client.post("/desk/rounds", data={"csrf": csrf(client), "name": name},
                       files={"archive": ("round.zip", data, "application/zip")}, follow_redirects=False)


def wait_round(client: TestClient, url: str, seconds: float = 240) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        p = client.get(url + "/progress").json()
        if p["status"] in ("done", "failed"):
            return p
        time.sleep(0.3)
    raise AssertionError("round not finished in time")


def test_zip_round_processed(client: TestClient, settings: Settings) -> None:
    assert login(client).status_code == 303
    nested = round_zip(("inner.docx", (SAMPLES / "power-battery.docx").read_bytes()))
    data = round_zip(
        ("第一批/动力电池 申请书.docx", (SAMPLES / "defect-equipment.docx").read_bytes()),
        ("第一批/年度报告.docx", (SAMPLES / "report-power-battery-2025.docx").read_bytes()),
        ("第一批/截断.docx", (SAMPLES / "hostile" / "truncated.docx").read_bytes()),
        ("../../escape.docx", (SAMPLES / "power-battery.docx").read_bytes()),
        ("再压缩.zip", nested),
        ("说明.txt", "请查收".encode()),
        ("__MACOSX/._x.docx", b"junk"),
        ("第一批/~$锁文件.docx", b"junk"),
    )
    r = upload_round(client, data)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    assert wait_round(client, url)["status"] == "done"
    html = client.get(url).text
    assert "已完成" in html and "浙江省动力电池产业计量测试中心" in html
    assert "动力电池 申请书.docx" in html and "年度报告.docx" in html
    assert "路径不安全" in html and "嵌套的压缩包" in html and "不是可读取的文件格式" in html
    assert "锁文件" not in html and "__MACOSX" not in html
    assert not list((settings.data_dir / "rounds").glob("*/round.zip"))  # the zip is gone once unpacked
    assert not list(settings.data_dir.rglob("escape.docx"))

    # filters
    errors_only = client.get(url, params={"status": "errors"}).text
    assert "动力电池 申请书.docx" in errors_only and "年度报告.docx" not in errors_only
    reports = client.get(url, params={"kind": "annual_report"}).text
    assert "年度报告.docx" in reports and "动力电池 申请书.docx" not in reports
    assert "截断.docx" in client.get(url, params={"status": "unreadable"}).text

    # the summary workbook: one row per file, skipped ones included
    r = client.get(url + "/summary.xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    names = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 6 and "动力电池 申请书.docx" in names

    # a submission's own page and downloads
    detail = re.search(r'href="(/desk/rounds/[^/"]+/files/\d+)">动力电池 申请书\.docx', html).group(1)
    assert "合计为 1288 万元" in client.get(detail).text
    assert client.get(detail + "/result.json").json()["kind"] == "application"

    # and none of it without the login
    client.cookies.clear()
    for u in (url, url + "/summary.xlsx", detail, detail + "/result.json"):
        assert client.get(u, follow_redirects=False).status_code == 303


def test_round_reviews_zip(client: TestClient) -> None:
    login(client)
    url = upload_round(client, round_zip(("a.docx", (SAMPLES / "power-battery.docx").read_bytes()))).headers["location"]
    wait_round(client, url)
    r = client.get(url + "/reviews.zip")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "summary.xlsx" in names  # the workbook beside the folders its links name
    assert all(n.startswith("001 a/") for n in names if n != "summary.xlsx") and len(names) > 1


@pytest.mark.parametrize(("data", "words"), [
    (b"not a zip at all", "不是 zip"),
    (b"PK\x03\x04 broken", "已损坏"),
    (round_zip(("bomb.docx", b"\0" * (20 * 1024 * 1024))), "压缩炸弹"),
    (round_zip(*[(f"{i}.docx", b"x") for i in range(6)]), "超过上限"),
    (round_zip(("x/",  b"")), "没有文件"),
])
def test_bad_zips_refused(settings: Settings, data: bytes, words: str) -> None:
    with TestClient(create_app(settings.model_copy(update={"max_zip_members": 5}))) as c:
        login(c)
        r = upload_round(c, data)
        assert r.status_code == 400 and words in r.text, r.text[-2000:]
        assert not any((settings.data_dir / "rounds").iterdir())


def test_zip_declared_total_and_size_caps(settings: Settings) -> None:
    tight = settings.model_copy(update={"max_unpacked_mb": 1, "max_zip_mb": 0.02})
    with TestClient(create_app(tight)) as c:
        login(c)
        big = round_zip(("a.docx", (SAMPLES / "power-battery.docx").read_bytes()))
        assert upload_round(c, big).status_code == 413
        many = round_zip(*[(f"{i}.bin", b"\1" * 300_000) for i in range(4)])
        assert len(many) < 0.02 * 1024 * 1024
        assert "疑似压缩炸弹" in upload_round(c, many).text


def test_gbk_member_names_decoded() -> None:
    info = zipfile.ZipInfo("申请书.docx".encode("gbk").decode("cp437"))
    assert member_name(info) == "申请书.docx"


# --- the password, the sessions, the command ------------------------------------------------------


def test_password_hash_and_sessions(tmp_path: Path) -> None:
    stored = hash_password(PASSWORD)
    assert stored.startswith("scrypt$") and PASSWORD not in stored
    assert verify_password(PASSWORD, stored) and not verify_password("x", stored)
    assert hash_password(PASSWORD) != stored  # salted
    assert not verify_password(PASSWORD, "garbage") and not verify_password(PASSWORD, None)
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    sessions = Sessions(db, minutes=10)
    s = sessions.create()
    got = sessions.get(s.token)
    assert got is not None and (got.token, got.csrf) == (s.token, s.csrf)
    with db.session() as tx:  # the token itself is never stored, only its SHA-256
        assert [r.token_hash for r in tx.scalars(select(DeskSession))] == [hashlib.sha256(s.token.encode()).hexdigest()]
        tx.execute(update(DeskSession).values(expires_at=now() - timedelta(seconds=1)))
    assert sessions.get(s.token) is None
    with db.session() as tx:
        assert list(tx.scalars(select(DeskSession))) == []  # expired ones are deleted when met


def test_set_desk_password_command(tmp_path: Path) -> None:
    import imtc.cli

    result = CliRunner().invoke(imtc.cli.app, ["serve", "--data", str(tmp_path), "--set-desk-password"],
                                input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    f = tmp_path / "desk-password"
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert verify_password(PASSWORD, f.read_text()) and PASSWORD not in f.read_text()
    short = CliRunner().invoke(imtc.cli.app, ["serve", "--data", str(tmp_path), "--set-desk-password"],
                               input="short\nshort\n")
    assert short.exit_code == 2
    with TestClient(create_app(Settings(data_dir=tmp_path, db=f"sqlite:///{tmp_path / 'db.sqlite'}"))) as c:
        assert login(c).status_code == 303


def test_foreign_host_header_refused(settings: Settings) -> None:
    """Served on loopback, the app answers only to loopback names (DNS rebinding)."""
    loopback = settings.model_copy(update={"allowed_hosts": ["127.0.0.1", "localhost"]})
    with TestClient(create_app(loopback), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_settings_from_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IMTC_WEB_RETENTION_DAYS", "7")
    monkeypatch.setenv("IMTC_DESK_PASSWORD", PASSWORD)
    s = Settings.from_env(data_dir=tmp_path, jobs=None)
    assert s.retention_days == 7 and s.data_dir == tmp_path and s.jobs == 2
    assert verify_password(PASSWORD, s.desk_password_hash)
