"""Serializers the library's three APIs share: a library with its folders, and a file."""

from __future__ import annotations

from rest_framework import serializers

from photonix.library.models import Library, LibraryFolder, LibraryMember, Photo, PhotoFile


class PhotoFailureSerializer(serializers.ModelSerializer[Photo]):
    """A photo. ``failed``: its image could not be made (its file could not be decoded or
    developed); ``failure`` says why."""

    # The base of the photo serializers: subclasses list both fields in their ``Meta.fields``.

    failed = serializers.SerializerMethodField(
        help_text="its image could not be made: shown as failed, never an album's cover"
    )
    failure = serializers.SerializerMethodField(help_text="why, in words (null unless failed)")

    def get_failed(self, obj: Photo) -> bool:
        return bool(obj.failure)

    def get_failure(self, obj: Photo) -> str | None:
        return obj.failure or None


class FileSerializer(serializers.ModelSerializer[PhotoFile]):
    preferred = serializers.SerializerMethodField()

    class Meta:
        model = PhotoFile
        fields = (
            "id",
            "path",
            "kind",
            "state",
            "size",
            "file_type",
            "mime_type",
            "width",
            "height",
            "error",
            "warnings",
            "raw_method",
            "preferred",
        )
        read_only_fields = fields

    def get_preferred(self, obj: PhotoFile) -> bool:
        photo = obj.photo
        return photo is not None and photo.preferred_file_id == obj.pk


class FolderSerializer(serializers.ModelSerializer[LibraryFolder]):
    class Meta:
        model = LibraryFolder
        fields = (
            "id",
            "path",
            "watched",
            "last_scan_started_at",
            "last_scan_finished_at",
            "last_scan_stats",
            "last_scan_error",
        )
        read_only_fields = fields


class LibrarySerializer(serializers.ModelSerializer[Library]):
    folders = FolderSerializer(many=True, read_only=True)
    photo_count = serializers.IntegerField(read_only=True)
    error_count = serializers.IntegerField(read_only=True)
    role = serializers.ChoiceField(
        choices=LibraryMember.Role.choices,
        read_only=True,
        help_text="The caller's role in this library: owners manage it.",
    )

    class Meta:
        model = Library
        fields = (
            "id",
            "name",
            "created_at",
            "folders",
            "photo_count",
            "error_count",
            "role",
            "upload_folder",
            "delete_originals",
            "write_originals",
        )
        read_only_fields = fields
        extra_kwargs = {
            "upload_folder": {
                "help_text": "Where uploads are stored; empty: `uploads` in its first folder."
            }
        }
