"""The security of public share links: tokens, passwords, unlock cookies and attempt limits.

- A token is ``secrets.token_urlsafe(32)`` (256 bits). Only its sha256 is stored, so a copy of
  the database reveals no link; a lookup hashes the presented token and finds it by that hash.
- A password is kept as a Django password hash. Unlocking sets a signed cookie, valid for
  ``UNLOCK_MAX_AGE``, whose path is the share's own API path: it is sent only with requests for
  that share, and it names the share and a fingerprint of its password hash, so it opens nothing
  else and stops working when the password changes.
- Password attempts are counted per share and client address (``ATTEMPTS_PER_ADDRESS`` a
  minute) and per share from everywhere (``ATTEMPTS_PER_SHARE``), in the ``shares`` cache, which
  every web process shares (Redis). Over the limit the answer is 429 with ``Retry-After``.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections.abc import Callable

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import caches
from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from photonix.albums.models import ShareLink
from photonix.core.errors import Category, PhotonixError
from photonix.library.models import LibraryMember

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything else cannot be a token of ours.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
UNLOCK_COOKIE = "photonix_share"
UNLOCK_SALT = "photonix.albums.share-unlock"
SEAL_SALT = "photonix.albums.share-token"
UNLOCK_MAX_AGE = 24 * 3600
ATTEMPT_WINDOW = 60
ATTEMPTS_PER_ADDRESS = 5
ATTEMPTS_PER_SHARE = 30
CACHE_ALIAS = "shares"
# Library roles that may publish the library's photos by link.
PUBLISHER_ROLES = (LibraryMember.Role.OWNER, LibraryMember.Role.EDITOR)
# The attempt windows' clock; tests replace it to stay inside one window.
clock: Callable[[], float] = time.time


class AttemptsUnavailableError(PhotonixError):
    """The attempt counters cannot be reached: refuse to check passwords rather than not count."""

    category = Category.UNAVAILABLE
    default_message = "Passwords cannot be checked right now; try again later."


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"{SEAL_SALT}:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(token: str) -> str:
    """The token encrypted (and authenticated) with a key derived from the secret key."""
    return _fernet().encrypt(token.encode()).decode()


def unseal(share: ShareLink) -> str | None:
    """The token of ``share``, or None: made before tokens were kept, or sealed with another
    secret key (the link still opens; its address just cannot be shown)."""
    if not share.token_sealed:
        return None
    try:
        token = _fernet().decrypt(share.token_sealed.encode()).decode()
    except InvalidToken:
        return None
    return token if token_hash(token) == share.token_hash else None


def share_path(token: str) -> str:
    """The API path of a share; its unlock cookie is scoped to it."""
    return f"/api/share/{token}"


def live_shares() -> Q:
    """Links that answer: not expired, and their creator may still publish the library's photos
    (a person who leaves a library, or loses the right to publish, takes their links along)."""
    publisher = LibraryMember.objects.filter(
        library_id=OuterRef("library_id"),
        user_id=OuterRef("created_by_id"),
        role__in=PUBLISHER_ROLES,
    )
    return (Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())) & Q(Exists(publisher))


def share_by_token(token: str) -> ShareLink | None:
    """The live share a token opens, or None (unknown, expired and revoked look the same)."""
    if not TOKEN_RE.fullmatch(token):
        return None
    return (
        ShareLink.objects.filter(live_shares(), token_hash=token_hash(token))
        .select_related("album")
        .first()
    )


def share_viewed(share: ShareLink) -> None:
    """Count a visit to the link's page (its views and last visit, shown to its managers)."""
    ShareLink.objects.filter(pk=share.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=timezone.now()
    )


def password_hash(password: str | None) -> str:
    return make_password(password) if password else ""


def password_check(share: ShareLink, password: str) -> bool:
    return bool(share.password) and check_password(password, share.password)


def _fingerprint(share: ShareLink) -> str:
    return salted_hmac(UNLOCK_SALT, f"{share.pk}:{share.password}").hexdigest()[:32]


def is_unlocked(request: HttpRequest, share: ShareLink) -> bool:
    """Whether this request may see the share: no password, or a valid unlock cookie for it."""
    if not share.password:
        return True
    value = request.get_signed_cookie(
        UNLOCK_COOKIE, default=None, salt=UNLOCK_SALT, max_age=UNLOCK_MAX_AGE
    )
    if not value:
        return False
    share_id, _, fingerprint = value.partition(":")
    return share_id == str(share.pk) and constant_time_compare(fingerprint, _fingerprint(share))


def unlock(response: HttpResponseBase, share: ShareLink, token: str) -> None:
    response.set_signed_cookie(
        UNLOCK_COOKIE,
        f"{share.pk}:{_fingerprint(share)}",
        salt=UNLOCK_SALT,
        max_age=UNLOCK_MAX_AGE,
        path=share_path(token),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def attempt_register(token: str, address: str) -> int | None:
    """Count one password attempt. Returns the seconds to wait when over the limit, else None.

    Fixed one-minute windows: the counter is incremented before the password is checked, so
    concurrent attempts cannot slip past the limit together.
    """
    now = clock()
    window = int(now // ATTEMPT_WINDOW)
    retry_after = max(1, ATTEMPT_WINDOW - int(now % ATTEMPT_WINDOW))
    share_key = f"share-unlock:{token_hash(token)[:32]}:{window}"
    cache = caches[CACHE_ALIAS]
    try:
        for key, limit in (
            (f"{share_key}:{address}", ATTEMPTS_PER_ADDRESS),
            (share_key, ATTEMPTS_PER_SHARE),
        ):
            cache.add(key, 0, timeout=2 * ATTEMPT_WINDOW)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=2 * ATTEMPT_WINDOW)
                count = 1
            if count > limit:
                return retry_after
    except Exception as exc:
        raise AttemptsUnavailableError from exc
    return None
