"""Single sign-on with an OpenID Connect provider (authorization code flow with PKCE).

**The flow.** ``GET /auth/oidc/login`` (:func:`sign_in_start`) reads the provider's discovery
document (``<issuer>/.well-known/openid-configuration``), keeps a fresh ``state``, ``nonce`` and
PKCE code verifier in the browser's session and sends the browser to the provider.
``GET /auth/oidc/callback`` (:func:`sign_in_finish`) takes that state out of the session (once: a
replayed or unknown state is refused), exchanges the code for tokens with the verifier and the
client secret, and verifies the ID token: its signature against the provider's published keys,
the issuer, the audience (our client id), the expiry and the nonce.

**Who signs in** (:func:`user_for_claims`). A user is found by the provider's ``(issuer, sub)``
(:class:`~photonix.core.models.OidcIdentity`), written at their first sign-in. Without one, an
existing account whose e-mail address the provider says is verified (``email_verified`` true) is
linked, when ``PHOTONIX_OIDC_LINK_BY_EMAIL`` allows it; else, with ``PHOTONIX_OIDC_AUTO_CREATE``,
a new user is created with the role every new user gets (not an administrator, member of no
library until an owner adds them) and no password. Once linked, the e-mail address is never
looked at again. A user disabled in Photonix is refused.

**Refusals** are :class:`SignInRefusedError` with a ``reason`` code; the callback sends the
browser back to the login page with ``?sso_error=<reason>``, which the page explains. Nothing is
written unless the sign-in succeeds.

**SSO only** (``PHOTONIX_OIDC_ONLY``): password sign-in is refused except to the break-glass
account (:func:`password_sign_in_allowed`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from photonix.conf import OidcConfig
from photonix.core.errors import Category, PhotonixError
from photonix.core.models import OidcIdentity, User

logger = logging.getLogger(__name__)

# The session key holding the sign-ins started in this browser: {state: pending sign-in}.
PENDING = "photonix_oidc_pending"
# A sign-in not finished within this time must start again.
PENDING_SECONDS = 10 * 60
# At most this many sign-ins wait at once per browser (several tabs); the oldest is dropped.
PENDING_MAX = 5
HTTP_TIMEOUT = 10.0
# Discovery documents and key sets are kept this long in the shared cache.
METADATA_SECONDS = 3600
# Clock difference tolerated between Photonix and the provider when checking exp and iat.
LEEWAY_SECONDS = 60
# Only public-key signatures: HMAC would make the client secret a signing key, "none" no key.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
ERROR_QUERY = "sso_error"
LOGIN_PATH = "/auth/oidc/login"
CALLBACK_PATH = "/auth/oidc/callback"

REASONS: dict[str, str] = {
    "not_configured": "Single sign-on is not set up.",
    "setup": "Photonix is not set up yet: create the administrator first.",
    "unavailable": "The sign-in provider could not be reached. Try again later.",
    "state": "This sign-in expired or was already used. Start again.",
    "refused": "The sign-in provider refused the sign-in.",
    "token": "The sign-in provider's answer could not be verified.",
    "email_unverified": "Your provider has not verified your e-mail address, so it cannot be "
    "matched to an account.",
    "already_linked": "The account with this e-mail address is linked to another account at "
    "the provider.",
    "no_account": "There is no Photonix account for you. Ask an administrator.",
    "disabled": "This account is disabled.",
}


class SignInRefusedError(PhotonixError):
    """A single sign-on that cannot complete; ``reason`` is one of :data:`REASONS`."""

    category = Category.FORBIDDEN

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason if reason in REASONS else "refused"
        self.detail = detail  # for the log only: never shown to the browser
        super().__init__(REASONS[self.reason])


class PasswordSignInDisabledError(PhotonixError):
    """Password sign-in is off (``PHOTONIX_OIDC_ONLY``) for this account."""

    category = Category.FORBIDDEN
    code = "sso_only"


def config() -> OidcConfig:
    value = settings.PHOTONIX_OIDC
    assert isinstance(value, OidcConfig)  # noqa: S101 - set by photonix.settings
    return value


# --- Password sign-in in SSO-only mode ---------------------------------------------------------


def password_sign_in_allowed(username: str) -> bool:
    """Whether ``username`` may sign in with a password.

    Always, unless SSO-only mode is on. Then only the break-glass account may: the one named by
    ``PHOTONIX_OIDC_BREAK_GLASS_USER`` or, when none is named, any administrator. Decided on the
    username before the password is checked, so a password is never tried for anyone else.
    """
    oidc = config()
    if not oidc.sso_only:
        return True
    if oidc.break_glass_user:
        return username == oidc.break_glass_user
    return User.objects.filter(username=username, is_superuser=True).exists()


def password_sign_in_refusal() -> PasswordSignInDisabledError:
    return PasswordSignInDisabledError(
        f"Password sign-in is turned off. Sign in with {config().button_label}."
    )


# --- The provider -----------------------------------------------------------------------------


def _cache_key(kind: str, issuer: str) -> str:
    return f"oidc:{kind}:{hashlib.sha256(issuer.encode()).hexdigest()[:32]}"


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefusedError("unavailable", f"GET {url}: {exc}") from exc
    if not isinstance(body, dict):
        raise SignInRefusedError("unavailable", f"GET {url}: not a JSON object")
    return body


def _cached(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception as exc:  # noqa: BLE001 - a cache outage only costs a fetch
        logger.warning("single sign-on: the cache is unreachable (%s)", exc)
        return None


def _store(key: str, value: Any) -> None:
    try:
        cache.set(key, value, timeout=METADATA_SECONDS)
    except Exception as exc:  # noqa: BLE001
        logger.warning("single sign-on: the cache is unreachable (%s)", exc)


def provider_metadata(oidc: OidcConfig) -> dict[str, Any]:
    """The provider's discovery document, checked to be the configured issuer's."""
    key = _cache_key("metadata", oidc.issuer)
    metadata = _cached(key)
    if isinstance(metadata, dict):
        return metadata
    metadata = _get_json(f"{oidc.issuer}/.well-known/openid-configuration")
    if str(metadata.get("issuer", "")).rstrip("/") != oidc.issuer:
        raise SignInRefusedError(
            "unavailable", f"the discovery document names issuer {metadata.get('issuer')!r}"
        )
    for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(needed), str):
            raise SignInRefusedError("unavailable", f"the discovery document has no {needed}")
    _store(key, metadata)
    return metadata


def provider_keys(oidc: OidcConfig, metadata: Mapping[str, Any], *, refresh: bool) -> KeySet:
    """The provider's signing keys (fetched again when ``refresh``: the provider rotated them)."""
    key = _cache_key("jwks", oidc.issuer)
    jwks = None if refresh else _cached(key)
    if not isinstance(jwks, dict):
        jwks = _get_json(str(metadata["jwks_uri"]))
        _store(key, jwks)
    try:
        return KeySet.import_key_set(jwks)  # type: ignore[arg-type]
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise SignInRefusedError("unavailable", f"the provider's keys are unusable: {exc}") from exc


def _algorithms(metadata: Mapping[str, Any]) -> list[str]:
    offered = metadata.get("id_token_signing_alg_values_supported")
    if not isinstance(offered, list):
        return ["RS256"]
    return [alg for alg in offered if alg in SIGNING_ALGORITHMS] or ["RS256"]


# --- The ID token -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """What a valid ID token must say about itself."""

    issuer: str
    client_id: str
    nonce: str
    access_token: str | None = None


def id_token_claims(
    id_token: str,
    keys: KeySet,
    expected: Expected,
    *,
    algorithms: list[str] | None = None,
    now: int | None = None,
) -> dict[str, Any]:
    """The claims of ``id_token`` once its signature, issuer, audience, expiry and nonce are
    verified. Raises :class:`SignInRefusedError` (``token``) otherwise."""
    registry = JWSRegistry(algorithms=algorithms or list(SIGNING_ALGORITHMS))
    try:
        token = jwt.decode(id_token, keys, registry=registry)
        claims = CodeIDToken(
            token.claims,
            token.header,
            {
                "iss": {"essential": True, "value": expected.issuer},
                "aud": {"essential": True, "value": expected.client_id},
            },
            {
                "nonce": expected.nonce,
                "client_id": expected.client_id,
                "access_token": expected.access_token,
            },
        )
        claims.validate(now=now, leeway=LEEWAY_SECONDS)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise SignInRefusedError("token", f"ID token refused: {exc!r}") from exc
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise SignInRefusedError("token", "ID token without a usable sub")
    return dict(claims)


# --- Starting and finishing a sign-in ----------------------------------------------------------


def _client(oidc: OidcConfig, redirect_uri: str) -> OAuth2Session:
    return OAuth2Session(
        client_id=oidc.client_id,
        client_secret=oidc.client_secret,
        scope=" ".join(oidc.scopes),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )


def safe_next(value: str | None) -> str:
    """A path on this site to land on after signing in ("/" for anything else)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(ch in value for ch in "\r\n\t\\") or len(value) > 2000:
        return "/"
    return value


def sign_in_start(session: SessionBase, redirect_uri: str, next_path: str | None) -> str:
    """Remember a new sign-in in ``session``; the provider's URL to send the browser to."""
    oidc = config()
    if not oidc.enabled:
        raise SignInRefusedError("not_configured")
    metadata = provider_metadata(oidc)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43 to 128
    pending = _pending(session)
    pending[state] = {
        "nonce": nonce,
        "verifier": verifier,
        "next": safe_next(next_path),
        "redirect_uri": redirect_uri,
        "at": time.time(),
    }
    while len(pending) > PENDING_MAX:
        pending.pop(min(pending, key=lambda s: float(pending[s]["at"])))
    session[PENDING] = pending
    url, _ = _client(oidc, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
    )
    return str(url)


def _pending(session: SessionBase) -> dict[str, dict[str, Any]]:
    stored = session.get(PENDING)
    if not isinstance(stored, dict):
        return {}
    now = time.time()
    return {
        state: entry
        for state, entry in stored.items()
        if isinstance(entry, dict) and now - float(entry.get("at", 0)) < PENDING_SECONDS
    }


def _take_pending(session: SessionBase, state: str) -> dict[str, Any] | None:
    """The sign-in started with ``state``, removed from the session: a state is good once."""
    pending = _pending(session)
    entry = pending.pop(state, None) if state else None
    session[PENDING] = pending
    return entry


@dataclass(frozen=True)
class SignedIn:
    user: User
    next_path: str


def sign_in_finish(session: SessionBase, params: Mapping[str, str]) -> SignedIn:
    """Finish the sign-in the provider sent the browser back from (``params``: the callback's
    query). The user to sign in, or :class:`SignInRefusedError`."""
    oidc = config()
    if not oidc.enabled:
        raise SignInRefusedError("not_configured")
    entry = _take_pending(session, params.get("state", ""))
    if entry is None:
        raise SignInRefusedError("state", "unknown, expired or already used state")
    if error := params.get("error"):
        description = params.get("error_description", "")[:300]
        raise SignInRefusedError("refused", f"provider answered {error[:100]}: {description}")
    code = params.get("code")
    if not code:
        raise SignInRefusedError("refused", "callback without a code")
    metadata = provider_metadata(oidc)
    try:
        tokens = _client(oidc, str(entry["redirect_uri"])).fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=code,
            code_verifier=entry["verifier"],
            timeout=HTTP_TIMEOUT,
        )
    except requests.RequestException as exc:
        raise SignInRefusedError("unavailable", f"token endpoint: {exc}") from exc
    except (OAuthError, ValueError, KeyError) as exc:
        raise SignInRefusedError("refused", f"token endpoint refused the code: {exc}") from exc
    id_token = tokens.get("id_token") if isinstance(tokens, Mapping) else None
    if not isinstance(id_token, str):
        raise SignInRefusedError("token", "token response without an ID token")
    expected = Expected(
        issuer=oidc.issuer,
        client_id=oidc.client_id,
        nonce=str(entry["nonce"]),
        access_token=tokens.get("access_token"),
    )
    algorithms = _algorithms(metadata)
    try:
        claims = id_token_claims(
            id_token, provider_keys(oidc, metadata, refresh=False), expected, algorithms=algorithms
        )
    except SignInRefusedError:
        # Perhaps the provider rotated its keys since they were cached: once more with fresh ones.
        claims = id_token_claims(
            id_token, provider_keys(oidc, metadata, refresh=True), expected, algorithms=algorithms
        )
    try:
        user = user_for_claims(oidc, claims)
    except IntegrityError:
        # The same person's first sign-in finished twice at once: the other one linked them.
        user = user_for_claims(oidc, claims)
    return SignedIn(user=user, next_path=str(entry["next"]))


# --- Who signs in -------------------------------------------------------------------------------


def _verified(claims: Mapping[str, Any]) -> bool:
    # Some providers send the boolean as a string.
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


USERNAME_CHARS = re.compile(r"[^\w.@+-]")


def _new_username(claims: Mapping[str, Any]) -> str:
    """A free username from the provider's preferred username, the e-mail's local part or the
    subject, with a number added when taken."""
    for candidate in (
        claims.get("preferred_username"),
        str(claims.get("email") or "").split("@")[0],
        claims.get("sub"),
    ):
        base = USERNAME_CHARS.sub("", str(candidate or ""))[:140]
        if base:
            break
    else:
        base = "user"
    name, number = base, 1
    while User.objects.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}{number}"
    return name


@transaction.atomic
def user_for_claims(oidc: OidcConfig, claims: Mapping[str, Any]) -> User:
    """The user the verified ``claims`` sign in: by (issuer, sub), else linked by a verified
    e-mail address, else created. Writes nothing when it refuses."""
    subject = str(claims["sub"])
    identity = (
        OidcIdentity.objects.select_related("user")
        .filter(issuer=oidc.issuer, subject=subject)
        .first()
    )
    if identity is not None:
        if not identity.user.is_active:
            raise SignInRefusedError("disabled", f"user {identity.user.pk} is disabled")
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        return identity.user

    if not User.objects.exists():
        raise SignInRefusedError("setup", "no account exists yet")
    email = str(claims.get("email") or "").strip()
    verified = bool(email) and _verified(claims)
    if oidc.link_by_email and email:
        matches = list(User.objects.filter(email__iexact=email)[:2])
        if matches:
            if not verified:
                raise SignInRefusedError("email_unverified", f"{subject}: e-mail not verified")
            if len(matches) > 1:
                raise SignInRefusedError("no_account", f"{subject}: several accounts share it")
            user = matches[0]
            if OidcIdentity.objects.filter(issuer=oidc.issuer, user=user).exists():
                raise SignInRefusedError("already_linked", f"user {user.pk} has another subject")
            if not user.is_active:
                raise SignInRefusedError("disabled", f"user {user.pk} is disabled")
            OidcIdentity.objects.create(
                user=user,
                issuer=oidc.issuer,
                subject=subject,
                email=email,
                last_login_at=timezone.now(),
            )
            logger.info("single sign-on: user %s linked by verified e-mail", user.pk)
            return user
    if not oidc.auto_create:
        raise SignInRefusedError("no_account", f"{subject}: no linked account")
    user = User(username=_new_username(claims), email=email if verified else "")
    user.first_name = str(claims.get("given_name") or "")[:150]
    user.last_name = str(claims.get("family_name") or "")[:150]
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    OidcIdentity.objects.create(
        user=user,
        issuer=oidc.issuer,
        subject=subject,
        email=email if verified else "",
        last_login_at=timezone.now(),
    )
    logger.info("single sign-on: user %s (%s) created", user.pk, user.username)
    return user
