"""Which photos a user sees on the timeline: recorded, dated, in a library they belong to, and
not in the trash.

The base every browse query (filters, search, facets, map) starts from. A photo in the trash is
seen only by the trash's own listing (``trashed=True``).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from photonix.core.models import User
from photonix.library.models import LibraryMember, Photo, PhotoFile

# A condition no photo meets that still compiles to SQL (``pk__in=[]`` cannot be written
# into a statement of our own: Django drops the whole query instead).
NOTHING = Q(pk__isnull=True)
NOT_RECORDED = tuple(state for state in PhotoFile.State if state != PhotoFile.State.OK)


def visible_q(user: User, *, whole: bool = False, trashed: bool = False) -> Q:
    """Photos of the user's libraries that are on the timeline (recorded, dated).

    ``whole``: for a query that reads the whole selection (an aggregate), not its first rows.
    ``trashed``: the photos in the trash instead of those out of it.
    """
    if trashed:
        # The trash lists its photos whatever became of their files (one gone from disk is
        # shown, so it can be deleted for good; restoring it says why it cannot be).
        recorded = Q(preferred_file_id__isnull=False)
    elif whole and connection.vendor == "sqlite":
        # A correlated EXISTS looks each photo's file up (100,000 lookups for 100,000 photos);
        # the files that are not recorded are few, and SQLite lists them once from the state
        # index. (PostgreSQL turns the EXISTS into a hash join by itself.)
        unrecorded = PhotoFile.objects.filter(state__in=NOT_RECORDED).values("pk")
        recorded = Q(preferred_file_id__isnull=False) & ~Q(preferred_file_id__in=unrecorded)
    else:
        # The file check is a correlated EXISTS, not a join: a join lets SQLite start from the
        # files table and sort every photo, where walking the timeline index stops after a page.
        file = PhotoFile.objects.filter(pk=OuterRef("preferred_file_id"), state=PhotoFile.State.OK)
        recorded = Q(Exists(file))
    return recorded & Q(
        library_id__in=LibraryMember.objects.filter(user=user).values("library_id"),
        taken_local__isnull=False,
        trashed_at__isnull=not trashed,
    )


def visible_photos(user: User, *, whole: bool = False, trashed: bool = False) -> QuerySet[Photo]:
    """The photos of ``visible_q``, unordered."""
    return Photo.objects.filter(visible_q(user, whole=whole, trashed=trashed))
