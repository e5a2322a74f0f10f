""" "Process missing" sends exactly the photos that miss a stage, processed ones included."""

from __future__ import annotations

from pathlib import Path

import pytest

from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch
from photonix.library.models import LibraryFolder, Photo, PhotoFile
from photonix.library.services import library_add
from photonix.media.thumbnails import THUMBNAILER_VERSION
from photonix.pipeline import services
from photonix.pipeline.models import PhotoPipeline, PhotoStage

pytestmark = pytest.mark.django_db


def _photo(folder: LibraryFolder, name: str) -> Photo:
    photo = Photo.objects.create(library_id=folder.library_id)
    file = PhotoFile.objects.create(
        library_id=folder.library_id,
        folder=folder,
        photo=photo,
        path=f"{folder.path}/{name}",
        kind="photo",
        state="ok",
        size=1,
        mtime_ns=1,
    )
    photo.preferred_file = file
    photo.save()
    return photo


def test_only_photos_missing_a_stage_are_sent(tmp_path: Path) -> None:
    library, (folder,) = library_add("L", [str(tmp_path)], scan=False)
    for classifier in registry.all_classifiers():  # only the thumbnail stage is required
        ClassifierSwitch.objects.create(library=library, name=classifier.name, enabled=False)
    complete, outdated, new = (_photo(folder, f"{n}.jpg") for n in ("a", "b", "c"))
    PhotoStage.objects.create(
        photo=complete, stage="thumbnails", version=THUMBNAILER_VERSION, state="done"
    )
    PhotoStage.objects.create(photo=outdated, stage="thumbnails", version=0, state="done")

    assert services.process_missing(library.pk) == 2
    states = dict(PhotoPipeline.objects.values_list("photo_id", "state"))
    assert states == {complete.pk: "processed", outdated.pk: "processing", new.pk: "processing"}
    assert services.process_missing(library.pk + 1) == 0
