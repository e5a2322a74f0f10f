"""A small installation to attack: two libraries, five people and an administrator, a photo with
its original and thumbnails on disk, a tag, a calendar date, a job, an album and a share link, and
a readable folder on the server that no library holds yet."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from photonix.albums import services as album_services
from photonix.albums.models import Album, ShareLink
from photonix.classifiers.models import CalendarEvent, PhotoTag, Tag
from photonix.core import services as core_services
from photonix.core.models import User
from photonix.library.importing import uploads
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile
from photonix.pipeline.models import Job
from photonix.storage.derived import SIZE_BY_NAME, thumbnail_path
from tests.signin import sign_in

FIXTURE = Path(__file__).parents[1] / "fixtures" / "photos" / "orientation" / "Landscape_6.jpg"
SECRET_LIBRARY = "Alpha-Secret-Library"
SECRET_FILE = "secret-photo-4711.jpg"
ROLES = ("anonymous", "outsider", "viewer", "editor", "owner", "admin")


@pytest.fixture(autouse=True)
def _own_counters(settings: Any) -> None:
    """Sign-in counters and DRF throttles live in Redis, which other test runs on this machine
    may share: each test gets a key prefix of its own (the keys expire by themselves). Never
    ``cache.clear()``: on Redis it would empty the broker's database."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()
    }


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # Argon2 is the production hasher (checked in tests/core); here it would only be slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    users: dict[str, User]
    library: Library
    other_library: Library
    folder: LibraryFolder
    spare_dir: Path
    photo: Photo
    file: PhotoFile
    tag: Tag
    event: CalendarEvent
    job: Job
    album: Album
    share: ShareLink
    share_token: str
    person_id: int
    face_id: int
    tokens: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: A resumable upload the owner has started (a few bytes still to send).
    upload_key: str = ""

    def path_values(self) -> dict[str, Any]:
        """A real value for each path parameter of the API (``user_id``: the viewer; no
        ``token_id``: each caller picks the token it may revoke)."""
        return {
            "library_id": self.library.pk,
            "folder_id": self.folder.pk,
            "photo_id": self.photo.pk,
            "file_id": self.file.pk,
            "tag_id": self.tag.pk,
            "event_id": self.event.pk,
            "job_id": self.job.pk,
            "album_id": self.album.pk,
            "share_id": self.share.pk,
            "user_id": self.users["viewer"].pk,
            "token": self.share_token,
            "size": "preview",
            "person_id": self.person_id,
            "face_id": self.face_id,
            "upload_key": self.upload_key,
            "cover_id": self.photo.pk,
        }

    def client(self, role: str) -> Client:
        """A browser of ``role``, signed in with the password (just now)."""
        client = Client()
        if role != "anonymous":
            sign_in(client, self.users[role])
        return client


def _user(name: str, *, admin: bool = False) -> User:
    return User.objects.create_user(
        name, password="correct horse battery staple", is_superuser=admin, is_staff=admin
    )


def build_world(root: Path) -> World:
    users = {
        "owner": _user("olivia"),
        "viewer": _user("victor"),
        "editor": _user("edith"),
        "outsider": _user("oscar"),
        "admin": _user("ada", admin=True),
    }
    alpha_dir, bravo_dir, spare_dir = root / "alpha", root / "bravo", root / "charlie"
    for folder_dir in (alpha_dir, bravo_dir, spare_dir):
        folder_dir.mkdir(parents=True)
    library = Library.objects.create(name=SECRET_LIBRARY)
    folder = LibraryFolder.objects.create(library=library, path=str(alpha_dir))
    LibraryMember.objects.create(library=library, user=users["owner"], role="owner")
    LibraryMember.objects.create(library=library, user=users["viewer"], role="viewer")
    LibraryMember.objects.create(library=library, user=users["editor"], role="editor")
    other = Library.objects.create(name="Bravo")
    LibraryFolder.objects.create(library=other, path=str(bravo_dir))
    LibraryMember.objects.create(library=other, user=users["outsider"], role="owner")

    shutil.copy(FIXTURE, alpha_dir / SECRET_FILE)
    photo = Photo.objects.create(
        library=library,
        taken_local=dt.datetime(2024, 5, 1, 12, tzinfo=dt.UTC),
        thumbnail_version=1,
        latitude=48.85,
        longitude=2.35,
    )
    file = PhotoFile.objects.create(
        library=library,
        folder=folder,
        photo=photo,
        path=str(alpha_dir / SECRET_FILE),
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.OK,
        size=FIXTURE.stat().st_size,
        mtime_ns=1,
        file_type="JPEG",
        mime_type="image/jpeg",
    )
    photo.preferred_file = file
    photo.save(update_fields=["preferred_file"])
    for size in SIZE_BY_NAME:
        target = thumbnail_path(photo.pk, size, 1)
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (64, 48), "grey").save(
            target, format=target.suffix.lstrip(".").replace("jpg", "jpeg")
        )

    tag = Tag.objects.create(library=library, type="object", name="secret-cat")
    PhotoTag.objects.create(photo=photo, tag=tag, source="objects", confidence=0.9)
    event = CalendarEvent.objects.create(library=library, name="Birthday", date=dt.date(2020, 5, 1))
    job = Job.objects.create(
        task_id="task-1",
        name="photonix.x",
        stage="thumbnails",
        library=library,
        photo=photo,
        state=Job.State.FAILED,
        error="boom",
    )
    album = album_services.album_create(
        users["owner"], library, "Secret album", photo_ids=[photo.pk]
    )
    album_services.album_member_set(album, users["viewer"], "viewer")
    album_services.album_member_set(album, users["editor"], "editor")
    share, token = album_services.share_create(users["owner"], album=album, allow_download=True)
    from photonix.faces.models import Face, Person

    person = Person.objects.create(library=library, name="Secret person")
    face = Face.objects.create(
        photo=photo, library=library, person=person, x=0.1, y=0.1, width=0.2, height=0.2
    )
    world = World(
        users=users,
        library=library,
        other_library=other,
        folder=folder,
        spare_dir=spare_dir,
        photo=photo,
        file=file,
        tag=tag,
        event=event,
        job=job,
        album=album,
        share=share,
        share_token=token,
        person_id=person.pk,
        face_id=face.pk,
    )
    for role, user in users.items():
        api_token, raw = core_services.token_create(user, f"{role} script")
        world.tokens[role] = (api_token.pk, raw)
    world.upload_key = uploads.new_upload(
        users["owner"], library, filename="incoming.jpg", length=10, checksum=None, modified=None
    ).key
    return world


@pytest.fixture
def world(db: None, tmp_path: Path) -> World:
    return build_world(tmp_path / "libraries")
