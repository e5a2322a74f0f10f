"""Read queries of albums and share links, scoped to what the user may see.

A user sees an album when they are one of its members *and* still a member of its library;
a public share sees only its own photos.
"""

from __future__ import annotations

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce

from photonix.albums.models import Album, AlbumMember, AlbumPhoto, ShareLink, ShareLinkPhoto
from photonix.core.models import User
from photonix.library.models import LibraryMember, Photo, PhotoFile

# What an album shows: recorded photos out of the trash.
SHOWN = Q(preferred_file__state=PhotoFile.State.OK, trashed_at__isnull=True)
#: A photo that can be a cover: one with an image (thumbnails made, nothing failed since).
COVERABLE = Q(failure="", thumbnail_version__gt=0)
# What a public link shows: recorded photos that nobody hid and whose image could be made. Members
# see hidden and failed photos in their albums (marked so); visitors of a link never do.
PUBLIC = SHOWN & Q(hidden=False, failure="")


def albums_for(user: User) -> QuerySet[Album]:
    """Albums the user belongs to, with ``my_role`` (owner, editor or viewer)."""
    memberships = AlbumMember.objects.filter(user=user)
    return Album.objects.filter(
        pk__in=memberships.values("album_id"),
        library_id__in=LibraryMember.objects.filter(user=user).values("library_id"),
    ).annotate(
        my_role=Subquery(memberships.filter(album_id=OuterRef("pk")).values("role")[:1]),
    )


def albums_with_summary(
    user: User, *, library_id: int | None = None, q: str = ""
) -> QuerySet[Album]:
    """The album list: each with its photo count, date range and cover (the chosen one, unless
    its image could not be made; else the newest photo that has an image), most recently
    changed first."""
    shown = Q(
        entries__photo__preferred_file__state=PhotoFile.State.OK,
        entries__photo__trashed_at__isnull=True,
    )
    newest = (
        AlbumPhoto.objects.filter(
            album_id=OuterRef("pk"),
            photo__preferred_file__state=PhotoFile.State.OK,
            photo__trashed_at__isnull=True,
            photo__failure="",
            photo__thumbnail_version__gt=0,
        )
        .order_by(F("photo__taken_local").desc(nulls_last=True), "-photo_id")
        .values("photo_id")[:1]
    )
    chosen = Photo.objects.filter(
        pk=OuterRef("cover_id"), failure="", trashed_at__isnull=True
    ).values("pk")[:1]
    albums = albums_for(user)
    if library_id is not None:
        albums = albums.filter(library_id=library_id)
    if q.strip():
        albums = albums.filter(name__icontains=q.strip())
    return albums.annotate(
        photo_count=Count("entries", filter=shown),
        date_from=Min("entries__photo__taken_local", filter=shown),
        date_to=Max("entries__photo__taken_local", filter=shown),
        cover_photo_id=Coalesce(Subquery(chosen), Subquery(newest), output_field=BigIntegerField()),
    ).order_by("-updated_at", "-pk")


def _ordered(photos: QuerySet[Photo], sort: str) -> QuerySet[Photo]:
    if sort == Album.Sort.MANUAL:
        return photos.order_by(F("album_position").asc(), "id")
    if sort == Album.Sort.TAKEN_DESC:
        return photos.order_by(F("taken_local").desc(nulls_last=True), "-id")
    return photos.order_by(F("taken_local").asc(nulls_last=True), "id")


def album_photos(album: Album) -> QuerySet[Photo]:
    """The album's photos in its order (each with ``album_position``)."""
    photos = (
        Photo.objects.filter(SHOWN, album_entries__album=album)
        .annotate(album_position=F("album_entries__position"))
        .select_related("camera", "lens", "preferred_file")
    )
    return _ordered(photos, album.sort)


def album_members(album: Album) -> QuerySet[AlbumMember]:
    return album.members.select_related("user").order_by("user__username")


def album_candidates(album: Album) -> QuerySet[User]:
    """Members of the album's library who are not members of the album yet."""
    return (
        User.objects.filter(library_memberships__library_id=album.library_id, is_active=True)
        .exclude(album_memberships__album=album)
        .order_by("username")
    )


def shares_for(user: User) -> QuerySet[ShareLink]:
    """Links the user manages: their own, those of albums they own, every link of libraries
    they own. Each with ``photo_count``: the photos its visitors see (hidden ones left out)."""
    owned_albums = AlbumMember.objects.filter(user=user, role=AlbumMember.Role.OWNER)
    owned_libraries = LibraryMember.objects.filter(user=user, role=LibraryMember.Role.OWNER)
    member_of = LibraryMember.objects.filter(user=user).values("library_id")
    ok = PhotoFile.State.OK
    # What the link shows (``share_photos``): no hidden photo, none whose image could not be made.
    in_album = (
        AlbumPhoto.objects.filter(
            album_id=OuterRef("album_id"),
            photo__preferred_file__state=ok,
            photo__hidden=False,
            photo__trashed_at__isnull=True,
            photo__failure="",
        )
        .values("album_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    in_selection = (
        ShareLinkPhoto.objects.filter(
            share_id=OuterRef("pk"),
            photo__preferred_file__state=ok,
            photo__hidden=False,
            photo__trashed_at__isnull=True,
            photo__failure="",
        )
        .values("share_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ShareLink.objects.filter(library_id__in=member_of)
        .filter(
            Q(created_by=user)
            | Q(album_id__in=owned_albums.values("album_id"))
            | Q(library_id__in=owned_libraries.values("library_id"))
        )
        .annotate(
            photo_count=Case(
                When(album_id__isnull=False, then=Coalesce(Subquery(in_album), 0)),
                default=Coalesce(Subquery(in_selection), 0),
            )
        )
        .select_related("album", "created_by")
        .order_by("-created_at", "-pk")
    )


def share_photos(share: ShareLink) -> QuerySet[Photo]:
    """Everything a share link shows: its album's photos (as the album is now) or its selection,
    hidden photos (while they are hidden) and those whose image could not be made left out (the
    public has nothing to see of them; the album's members see them, marked so). The single gate
    of the public endpoints."""
    photos = Photo.objects.filter(PUBLIC, library_id=share.library_id)
    if share.album_id is not None:
        album = share.album
        assert album is not None  # noqa: S101 - album_id is set
        photos = photos.filter(album_entries__album_id=share.album_id).annotate(
            album_position=F("album_entries__position")
        )
        return _ordered(photos.select_related("camera", "lens", "preferred_file"), album.sort)
    photos = photos.filter(share_entries__share_id=share.pk)
    return _ordered(photos.select_related("camera", "lens", "preferred_file"), Album.Sort.TAKEN)


def albums_holding(photo_id: int) -> QuerySet[AlbumPhoto]:
    """The entries of a photo in albums (combine with :func:`albums_for`)."""
    return AlbumPhoto.objects.filter(photo_id=photo_id)
