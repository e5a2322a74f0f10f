"""Every change to albums and share links goes through these functions.

Permission checks are the API's job; these functions enforce the invariants: an album's photos
belong to its library and are visible to the person adding them; a share shows photos of one
library only; changes to an album's photos hold a lock on the album row (PostgreSQL; SQLite's
transactions already take the write lock up front), so a reorder never interleaves with an add.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from photonix.albums import sharing
from photonix.albums.models import Album, AlbumMember, AlbumPhoto, ShareLink, ShareLinkPhoto
from photonix.core.errors import Category, PhotonixError
from photonix.core.models import User
from photonix.library import selectors as library_selectors
from photonix.library.models import Library, LibraryMember

# Manual positions are spaced so a move can usually land between two neighbours (one write).
GAP = 1024
BULK_LIMIT = 1000


class AlbumError(PhotonixError):
    """A request that cannot be carried out as asked (the message says why)."""


class NotAllowedError(AlbumError):
    """The user's role does not allow this."""

    category = Category.FORBIDDEN


class AlbumChangedError(AlbumError):
    """The album's photos are not what the request assumed (someone else changed them)."""

    category = Category.CONFLICT


def _locked(album: Album) -> Album:
    return Album.objects.select_for_update().get(pk=album.pk)


def _addable(user: User, library_id: int, photo_ids: Iterable[int]) -> list[int]:
    """Of ``photo_ids``, those of the library that the user can see, oldest first."""
    return list(
        library_selectors.photos_for(user)
        .filter(library_id=library_id, pk__in=list(photo_ids))
        .order_by("taken_local", "id")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def album_create(
    user: User,
    library: Library,
    name: str,
    *,
    description: str = "",
    sort: str = Album.Sort.TAKEN,
    photo_ids: Sequence[int] = (),
) -> Album:
    """Create an album in a library the user belongs to; the user becomes its owner."""
    if not LibraryMember.objects.filter(library=library, user=user).exists():
        raise NotAllowedError("You are not a member of this library.")
    album = Album.objects.create(
        library=library, name=name.strip(), description=description, sort=sort, created_by=user
    )
    AlbumMember.objects.create(album=album, user=user, role=AlbumMember.Role.OWNER)
    if photo_ids:
        album_add_photos(album, user, photo_ids)
    return album


@transaction.atomic
def album_update(album: Album, changes: Mapping[str, Any]) -> Album:
    """Rename, describe, re-sort or choose the cover (``cover_id``: a photo of the album whose
    image could be made, or None for the automatic cover). Only the keys present change."""
    album = _locked(album)
    fields = []
    for key in ("name", "description", "sort"):
        if key in changes:
            value = changes[key].strip() if key == "name" else changes[key]
            setattr(album, key, value)
            fields.append(key)
    if "cover_id" in changes:
        cover_id = changes["cover_id"]
        if cover_id is not None:
            entry = album.entries.filter(photo_id=cover_id).values("photo__failure").first()
            if entry is None:
                raise AlbumError("The cover must be a photo of the album.")
            if entry["photo__failure"]:
                raise AlbumError(
                    "This photo cannot be the cover: its image could not be made "
                    f"({entry['photo__failure']})."
                )
        album.cover_id = cover_id
        fields.append("cover")
    if fields:
        album.save(update_fields=[*fields, "updated_at"])
    return album


def album_delete(album: Album) -> None:
    """Delete the album, its members and its share links. Its photos stay in the library."""
    album.delete()


@transaction.atomic
def album_add_photos(album: Album, user: User, photo_ids: Iterable[int]) -> tuple[int, int]:
    """Append photos to the album (oldest first). Ids of photos already in it, of other
    libraries or that the user cannot see are ignored. Returns (added, ignored).

    A photo whose image could not be made (``Photo.failure``) is added like any other: the
    album keeps the person's choice, shows it marked failed, and never makes it the cover. (A
    photo can fail after it was added too, and a failure may pass: the file replaced, room made
    on a full disk.)"""
    requested = set(photo_ids)
    album = _locked(album)
    addable = _addable(user, album.library_id, requested)
    present = set(album.entries.filter(photo_id__in=addable).values_list("photo_id", flat=True))
    new = [pk for pk in addable if pk not in present]
    last = album.entries.aggregate(last=Max("position"))["last"] or 0
    AlbumPhoto.objects.bulk_create(
        AlbumPhoto(album=album, photo_id=pk, position=last + GAP * (i + 1))
        for i, pk in enumerate(new)
    )
    if new:
        album.save(update_fields=["updated_at"])
    return len(new), len(requested) - len(new)


@transaction.atomic
def album_remove_photos(album: Album, photo_ids: Iterable[int]) -> int:
    """Take photos out of the album (the photos themselves stay). Returns how many."""
    album = _locked(album)
    ids = list(set(photo_ids))
    removed, _ = album.entries.filter(photo_id__in=ids).delete()
    if removed:
        if album.cover_id in ids:
            album.cover = None
            album.save(update_fields=["cover", "updated_at"])
        else:
            album.save(update_fields=["updated_at"])
    return removed


def _renumber(album: Album, order: Sequence[int]) -> None:
    entries = {e.photo_id: e for e in album.entries.only("pk", "photo_id", "position")}
    changed = []
    for i, photo_id in enumerate(order):
        entry = entries[photo_id]
        if entry.position != (i + 1) * GAP:
            entry.position = (i + 1) * GAP
            changed.append(entry)
    AlbumPhoto.objects.bulk_update(changed, ["position"], batch_size=500)


@transaction.atomic
def album_reorder(album: Album, photo_ids: Sequence[int]) -> Album:
    """Put the album in this manual order: ``photo_ids`` must be exactly its photos.

    Raises :class:`AlbumChangedError` when they are not (a photo was added or removed since
    the client loaded the album): the client reloads instead of losing someone's change.
    """
    album = _locked(album)
    if len(set(photo_ids)) != len(photo_ids):
        raise AlbumError("The list names a photo twice.")
    current = set(album.entries.values_list("photo_id", flat=True))
    if set(photo_ids) != current:
        raise AlbumChangedError("The album's photos changed; reload it and try again.")
    _renumber(album, photo_ids)
    album.sort = Album.Sort.MANUAL
    album.save(update_fields=["sort", "updated_at"])
    return album


@transaction.atomic
def album_move(album: Album, photo_id: int, before_id: int | None) -> Album:
    """Move one photo in front of another (``before_id``), or to the end (None).

    The photo takes a position between its new neighbours: one row written, unless they have
    no room left between them, when the album is renumbered once (every row, O(n)).
    """
    album = _locked(album)
    entries = album.entries.all()
    moving = entries.filter(photo_id=photo_id).first()
    if moving is None or (before_id is not None and before_id == photo_id):
        raise AlbumChangedError("That photo is not in the album (any more).")
    if before_id is None:
        last = entries.exclude(pk=moving.pk).aggregate(last=Max("position"))["last"] or 0
        moving.position = last + GAP
    else:
        before = entries.filter(photo_id=before_id).first()
        if before is None:
            raise AlbumChangedError("The photo to move in front of is not in the album.")
        previous = (
            entries.exclude(pk=moving.pk)
            .filter(position__lt=before.position)
            .aggregate(p=Max("position"))["p"]
        )
        low = previous if previous is not None else before.position - 2 * GAP
        if before.position - low < 2:
            order = [
                e.photo_id for e in entries.exclude(pk=moving.pk).order_by("position", "photo_id")
            ]
            order.insert(order.index(before_id), photo_id)
            _renumber(album, order)
            album.sort = Album.Sort.MANUAL
            album.save(update_fields=["sort", "updated_at"])
            return album
        moving.position = (low + before.position) // 2
    moving.save(update_fields=["position"])
    album.sort = Album.Sort.MANUAL
    album.save(update_fields=["sort", "updated_at"])
    return album


@transaction.atomic
def album_member_set(album: Album, user: User, role: str) -> AlbumMember:
    """Share the album with a member of its library (or change their role)."""
    if not LibraryMember.objects.filter(library_id=album.library_id, user=user).exists():
        raise AlbumError("Albums can be shared only with members of their library.")
    owners = AlbumMember.objects.select_for_update().filter(
        album=album, role=AlbumMember.Role.OWNER
    )
    if role != AlbumMember.Role.OWNER and list(owners.values_list("user_id", flat=True)) == [
        user.pk
    ]:
        raise AlbumError("An album needs an owner: make someone else owner first.")
    member, _ = AlbumMember.objects.update_or_create(
        album=album, user=user, defaults={"role": role}
    )
    return member


@transaction.atomic
def album_member_remove(album: Album, user: User) -> None:
    """Stop sharing the album with someone. The last owner cannot leave."""
    members = AlbumMember.objects.select_for_update().filter(album=album)
    member = members.filter(user=user).first()
    if member is None:
        return
    if (
        member.role == AlbumMember.Role.OWNER
        and members.filter(role=AlbumMember.Role.OWNER).count() == 1
    ):
        raise AlbumError("An album needs an owner: make someone else owner first.")
    member.delete()


# Share links --------------------------------------------------------------------------------


def _clean_expiry(expires_at: dt.datetime | None) -> dt.datetime | None:
    if expires_at is not None and expires_at <= timezone.now():
        raise AlbumError("The expiry date must be in the future.")
    return expires_at


@transaction.atomic
def share_create(
    user: User,
    *,
    album: Album | None = None,
    photo_ids: Sequence[int] = (),
    label: str = "",
    expires_at: dt.datetime | None = None,
    password: str | None = None,
    allow_download: bool = False,
    show_metadata: bool = True,
    show_location: bool = False,
    strip_metadata: bool = False,
) -> tuple[ShareLink, str]:
    """Create a public link to an album, or to a selection of photos of one library.

    Returns the link and its token: the token is found by its hash, and kept sealed with the
    secret key so that the people who manage the link can copy it again (``sharing.unseal``).
    A link never shows a hidden photo (:func:`selectors.share_photos`), so a
    selection of hidden photos only is refused.
    """
    if album is not None:
        library_id = album.library_id
    else:
        visible = library_selectors.photos_for(user).filter(pk__in=list(photo_ids))
        libraries = set(visible.values_list("library_id", flat=True).distinct())
        if not libraries:
            raise AlbumError("None of these photos can be shared.")
        if len(libraries) > 1:
            raise AlbumError("A link can share photos of one library only.")
        if not visible.filter(hidden=False).exists():
            raise AlbumError("Hidden photos are not shared by link: unhide them first.")
        (library_id,) = libraries
    if not LibraryMember.objects.filter(
        library_id=library_id, user=user, role__in=sharing.PUBLISHER_ROLES
    ).exists():
        raise NotAllowedError(
            "Your role in this library does not allow sharing its photos by link."
        )
    token = sharing.new_token()
    share = ShareLink.objects.create(
        library_id=library_id,
        album=album,
        token_hash=sharing.token_hash(token),
        token_sealed=sharing.seal(token),
        label=label.strip(),
        expires_at=_clean_expiry(expires_at),
        password=sharing.password_hash(password),
        allow_download=allow_download,
        show_metadata=show_metadata,
        show_location=show_location,
        strip_metadata=strip_metadata,
        created_by=user,
    )
    if album is None:
        ids = _addable(user, library_id, photo_ids)
        ShareLinkPhoto.objects.bulk_create(ShareLinkPhoto(share=share, photo_id=pk) for pk in ids)
    return share, token


def share_update(share: ShareLink, changes: Mapping[str, Any]) -> ShareLink:
    """Change a link's label, expiry (None: never), password (None or "": none) or what it
    allows. Changing the password locks out everyone who unlocked it before."""
    fields = []
    for key in ("label", "allow_download", "show_metadata", "show_location", "strip_metadata"):
        if key in changes:
            setattr(share, key, changes[key])
            fields.append(key)
    if "expires_at" in changes:
        share.expires_at = _clean_expiry(changes["expires_at"])
        fields.append("expires_at")
    if "password" in changes:
        share.password = sharing.password_hash(changes["password"])
        fields.append("password")
    if fields:
        share.save(update_fields=[*fields, "updated_at"])
    return share


def share_revoke(share: ShareLink) -> None:
    """Revoke a link: it is deleted, and its token answers 404 like one that never existed."""
    share.delete()
