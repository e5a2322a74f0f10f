from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Callable, Iterator
from subprocess import Popen
from typing import Any

import pytest
from django.test import Client, override_settings

from photonix.conf import redact_url
from photonix.core.broker_client import redis_client_url
from photonix.core.health import forget_recent_health_report
from photonix.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings: Any) -> Iterator[None]:
    """No report kept from another test; throttle counters of this test's own (they live in the
    broker's Redis, which other test runs on this machine may share)."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()
    }
    forget_recent_health_report()
    yield
    forget_recent_health_report()


@pytest.fixture
def admin(django_user_model: type[User]) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("root", password=None))
    return client


@pytest.fixture
def member(django_user_model: type[User]) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("ada"))
    return client


def test_health_reports_database_and_broker_without_a_worker(admin: Client) -> None:
    """No worker runs in this test: the report must say so, with a 503 a monitor can act on."""
    response = admin.get("/api/health")
    body = response.json()
    assert body["components"]["database"]["ok"] is True
    assert body["components"]["broker"]["ok"] is True, body
    assert body["components"]["broker"]["detail"].startswith(("redis", "valkey"))
    assert body["versions"]["django"].startswith("5.2")
    assert body["version"] == body["versions"]["photonix"]
    if not body["components"]["workers"]["ok"]:
        assert response.status_code == 503
        assert body["status"] == "degraded"
        assert "no worker has reported" in body["components"]["workers"]["detail"]


def test_anonymous_callers_get_the_status_alone(client: Client) -> None:
    response = client.get("/api/health")
    assert response.json() == {"status": "ok" if response.status_code == 200 else "degraded"}


def test_members_get_each_parts_state_without_details(member: Client) -> None:
    body = member.get("/api/health").json()
    assert set(body) == {"status", "components"}
    assert body["components"]["database"] == {"ok": True, "detail": "ok", "latency_ms": None}
    assert set(body["components"]) == {"database", "broker", "workers"}
    assert "sock" not in str(body) and "redis://" not in str(body)


@override_settings(PHOTONIX_HEALTH_RATE="3/minute")
def test_anonymous_health_checks_are_throttled(client: Client, admin: Client) -> None:
    codes = [client.get("/api/health").status_code for _ in range(3)]
    assert 429 not in codes
    throttled = client.get("/api/health")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert "throttled" in throttled.json()["detail"]
    # Signed in (a session, or the API token a monitor can use), nobody is counted.
    assert admin.get("/api/health").status_code in (200, 503)


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_health_reports_dead_broker_quickly(admin: Client) -> None:
    response = admin.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["components"]["broker"]["ok"] is False
    assert "Connection" in body["components"]["broker"]["detail"]
    assert body["components"]["workers"]["detail"] == "not checked: the broker is unreachable"


@pytest.mark.integration
def test_health_answers_from_the_workers_reports_without_asking_them(
    transactional_db: None,
    clean_broker: str,
    process_env: dict[str, str],
    spawn: Callable[..., Popen[bytes]],
    admin: Client,
    client: Client,
) -> None:
    """A worker that cannot answer (stopped with SIGSTOP, as a busy or hung one would be) is
    still reported by the state it wrote a moment ago: the request sent no broadcast to wait on,
    which would have found no answer and said "degraded"."""
    from tests.waiting import wait_for

    worker = spawn("worker", "--concurrency", "1", env=process_env)

    def healthy() -> dict[str, Any] | None:
        response = admin.get("/api/health")
        body: dict[str, Any] = response.json()
        return body if response.status_code == 200 else None

    body = wait_for(healthy, 60, "the worker to be seen")
    assert body["components"]["workers"]["detail"].startswith("1 answering: photonix-all@")
    os.kill(worker.pid, signal.SIGSTOP)  # the worker's main process: it answers nothing now
    try:
        anonymous = client.get("/api/health")
        signed_in = admin.get("/api/health")
    finally:
        os.kill(worker.pid, signal.SIGCONT)
    assert (anonymous.status_code, anonymous.json()) == (200, {"status": "ok"})
    assert signed_in.status_code == 200, signed_in.json()
    assert signed_in.json()["components"]["workers"]["ok"] is True


def test_redis_url_helpers() -> None:
    assert redis_client_url("redis+socket:///data/broker/valkey.sock") == (
        "unix:///data/broker/valkey.sock"
    )
    assert redis_client_url("redis://h:6379/0") == "redis://h:6379/0"
    assert redact_url("redis://:s3cret@h:6379/0") == "redis://:***@h:6379/0"
    assert redact_url("redis://user:s3cret@h/0") == "redis://user:***@h/0"
    assert redact_url("redis://h/0") == "redis://h/0"
