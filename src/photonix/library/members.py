"""Who belongs to a library, with which role — and the API owners use to change it.

Every library keeps at least one owner: the last one can be neither demoted nor removed, so a
library never ends up with nobody able to manage it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.core.api import FIELD_ERRORS
from photonix.core.models import User
from photonix.library import selectors
from photonix.library.models import Library, LibraryMember

Role = LibraryMember.Role


LAST_OWNER = "A library keeps at least one owner: make someone else an owner first."


class LastOwnerError(ValueError):
    """The change would leave the library without an owner."""


def _other_owners(membership: LibraryMember) -> bool:
    return (
        LibraryMember.objects.filter(library_id=membership.library_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def member_set_role(library: Library, user: User, role: str) -> LibraryMember:
    """Add ``user`` to ``library`` with ``role``, or change their role."""
    membership = (
        LibraryMember.objects.select_for_update().filter(library=library, user=user).first()
    )
    if membership is None:
        return LibraryMember.objects.create(library=library, user=user, role=role)
    if membership.role == Role.OWNER and role != Role.OWNER and not _other_owners(membership):
        raise LastOwnerError(LAST_OWNER)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(library: Library, user: User) -> None:
    membership = (
        LibraryMember.objects.select_for_update().filter(library=library, user=user).first()
    )
    if membership is None:
        return
    if membership.role == Role.OWNER and not _other_owners(membership):
        raise LastOwnerError(LAST_OWNER)
    membership.delete()


class LibraryMemberSerializer(serializers.ModelSerializer[LibraryMember]):
    user_id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = LibraryMember
        fields = ("user_id", "username", "role")
        read_only_fields = fields


class LibraryMemberAddSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class LibraryMemberRoleSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)


def _library(request: Request, library_id: int, *, manage: bool) -> Library:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
    library = get_object_or_404(selectors.libraries_for(user), pk=library_id)
    if manage and not user.is_superuser and selectors.library_role(user, library) != Role.OWNER:
        raise PermissionDenied("Only the library's owners can change who belongs to it.")
    return library


def _members(library: Library) -> Response:
    members = LibraryMember.objects.filter(library=library).select_related("user")
    return Response(LibraryMemberSerializer(members.order_by("user__username"), many=True).data)


class LibraryMembersView(APIView):
    """The people of a library and their roles; owners add people by username."""

    @extend_schema(
        operation_id="libraries_members_list", responses=LibraryMemberSerializer(many=True)
    )
    def get(self, request: Request, library_id: int) -> Response:
        return _members(_library(request, library_id, manage=False))

    @extend_schema(
        operation_id="libraries_members_add",
        request=LibraryMemberAddSerializer,
        responses={201: LibraryMemberSerializer(many=True), 400: FIELD_ERRORS},
    )
    def post(self, request: Request, library_id: int) -> Response:
        library = _library(request, library_id, manage=True)
        payload = LibraryMemberAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = User.objects.filter(
            username=payload.validated_data["username"], is_active=True
        ).first()
        if user is None:
            raise ValidationError(
                {"username": [f"No active user is called {payload.validated_data['username']!r}."]}
            )
        try:
            member_set_role(library, user, payload.validated_data["role"])
        except LastOwnerError as exc:
            raise ValidationError({"role": [str(exc)]}) from exc
        response = _members(library)
        response.status_code = status.HTTP_201_CREATED
        return response


class LibraryMemberView(APIView):
    """Change one person's role in a library, or take them out of it (owners)."""

    @extend_schema(
        operation_id="libraries_members_update",
        request=LibraryMemberRoleSerializer,
        responses={200: LibraryMemberSerializer(many=True), 400: FIELD_ERRORS},
    )
    def patch(self, request: Request, library_id: int, user_id: int) -> Response:
        library = _library(request, library_id, manage=True)
        user = get_object_or_404(User, pk=user_id, library_memberships__library=library)
        payload = LibraryMemberRoleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            member_set_role(library, user, payload.validated_data["role"])
        except LastOwnerError as exc:
            raise ValidationError({"role": [str(exc)]}) from exc
        return _members(library)

    @extend_schema(
        operation_id="libraries_members_remove", responses={204: None, 400: FIELD_ERRORS}
    )
    def delete(self, request: Request, library_id: int, user_id: int) -> Response:
        library = _library(request, library_id, manage=True)
        user = get_object_or_404(User, pk=user_id, library_memberships__library=library)
        try:
            member_remove(library, user)
        except LastOwnerError as exc:
            raise ValidationError({"user": [str(exc)]}) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)
