"""The shape of a photo's canvas: which tasks run, in what order, with what arguments, on which
queue.

    chain(develop_raw → make_thumbnails → chord(group(classify <name> …), finish_photo))

The canvases are built from real photos in the database (``missing_stages`` → ``build_canvas``),
with the real registry, and each signature's queue is the one Celery's own router gives it (an
explicit ``queue`` option, else the route of its task name), so a change of shape, order,
arguments or routing fails here before a worker ever sees it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from celery import chord, group
from celery.canvas import Signature, _chain

from photonix.celery import app
from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.thumbnails import THUMBNAILER_VERSION
from photonix.pipeline.canvas import build_canvas, missing_stages
from photonix.pipeline.models import PhotoStage

pytestmark = pytest.mark.django_db

DEVELOP = "photonix.media.develop_raw"
THUMBNAILS = "photonix.media.make_thumbnails"
CLASSIFY = "photonix.classify.run"
FINISH = "photonix.pipeline.finish_photo"

# Two built-ins on the ``classify`` queue and the face recognizer on its own ``faces`` queue, which
# applies to photos and RAWs but not to videos. Every other registered classifier is switched off.
ENABLED = ("colour", "faces", "place")


def queue_of(signature: Signature[Any]) -> str:
    """The queue Celery sends this signature to."""
    assert signature.task is not None
    route = app.amqp.router.route(
        dict(signature.options), signature.task, signature.args, signature.kwargs
    )
    queue = route["queue"]
    return queue if isinstance(queue, str) else str(queue.name)


def shape(signature: Signature[Any]) -> Any:
    """A canvas as plain data: ("chain", steps), ("chord", header, body), or one task as
    (name, args, kwargs, queue). Every task must be immutable: no step takes its predecessor's
    result as an argument."""
    if isinstance(signature, _chain):
        return ("chain", [shape(step) for step in signature.tasks])
    if isinstance(signature, chord):
        header = signature.tasks
        tasks = header.tasks if isinstance(header, group) else header
        return ("chord", [shape(task) for task in tasks], shape(signature.body))
    assert signature.immutable, f"{signature.task} would receive its predecessor's result"
    return (signature.task, tuple(signature.args), dict(signature.kwargs), queue_of(signature))


@pytest.fixture
def folder(tmp_path: Path) -> LibraryFolder:
    library, (folder,) = library_add("Canvas", [str(tmp_path)], scan=False)
    names = {c.name for c in registry.all_classifiers()}
    assert set(ENABLED) <= names, f"not registered: {set(ENABLED) - names}"
    for name in sorted(names):
        ClassifierSwitch.objects.create(library=library, name=name, enabled=name in ENABLED)
    return folder


def make_photo(folder: LibraryFolder, name: str, kind: str) -> Photo:
    photo = Photo.objects.create(library_id=folder.library_id)
    file = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/{name}",
        kind=kind,
        state="ok",
        size=1,
        mtime_ns=1,
    )
    photo.preferred_file = file
    photo.save()
    return photo


def canvas_of(photo: Photo, scope: str | None = None) -> Any:
    return shape(build_canvas(photo.pk, missing_stages(photo), scope))


def classify(photo: Photo, name: str, queue: str = "classify") -> Any:
    return (CLASSIFY, (photo.pk, name), {}, queue)


def test_a_jpeg_is_thumbnailed_then_classified_then_finished(folder: LibraryFolder) -> None:
    photo = make_photo(folder, "a.jpg", "photo")

    assert canvas_of(photo) == (
        "chain",
        [
            (THUMBNAILS, (photo.pk,), {}, "media"),
            (
                "chord",
                [
                    classify(photo, "colour"),
                    classify(photo, "faces", queue="faces"),
                    classify(photo, "place"),
                ],
                (FINISH, (photo.pk,), {}, "classify"),
            ),
        ],
    )


def test_a_raw_is_developed_first(folder: LibraryFolder) -> None:
    photo = make_photo(folder, "a.nef", "raw")

    assert canvas_of(photo) == (
        "chain",
        [
            (DEVELOP, (photo.pk,), {}, "media"),
            (THUMBNAILS, (photo.pk,), {}, "media"),
            (
                "chord",
                [
                    classify(photo, "colour"),
                    classify(photo, "faces", queue="faces"),
                    classify(photo, "place"),
                ],
                (FINISH, (photo.pk,), {}, "classify"),
            ),
        ],
    )


def test_a_classifier_that_does_not_apply_is_left_out(folder: LibraryFolder) -> None:
    photo = make_photo(folder, "a.mp4", "video")  # face recognition looks at photos only

    assert canvas_of(photo) == (
        "chain",
        [
            (THUMBNAILS, (photo.pk,), {}, "media"),
            (
                "chord",
                [classify(photo, "colour"), classify(photo, "place")],
                (FINISH, (photo.pk,), {}, "classify"),
            ),
        ],
    )


def test_a_disabled_classifier_is_left_out(folder: LibraryFolder) -> None:
    ClassifierSwitch.objects.filter(library_id=folder.library_id, name="faces").update(
        enabled=False
    )
    photo = make_photo(folder, "a.jpg", "photo")

    assert canvas_of(photo) == (
        "chain",
        [
            (THUMBNAILS, (photo.pk,), {}, "media"),
            (
                "chord",
                [classify(photo, "colour"), classify(photo, "place")],
                (FINISH, (photo.pk,), {}, "classify"),
            ),
        ],
    )


def test_without_classifiers_the_photo_finishes_on_the_media_queue(
    folder: LibraryFolder,
) -> None:
    ClassifierSwitch.objects.filter(library_id=folder.library_id).update(enabled=False)
    photo = make_photo(folder, "a.jpg", "photo")
    raw = make_photo(folder, "b.nef", "raw")

    assert canvas_of(photo) == (
        "chain",
        [(THUMBNAILS, (photo.pk,), {}, "media"), (FINISH, (photo.pk,), {}, "media")],
    )
    assert canvas_of(raw) == (
        "chain",
        [
            (DEVELOP, (raw.pk,), {}, "media"),
            (THUMBNAILS, (raw.pk,), {}, "media"),
            (FINISH, (raw.pk,), {}, "media"),
        ],
    )


def test_only_missing_stages_run_and_the_scope_reaches_finish(folder: LibraryFolder) -> None:
    photo = make_photo(folder, "a.jpg", "photo")
    PhotoStage.objects.create(
        photo=photo, stage="thumbnails", version=THUMBNAILER_VERSION, state="done"
    )
    PhotoStage.objects.create(
        photo=photo, stage="classify:colour", version=registry.get("colour").version, state="done"
    )

    assert canvas_of(photo, scope="classify") == (
        "chord",
        [classify(photo, "faces", queue="faces"), classify(photo, "place")],
        (FINISH, (photo.pk,), {"scope": "classify"}, "classify"),
    )


def test_a_photo_with_nothing_missing_only_finishes(folder: LibraryFolder) -> None:
    ClassifierSwitch.objects.filter(library_id=folder.library_id).update(enabled=False)
    photo = make_photo(folder, "a.jpg", "photo")
    PhotoStage.objects.create(
        photo=photo, stage="thumbnails", version=THUMBNAILER_VERSION, state="done"
    )

    assert missing_stages(photo) == []
    assert canvas_of(photo) == (FINISH, (photo.pk,), {}, "media")
