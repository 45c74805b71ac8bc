"""The desk's register pages (imtc/web/routes_register.py) through FastAPI's TestClient: the list with
its filters, one center with its chart, the desk's edits behind CSRF, the workbook, the login."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from imtc.pipeline import check_file
from imtc.register.desk import load_desk_file
from imtc.register.records import Register
from imtc.store import Store
from imtc.web.app import create_app
from imtc.web.auth import hash_password
from imtc.web.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "受理窗口-correct-horse"
BATTERY = "浙江省动力电池产业计量测试中心"


@pytest.fixture()
def client(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'imtc.sqlite'}"
    with Store(db) as s:
        for name in ("power-battery.docx", "report-power-battery-2024.docx", "report-power-battery-2025.docx"):
            s.record(check_file(ROOT / "samples" / name))
        load_desk_file(Register(s), Path(__file__).parent / "data" / "register-desk.toml")
    settings = Settings(data_dir=tmp_path / "data", db=db, desk_password_hash=hash_password(PASSWORD), jobs=1)
    with TestClient(create_app(settings)) as c:
        yield c


def login(client: TestClient) -> str:
    client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False)
    m = re.search(r'name="csrf" value="([^"]+)"', client.get("/desk/register").text)
    assert m
    return m.group(1)


def test_register_needs_the_login(client: TestClient) -> None:
    for url in ("/desk/register", f"/desk/register/center?name={BATTERY}", "/desk/register/export.xlsx"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/desk/login"


def test_list_center_chart_and_workbook(client: TestClient) -> None:
    token = login(client)
    page = client.get("/desk/register", params={"day": "2026-07-01", "due": "1"}).text
    assert BATTERY in page and "整改期满（第十二条），期限 2026-06-22（已逾期）" in page
    assert "浙江省纺织产业计量测试中心" not in page  # revoked: owes nothing
    assert "浙江省集成电路产业计量测试中心" in page  # desk-only here: no documents, still owes its report
    page = client.get("/desk/register/center", params={"name": "浙江动力电池产业计量测试中心", "day": "2026-01-10"}).text
    assert "整改（自 2025-12-22）" in page and "70.0%" in page and "不合格" in page
    png = client.get("/desk/register/chart.png", params={"name": BATTERY})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    xlsx = client.get("/desk/register/export.xlsx", params={"day": "2026-01-10"})
    assert xlsx.status_code == 200
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["中心", "状态记录", "年度数据"]
    assert client.get("/desk/register/center", params={"name": "浙江省无此产业计量测试中心"}).status_code == 404
    assert client.get("/desk/register", params={"day": "2026-02-30"}).status_code == 400
    assert token


def test_desk_edits(client: TestClient) -> None:
    token = login(client)
    form = {"csrf": token, "name": BATTERY, "kind": "后续评价", "year": "2026", "grade": "合格", "total": "76",
            "on": "2026-06-01"}
    r = client.post("/desk/register/edit", data=form, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"] + "&day=2026-07-01").text
    assert "运行（自 2026-06-01）" in page and "2026年度后续评价合格，整改结束" in page
    r = client.post("/desk/register/edit", data={**form, "csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/desk/register/edit", data={"csrf": token, "name": BATTERY, "status": "停办", "on": "2026-01-01"},
                    follow_redirects=False)
    assert "error=" in r.headers["location"]
    assert "状态“停办”无效" in client.get(r.headers["location"]).text


def test_a_round_checks_each_centers_package(client: TestClient, tmp_path: Path) -> None:
    from tests.packages import package
    from tests.test_web import round_zip, upload_round, wait_round

    login(client)
    folder = package(tmp_path / "光伏", "smart-pv.docx", rec=False, center="浙江省智能光伏产业计量测试中心",
                     unit="嘉兴市计量检定测试院", city="嘉兴市")
    data = round_zip(*[(f"第一批/光伏/{f.name}", f.read_bytes()) for f in sorted(folder.iterdir())])
    r = upload_round(client, data)
    assert r.status_code == 303, r.text
    url = r.headers["location"]
    assert wait_round(client, url)["status"] == "done"
    html = client.get(url).text
    detail = re.search(r'href="(/desk/rounds/[^/"]+/files/\d+)">申请书\.docx', html).group(1)
    page = client.get(detail).text
    assert "中未找到申请推荐文件" in page  # 第八条
    assert "被撤销建设资格" in page  # 第十九条: the unit's center was revoked on 2022-03-15
    found = {f["code"] for f in client.get(detail + "/result.json").json()["findings"]}
    assert {"package-no-recommendation", "application-after-revocation"} <= found
    wb = load_workbook(io.BytesIO(client.get(url + "/summary.xlsx").content))
    [row] = list(wb["申请材料"].iter_rows(min_row=2, values_only=True))
    assert row[:6] == ("光伏", "浙江省智能光伏产业计量测试中心", "嘉兴市计量检定测试院", None, "申请书.docx", "配套支持文件.docx")
