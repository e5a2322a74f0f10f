"""A task sent from Django runs on a real Celery worker, and Flower (fed by events) shows it."""

from __future__ import annotations

import time
from collections.abc import Callable
from subprocess import Popen
from typing import Any

import pytest
import requests

from photonix import conf
from photonix.core.health import check_workers
from photonix.core.tasks import ping
from tests.conftest import free_port

pytestmark = pytest.mark.integration


def _wait(predicate: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except requests.RequestException as exc:
            last = exc
        else:
            if last:
                return last
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}; last answer: {last!r}")


def test_task_runs_on_worker_and_is_visible_in_flower(
    clean_broker: str, spawn: Callable[..., Popen[bytes]]
) -> None:
    port = free_port()
    spawn("worker", "--concurrency", "1")
    spawn("flower", "--port", str(port))
    flower = f"http://127.0.0.1:{port}"
    # photonix flower generates its login into the data directory, shared with this process.
    user, _, password = conf.flower_login(conf.get()).partition(":")
    auth = (user, password)

    _wait(lambda: check_workers(timeout=1.0)["ok"], 60, "the worker to answer a ping")
    _wait(
        lambda: requests.get(f"{flower}/api/workers?refresh=1", auth=auth, timeout=5).json(),
        60,
        "Flower to see it",
    )

    result = ping.delay("hello from django")
    assert result.get(timeout=30) == "hello from django"

    def flower_task() -> dict[str, Any] | None:
        response = requests.get(f"{flower}/api/task/info/{result.id}", auth=auth, timeout=2)
        info: dict[str, Any] = response.json() if response.status_code == 200 else {}
        return info if info.get("state") == "SUCCESS" else None

    info = _wait(flower_task, 30, "Flower to show the task")
    assert info["name"] == "photonix.core.tasks.ping"
    assert info["result"] == "'hello from django'"
    assert info["worker"].startswith("photonix-all@")
