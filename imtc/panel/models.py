"""The panel's boundary: what was read from each sheet, and the aggregate (`imtc panel --json`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from imtc.models import Finding


class Mark(BaseModel):
    """One expert's entry for one item, as read from the sheet."""

    key: str
    points: float | int | None = Field(None, description="the points counted; None when blank or not usable")
    raw: str = Field("", description="the 得分 cell as typed")
    band: str | None = Field(None, description="the band the expert ticked (annex 5), its words")
    comment: str = Field("", description="the expert's comments on the item: Word comments in the row, words beside the score")
    prefilled: int | None = Field(None, description="the points imtc pre-filled (自动 items)")
    row: int | None = Field(None, description="1-based row of the scoring table where the item was found")


class Sheet(BaseModel):
    file: str
    format: str
    expert: str | None = None
    expert_from: str | None = Field(None, description="签名 (the name on the sheet) or 文件名")
    rubric: str | None = None
    center: str | None = None
    year: int | None = None
    sha256: str | None = Field(None, description="the scored submission's digest, from the sheet's identifier")
    identified_by: str | None = Field(None, description="文档属性 (imtc's identifier) or 表内字段")
    marks: dict[str, Mark] = Field(default_factory=dict)
    counted: bool = Field(True, description="false when the sheet was left out of the aggregate (see findings)")
    findings: list[Finding] = Field(default_factory=list)


class ItemAggregate(BaseModel):
    key: str
    number: str
    title: str
    part: str
    max: int
    scores: dict[str, float | int | None] = Field(description="expert -> points (None: blank or not counted)")
    n: int
    mean: float | None = None
    median: float | None = None
    min: float | int | None = None
    max_given: float | int | None = None
    spread: float | int | None = None
    flagged: bool = Field(False, description="spread above the setting: for the panel to discuss")


class ExpertTotals(BaseModel):
    expert: str
    file: str
    totals: dict[str, Any] = Field(description="the measures' totals of this expert's points (score_assist/totals.py)")


class Panel(BaseModel):
    rubric: str | None
    rubric_title: str | None = None
    center: str | None
    year: int | None
    sha256: str | None = None
    experts: list[str]
    spread_threshold: float
    items: list[ItemAggregate]
    expert_totals: list[ExpertTotals]
    totals: dict[str, Any] = Field(description="the panel's totals: the measures' formula over the items' means")
    sheets: list[Sheet]
    findings: list[Finding] = Field(description="the panel's own findings (every sheet's are in sheets[].findings)")
