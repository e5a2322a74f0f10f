from __future__ import annotations

import pytest
from django.test import Client, override_settings

from photonix.conf import redact_url
from photonix.core.broker_client import redis_client_url

pytestmark = pytest.mark.django_db


def test_health_reports_database_and_broker_without_a_worker(client: Client) -> None:
    """No worker runs in this test: the report must say so, with a 503 a monitor can act on."""
    from photonix.core.models import User

    client.force_login(User.objects.create_user("ada"))
    response = client.get("/api/health")
    body = response.json()
    assert body["components"]["database"]["ok"] is True
    assert body["components"]["broker"]["ok"] is True, body
    assert body["components"]["broker"]["detail"].startswith(("redis", "valkey"))
    assert body["versions"]["django"].startswith("5.2")
    if not body["components"]["workers"]["ok"]:
        assert response.status_code == 503
        assert body["status"] == "degraded"
        assert "no worker answered" in body["components"]["workers"]["detail"]


def test_health_hides_details_from_anonymous_callers(client: Client) -> None:
    body = client.get("/api/health").json()
    assert body["components"]["database"] == {
        "ok": True,
        "detail": "ok",
        "latency_ms": body["components"]["database"]["latency_ms"],
    }
    assert "sock" not in str(body) and "redis://" not in str(body)


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_health_reports_dead_broker_quickly(admin_client: Client) -> None:
    client = admin_client
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["components"]["broker"]["ok"] is False
    assert "Connection" in body["components"]["broker"]["detail"]
    assert body["components"]["workers"]["detail"] == "not checked: the broker is unreachable"


def test_redis_url_helpers() -> None:
    assert redis_client_url("redis+socket:///data/broker/valkey.sock") == (
        "unix:///data/broker/valkey.sock"
    )
    assert redis_client_url("redis://h:6379/0") == "redis://h:6379/0"
    assert redact_url("redis://:s3cret@h:6379/0") == "redis://:***@h:6379/0"
    assert redact_url("redis://user:s3cret@h/0") == "redis://user:***@h/0"
    assert redact_url("redis://h/0") == "redis://h/0"
