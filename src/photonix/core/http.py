"""The HTTP toolkit every app's views share: who is asking, how lists page, how errors look.

Views import these instead of writing their own: one way to get the request's user, one
administrator permission, one refusal of API tokens (:class:`SessionOnly`) and one of sessions
whose password was not entered recently (:class:`RecentPassword`), one page size, one
shape for errors in the OpenAPI file, one way to refuse (:func:`forbid_unless`) and one answer
to domain errors (:func:`exception_handler`): a view calls the service and lets a
:class:`~photonix.core.errors.PhotonixError` go. Ids in requests are read one way
(:class:`IdField` in bodies, :func:`query_id` in query strings), and request bodies by one JSON
parser that answers a body too deep to decode with a 400 (:mod:`photonix.core.parsers`).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import (
    NotAuthenticated,
    PermissionDenied,
    ValidationError,
)
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from photonix.core.auth import PasswordRequiredError, password_recent
from photonix.core.errors import PhotonixError
from photonix.core.models import ApiToken, User


def request_user(request: Request) -> User:
    """The signed-in user of a request to a view whose permissions require one.

    Every view behind ``IsAuthenticated`` (the default) calls this instead of reading
    ``request.user``; an anonymous request that got this far is answered 401/403 like any other.
    """
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


# The largest id a database column holds (SQLite and PostgreSQL bigint): larger ones are
# refused as bad input rather than overflowing in the driver.
MAX_ID = 2**63 - 1

# The schema of an id in a query string (read with :func:`query_id`), for ``OpenApiParameter``.
ID_SCHEMA: dict[str, Any] = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}


class IdField(serializers.IntegerField):
    """The id of a row in a request: an integer from 1 to :data:`MAX_ID` (other bounds may be
    given as for any ``IntegerField``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def query_id(request: Request, name: str, message: str = "must be an id") -> int | None:
    """The id in query parameter ``name`` (``None`` when it is absent); anything but an integer
    from 1 to :data:`MAX_ID` answers 400 ``{name: [message]}``."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
        raise ValidationError({name: [message]})
    return int(raw)


class Pages(PageNumberPagination):
    """Page-number pagination of the list endpoints: 100 a page, up to 500 with ``page_size``."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class DetailSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()


FIELD_ERRORS = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description="Errors by field name: `{field: [message, ...]}`.",
)


class RefusalSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField()
    code = serializers.CharField(
        required=False,
        help_text="`password_required`: enter the password again "
        "(`POST /api/auth/confirm-password`), then repeat the request. Absent for other refusals.",
    )


# The 403 of what needs the password entered recently (:class:`RecentPassword`).
PASSWORD_REQUIRED = OpenApiResponse(
    response=RefusalSerializer,
    description="Refused: to an API token, to whoever may not do it, or (`code`: "
    "`password_required`) to a session whose password was not entered recently.",
)


class IsAdmin(IsAuthenticated):
    """An administrator of the installation (the UI's ``is_admin``: a superuser)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(super().has_permission(request, view) and request.user.is_superuser)


def by_token(request: Request) -> bool:
    """Whether the request was authenticated by an API token (not by a browser session)."""
    return isinstance(request.auth, ApiToken)


class SessionOnly(BasePermission):
    """Refuses requests authenticated by an API token (403, with the reason).

    For what would let a leaked token entrench itself. Only a session — opened by signing in
    with the password — may do it (docs/security.md). Used alone by the password change, which
    asks for the current password itself; everything else takes :class:`RecentPassword`.
    """

    message = "Sign in with your password for this; API tokens cannot do it."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return not by_token(request)


class RecentPassword(SessionOnly):
    """A session whose password was entered within ``PHOTONIX_RECENT_PASSWORD_MINUTES``.

    For what would let a leaked token or a session left open entrench itself: minting tokens,
    creating users, changing them or setting their password. A token is refused as by
    :class:`SessionOnly`; a session whose password is older answers 403
    ``{"detail": …, "code": "password_required"}``, and the client confirms the password
    (``POST /api/auth/confirm-password``) and sends the request again. (Granting a library role
    is checked by the members service, which alone knows whether a change grants:
    :func:`password_refusal`.)
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not super().has_permission(request, view):
            return False
        if not password_recent(request.session):
            raise PasswordRequiredError
        return True


def password_refusal(request: Request) -> PhotonixError | None:
    """The refusal of a session whose password was not entered recently (``None`` when it was),
    for a service that decides by itself whether a change needs it. (Refuse API tokens first,
    with :func:`by_token`: they have no password to confirm.)"""
    return None if password_recent(request.session) else PasswordRequiredError()


def forbid_unless(allowed: bool, message: str) -> None:
    """Answer 403 ``{"detail": message}`` unless ``allowed``.

    For callers who may see the thing but whose role does not allow the change; what they may
    not see at all answers 404 (``get_object_or_404`` on what is visible to them) before this.
    """
    if not allowed:
        raise PermissionDenied(message)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``), which also answers
    domain errors: the status of their category, ``{field: [message]}`` when they name a field
    of the request, else ``{"detail": message}``."""
    if isinstance(exc, PhotonixError):
        set_rollback()
        body: dict[str, Any]
        if exc.field is not None:
            body = {exc.field: [exc.message]}
        elif exc.code is not None:
            body = {"detail": exc.message, "code": exc.code}
        else:
            body = {"detail": exc.message}
        return Response(body, status=exc.category.status)
    return drf_exception_handler(exc, context)
