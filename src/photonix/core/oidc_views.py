"""The browser's side of single sign-on: ``/auth/oidc/login`` and ``/auth/oidc/callback``.

Plain Django views, not API operations: the browser navigates to them (a top-level navigation,
so no Content-Security-Policy directive is involved) and they answer redirects — to the
provider, into the app, or back to the login page with ``?sso_error=<reason>``
(:data:`photonix.core.oidc.REASONS`), which the page explains.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from photonix.core import auth, oidc

logger = logging.getLogger(__name__)


def _refused(error: oidc.SignInRefusedError) -> HttpResponseRedirect:
    logger.warning("single sign-on refused (%s): %s", error.reason, error.detail or error.message)
    return HttpResponseRedirect("/login?" + urlencode({oidc.ERROR_QUERY: error.reason}))


@never_cache
@require_safe
def oidc_login(request: HttpRequest) -> HttpResponseRedirect:
    """Send the browser to the provider; ``?next=/path`` is where it lands once signed in."""
    redirect_uri = request.build_absolute_uri(oidc.CALLBACK_PATH)
    try:
        url = oidc.sign_in_start(request.session, redirect_uri, request.GET.get("next"))
    except oidc.SignInRefusedError as error:
        return _refused(error)
    return HttpResponseRedirect(url)


@never_cache
@require_safe
def oidc_callback(request: HttpRequest) -> HttpResponseRedirect:
    """The provider sends the browser back here: sign in, or back to the login page."""
    try:
        signed_in = oidc.sign_in_finish(request.session, request.GET.dict())
    except oidc.SignInRefusedError as error:
        return _refused(error)
    login(request, signed_in.user, backend="django.contrib.auth.backends.ModelBackend")
    # The person has just authenticated at the provider: as fresh as entering a password.
    auth.password_entered(request.session)
    logger.info("single sign-on: user %s signed in", signed_in.user.pk)
    return HttpResponseRedirect(signed_in.next_path)
