"""Emptying the trash while a real worker runs a stage of one of its photos: the job ends cleanly
(succeeded, "photo deleted"), leaves no derived file behind and does not bring the photo back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import Popen

import pytest

from photonix.classifiers.models import PhotoTag
from photonix.library.browse import curation
from photonix.library.models import Photo, PhotoFile
from photonix.pipeline.models import Job, PhotoPipeline
from photonix.storage.derived import thumbnails_root
from tests import fakes
from tests.pipeline import test_pipeline
from tests.pipeline.test_pipeline import GOOD, import_files, photo_of
from tests.waiting import wait_for

pytestmark = pytest.mark.integration

# The real worker with the fake classifiers, as the pipeline's own tests start it.
classifiers = test_pipeline.classifiers
worker = test_pipeline.worker


def _derived(photo_id: int) -> list[Path]:
    return list(thumbnails_root().rglob(f"{photo_id}-*"))


def test_emptying_the_trash_while_a_stage_runs_ends_the_job_cleanly(
    tmp_path: Path, worker: Callable[..., Popen[bytes]]
) -> None:
    (fakes.marker_dir() / "slow").touch()
    worker(concurrency=1)
    _, files = import_files(tmp_path, GOOD[:1], enabled=["fake_slow"])
    file_id = files[Path(GOOD[0]).name]
    photo = photo_of(file_id)
    wait_for(lambda: list(fakes.marker_dir().glob("slow-started-*")), 60, "the slow stage to start")
    assert _derived(photo.pk), "the thumbnails are made before the classifiers run"

    one = Photo.objects.filter(pk=photo.pk)
    assert curation.photos_trash(one) == 1
    outcome = curation.trash_empty(one)
    assert (outcome.deleted, outcome.excluded) == (1, 1)
    (fakes.marker_dir() / "slow").unlink()  # the stage finishes, its photo gone

    def closed() -> list[Job]:
        jobs = list(Job.objects.filter(args__0=photo.pk))
        stages = {job.stage for job in jobs}
        done = "classify:fake_slow" in stages and "finish" in stages
        return jobs if done and all(job.state not in Job.ACTIVE for job in jobs) else []

    jobs = wait_for(closed, 90, "the photo's last jobs to end")
    assert {job.state for job in jobs} == {Job.State.SUCCEEDED}, [
        (job.stage, job.state, job.error) for job in jobs
    ]
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert not PhotoPipeline.objects.filter(pk=photo.pk).exists()
    assert not PhotoTag.objects.filter(photo_id=photo.pk).exists()
    assert _derived(photo.pk) == []
    assert PhotoFile.objects.get(pk=file_id).state == PhotoFile.State.EXCLUDED
