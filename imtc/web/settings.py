"""The web app's settings: one pydantic model, filled from defaults, IMTC_WEB_* variables and `imtc serve`."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field

from imtc.store import data_dir

ENV_PREFIX = "IMTC_WEB_"
DESK_PASSWORD_ENV = "IMTC_DESK_PASSWORD"
MB = 1024 * 1024


def default_data_dir() -> Path:
    return data_dir() / "web"


class Settings(BaseModel):
    data_dir: Path = Field(default_factory=default_data_dir,
                           description="uploads, results and the desk password file; never served as is")
    db: str | None = Field(None, description="database URL or SQLite path; None: the imtc store's default "
                                             "(IMTC_DB, else the SQLite file in the user's data folder)")
    max_upload_mb: float = Field(50, gt=0, description="largest document an applicant may upload")
    max_zip_mb: float = Field(500, gt=0, description="largest zip of a round")
    max_zip_members: int = Field(500, gt=0, description="entries in a round's zip")
    max_unpacked_mb: float = Field(2048, gt=0, description="sum of the declared sizes of a zip's entries")
    max_zip_ratio: float = Field(100, gt=1, description="declared size / compressed size of an entry over 1 MiB")
    timeout_s: float = Field(120, gt=0, description="time limit per document (extract, check, score, review)")
    jobs: int = Field(2, ge=1, description="documents processed at the same time (by each serving process)")
    max_queue: int = Field(100, ge=1, description="applicants' documents waiting at most; more uploads are "
                                                  "refused with a Chinese 'try again in a few minutes' page")
    retention_days: float = Field(30, gt=0, description="uploads and results older than this are deleted")
    cleanup_interval_s: float = Field(3600, gt=0, description="how often the retention cleanup runs")
    applicant_reviews: bool = Field(False, description="applicants may download the experts' pre-filled scoring "
                                                       "forms (review documents) of their draft")
    session_minutes: float = Field(120, gt=0, description="a desk login lasts this long")
    secure_cookies: bool = Field(False, description="mark the desk cookie Secure (set when served over HTTPS)")
    desk_password_hash: str | None = Field(None, description="scrypt hash; None: read <data_dir>/desk-password")
    allowed_hosts: list[str] | None = Field(None, description="Host headers answered (against DNS rebinding); "
                                                              "None: any. imtc serve on loopback sets the loopback names")

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * MB)

    @property
    def max_zip_bytes(self) -> int:
        return int(self.max_zip_mb * MB)

    @property
    def max_unpacked_bytes(self) -> int:
        return int(self.max_unpacked_mb * MB)

    @property
    def password_file(self) -> Path:
        return self.data_dir / "desk-password"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then IMTC_WEB_<FIELD> variables (IMTC_WEB_RETENTION_DAYS=7 …), then `overrides`
        (the command line's options; None means not given). IMTC_DESK_PASSWORD, when set, is hashed
        here and never written anywhere."""
        values: dict[str, object] = {}
        for name in cls.model_fields:
            text = os.environ.get(ENV_PREFIX + name.upper())
            if text is not None and text != "":
                values[name] = text
        values.update({k: v for k, v in overrides.items() if v is not None})
        password = os.environ.get(DESK_PASSWORD_ENV)
        if password and "desk_password_hash" not in values:
            from imtc.web.auth import hash_password

            values["desk_password_hash"] = hash_password(password)
        return cls.model_validate(values)
