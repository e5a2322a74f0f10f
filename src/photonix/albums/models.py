"""Albums of a library, the people they are shared with, and public share links."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from photonix.library.models import Library, Photo


class Album(models.Model):
    """A named collection of photos of one library. Deleting it leaves the photos alone."""

    class Sort(models.TextChoices):
        TAKEN = "taken", "Date taken, oldest first"
        TAKEN_DESC = "-taken", "Date taken, newest first"
        MANUAL = "manual", "Manual order"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="albums")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    cover = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort = models.CharField(max_length=10, choices=Sort.choices, default=Sort.TAKEN)
    photos = models.ManyToManyField(Photo, through="AlbumPhoto", related_name="albums")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["library", "name"], name="album_library_name")]

    def __str__(self) -> str:
        return self.name


class AlbumPhoto(models.Model):
    """A photo in an album. ``position`` is the manual order: sparse, so a move writes one row."""

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="entries")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="album_entries")
    position = models.BigIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["album", "photo"], name="album_photo_unique"),
        ]
        indexes = [models.Index(fields=["album", "position"], name="album_photo_position")]

    def __str__(self) -> str:
        return f"{self.photo} in {self.album}"


class AlbumMember(models.Model):
    """A user's role in an album. The creator is its owner; owners share it with other members
    of the album's library as editors (change its photos, name, order) or viewers."""

    class Role(models.TextChoices):
        OWNER = "owner"
        EDITOR = "editor"
        VIEWER = "viewer"

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="album_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["album", "user"], name="album_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.album} ({self.role})"


class ShareLink(models.Model):
    """A public link to an album or to a selection of photos, usable without an account.

    A token is found by its sha256. Beside it the token is kept sealed with a key derived from
    the server's secret key (``sharing.seal``), so the people who manage a link can copy its
    address again; a copy of the database without the secret key reveals no link.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="share_links")
    album = models.ForeignKey(
        Album, null=True, blank=True, on_delete=models.CASCADE, related_name="share_links"
    )
    photos = models.ManyToManyField(Photo, through="ShareLinkPhoto", related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    #: the token encrypted with a key derived from SECRET_KEY; "" for links made before
    token_sealed = models.TextField(blank=True, default="")
    label = models.CharField(max_length=200, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)
    # A Django password hash ("" = no password).
    password = models.CharField(max_length=256, blank=True, default="")
    allow_download = models.BooleanField(default=False)
    show_metadata = models.BooleanField(default=True)
    show_location = models.BooleanField(default=False)
    #: downloads leave out serial numbers, owner names and maker notes as well as the location
    strip_metadata = models.BooleanField(default=False)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.label or f"Share link {self.pk}"


class ShareLinkPhoto(models.Model):
    """A photo of a share link made from a selection (album links follow their album)."""

    share = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="entries")
    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="share_entries")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share", "photo"], name="share_photo_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.photo} in {self.share}"
