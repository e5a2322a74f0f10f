"""HTTP API of albums, their members and the share links people manage (signed in).

Roles: an album's *viewers* see it; *editors* also rename, describe, re-sort, choose the cover
and add, remove and reorder photos; *owners* also delete it, share it with other members of its
library and publish it by link (when their library role is owner or editor). Albums a user is not
a member of answer 404, like ids that do not exist. The public side is :mod:`.public`.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from photonix.albums import selectors, services, sharing
from photonix.albums.models import Album, AlbumMember, ShareLink
from photonix.core.http import (
    FIELD_ERRORS,
    ID_SCHEMA,
    DetailSerializer,
    IdField,
    forbid_unless,
    query_id,
    request_user,
)
from photonix.core.models import User
from photonix.library import selectors as library_selectors
from photonix.library.browse import captions
from photonix.library.models import Photo
from photonix.library.serializers import PhotoFailureSerializer

EDITORS = (AlbumMember.Role.OWNER, AlbumMember.Role.EDITOR)
OWNERS = (AlbumMember.Role.OWNER,)
MAX_REORDER = 50_000


class AlbumPages(PageNumberPagination):
    page_size = 200
    page_size_query_param = "page_size"
    max_page_size = 1000


def _iso_date(value: Any) -> str | None:
    return None if value is None else value.date().isoformat()


def _taken_at(photo: Photo) -> str | None:
    taken = photo.taken_at
    return None if taken is None else taken.isoformat()


# Serializers ---------------------------------------------------------------------------------


class CoverSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    thumbnail_version = serializers.IntegerField()
    placeholder = serializers.CharField()


class AlbumSerializer(serializers.ModelSerializer[Album]):
    photo_count = serializers.IntegerField(read_only=True)
    date_from = serializers.SerializerMethodField(help_text="first day taken (YYYY-MM-DD)")
    date_to = serializers.SerializerMethodField(help_text="last day taken (YYYY-MM-DD)")
    cover = serializers.SerializerMethodField(
        help_text="the chosen cover, or else the album's newest photo"
    )
    cover_id = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="the chosen cover (null: automatic)"
    )
    my_role = serializers.ChoiceField(choices=AlbumMember.Role.choices, read_only=True)

    class Meta:
        model = Album
        fields = (
            "id",
            "library",
            "name",
            "description",
            "sort",
            "photo_count",
            "date_from",
            "date_to",
            "cover",
            "cover_id",
            "my_role",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_date_from(self, obj: Album) -> str | None:
        return _iso_date(getattr(obj, "date_from", None))

    def get_date_to(self, obj: Album) -> str | None:
        return _iso_date(getattr(obj, "date_to", None))

    @extend_schema_field(CoverSerializer(allow_null=True))
    def get_cover(self, obj: Album) -> dict[str, Any] | None:
        covers: dict[int, Photo] = self.context.get("covers", {})
        photo = covers.get(getattr(obj, "cover_photo_id", None) or 0)
        if photo is None:
            return None
        return {
            "id": photo.pk,
            "thumbnail_version": photo.thumbnail_version,
            "placeholder": photo.placeholder,
        }


def _albums_data(albums: list[Album], *, many: bool = True) -> Any:
    """Serialize summarised albums, fetching every cover in one query."""
    ids = {a.cover_photo_id for a in albums if getattr(a, "cover_photo_id", None)}  # type: ignore[attr-defined]
    covers = Photo.objects.only("pk", "thumbnail_version", "placeholder").in_bulk(ids)
    if many:
        return AlbumSerializer(albums, many=True, context={"covers": covers}).data
    return AlbumSerializer(albums[0], context={"covers": covers}).data


class AlbumCreateSerializer(serializers.Serializer[Any]):
    library = IdField(help_text="the library the album belongs to")
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sort = serializers.ChoiceField(choices=Album.Sort.choices, default=Album.Sort.TAKEN)
    photo_ids = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=services.BULK_LIMIT,
        help_text="photos to start with (the timeline selection)",
    )


class AlbumPatchSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    sort = serializers.ChoiceField(choices=Album.Sort.choices, required=False)
    cover_id = IdField(
        required=False, allow_null=True, help_text="a photo of the album; null: automatic"
    )


class AlbumPhotoSerializer(PhotoFailureSerializer):
    taken_at = serializers.SerializerMethodField()
    caption = serializers.SerializerMethodField(
        help_text='what it shows, for its alt text (as the timeline\'s); "" when nothing is known'
    )

    class Meta:
        model = Photo
        fields = (
            "id",
            "taken_at",
            "width",
            "height",
            "rating",
            "hidden",
            "placeholder",
            "thumbnail_version",
            "failed",
            "failure",
            "caption",
        )
        read_only_fields = fields

    def get_taken_at(self, obj: Photo) -> str | None:
        return _taken_at(obj)

    def get_caption(self, obj: Photo) -> str:
        # The view reads the page's captions at once (``captions`` in the context).
        texts: dict[int, str] = self.context.get("captions", {})
        return texts.get(obj.pk, "")


class PhotoIdsSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=IdField(),
        min_length=1,
        max_length=services.BULK_LIMIT,
    )


class AddResultSerializer(serializers.Serializer[Any]):
    added = serializers.IntegerField()
    ignored = serializers.IntegerField(
        help_text="ids already in the album, of another library, or not visible to you"
    )


class RemoveResultSerializer(serializers.Serializer[Any]):
    removed = serializers.IntegerField()


class ReorderSerializer(serializers.Serializer[Any]):
    ids = serializers.ListField(
        child=IdField(),
        required=False,
        max_length=MAX_REORDER,
        help_text="every photo of the album, in the new order",
    )
    move = IdField(required=False, help_text="the photo to move")
    before = IdField(
        required=False, allow_null=True, help_text="move it in front of this photo (null: last)"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("ids" in attrs) == ("move" in attrs):
            raise ValidationError({"ids": ["send either ids, or move (with before)"]})
        if "move" in attrs and "before" not in attrs:
            raise ValidationError({"before": ["required with move (null: to the end)"]})
        return attrs


class MemberSerializer(serializers.Serializer[Any]):
    user_id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.ChoiceField(choices=AlbumMember.Role.choices)


class MemberSetSerializer(serializers.Serializer[Any]):
    user_id = IdField()
    role = serializers.ChoiceField(choices=AlbumMember.Role.choices)


class MemberRoleSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=AlbumMember.Role.choices)


class CandidateSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    username = serializers.CharField()


def _members_data(album: Album) -> list[dict[str, Any]]:
    return [
        {"user_id": m.user_id, "username": m.user.username, "role": m.role}
        for m in selectors.album_members(album)
    ]


# Views ---------------------------------------------------------------------------------------


def _album(request: Request, album_id: int, roles: tuple[str, ...] | None = None) -> Album:
    """The album, if the user is a member (404 otherwise); 403 unless their role is in
    ``roles``."""
    album = get_object_or_404(selectors.albums_for(request_user(request)), pk=album_id)
    forbid_unless(
        roles is None or album.my_role in roles,  # type: ignore[attr-defined]
        "Your role in this album does not allow that.",
    )
    return album


def _summary(request: Request, album_id: int) -> Any:
    album = selectors.albums_with_summary(request_user(request)).get(pk=album_id)
    return _albums_data([album], many=False)


class AlbumListView(APIView):
    """The user's albums (their own and those shared with them), most recently changed first."""

    @extend_schema(
        operation_id="albums_list",
        parameters=[
            OpenApiParameter("library", ID_SCHEMA, description="only this library's albums"),
            OpenApiParameter("q", str, description="only albums whose name contains this"),
            OpenApiParameter("photo", ID_SCHEMA, description="only albums holding this photo"),
        ],
        responses=AlbumSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        photo = query_id(request, "photo")
        albums = selectors.albums_with_summary(
            request_user(request),
            library_id=query_id(request, "library"),
            q=request.query_params.get("q", ""),
        )
        if photo is not None:
            holding = selectors.albums_holding(photo).values("album_id")
            albums = albums.filter(pk__in=holding)
        return Response(_albums_data(list(albums)))

    @extend_schema(
        operation_id="albums_create",
        request=AlbumCreateSerializer,
        responses={201: AlbumSerializer, 400: FIELD_ERRORS},
    )
    def post(self, request: Request) -> Response:
        """Create an album in one of your libraries, optionally with photos (you own it)."""
        user = request_user(request)
        payload = AlbumCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        library = library_selectors.libraries_for(user).filter(pk=data["library"]).first()
        if library is None:
            raise ValidationError({"library": ["not one of your libraries"]})
        album = services.album_create(
            user,
            library,
            data["name"],
            description=data["description"],
            sort=data["sort"],
            photo_ids=data["photo_ids"],
        )
        return Response(_summary(request, album.pk), status=status.HTTP_201_CREATED)


class AlbumDetailView(APIView):
    @extend_schema(operation_id="albums_retrieve", responses=AlbumSerializer)
    def get(self, request: Request, album_id: int) -> Response:
        _album(request, album_id)
        return Response(_summary(request, album_id))

    @extend_schema(
        operation_id="albums_update",
        request=AlbumPatchSerializer,
        responses={200: AlbumSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def patch(self, request: Request, album_id: int) -> Response:
        """Rename, describe, re-sort, or choose the cover (editors and owners)."""
        album = _album(request, album_id, EDITORS)
        payload = AlbumPatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.album_update(album, payload.validated_data)
        return Response(_summary(request, album_id))

    @extend_schema(operation_id="albums_destroy", responses={204: None, 403: DetailSerializer})
    def delete(self, request: Request, album_id: int) -> Response:
        """Delete the album and its share links (owners). The photos stay in the library."""
        services.album_delete(_album(request, album_id, OWNERS))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumPhotosView(generics.GenericAPIView[Photo]):
    serializer_class = AlbumPhotoSerializer
    pagination_class = AlbumPages

    @extend_schema(operation_id="albums_photos", responses=AlbumPhotoSerializer(many=True))
    def get(self, request: Request, album_id: int) -> Response:
        """The album's photos in its order (``sort``), a page at a time."""
        photos = selectors.album_photos(_album(request, album_id))
        page = self.paginate_queryset(photos) or []
        texts = captions.captions([photo.pk for photo in page])
        return self.get_paginated_response(
            AlbumPhotoSerializer(page, many=True, context={"captions": texts}).data
        )

    @extend_schema(
        operation_id="albums_photos_add",
        request=PhotoIdsSerializer,
        responses={200: AddResultSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request, album_id: int) -> Response:
        """Add photos at the end (editors and owners). Up to 1,000 ids at a time."""
        album = _album(request, album_id, EDITORS)
        payload = PhotoIdsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        added, ignored = services.album_add_photos(
            album, request_user(request), payload.validated_data["ids"]
        )
        return Response({"added": added, "ignored": ignored})


class AlbumPhotosRemoveView(APIView):
    @extend_schema(
        operation_id="albums_photos_remove",
        request=PhotoIdsSerializer,
        responses={200: RemoveResultSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request, album_id: int) -> Response:
        """Take photos out of the album (editors and owners); the photos stay in the library."""
        album = _album(request, album_id, EDITORS)
        payload = PhotoIdsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(
            {"removed": services.album_remove_photos(album, payload.validated_data["ids"])}
        )


class AlbumReorderView(APIView):
    @extend_schema(
        operation_id="albums_reorder",
        request=ReorderSerializer,
        responses={
            200: AlbumSerializer,
            400: FIELD_ERRORS,
            403: DetailSerializer,
            409: DetailSerializer,
        },
    )
    def post(self, request: Request, album_id: int) -> Response:
        """Set the manual order (and switch the album to it): either the whole list of its
        photos (``ids``), or one move (``move`` in front of ``before``). 409 when the album's
        photos changed since the client loaded them."""
        album = _album(request, album_id, EDITORS)
        payload = ReorderSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "ids" in data:
            services.album_reorder(album, data["ids"])
        else:
            services.album_move(album, data["move"], data["before"])
        return Response(_summary(request, album_id))


class AlbumMembersView(APIView):
    @extend_schema(operation_id="albums_members", responses=MemberSerializer(many=True))
    def get(self, request: Request, album_id: int) -> Response:
        """Who the album is shared with (every member may see this)."""
        return Response(_members_data(_album(request, album_id)))

    @extend_schema(
        operation_id="albums_members_set",
        request=MemberSetSerializer,
        responses={200: MemberSerializer(many=True), 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request, album_id: int) -> Response:
        """Share the album with a member of its library, or change their role (owners)."""
        album = _album(request, album_id, OWNERS)
        payload = MemberSetSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = User.objects.filter(pk=payload.validated_data["user_id"], is_active=True).first()
        if user is None:
            raise ValidationError({"user_id": ["no such user"]})
        services.album_member_set(album, user, payload.validated_data["role"])
        return Response(_members_data(album))


class AlbumMemberView(APIView):
    @extend_schema(
        operation_id="albums_members_update",
        request=MemberRoleSerializer,
        responses={200: MemberSerializer(many=True), 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def patch(self, request: Request, album_id: int, user_id: int) -> Response:
        """Change a member's role (owners)."""
        album = _album(request, album_id, OWNERS)
        member = get_object_or_404(album.members.select_related("user"), user_id=user_id)
        payload = MemberRoleSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.album_member_set(album, member.user, payload.validated_data["role"])
        return Response(_members_data(album))

    @extend_schema(
        operation_id="albums_members_remove",
        responses={204: None, 400: DetailSerializer, 403: DetailSerializer},
    )
    def delete(self, request: Request, album_id: int, user_id: int) -> Response:
        """Stop sharing the album with someone (owners), or leave it yourself."""
        user = request_user(request)
        album = _album(request, album_id, None if user_id == user.pk else OWNERS)
        member = get_object_or_404(album.members.select_related("user"), user_id=user_id)
        services.album_member_remove(album, member.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AlbumCandidatesView(APIView):
    @extend_schema(operation_id="albums_candidates", responses=CandidateSerializer(many=True))
    def get(self, request: Request, album_id: int) -> Response:
        """Members of the album's library it could be shared with (owners)."""
        album = _album(request, album_id, OWNERS)
        users = selectors.album_candidates(album).values("id", "username")
        return Response(list(users))


# Share links (management) --------------------------------------------------------------------


class ShareLinkSerializer(serializers.ModelSerializer[ShareLink]):
    kind = serializers.SerializerMethodField()
    album_name = serializers.SerializerMethodField()
    photo_count = serializers.IntegerField(read_only=True)
    expired = serializers.SerializerMethodField()
    has_password = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(
        help_text="the share page, relative to the site; null for a link made before "
        "addresses were kept, or kept with another secret key (it still opens)"
    )

    class Meta:
        model = ShareLink
        fields: tuple[str, ...] = (
            "id",
            "kind",
            "label",
            "library",
            "album",
            "album_name",
            "photo_count",
            "expires_at",
            "expired",
            "has_password",
            "allow_download",
            "show_metadata",
            "show_location",
            "strip_metadata",
            "view_count",
            "last_viewed_at",
            "url",
            "created_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_kind(self, obj: ShareLink) -> str:
        return "album" if obj.album_id is not None else "photos"

    def get_album_name(self, obj: ShareLink) -> str | None:
        return None if obj.album is None else obj.album.name

    def get_expired(self, obj: ShareLink) -> bool:
        return obj.expires_at is not None and obj.expires_at <= timezone.now()

    def get_has_password(self, obj: ShareLink) -> bool:
        return bool(obj.password)

    def get_created_by(self, obj: ShareLink) -> str | None:
        return None if obj.created_by is None else obj.created_by.username

    def get_url(self, obj: ShareLink) -> str | None:
        token = sharing.unseal(obj)
        return None if token is None else f"/s/{token}"


class ShareCreatedSerializer(ShareLinkSerializer):
    token = serializers.SerializerMethodField(help_text="the link's token")
    url = serializers.SerializerMethodField(help_text="the share page, relative to the site")

    class Meta(ShareLinkSerializer.Meta):
        fields = (*ShareLinkSerializer.Meta.fields, "token")
        read_only_fields: tuple[str, ...] = fields

    def get_token(self, obj: ShareLink) -> str:
        return str(self.context["token"])

    def get_url(self, obj: ShareLink) -> str:
        return f"/s/{self.context['token']}"


class ShareCreateSerializer(serializers.Serializer[Any]):
    album = IdField(required=False, help_text="share this album (as it changes)")
    photo_ids = serializers.ListField(
        child=IdField(),
        required=False,
        min_length=1,
        max_length=services.BULK_LIMIT,
        help_text="or share these photos (one library)",
    )
    label = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.label
        max_length=200, required=False, allow_blank=True, default=""
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    password = serializers.CharField(
        max_length=256,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        trim_whitespace=False,
    )
    allow_download = serializers.BooleanField(default=False)
    show_metadata = serializers.BooleanField(default=True)
    show_location = serializers.BooleanField(default=False)
    strip_metadata = serializers.BooleanField(
        default=False,
        help_text="downloads leave out serial numbers, owner names and maker notes too "
        "(the location is left out whenever show_location is false)",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("album" in attrs) == ("photo_ids" in attrs):
            raise ValidationError({"album": ["send either album or photo_ids"]})
        return attrs


class SharePatchSerializer(serializers.Serializer[Any]):
    label = serializers.CharField(  # type: ignore[assignment]  # a field, not Field.label
        max_length=200, required=False, allow_blank=True
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    password = serializers.CharField(
        max_length=256,
        required=False,
        allow_null=True,
        allow_blank=True,
        trim_whitespace=False,
        help_text='a new password; null or "" removes it',
    )
    allow_download = serializers.BooleanField(required=False)
    show_metadata = serializers.BooleanField(required=False)
    show_location = serializers.BooleanField(required=False)
    strip_metadata = serializers.BooleanField(required=False)


def _share(request: Request, share_id: int) -> ShareLink:
    return get_object_or_404(selectors.shares_for(request_user(request)), pk=share_id)


class ShareListView(APIView):
    """Public links you manage: yours, your albums', and every link of libraries you own."""

    @extend_schema(
        operation_id="shares_list",
        parameters=[OpenApiParameter("album", ID_SCHEMA, description="only this album's links")],
        responses=ShareLinkSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        shares = selectors.shares_for(request_user(request))
        album = query_id(request, "album")
        if album is not None:
            shares = shares.filter(album_id=album)
        return Response(ShareLinkSerializer(shares, many=True).data)

    @extend_schema(
        operation_id="shares_create",
        request=ShareCreateSerializer,
        responses={201: ShareCreatedSerializer, 400: FIELD_ERRORS, 403: DetailSerializer},
    )
    def post(self, request: Request) -> Response:
        """Create a public link to an album (its owners) or to photos you can see. The answer
        carries the token and the page's URL; the links list shows the URL again."""
        user = request_user(request)
        payload = ShareCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        album = None
        if "album" in data:
            album = _album(request, data.pop("album"), OWNERS)
        share, token = services.share_create(user, album=album, **data)
        share = selectors.shares_for(user).get(pk=share.pk)
        body = ShareCreatedSerializer(share, context={"token": token}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ShareDetailView(APIView):
    @extend_schema(operation_id="shares_retrieve", responses=ShareLinkSerializer)
    def get(self, request: Request, share_id: int) -> Response:
        return Response(ShareLinkSerializer(_share(request, share_id)).data)

    @extend_schema(
        operation_id="shares_update",
        request=SharePatchSerializer,
        responses={200: ShareLinkSerializer, 400: FIELD_ERRORS},
    )
    def patch(self, request: Request, share_id: int) -> Response:
        """Change a link's label, expiry, password or what it allows. Only the keys sent
        change."""
        share = _share(request, share_id)
        payload = SharePatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.share_update(share, payload.validated_data)
        return Response(ShareLinkSerializer(_share(request, share_id)).data)

    @extend_schema(operation_id="shares_revoke", responses={204: None})
    def delete(self, request: Request, share_id: int) -> Response:
        """Revoke the link: from now on it answers 404."""
        services.share_revoke(_share(request, share_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
