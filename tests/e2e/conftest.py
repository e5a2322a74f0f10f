"""End-to-end fixtures: the real web server in a subprocess, driven by Debian's Chromium.

The server runs exactly as an installation would (``photonix manage migrate`` then
``photonix web``) in a fresh data directory on a free port, so each test starts from a first run.
No browser is downloaded: Playwright drives ``/usr/bin/chromium`` (``PHOTONIX_E2E_CHROMIUM`` to
point elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import slots
from tests.e2e.support import LiveServer
from tests.oidc_provider import Provider, running_provider

REPO_ROOT = Path(__file__).resolve().parents[2]
UI_INDEX = REPO_ROOT / "src" / "photonix" / "web" / "dist" / "index.html"
CHROMIUM = os.environ.get("PHOTONIX_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 60.0
# The real Redis on this machine, in a database of its own (flushed before each server starts):
# the jobs API reads queue lengths and paused queues from the broker. No worker is started.
# Claimed for this run (tests/slots.py), apart from the unit tests' one: two runs on one machine
# must not flush or consume each other's queues.


@pytest.fixture(scope="session")
def e2e_redis_url() -> str:
    return os.environ.get("PHOTONIX_E2E_REDIS_URL") or slots.claim_url()


# Settings that must not leak from the developer's shell (or the test plugin) into the server.
SCRUBBED_ENV = (
    "REDIS_URL",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
    "PHOTONIX_PRODUCTION",
    "PHOTONIX_SECRET_KEY",
    "PHOTONIX_ALLOWED_HOSTS",
    "PHOTONIX_CSRF_TRUSTED_ORIGINS",
    "PHOTONIX_BIND",
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback URL we built
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"Redis for the e2e tests is not reachable at {url}: {exc}")
    finally:
        client.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server we started (gunicorn shuts its workers down), then kill if stuck."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        # The server runs in its own session; this reaches its workers too and nothing else.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextlib.contextmanager
def serving(
    base: Path,
    redis_url: str,
    extra_env: dict[str, str] | None = None,
    *,
    web_workers: int = 1,
) -> Iterator[LiveServer]:
    """A freshly migrated Photonix web server with an empty database, its files under *base*
    (``extra_env``: settings of its own, such as single sign-on's)."""
    if not UI_INDEX.is_file():
        pytest.fail(f"UI not built: run `make ui` (missing {UI_INDEX.relative_to(REPO_ROOT)})")

    data_dir = base / "data"
    data_dir.mkdir()
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SCRUBBED_ENV and not k.startswith("PHOTONIX_OIDC_")
    }
    env.update(
        PHOTONIX_DATA_DIR=str(data_dir),
        PHOTONIX_PORT=str(port),
        PHOTONIX_WEB_WORKERS=str(web_workers),
        PHOTONIX_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        REDIS_URL=redis_url,
    )
    env.update(extra_env or {})
    _flush_redis(redis_url)
    log_path = base / "server.log"
    server = LiveServer(
        url=f"http://127.0.0.1:{port}",
        data_dir=data_dir,
        log_path=log_path,
        env=env,
        cwd=REPO_ROOT,
    )

    with log_path.open("wb") as log:
        migrate = subprocess.run(
            [sys.executable, "-m", "photonix", "manage", "migrate", "--noinput"],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=120,
            check=False,
        )
        if migrate.returncode != 0:
            pytest.fail(f"`photonix manage migrate` failed:\n{server.log_tail()}")

        process = subprocess.Popen(
            [sys.executable, "-m", "photonix", "web"],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(f"{server.url}/api/auth/session"):
            if process.poll() is not None:
                pytest.fail(
                    f"`photonix web` exited with {process.returncode}:\n{server.log_tail()}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"`photonix web` did not answer in {START_TIMEOUT:.0f}s:\n{server.log_tail()}"
                )
            time.sleep(0.2)
        # Another process could hold the port; make sure the one answering is ours.
        if process.poll() is not None:
            pytest.fail(f"`photonix web` exited with {process.returncode}:\n{server.log_tail()}")
        yield server
    finally:
        _stop(process)


@pytest.fixture
def photonix_server(tmp_path: Path, e2e_redis_url: str) -> Iterator[LiveServer]:
    """A freshly migrated Photonix web server with an empty database."""
    with serving(tmp_path, e2e_redis_url) as server:
        yield server


@pytest.fixture(scope="module")
def module_server(
    tmp_path_factory: pytest.TempPathFactory, e2e_redis_url: str
) -> Iterator[LiveServer]:
    """One server for a whole test module, for tests that only read what a fixture set up."""
    with serving(tmp_path_factory.mktemp("server"), e2e_redis_url) as server:
        yield server


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """A real OpenID Connect provider on 127.0.0.1 (tests/oidc_provider), for the whole run."""
    with running_provider(tmp_path_factory.mktemp("oidc-provider")) as provider:
        yield provider


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: `apt-get install chromium` "
            "(or set PHOTONIX_E2E_CHROMIUM)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    # Lets fixtures see in their teardown whether the test body failed.
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(
    browser: Any, photonix_server: LiveServer, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Any]:
    """A fresh browser context (no cookies) on the live server; screenshot on failure."""
    context = browser.new_context(
        base_url=photonix_server.url, viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            shot = tmp_path / "failure.png"
            with contextlib.suppress(Exception):
                page.screenshot(path=str(shot), full_page=True)
                print(f"\nScreenshot of the failure: {shot}")  # noqa: T201
            if console:
                print("Browser console:\n" + "\n".join(console[-30:]))  # noqa: T201
            print(f"Server log (tail):\n{photonix_server.log_tail()}")  # noqa: T201
        context.close()
