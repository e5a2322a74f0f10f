"""HTTP API of importing: start a scan, and the files that could not be imported."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.core import work
from photonix.core.http import Pages, request_user
from photonix.library import selectors
from photonix.library.models import PhotoFile
from photonix.library.serializers import FileSerializer


class LibraryScanView(APIView):
    """Rescan every folder of a library now (owners and administrators)."""

    @extend_schema(operation_id="libraries_scan", request=None, responses={202: None})
    def post(self, request: Request, library_id: int) -> Response:
        library = selectors.library_visible_to(request_user(request), library_id)
        user = request_user(request)
        if not selectors.library_manageable(user, library):
            return Response(
                {"detail": "Only the library's owners can start a scan."},
                status=status.HTTP_403_FORBIDDEN,
            )
        work.scan_folders(library.folders.values_list("pk", flat=True))
        return Response(status=status.HTTP_202_ACCEPTED)


class LibraryErrorsView(generics.ListAPIView[PhotoFile]):
    """Files of a library that could not be imported, with the reason."""

    serializer_class = FileSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[PhotoFile]:
        library = selectors.library_visible_to(
            request_user(self.request), self.kwargs["library_id"]
        )
        files = selectors.import_errors_for(request_user(self.request), library)
        return files.select_related("photo")

    @extend_schema(operation_id="libraries_errors")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
