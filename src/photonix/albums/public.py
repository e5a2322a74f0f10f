"""The public side of share links: ``/api/share/<token>/…``, no account needed.

Every view starts from the token: an unknown, expired or revoked token answers 404 (the same
answer, so nothing tells a revoked link from one that never existed). A password-protected
share answers 403 until ``unlock`` has set its cookie. Photos are looked up only among
:func:`selectors.share_photos` of that share: any other id answers 404, whether it exists or not.
These views ignore the session entirely: a signed-in visitor gets exactly what anyone else gets.
"""

from __future__ import annotations

import mimetypes
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from django.http import FileResponse, Http404
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from photonix.albums import selectors, sharing
from photonix.albums.models import ShareLink
from photonix.core.errors import Category, PhotonixError
from photonix.core.http import DetailSerializer
from photonix.library.browse import downloads
from photonix.library.models import LibraryFolder, Photo
from photonix.media import exiftool, privacy
from photonix.storage.archive import CHUNK
from photonix.storage.derived import SIZE_BY_NAME
from photonix.storage.serving import contained_path, file_response, thumbnail_response
from photonix.web.downloads import ZIP, zip_response
from photonix.web.serving import IMAGE, NOT_READY

LOCKED = "This link needs its password."
DOWNLOAD_FORBIDDEN = "Downloading originals is not allowed on this link."


class SharePages(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


def client_address(request: Request) -> str:
    """The client's address. ``X-Forwarded-For`` is believed only when ``NUM_PROXIES`` says
    how many proxies set it (otherwise anyone could claim a fresh address per attempt)."""
    if api_settings.NUM_PROXIES:
        return str(BaseThrottle().get_ident(request))
    return str(request.META.get("REMOTE_ADDR", ""))


def _share(token: str) -> ShareLink:
    share = sharing.share_by_token(token)
    if share is None:
        raise NotFound
    return share


def _open_share(request: Request, token: str) -> ShareLink:
    share = _share(token)
    if not sharing.is_unlocked(request, share):
        raise PermissionDenied(LOCKED)
    return share


def _photo(share: ShareLink, photo_id: int) -> Photo:
    photo = selectors.share_photos(share).filter(pk=photo_id).first()
    if photo is None:
        raise NotFound
    return photo


def _taken_at(photo: Photo) -> str | None:
    taken = photo.taken_at
    return None if taken is None else taken.isoformat()


def photo_brief(share: ShareLink, photo: Photo) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "width": photo.width,
        "height": photo.height,
        "placeholder": photo.placeholder,
        "thumbnail_version": photo.thumbnail_version,
        "taken_at": _taken_at(photo) if share.show_metadata else None,
    }


def photo_detail(share: ShareLink, photo: Photo) -> dict[str, Any]:
    """What a share shows of a photo: its metadata only with ``show_metadata``, its location
    only with ``show_location``; never its files' paths, tags, people or library."""
    data = photo_brief(share, photo)
    meta = share.show_metadata
    where = share.show_location
    data.update(
        {
            "camera": str(photo.camera) if meta and photo.camera else None,
            "lens": photo.lens.name if meta and photo.lens else None,
            "aperture": photo.aperture if meta else None,
            "exposure_time": photo.exposure_time if meta else None,
            "iso": photo.iso if meta else None,
            "focal_length": photo.focal_length if meta else None,
            "focal_length_35mm": photo.focal_length_35mm if meta else None,
            "flash_fired": photo.flash_fired if meta else None,
            "description": photo.description if meta else None,
            "artist": photo.artist if meta else None,
            "latitude": photo.latitude if where else None,
            "longitude": photo.longitude if where else None,
            "altitude": photo.altitude if where else None,
            "download": share.allow_download,
        }
    )
    return data


class PublicView(APIView):
    """No authentication, no session: the token is the only credential."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        if not response.has_header("Cache-Control"):
            # A revoked link must stop answering at once: nothing of it is kept by caches.
            response["Cache-Control"] = "no-store"
        return response


# Serializers (the shapes of the answers, for the OpenAPI file) ------------------------------


class ShareCoverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    thumbnail_version = serializers.IntegerField()
    placeholder = serializers.CharField()


class ShareInfoSerializer(serializers.Serializer[Any]):
    locked = serializers.BooleanField(
        help_text="true: POST the password to unlock first; every other field is then null"
    )
    password_required = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=("album", "photos"), allow_null=True)
    title = serializers.CharField(
        allow_null=True, help_text="the album's name, or the label of a link to photos"
    )
    description = serializers.CharField(allow_null=True)
    photo_count = serializers.IntegerField(allow_null=True)
    cover = ShareCoverSerializer(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    allow_download = serializers.BooleanField(allow_null=True)
    show_metadata = serializers.BooleanField(allow_null=True)
    show_location = serializers.BooleanField(allow_null=True)


class SharePhotoSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    placeholder = serializers.CharField()
    thumbnail_version = serializers.IntegerField()
    taken_at = serializers.CharField(allow_null=True, help_text="null unless show_metadata")


class SharePhotoDetailSerializer(SharePhotoSerializer):
    camera = serializers.CharField(allow_null=True)
    lens = serializers.CharField(allow_null=True)
    aperture = serializers.FloatField(allow_null=True)
    exposure_time = serializers.FloatField(allow_null=True)
    iso = serializers.IntegerField(allow_null=True)
    focal_length = serializers.FloatField(allow_null=True)
    focal_length_35mm = serializers.FloatField(allow_null=True)
    flash_fired = serializers.BooleanField(allow_null=True)
    description = serializers.CharField(allow_null=True)
    artist = serializers.CharField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True, help_text="null unless show_location")
    longitude = serializers.FloatField(allow_null=True)
    altitude = serializers.FloatField(allow_null=True)
    download = serializers.BooleanField(help_text="whether the original may be downloaded")


class UnlockSerializer(serializers.Serializer[Any]):
    password = serializers.CharField(max_length=256, trim_whitespace=False)


# Views ---------------------------------------------------------------------------------------


class ShareInfoView(PublicView):
    """What a share link shows, for its page's header."""

    @extend_schema(
        operation_id="share_info", responses={200: ShareInfoSerializer, 404: DetailSerializer}
    )
    def get(self, request: Request, token: str) -> Response:
        share = _share(token)
        if not sharing.is_unlocked(request, share):
            data: dict[str, Any] = dict.fromkeys(ShareInfoSerializer().fields)
            data.update(locked=True, password_required=True)
            return Response(data)
        sharing.share_viewed(share)
        photos = selectors.share_photos(share)
        album = share.album
        cover = None
        if album is not None and album.cover_id is not None:
            cover = photos.filter(pk=album.cover_id).first()
        if cover is None:  # the newest photo that has an image (share_photos has no failed one)
            cover = photos.filter(selectors.COVERABLE).first()
        return Response(
            {
                "locked": False,
                "password_required": bool(share.password),
                "kind": "album" if album is not None else "photos",
                "title": album.name if album is not None else share.label,
                "description": album.description if album is not None else "",
                "photo_count": photos.count(),
                "cover": None
                if cover is None
                else {
                    "id": cover.pk,
                    "thumbnail_version": cover.thumbnail_version,
                    "placeholder": cover.placeholder,
                },
                "expires_at": share.expires_at,
                "allow_download": share.allow_download,
                "show_metadata": share.show_metadata,
                "show_location": share.show_location,
            }
        )


class ShareUnlockView(PublicView):
    """Unlock a password-protected share in this browser (a cookie scoped to the share)."""

    @extend_schema(
        operation_id="share_unlock",
        request=UnlockSerializer,
        responses={
            204: None,
            400: DetailSerializer,
            404: DetailSerializer,
            429: DetailSerializer,
            503: DetailSerializer,
        },
    )
    def post(self, request: Request, token: str) -> Response:
        share = _share(token)
        payload = UnlockSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        if share.password:
            # 503 when the attempt counters are out of reach (AttemptsUnavailableError).
            wait = sharing.attempt_register(token, client_address(request))
            if wait is not None:
                return Response(
                    {"detail": f"Too many attempts. Try again in {wait} seconds."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(wait)},
                )
            if not sharing.password_check(share, payload.validated_data["password"]):
                return Response({"detail": "Wrong password."}, status=status.HTTP_400_BAD_REQUEST)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        sharing.unlock(response, share, token)
        return response


class SharePhotosView(PublicView, generics.GenericAPIView[Photo]):
    pagination_class = SharePages
    serializer_class = SharePhotoSerializer

    @extend_schema(
        operation_id="share_photos",
        responses={
            200: SharePhotoSerializer(many=True),
            403: DetailSerializer,
            404: DetailSerializer,
        },
    )
    def get(self, request: Request, token: str) -> Response:
        """The shared photos, in the album's order (or by date taken), a page at a time."""
        share = _open_share(request, token)
        page = self.paginate_queryset(selectors.share_photos(share))
        return self.get_paginated_response([photo_brief(share, p) for p in page or ()])


class SharePhotoView(PublicView):
    @extend_schema(
        operation_id="share_photo",
        responses={200: SharePhotoDetailSerializer, 403: DetailSerializer, 404: DetailSerializer},
    )
    def get(self, request: Request, token: str, photo_id: int) -> Response:
        """One shared photo, with the metadata and location the link allows."""
        share = _open_share(request, token)
        return Response(photo_detail(share, _photo(share, photo_id)))


class ShareThumbnailView(PublicView):
    @extend_schema(
        operation_id="share_thumbnail",
        parameters=[OpenApiParameter("v", int, description="thumbnail version, for caching")],
        responses={(200, "image/*"): IMAGE, 403: DetailSerializer, 404: NOT_READY},
    )
    def get(self, request: Request, token: str, photo_id: int, size: str) -> HttpResponseBase:
        """A shared photo's grid thumbnail (``grid``) or large preview (``preview``)."""
        share = _open_share(request, token)
        if size not in SIZE_BY_NAME:
            raise NotFound
        photo = _photo(share, photo_id)
        if not photo.thumbnail_version:
            raise NotFound
        try:
            # Revalidated every time (ETag): a revoked link stops serving even cached images.
            return thumbnail_response(
                request,
                photo.pk,
                size,
                photo.thumbnail_version,
                etag=f'"s{share.pk}-{photo.pk}-{size}-{photo.thumbnail_version}"',
                cache="private, no-cache",
            )
        except Http404:
            raise NotFound from None


class MetadataNotRemovableError(PhotonixError):
    """A download the link wants stripped of metadata, of a file whose metadata cannot be."""

    category = Category.CONFLICT


def _strips(share: ShareLink) -> bool:
    """Whether downloads from ``share`` are copies without (some of) their metadata: always
    without the location when the link does not show it, and without serial numbers, owner
    names and maker notes as well with ``strip_metadata``."""
    return share.strip_metadata or not share.show_location


def _stripped_copy(share: ShareLink, path: Path) -> BinaryIO:
    """An open, already unlinked copy of ``path`` without what ``share`` leaves out."""
    folder = Path(tempfile.mkdtemp(prefix="photonix-share-"))
    try:
        dest = folder / f"copy{path.suffix}"
        try:
            privacy.strip_copy(exiftool.shared(), path, dest, identifying=share.strip_metadata)
        except privacy.StripError as exc:
            raise MetadataNotRemovableError(
                f"This photo cannot be downloaded from this link: {exc}, and the link leaves "
                "it out of downloads."
            ) from exc
        handle = dest.open("rb")
        dest.unlink()  # the open handle keeps it readable; nothing is left behind
        return handle
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stripped_chunks(share: ShareLink, path: Path) -> Iterator[bytes]:
    """A zip entry's content: the stripped copy, made when the archive reaches it."""
    with _stripped_copy(share, path) as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _strippable(share: ShareLink) -> downloads.Transform:
    roots = [
        Path(p)
        for p in LibraryFolder.objects.filter(library_id=share.library_id).values_list(
            "path", flat=True
        )
    ]

    def transform(path: Path) -> Iterator[bytes] | str:
        # The file must be where its library keeps it, as for every original served.
        root = next((r for r in roots if path.is_relative_to(r)), None)
        try:
            real = contained_path(path, root)
        except Http404:
            return "the file is not inside its library's folders"
        if not privacy.can_strip(real, exiftool.shared()):
            return f"its metadata cannot be removed ({real.suffix or 'no'} files)"
        return _stripped_chunks(share, real)

    return transform


class ShareOriginalView(PublicView):
    @extend_schema(
        operation_id="share_original",
        responses={
            (200, "application/octet-stream"): IMAGE,
            403: DetailSerializer,
            404: DetailSerializer,
        },
    )
    def get(self, request: Request, token: str, photo_id: int) -> HttpResponseBase:
        """A shared photo's file — only when the link allows downloads. Without the location
        unless the link shows it, and without serial numbers, owner names and maker notes with
        ``strip_metadata``: a copy written for this download (the original is untouched)."""
        share = _open_share(request, token)
        photo = _photo(share, photo_id)
        if not share.allow_download:
            raise PermissionDenied(DOWNLOAD_FORBIDDEN)
        file = photo.preferred_file
        if file is None:
            raise NotFound
        path = Path(file.path)
        content_type = file.mime_type or mimetypes.guess_type(path.name)[0]
        if _strips(share):
            try:  # only a regular file inside its folder, as file_response serves
                real = contained_path(path, Path(file.folder.path))
            except Http404:
                raise NotFound from None
            response = FileResponse(
                _stripped_copy(share, real),
                as_attachment=True,
                filename=path.name,
                content_type=content_type or "application/octet-stream",
            )
            response["Cache-Control"] = "private, no-store"
            response["X-Content-Type-Options"] = "nosniff"
            return response
        try:
            return file_response(
                request,
                path,
                etag=f'"so{share.pk}-{file.content_hash[:32] or file.pk}"',
                cache="private, no-cache",
                root=Path(file.folder.path),
                content_type=content_type or "application/octet-stream",
                download_name=path.name,
            )
        except Http404:
            raise NotFound from None


class ShareDownloadView(PublicView):
    @extend_schema(
        operation_id="share_download",
        responses={(200, "application/zip"): ZIP, 403: DetailSerializer, 404: DetailSerializer},
    )
    def get(self, request: Request, token: str) -> HttpResponseBase:
        """All of a link's photos as one zip, streamed — only when the link allows downloads.
        The files leave out what the link leaves out (see ``share_original``); such an archive
        has no ``Content-Length`` (each copy is written as the archive reaches it)."""
        share = _open_share(request, token)
        if not share.allow_download:
            raise PermissionDenied(DOWNLOAD_FORBIDDEN)
        title = share.album.name if share.album is not None else "Photonix"
        photos = selectors.share_photos(share).iterator(chunk_size=downloads.BATCH)
        transform = _strippable(share) if _strips(share) else None
        return zip_response(
            downloads.entries(photos, "original", transform=transform),
            downloads.archive_name(title),
        )
