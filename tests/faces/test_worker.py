"""Faces through the real pipeline: scan, a real worker (faces queue), re-clustering task."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import Popen

import pytest

from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch
from photonix.faces import tasks
from photonix.faces.models import Face
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import PhotoFile
from photonix.library.services import library_add
from tests.faces.conftest import FACES
from tests.pipeline.test_pipeline import jobs_of, photo_of, settled

pytestmark = pytest.mark.integration
SAMPLES = ("Boris_Becker_0003.jpg", "Boris_Becker_0004.jpg", "David_Beckham_0001.jpg")


def test_imported_photos_get_faces_and_people(
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    library, (folder,) = library_add("Faces", [str(root)], scan=False)
    for classifier in registry.all_classifiers():
        ClassifierSwitch.objects.update_or_create(
            library=library, name=classifier.name, defaults={"enabled": classifier.name == "faces"}
        )
    for name in (*SAMPLES, "curie_portrait_orientation6.jpg"):
        shutil.copy(FACES / name, root / name)
    spawn("worker", "--concurrency", "2", env=process_env)
    folder_scan(folder)
    files = {Path(p).name: pk for p, pk in PhotoFile.objects.values_list("path", "pk")}
    photos = {name: photo_of(pk) for name, pk in files.items()}
    for photo in photos.values():
        assert settled(photo, timeout=120) == "processed"
        # The job record is closed by the worker's success signal, after the photo's state.
        (job,) = jobs_of(photo)["classify:faces"]
        assert job.state == "succeeded"
    curie = Face.objects.filter(photo=photos["curie_portrait_orientation6.jpg"]).order_by("x")
    assert curie.count() == 2
    marie = curie[0]
    assert 0.30 < marie.x + marie.width / 2 < 0.44 and 0.20 < marie.y + marie.height / 2 < 0.42

    # Beat's task, run by the worker on the faces queue, groups what the imports marked.
    result = tasks.recluster.delay().get(timeout=60)
    assert str(library.pk) in result

    def person(name: str) -> int | None:
        face = Face.objects.filter(photo=photos[name]).order_by("-size").first()
        assert face is not None
        return face.person_id

    assert person(SAMPLES[0]) is not None
    assert person(SAMPLES[0]) == person(SAMPLES[1])
    assert person(SAMPLES[2]) != person(SAMPLES[0])
