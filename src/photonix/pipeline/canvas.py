"""The one place that decides what runs for a photo, and builds its Celery canvas.

    chain(develop_raw → make_thumbnails → chord(group(classify <name> …), finish_photo))

Only the stages a photo is missing are included: a stage is done when a ``PhotoStage`` row says
so at the stage's current version. Classifiers switched off for the library, or that do not apply
to the photo, are left out when the canvas is built — nothing ever waits for them.
"""

from __future__ import annotations

from celery import chain, chord, group
from celery.canvas import Signature

from photonix.classifiers import registry
from photonix.classifiers.models import disabled_for
from photonix.library.models import Photo, PhotoFile
from photonix.media.thumbnails import THUMBNAILER_VERSION
from photonix.pipeline.models import PhotoStage
from photonix.pipeline.versions import RAW_DEVELOP_VERSION

DEVELOP = "develop_raw"
THUMBNAILS = "thumbnails"
CLASSIFY_PREFIX = "classify:"
# For ``photo_dispatch(force_stages=ALL_STAGES)``: redo everything (the photo's pixels changed).
ALL_STAGES = ("*",)


def enabled_classifier_names(photo: Photo) -> list[str]:
    disabled = disabled_for(photo.library_id)
    kind = photo.preferred_file.kind if photo.preferred_file else PhotoFile.Kind.PHOTO
    return [
        c.name
        for c in registry.all_classifiers()
        if c.name not in disabled and c.applies_to(str(kind))
    ]


def required_stages(photo: Photo) -> dict[str, int]:
    """Every stage this photo needs, with the version each must be done at."""
    stages: dict[str, int] = {}
    if photo.preferred_file is not None and photo.preferred_file.kind == PhotoFile.Kind.RAW:
        stages[DEVELOP] = RAW_DEVELOP_VERSION
    stages[THUMBNAILS] = THUMBNAILER_VERSION
    for name in enabled_classifier_names(photo):
        stages[CLASSIFY_PREFIX + name] = registry.get(name).version
    return stages


def missing_stages(photo: Photo) -> list[str]:
    """Required stages not done at their current version, in pipeline order."""
    done = dict(
        PhotoStage.objects.filter(photo=photo, state=PhotoStage.State.DONE).values_list(
            "stage", "version"
        )
    )
    return [
        stage for stage, version in required_stages(photo).items() if done.get(stage) != version
    ]


def in_scope(stage: str, scope: str | None) -> bool:
    """Whether ``stage`` belongs to ``scope``: a stage name, ``classify`` (every classifier), or
    None (everything)."""
    if scope is None or stage == scope:
        return True
    return scope == "classify" and stage.startswith(CLASSIFY_PREFIX)


def known_scope(scope: str) -> bool:
    """A stage a person can ask to process: ``develop_raw``, ``thumbnails``, ``classify`` or
    ``classify:<a registered classifier>``."""
    if scope in (DEVELOP, THUMBNAILS, "classify"):
        return True
    name = scope.removeprefix(CLASSIFY_PREFIX)
    return scope.startswith(CLASSIFY_PREFIX) and name in {
        c.name for c in registry.all_classifiers()
    }


def build_canvas(photo_id: int, stages: list[str], scope: str | None = None) -> Signature:
    """The canvas that runs ``stages`` for a photo, then ``finish_photo``.

    ``finish_photo`` is the chord's callback, on the ``classify`` queue with the classifiers; a
    canvas without classifiers finishes on ``media``, where its last step ran. ``scope`` tells
    ``finish_photo`` that only that stage was asked for (see ``photo_dispatch``).
    """
    from photonix.pipeline import tasks

    steps: list[Signature] = []
    if DEVELOP in stages:
        steps.append(tasks.develop_raw.si(photo_id))
    if THUMBNAILS in stages:
        steps.append(tasks.make_thumbnails.si(photo_id))
    classify = [
        tasks.classify.si(photo_id, name).set(queue=registry.queue_of(name))
        for name in (
            s.removeprefix(CLASSIFY_PREFIX) for s in stages if s.startswith(CLASSIFY_PREFIX)
        )
    ]
    finish = (
        tasks.finish_photo.si(photo_id)
        if scope is None
        else tasks.finish_photo.si(photo_id, scope=scope)
    )
    if classify:
        steps.append(chord(group(classify), finish))
    else:
        steps.append(finish.set(queue="media"))
    return steps[0] if len(steps) == 1 else chain(*steps)
