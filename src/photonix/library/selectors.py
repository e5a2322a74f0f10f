"""Read queries of the library. Every one is scoped to the libraries a user belongs to."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from photonix.core.models import User
from photonix.library.models import Library, LibraryMember, Photo, PhotoFile


def libraries_for(user: User) -> QuerySet[Library]:
    return Library.objects.filter(members__user=user).distinct()


def library_role(user: User, library: Library) -> str | None:
    member = LibraryMember.objects.filter(library=library, user=user).first()
    return None if member is None else member.role


def library_manageable(user: User, library: Library) -> bool:
    """Whether ``user`` manages ``library``: its name, folders, members, scans, classifier
    switches and dates. Its owners do, and so do administrators who are members, whatever their
    role — that is server administration. Changing its photos (rating, tags, rotation, faces)
    goes by the role alone, administrators included (docs/accounts.md, ADR 7)."""
    role = library_role(user, library)
    return role == LibraryMember.Role.OWNER or (role is not None and user.is_superuser)


def library_visible_to(user: User, library_id: int) -> Library:
    """A library ``user`` belongs to, with its counts; 404 for any other (its existence is not
    told to non-members)."""
    return get_object_or_404(libraries_with_counts(user), pk=library_id)


def libraries_with_counts(user: User) -> QuerySet[Library]:
    return (
        libraries_for(user)
        .prefetch_related("folders")
        .annotate(
            photo_count=Count("photos", distinct=True),
            error_count=Count(
                "files",
                filter=Q(files__state__in=(PhotoFile.State.FAILED, PhotoFile.State.UNSUPPORTED)),
                distinct=True,
            ),
            # The caller's role, so the UI shows management controls to the owners only.
            role=Subquery(
                LibraryMember.objects.filter(library=OuterRef("pk"), user=user).values("role")[:1]
            ),
        )
        .order_by("name")
    )


def photos_for(user: User) -> QuerySet[Photo]:
    """Photos the user may see, newest first (undated photos last)."""
    return (
        Photo.objects.filter(library__in=libraries_for(user).values("pk"))
        .filter(preferred_file__isnull=False, preferred_file__state=PhotoFile.State.OK)
        .select_related("camera", "lens", "preferred_file")
        .order_by("-taken_local", "-id")
    )


def import_errors_for(user: User, library: Library) -> QuerySet[PhotoFile]:
    if library_role(user, library) is None:
        return PhotoFile.objects.none()
    return PhotoFile.objects.filter(
        library=library, state__in=(PhotoFile.State.FAILED, PhotoFile.State.UNSUPPORTED)
    ).order_by("path")
