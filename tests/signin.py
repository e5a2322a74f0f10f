"""A test client signed in as signing in with the password leaves it.

Django's ``force_login`` opens a session without the sign-in request, so it records no time at
which the password was entered: such a session is refused what needs the password entered
recently (docs/security.md). :func:`sign_in` records that time too — now, or ``password_age``
seconds ago — as ``POST /api/auth/login`` does.
"""

from __future__ import annotations

import time

from django.test import Client

from photonix.core import auth
from photonix.core.models import User


def sign_in(client: Client, user: User, *, password_age: float | None = 0.0) -> Client:
    """Sign ``client`` in as ``user``, the password entered ``password_age`` seconds ago
    (``None``: never, as after a bare ``force_login``)."""
    client.force_login(user)
    if password_age is not None:
        session = client.session
        session[auth.PASSWORD_ENTERED_AT] = time.time() - password_age
        session.save()
    return client
