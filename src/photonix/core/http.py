"""The HTTP toolkit every app's views share: who is asking, how lists page, how errors look.

Views import these instead of writing their own: one way to get the request's user, one
administrator permission, one page size, one shape for errors in the OpenAPI file.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.views import APIView

from photonix.core.models import User


def request_user(request: Request) -> User:
    """The signed-in user of a request to a view whose permissions require one.

    Every view behind ``IsAuthenticated`` (the default) calls this instead of reading
    ``request.user``; an anonymous request that got this far is answered 401/403 like any other.
    """
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user


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


class IsAdmin(IsAuthenticated):
    """An administrator of the installation (the UI's ``is_admin``: a superuser)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(super().has_permission(request, view) and request.user.is_superuser)
