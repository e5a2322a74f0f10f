"""A real OpenID Connect provider for the tests: a tiny Django project with django-oauth-toolkit.

:func:`running_provider` prepares it in a folder of its own (SQLite database, an RSA signing
key generated at start, the users of :data:`USERS`, one confidential client that skips the
consent page) and serves it with gunicorn on 127.0.0.1 only, on a free port. Its cookies have
names of their own: browsers share cookies between ports of one host, and Photonix's session
must survive a visit to the provider.
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
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "photonix-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
PASSWORD = "provider-Passw0rd-1"
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class ProviderUser:
    username: str
    email: str
    email_verified: bool = True
    active: bool = True


# Who may sign in at the provider.
USERS = (
    ProviderUser("alice", "alice@example.org"),
    ProviderUser("bob", "bob@example.org", email_verified=False),
    ProviderUser("carol", "carol@example.org"),
    ProviderUser("dave", "dave@example.net", email_verified=False),
    ProviderUser("erin", "erin@example.org"),
    ProviderUser("frank", "frank@example.org"),
    ProviderUser("ghost", "ghost@example.org", active=False),
)


@dataclass(frozen=True)
class Provider:
    url: str
    issuer: str
    log_path: Path

    def env(self, **extra: str) -> dict[str, str]:
        """Photonix's settings to sign in with this provider."""
        return {
            "PHOTONIX_OIDC_ISSUER": self.issuer,
            "PHOTONIX_OIDC_CLIENT_ID": CLIENT_ID,
            "PHOTONIX_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "PHOTONIX_OIDC_BUTTON_LABEL": "Test ID",
            **extra,
        }

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


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


@contextlib.contextmanager
def running_provider(base: Path) -> Iterator[Provider]:
    """The provider, prepared in ``base`` and serving until the block ends."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PHOTONIX_", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DIR": str(base),
        "OIDC_PROVIDER_PORT": str(port),
        "PYTHONUNBUFFERED": "1",
    }
    log_path = base / "provider.log"
    provider = Provider(
        url=f"http://127.0.0.1:{port}",
        issuer=f"http://127.0.0.1:{port}/o",
        log_path=log_path,
    )
    with log_path.open("wb") as log:
        prepared = subprocess.run(
            [sys.executable, "-m", "tests.oidc_provider.prepare"],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=120,
            check=False,
        )
        if prepared.returncode != 0:
            raise RuntimeError(f"the test provider could not be prepared:\n{provider.log_tail()}")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "tests.oidc_provider.wsgi:application",
            ],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(f"{provider.issuer}/.well-known/openid-configuration"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the test provider did not start:\n{provider.log_tail()}")
            time.sleep(0.2)
        yield provider
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
