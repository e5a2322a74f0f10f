"""The object detector with the ImageNet classifier in a real worker: real photos imported
through the real scan become findable by what they show, and a person's "no" outlasts
reprocessing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest

from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch, PhotoTag, Tag
from photonix.classifiers.services import photo_tag_reject
from photonix.library.importing.scanning import folder_scan
from photonix.library.models import Photo, PhotoFile
from photonix.library.services import library_add
from photonix.pipeline import services
from photonix.pipeline.models import PhotoPipeline, PhotoStage
from tests.library import photos as make
from tests.pipeline.test_pipeline import jobs_of, photo_of, settled
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parents[1] / "fixtures" / "photos" / "faces-objects"
SAMPLES = (
    "person_dog_horse.jpg",
    "dog_bicycle_truck.jpg",
    "astronaut_face.png",
    "coffee_cup.png",
    "classic_car.heic",
    "chelsea_cat.png",
)


def test_photos_are_found_by_what_the_two_models_see_and_a_rejection_stays(
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
) -> None:
    ann = make.user("ann")
    root = tmp_path / "photos"
    root.mkdir()
    library, (folder,) = library_add("Seen", [str(root)], owner=ann, scan=False)
    for classifier in registry.all_classifiers():
        ClassifierSwitch.objects.update_or_create(
            library=library,
            name=classifier.name,
            defaults={"enabled": classifier.name in ("object", "detect")},
        )
    # Stored under names that say nothing: the search must find them by what they show, not by
    # their file names (which are searchable words too).
    stored = {f"photo{i}{Path(name).suffix}": name for i, name in enumerate(SAMPLES)}
    for plain, name in stored.items():
        shutil.copy(FIXTURES / name, root / plain)
    spawn("worker", "--concurrency", "2", env={**process_env, "PHOTONIX_OFFLINE": "true"})
    folder_scan(folder)
    files = {stored[Path(p).name]: pk for p, pk in PhotoFile.objects.values_list("path", "pk")}
    photos: dict[str, Photo] = {name: photo_of(pk) for name, pk in files.items()}
    for photo in photos.values():
        assert settled(photo, timeout=180) == "processed", jobs_of(photo)
        (job,) = jobs_of(photo)["classify:detect"]
        assert job.state == "succeeded"
    client = make.client_for(ann)
    names = {photo.pk: name for name, photo in photos.items()}

    def found(**params: Any) -> set[str]:
        response = client.get("/api/timeline", params)
        assert response.status_code == 200, response.content
        return {names[p["id"]] for p in response.json()["results"]}

    expected = {
        "person": {"person_dog_horse.jpg", "astronaut_face.png"},
        "horse": {"person_dog_horse.jpg"},
        "bicycle": {"dog_bicycle_truck.jpg"},
        "car": {"dog_bicycle_truck.jpg", "classic_car.heic"},
        "cup": {"coffee_cup.png"},
        "dog": {"person_dog_horse.jpg", "dog_bicycle_truck.jpg"},
        "cat": {"chelsea_cat.png"},
    }
    for word, shown_in in expected.items():
        assert shown_in <= found(q=word), word
    assert "chelsea_cat.png" not in found(q="dog"), "a cat is not a dog"
    # The tag filter finds exactly the photos carrying the tag (or a tag under it).
    person = Tag.objects.get(library=library, type="object", name="person")
    assert found(tag=person.pk) == expected["person"]

    # The detector's rows: its own source and version, one per box, boxes as fractions.
    rider = photos["person_dog_horse.jpg"]
    horse_rows = PhotoTag.objects.filter(photo=rider, tag__name="horse", source="detect")
    (horse_row,) = horse_rows
    assert horse_row.version == 1 and horse_row.box is not None and len(horse_row.box) == 4
    assert all(0 <= v <= 1 for v in horse_row.box)
    tags = client.get(f"/api/photos/{rider.pk}/tags").json()["tags"]["object"]
    assert any(t["name"] == "horse" and t["box"] == horse_row.box for t in tags)

    # A person says there is no horse: hidden, and processing the photo again keeps it away.
    photo_tag_reject(rider, horse_row.tag)
    assert "person_dog_horse.jpg" not in found(q="horse")
    # As a photo imported before the detector existed: no detector stage, no detector tags.
    PhotoStage.objects.filter(photo=rider, stage="classify:detect").delete()
    PhotoTag.objects.filter(photo=rider, source="detect", verdict="auto").delete()
    assert services.process_missing(library.pk) == 1
    wait_for(
        lambda: (
            PhotoStage.objects.filter(photo=rider, stage="classify:detect", version=1).exists()
            and PhotoPipeline.objects.get(pk=rider.pk).state == "processed"
        ),
        120,
        "process missing to run the detector on the photo",
    )
    rows = PhotoTag.objects.filter(photo=rider, tag__name="horse")
    assert [r.verdict for r in rows] == ["rejected"]
    assert "person_dog_horse.jpg" not in found(q="horse")
    assert PhotoTag.objects.filter(photo=rider, tag__name="person", source="detect").exists()
