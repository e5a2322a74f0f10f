"""The Content-Security-Policy header, which Django 5.2 cannot set by itself (nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy and HSTS come from ``SecurityMiddleware``,
X-Frame-Options from ``XFrameOptionsMiddleware``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from photonix.core import instance


def tile_source(template: str) -> str | None:
    """The CSP source of a Leaflet tile URL template: its scheme and host, with a ``{s}``
    subdomain placeholder turned into a wildcard (``https://*.tile.example.org``)."""
    if not template:
        return None
    parts = urlsplit(template.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.netloc
    if template.split("://", 1)[-1].startswith("{s}."):
        host = "*" + host[1:]
    return f"{parts.scheme}://{host}"


def content_security_policy(map_tile_url: str = "") -> str:
    """The policy the UI runs under: only its own scripts, styles, fetches and images (plus
    data:/blob: images for placeholders and the configured map tiles); no framing, no plugins."""
    img = ["'self'", "data:", "blob:"]
    if source := tile_source(map_tile_url):
        img.append(source)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # React's ``style`` props are set through the CSSOM, which CSP does not restrict; the
        # built UI has no inline <style> or style="" markup, so no 'unsafe-inline'.
        "style-src": ["'self'"],
        "img-src": img,
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        # The installable app's service worker (/sw.js) and manifest (/manifest.webmanifest).
        "worker-src": ["'self'", "blob:"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none (a view may set a stricter one).

    The map's tile host follows the tile source an administrator saves in Settings, without a
    restart: it is read again for every HTML page (the policy that governs what a page loads is
    the page's own); other responses reuse the last policy this process built.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy(settings.PHOTONIX_MAP_TILE_URL)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if "Content-Security-Policy" in response.headers:
            return response
        if response.get("Content-Type", "").startswith("text/html"):
            self.csp = self._current()
        response.headers["Content-Security-Policy"] = self.csp
        return response

    def _current(self) -> str:
        try:
            url = instance.map_tiles().url
        except DatabaseError:
            # Before the migrations ran, or the database is down: the environment's source.
            url = settings.PHOTONIX_MAP_TILE_URL
        return content_security_policy(url)
