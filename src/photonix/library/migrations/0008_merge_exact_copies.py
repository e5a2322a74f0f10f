"""Exact copies recorded before copies became one photo: merge those nobody has touched.

Since this version a file with the content of a file already in the library is another file of
that photo (docs/import.md, "Exact copies"). Libraries recorded before hold such copies as
separate photos. For each group of photos sharing one content, the oldest photo keeps its place
and takes the files of every copy on which a person did nothing — no rating, description, hidden
flag, chosen version or rotation, in no album or share link, no tag or face a person confirmed,
added or corrected, no face of a person someone named or confirmed. A copy a person worked on stays a photo of its own: nothing anyone did is
lost. The merged photos' tags, faces and embeddings were the machine's, made from the same
pixels the kept photo has; their thumbnails are deleted after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, transaction
from django.db.models import Count

BATCH = 500


def merge_untouched_copies(apps: Any, schema_editor: Any) -> None:
    from photonix.storage.derived import photo_derived_delete

    photo_model = apps.get_model("library", "Photo")
    file_model = apps.get_model("library", "PhotoFile")
    album_photo = apps.get_model("albums", "AlbumPhoto")
    share_photo = apps.get_model("albums", "ShareLinkPhoto")
    album = apps.get_model("albums", "Album")
    photo_tag = apps.get_model("classifiers", "PhotoTag")
    face = apps.get_model("faces", "Face")

    groups = (
        file_model.objects.filter(state="ok", photo__isnull=False)
        .exclude(content_hash="")
        .values("library_id", "content_hash", "size", "kind")
        .annotate(photos=Count("photo_id", distinct=True))
        .filter(photos__gt=1)
    )
    merged: list[int] = []
    for group in groups.iterator():
        photo_ids = sorted(
            set(
                file_model.objects.filter(
                    library_id=group["library_id"],
                    content_hash=group["content_hash"],
                    size=group["size"],
                    kind=group["kind"],
                    state="ok",
                ).values_list("photo_id", flat=True)
            )
        )
        keep, copies = photo_ids[0], photo_ids[1:]
        touched = (
            set(
                photo_model.objects.filter(pk__in=copies)
                .exclude(
                    rating__isnull=True,
                    description="",
                    hidden=False,
                    preferred_by_user=False,
                    user_rotation=0,
                )
                .values_list("pk", flat=True)
            )
            | set(
                album_photo.objects.filter(photo_id__in=copies).values_list("photo_id", flat=True)
            )
            | set(
                share_photo.objects.filter(photo_id__in=copies).values_list("photo_id", flat=True)
            )
            | set(album.objects.filter(cover_id__in=copies).values_list("cover_id", flat=True))
            | set(
                photo_tag.objects.filter(photo_id__in=copies)
                .exclude(verdict="auto")
                .values_list("photo_id", flat=True)
            )
            | set(
                face.objects.filter(photo_id__in=copies)
                .exclude(verdict="auto", person__confirmed=False)
                .exclude(verdict="auto", person__isnull=True)
                .values_list("photo_id", flat=True)
            )
        )
        # A copy with versions of its own (a RAW beside it) stays whole: its files are one shot.
        touched |= set(
            file_model.objects.filter(photo_id__in=copies)
            .exclude(content_hash=group["content_hash"], size=group["size"])
            .values_list("photo_id", flat=True)
        )
        untouched = [pk for pk in copies if pk not in touched]
        if not untouched:
            continue
        file_model.objects.filter(photo_id__in=untouched).update(photo_id=keep)
        photo_model.objects.filter(pk__in=untouched).delete()
        merged.extend(untouched)
    if merged:
        transaction.on_commit(lambda: photo_derived_delete(merged))


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0007_search_terms"),
        ("albums", "0001_initial"),
        ("classifiers", "0004_photoembedding"),
        ("faces", "0003_person_tags"),
    ]

    operations = [
        migrations.RunPython(merge_untouched_copies, migrations.RunPython.noop, elidable=True),
    ]
