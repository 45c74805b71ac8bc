"""`imtc schema --score` describes what `imtc score --json` prints, for every sample it can score."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import imtc.cli
from imtc.models import Score

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# the samples that are applications or annual reports (the others cannot be scored: exit 2)
SCORABLE = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*")
                  if p.suffix in (".docx", ".doc", ".wps", ".pdf") and "hostile" not in p.parts
                  and p.name != "unrelated.docx")
FAST = ("power-battery.docx", "report-power-battery-2025.docx")


def invoke(*args: object) -> object:
    return CliRunner().invoke(imtc.cli.app, [str(a) for a in args], prog_name="imtc")


@pytest.fixture(scope="module")
def schema() -> dict:
    result = invoke("schema", "--score")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def _params() -> list:
    return [pytest.param(name, marks=() if name in FAST else (pytest.mark.slow,), id=name) for name in SCORABLE]


@pytest.mark.parametrize("name", _params())
def test_score_json_of_every_sample_fits_the_schema(name: str, schema: dict, tmp_path: Path) -> None:
    args = ["score", SAMPLES / name, "--json", "--db", tmp_path / "store.sqlite"]
    if name == "report-power-battery-2025.docx":
        args += ["--previous", SAMPLES / "report-power-battery-2024.docx"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    jsonschema.validate(data, schema)
    assert Score.model_validate(data).as_json() == data  # read back and written again: the same JSON
    assert data["rubric"] == ("annex5" if "report-" in name else "annex2")


def test_the_score_schema_names_the_contract_fields(schema: dict) -> None:
    """CONTRACT.md "imtc score PATH --json": these names are fixed."""
    assert set(schema["required"]) >= {"rubric", "rubric_title", "document", "items", "groups", "totals"}
    item = schema["$defs"]["ScoreItem"]
    assert {"title", "max", "value", "points", "basis", "evidence"} <= set(item["properties"])
    assert {"work", "plan", "assigned", "total", "grade"} <= set(schema["$defs"]["Annex5Totals"]["properties"])
