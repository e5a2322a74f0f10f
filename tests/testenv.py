"""Test environment, loaded as a pytest plugin (``-p tests.testenv``) before Django starts.

Tests never touch a real installation: the data directory is a fresh temporary folder, and the
broker is a database of its own (chosen by process id) on the local Redis
(``PHOTONIX_TEST_REDIS_URL`` to change it).
"""

from __future__ import annotations

import os
import tempfile

# Set before Django reads its settings: pytest-django configures Django before any conftest.
os.environ["PHOTONIX_DATA_DIR"] = tempfile.mkdtemp(prefix="photonix-test-")
# A database of its own per test run (1–15), so two runs on one machine do not share queues.
os.environ.setdefault("PHOTONIX_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{1 + os.getpid() % 15}")
os.environ["REDIS_URL"] = os.environ["PHOTONIX_TEST_REDIS_URL"]
os.environ.pop("PHOTONIX_PRODUCTION", None)
os.environ.pop("PHOTONIX_SECRET_KEY", None)
