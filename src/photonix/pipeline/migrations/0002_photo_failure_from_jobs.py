"""Photos whose image could not be made before ``Photo.failure`` existed get it from their job
records: the last unacknowledged failure of their develop or thumbnail stage, when the photo is
still failed and has no thumbnails made since."""

from typing import Any

from django.db import migrations

IMAGE_STAGES = ("develop_raw", "thumbnails")


def _reason(error: str) -> str:
    # Job errors read "PermanentError: damaged JPEG file …": the photo keeps the reason alone.
    name, sep, rest = error.partition(": ")
    return rest if sep and name.isidentifier() else error


def forwards(apps: Any, schema_editor: Any) -> None:
    job_model = apps.get_model("pipeline", "Job")
    photo_model = apps.get_model("library", "Photo")
    pipeline_model = apps.get_model("pipeline", "PhotoPipeline")
    stage_model = apps.get_model("pipeline", "PhotoStage")
    failures: dict[int, str] = {}
    rows = (
        job_model.objects.filter(
            state="failed",
            acknowledged=False,
            stage__in=IMAGE_STAGES,
            photo_id__in=pipeline_model.objects.filter(state="failed").values("photo_id"),
        )
        .exclude(
            photo_id__in=stage_model.objects.filter(stage="thumbnails", state="done").values(
                "photo_id"
            )
        )
        .order_by("pk")
        .values_list("photo_id", "error")
    )
    for photo_id, error in rows.iterator():
        failures[photo_id] = _reason(error) or "the photo's image could not be made"
    for photo_id, reason in failures.items():
        photo_model.objects.filter(pk=photo_id, failure="").update(failure=reason)


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0001_initial"),
        ("library", "0006_photo_failure"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
