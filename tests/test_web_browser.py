"""End to end in a real headless Chromium (Debian's `chromium`, driven by playwright) against the
app served by uvicorn on 127.0.0.1: an applicant uploads a sample and sees a finding; the desk logs
in, uploads a round and downloads a review document (or the workbook).

Skipped only when /usr/bin/chromium is absent (setup.sh installs it). Set IMTC_SCREENSHOTS=DIR to
keep the screenshots of the two main pages there (docs/img/ holds the ones in the docs).
"""

from __future__ import annotations

import io
import os
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import need_chromium, need_module

CHROMIUM = need_chromium(module_level=True)  # with CI=true a missing browser fails instead of skipping
playwright = need_module("playwright.sync_api", module_level=True)
uvicorn = need_module("uvicorn", module_level=True)
pytestmark = pytest.mark.slow  # a browser and a server

from imtc.web.app import create_app  # noqa: E402
from imtc.web.auth import hash_password  # noqa: E402
from imtc.web.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PASSWORD = "desk-password-1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("web")
    settings = Settings(data_dir=tmp / "data", db=f"sqlite:///{tmp / 'imtc.sqlite'}",
                        desk_password_hash=hash_password(PASSWORD), timeout_s=120)
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", workers=1)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        # the browser's own words (the file picker's button) in Chinese, as applicants see them; needs chromium-l10n
        env = {**os.environ, "LANGUAGE": "zh_CN"}
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True, env=env)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server: str) -> Iterator[object]:  # noqa: ANN001
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    outside: list[str] = []
    context.on("request", lambda r: None if r.url.startswith((server, "data:", "about:")) else outside.append(r.url))
    pg = context.new_page()
    yield pg
    context.close()
    assert not outside, f"the pages asked for something elsewhere: {outside}"


def _shot(pg, name: str, tmp_path: Path) -> Path:  # noqa: ANN001
    folder = Path(os.environ.get("IMTC_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    pg.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
    return target


def test_applicant_uploads_and_sees_a_finding(page, server: str, tmp_path: Path) -> None:  # noqa: ANN001
    page.goto(server + "/")
    assert page.title().startswith("检查申报材料")
    page.set_input_files("#file", str(SAMPLES / "defect-equipment.docx"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/c/*", timeout=120_000)
    # the waiting page (place in the queue) refreshes itself until the result is there
    page.wait_for_selector("nav.downloads", timeout=120_000)
    body = page.inner_text("main")
    assert "合计为 1288 万元" in body and "发现 1 个错误" in body
    assert "8.2 测量仪器设备配置表" in body
    with page.expect_download() as info:
        page.click("text=检查结果（JSON）")
    saved = tmp_path / "result.json"
    info.value.save_as(str(saved))
    assert "浙江省动力电池产业计量测试中心" in saved.read_text(encoding="utf-8")
    _shot(page, "applicant-result.png", tmp_path)


def _round_zip(tmp_path: Path) -> Path:
    target = tmp_path / "第一批.zip"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, src in (("动力电池-申请书.docx", "defect-equipment.docx"),
                          ("集成电路-申请书.docx", "integrated-circuit.docx"),
                          ("动力电池-2025年度报告.docx", "report-power-battery-2025.docx"),
                          ("缺章节的申请书.docx", "defect-missing-sections.docx"),
                          ("损坏的文件.docx", "hostile/truncated.docx")):
            zf.write(SAMPLES / src, name)
        zf.writestr("说明.txt", "请查收")
    target.write_bytes(buf.getvalue())
    return target


def test_desk_logs_in_processes_a_round_and_downloads(page, server: str, tmp_path: Path) -> None:  # noqa: ANN001
    page.goto(server + "/desk")
    page.wait_for_url(f"{server}/desk/login")
    page.fill("#password", "wrong password")
    page.click("button[type=submit]")
    assert "密码不正确" in page.inner_text("main")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/desk")
    page.fill("#name", "2025年度评价 第一批")
    page.set_input_files("#archive", str(_round_zip(tmp_path)))
    page.click("form.upload button[type=submit]")
    page.wait_for_url(f"{server}/desk/rounds/*")
    page.wait_for_selector("section.head .state.done", timeout=240_000)  # the page refreshes itself until then
    body = page.inner_text("main")
    assert "浙江省动力电池产业计量测试中心" in body and "损坏的文件.docx" in body and "已跳过" in body
    review_links = page.locator("td a[href*='/review/']")
    if review_links.count():
        with page.expect_download() as info:
            review_links.first.click()
        name = info.value.suggested_filename
    else:  # imtc.review not there yet: the workbook
        with page.expect_download() as info:
            page.click("text=汇总表（Excel）")
        name = info.value.suggested_filename
        assert name.endswith(".xlsx")
    saved = tmp_path / name
    info.value.save_as(str(saved))
    assert saved.stat().st_size > 0
    _shot(page, "desk-round.png", tmp_path)
