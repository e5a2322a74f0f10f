from django.urls import include, path, re_path

from photonix.core import oidc_views
from photonix.web.views import service_worker, spa_index, web_manifest

# Django's admin site is deliberately not mounted: its login form would bypass the sign-in
# lockout (photonix.core.auth), and the product's own UI manages users, libraries and members.
# /admin/ answers a plain 404 rather than the app, so scanners and old bookmarks learn nothing.
urlpatterns = [
    path("api/", include("photonix.api.urls")),
    # The installable app: its service worker and manifest, at the root (see photonix.web.views).
    path("sw.js", service_worker, name="service-worker"),
    path("manifest.webmanifest", web_manifest, name="web-manifest"),
    # Single sign-on: browser redirects, not API operations (docs/accounts.md).
    path("auth/oidc/login", oidc_views.oidc_login, name="oidc-login"),
    path("auth/oidc/callback", oidc_views.oidc_callback, name="oidc-callback"),
    # Everything else is a page of the single-page app (but never /api/ or /static/).
    re_path(r"^(?!api/|static/|admin/)(?P<path>.*)$", spa_index, name="spa"),
]
