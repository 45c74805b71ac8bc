"""The outside audit's smaller defects, each with the test that would have caught it."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient  # noqa: E402

from imtc.web.app import create_app  # noqa: E402
from imtc.web.auth import hash_password  # noqa: E402
from imtc.web.settings import Settings  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PASSWORD = "受理窗口-correct-horse"
BRAND = "产业计量测试中心申报材料检查"


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", db=f"sqlite:///{tmp_path / 'imtc.sqlite'}",
                    desk_password_hash=hash_password(PASSWORD), timeout_s=60, jobs=2)


@pytest.fixture()
def client(settings: Settings):
    with TestClient(create_app(settings)) as c:
        yield c


def wait_page(client: TestClient, link: str) -> str:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        html = client.get(link).text
        if 'http-equiv="refresh"' not in html:
            return html
        time.sleep(0.2)
    raise AssertionError("not done in time")


def post_file(client: TestClient, url: str, name: str, data: bytes):
    return client.post(url, files={"file": (name, data, "application/octet-stream")}, follow_redirects=False)


def checked(client: TestClient, path: Path, url: str = "/check") -> str:
    r = post_file(client, url, path.name, path.read_bytes())
    assert r.status_code == 303, r.text
    wait_page(client, r.headers["location"])
    return r.headers["location"]


def login(client: TestClient) -> None:
    assert client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 303


def test_a_refused_corrected_version_keeps_the_chain(client: TestClient) -> None:
    first = checked(client, SAMPLES / "defect-equipment.docx")
    r = post_file(client, first + "/revise", "修改稿.txt", "不是 Word 文件".encode())
    assert r.status_code == 400
    assert "无法识别文件类型" in r.text
    assert f'action="{first}/revise"' in r.text  # still the previous check's page: try again from there
    assert "合计为 1288 万元" in r.text
    second = checked(client, SAMPLES / "power-battery.docx", first + "/revise")
    assert "与上一次检查相比" in client.get(second).text


def test_a_corrected_version_of_another_center_is_flagged(client: TestClient) -> None:
    first = checked(client, SAMPLES / "power-battery.docx")
    same = checked(client, SAMPLES / "defect-equipment.docx", first + "/revise")
    assert "中心名称不同" not in client.get(same).text
    other = checked(client, SAMPLES / "integrated-circuit.docx", same + "/revise")
    html = client.get(other).text
    assert "两次上传的文件中心名称不同" in html and "浙江省动力电池产业计量测试中心" in html


def test_error_pages_say_how_long_files_are_kept(client: TestClient) -> None:
    html = client.get("/nowhere").text
    assert "保存 30 天后自动删除" in html and "保存  天后" not in html


def test_csrf_refusal_keeps_the_desk_navigation(client: TestClient) -> None:
    login(client)
    r = client.post("/desk/logout", data={"csrf": "forged"})
    assert r.status_code == 403 and "表单已过期" in r.text
    assert "退出登录" in r.text and 'href="/desk"' in r.text
    assert ">检查文件</a>" not in r.text  # not the applicant's navigation
    assert ">检查文件</a>" in client.get("/nowhere").text  # an applicant's page keeps theirs


def test_too_large_page_has_the_site_header(settings: Settings) -> None:
    small = settings.model_copy(update={"max_upload_mb": 0.001})
    with TestClient(create_app(small)) as c:
        r = c.post("/check", content=b"x" * 200_000, headers={"content-type": "multipart/form-data; boundary=x"})
        assert r.status_code == 413
        assert BRAND in r.text and "上传的文件太大" in r.text and "选择较小的文件" in r.text
        assert r.headers["cache-control"] == "no-store"


def test_head_is_answered(client: TestClient) -> None:
    r = client.head("/")
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"].startswith("text/html")
    assert client.head("/nowhere").status_code == 404


def test_foreign_host_refused_in_chinese(settings: Settings) -> None:
    loopback = settings.model_copy(update={"allowed_hosts": ["127.0.0.1", "localhost", "[::1]"]})
    with TestClient(create_app(loopback), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"host": "[::1]:8000"}).status_code == 200
        r = c.get("/", headers={"host": "attacker.example"})
        assert r.status_code == 400 and "本服务不接受以这个地址访问" in r.text and "Invalid host" not in r.text


def _zip(*members: tuple[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


def test_rounds_list_counts_every_file(client: TestClient) -> None:
    login(client)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/desk").text).group(1)
    data = _zip(("a.docx", (SAMPLES / "power-battery.docx").read_bytes()), ("说明.txt", b"text"),
                ("b.docx", b"not a word file"))
    r = client.post("/desk/rounds", data={"csrf": token, "name": "计数"},
                    files={"archive": ("r.zip", data, "application/zip")}, follow_redirects=False)
    url = r.headers["location"]
    deadline = time.monotonic() + 240
    while client.get(url + "/progress").json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    row = re.search(r"计数</a></td>.*?</tr>", client.get("/desk").text, re.S).group(0)
    assert re.search(r'<td class="num">3</td>', row)  # the skipped text file and the unreadable one count too
