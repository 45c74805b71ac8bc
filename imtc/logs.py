"""Library warnings (pdfminer's "Cannot set gray non-stroke color", Python warnings) go to a log file
in the output folder, never into the progress bar or the user's terminal."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

LOG_NAME = "imtc.log"


def route_warnings(folder: Path | None) -> Path | None:
    """Send every logger's records and Python warnings to `folder`/imtc.log (created on the first
    record; workers forked afterwards append to it too), or nowhere when `folder` is None."""
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_imtc", False):
            root.removeHandler(h)
            h.close()
    target = None if folder is None else Path(folder) / LOG_NAME
    handler: logging.Handler = (logging.NullHandler() if target is None
                                else logging.FileHandler(target, encoding="utf-8", delay=True))
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
    handler._imtc = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    if root.level > logging.WARNING or root.level == logging.NOTSET:
        root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    warnings.simplefilter("default")
    return target
