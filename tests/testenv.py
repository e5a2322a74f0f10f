"""Test environment, loaded as a pytest plugin (``-p tests.testenv``) before Django starts.

Tests never touch a real installation: the data directory is a fresh temporary folder, and the
broker is a database of its own (claimed for this run, see ``tests/slots.py``) on the local Redis
(``PHOTONIX_TEST_REDIS_URL`` to choose one).
"""

from __future__ import annotations

import os
import tempfile

import redis

from tests import slots

# Set before Django reads its settings: pytest-django configures Django before any conftest.
os.environ["PHOTONIX_DATA_DIR"] = tempfile.mkdtemp(prefix="photonix-test-")
# A broker database of its own per test run (1–15, claimed in tests/slots.py), so runs side by side
# on one machine never share queues; its number also names the run's PostgreSQL test database.
if "PHOTONIX_TEST_REDIS_URL" not in os.environ:
    try:
        os.environ["PHOTONIX_TEST_REDIS_URL"] = slots.claim_url()
    except redis.ConnectionError:
        # No Redis: the tests that need one fail and say so; the others run.
        os.environ["PHOTONIX_TEST_REDIS_URL"] = f"{slots.BASE_URL}/{1 + os.getpid() % 15}"
os.environ["REDIS_URL"] = os.environ["PHOTONIX_TEST_REDIS_URL"]
os.environ.pop("PHOTONIX_PRODUCTION", None)
os.environ.pop("PHOTONIX_SECRET_KEY", None)
