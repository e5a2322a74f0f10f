"""The installable app's files at the site's root: the service worker and the manifest, served
from the UI build with their content types, revalidated on every use, without signing in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client, override_settings

# An HTML answer (the 404 page) reads the map's tile source for its security policy.
pytestmark = pytest.mark.django_db

WORKER = "self.addEventListener('fetch', () => {});\n"
MANIFEST = {"name": "Photonix", "start_url": "/", "scope": "/", "display": "standalone"}


@pytest.fixture
def built(tmp_path: Path) -> Path:
    (tmp_path / "sw.js").write_text(WORKER, encoding="utf-8")
    (tmp_path / "manifest.webmanifest").write_text(json.dumps(MANIFEST), encoding="utf-8")
    return tmp_path


def test_service_worker_is_served_at_the_root(client: Client, built: Path) -> None:
    with override_settings(UI_DIST_DIR=built):
        response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    # A long cache would keep a phone on an old version after a deploy.
    assert response["Cache-Control"] == "no-cache"
    assert response.content.decode() == WORKER
    assert "worker-src 'self'" in response["Content-Security-Policy"]


def test_manifest_is_served_at_the_root(client: Client, built: Path) -> None:
    with override_settings(UI_DIST_DIR=built):
        response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    assert response["Cache-Control"] == "no-cache"
    assert json.loads(response.content) == MANIFEST
    assert "manifest-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest"])
def test_not_built_is_a_404_not_the_app(client: Client, tmp_path: Path, path: str) -> None:
    with override_settings(UI_DIST_DIR=tmp_path):
        response = client.get(path)
    assert response.status_code == 404
    assert not response.get("Content-Type", "").startswith("application/manifest")


@pytest.mark.parametrize("path", ["/sw.js", "/manifest.webmanifest"])
def test_only_read(client: Client, built: Path, path: str) -> None:
    with override_settings(UI_DIST_DIR=built):
        assert client.post(path).status_code == 405
        assert client.head(path).status_code == 200
