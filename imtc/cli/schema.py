"""`imtc schema [--score]`: the JSON Schema of `imtc extract --json` (or of `imtc score --json`)."""

from __future__ import annotations

from typing import Annotated

import typer

from imtc.cli import common as c


def command(
    score: Annotated[bool, typer.Option("--score", help="输出 score --json 结果（预评分）的 JSON Schema")] = False,
) -> None:
    """输出 extract --json 结果的 JSON Schema（加 --score：score --json 结果的）。"""
    from imtc.models import Extraction, Score

    c.print_json((Score if score else Extraction).model_json_schema())
