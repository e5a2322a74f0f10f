"""Builders shared by the timeline and photo-editing tests: users, libraries, photos, tags."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.test import Client

from photonix.classifiers.models import PhotoTag, Tag
from photonix.core.models import User
from photonix.library.models import (
    Camera,
    Lens,
    Library,
    LibraryFolder,
    LibraryMember,
    Photo,
    PhotoFile,
)


def user(name: str) -> User:
    return User.objects.create_user(name)  # no password: hashing one is slow on purpose


def client_for(who: User) -> Client:
    client = Client()
    client.force_login(who)
    return client


def library(name: str, owner: User, *, role: str = "owner") -> LibraryFolder:
    lib = Library.objects.create(name=name)
    LibraryMember.objects.create(library=lib, user=owner, role=role)
    return LibraryFolder.objects.create(library=lib, path=f"/photos/{name}")


def member(folder: LibraryFolder, who: User, role: str) -> None:
    LibraryMember.objects.create(library_id=folder.library_id, user=who, role=role)


def at(year: int, month: int = 1, day: int = 1, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


_count = 0


def photo(folder: LibraryFolder, taken: dt.datetime | None, **facts: Any) -> Photo:
    """A recorded photo with one file, as recording leaves it."""
    global _count  # noqa: PLW0603 - unique file paths across one test
    _count += 1
    made = Photo.objects.create(library_id=folder.library_id, taken_local=taken, **facts)
    file = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=made,
        path=str(Path(folder.path) / f"shot{_count}.jpg"),
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.OK,
        size=1000,
        mtime_ns=1,
        file_type="JPEG",
    )
    made.preferred_file = file
    made.save(update_fields=["preferred_file"])
    return made


def tag(
    folder: LibraryFolder, name: str, tag_type: str = "object", parent: Tag | None = None
) -> Tag:
    return Tag.objects.create(library_id=folder.library_id, type=tag_type, name=name, parent=parent)


def tagged(photo_: Photo, tag_: Tag, verdict: str = "auto", confidence: float = 0.9) -> PhotoTag:
    return PhotoTag.objects.create(
        photo=photo_, tag=tag_, source="test", verdict=verdict, confidence=confidence
    )


def camera(make: str, model: str) -> Camera:
    return Camera.objects.create(make=make, model=model)


def lens(name: str) -> Lens:
    return Lens.objects.create(name=name)
