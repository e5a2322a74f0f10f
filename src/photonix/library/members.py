"""Who belongs to a library, with which role — and the API owners use to change it.

Every library keeps at least one owner: the last one can be neither demoted nor removed, so a
library never ends up with nobody able to manage it.
"""

from __future__ import annotations

from django.db import transaction

from photonix.core.errors import PhotonixError
from photonix.core.models import User
from photonix.library.models import Library, LibraryMember

Role = LibraryMember.Role


LAST_OWNER = "A library keeps at least one owner: make someone else an owner first."


class LastOwnerError(PhotonixError, ValueError):
    """The change would leave the library without an owner."""


def _other_owners(membership: LibraryMember) -> bool:
    return (
        LibraryMember.objects.filter(library_id=membership.library_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def member_set_role(library: Library, user: User, role: str) -> LibraryMember:
    """Add ``user`` to ``library`` with ``role``, or change their role."""
    membership = (
        LibraryMember.objects.select_for_update().filter(library=library, user=user).first()
    )
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
