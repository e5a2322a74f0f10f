"""Flower, run as ``photonix flower`` runs it: a login by default, and no door for other sites.

Flower listens on 127.0.0.1, which every web page a person on this machine opens can reach: without
a login and with ``Access-Control-Allow-Origin: *`` any page could read the task list or shut the
workers down. A real Flower process is asked, as a browser would ask it from another site.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from subprocess import Popen

import pytest
import requests

from photonix import conf
from tests.conftest import free_port

pytestmark = pytest.mark.integration

EVIL = "http://evil.example"


def _answer(url: str, proc: Popen[bytes], timeout: float = 60) -> requests.Response:
    """The first answer Flower gives to ``url`` once it listens."""
    deadline = time.monotonic() + timeout
    while True:
        assert proc.poll() is None, f"Flower exited with {proc.returncode}"
        try:
            return requests.get(url, timeout=5)
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "Flower did not start listening"
            time.sleep(0.2)


def test_flower_asks_for_a_login_and_answers_no_other_origin(
    clean_broker: str,
    spawn: Callable[..., Popen[bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("FLOWER_BASIC_AUTH", "FLOWER_AUTH", "FLOWER_UNAUTHENTICATED_API"):
        monkeypatch.delenv(name, raising=False)
    port = free_port()
    proc = spawn("flower", "--port", str(port))
    base = f"http://127.0.0.1:{port}"

    anonymous = _answer(f"{base}/api/workers", proc)
    assert anonymous.status_code == 401
    assert requests.get(f"{base}/", timeout=5).status_code == 401

    config = conf.get()
    login = conf.flower_login(config)
    assert config.flower_login_path.stat().st_mode & 0o077 == 0, "the login is the owner's only"
    user, _, password = login.partition(":")
    assert user == "photonix" and len(password) >= 32
    auth = (user, password)
    assert requests.get(f"{base}/api/workers", auth=auth, timeout=10).status_code == 200

    shutdown = f"{base}/api/worker/shutdown/photonix-all@nowhere"
    preflight = requests.options(
        shutdown,
        headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"},
        timeout=5,
    )
    from_page = requests.post(shutdown, headers={"Origin": EVIL}, timeout=5)
    # Even with the login (a browser that remembered it sends it along), another site's POST is
    # refused.
    with_login = requests.post(shutdown, headers={"Origin": EVIL}, auth=auth, timeout=5)
    read = requests.get(f"{base}/api/workers", headers={"Origin": EVIL}, auth=auth, timeout=10)
    # Refused before the login is even looked at: the Origin is not Flower's.
    assert from_page.status_code == 403
    assert with_login.status_code == 403
    for response in (anonymous, preflight, from_page, with_login, read):
        assert "Access-Control-Allow-Origin" not in response.headers, response.headers
