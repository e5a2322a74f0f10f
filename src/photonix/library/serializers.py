"""Serializers the library's three APIs share: a library with its folders, and a file."""

from __future__ import annotations

from rest_framework import serializers

from photonix.library.models import Library, LibraryFolder, LibraryMember, PhotoFile


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
        fields = ("id", "name", "created_at", "folders", "photo_count", "error_count", "role")
        read_only_fields = fields
