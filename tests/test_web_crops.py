"""The web result page shows, beside located findings and auto-computed figures, pictures of the
applicant's own pages (imtc/crops.py), served from the check's folder under the page's own origin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("multipart")

from fastapi.testclient import TestClient  # noqa: E402

from imtc.web.app import create_app  # noqa: E402
from imtc.web.auth import hash_password  # noqa: E402
from imtc.web.settings import Settings  # noqa: E402
from tests.test_web import PASSWORD, SAMPLES, check  # noqa: E402


@pytest.fixture()
def client(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data", db=f"sqlite:///{tmp_path / 'imtc.sqlite'}",
                        desk_password_hash=hash_password(PASSWORD), timeout_s=120, jobs=1)
    with TestClient(create_app(settings)) as c:
        yield c


def test_result_page_shows_pictures_of_the_source_beside_findings_and_figures(client: TestClient,
                                                                                monkeypatch: pytest.MonkeyPatch,
                                                                                tmp_path: Path) -> None:
    monkeypatch.setenv("IMTC_DOCUMENT_CACHE", str(tmp_path / "cache"))
    link = check(client, SAMPLES / "pdf" / "report-power-battery-2025.pdf")
    html = client.get(link).text
    srcs = re.findall(r'<img src="(/c/[A-Za-z0-9_-]{43}/crop/[^"]+\.png)"', html)
    assert srcs and all(s.startswith(link + "/crop/") for s in srcs)
    figures = html.split('class="grid figures"', 1)[1].split("</table>", 1)[0]
    assert "/crop/item-" in figures  # beside an auto-computed figure
    r = client.get(srcs[0])
    assert r.status_code == 200 and r.headers["content-type"] == "image/png" and r.content[:4] == b"\x89PNG"
    assert client.get(link + "/crop/index.json").status_code == 404  # only the pictures the index names
    assert client.get(link + "/crop/..%2Fresult.json").status_code == 404
