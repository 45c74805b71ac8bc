"""The database fixture of the store and register tests: SQLite in tmp_path, and PostgreSQL at
IMTC_TEST_PG_URL (.ci/postgres.sh starts one). Without that variable the PostgreSQL cases skip,
except under CI=true, where they fail: CI must test both. Import `db_url` into a test module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "IMTC_TEST_PG_URL"


def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set: CI runs the store and register tests on PostgreSQL (.ci/postgres.sh)")
        pytest.skip(f"{PG_ENV} not set (start a server with .ci/postgres.sh start DIR)")
    return url


def _empty(url: str) -> None:
    """Every table dropped (the store's, and those of other modules in the same database)."""
    from sqlalchemy import MetaData

    from imtc.store import Store

    with Store(url) as s:
        tables = MetaData()
        tables.reflect(s.engine)
        tables.drop_all(s.engine)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'imtc.sqlite'}"
        return
    url = pg_url()
    _empty(url)
    yield url
    _empty(url)
