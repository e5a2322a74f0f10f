"""Write operations of the core. Views and commands call these; they hold the rules."""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.contrib.auth import password_validation
from django.db import transaction
from django.dispatch import Signal

from photonix.core.errors import Category, PhotonixError
from photonix.core.models import ApiToken, User

logger = logging.getLogger(__name__)


class SetupAlreadyDoneError(PhotonixError):
    """The first administrator exists; setup cannot run again."""

    category = Category.CONFLICT
    default_message = "Photonix is already set up; sign in instead."


# Sent inside the transaction that created the first administrator; ``user`` is that user.
first_admin_created = Signal()


def setup_required() -> bool:
    """True until the first account exists: the UI then shows the first-run page."""
    return not User.objects.exists()


@transaction.atomic
def user_create_first_admin(*, username: str, password: str, email: str = "") -> User:
    """Create the first administrator. Only possible while no account exists.

    Raises :class:`SetupAlreadyDoneError` once any account exists, and Django's
    ``ValidationError`` when the password fails the configured validators.
    """
    if User.objects.exists():
        raise SetupAlreadyDoneError
    user = User(username=username, email=email, is_staff=True, is_superuser=True)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    # Libraries added from the command line before anyone signed up belong to the first admin
    # (the library app answers this, in the same transaction).
    first_admin_created.send(sender=None, user=user)
    return user


# --- API tokens -----------------------------------------------------------------------------

TOKEN_MARK = "pnx_"  # noqa: S105 - how our tokens start, so secret scanners can spot them
TOKEN_PREFIX_CHARS = 8


def token_digest(raw: str) -> str:
    """The stored form of a token: sha256, hex. Tokens carry 256 random bits, so no salt or slow
    hash is needed: nobody can guess one to match a stolen digest."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_create(user: User, name: str) -> tuple[ApiToken, str]:
    """Create an API token for ``user``. Returns the row and the token, which is never stored."""
    while True:
        raw = TOKEN_MARK + secrets.token_urlsafe(32)
        prefix = raw[: len(TOKEN_MARK) + TOKEN_PREFIX_CHARS]
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken.objects.create(
        user=user, name=name.strip() or "API token", prefix=prefix, digest=token_digest(raw)
    )
    logger.info("API token %s created for user %s", prefix, user.pk)
    return token, raw


def token_revoke(user: User, token_id: int) -> bool:
    """Revoke one of ``user``'s tokens. False when ``user`` has no such token."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if deleted:
        logger.info("API token %s of user %s revoked", token_id, user.pk)
    return bool(deleted)


# --- Users ----------------------------------------------------------------------------------


class UserRuleError(PhotonixError, ValueError):
    """A change to a user that would break a rule (the last administrator, yourself)."""


def user_create(*, username: str, password: str, email: str = "", is_admin: bool = False) -> User:
    """Create a user (an administrator's action). Raises Django's ``ValidationError`` on a weak
    password or a taken username."""
    user = User(username=username, email=email, is_staff=is_admin, is_superuser=is_admin)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    logger.info("user %s (%s) created", user.pk, user.username)
    return user


def _other_active_admins(user: User) -> bool:
    return User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()


@transaction.atomic
def user_update(
    user: User,
    *,
    by: User,
    is_active: bool | None = None,
    is_admin: bool | None = None,
    email: str | None = None,
) -> User:
    """Enable or disable a user, grant or remove administration, change the e-mail address.

    An administrator cannot disable or demote themselves, and the last active administrator
    stays one: Photonix always keeps someone who can manage it.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk and (is_active is False or is_admin is False):
        raise UserRuleError("You cannot disable your own account or remove your own admin role.")
    demoted = is_active is False or is_admin is False
    if user.is_superuser and user.is_active and demoted and not _other_active_admins(user):
        raise UserRuleError("Photonix needs at least one active administrator.")
    if is_active is not None:
        user.is_active = is_active
    if is_admin is not None:
        user.is_superuser = user.is_staff = is_admin
    if email is not None:
        user.email = email
        user.full_clean(exclude=["password"])
    user.save()
    logger.info(
        "user %s updated by %s (active=%s, admin=%s)", user.pk, by.pk, user.is_active, is_admin
    )
    return user


def user_set_password(user: User, password: str) -> None:
    """Set a new password (validated). Every session of ``user`` ends: Django ties sessions to
    the password hash. API tokens stay; revoke them separately."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    logger.info("password of user %s changed", user.pk)


class WrongPasswordError(PhotonixError, ValueError):
    """The current password given to change it is wrong."""

    default_message = "Your current password is not this one."
    field = "old_password"


def password_change(user: User, *, old_password: str, new_password: str) -> None:
    """A user changes their own password, proving they know the current one."""
    if not user.check_password(old_password):
        raise WrongPasswordError
    user_set_password(user, new_password)
