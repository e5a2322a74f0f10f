"""Coalesced runs on the real broker (no worker): many requests, one timer; a run settles only
what it covered; the reconciliation sends a lost timer again; the jobs summary counts them."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
import redis
from django.test import Client

from photonix.core import work
from photonix.core.models import User
from photonix.faces import services as faces_services
from photonix.faces import tasks as faces_tasks
from photonix.pipeline import services
from photonix.pipeline.debounce import FACES_RECLUSTER

pytestmark = pytest.mark.django_db
LIBRARY = 7


def timers(broker: str) -> list[int]:
    """The library ids of the timers waiting in the ``faces`` queue."""
    client = redis.Redis.from_url(broker)
    try:
        messages = [json.loads(raw) for raw in client.lrange("faces", 0, -1)]
    finally:
        client.close()
    found = []
    for message in messages:
        assert message["headers"]["task"] == FACES_RECLUSTER.timer
        args, _, _ = json.loads(base64.b64decode(message["body"]))
        found.append(args[0])
    return found


def test_many_requests_send_one_timer(clean_broker: str, settings: Any) -> None:
    settings.PHOTONIX_FACES_GROUP_DELAY = 60
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 0}
    for _ in range(20):
        FACES_RECLUSTER.request(LIBRARY)
    FACES_RECLUSTER.request(LIBRARY + 1)
    assert FACES_RECLUSTER.pending() == {"waiting": 2, "sent": 0}
    assert sorted(timers(clean_broker)) == [LIBRARY, LIBRARY + 1]


def test_a_request_through_core_work_is_sent_after_the_commit(
    clean_broker: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        work.recluster_library(LIBRARY)
        work.recluster_library(LIBRARY)
        assert timers(clean_broker) == [], "nothing leaves before the commit"
    assert len(callbacks) == 2
    assert timers(clean_broker) == [LIBRARY]


def test_the_timer_waits_for_the_quiet_spell_and_at_most_the_max_delay(
    clean_broker: str, settings: Any
) -> None:
    settings.PHOTONIX_FACES_GROUP_DELAY = 600
    settings.PHOTONIX_FACES_GROUP_MAX_DELAY = 600
    FACES_RECLUSTER.request(LIBRARY)
    wait = FACES_RECLUSTER.due(LIBRARY)
    assert wait is not None and 0 < wait <= 600, "faces may still come: ask again later"
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}
    settings.PHOTONIX_FACES_GROUP_MAX_DELAY = 0  # requests kept coming for too long: run now
    assert FACES_RECLUSTER.due(LIBRARY) == 0
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 1}
    assert FACES_RECLUSTER.due(LIBRARY) is None, "sent once: a second timer sends nothing"
    assert FACES_RECLUSTER.due(LIBRARY + 1) is None, "never requested"


def test_a_run_settles_what_it_covered_and_a_later_request_waits_again(
    clean_broker: str, settings: Any
) -> None:
    settings.PHOTONIX_FACES_GROUP_DELAY = 0
    FACES_RECLUSTER.request(LIBRARY)
    assert FACES_RECLUSTER.due(LIBRARY) == 0
    seen = FACES_RECLUSTER.seen(LIBRARY)
    FACES_RECLUSTER.request(LIBRARY)  # faces stored while the run reads the library
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 1}, "no second timer meanwhile"
    FACES_RECLUSTER.settle(LIBRARY, seen)
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}
    assert timers(clean_broker) == [LIBRARY, LIBRARY], "a new timer for the later faces"
    assert FACES_RECLUSTER.due(LIBRARY) == 0
    FACES_RECLUSTER.settle(LIBRARY, FACES_RECLUSTER.seen(LIBRARY))
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 0}
    # A run nobody asked for (a retry from the jobs page) settles nothing.
    assert FACES_RECLUSTER.seen(LIBRARY) is None
    FACES_RECLUSTER.settle(LIBRARY, None)
    assert len(timers(clean_broker)) == 2


def test_a_recluster_that_fails_for_good_leaves_nothing_pending(
    clean_broker: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PHOTONIX_FACES_GROUP_DELAY = 0
    FACES_RECLUSTER.request(LIBRARY)
    assert FACES_RECLUSTER.due(LIBRARY) == 0
    with django_capture_on_commit_callbacks(execute=True):
        faces_tasks.recluster_library.on_failure(
            RuntimeError("boom"), "task-id", (LIBRARY,), {}, None
        )
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 0}, "wait would hang otherwise"
    assert faces_services.dirty_libraries_take() == [LIBRARY], "beat's run tries it again"


def test_the_reconciliation_sends_a_lost_timer_again(clean_broker: str) -> None:
    FACES_RECLUSTER.request(LIBRARY)
    client = redis.Redis.from_url(clean_broker)
    client.delete("faces")  # the broker lost its queue
    assert services.reconcile(dt.timedelta(minutes=5))["runs"] == 0, "not stale yet"
    assert timers(clean_broker) == []
    assert services.reconcile(dt.timedelta(0))["runs"] == 1
    assert timers(clean_broker) == [LIBRARY]
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}
    client.close()


def test_the_jobs_summary_counts_a_pending_recluster(clean_broker: str, settings: Any) -> None:
    settings.PHOTONIX_FACES_GROUP_DELAY = 60
    admin = User.objects.create_user("ada", password="x", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    idle = client.get("/api/jobs/summary").json()
    assert (idle["active"], idle["people_pending"]) == (0, 0)

    FACES_RECLUSTER.request(LIBRARY)
    summary = client.get("/api/jobs/summary").json()
    assert summary["people_pending"] == 1
    assert summary["active"] == 1
    (stage,) = [s for s in summary["stages"] if s["stage"] == "faces_recluster"]
    assert (stage["queue"], stage["queued"], stage["running"]) == ("faces", 1, 0)

    assert FACES_RECLUSTER.due(LIBRARY) is not None
    settings.PHOTONIX_FACES_GROUP_MAX_DELAY = 0
    assert FACES_RECLUSTER.due(LIBRARY) == 0  # sent: its own job record counts from now on
    summary = client.get("/api/jobs/summary").json()
    assert summary["people_pending"] == 1
    assert summary["active"] == 0, "no job record in this test: the sent run is not counted twice"
