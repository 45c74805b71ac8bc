"""The command line, one module per command: `imtc extract`, `check`, `score`, `review`, `schema`,
`rules`, `serve`.

Each command module holds one thin function, `command`, and imports its heavy libraries inside it,
so that `imtc --help` loads only typer, rich and these modules. The commands are registered here,
explicitly, in the order the help lists them: a new command is one module and one line in COMMANDS.
Options several commands share are in common.py. The work itself is in imtc.service.assess().
"""

from __future__ import annotations

from types import ModuleType

import typer

from imtc.cli import check, extract, review, rules, schema, score, serve
from imtc.cli.common import Command, Group

COMMANDS: tuple[tuple[str, ModuleType], ...] = (
    ("extract", extract),
    ("check", check),
    ("score", score),
    ("review", review),
    ("schema", schema),
    ("rules", rules),
    ("serve", serve),
)

app = typer.Typer(
    cls=Group, help="读取并检查浙江省产业计量测试中心的申请书（附件1）和年度工作总结（附件4）。",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

for _name, _module in COMMANDS:
    app.command(cls=Command, name=_name)(_module.command)
