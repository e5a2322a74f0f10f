"""People are grouped as soon as a library's faces settle, and ``photonix wait`` waits for it.

Real processes: a Redis broker, a Celery worker, the ``photonix`` command.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import Popen

import pytest
import redis
from django.db.models import Max

from photonix.classifiers import registry
from photonix.classifiers.models import ClassifierSwitch
from photonix.faces.detection import DetectedFace
from photonix.faces.models import Face, Person
from photonix.library.importing.scanning import folder_scan
from photonix.library.services import library_add
from photonix.pipeline.debounce import FACES_RECLUSTER
from photonix.pipeline.models import Job
from photonix.pipeline.progress import outstanding, wait_until_idle
from tests.faces.conftest import FACES, make_library, make_photo, store
from tests.test_cli import photonix

pytestmark = pytest.mark.integration
Detect = Callable[[str], list[DetectedFace]]
BECKER = ("Boris_Becker_0003.jpg", "Boris_Becker_0004.jpg")
CURIES = ("curie_portrait.jpg", "curie_portrait_orientation6.jpg")  # Marie and Pierre on each
BECKHAM = "David_Beckham_0001.jpg"  # alone: a single face makes no person
RECLUSTER = "photonix.faces.recluster_library"


def faces_only(library_id: int) -> None:
    for classifier in registry.all_classifiers():
        ClassifierSwitch.objects.update_or_create(
            library_id=library_id,
            name=classifier.name,
            defaults={"enabled": classifier.name == "faces"},
        )


def ids(row: dict[str, object]) -> set[int]:
    people = row["people"]
    assert isinstance(people, list)
    return {int(person["id"]) for person in people}


def test_people_are_in_the_export_as_soon_as_wait_returns(
    tmp_path: Path,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
) -> None:
    root = tmp_path / "photos"
    root.mkdir()
    library, (folder,) = library_add("Portraits", [str(root)], scan=False)
    faces_only(library.pk)
    for name in (*BECKER, *CURIES, BECKHAM):
        shutil.copy(FACES / name, root / name)
    # No beat runs: only the re-clustering the import asks for can group anyone.
    spawn("worker", "--concurrency", "2", env={**process_env, "PHOTONIX_FACES_GROUP_DELAY": "1"})
    folder_scan(folder)

    waited = photonix("wait", "--timeout", "240", env=process_env, timeout=300)
    assert waited.returncode == 0, waited.stderr
    exported = photonix("export", "--library", "Portraits", env=process_env)
    assert exported.returncode == 0, exported.stderr

    rows = {Path(row["path"]).name: row for row in map(json.loads, exported.stdout.splitlines())}
    assert {name: row["state"] for name, row in rows.items()} == dict.fromkeys(rows, "processed")
    becker = ids(rows[BECKER[0]])
    assert len(becker) == 1, rows[BECKER[0]]
    assert ids(rows[BECKER[1]]) == becker, "both photos of Boris Becker show one person"
    curies = ids(rows[CURIES[0]])
    assert len(curies) == 2, rows[CURIES[0]]
    assert ids(rows[CURIES[1]]) == curies, "Marie and Pierre are each one person on both photos"
    assert not becker & curies
    assert rows[BECKHAM]["people"] == []
    assert Person.objects.filter(library=library).count() == 3
    # Grouped by the re-clustering the import asked for, not by beat's periodic one.
    assert Job.objects.filter(name=RECLUSTER, state="succeeded").exists()


def queued(broker: str, queue: str) -> int:
    client = redis.Redis.from_url(broker)
    try:
        return int(client.llen(queue))
    finally:
        client.close()


def test_many_photos_make_one_recluster_after_the_last_faces_and_wait_counts_it(
    detect: Detect,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
) -> None:
    folder = make_library("Coalesced")
    samples = (*BECKER, *CURIES, BECKHAM, *BECKER)
    for sample in samples:  # each photo's faces in a transaction of its own, as the worker does
        store(make_photo(folder, sample), detect(sample))
    stored = len(samples)

    # No worker yet: every request but the first found a re-clustering already pending.
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}
    assert queued(clean_broker, "faces") == 1, "one timer for the library, not one a photo"
    left = wait_until_idle(timeout=0.5)
    assert left is not None, "wait must not return while a re-clustering is pending"
    assert left.pending_runs == 1
    assert outstanding().total >= 1

    spawn("worker", "--concurrency", "2", env={**process_env, "PHOTONIX_FACES_GROUP_DELAY": "0.5"})
    assert wait_until_idle(timeout=120) is None
    runs = list(Job.objects.filter(name=RECLUSTER))
    assert len(runs) == 1, f"{stored} photos stored faces: {len(runs)} re-clusterings"
    (run,) = runs
    assert run.state == "succeeded" and run.started_at is not None
    last_faces = Face.objects.aggregate(last=Max("created_at"))["last"]
    assert last_faces is not None and run.started_at > last_faces
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 0}
    # Becker on four photos, Marie and Pierre on two each; Beckham alone.
    assert Person.objects.filter(library_id=folder.library_id).count() == 3
