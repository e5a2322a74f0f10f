from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A PostgreSQL test database named after this run's broker database (``test_photonix_run3``).

    Runs side by side on one machine each create, use and drop their own (SQLite test databases
    already live in each run's own data directory).
    """
    from django.conf import settings

    from tests import slots

    run = slots.number_of(os.environ["REDIS_URL"])
    for db in settings.DATABASES.values():
        if db["ENGINE"] == "django.db.backends.postgresql":
            db.setdefault("TEST", {})["NAME"] = f"test_{db['NAME']}_run{run}"


@pytest.fixture
def clean_broker() -> Iterator[str]:
    """The test broker database, emptied before and after the test."""
    url = os.environ["REDIS_URL"]
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def process_env(transactional_db: None) -> dict[str, str]:
    """Environment for ``photonix`` processes that must see this test's database."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return {"DATABASE_URL": url}


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start ``python -m photonix ...`` processes; every one is stopped at the end of the test.

    Their output goes to ``<tmp_path>/<role>-<n>.log``, shown when a test fails.
    """
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{args[0]}-{len(procs)}.log").open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "photonix", *args],
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(proc)
        return proc

    yield start
    for log in sorted(tmp_path.glob("*.log")):
        print(f"----- {log.name} -----\n{log.read_text(errors='replace')[-4000:]}")  # noqa: T201
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
    deadline = time.monotonic() + 15
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
