"""The intake desk's login: one password set by the bureau, hashed with scrypt; sessions held in
memory that expire; a CSRF token per session for every form; failed logins slowed down.

Sessions live in this process: restarting the server logs the desk out, and the app must be served
by one process (uvicorn's default), which `imtc serve` does.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
MIN_PASSWORD_LEN = 8
COOKIE = "imtc_desk"
MAX_FAILURES, FAILURE_WINDOW_S = 5, 15 * 60


def hash_password(password: str, salt: bytes | None = None) -> str:
    """"scrypt$n$r$p$<salt hex>$<hash hex>"."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=SCRYPT_LEN)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.strip().split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected), maxmem=128 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def write_password_file(path: Path, password: str) -> None:
    """The hash (never the password) in a file only its owner can read, replaced atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(hash_password(password) + "\n")
    os.replace(tmp, path)


def read_password_file(path: Path) -> str | None:
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


@dataclass
class Session:
    token: str
    csrf: str
    expires: float


class Sessions:
    """Desk sessions by their cookie token; expired ones are forgotten when met."""

    def __init__(self, minutes: float) -> None:
        self.ttl = minutes * 60
        self._by_token: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self) -> Session:
        s = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), time.time() + self.ttl)
        with self._lock:
            self._by_token[s.token] = s
        return s

    def get(self, token: str | None) -> Session | None:
        if not token:
            return None
        now = time.time()
        with self._lock:
            for t in [t for t, s in self._by_token.items() if s.expires <= now]:
                del self._by_token[t]
            return self._by_token.get(token)

    def end(self, token: str | None) -> None:
        with self._lock:
            self._by_token.pop(token or "", None)


def csrf_ok(session: Session, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), session.csrf.encode())


class Throttle:
    """At most MAX_FAILURES failed logins per client address in FAILURE_WINDOW_S."""

    def __init__(self) -> None:
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, who: str, now: float) -> list[float]:
        recent = [t for t in self._failures.get(who, []) if now - t < FAILURE_WINDOW_S]
        self._failures[who] = recent
        return recent

    def blocked(self, who: str) -> bool:
        with self._lock:
            return len(self._recent(who, time.time())) >= MAX_FAILURES

    def failed(self, who: str) -> None:
        with self._lock:
            now = time.time()
            self._recent(who, now).append(now)

    def succeeded(self, who: str) -> None:
        with self._lock:
            self._failures.pop(who, None)
