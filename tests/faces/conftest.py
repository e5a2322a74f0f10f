"""Real face models on the sample photos (loaded once per test session), and small builders."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from photonix.core.models import User
from photonix.faces.detection import DetectedFace, FaceModels
from photonix.faces.models import Face
from photonix.faces.services import photo_store_faces
from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile
from photonix.media.decode import open_image
from photonix.media.thumbnails import render_photo
from photonix.storage.derived import thumbnail_path

FACES = Path(__file__).parents[1] / "fixtures" / "photos" / "faces-objects"
ORIENTATION = {"curie_portrait_orientation6.jpg": 6}
_counter = itertools.count(1)


@pytest.fixture(scope="session")
def face_models() -> FaceModels:
    models = FaceModels()
    models.load()
    return models


@pytest.fixture(scope="session")
def detect(face_models: FaceModels) -> Callable[[str], list[DetectedFace]]:
    """The faces of a sample, found on its upright preview (cached for the session)."""
    cache: dict[str, list[DetectedFace]] = {}

    def run(name: str) -> list[DetectedFace]:
        if name not in cache:
            image = open_image(
                FACES / name, orientation=ORIENTATION.get(name, 1), max_size=2048
            ).image
            cache[name] = face_models.analyse(image)
        return cache[name]

    return run


def make_library(name: str, owner: User | None = None, role: str = "owner") -> LibraryFolder:
    library = Library.objects.create(name=name)
    if owner is not None:
        LibraryMember.objects.create(library=library, user=owner, role=role)
    return LibraryFolder.objects.create(library=library, path=f"/photos/{name}")


def make_photo(folder: LibraryFolder, sample: str = "", *, preview: bool = False) -> Photo:
    """A recorded photo; with ``preview`` its preview thumbnail is rendered from ``sample``."""
    photo = Photo.objects.create(library_id=folder.library_id)
    file = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/{next(_counter)}-{sample or 'x.jpg'}",
        kind=PhotoFile.Kind.PHOTO,
        state=PhotoFile.State.OK,
        size=1,
        mtime_ns=1,
    )
    photo.preferred_file = file
    if preview:
        rendered = render_photo(FACES / sample, orientation=ORIENTATION.get(sample, 1))
        path = thumbnail_path(photo.pk, "preview", rendered.version)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.thumbnails["preview"].data)
        photo.thumbnail_version = rendered.version
        photo.width, photo.height = rendered.width, rendered.height
    photo.save()
    return photo


def store(photo: Photo, faces: list[DetectedFace]) -> list[Face]:
    photo_store_faces(photo, faces, 1)
    return list(Face.objects.filter(photo=photo).order_by("x"))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
