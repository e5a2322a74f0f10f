"""Fixtures of the pipeline tests that drive a real worker through the HTTP API."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from subprocess import Popen

import pytest
from django.test import Client

from photonix.core.models import User
from tests import fakes


@pytest.fixture
def media_worker(
    clean_broker: str, process_env: dict[str, str], spawn: Callable[..., Popen[bytes]]
) -> Iterator[None]:
    """A worker on every queue, with the built-in classifiers only (switch them per library)."""
    shutil.rmtree(fakes.marker_dir(), ignore_errors=True)
    spawn("worker", "--concurrency", "2", env=process_env)
    yield


@pytest.fixture
def owner(client: Client, transactional_db: None) -> Client:
    """A signed-in administrator. Request it before importing: ``library_add`` makes the
    administrators that exist the library's owners."""
    client.force_login(User.objects.create_superuser("root", password="x" * 16))
    return client
