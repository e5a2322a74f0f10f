"""The single-page app's pages, and the two files of the installable app that must live at the
site's root: the service worker (its scope is the folder it is served from) and the manifest."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

UI_MISSING = """<!doctype html><meta charset="utf-8"><title>Photonix</title>
<h1>Photonix</h1><p>The web interface has not been built. Run <code>make ui</code>
(or <code>make run</code>, which builds it) and reload this page.</p>"""


@require_safe
@ensure_csrf_cookie
def spa_index(request: HttpRequest, path: str = "") -> HttpResponse:
    """The single-page app's ``index.html``; the app routes on the client."""
    index = settings.UI_DIST_DIR / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except FileNotFoundError:
        return HttpResponse(UI_MISSING, status=503)
    response = HttpResponse(html)
    response["Cache-Control"] = "no-cache"
    return response


def _built_file(name: str, content_type: str) -> HttpResponse:
    """A file of the UI build served from the root, revalidated on every use (``no-cache``): a
    new service worker or manifest reaches the browser with the deploy that brought it."""
    try:
        body = (settings.UI_DIST_DIR / name).read_bytes()
    except FileNotFoundError:
        raise Http404(f"{name} is not built") from None
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: the service worker that keeps the app's shell for when the network is gone.

    Served from the root so that its scope is the whole app (a worker under ``/static/`` could
    only control ``/static/``)."""
    return _built_file("sw.js", "text/javascript; charset=utf-8")


@require_safe
def web_manifest(request: HttpRequest) -> HttpResponse:
    """``/manifest.webmanifest``: the name, icons and colours of the app installed on a phone."""
    return _built_file("manifest.webmanifest", "application/manifest+json")
