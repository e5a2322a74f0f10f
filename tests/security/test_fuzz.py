"""A property-based fuzz of the whole API (schemathesis against the committed OpenAPI file), as an
administrator who is also an owner of the library and its album, in-process through Django's WSGI
application: no input may cause a server error.

**Every operation** in the OpenAPI file is walked, and the test checks afterwards that each one
was called (``EXCLUDED`` lists any left out on purpose, with the reason; it is empty). Bounded by
a number of cases, never by the clock: for each operation ``PHOTONIX_FUZZ_EXAMPLES`` (default 8)
valid requests with generated path parameters, as many again with the path parameters of real
objects (so routes such as ``/api/share/{token}/…`` get past the 404 and their bodies and
queries are fuzzed), and as many invalid requests (wrong types, missing fields, values out of
range) on the real objects. Derandomized, so a failure reproduces. Reads run first and deletes
last, so the objects the others need are still there. Run with more cases to hunt:
``PHOTONIX_FUZZ_EXAMPLES=200 pytest tests/security/test_fuzz.py``.

Requests carry the administrator's API token, except those an API token may not make (a new
token, a password change, reset or confirmation, a new user or a change to one, a library role
granted), which carry the administrator's browser session (password entered at the start) and
CSRF token instead.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
import yaml
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

import photonix
from photonix.albums import services as album_services
from photonix.conf import OidcConfig
from photonix.core import oidc
from photonix.core import services as core_services
from photonix.core.models import OidcIdentity, User
from photonix.library.importing import uploads
from tests.security.conftest import World
from tests.signin import sign_in

OPENAPI = Path(photonix.__file__).parent / "api" / "openapi.yaml"
# tus sends its chunks as application/offset+octet-stream: bytes, as for application/octet-stream.
schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")

EXAMPLES = int(os.environ.get("PHOTONIX_FUZZ_EXAMPLES", "8"))
METHODS = ("get", "post", "put", "patch", "delete")
# Answers that are errors by design, not crashes: the health check says 503 when a part is down.
# 503 by design: the health check with a part down; smart search without its model (no model is
# downloaded in the tests: "Smart search is off", docs/search.md).
EXPECTED_5XX = {
    ("GET", "/api/health"): {503},
    ("GET", "/api/search/semantic"): {503},
    ("GET", "/api/photos/{photo_id}/similar"): {503},
}
# Operations deliberately not fuzzed, each with the reason. None today: keep it that way unless
# an operation truly cannot run in-process (and say why here).
EXCLUDED: dict[str, str] = {}
# Operations an API token is refused (403, by design): fuzzed with the browser session instead.
# (A token may lower a library role but not add a member or raise one: both member writes that
# take a role go by the session, so the fuzz reaches their granting side.)
SESSION_ONLY = {
    "auth_password_change",
    "auth_confirm_password",
    "tokens_create",
    "users_create",
    "users_update",
    "users_set_password",
    "libraries_members_add",
    "libraries_members_update",
}


def _operation_ids() -> set[str]:
    spec = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    return {
        item[method]["operationId"]
        for item in spec["paths"].values()
        for method in METHODS
        if method in item
    }


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


def _real_path_parameters(world: World) -> dict[str, Any]:
    # A token of its own for ``tokens_revoke``: revoking the one the fuzz signs in with would
    # leave every later request a 401.
    spare, _ = core_services.token_create(world.users["admin"], "revoked by the fuzz")
    # A zip download the administrator asked for, as ``POST /api/downloads`` stores it.
    ticket = {"user": world.users["admin"].pk, "version": "original", "name": "Fuzz.zip"}
    cache.set("download:fuzz", {**ticket, "photos": [world.photo.pk]}, 3600)
    # A resumable upload of the administrator's own: one is seen only by whoever started it.
    upload = uploads.new_upload(
        world.users["admin"],
        world.library,
        filename="fuzz.jpg",
        length=100,
        checksum=None,
        modified=None,
    )
    return {**world.path_values(), "token_id": spare.pk, "key": "fuzz", "upload_key": upload.key}


def _session(world: World) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies of a signed-in browser: session cookie, CSRF cookie and header."""
    from django.middleware.csrf import _get_new_csrf_string

    client = sign_in(Client(), world.users["admin"])
    secret = _get_new_csrf_string()
    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[
            django_settings.SESSION_COOKIE_NAME
        ].value,
        django_settings.CSRF_COOKIE_NAME: secret,
    }
    return {"X-CSRFToken": secret}, cookies


# Bounded by cases, not by the clock: the limit only stops a hang, and a busy machine (two
# suites side by side) takes several times as long as a quiet one.
@pytest.mark.timeout(1200)
@pytest.mark.django_db
def test_no_input_causes_a_server_error(world: World, wsgi_app: Any) -> None:
    app = wsgi_app
    schema = schemathesis.openapi.from_path(OPENAPI)
    token = world.tokens["admin"][1]
    # Also an owner of the library and of its album, so their operations get past the 404.
    world.library.members.create(user=world.users["admin"], role="owner")
    album_services.album_member_set(world.album, world.users["admin"], "owner")
    real = _real_path_parameters(world)
    session_headers, session_cookies = _session(world)
    failures: list[str] = []
    calls: Counter[str] = Counter()
    statuses: dict[str, Counter[int]] = {}

    operations = []
    for result in schema.get_all_operations():
        try:
            operations.append(result.ok())  # type: ignore[union-attr]
        except Exception as exc:  # noqa: BLE001 - an operation schemathesis cannot read
            failures.append(f"cannot read an operation of the OpenAPI file: {exc}")
    # Reads first, then writes, deletes last: each still finds the objects the others change
    # or remove (a photo taken out of the album would hide it from the share routes).
    rank = {"GET": 0, "DELETE": 2}
    operations.sort(key=lambda op: (rank.get(op.method.upper(), 1), op.path, op.method))

    def check(case: Any, operation_id: str) -> None:
        # A savepoint per request: a request that breaks the transaction (a database error
        # behind a 500) is reported for itself and does not fail every request after it.
        with transaction.atomic():
            if operation_id in SESSION_ONLY:
                response = case.call(app=app, headers=session_headers, cookies=session_cookies)
            else:
                response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
        calls[operation_id] += 1
        statuses.setdefault(operation_id, Counter())[response.status_code] += 1
        method, path = case.operation.method.upper(), case.operation.path
        allowed = EXPECTED_5XX.get((method, path), set())
        if response.status_code >= 500 and response.status_code not in allowed:
            failures.append(
                f"{method} {path} -> {response.status_code} "
                f"for {case.path_parameters} {case.query} {str(case.body)[:200]}"
            )

    def walk(strategy: Any, operation_id: str) -> None:
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            check(case, operation_id)

        run()

    for operation in operations:
        operation_id = operation.definition.raw["operationId"]
        if operation_id in EXCLUDED:
            continue
        names = [p.name for p in operation.path_parameters]
        fixed = {name: real[name] for name in names if name in real}
        missing = sorted(set(names) - fixed.keys())
        if missing:
            failures.append(f"{operation_id}: no real value for path parameters {missing}")
        runs: list[tuple[str, Any]] = [("generated", operation.as_strategy())]
        if fixed:
            runs.append(("real", operation.as_strategy(path_parameters=fixed)))
        negative = operation.as_strategy(GenerationMode.NEGATIVE, path_parameters=fixed or None)
        runs.append(("invalid", negative))
        for kind, strategy in runs:
            try:
                walk(strategy, operation_id)
            except Unsatisfiable:
                # Nothing invalid can be said to this operation (no parameters, no body):
                # the valid runs above still called it.
                if kind != "invalid":
                    failures.append(f"{operation_id}: no {kind} request could be generated")

    expected = _operation_ids() - EXCLUDED.keys()
    not_called = sorted(expected - calls.keys())
    assert not not_called, f"operations the fuzz never called: {not_called}"
    assert not failures, "server errors:\n" + "\n".join(sorted(set(failures))[:40])
    # Which operations got past validation and permissions at least once, for whoever reads the
    # output with -s (a route that only ever answers 4xx is fuzzed only at its door).
    shallow = sorted(
        op for op, seen in statuses.items() if not any(200 <= code < 300 for code in seen)
    )
    print(f"fuzz: {sum(calls.values())} requests, {len(calls)} operations")  # noqa: T201
    print(f"fuzz: operations never answered 2xx: {shallow}")  # noqa: T201


# Single sign-on's callback is a browser route, not an API operation, so schemathesis does not
# see it: its query (what a provider, or anyone, sends back) is fuzzed here. Every answer is a
# redirect to the login page with a reason; nobody is signed in, nothing is written.
_QUERY_VALUES = st.text(max_size=300) | st.sampled_from(["", "access_denied", "%00", "\u202e"])


@pytest.mark.django_db
def test_sign_on_callback_takes_any_query(world: World) -> None:
    users = User.objects.count()

    @settings(
        max_examples=EXAMPLES * 8,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        query=st.dictionaries(
            st.sampled_from(["state", "code", "error", "error_description", "iss", "x"]),
            _QUERY_VALUES,
        ),
        planted=st.booleans(),
    )
    def run(query: dict[str, str], planted: bool) -> None:
        client = Client()
        if planted:
            # A sign-in this browser really started, so the fuzz reaches past the state check.
            session = client.session
            session[oidc.PENDING] = {
                query.get("state", ""): {
                    "nonce": "n",
                    "verifier": "v" * 43,
                    "next": "/",
                    "redirect_uri": "http://testserver/auth/oidc/callback",
                    "at": time.time(),
                }
            }
            session.save()
        response = client.get("/auth/oidc/callback?" + urlencode(query))
        assert response.status_code == 302
        assert response["Location"].startswith("/login?sso_error=")
        assert "_auth_user_id" not in client.session

    closed_port = OidcConfig(issuer="http://127.0.0.1:9", client_id="c", client_secret="s")
    with override_settings(PHOTONIX_OIDC=closed_port):
        run()
    assert User.objects.count() == users
    assert not OidcIdentity.objects.exists()
