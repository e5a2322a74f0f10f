"""Photos whose faces were found before faces also tagged "person" get that tag now.

The same rows the face recognizer writes (``photonix.faces.services.photo_person_tag_sync``): the
object tag "person", source ``faces``, no box, the surest face's confidence; not where a person
already decided about "person" on that photo (added, confirmed or rejected).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Max


def add_person_tags(apps: Any, schema_editor: Any) -> None:
    Face = apps.get_model("faces", "Face")
    Tag = apps.get_model("classifiers", "Tag")
    PhotoTag = apps.get_model("classifiers", "PhotoTag")
    surest = (
        Face.objects.exclude(verdict="rejected")
        .values("library_id", "photo_id")
        .annotate(confidence=Max("confidence"), version=Max("version"))
        .order_by("library_id", "photo_id")
    )
    tags: dict[int, Any] = {}
    rows = []
    for item in surest.iterator():
        library_id = item["library_id"]
        if library_id not in tags:
            tags[library_id], _ = Tag.objects.get_or_create(
                library_id=library_id, type="object", name="person"
            )
        tag = tags[library_id]
        if PhotoTag.objects.filter(photo_id=item["photo_id"], tag=tag, source="faces").exists():
            continue
        if (
            PhotoTag.objects.filter(photo_id=item["photo_id"], tag=tag)
            .exclude(verdict="auto")
            .exists()
        ):
            continue
        rows.append(
            PhotoTag(
                photo_id=item["photo_id"],
                tag=tag,
                source="faces",
                confidence=item["confidence"],
                version=item["version"],
            )
        )
        if len(rows) >= 1000:
            PhotoTag.objects.bulk_create(rows)
            rows = []
    PhotoTag.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("faces", "0002_face_ignored"),
        ("classifiers", "0003_phototag_covering_indexes"),
    ]

    operations = [migrations.RunPython(add_person_tags, migrations.RunPython.noop)]
