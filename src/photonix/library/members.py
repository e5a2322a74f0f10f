"""Who belongs to a library, with which role — and the API owners use to change it.

Every library keeps at least one owner: the last one can be neither demoted nor removed, so a
library never ends up with nobody able to manage it. Adding a member or raising a role grants
power, which needs the password entered recently and which a request made with an API token may
not do at all (docs/security.md): the caller says how it refuses.
"""

from __future__ import annotations

from django.db import transaction

from photonix.core.errors import Category, PhotonixError
from photonix.core.models import User
from photonix.library.models import Library, LibraryMember

Role = LibraryMember.Role


LAST_OWNER = "A library keeps at least one owner: make someone else an owner first."

# Roles from least to most power: each may do what the ones before it may.
_POWER = {Role.VIEWER: 0, Role.EDITOR: 1, Role.OWNER: 2}


class LastOwnerError(PhotonixError, ValueError):
    """The change would leave the library without an owner."""


class GrantRefusedError(PhotonixError):
    """The change would give someone more power in the library, and the caller (an API token)
    may not grant."""

    category = Category.FORBIDDEN
    default_message = (
        "Adding a member or raising a role needs you signed in with your password; "
        "API tokens cannot do it."
    )


def _other_owners(membership: LibraryMember) -> bool:
    return (
        LibraryMember.objects.filter(library_id=membership.library_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def member_set_role(
    library: Library, user: User, role: str, *, grant_refusal: PhotonixError | None = None
) -> LibraryMember:
    """Add ``user`` to ``library`` with ``role``, or change their role.

    With ``grant_refusal`` (the caller may not grant: a request made with an API token, a
    session whose password is too old) only a change that takes power away is made: adding a
    member or raising a role raises ``grant_refusal``, decided under the membership's lock.
    """
    membership = (
        LibraryMember.objects.select_for_update().filter(library=library, user=user).first()
    )
    grants = membership is None or _POWER[Role(role)] > _POWER[Role(membership.role)]
    if grant_refusal is not None and grants:
        raise grant_refusal
    if membership is None:
        return LibraryMember.objects.create(library=library, user=user, role=role)
    if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
        raise LastOwnerError(LAST_OWNER, field="role")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(library: Library, user: User) -> None:
    membership = (
        LibraryMember.objects.select_for_update().filter(library=library, user=user).first()
    )
    if membership is None:
        return
    if membership.role == Role.OWNER and not _other_owners(membership):
        raise LastOwnerError(LAST_OWNER, field="user")
    membership.delete()
