"""The output contract (../shared/CONTRACT.md) as pydantic models.

Every name here is read by scripts and tests outside the project: add fields, never rename or
drop one. `imtc schema` prints the JSON Schema generated from these classes.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, field_validator, model_serializer

SCHEMA_VERSION = "1"

Kind = Literal["application", "annual_report", "unknown", "unreadable"]
Status = Literal["present", "empty", "missing"]
Severity = Literal["error", "warning", "info"]
Format = Literal["docx", "doc", "wps", "pdf", "ofd"]


class Location(BaseModel):
    """Whatever lets a person find the place again; absent parts are left out of the JSON."""

    model_config = ConfigDict(extra="allow")

    page: int | None = Field(None, description="1-based page, where known")
    section: str | None = Field(None, description="outline key, e.g. 8.2")
    table: int | None = Field(None, description="0-based index of the Word/PDF table in document order")
    row: int | None = Field(None, description="0-based index of the data row in the table's rows")
    paragraph: int | None = Field(None, description="0-based index of the body paragraph in document order")
    field: str | None = Field(None, description="the row field the finding is about")
    blocks: list[str] | None = Field(
        None, description="ids of the Document blocks it was read from, in reading order: p12 (paragraph), "
                          "t3 (table), t3.r5 (grid row), t3.r5.c2 (cell); see imtc/extract/blocks.py")

    @model_serializer(mode="wrap")
    def _drop_none(self, handler: Any) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}


class Finding(BaseModel):
    code: str = Field(description="stable kebab-case code; see docs/rules.md")
    severity: Severity
    message: str = Field(description="Chinese, addressed to the document's author")
    location: Location = Field(default_factory=Location)
    detail: str | None = Field(
        None, description="technical detail for whoever maintains imtc (e.g. the exception), not for the author")

    @model_serializer(mode="wrap")
    def _drop_empty_detail(self, handler: Any) -> dict[str, Any]:
        """`detail` only where there is one (an internal error): findings read as before otherwise."""
        out = handler(self)
        if out.get("detail") is None:
            out.pop("detail", None)
        return out


class Source(BaseModel):
    file: str
    format: Format
    sha256: str
    pages: int | None = None
    size: int | None = Field(None, description="bytes")
    ocr: bool = Field(False, description="some page's content was read by OCR (a scanned page, no text layer)")
    ocr_confidence: dict[int, float] | None = Field(
        None, description="per page read by OCR (1-based page number): the recognition's mean confidence, 0-1")


class Meta(BaseModel):
    center_name: str | None = None
    applicant: str | None = None
    responsible_person: str | None = None
    submitted_on: str | None = Field(None, description="YYYY-MM-DD")
    report_year: int | None = None


class Section(BaseModel):
    key: str
    title: str
    status: Status
    heading: str | None = Field(None, description="the heading as the document writes it, label included")
    location: Location = Field(default_factory=Location)


# --- table rows ------------------------------------------------------------------------------


class Row(BaseModel):
    location: Location = Field(default_factory=Location)


class NeedsRow(Row):
    """五（一）校准项目技术需求表 and 五（二）关键参数测量项目技术需求表."""

    seq: str | None = None
    parameter: str | None = None
    range: str | None = None
    requirement: str | None = None
    capability: str | None = None
    stage: str | None = None
    planned: str | None = None
    remark: str | None = None


class TraceabilityRow(Row):
    seq: str | None = None
    need_parameter: str | None = None
    need_range: str | None = None
    need_tolerance: str | None = None
    device_model: str | None = None
    device_range: str | None = None
    device_requirement: str | None = None
    standard_model: str | None = None
    standard_range: str | None = None
    standard_requirement: str | None = None
    basis: str | None = None
    status: str | None = None


class EquipmentRow(Row):
    seq: str | None = None
    name: str | None = None
    model: str | None = None
    range: str | None = None
    requirement: str | None = None
    parameter: str | None = None
    investment_wan: float | None = None
    status: str | None = None


class CalibrationItemRow(Row):
    seq: str | None = None
    instrument: str | None = None
    quantity: str | None = None
    specification: str | None = None
    range: str | None = None
    requirement: str | None = None
    limitation: str | None = None
    remark: str | None = None


class KeyParameterItemRow(Row):
    seq: str | None = None
    parameter: str | None = None
    range: str | None = None
    specification: str | None = None
    requirement: str | None = None
    instrument: str | None = None
    model: str | None = None
    remark: str | None = None


class RoadmapRow(Row):
    area: Literal["frontier", "equipment_method", "common_technology"]
    milestone: str | None = None
    focus: str | None = None
    goal: str | None = None
    action: str | None = None


RowT = TypeVar("RowT", bound=Row)


class Table(BaseModel, Generic[RowT]):
    status: Status = "missing"
    rows: list[RowT] = Field(default_factory=list)
    location: Location = Field(default_factory=Location)


class EquipmentTable(Table[EquipmentRow]):
    total_wan: float | None = Field(None, description="the 合计 row's stated amount, null when absent")


ROW_MODELS: dict[str, type[Row]] = {
    "calibration_needs": NeedsRow,
    "key_parameter_needs": NeedsRow,
    "traceability": TraceabilityRow,
    "equipment": EquipmentRow,
    "calibration_items": CalibrationItemRow,
    "key_parameter_items": KeyParameterItemRow,
    "roadmaps": RoadmapRow,
    "equipment_plan": EquipmentRow,
    "calibration_items_plan": CalibrationItemRow,
    "key_parameter_items_plan": KeyParameterItemRow,
    "equipment_done": EquipmentRow,
    "calibration_items_done": CalibrationItemRow,
    "key_parameter_items_done": KeyParameterItemRow,
}

# The table kinds each document kind has, in the order CONTRACT.md lists them.
TABLE_KINDS: dict[str, list[str]] = {
    "application": ["calibration_needs", "key_parameter_needs", "traceability", "equipment",
                    "calibration_items", "key_parameter_items", "roadmaps"],
    "annual_report": ["equipment_plan", "calibration_items_plan", "key_parameter_items_plan",
                      "equipment_done", "calibration_items_done", "key_parameter_items_done"],
}


def row_fields(kind: str) -> list[str]:
    """The contract's fields of a table kind, in column order."""
    return [f for f in ROW_MODELS[kind].model_fields if f != "location"]


def new_table(kind: str) -> Table[Any]:
    model = ROW_MODELS[kind]
    if model is EquipmentRow:
        return EquipmentTable()
    return Table[model]()  # type: ignore[valid-type]


# --- entities (counted by the rubric; filled from annual reports) -----------------------------


class Patent(BaseModel):
    number: str | None = None
    title: str | None = None
    type: Literal["发明", "实用新型", "外观设计"] | None = None
    status: Literal["granted", "applied"] | None = None
    publication: str | None = Field(None, description="the publication number (CN…A) when the document also gives it")
    location: Location = Field(default_factory=Location)


class Standard(BaseModel):
    code: str | None = None
    title: str | None = None
    level: Literal["national", "industry", "local", "group", "enterprise"] | None = None
    status: Literal["published", "drafting"] | None = None
    date: str | None = Field(None, description="YYYY-MM or YYYY: when the document says it was published or approved")
    location: Location = Field(default_factory=Location)


class Project(BaseModel):
    title: str | None = None
    level: Literal["national", "provincial", "municipal", "other"] | None = None
    category: Literal["frontier", "equipment_method", "common_technology"] | None = None
    status: Literal["completed", "ongoing"] | None = None
    funder: str | None = Field(None, description="the words that gave the level (国家重点研发计划, 杭州市科技局 …)")
    date: str | None = Field(None, description="YYYY-MM or YYYY: when the document says it was completed")
    location: Location = Field(default_factory=Location)


class Award(BaseModel):
    title: str | None = None
    level: Literal["national", "provincial", "municipal", "other"] | None = None
    prize: str | None = Field(None, description="the prize as named, e.g. 浙江省科学技术进步奖二等奖")
    date: str | None = Field(None, description="YYYY: the award's year as the document gives it")
    location: Location = Field(default_factory=Location)


class Paper(BaseModel):
    title: str | None = None
    venue: str | None = None
    indexed: Literal["SCI", "EI", "CSCD", "中文核心"] | None = None
    date: str | None = Field(None, description="YYYY: the year of the issue")
    index_statement: str | None = Field(
        None, description="the list's own statement of index classes (其中SCI收录1篇、EI收录2篇) when the entry names "
                          "none and the statement cannot say which it is: the expert is asked")
    location: Location = Field(default_factory=Location)


class Talk(BaseModel):
    """An academic exchange report (学术交流报告); annex 5 item 2.5.4 counts them with papers."""

    title: str | None = None
    event: str | None = Field(None, description="the meeting, conference or forum where it was given")
    date: str | None = None
    location: Location = Field(default_factory=Location)


class Training(BaseModel):
    """A standard 宣贯 or training event the center held (annex 5 item 2.4.2)."""

    kind: Literal["宣贯", "培训"]
    title: str | None = Field(None, description="the event as named, e.g. JJF(浙) 1215-2025宣贯会")
    date: str | None = Field(None, description="YYYY-MM")
    participants: int | None = None
    standard: str | None = Field(None, description="the code of the standard it presented, if named")
    location: Location = Field(default_factory=Location)


class Case(BaseModel):
    """A service case (案例一：…), annex 5 items 1.5.2 and 1.5.3."""

    label: str | None = Field(None, description="its number as written: 一, 2 …")
    title: str | None = Field(None, description="its first sentence, shortened")
    other_industry: bool = Field(False, description="labelled as serving another industry (辐射其他产业)")
    location: Location = Field(default_factory=Location)


class Entities(BaseModel):
    patents: list[Patent] = Field(default_factory=list)
    standards: list[Standard] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    awards: list[Award] = Field(default_factory=list)
    papers: list[Paper] = Field(default_factory=list)
    talks: list[Talk] = Field(default_factory=list)
    trainings: list[Training] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)


class Extraction(BaseModel):
    """What `imtc extract --json` prints for one file."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    kind: Kind
    meta: Meta = Field(default_factory=Meta)
    sections: list[Section] = Field(default_factory=list)
    tables: dict[str, SerializeAsAny[Table]] = Field(default_factory=dict)  # type: ignore[type-arg]
    entities: Entities = Field(default_factory=Entities)
    findings: list[Finding] = Field(default_factory=list)

    @field_validator("tables", mode="before")
    @classmethod
    def _typed_tables(cls, value: Any) -> Any:
        """Saved JSON read back: each table as its own kind's model, rows typed by kind."""
        if not isinstance(value, dict):
            return value
        out = {}
        for kind, table in value.items():
            if isinstance(table, dict) and kind in ROW_MODELS:
                table = type(new_table(kind)).model_validate(table)
            out[kind] = table
        return out

    def counts(self) -> dict[str, int]:
        """Findings by severity."""
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out


# --- the pre-filled rubric: `imtc score --json` (CONTRACT.md "imtc score PATH --json") -------------

Basis = Literal["auto", "expert"]
RubricName = Literal["annex5", "annex2"]
Symbol = Literal["η", "a", "b", "n"]
RATIO_SYMBOLS = ("η", "a", "b")


class Evidence(BaseModel):
    """One line the expert can check, and where it is in the document."""

    model_config = ConfigDict(extra="allow")

    text: str
    location: Location = Field(default_factory=Location)


class ScoreItem(BaseModel):
    """One rubric item: its measured value, the band it falls in and the points, or left to the expert."""

    title: str
    max: int
    value: int | float | None = Field(description="the measured figure: a ratio 0-1 for η, a, b; a count for n")
    points: int | None = Field(description="the band's points for the value; null when left to the expert")
    basis: Basis
    evidence: list[Evidence] = Field(default_factory=list)
    part: str
    group: str
    band: str | None = Field(None, description="the annex's words of the band the value falls in")
    variables: dict[str, int | float | None] | None = Field(
        None, description="the other figures the bands read (absent when none)")
    suggestion: str | None = Field(None, description="for the expert, never counted (absent when none)")
    suggested_points: int | None = None
    formula: str | None = Field(None, description="the annex's formula text (absent when none)")
    symbol: Symbol | None = Field(
        None, description="what `value` is: η, a, b a ratio 0-1, n a count (absent for items without a figure)")

    @property
    def is_ratio(self) -> bool:
        return self.symbol in RATIO_SYMBOLS

    @model_serializer(mode="wrap")
    def _drop_absent(self, handler: Any) -> dict[str, Any]:
        out = handler(self)
        for key in ("variables", "formula", "symbol"):
            if out.get(key) is None:
                out.pop(key, None)
        if self.suggestion is None:
            out.pop("suggestion", None)
            out.pop("suggested_points", None)
        return out


class ScoredDocument(BaseModel):
    file: str
    sha256: str
    kind: Kind
    center_name: str | None = None
    report_year: int | None = None


class PreviousPlan(ScoredDocument):
    found_by: str | None = Field(None, description="how the previous plan was found (Chinese)")


class GroupTotal(BaseModel):
    title: str
    max: int
    items_max: int
    known_points: int
    missing: list[str]


class _Totals(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total: int | float | None = Field(description="exact (never rounded); null while some item is the expert's")
    grade: Literal["优秀", "合格", "不合格"] | None
    complete: bool
    missing: list[str] = Field(description="items still without points")
    total_min: int | float = Field(description="the total with every open item at 0")
    total_max: int | float = Field(description="the total with every open item at its maximum")
    grade_possible: list[Literal["优秀", "合格", "不合格"]]
    formula: str
    note: str


class Annex5Totals(_Totals):
    work: int | None
    plan: int | None
    assigned: int | None
    known_points: dict[Literal["work", "plan", "assigned"], int]
    auto_points: dict[Literal["work", "plan", "assigned"], int]
    assigned_unmet: bool | None


class Annex2Totals(_Totals):
    application: int | None
    site: int | None
    bonus: int | None = Field(description="reported beside the total, never in it")
    known_points: dict[Literal["application", "site", "bonus"], int]


class Score(BaseModel):
    """What `imtc score --json` prints: one document's rubric, pre-filled."""

    schema_version: str = SCHEMA_VERSION
    rubric: RubricName
    rubric_title: str
    document: ScoredDocument
    previous: PreviousPlan | None = None
    items: dict[str, ScoreItem]
    groups: dict[str, GroupTotal]
    totals: Annex5Totals | Annex2Totals

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
