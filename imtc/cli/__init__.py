"""The command line, one module per command.

Each command module holds thin functions that call into the library, and imports its heavy
libraries inside them, so that `imtc --help` loads only typer, rich and these modules. The commands
are registered here, explicitly, one line each, in the order the help lists them: a new command is a
module and one line below. Options several commands share are in common.py; the documents' work is
in imtc.service.assess().
"""

from __future__ import annotations

import typer

from imtc.cli import center, centers, check, extract, package, panel, review, rules, schema, score, serve
from imtc.cli.common import Command, Group

app = typer.Typer(
    cls=Group, help="读取并检查浙江省产业计量测试中心的申请书（附件1）和年度工作总结（附件4）。",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
)

app.command("extract", cls=Command)(extract.command)
app.command("check", cls=Command)(check.command)
app.command("score", cls=Command)(score.command)
app.command("review", cls=Command)(review.command)
app.command("panel", cls=Command)(panel.command)
app.command("centers", cls=Command)(centers.command)
app.command("center", cls=Command)(center.command)
app.command("package", cls=Command)(package.command)
app.command("schema", cls=Command)(schema.command)
app.command("rules", cls=Command)(rules.command)
app.command("serve", cls=serve.ServeCommand, options_metavar="[选项]")(serve.command)
