"""The desk's panel page: a zip of one panel's filled sheets in, the aggregate and its files out."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from imtc.web.app import create_app
from imtc.web.auth import hash_password
from imtc.web.settings import Settings

SHEETS = Path(__file__).resolve().parent / "panel_samples" / "annex2-power-battery"
PASSWORD = "受理窗口-correct-horse"


@pytest.fixture()
def client(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", db=f"sqlite:///{tmp_path / 'imtc.sqlite'}",
                        desk_password_hash=hash_password(PASSWORD), timeout_s=60, jobs=1)
    with TestClient(create_app(settings)) as c:
        yield c


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files:
            z.writestr(name, data)
    return buf.getvalue()


def _csrf(client: TestClient) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/desk/panel").text).group(1)


def test_panel_page_needs_the_login(client: TestClient) -> None:
    r = client.get("/desk/panel", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/desk/login"


def test_a_zip_of_sheets_gives_the_aggregate_and_its_files(client: TestClient) -> None:
    assert client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 303
    want = json.loads((SHEETS.parent / "annex2-power-battery.expected.json").read_text(encoding="utf-8"))
    data = _zip([(f"评审组/{p.name}", p.read_bytes()) for p in sorted(SHEETS.glob("*.docx"))] + [("说明.txt", b"x")])
    r = client.post("/desk/panel", data={"csrf": _csrf(client)},
                    files={"archive": ("panel.zip", data, "application/zip")}, follow_redirects=False)
    assert r.status_code == 303, r.text
    html = client.get(r.headers["location"]).text
    total = f"{want['total']}"
    assert "浙江省动力电池产业计量测试中心" in html and total in html and want["grade"] in html
    for expert in want["experts"]:
        assert expert in html
    links = re.findall(r'href="(/desk/panel/[^"]+/files/[^"]+)"', html)
    assert len(links) == 3
    xlsx = next(link for link in links if link.endswith(".xlsx"))
    assert client.get(xlsx).status_code == 200
    assert client.get(r.headers["location"] + "/files/..%2F..%2Fpanel.zip").status_code == 404


def test_not_a_zip_is_refused(client: TestClient) -> None:
    client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False)
    r = client.post("/desk/panel", data={"csrf": _csrf(client)},
                    files={"archive": ("panel.zip", b"not a zip", "application/zip")}, follow_redirects=False)
    assert r.status_code == 400 and "压缩包未被接受" in r.text


def test_panels_older_than_the_retention_period_are_deleted(client: TestClient, tmp_path: Path) -> None:
    import os

    client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False)
    old = tmp_path / "data" / "panels" / "abcdefghijkl"
    old.mkdir(parents=True)
    os.utime(old, (0, 0))
    data = _zip([(p.name, p.read_bytes()) for p in sorted(SHEETS.glob("*.docx"))[:1]])
    r = client.post("/desk/panel", data={"csrf": _csrf(client)},
                    files={"archive": ("panel.zip", data, "application/zip")}, follow_redirects=False)
    assert r.status_code == 303 and not old.exists()
    assert "评审组汇总" in client.get("/desk").text  # the desk's navigation links the page


def test_a_zip_of_too_many_files_is_refused(client: TestClient) -> None:
    client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False)
    data = _zip([(f"{i}.docx", b"x") for i in range(41)])
    r = client.post("/desk/panel", data={"csrf": _csrf(client)},
                    files={"archive": ("panel.zip", data, "application/zip")}, follow_redirects=False)
    assert r.status_code == 400 and "一次最多 40 份" in r.text
