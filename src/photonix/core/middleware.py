"""The Content-Security-Policy header, which Django 5.2 cannot set by itself (nosniff,
Referrer-Policy, Cross-Origin-Opener-Policy and HSTS come from ``SecurityMiddleware``,
X-Frame-Options from ``XFrameOptionsMiddleware``)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


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
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that has none (a view may set a stricter one)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy(settings.PHOTONIX_MAP_TILE_URL)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        return response
