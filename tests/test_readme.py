"""The README stays true: its command-line table names every command with options that exist, and its
examples are what imtc prints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

import imtc.cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLES = ROOT / "samples"
ROW = re.compile(r"^\| `imtc ([a-z-]+)([^`]*)`", re.M)


def invoke(*args: object) -> object:
    return CliRunner().invoke(imtc.cli.app, [str(a) for a in args], prog_name="imtc")


def table() -> list[tuple[str, list[str]]]:
    """(command, the options its row names) for every row of the command-line table."""
    return [(m.group(1), re.findall(r"--[a-z][a-z-]*", m.group(2))) for m in ROW.finditer(README)]


def test_the_table_names_every_command_and_only_commands_that_exist() -> None:
    commands = typer.main.get_command(imtc.cli.app).commands
    assert {name for name, _ in table()} == set(commands)


@pytest.mark.parametrize(("name", "options"), table(), ids=[f"{n} {' '.join(o)}".strip() for n, o in table()])
def test_every_option_in_the_table_exists(name: str, options: list[str]) -> None:
    command = typer.main.get_command(imtc.cli.app).commands[name]
    known = {opt for p in command.params for opt in p.opts}
    assert set(options) <= known, f"imtc {name}: {sorted(set(options) - known)} not options of the command"


def test_every_command_has_its_help() -> None:
    for name, _ in table():
        result = invoke(name, "--help")
        assert result.exit_code == 0, name


def test_schema_and_rules_exit_0_as_the_table_says() -> None:
    for args in (["schema"], ["schema", "--score"], ["rules"], ["rules", "--markdown"]):
        assert invoke(*args).exit_code == 0, args


def _example(after: str) -> dict:
    """The JSON block that follows the README's sentence `after`."""
    opening = README.index("```json\n", README.index(after)) + len("```json\n")
    return json.loads(README[opening: README.index("\n```", opening)])


def test_the_extract_example_is_what_imtc_prints() -> None:
    want = _example("`imtc extract FILE --json` prints one object per file")
    result = invoke("extract", SAMPLES / want["source"]["file"], "--json")
    assert result.exit_code == 0
    got = json.loads(result.stdout)
    assert got["schema_version"] == want["schema_version"] and got["kind"] == want["kind"]
    assert {k: got["source"][k] for k in ("file", "format", "pages", "size")} == {
        k: want["source"][k] for k in ("file", "format", "pages", "size")}
    assert got["meta"] == want["meta"]
    section = want["sections"][0]
    assert next(s for s in got["sections"] if s["key"] == section["key"]) == section
    table_want, table_got = want["tables"]["equipment"], got["tables"]["equipment"]
    assert (table_got["status"], table_got["total_wan"]) == (table_want["status"], table_want["total_wan"])
    row = {k: v for k, v in table_want["rows"][0].items() if k != "…"}
    assert {k: table_got["rows"][0][k] for k in row} == row
    assert want["findings"][0] in got["findings"]
    assert set(got["entities"]) >= set(want["entities"]) - {"…"}


@pytest.mark.slow  # every sample, OCR included: what .ci/run does first
def test_the_first_command_exits_2_and_writes_the_workbook(tmp_path: Path) -> None:
    """`imtc check samples/ --out imtc-out`: the hostile samples are unreadable on purpose."""
    assert ".venv/bin/imtc check samples/ --out imtc-out" in README
    result = invoke("check", SAMPLES, "--out", tmp_path / "imtc-out", "--silent")
    assert result.exit_code == 2
    assert (tmp_path / "imtc-out" / "summary.xlsx").stat().st_size > 0
