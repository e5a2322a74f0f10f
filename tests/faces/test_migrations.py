"""The faces' data migration, run forwards on rows made with the models of before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from photonix.classifiers.models import PhotoTag

BEFORE = [
    ("faces", "0002_face_ignored"),
    ("classifiers", "0003_phototag_covering_indexes"),
    ("library", "0006_photo_failure"),
]
AFTER = [("faces", "0003_person_tags")]


@pytest.mark.django_db(transaction=True)
def test_photos_with_faces_found_before_get_the_person_tag() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        library = apps.get_model("library", "Library").objects.create(name="Old")
        photos = apps.get_model("library", "Photo").objects
        faces = apps.get_model("faces", "Face").objects
        tags = apps.get_model("classifiers", "Tag").objects
        photo_tags = apps.get_model("classifiers", "PhotoTag").objects

        def photo(*face_verdicts: str) -> int:
            made = photos.create(library=library)
            for i, verdict in enumerate(face_verdicts):
                faces.create(
                    photo=made,
                    library=library,
                    verdict=verdict,
                    x=0.1 * i,
                    y=0.1,
                    width=0.1,
                    height=0.1,
                    confidence=0.5 + 0.1 * i,
                    version=1,
                )
            return int(made.pk)

        two = photo("auto", "confirmed")
        none = photo()
        not_a_face = photo("rejected")
        said_no = photo("auto")
        person = tags.create(library=library, type="object", name="person")
        photo_tags.create(photo_id=said_no, tag=person, source="detect", verdict="rejected")

        executor.loader.build_graph()
        executor.migrate(AFTER)
        rows = PhotoTag.objects.filter(tag__name="person").order_by("photo_id")
        assert [(r.photo_id, r.source, r.verdict) for r in rows] == [
            (two, "faces", "auto"),
            (said_no, "detect", "rejected"),
        ]
        assert rows[0].confidence == pytest.approx(0.6) and rows[0].box is None
        assert none and not_a_face
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
