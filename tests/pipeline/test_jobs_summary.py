"""The jobs summary's stages, read through the API with no worker running: each stage is
labelled with the queue its jobs are sent to, and is paused when that queue is."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from photonix.core.models import User
from photonix.pipeline.models import Job


@pytest.fixture
def admin(db: None) -> User:
    return User.objects.create_user("ada", password="x", is_superuser=True, is_staff=True)


@pytest.fixture
def client(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def jobs(db: None) -> None:
    for n, stage in enumerate(["classify:faces", "classify:object", "classify:gone", "faces"]):
        Job.objects.create(task_id=f"task-{n}", name="photonix.x", stage=stage)


def _stages(client: Client) -> dict[str, dict[str, Any]]:
    response = client.get("/api/jobs/summary")
    assert response.status_code == 200
    return {row["stage"]: row for row in response.json()["stages"]}


def test_a_classifier_stage_shows_the_queue_the_classifier_runs_on(
    client: Client, jobs: None
) -> None:
    stages = _stages(client)
    assert stages["classify:faces"]["queue"] == "faces"
    assert stages["classify:object"]["queue"] == "classify"
    # A classifier no longer installed: its jobs were on the default classify queue.
    assert stages["classify:gone"]["queue"] == "classify"
    assert stages["faces"]["queue"] == "faces"


@pytest.fixture
def faces_paused(client: Client) -> Iterator[None]:
    """The ``faces`` queue paused in this run's broker database, resumed afterwards."""

    def pause(paused: bool) -> None:
        response = client.post(
            "/api/pipeline/queues",
            json.dumps({"queue": "faces", "paused": paused}),
            content_type="application/json",
        )
        assert response.status_code == 200

    pause(True)
    try:
        yield
    finally:
        pause(False)


def test_a_classifier_stage_is_paused_with_the_queue_it_runs_on(
    client: Client, jobs: None, faces_paused: None
) -> None:
    stages = _stages(client)
    assert stages["classify:faces"]["paused"] is True
    assert stages["faces"]["paused"] is True
    assert stages["classify:object"]["paused"] is False
