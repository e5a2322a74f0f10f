"""Coalesced runs on the real broker (no worker): many requests, one timer; a run settles only
what it covered; the reconciliation sends a lost timer again; the jobs summary counts them."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import kombu.exceptions
import pytest
import redis
from django.db.models.signals import post_init
from django.test import Client

from photonix.core import work
from photonix.core.models import User
from photonix.faces import services as faces_services
from photonix.faces import tasks as faces_tasks
from photonix.faces.models import Face
from photonix.pipeline import services
from photonix.pipeline.debounce import FACES_RECLUSTER
from tests.faces.conftest import make_library, make_photo

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


def by_hand() -> None:
    """The run a due timer sends, in tests that play the run's part themselves."""


def broken_library() -> int:
    """A library whose re-clustering fails for good: a face's embedding cannot be read."""
    folder = make_library("Broken")
    Face.objects.create(
        photo=make_photo(folder),
        library_id=folder.library_id,
        x=0,
        y=0,
        width=0.5,
        height=0.5,
        embedding=b"bad",
    )
    return folder.library_id


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
    wait = FACES_RECLUSTER.due(LIBRARY, by_hand)
    assert wait is not None and 0 < wait <= 600, "faces may still come: ask again later"
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}
    settings.PHOTONIX_FACES_GROUP_MAX_DELAY = 0  # requests kept coming for too long: run now
    assert FACES_RECLUSTER.due(LIBRARY, by_hand) == 0
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 1}
    assert FACES_RECLUSTER.due(LIBRARY, by_hand) is None, "sent once: a second timer sends nothing"
    assert FACES_RECLUSTER.due(LIBRARY + 1, by_hand) is None, "never requested"


def test_a_run_settles_what_it_covered_and_a_later_request_waits_again(
    clean_broker: str, settings: Any
) -> None:
    settings.PHOTONIX_FACES_GROUP_DELAY = 0
    FACES_RECLUSTER.request(LIBRARY)
    assert FACES_RECLUSTER.due(LIBRARY, by_hand) == 0
    seen = FACES_RECLUSTER.seen(LIBRARY)
    FACES_RECLUSTER.request(LIBRARY)  # faces stored while the run reads the library
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 1}, "no second timer meanwhile"
    FACES_RECLUSTER.settle(LIBRARY, seen)
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}
    assert timers(clean_broker) == [LIBRARY, LIBRARY], "a new timer for the later faces"
    assert FACES_RECLUSTER.due(LIBRARY, by_hand) == 0
    FACES_RECLUSTER.settle(LIBRARY, FACES_RECLUSTER.seen(LIBRARY))
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 0}
    # A run nobody asked for (a retry from the jobs page) settles nothing.
    assert FACES_RECLUSTER.seen(LIBRARY) is None
    FACES_RECLUSTER.settle(LIBRARY, None)
    assert len(timers(clean_broker)) == 2


@pytest.mark.django_db(transaction=True)  # the task opens and closes its own connections
def test_a_recluster_that_fails_for_good_leaves_nothing_pending(
    clean_broker: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PHOTONIX_FACES_GROUP_DELAY = 0
    library_id = broken_library()
    FACES_RECLUSTER.request(library_id)
    assert FACES_RECLUSTER.due(library_id, by_hand) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert faces_tasks.recluster_library.apply(args=(library_id,)).failed()
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 0}, "wait would hang otherwise"
    assert faces_services.dirty_libraries_take() == [library_id], "beat's run tries it again"


def test_a_timer_whose_send_failed_sends_the_run_when_it_is_retried(
    clean_broker: str, settings: Any
) -> None:
    """The timer's send of the run fails (here the broker refuses the write: the ``faces`` queue
    is, for a moment, not a list); the timer is retried and must send the run then."""
    settings.PHOTONIX_FACES_GROUP_DELAY = 0
    FACES_RECLUSTER.request(LIBRARY)
    client = redis.Redis.from_url(clean_broker)
    client.delete("faces")
    client.set("faces", "not a queue")
    with pytest.raises(kombu.exceptions.OperationalError):  # as when the broker is away
        faces_tasks.recluster_soon.run(LIBRARY)
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}, "nothing was sent"
    client.delete("faces")
    assert faces_tasks.recluster_soon.run(LIBRARY) == "sent"
    assert FACES_RECLUSTER.pending() == {"waiting": 0, "sent": 1}
    (raw,) = client.lrange("faces", 0, -1)
    assert json.loads(raw)["headers"]["task"] == "photonix.faces.recluster_library"
    client.close()


@pytest.mark.django_db(transaction=True)  # the task opens and closes its own connections
def test_a_run_that_fails_for_good_keeps_the_requests_that_came_while_it_ran(
    clean_broker: str, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The run reads the library and fails (a face whose embedding cannot be read); faces
    stored meanwhile (a photo of the import, while the run loads the library's faces) still
    get a run of their own."""
    settings.PHOTONIX_FACES_GROUP_DELAY = 0
    library_id = broken_library()
    FACES_RECLUSTER.request(library_id)
    assert faces_tasks.recluster_soon.run(library_id) == "sent"
    redis.Redis.from_url(clean_broker).delete("faces")  # the run is taken: it runs below

    def faces_stored_meanwhile(sender: Any, **_: Any) -> None:
        FACES_RECLUSTER.request(library_id)

    post_init.connect(faces_stored_meanwhile, sender=Face, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = faces_tasks.recluster_library.apply(args=(library_id,))
    finally:
        post_init.disconnect(faces_stored_meanwhile, sender=Face)
    assert result.failed()
    assert FACES_RECLUSTER.pending() == {"waiting": 1, "sent": 0}, "the later faces wait"
    assert timers(clean_broker) == [library_id], "and get a timer of their own"
    assert faces_services.dirty_libraries_take() == [library_id], "beat's run tries it too"


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

    assert FACES_RECLUSTER.due(LIBRARY, by_hand) is not None
    settings.PHOTONIX_FACES_GROUP_MAX_DELAY = 0
    assert FACES_RECLUSTER.due(LIBRARY, by_hand) == 0  # sent: its own job record counts from now on
    summary = client.get("/api/jobs/summary").json()
    assert summary["people_pending"] == 1
    assert summary["active"] == 0, "no job record in this test: the sent run is not counted twice"
