"""The library's data migrations, run forwards on rows made with the models of before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from photonix.library.models import Photo, PhotoFile

BEFORE = [
    ("library", "0007_search_terms"),
    ("albums", "0001_initial"),
    ("classifiers", "0004_photoembedding"),
    ("faces", "0003_person_tags"),
]
AFTER = [("library", "0008_merge_exact_copies")]


@pytest.mark.django_db(transaction=True)
def test_copies_nobody_touched_become_files_of_the_oldest_photo(tmp_path) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        library = apps.get_model("library", "Library").objects.create(name="Old")
        folder = apps.get_model("library", "LibraryFolder").objects.create(
            library=library, path=str(tmp_path)
        )
        photos = apps.get_model("library", "Photo").objects
        files = apps.get_model("library", "PhotoFile").objects
        albums = apps.get_model("albums", "Album").objects
        album_photos = apps.get_model("albums", "AlbumPhoto").objects
        people = apps.get_model("faces", "Person").objects
        faces = apps.get_model("faces", "Face").objects

        def photo(name: str, digest: str, kind: str = "photo", **fields: object) -> int:
            made = photos.create(library=library, **fields)
            files.create(
                library=library,
                folder=folder,
                photo=made,
                path=f"{tmp_path}/{name}",
                kind=kind,
                state="ok",
                size=100,
                mtime_ns=1,
                content_hash=digest,
            )
            return int(made.pk)

        first = photo("a/dog.jpg", "d" * 64)
        plain_copy = photo("b/dog.jpg", "d" * 64)
        assert plain_copy != first
        rated_copy = photo("c/dog.jpg", "d" * 64, rating=4)
        album_copy = photo("d/dog.jpg", "d" * 64)
        album = albums.create(library=library, name="Dogs")
        album_photos.create(album=album, photo_id=album_copy, position=1)
        named_copy = photo("e/dog.jpg", "d" * 64)
        anna = people.create(library=library, name="Anna", confirmed=True)
        faces.create(photo_id=named_copy, library=library, person=anna, x=0, y=0, width=1, height=1)
        auto_face_copy = photo("f/dog.jpg", "d" * 64)
        faces.create(photo_id=auto_face_copy, library=library, x=0, y=0, width=1, height=1)
        other = photo("g/cat.jpg", "c" * 64)
        other_kind = photo("h/dog.dng", "d" * 64, kind="raw")

        executor.loader.build_graph()
        executor.migrate(AFTER)

        remaining = set(Photo.objects.values_list("pk", flat=True))
        assert plain_copy not in remaining
        assert remaining == {first, rated_copy, album_copy, named_copy, other, other_kind}
        merged = PhotoFile.objects.filter(photo_id=first).order_by("path")
        assert [f.path.rsplit("/", 2)[-2] for f in merged] == ["a", "b", "f"]
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
