"""HTTP API of libraries: the libraries themselves, their folders and their members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.classifiers import registry
from photonix.classifiers.services import classifier_switch_set
from photonix.core.http import (
    FIELD_ERRORS,
    PASSWORD_REQUIRED,
    DetailSerializer,
    IsAdmin,
    by_token,
    password_refusal,
    request_user,
)
from photonix.core.models import User
from photonix.library import selectors, server_folders, services
from photonix.library.folders import (
    folder_add,
    folder_remove,
    folder_set_watched,
    library_rename,
    library_set_delete_originals,
    library_set_upload_folder,
    library_set_write_originals,
)
from photonix.library.members import GrantRefusedError, member_remove, member_set_role
from photonix.library.models import Library, LibraryFolder, LibraryMember
from photonix.library.serializers import LibrarySerializer

Role = LibraryMember.Role


class ClassifierChoiceSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    enabled = serializers.BooleanField()


class LibraryCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)
    folders = serializers.ListField(child=serializers.CharField(max_length=4096), min_length=1)
    watched = serializers.BooleanField(default=True)
    classifiers = ClassifierChoiceSerializer(
        many=True,
        required=False,
        help_text="Which classifiers run on the new library's photos, set before its first scan "
        "starts (those not named stay on).",
    )

    def validate_folders(self, value: list[str]) -> list[str]:
        # Relative to what? The server's working directory means nothing to a browser.
        relative = [folder for folder in value if not folder.startswith("/")]
        if relative:
            raise serializers.ValidationError(f"use absolute paths: {', '.join(relative)}")
        return value

    def validate_classifiers(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        known = {c.name for c in registry.all_classifiers()}
        unknown = sorted({item["name"] for item in value} - known)
        if unknown:
            raise serializers.ValidationError(f"unknown classifier(s): {', '.join(unknown)}")
        return value


class LibraryListView(APIView):
    """Libraries the signed-in user belongs to; administrators create them from server folders."""

    def get_permissions(self) -> Sequence[Any]:
        if self.request.method == "POST":
            return [IsAdmin()]
        return super().get_permissions()

    @extend_schema(operation_id="libraries_list", responses=LibrarySerializer(many=True))
    def get(self, request: Request) -> Response:
        libraries = selectors.libraries_with_counts(request_user(request))
        return Response(LibrarySerializer(libraries, many=True).data)

    @extend_schema(
        operation_id="libraries_create",
        request=LibraryCreateSerializer,
        responses={
            201: LibrarySerializer,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description='`{"name": [message]}` for a name another library already has '
                "(whatever its case); `{field: [message]}` for other invalid fields; "
                '`{"detail": message}` for a folder that cannot be added.',
            ),
        },
    )
    def post(self, request: Request) -> Response:
        payload = LibraryCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        # One transaction: the first scan starts on commit, after the switches are set.
        with transaction.atomic():
            library, _ = services.library_add(
                payload.validated_data["name"],
                payload.validated_data["folders"],
                watched=payload.validated_data["watched"],
                owner=request_user(request),
            )
            for choice in payload.validated_data.get("classifiers", []):
                classifier_switch_set(library.pk, choice["name"], choice["enabled"])
        library = selectors.libraries_with_counts(request_user(request)).get(pk=library.pk)
        return Response(LibrarySerializer(library).data, status=status.HTTP_201_CREATED)


class ServerFolderSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    path = serializers.CharField()
    readable = serializers.BooleanField()


class ServerFoldersSerializer(serializers.Serializer[Any]):
    path = serializers.CharField()
    # DRF takes declared fields off the class, so "parent" does not shadow Field.parent.
    parent = serializers.CharField(allow_null=True)  # type: ignore[assignment]
    folders = ServerFolderSerializer(many=True)
    truncated = serializers.BooleanField(help_text="more sub-folders than listed")
    photo_count = serializers.IntegerField(help_text="photos directly in this folder")
    photo_count_capped = serializers.BooleanField(help_text="counted only the first entries")
    library = serializers.CharField(
        allow_null=True,
        help_text="the library that already holds this folder, if the caller is one of its "
        "members (null otherwise: see in_library)",
    )
    in_library = serializers.BooleanField(
        help_text="a library already holds this folder (it cannot be added again), whether or "
        "not the caller may know its name"
    )
    places = serializers.ListField(
        child=serializers.CharField(), help_text="usual places for photos on this server"
    )


class ServerFoldersView(APIView):
    """The sub-folders of a folder on the server, for choosing a library's folders (admins)."""

    permission_classes = (IsAdmin,)

    @extend_schema(
        operation_id="server_folders",
        parameters=[
            OpenApiParameter(
                "path", str, description="absolute path; default: the first usual place found"
            )
        ],
        responses={200: ServerFoldersSerializer, 400: DetailSerializer},
    )
    def get(self, request: Request) -> Response:
        listing = server_folders.list_folder(
            request.query_params.get("path"), request_user(request)
        )
        return Response(ServerFoldersSerializer(asdict(listing)).data)


class LibraryUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False)
    upload_folder = serializers.CharField(
        max_length=4096,
        required=False,
        allow_blank=True,
        help_text="Where uploads are stored: a folder inside one of the library's folders "
        "(created if need be). Empty: `uploads` in its first folder.",
    )
    delete_originals = serializers.BooleanField(
        required=False,
        help_text="emptying the trash deletes the original files of photos found in the "
        "library's folders too (off: they stay on disk, left out of future scans)",
    )
    write_originals = serializers.BooleanField(
        required=False,
        help_text="write people's edits into the original files instead of XMP sidecars",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError({"name": ["This field is required."]})
        return attrs


class FolderAddSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(max_length=4096, help_text="Absolute path on the server.")
    watched = serializers.BooleanField(default=True)


class FolderUpdateSerializer(serializers.Serializer[Any]):
    watched = serializers.BooleanField()


class FolderRemovedSerializer(serializers.Serializer[Any]):
    files = serializers.IntegerField(help_text="file rows taken out of the library")
    photos = serializers.IntegerField(help_text="photos taken out (no version left elsewhere)")


def managed_library(request: Request, library_id: int, *, action: str) -> Library:
    """The library, if the caller may manage it: 404 to non-members, 403 to members who are
    neither owners nor administrators."""
    user = request_user(request)
    library = get_object_or_404(selectors.libraries_for(user), pk=library_id)
    if not selectors.library_manageable(user, library):
        raise PermissionDenied(f"Only the library's owners can {action}.")
    return library


def _library_data(request: Request, library: Library) -> dict[str, Any]:
    fresh = selectors.libraries_with_counts(request_user(request)).get(pk=library.pk)
    return dict(LibrarySerializer(fresh).data)


class LibraryDetailView(APIView):
    """A library (members); its owners rename it and choose its settings."""

    @extend_schema(operation_id="libraries_retrieve", responses=LibrarySerializer)
    def get(self, request: Request, library_id: int) -> Response:
        return Response(
            LibrarySerializer(selectors.library_visible_to(request_user(request), library_id)).data
        )

    @extend_schema(
        operation_id="libraries_update",
        request=LibraryUpdateSerializer,
        responses={200: LibrarySerializer, 400: FIELD_ERRORS},
    )
    def patch(self, request: Request, library_id: int) -> Response:
        library = managed_library(request, library_id, action="change its settings")
        payload = LibraryUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with transaction.atomic():
            if "name" in data:
                library_rename(library, data["name"])
            if "upload_folder" in data:
                library_set_upload_folder(library, data["upload_folder"])
            if "delete_originals" in data:
                library_set_delete_originals(library, data["delete_originals"])
        library = managed_library(request, library_id, action="change it")
        payload = LibraryUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "name" in data:
            library_rename(library, data["name"])
        if "write_originals" in data:
            library_set_write_originals(library, data["write_originals"])
        return Response(_library_data(request, library))


class LibraryFoldersView(APIView):
    """Add a folder on the server to a library (administrators who are members)."""

    @extend_schema(
        operation_id="libraries_folders_add",
        request=FolderAddSerializer,
        responses={201: LibrarySerializer, 400: FIELD_ERRORS},
    )
    def post(self, request: Request, library_id: int) -> Response:
        user = request_user(request)
        library = get_object_or_404(selectors.libraries_for(user), pk=library_id)
        if not user.is_superuser:
            raise PermissionDenied(
                "Only an administrator can add folders: a folder brings every photo in it into "
                "the library."
            )
        payload = FolderAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        folder_add(
            library, payload.validated_data["path"], watched=payload.validated_data["watched"]
        )
        return Response(_library_data(request, library), status=status.HTTP_201_CREATED)


class LibraryFolderView(APIView):
    """Switch watching on or off for one folder, or take it out of the library (owners)."""

    def _folder(self, request: Request, library_id: int, folder_id: int, action: str) -> Any:
        library = managed_library(request, library_id, action=action)
        return get_object_or_404(LibraryFolder, pk=folder_id, library=library)

    @extend_schema(
        operation_id="libraries_folders_update",
        request=FolderUpdateSerializer,
        responses={200: LibrarySerializer, 400: FIELD_ERRORS},
    )
    def patch(self, request: Request, library_id: int, folder_id: int) -> Response:
        folder = self._folder(request, library_id, folder_id, "change its folders")
        payload = FolderUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        folder_set_watched(folder, payload.validated_data["watched"])
        return Response(_library_data(request, folder.library))

    @extend_schema(
        operation_id="libraries_folders_remove",
        request=None,
        responses={200: FolderRemovedSerializer, 404: DetailSerializer},
    )
    def delete(self, request: Request, library_id: int, folder_id: int) -> Response:
        folder = self._folder(request, library_id, folder_id, "remove its folders")
        removed = folder_remove(folder)
        return Response(FolderRemovedSerializer(removed).data)


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


def _members_library(request: Request, library_id: int, *, manage: bool) -> Library:
    user = request_user(request)
    library = get_object_or_404(selectors.libraries_for(user), pk=library_id)
    if manage and not selectors.library_manageable(user, library):
        raise PermissionDenied("Only the library's owners can change who belongs to it.")
    return library


def _grant(request: Request, library: Library, user: User, role: str) -> None:
    """Give ``user`` ``role`` in ``library``. Adding a member or raising a role needs the
    password entered recently, and is refused to API tokens (403): a leaked token or a session
    left open cannot make its holder's own account a member."""
    refusal = GrantRefusedError() if by_token(request) else password_refusal(request)
    member_set_role(library, user, role, grant_refusal=refusal)


def _members(library: Library) -> Response:
    members = LibraryMember.objects.filter(library=library).select_related("user")
    return Response(LibraryMemberSerializer(members.order_by("user__username"), many=True).data)


class LibraryMembersView(APIView):
    """The people of a library and their roles; owners add people by username."""

    @extend_schema(
        operation_id="libraries_members_list", responses=LibraryMemberSerializer(many=True)
    )
    def get(self, request: Request, library_id: int) -> Response:
        return _members(_members_library(request, library_id, manage=False))

    @extend_schema(
        operation_id="libraries_members_add",
        request=LibraryMemberAddSerializer,
        responses={
            201: LibraryMemberSerializer(many=True),
            400: FIELD_ERRORS,
            403: PASSWORD_REQUIRED,
        },
    )
    def post(self, request: Request, library_id: int) -> Response:
        library = _members_library(request, library_id, manage=True)
        payload = LibraryMemberAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = User.objects.filter(
            username=payload.validated_data["username"], is_active=True
        ).first()
        if user is None:
            raise ValidationError(
                {"username": [f"No active user is called {payload.validated_data['username']!r}."]}
            )
        _grant(request, library, user, payload.validated_data["role"])
        response = _members(library)
        response.status_code = status.HTTP_201_CREATED
        return response


class LibraryMemberView(APIView):
    """Change one person's role in a library, or take them out of it (owners)."""

    @extend_schema(
        operation_id="libraries_members_update",
        request=LibraryMemberRoleSerializer,
        responses={
            200: LibraryMemberSerializer(many=True),
            400: FIELD_ERRORS,
            403: PASSWORD_REQUIRED,
        },
    )
    def patch(self, request: Request, library_id: int, user_id: int) -> Response:
        library = _members_library(request, library_id, manage=True)
        user = get_object_or_404(User, pk=user_id, library_memberships__library=library)
        payload = LibraryMemberRoleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        _grant(request, library, user, payload.validated_data["role"])
        return _members(library)

    @extend_schema(
        operation_id="libraries_members_remove", responses={204: None, 400: FIELD_ERRORS}
    )
    def delete(self, request: Request, library_id: int, user_id: int) -> Response:
        library = _members_library(request, library_id, manage=True)
        user = get_object_or_404(User, pk=user_id, library_memberships__library=library)
        member_remove(library, user)
        return Response(status=status.HTTP_204_NO_CONTENT)
