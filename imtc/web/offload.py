"""Blocking work of a request (saving an upload, checking a password) in threads of its own
bounded pool, so that a burst of uploads or logins never takes every thread the pages run in."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import Request

T = TypeVar("T")
POOLS = {"upload": 4, "password": 2}  # threads each; the pages keep the rest of anyio's 40


async def run_in(request: Request, pool: str, fn: Callable[..., T], *args: Any) -> T:
    limiters = request.app.state.__dict__.setdefault("_limiters", {})
    if pool not in limiters:  # made in the event loop, on first use
        limiters[pool] = anyio.CapacityLimiter(POOLS[pool])
    return await anyio.to_thread.run_sync(partial(fn, *args), limiter=limiters[pool])
