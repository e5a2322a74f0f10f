"""Managing a library after it exists: its name, its folders, whether they are watched.

Who may do what:

- the library's **owners** rename it, switch watching on or off for a folder, and remove a
  folder (an administrator who is a member of the library may too, as for its members);
- only an **administrator** (who is a member) adds a folder: a folder brings every photo in it
  into the library, whoever they belong to on the server, so choosing server folders stays with
  whoever runs the server — as for creating a library.

Removing a folder never touches the folder on disk. Its files leave the library, and so do the
photos that had no file elsewhere — with what people added to them (ratings, tags, faces, album
places) and the thumbnails Photonix made of them in its data directory. A photo that still has a
version in another folder stays and is recorded again from it. Adding the folder back imports its
photos again as new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.core import work
from photonix.core.api import FIELD_ERRORS, DetailSerializer
from photonix.core.broker_client import publish_folders_changed
from photonix.core.models import User
from photonix.library import api, recording, selectors, services
from photonix.library.models import Library, LibraryFolder, LibraryMember, PhotoFile

Role = LibraryMember.Role


# --- Services -------------------------------------------------------------------------------


def library_rename(library: Library, name: str) -> Library:
    """Rename ``library``; names are unique whatever their case."""
    name = name.strip()
    if not name:
        raise services.LibraryError("a library needs a name")
    clash = Library.objects.filter(name__iexact=name).exclude(pk=library.pk).first()
    if clash is not None:
        raise services.LibraryError(f"another library is already called {clash.name!r}")
    library.name = name
    try:
        with transaction.atomic():
            library.save(update_fields=["name"])
    except IntegrityError:  # renamed at the same time by someone else
        raise services.LibraryError(f"another library is already called {name!r}") from None
    return library


@transaction.atomic
def folder_add(library: Library, raw: str, *, watched: bool = True) -> LibraryFolder:
    """Add the folder ``raw`` (absolute, existing, readable) to ``library`` and scan it."""
    if not raw.startswith("/"):
        raise services.LibraryError(f"{raw}: use an absolute path (one that starts with /)")
    try:
        path = services._normalise_folder(raw)
    except services.LibraryError:
        raise
    except (OSError, ValueError) as exc:  # a name too long for the file system, say
        raise services.LibraryError(f"{raw[:200]}: not a usable folder ({exc})") from None
    existing = LibraryFolder.objects.filter(path=path).select_related("library").first()
    if existing is not None:
        if existing.library_id == library.pk:
            raise services.LibraryError(f"{path} is already a folder of this library")
        raise services.LibraryError(f"{path} already belongs to library {existing.library.name!r}")
    overlap = (
        LibraryFolder.objects.filter(
            Q(path__startswith=path.rstrip("/") + "/")
            | Q(pk__in=services._folders_containing(path).values("pk"))
        )
        .select_related("library")
        .first()
    )
    if overlap is not None:
        where = (
            "this library"
            if overlap.library_id == library.pk
            else f"library {overlap.library.name!r}"
        )
        raise services.LibraryError(
            f"{path} overlaps folder {overlap.path} of {where}: its photos would be imported twice"
        )
    folder = LibraryFolder.objects.create(library=library, path=path, watched=watched)
    work.scan_folders([folder.pk])
    transaction.on_commit(publish_folders_changed)
    return folder


@transaction.atomic
def folder_set_watched(folder: LibraryFolder, watched: bool) -> LibraryFolder:
    """Switch live watching on or off. Switched on, a scan catches up with what it missed."""
    if folder.watched != watched:
        folder.watched = watched
        folder.save(update_fields=["watched"])
        if watched:
            folder_id = folder.pk
            work.scan_folders([folder_id])
        transaction.on_commit(publish_folders_changed)
    return folder


@dataclass(frozen=True)
class FolderRemoved:
    files: int
    photos: int


@transaction.atomic
def folder_remove(folder: LibraryFolder) -> FolderRemoved:
    """Take ``folder`` out of its library. Nothing in the folder is touched (see the module)."""
    folder = LibraryFolder.objects.select_for_update().get(pk=folder.pk)
    files = PhotoFile.objects.filter(folder=folder)
    file_count = files.count()
    photo_ids = set(files.exclude(photo=None).values_list("photo_id", flat=True))
    folder.delete()  # its files go with it (CASCADE)
    orphan_ids = recording.photos_orphaned_delete(photo_ids)
    # Photos with a version left elsewhere whose preferred version was in the folder: record
    # what is left, which chooses the preferred version again and redoes what derives from it.
    survivors = list(
        PhotoFile.objects.filter(
            photo_id__in=photo_ids,
            photo__preferred_file__isnull=True,
            state=PhotoFile.State.OK,
        ).values_list("pk", flat=True)
    )
    if survivors:
        work.record_files(survivors)
    transaction.on_commit(publish_folders_changed)
    return FolderRemoved(files=file_count, photos=len(orphan_ids))


# --- API ------------------------------------------------------------------------------------


class LibraryUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200)


class FolderAddSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(max_length=4096, help_text="Absolute path on the server.")
    watched = serializers.BooleanField(default=True)


class FolderUpdateSerializer(serializers.Serializer[Any]):
    watched = serializers.BooleanField()


class FolderRemovedSerializer(serializers.Serializer[Any]):
    files = serializers.IntegerField(help_text="file rows taken out of the library")
    photos = serializers.IntegerField(help_text="photos taken out (no version left elsewhere)")


def _caller(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - IsAuthenticated ran first
    return user


def managed_library(request: Request, library_id: int, *, action: str) -> Library:
    """The library, if the caller may manage it: 404 to non-members, 403 to members who are
    neither owners nor administrators."""
    user = _caller(request)
    library = get_object_or_404(selectors.libraries_for(user), pk=library_id)
    if not user.is_superuser and selectors.library_role(user, library) != Role.OWNER:
        raise PermissionDenied(f"Only the library's owners can {action}.")
    return library


def _library_data(request: Request, library: Library) -> dict[str, Any]:
    fresh = selectors.libraries_with_counts(_caller(request)).get(pk=library.pk)
    return dict(api.LibrarySerializer(fresh).data)


def _field_error(field: str, exc: services.LibraryError) -> ValidationError:
    return ValidationError({field: [str(exc)]})


class LibraryDetailView(api.LibraryDetailView):
    """A library (members); its owners rename it."""

    @extend_schema(
        operation_id="libraries_update",
        request=LibraryUpdateSerializer,
        responses={200: api.LibrarySerializer, 400: FIELD_ERRORS},
    )
    def patch(self, request: Request, library_id: int) -> Response:
        library = managed_library(request, library_id, action="rename it")
        payload = LibraryUpdateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            library_rename(library, payload.validated_data["name"])
        except services.LibraryError as exc:
            raise _field_error("name", exc) from exc
        return Response(_library_data(request, library))


class LibraryFoldersView(APIView):
    """Add a folder on the server to a library (administrators who are members)."""

    @extend_schema(
        operation_id="libraries_folders_add",
        request=FolderAddSerializer,
        responses={201: api.LibrarySerializer, 400: FIELD_ERRORS},
    )
    def post(self, request: Request, library_id: int) -> Response:
        user = _caller(request)
        library = get_object_or_404(selectors.libraries_for(user), pk=library_id)
        if not user.is_superuser:
            raise PermissionDenied(
                "Only an administrator can add folders: a folder brings every photo in it into "
                "the library."
            )
        payload = FolderAddSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            folder_add(
                library, payload.validated_data["path"], watched=payload.validated_data["watched"]
            )
        except services.LibraryError as exc:
            raise _field_error("path", exc) from exc
        return Response(_library_data(request, library), status=status.HTTP_201_CREATED)


class LibraryFolderView(APIView):
    """Switch watching on or off for one folder, or take it out of the library (owners)."""

    def _folder(self, request: Request, library_id: int, folder_id: int, action: str) -> Any:
        library = managed_library(request, library_id, action=action)
        return get_object_or_404(LibraryFolder, pk=folder_id, library=library)

    @extend_schema(
        operation_id="libraries_folders_update",
        request=FolderUpdateSerializer,
        responses={200: api.LibrarySerializer, 400: FIELD_ERRORS},
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
