"""Data migrations of the pipeline, run forwards on rows made with the models of before."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from photonix.library.models import Photo

BEFORE = [("pipeline", "0001_initial"), ("library", "0006_photo_failure")]
AFTER = [("pipeline", "0002_photo_failure_from_jobs")]


@pytest.mark.django_db(transaction=True)
def test_photos_that_failed_before_get_their_reason() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        library = apps.get_model("library", "Library").objects.create(name="Old")
        photos = apps.get_model("library", "Photo").objects
        pipelines = apps.get_model("pipeline", "PhotoPipeline").objects
        stages = apps.get_model("pipeline", "PhotoStage").objects
        jobs = apps.get_model("pipeline", "Job").objects
        now = timezone.now()

        def photo(state: str) -> int:
            made = photos.create(library=library)
            pipelines.create(photo=made, state=state, touched_at=now)
            return int(made.pk)

        def failed_job(photo_id: int, stage: str, error: str, **extra: object) -> None:
            jobs.create(
                task_id=f"{photo_id}-{stage}-{jobs.count()}",
                name="photonix.media.make_thumbnails",
                stage=stage,
                photo_id=photo_id,
                state="failed",
                error=error,
                **extra,
            )

        broken = photo("failed")
        failed_job(broken, "thumbnails", "PermanentError: damaged JPEG file: truncated")
        raw = photo("failed")
        failed_job(raw, "develop_raw", "OSError: [Errno 28] No space left on device")
        classifier = photo("failed")  # its image is fine: a classifier failed
        failed_job(classifier, "classify:object", "ValueError: broken")
        stages.create(photo_id=classifier, stage="thumbnails", version=2, state="done")
        recovered = photo("processed")  # failed once, processed since
        failed_job(recovered, "thumbnails", "PermanentError: damaged JPEG file: truncated")
        dismissed = photo("failed")
        failed_job(dismissed, "thumbnails", "PermanentError: gone", acknowledged=True)

        executor.loader.build_graph()
        executor.migrate(AFTER)
        failures = dict(Photo.objects.values_list("pk", "failure"))
        assert failures == {
            broken: "damaged JPEG file: truncated",
            raw: "[Errno 28] No space left on device",
            classifier: "",
            recovered: "",
            dismissed: "",
        }
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
