"""The intake desk's login: one password set by the bureau, hashed with scrypt; sessions in the
database that expire; a CSRF token per session for every form; login attempts limited per address
and per account, atomically, in the database — so any number of serving processes share them and a
restart forgets nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import case, delete, or_, update

from imtc.web.db import Database, DeskSession, LoginLimit, insert_ignore, now

SCRYPT_N, SCRYPT_R, SCRYPT_P, SCRYPT_LEN = 2**14, 8, 1, 32
MIN_PASSWORD_LEN = 8
COOKIE = "imtc_desk"
MAX_FAILURES, FAILURE_WINDOW_S = 5, 15 * 60  # per address
ACCOUNT_MAX_FAILURES = 20  # per account, from all addresses together (a higher bar: one address cannot lock it)


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
    expires: datetime


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(t: datetime) -> datetime:
    """SQLite gives back naive datetimes (stored in UTC)."""
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


class Sessions:
    """Desk sessions in the database (so every serving process knows them, and a restart keeps
    them), found by the SHA-256 of their cookie token; an expired one is deleted when met."""

    def __init__(self, db: Database, minutes: float) -> None:
        self.db = db
        self.ttl = timedelta(minutes=minutes)

    def create(self) -> Session:
        s = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now() + self.ttl)
        with self.db.session() as tx:
            tx.add(DeskSession(token_hash=_digest(s.token), csrf=s.csrf, expires_at=s.expires))
        return s

    def get(self, token: str | None) -> Session | None:
        if not token or len(token) > 100:
            return None
        with self.db.session() as tx:  # a read; a write only for an expired session (the rest: retention cleanup)
            row = tx.get(DeskSession, _digest(token))
            if row is not None and _aware(row.expires_at) <= now():
                tx.delete(row)
                row = None
        return Session(token, row.csrf, row.expires_at) if row is not None else None

    def end(self, token: str | None) -> None:
        with self.db.session() as tx:
            tx.execute(delete(DeskSession).where(DeskSession.token_hash == _digest(token or "")))


def csrf_ok(session: Session, sent: object) -> bool:
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), session.csrf.encode())


@dataclass(frozen=True)
class Limit:
    key: str
    attempts: int  # at most this many in the window


def login_limits(address: str, account: str = "desk") -> list[Limit]:
    """Per address: MAX_FAILURES; per account (from every address together): ACCOUNT_MAX_FAILURES."""
    return [Limit(f"address:{address}"[:200], MAX_FAILURES), Limit(f"account:{account}"[:200], ACCOUNT_MAX_FAILURES)]


class _Refused(Exception):
    pass


class Throttle:
    """Login attempts limited per key in a window of FAILURE_WINDOW_S, counted in the database.

    An attempt takes its place *before* the password is checked, in one transaction whose update
    is conditional on the count (`attempts < limit`): parallel attempts cannot all pass a check
    made before any of them is recorded, and every serving process sees the same counts. A
    successful login gives the places back."""

    def __init__(self, db: Database, window_s: float = FAILURE_WINDOW_S) -> None:
        self.db = db
        self.window = timedelta(seconds=window_s)

    def reserve(self, limits: list[Limit]) -> bool:
        """Take one attempt under every limit, or none (False: over a limit, try later)."""
        at = now()
        fresh = LoginLimit.window_start < at - self.window
        try:
            with self.db.session() as tx:
                for limit in limits:
                    insert_ignore(tx, LoginLimit, key=limit.key, window_start=at, attempts=0)
                    done = tx.execute(update(LoginLimit).where(
                        LoginLimit.key == limit.key, or_(fresh, LoginLimit.attempts < limit.attempts)).values(
                        attempts=case((fresh, 1), else_=LoginLimit.attempts + 1),
                        window_start=case((fresh, at), else_=LoginLimit.window_start)))
                    if done.rowcount != 1:
                        raise _Refused  # rolls the whole transaction back
        except _Refused:
            return False
        return True

    def succeeded(self, limits: list[Limit]) -> None:
        with self.db.session() as tx:
            tx.execute(delete(LoginLimit).where(LoginLimit.key.in_([limit.key for limit in limits])))

    def forget_old(self) -> None:
        with self.db.session() as tx:
            tx.execute(delete(LoginLimit).where(LoginLimit.window_start < now() - self.window))
