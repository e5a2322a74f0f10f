"""What the pipeline records: each photo's stages, and a record of every job.

Neither table is ever read to find work — Celery moves work. ``PhotoStage`` answers "what is
missing for this photo" with a query; ``Job`` is what the jobs page shows, written only by the
Celery signal handlers in :mod:`photonix.pipeline.signals`.
"""

from __future__ import annotations

from django.db import models

from photonix.library.models import Library, Photo


class PhotoPipeline(models.Model):
    """Where a photo is in its pipeline.

    ``touched_at`` moves whenever the photo's canvas is dispatched or one of its tasks starts, so
    the reconciliation can find photos left unfinished with nothing in flight (a broker that lost
    its queue) with one indexed query.
    """

    class State(models.TextChoices):
        PENDING = "pending"
        PROCESSING = "processing"
        PROCESSED = "processed"
        FAILED = "failed"

    photo = models.OneToOneField(
        Photo, primary_key=True, on_delete=models.CASCADE, related_name="pipeline"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    touched_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    dispatches = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["state", "touched_at"], name="pipeline_state_touched")]

    def __str__(self) -> str:
        return f"photo {self.photo_id}: {self.state}"


class PhotoStage(models.Model):
    """A stage that has run for a photo, at a version: ``done`` or ``failed``."""

    class State(models.TextChoices):
        DONE = "done"
        FAILED = "failed"

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=60)
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices)
    error = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["photo", "stage"], name="photostage_unique"),
        ]
        indexes = [models.Index(fields=["stage", "state"], name="photostage_stage_state")]

    def __str__(self) -> str:
        return f"{self.photo_id}:{self.stage}@{self.version} {self.state}"


class Job(models.Model):
    """One Celery task of Photonix, as a person sees it on the jobs page."""

    class State(models.TextChoices):
        QUEUED = "queued"
        STARTED = "started"
        RETRYING = "retrying"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        REVOKED = "revoked"

    ACTIVE = (State.QUEUED, State.STARTED, State.RETRYING)

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    stage = models.CharField(max_length=60, db_index=True)
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    traceback = models.TextField(blank=True, default="")
    acknowledged = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["stage", "state"], name="job_stage_state"),
            models.Index(fields=["state", "acknowledged"], name="job_state_ack"),
            models.Index(fields=["finished_at"], name="job_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.name}[{self.task_id}] {self.state}"
