"""HTTP API of uploads: one-request uploads, the "which of these do you have" check, and
resumable uploads over the tus protocol (v1.0.0: core, creation, checksum, expiration,
termination), written against its specification (https://tus.io/protocols/resumable-upload).

Every view authenticates like the rest of the API: a session (with its CSRF token) or an API
token (``Authorization: Bearer …``). docs/upload.md describes the endpoints.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from email.utils import format_datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.core.errors import PhotonixError
from photonix.core.http import FIELD_ERRORS, DetailSerializer, request_user
from photonix.library import selectors
from photonix.library.importing import uploads
from photonix.library.models import Upload

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum,expiration,termination"
# Photonix's own answer headers once an upload is stored: what became of it.
STATUS_HEADER = "Photonix-Upload-Status"
FILE_HEADER = "Photonix-File-Id"
PHOTO_HEADER = "Photonix-Photo-Id"


class StoredSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=["created", "duplicate"],
        help_text="`created`: stored and being recorded; `duplicate`: the library already had "
        "this content, nothing was stored.",
    )
    file = serializers.IntegerField(help_text="The file row (new, or the one that had it).")
    photo = serializers.IntegerField(
        allow_null=True,
        help_text="The photo of that file; null until a new file is recorded.",
    )
    path = serializers.CharField(help_text="Where the file is on the server.")
    sha256 = serializers.CharField()


def _stored_data(stored: uploads.Stored) -> dict[str, Any]:
    return {
        "status": "duplicate" if stored.duplicate else "created",
        "file": stored.file_id,
        "photo": stored.photo_id,
        "path": stored.path,
        "sha256": stored.sha256,
    }


def _content_length(request: Request) -> int | None:
    """The body's length; None for a chunked body (whose length is not known up front)."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    if raw.isascii() and raw.isdigit():
        return int(raw)
    return None if request.headers.get("Transfer-Encoding") else 0


def _raw(request: Request) -> HttpRequest:
    """The Django request, read as a stream: the body is never loaded into memory."""
    return request._request


class LibraryUploadView(APIView):
    """Upload one file to a library in one request (owners and editors): the raw bytes as the
    body, the name and the optional checksum in the query string. Large files are better sent
    resumably (tus, ``/api/uploads/tus``)."""

    @extend_schema(
        operation_id="libraries_upload",
        parameters=[
            OpenApiParameter("filename", str, required=True, description="The file's name."),
            OpenApiParameter(
                "checksum",
                str,
                description="`sha256 <hex>` or `sha1 <hex>` (base64 also taken) of the whole "
                "file: verified before it is stored.",
            ),
            OpenApiParameter(
                "modified",
                str,
                description="The file's modification time (seconds since 1970, or ISO 8601): "
                "kept on the stored file, and its date when the file has none of its own.",
            ),
        ],
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            200: OpenApiResponse(StoredSerializer, description="Already in the library."),
            201: OpenApiResponse(StoredSerializer, description="Stored."),
            400: FIELD_ERRORS,
            403: DetailSerializer,
            413: DetailSerializer,
            415: DetailSerializer,
            507: DetailSerializer,
        },
    )
    def post(self, request: Request, library_id: int) -> Response:
        user = request_user(request)
        library = uploads.library_for_upload(user, library_id)
        stored = uploads.upload_whole(
            user,
            library,
            _raw(request),
            length=_content_length(request),
            filename=request.query_params.get("filename"),
            checksum=request.query_params.get("checksum"),
            modified=request.query_params.get("modified"),
        )
        code = status.HTTP_200_OK if stored.duplicate else status.HTTP_201_CREATED
        return Response(StoredSerializer(_stored_data(stored)).data, status=code)


class ChecksumsSerializer(serializers.Serializer[Any]):
    checksums = serializers.ListField(
        child=serializers.RegexField(r"^[0-9a-fA-F]{64}$", max_length=64),
        max_length=1000,
        help_text="SHA-256 digests (hex) of files the client has; at most 1000.",
    )


class KnownFileSerializer(serializers.Serializer[Any]):
    file = serializers.IntegerField()
    photo = serializers.IntegerField(allow_null=True)


class KnownChecksumsSerializer(serializers.Serializer[Any]):
    known = serializers.DictField(
        child=KnownFileSerializer(),
        help_text="For each checksum the library has (whatever the file's name or folder): "
        "its file and photo. Checksums it does not have are left out.",
    )


class LibraryUploadCheckView(APIView):
    """Which of these files (by SHA-256) the library already has, so a client sends only the
    others. Any member may ask."""

    @extend_schema(
        operation_id="libraries_upload_check",
        request=ChecksumsSerializer,
        responses={200: KnownChecksumsSerializer, 400: FIELD_ERRORS},
    )
    def post(self, request: Request, library_id: int) -> Response:
        library = selectors.library_visible_to(request_user(request), library_id)
        payload = ChecksumsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        found = uploads.known_checksums(library, payload.validated_data["checksums"])
        known = {h: {"file": f.pk, "photo": f.photo_id} for h, f in found.items()}
        return Response({"known": known})


# --- tus ------------------------------------------------------------------------------------


class TusError(Exception):
    """A tus protocol error: answered with its status and the message as text."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def _tus_headers(**extra: str) -> dict[str, str]:
    return {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store", **extra}


def _tus_answer(code: int, message: str | None = None, **headers: str) -> Response:
    body = None if message is None else {"detail": message}
    return Response(body, status=code, headers=_tus_headers(**headers))


def _require_version(request: Request) -> None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise TusError(412, f"this server speaks tus {TUS_VERSION} (Tus-Resumable header)")


def _expires(upload: Upload) -> str:
    return format_datetime(upload.expires_at.astimezone(dt.UTC), usegmt=True)


def _metadata(request: Request) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64value`` pairs."""
    pairs: dict[str, str] = {}
    for item in (request.headers.get("Upload-Metadata") or "").split(","):
        if not item.strip():
            continue
        key, _, value = item.strip().partition(" ")
        try:
            pairs[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise TusError(400, f"Upload-Metadata {key!r}: not base64 of UTF-8 text") from None
    return pairs


def _int_header(request: Request, name: str) -> int:
    raw = request.headers.get(name)
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > 19:
        raise TusError(400, f"{name} must be a whole number of bytes")
    return int(raw)


def _stored_headers(upload: Upload) -> dict[str, str]:
    if upload.state != Upload.State.DONE or upload.file_id is None:
        return {}
    file = upload.file
    headers = {
        STATUS_HEADER: "duplicate" if upload.duplicate else "created",
        FILE_HEADER: str(upload.file_id),
    }
    if file is not None and file.photo_id is not None:
        headers[PHOTO_HEADER] = str(file.photo_id)
    return headers


def _error_answer(exc: PhotonixError) -> Response:
    return _tus_answer(exc.category.status, exc.message)


class TusView(APIView):
    """Shared: tus errors answered as the protocol says, with ``Tus-Resumable`` on every answer."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, TusError):
            return _tus_answer(exc.status_code, exc.message, **{"Tus-Version": TUS_VERSION})
        response = super().handle_exception(exc)
        for name, value in _tus_headers().items():
            response.headers[name] = value
        return response


class TusCreateView(TusView):
    """tus: what the server supports (OPTIONS), and creating an upload (POST).

    ``Upload-Metadata`` carries ``filename`` and ``library`` (its id), and may carry
    ``checksum`` (``sha256 <hex>`` or ``sha1 <hex>`` of the whole file) and ``modified``.
    """

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return Response(
            status=status.HTTP_204_NO_CONTENT,
            headers=_tus_headers(
                **{
                    "Tus-Version": TUS_VERSION,
                    "Tus-Extension": TUS_EXTENSIONS,
                    "Tus-Max-Size": str(uploads.max_bytes()),
                    "Tus-Checksum-Algorithm": ",".join(uploads.ALGORITHMS),
                }
            ),
        )

    @extend_schema(
        operation_id="uploads_tus_create",
        request=None,
        responses={
            201: OpenApiResponse(description="Created: `Location` is the upload's URL."),
            400: DetailSerializer,
            403: DetailSerializer,
            413: DetailSerializer,
            415: DetailSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        _require_version(request)
        user = request_user(request)
        if request.headers.get("Upload-Defer-Length"):
            raise TusError(400, "give Upload-Length: deferred lengths are not supported")
        length = _int_header(request, "Upload-Length")
        meta = _metadata(request)
        library_raw = meta.get("library", "")
        if not (library_raw.isascii() and library_raw.isdigit()) or len(library_raw) > 18:
            raise TusError(400, "Upload-Metadata must name the library (its id)")
        library = uploads.library_for_upload(user, int(library_raw))
        upload = uploads.new_upload(
            user,
            library,
            filename=uploads.clean_filename(meta.get("filename")),
            length=length,
            checksum=uploads.parse_checksum(meta.get("checksum")),
            modified=uploads.parse_modified(meta.get("modified")),
        )
        location = request.build_absolute_uri(reverse("upload-tus", args=[upload.key]))
        return _tus_answer(
            status.HTTP_201_CREATED, None, Location=location, **{"Upload-Expires": _expires(upload)}
        )


class TusUploadView(TusView):
    """tus: one upload: its offset (HEAD), more bytes (PATCH), termination (DELETE)."""

    def _upload(self, request: Request, upload_key: str) -> Upload:
        upload = get_object_or_404(
            Upload.objects.select_related("library", "file"),
            key=upload_key,
            user=request_user(request),
        )
        if upload.state == Upload.State.RECEIVING and upload.expires_at < timezone.now():
            uploads.upload_discard(upload)
            raise TusError(410, "this upload expired; start it again")
        return upload

    def head(self, request: Request, upload_key: str) -> Response:
        _require_version(request)
        upload = self._upload(request, upload_key)
        return _tus_answer(
            status.HTTP_200_OK,
            None,
            **{
                "Upload-Offset": str(upload.offset),
                "Upload-Length": str(upload.length),
                "Upload-Expires": _expires(upload),
                **_stored_headers(upload),
            },
        )

    @extend_schema(
        operation_id="uploads_tus_append",
        request={"application/offset+octet-stream": OpenApiTypes.BINARY},
        responses={
            204: OpenApiResponse(description="Received: `Upload-Offset` is the new offset."),
            400: DetailSerializer,
            404: DetailSerializer,
            409: DetailSerializer,
            410: DetailSerializer,
            415: DetailSerializer,
            460: DetailSerializer,
        },
    )
    def patch(self, request: Request, upload_key: str) -> Response:
        _require_version(request)
        upload = self._upload(request, upload_key)
        if request.content_type.split(";")[0].strip() != "application/offset+octet-stream":
            raise TusError(415, "Content-Type must be application/offset+octet-stream")
        offset = _int_header(request, "Upload-Offset")
        chunk_checksum = _chunk_checksum(request)
        if upload.state == Upload.State.DONE:
            raise TusError(409, "this upload is complete")
        with uploads.part_locked(upload) as part:
            upload.refresh_from_db(fields=["offset"])
            if offset != upload.offset:
                raise TusError(409, f"Upload-Offset is {upload.offset}, not {offset}")
            limit = upload.length - offset
            declared = _content_length(request)
            if declared is not None:
                limit = min(limit, declared)
            hashers = [] if chunk_checksum is None else [uploads.ALGORITHMS[chunk_checksum[0]]()]
            received = uploads.receive(
                _raw(request), part, offset=offset, limit=limit, hashers=hashers
            )
            if chunk_checksum is not None and received:
                if declared is not None and received < declared:
                    part_truncate(part, offset)
                    raise TusError(460, "the chunk was cut off before its checksum could match")
                if hashers[0].hexdigest() != chunk_checksum[1]:
                    part_truncate(part, offset)
                    raise TusError(460, "Upload-Checksum does not match the chunk; send it again")
            upload.offset = offset + received
            Upload.objects.filter(pk=upload.pk).update(offset=upload.offset)
            headers = {"Upload-Offset": str(upload.offset), "Upload-Expires": _expires(upload)}
            if upload.offset < upload.length:
                return _tus_answer(status.HTTP_204_NO_CONTENT, None, **headers)
            try:
                stored = uploads.upload_finish(upload, part)
            except PhotonixError as exc:
                code = 460 if isinstance(exc, uploads.ChecksumMismatchError) else None
                return _tus_answer(code or exc.category.status, exc.message)
        upload.refresh_from_db()
        headers.update(_stored_headers(upload))
        if stored.photo_id is None:
            headers.pop(PHOTO_HEADER, None)
        return _tus_answer(status.HTTP_204_NO_CONTENT, None, **headers)

    @extend_schema(
        operation_id="uploads_tus_terminate",
        request=None,
        responses={204: None, 404: DetailSerializer},
    )
    def delete(self, request: Request, upload_key: str) -> Response:
        _require_version(request)
        upload = self._upload(request, upload_key)
        if upload.state == Upload.State.RECEIVING:
            uploads.upload_discard(upload)
        return _tus_answer(status.HTTP_204_NO_CONTENT)


def part_truncate(part: Any, offset: int) -> None:
    with part.open("r+b") as handle:
        handle.truncate(offset)


def _chunk_checksum(request: Request) -> tuple[str, str] | None:
    raw = request.headers.get("Upload-Checksum")
    if raw is None:
        return None
    algorithm, _, value = raw.strip().partition(" ")
    if algorithm.lower() not in uploads.ALGORITHMS:
        raise TusError(400, f"Upload-Checksum: {algorithm!r} is not supported (sha1, sha256)")
    try:
        digest = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise TusError(400, "Upload-Checksum: the digest must be base64") from None
    if len(digest) != hashlib.new(algorithm.lower()).digest_size:
        raise TusError(400, "Upload-Checksum: the digest has the wrong length")
    return algorithm.lower(), digest.hex()
