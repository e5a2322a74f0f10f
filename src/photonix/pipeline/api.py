"""The jobs API: what the pipeline is doing, what failed and why, and the levers to fix it.

For administrators (the people who run the installation), like Immich's jobs page. The summary
is open to everyone signed in (the header's indicator, the timeline's live refresh), scoped to
the caller's libraries unless they administer.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import redis
from django.conf import settings
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.classifiers import registry
from photonix.core.broker_client import broker_outstanding, paused_queues
from photonix.core.http import ID_SCHEMA, IdField, IsAdmin, query_id, request_user
from photonix.core.models import User
from photonix.library import selectors as library_selectors
from photonix.library.models import Library, PhotoFile
from photonix.pipeline import services
from photonix.pipeline.debounce import FACES_RECLUSTER, SENT, WAITING
from photonix.pipeline.models import Job, PhotoPipeline
from photonix.pipeline.queues import QUEUE_NAMES

RECLUSTER_STAGE = "faces_recluster"  # photonix.faces.tasks.FacesTask.stage
# Which queue carries each stage (a stage is paused by pausing its queue); see queues.py. A
# classifier's stage (``classify:<name>``) is on the queue the classifier names, if it names one.
STAGE_QUEUES = {
    "scan": "import",
    "import": "import",
    "develop_raw": "media",
    "thumbnails": "media",
    "classify": "classify",
    "faces": "faces",
    RECLUSTER_STAGE: "faces",
    "finish": "classify",
    "other": "import",
}


def queue_for_stage(stage: str) -> str:
    kind, _, name = stage.partition(":")
    if kind == "classify" and name:
        try:
            return registry.queue_of(name)
        except LookupError:  # a classifier no longer installed: it ran where classifiers run
            return STAGE_QUEUES[kind]
    return STAGE_QUEUES.get(kind, "default")


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class StageSummarySerializer(serializers.Serializer[Any]):
    stage = serializers.CharField()
    queue = serializers.CharField()
    queued = serializers.IntegerField()
    running = serializers.IntegerField()
    retrying = serializers.IntegerField()
    failed = serializers.IntegerField()
    succeeded = serializers.IntegerField()
    paused = serializers.BooleanField()


class QueueSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    waiting = serializers.IntegerField()
    paused = serializers.BooleanField()


class PhotoCountsSerializer(serializers.Serializer[Any]):
    pending = serializers.IntegerField()
    processing = serializers.IntegerField()
    processed = serializers.IntegerField()
    failed = serializers.IntegerField()


class JobSummarySerializer(serializers.Serializer[Any]):
    stages = StageSummarySerializer(many=True)
    queues = QueueSerializer(many=True)
    in_flight = serializers.IntegerField(help_text="Messages being worked on right now.")
    photos = PhotoCountsSerializer()
    active = serializers.IntegerField(
        help_text="Jobs queued, running or waiting to retry (a library's re-clustering that waits "
        "for its faces to settle counts as queued)."
    )
    people_pending = serializers.IntegerField(
        help_text="Libraries whose faces are still to be grouped into people: waiting for their "
        "faces to settle, or being re-clustered."
    )
    flower_url = serializers.CharField(
        help_text="Flower, the Celery monitor, for operators (empty for non-administrators)."
    )
    broker_ok = serializers.BooleanField(help_text="False when the broker could not be asked.")


class JobSerializer(serializers.ModelSerializer[Job]):
    """A job record, with enough of its photo to show it: the name and kind of the photo's
    preferred file and its thumbnails' version (list them with ``photo__preferred_file``
    selected, one query for a page)."""

    file_name = serializers.SerializerMethodField(
        help_text="The name of the photo's preferred file; null without a photo or file."
    )
    file_kind = serializers.SerializerMethodField(
        help_text="``photo``, ``raw`` or ``video``: the kind of the photo's preferred file."
    )
    thumbnail_version = serializers.SerializerMethodField(
        help_text="The photo's thumbnails' version, as on the timeline (0: none made yet); "
        "null without a photo."
    )

    class Meta:
        model = Job
        fields = (
            "id",
            "task_id",
            "name",
            "stage",
            "photo",
            "library",
            "state",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
            "error",
            "traceback",
            "acknowledged",
            "file_name",
            "file_kind",
            "thumbnail_version",
        )
        read_only_fields = fields

    def get_file_name(self, job: Job) -> str | None:
        file = job.photo.preferred_file if job.photo else None
        return None if file is None else PurePath(file.path).name

    @extend_schema_field(serializers.ChoiceField(choices=PhotoFile.Kind.choices, allow_null=True))
    def get_file_kind(self, job: Job) -> str | None:
        file = job.photo.preferred_file if job.photo else None
        return None if file is None else file.kind

    def get_thumbnail_version(self, job: Job) -> int | None:
        return None if job.photo is None else job.photo.thumbnail_version


class RetryResultSerializer(serializers.Serializer[Any]):
    retried = serializers.IntegerField()


class DismissRequestSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(child=IdField(), required=False)
    stage = serializers.CharField(required=False)


class DismissResultSerializer(serializers.Serializer[Any]):
    dismissed = serializers.IntegerField()


class StageRequestSerializer(serializers.Serializer[Any]):
    stage = serializers.CharField(required=False, allow_null=True, default=None)
    library = IdField(required=False, allow_null=True, default=None)


class DispatchResultSerializer(serializers.Serializer[Any]):
    dispatched = serializers.IntegerField()


class QueueStateSerializer(serializers.Serializer[Any]):
    queue = serializers.ChoiceField(choices=list(QUEUE_NAMES))
    paused = serializers.BooleanField()


def job_summary(user: User) -> dict[str, Any]:
    """The jobs page's figures. An administrator gets the installation's, with the broker's
    queue lengths and Flower's URL. Anyone else gets their libraries' only: job records and
    photo states of those libraries, each queue's waiting and in-flight figures counted from
    those records (the broker's own figures are everyone's), whether each queue is paused, and
    no Flower URL (an empty string)."""
    admin = user.is_superuser
    jobs = Job.objects.exclude(state=Job.State.FAILED, acknowledged=True)
    photo_states = PhotoPipeline.objects.all()
    mine: set[int] | None = None  # None: every library's
    if not admin:
        mine = set(library_selectors.libraries_for(user).values_list("pk", flat=True))
        jobs = jobs.filter(library_id__in=mine)
        photo_states = photo_states.filter(photo__library_id__in=mine)
    counts: dict[str, dict[str, int]] = {}
    for row in jobs.values("stage", "state").annotate(n=Count("pk")):
        counts.setdefault(row["stage"], {})[row["state"]] = row["n"]
    try:
        paused = paused_queues()
        queued, unacked = broker_outstanding() if admin else ({}, 0)
        regrouping = FACES_RECLUSTER.pending(mine)
        broker_ok = True
    except redis.RedisError:
        # The database counts still tell a person a lot; queue figures are unknown.
        paused, queued, unacked, broker_ok = set(), {}, 0, False
        regrouping = {WAITING: 0, SENT: 0}
    if regrouping[WAITING]:
        # Not a job yet (its job is sent once the faces settle), but work to come all the same.
        waiting = counts.setdefault(RECLUSTER_STAGE, {})
        waiting[Job.State.QUEUED] = waiting.get(Job.State.QUEUED, 0) + regrouping[WAITING]
    stages: list[dict[str, Any]] = [
        {
            "stage": stage,
            "queue": queue_for_stage(stage),
            "queued": by_state.get(Job.State.QUEUED, 0),
            "running": by_state.get(Job.State.STARTED, 0),
            "retrying": by_state.get(Job.State.RETRYING, 0),
            "failed": by_state.get(Job.State.FAILED, 0),
            "succeeded": by_state.get(Job.State.SUCCEEDED, 0),
            "paused": queue_for_stage(stage) in paused,
        }
        for stage, by_state in sorted(counts.items())
    ]
    if not admin:
        queued, unacked = {}, 0
        for stage in stages:
            queued[stage["queue"]] = queued.get(stage["queue"], 0) + stage["queued"]
            unacked += stage["running"]
    photos = dict(photo_states.values_list("state").annotate(n=Count("pk")))
    return {
        "stages": stages,
        "queues": [
            {"name": name, "waiting": queued.get(name, 0), "paused": name in paused}
            for name in QUEUE_NAMES
        ],
        "in_flight": unacked,
        "photos": {state: photos.get(state, 0) for state in PhotoPipeline.State.values},
        "active": sum(s["queued"] + s["running"] + s["retrying"] for s in stages),
        "people_pending": regrouping[WAITING] + regrouping[SENT],
        "flower_url": settings.PHOTONIX_FLOWER_URL if admin else "",
        "broker_ok": broker_ok,
    }


class JobSummaryView(APIView):
    """Per stage: jobs queued, running, retrying, failed and done; queues and photo states.
    Administrators see the whole installation; anyone else their own libraries."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(operation_id="jobs_summary", responses=JobSummarySerializer)
    def get(self, request: Request) -> Response:
        return Response(job_summary(request_user(request)))


class JobListView(generics.ListAPIView[Job]):
    """Job records, newest first; ``?state=failed`` lists the failures still to look at."""

    permission_classes = (IsAdmin,)
    serializer_class = JobSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Job]:
        jobs = Job.objects.select_related("photo__preferred_file").order_by("-pk")
        params = self.request.query_params
        if state := params.get("state"):
            jobs = jobs.filter(state=state)
        if stage := params.get("stage"):
            jobs = jobs.filter(stage=stage)
        if (photo := query_id(self.request, "photo")) is not None:
            jobs = jobs.filter(photo_id=photo)
        if params.get("include_dismissed") not in ("1", "true"):
            jobs = jobs.exclude(state=Job.State.FAILED, acknowledged=True)
        return jobs

    @extend_schema(
        operation_id="jobs_list",
        parameters=[
            OpenApiParameter("state", str, enum=list(Job.State.values)),
            OpenApiParameter("stage", str),
            OpenApiParameter("photo", ID_SCHEMA),
            OpenApiParameter("include_dismissed", bool),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class JobRetryView(APIView):
    permission_classes = (IsAdmin,)

    @extend_schema(operation_id="jobs_retry", request=None, responses=RetryResultSerializer)
    def post(self, request: Request, job_id: int) -> Response:
        job = get_object_or_404(Job, pk=job_id, state=Job.State.FAILED)
        services.job_retry(job)
        return Response({"retried": 1})


class JobRetryFailedView(APIView):
    """Retry every failure still shown (of one stage with ``stage``)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="jobs_retry_failed",
        request=StageRequestSerializer,
        responses=RetryResultSerializer,
    )
    def post(self, request: Request) -> Response:
        payload = StageRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response({"retried": services.jobs_retry_failed(payload.validated_data["stage"])})


class JobDismissView(APIView):
    """Hide failures from the list (they stay in the records)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="jobs_dismiss",
        request=DismissRequestSerializer,
        responses=DismissResultSerializer,
    )
    def post(self, request: Request) -> Response:
        payload = DismissRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        count = services.jobs_dismiss(
            payload.validated_data.get("ids"), payload.validated_data.get("stage")
        )
        return Response({"dismissed": count})


def _library_id(value: int | None) -> int | None:
    if value is not None:
        get_object_or_404(Library, pk=value)
    return value


class ProcessMissingView(APIView):
    """Dispatch what photos miss: of every stage, or of one with ``stage`` (``develop_raw``,
    ``thumbnails``, ``classify`` or ``classify:<name>``); of one library with ``library``."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="pipeline_process_missing",
        request=StageRequestSerializer,
        responses=DispatchResultSerializer,
    )
    def post(self, request: Request) -> Response:
        payload = StageRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        library = _library_id(payload.validated_data["library"])
        count = services.process_missing(library, payload.validated_data["stage"])
        return Response({"dispatched": count})


class ReprocessView(APIView):
    """Redo a stage (or every stage) for every photo (of one library)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="pipeline_reprocess",
        request=StageRequestSerializer,
        responses=DispatchResultSerializer,
    )
    def post(self, request: Request) -> Response:
        payload = StageRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        library = _library_id(payload.validated_data["library"])
        count = services.reprocess(payload.validated_data["stage"], library)
        return Response({"dispatched": count})


class QueueStateView(APIView):
    """Pause or resume a queue: workers stop or start taking its jobs (running ones finish)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="pipeline_queue_state",
        request=QueueStateSerializer,
        responses={200: QueueStateSerializer},
    )
    def post(self, request: Request) -> Response:
        payload = QueueStateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        queue, paused = payload.validated_data["queue"], payload.validated_data["paused"]
        if paused:
            services.queue_pause(queue)
        else:
            services.queue_resume(queue)
        return Response({"queue": queue, "paused": paused}, status=status.HTTP_200_OK)
