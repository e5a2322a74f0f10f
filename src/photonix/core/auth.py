"""Authentication of API clients by token, the sign-in lockout, and how recently a session's
password was entered.

**Tokens.** ``Authorization: Bearer pnx_…`` authenticates as the token's owner. The token is looked
up by its sha256 (the only form stored); an unknown, revoked or malformed token, or one whose user
is disabled, answers 401. A request without the header falls through to the session.

**Lockout.** Failed sign-ins are counted per username and per client address in the default cache
(Redis, shared by every web process). After ``PHOTONIX_LOGIN_MAX_FAILURES`` failures for one
username, or ``PHOTONIX_LOGIN_MAX_FAILURES_PER_IP`` from one address, within
``PHOTONIX_LOGIN_LOCKOUT_MINUTES``, sign-in is refused — even with the right password — with 429
and ``Retry-After`` until the lock expires. A successful sign-in clears the username's counter
(not the address's: signing in to one's own account must not reset an attack on others).

When the cache is unreachable (the broker is down), sign-in is **allowed** and a warning is
logged: the alternative, refusing every sign-in, would lock everyone out during a broker outage,
while passwords are still protected by Argon2 and the per-request throttle is lost only for that
time. docs/security.md says so.

**Recently entered password.** A session records when its user last entered their password
(signing in, first-run setup, a password change, or ``POST /api/auth/confirm-password``).
Managing accounts and roles needs it entered within ``PHOTONIX_RECENT_PASSWORD_MINUTES``
(:class:`~photonix.core.http.RecentPassword`): a session left open for its two weeks, or taken
over, cannot create an administrator or a token without the password. The time lives in the
session's server-side data, which the browser cannot change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from photonix.core.errors import Category, PhotonixError
from photonix.core.models import ApiToken, User
from photonix.core.services import TOKEN_MARK, token_digest

logger = logging.getLogger(__name__)

# ``last_used_at`` is written at most this often per token: a script calling in a loop must not
# cost a write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` with a personal API token."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        if not raw.startswith(TOKEN_MARK) or len(raw) > 100:
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This account is disabled.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Present so DRF answers 401 (not 403) to a request without valid credentials.
        return f'{self.keyword} realm="photonix"'


# --- Sign-in lockout ------------------------------------------------------------------------


def client_address(request: Request) -> str:
    """The client's address as the web server saw it (``REMOTE_ADDR``).

    ``X-Forwarded-For`` is deliberately not read: anyone can send it, and an attacker who could
    choose their address would never be locked out. Behind a proxy every client then shares the
    proxy's address, which is why the per-address limit is higher than the per-username one.
    """
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@dataclass(frozen=True)
class Lockout:
    seconds: int

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.seconds / 60))
        unit = "minute" if minutes == 1 else "minutes"
        return f"Too many failed sign-ins. Try again in {minutes} {unit}."


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    # Hashed: a username is personal data and may contain anything; keys stay short and safe.
    who = hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:32]
    return [
        (f"login-fail:user:{who}", settings.PHOTONIX_LOGIN_MAX_FAILURES),
        (f"login-fail:ip:{address}", settings.PHOTONIX_LOGIN_MAX_FAILURES_PER_IP),
    ]


def _window() -> int:
    return int(settings.PHOTONIX_LOGIN_LOCKOUT_MINUTES * 60)


def lockout_check(username: str, address: str) -> Lockout | None:
    """The lock on this username or address, if any. None also when the cache is unreachable."""
    try:
        now = time.time()
        for key, _limit in _keys(username, address):
            until = cache.get(f"{key}:locked")
            if until is not None and float(until) > now:
                return Lockout(seconds=max(1, math.ceil(float(until) - now)))
    except Exception as exc:  # noqa: BLE001 - a cache outage must not stop sign-in
        logger.warning("sign-in lockout not checked: the cache is unreachable (%s)", exc)
    return None


def lockout_register_failure(username: str, address: str) -> Lockout | None:
    """Count a failed sign-in; returns the lock it caused, if this failure reached a limit."""
    window = _window()
    locked: Lockout | None = None
    try:
        for key, limit in _keys(username, address):
            # A fixed window opened by the first failure: add() creates the counter with its
            # expiry only if absent, incr() is atomic across processes.
            cache.add(key, 0, timeout=window)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
                count = 1
            if count >= limit:
                cache.set(f"{key}:locked", time.time() + window, timeout=window)
                cache.delete(key)
                locked = Lockout(seconds=window)
                logger.warning(
                    "sign-in locked for %d minutes after %d failures (%s)",
                    window // 60,
                    count,
                    "address " + address if ":ip:" in key else "one username",
                )
    except Exception as exc:  # noqa: BLE001
        logger.warning("failed sign-in not counted: the cache is unreachable (%s)", exc)
    return locked


def lockout_register_success(username: str, address: str) -> None:
    """A successful sign-in forgets the username's failures (not the address's)."""
    key = _keys(username, address)[0][0]
    try:
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001
        logger.warning("sign-in counter not cleared: the cache is unreachable (%s)", exc)


# --- Recently entered password --------------------------------------------------------------

# The session key holding when the password was last entered (seconds since the epoch).
PASSWORD_ENTERED_AT = "photonix_password_entered_at"  # noqa: S105 - a key, not a secret


class PasswordRequiredError(PhotonixError):
    """The request needs the password entered recently, and this session's is too old."""

    category = Category.FORBIDDEN
    code = "password_required"
    default_message = "Enter your password again to do this."


def password_entered(session: SessionBase) -> None:
    """Record in ``session`` that its user entered their password just now."""
    session[PASSWORD_ENTERED_AT] = time.time()


def password_recent(session: SessionBase) -> bool:
    """Whether the password was entered in ``session`` within the last
    ``PHOTONIX_RECENT_PASSWORD_MINUTES``."""
    entered = session.get(PASSWORD_ENTERED_AT)
    if not isinstance(entered, int | float):
        return False
    return time.time() - entered < settings.PHOTONIX_RECENT_PASSWORD_MINUTES * 60
