"""A property-based fuzz of the whole API (schemathesis against the committed OpenAPI file), as an
administrator, in-process through Django's WSGI application: no input may cause a server error.

Bounded so it stays a unit test: a few examples per operation (``PHOTONIX_FUZZ_EXAMPLES``,
default 8) and a time budget for the whole walk (``PHOTONIX_FUZZ_SECONDS``, default 60);
derandomized, so a failure reproduces. Run with a larger budget to hunt:
``PHOTONIX_FUZZ_EXAMPLES=200 PHOTONIX_FUZZ_SECONDS=1800 pytest tests/security/test_fuzz.py``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

import photonix
from tests.security.conftest import World

OPENAPI = Path(photonix.__file__).parent / "api" / "openapi.yaml"
EXAMPLES = int(os.environ.get("PHOTONIX_FUZZ_EXAMPLES", "8"))
BUDGET = float(os.environ.get("PHOTONIX_FUZZ_SECONDS", "60"))
# Answers that are errors by design, not crashes: the health check says 503 when a part is down.
EXPECTED_5XX = {("GET", "/api/health"): {503}}


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """Django's WSGI application, minus the connection closing at each request's end (as
    Django's test client does): the test's transaction must stay open across requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_no_input_causes_a_server_error(world: World, wsgi_app: Any) -> None:
    app = wsgi_app
    schema = schemathesis.openapi.from_path(OPENAPI)
    token = world.tokens["admin"][1]
    # Also a member of the library, so library-scoped operations get past the 404.
    world.library.members.create(user=world.users["admin"], role="owner")
    failures: list[str] = []
    started = time.monotonic()
    walked = 0

    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]
        if time.monotonic() - started > BUDGET:
            break
        walked += 1

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
            label = f"{case.operation.method.upper()} {case.operation.path}"
            allowed = EXPECTED_5XX.get((case.operation.method.upper(), case.operation.path), set())
            if response.status_code >= 500 and response.status_code not in allowed:
                failures.append(
                    f"{label} -> {response.status_code} "
                    f"for {case.path_parameters} {case.query} {str(case.body)[:200]}"
                )

        run()
    assert walked > 10, "the fuzz walked almost nothing: is the time budget too small?"
    assert not failures, "server errors:\n" + "\n".join(sorted(set(failures))[:40])
