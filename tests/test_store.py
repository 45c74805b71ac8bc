"""The store of centers and documents (SQLite in tmp_path; PostgreSQL is the same code by URL)."""

from __future__ import annotations

from pathlib import Path

import pytest

from imtc.models import Extraction, Meta, Source
from imtc.store import Store, StoreError, as_url, center_key, default_url, document_year, record_extraction
from tests.pg import db_url  # noqa: F401  (SQLite and PostgreSQL)


def doc(name: str, kind: str = "annual_report", year: int | None = 2024, center: str | None = "浙江省动力电池产业计量测试中心",
        submitted: str | None = None) -> Extraction:
    return Extraction(source=Source(file=f"{name}.docx", format="docx", sha256=name.ljust(64, "0")), kind=kind,  # type: ignore[arg-type]
                      meta=Meta(center_name=center, report_year=year if kind == "annual_report" else None,
                                submitted_on=submitted))


@pytest.fixture()
def store(db_url: str) -> Store:  # noqa: F811
    with Store(db_url) as s:
        yield s


def test_center_names_are_compared_normalised() -> None:
    assert center_key("浙江省动力电池产业计量测试中心") == center_key("浙江 动力电池产业计量测试中心")
    assert center_key("浙江省碳（碳）计量测试中心") == center_key("浙江省碳计量测试中心")
    assert center_key("浙江省动力电池产业计量测试中心") != center_key("浙江省集成电路产业计量测试中心")


def test_previous_plan_is_the_last_earlier_report_else_the_application(store: Store) -> None:
    app = doc("app", kind="application", submitted="2023-06-10")
    r24, r25, r26 = doc("r2024", year=2024), doc("r2025", year=2025), doc("r2026", year=2026)
    store.record(app)
    assert store.previous_plan(r24).file_name == "app.docx"  # first year: the application
    store.record(r24)
    store.record(r25)
    found = store.previous_plan(r26)
    assert (found.file_name, found.kind, found.year) == ("r2025.docx", "annual_report", 2025)
    assert found.extraction.meta.report_year == 2025
    assert store.previous_plan(r25).file_name == "r2024.docx"
    assert store.previous_plan(r24).file_name == "app.docx"  # not itself, not a later year
    # a revised 2025 report is measured against 2024, never against the other 2025 version
    assert store.previous_plan(doc("r2025-revised", year=2025)).file_name == "r2024.docx"
    assert [r.file_name for r in store.documents("浙江动力电池产业计量测试中心")] == [
        "app.docx", "r2024.docx", "r2025.docx"]
    assert [h.source.file for h in store.history(r26)] == ["app.docx", "r2024.docx", "r2025.docx"]


def test_nothing_to_find(store: Store) -> None:
    store.record(doc("other", center="浙江省集成电路产业计量测试中心"))
    assert store.previous_plan(doc("r2025", year=2025)) is None  # another center
    assert store.previous_plan(doc("r", year=None)) is None  # the report's year is unknown
    assert store.previous_plan(doc("nameless", center=None)) is None
    assert store.previous_plan(doc("app", kind="application")) is None


def test_recording_the_same_file_twice_keeps_one_row(store: Store) -> None:
    first = doc("same", year=2024)
    assert store.record(first)
    again = first.model_copy(update={"meta": Meta(center_name="浙江省动力电池产业计量测试中心", report_year=2024,
                                                  responsible_person="王建国")})
    assert store.record(again)
    docs = store.documents("浙江省动力电池产业计量测试中心")
    assert len(docs) == 1 and docs[0].extraction.meta.responsible_person == "王建国"
    assert not store.record(doc("x", kind="unknown"))
    assert not store.record(doc("y", kind="unreadable"))


def test_a_document_without_a_center_name_is_kept_but_found_by_none(store: Store) -> None:
    assert store.record(doc("anon", center=None))
    assert store.documents(None) == []


def test_urls_and_the_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IMTC_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_url() == f"sqlite:///{tmp_path / 'xdg' / 'imtc' / 'imtc.sqlite'}"
    with Store() as s:  # creates the folder
        assert s.record(doc("a"))
    assert (tmp_path / "xdg" / "imtc" / "imtc.sqlite").is_file()
    monkeypatch.setenv("IMTC_DB", "sqlite:///" + str(tmp_path / "env.sqlite"))
    assert default_url().endswith("env.sqlite")
    assert as_url("sqlite://") == "sqlite://"
    assert as_url(tmp_path / "x.sqlite") == f"sqlite:///{tmp_path / 'x.sqlite'}"
    assert as_url("postgresql+psycopg://u@h/imtc") == "postgresql+psycopg://u@h/imtc"


def test_bad_database_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="无法打开记录库"):
        Store("nosuchdialect://x/y")
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError):
        Store(blocker / "sub" / "imtc.sqlite")  # its folder cannot be made under a file
    assert record_extraction(doc("a"), "nosuchdialect://x/y") is False


def test_record_extraction_for_check(tmp_path: Path) -> None:
    db = tmp_path / "imtc.sqlite"
    assert record_extraction(doc("r2024"), db) is True
    with Store(db) as s:
        assert s.previous_plan(doc("r2025", year=2025)).file_name == "r2024.docx"


def test_document_year() -> None:
    assert document_year(doc("r", year=2025)) == 2025
    assert document_year(doc("r", year=None, submitted="2025-11-24")) == 2025
    assert document_year(doc("a", kind="application", submitted="2023-06-10")) == 2023
    assert document_year(doc("a", kind="application")) is None


def test_imtc_db_may_be_a_plain_file_path(monkeypatch, tmp_path) -> None:
    from imtc.store import default_url

    monkeypatch.setenv("IMTC_DB", str(tmp_path / "round.sqlite"))
    assert default_url() == f"sqlite:///{tmp_path / 'round.sqlite'}"
