"""Deployment hardening: check --deploy in production mode, security headers, no secret in logs,
and neither the broker nor Flower reachable without authentication."""

from __future__ import annotations

import argparse
import io
import logging
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from pythonjsonlogger.json import JsonFormatter

from photonix import conf
from photonix.broker import render_config
from photonix.core import services
from photonix.core.middleware import content_security_policy, tile_source
from photonix.core.models import User
from photonix.logconfig import JSON_FIELDS, TEXT_FORMAT, ContextFilter

PASSWORD = "correct horse battery staple"


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PHOTONIX_DATA_DIR": str(tmp_path),
        "PHOTONIX_PRODUCTION": "true",
        "PHOTONIX_SECRET_KEY": secrets.token_urlsafe(50),
        "PHOTONIX_ALLOWED_HOSTS": "photos.example.org",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "photonix",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_hsts_defaults(tmp_path: Path) -> None:
    production = conf.load({"PHOTONIX_DATA_DIR": str(tmp_path), "PHOTONIX_PRODUCTION": "true"})
    assert production.hsts_seconds == 31_536_000 and production.ssl_redirect
    development = conf.load({"PHOTONIX_DATA_DIR": str(tmp_path)})
    assert development.hsts_seconds == 0 and not development.ssl_redirect


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/timeline", "/api/auth/session", "/api/photos"])
def test_security_headers(client: Client, url: str) -> None:
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_built_ui_needs_no_inline_script_or_style() -> None:
    """The CSP has no 'unsafe-inline': the built index.html must not need it."""
    from django.conf import settings

    index = settings.UI_DIST_DIR / "index.html"
    if not index.exists():
        pytest.skip("the UI is not built")
    html = index.read_text(encoding="utf-8")
    assert "<script>" not in html.replace("<script type=", "")
    assert "<style" not in html and " style=" not in html


def test_map_tile_host_is_allowed_for_images() -> None:
    assert tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.org"
    )
    assert tile_source("https://tiles.example.org:8443/{z}/{x}/{y}.png") == (
        "https://tiles.example.org:8443"
    )
    assert tile_source("javascript:alert(1)") is None
    csp = content_security_policy("https://tiles.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://tiles.example.org;" in csp
    assert "https://tiles.example.org" not in csp.split("img-src")[0]


# --- No secret in logs ----------------------------------------------------------------------


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything logged, formatted the way Photonix writes it (text and JSON), at DEBUG."""
    stream = io.StringIO()
    handlers: list[logging.Handler] = []
    for formatter in (
        logging.Formatter(TEXT_FORMAT),
        JsonFormatter(JSON_FIELDS),
    ):
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handler.addFilter(ContextFilter())
        handlers.append(handler)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    for added in handlers:
        root.addHandler(added)
    yield stream
    for added in handlers:
        root.removeHandler(added)
    root.setLevel(old_level)


@pytest.mark.django_db
def test_no_password_or_token_in_logs(
    log_output: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_password = "Zebra-" + secrets.token_hex(8)
    User.objects.all().delete()  # setup runs only on an empty installation
    client = Client()
    setup = client.post(
        "/api/setup",
        {"username": "ada", "password": secret_password},
        content_type="application/json",
    )
    assert setup.status_code == 201
    for _ in range(6):  # failed sign-ins, up to the lockout
        Client().post(
            "/api/auth/login",
            {"username": "ada", "password": secret_password + "x"},
            content_type="application/json",
        )
    created = client.post("/api/tokens", {"name": "t"}, content_type="application/json")
    raw = created.json()["token"]
    Client().get("/api/photos", headers={"Authorization": f"Bearer {raw}x"})
    Client().get("/api/photos", headers={"Authorization": f"Bearer {raw}"})

    def explode(**kwargs: str) -> User:
        raise RuntimeError("the database went away")

    User.objects.all().delete()
    monkeypatch.setattr(services, "user_create_first_admin", explode)
    crashed = Client(raise_request_exception=False).post(
        "/api/setup",
        {"username": "ada", "password": secret_password},
        content_type="application/json",
    )
    assert crashed.status_code == 500
    text = log_output.getvalue()
    assert "Internal Server Error" in text and "the database went away" in text
    assert secret_password not in text
    assert raw not in text and raw[12:] not in text


# --- Broker and Flower ----------------------------------------------------------------------


def test_embedded_broker_listens_only_on_a_private_socket(tmp_path: Path) -> None:
    """The socket's mode is checked on a running server in tests/test_broker.py."""
    config = conf.load({"PHOTONIX_DATA_DIR": str(tmp_path)})
    text = render_config(config)
    assert "port 0" in text.splitlines()
    assert "unixsocketperm 700" in text.splitlines()
    assert "requirepass" not in text  # nothing to leak: only this user can reach the socket


def test_flower_refuses_a_public_address_without_a_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from photonix import cli

    monkeypatch.delenv("FLOWER_BASIC_AUTH", raising=False)
    monkeypatch.setattr(cli, "_exec", lambda argv: pytest.fail("Flower must not start"))
    config = conf.load({"PHOTONIX_DATA_DIR": str(tmp_path)})
    args = argparse.Namespace(address="0.0.0.0", port=None)  # noqa: S104
    assert cli.cmd_flower(args, config) == 2
    assert "FLOWER_BASIC_AUTH" in capsys.readouterr().err
