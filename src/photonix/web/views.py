from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
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
