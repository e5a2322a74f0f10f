"""Fixtures of the album tests: two libraries with photos whose files and thumbnails exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from photonix.core.models import User
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile
from photonix.storage.derived import SIZE_BY_NAME, thumbnail_path

PASSWORD = "correct horse battery staple"


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2024, 1, day, hour, tzinfo=dt.UTC)


@dataclass
class World:
    root: Path
    libraries: dict[str, Library] = field(default_factory=dict)
    folders: dict[str, LibraryFolder] = field(default_factory=dict)

    def user(self, name: str, **roles: str) -> User:
        """A user with a role in each named library (``home="viewer"``)."""
        user = User.objects.create_user(name, password=PASSWORD)
        for library, role in roles.items():
            LibraryMember.objects.create(library=self.libraries[library], user=user, role=role)
        return user

    def library(self, name: str) -> Library:
        root = self.root / name
        root.mkdir(parents=True)
        library = Library.objects.create(name=name)
        self.libraries[name] = library
        self.folders[name] = LibraryFolder.objects.create(library=library, path=str(root))
        return library

    def photo(
        self,
        library: str,
        name: str,
        taken: dt.datetime | None,
        *,
        content: bytes | None = None,
        **facts: Any,
    ) -> Photo:
        """A recorded photo: its original on disk (``content``, or a few bytes that name it),
        its thumbnails made."""
        folder = self.folders[library]
        photo = Photo.objects.create(
            library_id=folder.library_id, taken_local=taken, thumbnail_version=1, **facts
        )
        original = Path(folder.path) / name
        original.write_bytes(b"original of " + name.encode() if content is None else content)
        file = PhotoFile.objects.create(
            library_id=folder.library_id,
            folder=folder,
            photo=photo,
            path=str(original),
            kind=PhotoFile.Kind.PHOTO,
            state=PhotoFile.State.OK,
            size=original.stat().st_size,
            mtime_ns=1,
            file_type="JPEG",
            mime_type="image/jpeg",
            content_hash=f"hash-{name}",
        )
        photo.preferred_file = file
        photo.save(update_fields=["preferred_file"])
        for size in SIZE_BY_NAME:
            path = thumbnail_path(photo.pk, size, 1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(f"{size} of {name}".encode())
        return photo


@pytest.fixture
def world(tmp_path: Path) -> World:
    world = World(tmp_path)
    world.library("home")
    world.library("work")
    return world


@pytest.fixture
def login() -> Callable[[User], Client]:
    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)
