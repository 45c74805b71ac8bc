"""What the desk and the applicants expected of the pages (the audit's item 6)."""

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
from openpyxl import load_workbook  # noqa: E402

from imtc.web.app import create_app  # noqa: E402
from imtc.web.auth import hash_password  # noqa: E402
from imtc.web.db import Round, RoundFile, now  # noqa: E402
from imtc.web.routes_applicant import review_files  # noqa: E402
from imtc.web.settings import Settings  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
PASSWORD = "受理窗口-correct-horse"


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    # a bound, not an expectation: a report with its review documents and their page pictures (LibreOffice)
    # took over 120 s once on the shared 2-core machine, and then had no review documents
    return Settings(data_dir=tmp_path / "data", db=f"sqlite:///{tmp_path / 'imtc.sqlite'}",
                    desk_password_hash=hash_password(PASSWORD), timeout_s=600, jobs=2)


@pytest.fixture()
def client(settings: Settings):
    with TestClient(create_app(settings)) as c:
        yield c


def csrf(client: TestClient, url: str = "/desk") -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', client.get(url).text)
    assert m
    return m.group(1)


def wait(client: TestClient, ready) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 300
    while not ready():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.3)


def _zip(*members: tuple[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture()
def round_url(client: TestClient) -> str:
    assert client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 303
    battery = (SAMPLES / "power-battery.docx").read_bytes()
    data = _zip(("甲/申请书.docx", battery), ("乙/申请书副本.docx", battery),
                ("defect-equipment.docx", (SAMPLES / "defect-equipment.docx").read_bytes()))
    r = client.post("/desk/rounds", data={"csrf": csrf(client), "name": "第一批"},
                    files={"archive": ("r.zip", data, "application/zip")}, follow_redirects=False)
    url = r.headers["location"]
    wait(client, lambda: client.get(url + "/progress").json()["status"] in ("done", "failed"))
    return url


def _file_ids(client: TestClient, round_url: str) -> dict[str, int]:
    round_id = round_url.rsplit("/", 1)[1]
    with client.app.state.db.session() as s:
        return {f.file_name: f.id for f in s.query(RoundFile).filter(RoundFile.round_id == round_id)}


def test_duplicates_by_content_shown_once(client: TestClient, round_url: str) -> None:
    html = client.get(round_url).text
    ids = _file_ids(client, round_url)
    assert f'/files/{ids["申请书.docx"]}"' in html
    assert f'/files/{ids["申请书副本.docx"]}"' not in html  # no page of its own: it is the same file
    assert "与第 1 个文件“申请书.docx”内容完全相同" in html
    with client.app.state.db.session() as s:
        dup = s.get(RoundFile, ids["申请书副本.docx"])
        assert dup.status == "duplicate" and dup.kind is None


def test_previous_next_and_filters_kept(client: TestClient, round_url: str) -> None:
    ids = _file_ids(client, round_url)
    first, third = (f"{round_url}/files/{ids[n]}" for n in ("申请书.docx", "defect-equipment.docx"))
    page = client.get(first).text
    assert f'href="{third}"' in page and "下一份" in page and "上一份" not in page  # the duplicate is passed over
    page = client.get(third).text
    assert f'href="{first}"' in page and "上一份" in page and "下一份" not in page
    filtered = client.get(third + "?q=defect").text  # only that file's name matches: no neighbour
    assert "上一份" not in filtered and "下一份" not in filtered
    assert f'href="{round_url}?q=defect"' in filtered  # back to the round with its filters
    listing = client.get(round_url + "?kind=application&q=defect").text
    assert f'href="{third}?kind=application&amp;q=defect"' in listing
    assert '<meta http-equiv="refresh"' not in listing  # done: no refresh; while running it keeps the query


def test_filters_kept_across_the_refresh_of_a_running_round(client: TestClient) -> None:
    assert client.post("/desk/login", data={"password": PASSWORD}, follow_redirects=False).status_code == 303
    with client.app.state.db.session() as s:  # a round still being processed (no worker takes it)
        s.add(Round(id="running-rnd1", name="进行中", zip_name="r.zip", created_at=now(), status="running"))
    html = client.get("/desk/rounds/running-rnd1?status=errors&kind=application&q=电池").text
    assert ('<meta http-equiv="refresh" content="3; url=/desk/rounds/running-rnd1'
            '?status=errors&amp;kind=application&amp;q=%E7%94%B5%E6%B1%A0">') in html
    assert '<option value="errors" selected>' in html and 'value="电池"' in html
    plain = client.get("/desk/rounds/running-rnd1").text
    assert '<meta http-equiv="refresh" content="3; url=/desk/rounds/running-rnd1">' in plain


def test_original_file_download(client: TestClient, round_url: str) -> None:
    ids = _file_ids(client, round_url)
    r = client.get(f"{round_url}/files/{ids['申请书.docx']}/original")
    assert r.status_code == 200 and r.content == (SAMPLES / "power-battery.docx").read_bytes()
    assert "attachment" in r.headers["content-disposition"]
    assert "原始文件" in client.get(f"{round_url}/files/{ids['申请书.docx']}").text


def test_reviews_zip_has_the_workbook(client: TestClient, round_url: str) -> None:
    r = client.get(round_url + "/reviews.zip")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "summary.xlsx" in names  # beside the folders its links name
    assert any(n.startswith("001 申请书/") for n in names)
    ws = load_workbook(io.BytesIO(zipfile.ZipFile(io.BytesIO(r.content)).read("summary.xlsx"))).active
    links = [c.hyperlink.target for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert "001 申请书" in links
    for link in links:  # every link of the workbook leads to a folder of the zip once unpacked
        assert any(n.startswith(link + "/") for n in names), link


def test_round_deleted_after_confirmation(client: TestClient, round_url: str, settings: Settings) -> None:
    round_id = round_url.rsplit("/", 1)[1]
    confirm = client.get(round_url + "/delete")
    assert confirm.status_code == 200 and "确认删除" in confirm.text and "3 个文件" in confirm.text
    token = csrf(client, round_url + "/delete")
    r = client.post(round_url + "/delete", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 400  # not confirmed
    assert client.get(round_url).status_code == 200
    assert client.post(round_url + "/delete", data={"csrf": "forged", "confirm": "yes"}).status_code == 403
    r = client.post(round_url + "/delete", data={"csrf": token, "confirm": "yes"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/desk"
    assert client.get(round_url).status_code == 404
    assert not (settings.data_dir / "rounds" / round_id).exists()
    with client.app.state.db.session() as s:
        assert s.get(Round, round_id) is None
        assert s.query(RoundFile).filter(RoundFile.round_id == round_id).count() == 0


# --- applicants ---------------------------------------------------------------------------------


def test_double_submit_gives_one_check(client: TestClient) -> None:
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get("/").text).group(1)
    data = (SAMPLES / "power-battery.docx").read_bytes()
    links = [client.post("/check", data={"nonce": nonce}, files={"file": ("a.docx", data)},
                         follow_redirects=False).headers["location"] for _ in range(2)]
    assert links[0] == links[1]
    other = re.search(r'name="nonce" value="([^"]+)"', client.get("/").text).group(1)
    assert other != nonce
    third = client.post("/check", data={"nonce": other}, files={"file": ("a.docx", data)}, follow_redirects=False)
    assert third.headers["location"] != links[0]


def test_double_submit_of_a_corrected_version_gives_one_check(client: TestClient) -> None:
    data = _zip(("word/other.xml", b"<x/>"))  # a zip that is no Word document: read (and refused) at once
    first = client.post("/check", files={"file": ("a.docx", data)}, follow_redirects=False).headers["location"]
    wait(client, lambda: 'http-equiv="refresh"' not in client.get(first).text)
    nonce = re.search(r'name="nonce" value="([^"]+)"', client.get(first).text).group(1)
    links = [client.post(first + "/revise", data={"nonce": nonce}, files={"file": ("b.docx", data)},
                         follow_redirects=False).headers["location"] for _ in range(2)]
    assert links[0] == links[1] != first


def _review_check(client: TestClient) -> tuple[str, str]:
    r = client.post("/check", files={"file": ("r.docx", (SAMPLES / "report-power-battery-2025.docx").read_bytes())},
                    follow_redirects=False)
    link = r.headers["location"]
    wait(client, lambda: 'http-equiv="refresh"' not in client.get(link).text)
    token = link.rsplit("/", 1)[1]
    names = review_files(client.app.state.settings.data_dir / "checks" / token)  # files; crops/ is a folder
    assert [n.rsplit(".", 1)[-1] for n in names].count("docx") >= 1, names
    return link, next(n for n in names if n.endswith(".docx"))


def test_applicants_get_no_scoring_forms_by_default(client: TestClient) -> None:
    link, name = _review_check(client)
    assert "预填的评审文件" not in client.get(link).text
    assert client.get(f"{link}/review/{name}").status_code == 404


def test_applicants_get_scoring_forms_when_set(settings: Settings) -> None:
    with TestClient(create_app(settings.model_copy(update={"applicant_reviews": True}))) as c:
        link, name = _review_check(c)
        assert "预填的评审文件" in c.get(link).text
        assert c.get(f"{link}/review/{name}").status_code == 200
