"""Libraries, their folders and members; photos and the files (versions) they are made of."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Library(models.Model):
    """A collection of photos from one or more folders, shared by its members."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Where uploaded files are stored: a folder inside one of the library's folders. Empty:
    #: ``uploads`` in its first folder (``library.importing.uploads.upload_root``).
    upload_folder = models.TextField(blank=True, default="")
    # The owner's choice: emptying the trash deletes the original files of photos found in its
    # scanned folders too. Off, such a photo is forgotten and left out of future scans instead.
    # (Originals that came in through upload are deleted either way.)
    delete_originals = models.BooleanField(default=False)
    #: Where a person's edits (date, place, rating, title…) are written besides the database:
    #: an XMP sidecar next to each original (the default), or the originals themselves.
    write_originals = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "libraries"
        constraints = [models.UniqueConstraint(Lower("name"), name="library_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class LibraryMember(models.Model):
    """A user's role in a library. Every query for photos goes through this table."""

    class Role(models.TextChoices):
        OWNER = "owner"
        EDITOR = "editor"
        VIEWER = "viewer"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "user"], name="library_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.library} ({self.role})"


class LibraryFolder(models.Model):
    """A folder on disk whose photos belong to a library."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="folders")
    path = models.TextField(unique=True, help_text="Absolute path of the folder.")
    watched = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_scan_started_at = models.DateTimeField(null=True, blank=True)
    last_scan_finished_at = models.DateTimeField(null=True, blank=True)
    last_scan_stats = models.JSONField(default=dict, blank=True)
    last_scan_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ("path",)

    def __str__(self) -> str:
        return self.path


class Camera(models.Model):
    make = models.CharField(max_length=100)
    model = models.CharField(max_length=150)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["make", "model"], name="camera_unique")]

    def __str__(self) -> str:
        return f"{self.make} {self.model}".strip()


class Lens(models.Model):
    name = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name_plural = "lenses"

    def __str__(self) -> str:
        return self.name


#: The facts a person can set, as named in ``Photo.edited``: each keeps its columns on recording.
EDITED_FACTS: dict[str, tuple[str, ...]] = {
    "taken": ("taken_local", "taken_offset", "taken_source"),
    "location": ("latitude", "longitude", "altitude"),
    "rating": ("rating",),
    "title": ("title",),
    "description": ("description",),
}


class Photo(models.Model):
    """One shot. Its facts come from its preferred file; other files are versions of it.

    ``taken_local`` is the wall-clock time the photo was taken (stored as if it were UTC), so the
    timeline sorts and groups by the day the photographer saw; ``taken_offset`` (minutes east of
    UTC) is set when the file recorded its time zone, and then ``taken_local - taken_offset`` is the
    real instant.
    """

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="photos")
    preferred_file = models.ForeignKey(
        "PhotoFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_local = models.DateTimeField(null=True, blank=True)
    taken_offset = models.SmallIntegerField(null=True, blank=True)
    taken_source = models.CharField(max_length=40, blank=True, default="")
    camera = models.ForeignKey(Camera, null=True, blank=True, on_delete=models.SET_NULL)
    lens = models.ForeignKey(Lens, null=True, blank=True, on_delete=models.SET_NULL)
    aperture = models.FloatField(null=True, blank=True)
    exposure_time = models.FloatField(null=True, blank=True, help_text="Seconds.")
    iso = models.PositiveIntegerField(null=True, blank=True)
    focal_length = models.FloatField(null=True, blank=True)
    focal_length_35mm = models.FloatField(null=True, blank=True)
    flash_fired = models.BooleanField(null=True, blank=True)
    metering_mode = models.CharField(max_length=50, blank=True, default="")
    drive_mode = models.CharField(max_length=50, blank=True, default="")
    exposure_program = models.CharField(max_length=50, blank=True, default="")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    altitude = models.FloatField(null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True, help_text="As displayed.")
    height = models.PositiveIntegerField(null=True, blank=True, help_text="As displayed.")
    orientation = models.PositiveSmallIntegerField(default=1)
    rating = models.SmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=500, blank=True, default="")
    description = models.TextField(blank=True, default="")
    artist = models.CharField(max_length=200, blank=True, default="")
    keywords = models.JSONField(default=list, blank=True)
    # Set by the thumbnail stage: a tiny image hash the UI draws before the thumbnail arrives,
    # and the version of the derived files (part of their URLs, so they can be cached forever).
    placeholder = models.CharField(max_length=100, blank=True, default="")
    thumbnail_version = models.PositiveIntegerField(default=0)
    # Set by the pipeline when the photo's image could not be made (its file could not be
    # decoded or developed, or its thumbnails not written, even after the retries): why, in
    # words. Such a photo stays on the timeline, marked; it is never an album's cover. Cleared
    # when its thumbnails are made.
    failure = models.TextField(blank=True, default="")
    # A person's choices, which reprocessing never undoes: a rotation on top of the EXIF
    # orientation (degrees clockwise), hiding the photo from the timeline, and the version they
    # prefer (recording otherwise prefers the JPEG to the RAW).
    # ``hidden`` is the archive: out of the timeline, still found by search, still in albums
    # (the API calls it ``archived`` and keeps ``hidden`` as its old name). ``favourite`` is a
    # heart. ``trashed_at``: in the trash since then — out of every listing until it is
    # restored, or deleted when the trash is emptied (by hand, or after the trash days).
    user_rotation = models.PositiveSmallIntegerField(default=0)
    hidden = models.BooleanField(default=False)
    favourite = models.BooleanField(default=False)
    trashed_at = models.DateTimeField(null=True, blank=True)
    preferred_by_user = models.BooleanField(default=False)
    #: The facts a person set (``EDITED_FACTS``): recording a file again (a rescan, another
    #: version) keeps them, whatever the file says.
    edited = models.JSONField(default=list, blank=True)
    #: Why the person's last edit could not be written to the sidecar (or the original); empty
    #: when it was. The edit itself is kept in the database either way.
    sidecar_error = models.TextField(blank=True, default="")
    # A stack: set on every photo of a stack but its cover, which the timeline shows in their
    # place with their count (``library.browse.stacks``). Deleting the cover unstacks them.
    stacked_under = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="stacked"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The timeline. ``taken_local`` is always set for a recorded photo: the date
            # fallbacks end with the file's modification time.
            models.Index(fields=["library", "-taken_local", "-id"], name="photo_library_timeline"),
            # The timeline across every library the user belongs to (``library IN (…)`` cannot
            # walk the index above in order): visible or hidden photos, newest first.
            models.Index(fields=["hidden", "-taken_local", "-id"], name="photo_hidden_timeline"),
            # The facets' statistics: every column they read, in the (camera, lens) order they
            # are grouped by, so that SQLite counts them from the index alone, without a sort.
            models.Index(
                fields=[
                    "camera",
                    "lens",
                    "library",
                    "hidden",
                    "taken_local",
                    "preferred_file",
                    "aperture",
                    "exposure_time",
                    "iso",
                    "focal_length",
                    "flash_fired",
                    "rating",
                    "trashed_at",
                    "stacked_under",
                ],
                name="photo_facets",
            ),
            # The trash (few photos), and the daily emptying of what has been in it too long.
            models.Index(
                fields=["trashed_at"],
                name="photo_trashed",
                condition=models.Q(trashed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk}"

    @property
    def taken_at(self) -> dt.datetime | None:
        """When the photo was taken: aware when the time zone is known, naive otherwise."""
        if self.taken_local is None:
            return None
        naive = self.taken_local.replace(tzinfo=None)
        if self.taken_offset is None:
            return naive
        return naive.replace(tzinfo=dt.timezone(dt.timedelta(minutes=self.taken_offset)))


class PhotoFile(models.Model):
    """A file found in a library folder: a version of a photo, or the reason it is not one.

    Every discovered file gets a row, so nothing disappears silently: a file that cannot be
    imported is ``failed`` with its ``error``; a video is ``unsupported``. A file gone from disk is
    ``missing`` for a grace period, so a move seen as delete-then-create finds its photo again.
    A file whose photo was deleted from the trash while its original was kept is ``excluded``:
    scans and the watcher leave it alone, so it does not come back.
    """

    class State(models.TextChoices):
        PENDING = "pending"
        OK = "ok"
        FAILED = "failed"
        UNSUPPORTED = "unsupported"
        MISSING = "missing"
        EXCLUDED = "excluded"

    class Kind(models.TextChoices):
        PHOTO = "photo"
        RAW = "raw"
        VIDEO = "video"

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="files")
    folder = models.ForeignKey(LibraryFolder, on_delete=models.CASCADE, related_name="files")
    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    path = models.TextField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    size = models.BigIntegerField()
    mtime_ns = models.BigIntegerField()
    content_hash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    file_type = models.CharField(max_length=20, blank=True, default="")
    mime_type = models.CharField(max_length=100, blank=True, default="")
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    warnings = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    #: How a RAW was made viewable (``photonix.media.raw.RawMethod``): "preview" (the embedded
    #: JPEG), "develop-half", "develop" or "preview-fallback"; empty until developed / not a RAW.
    raw_method = models.CharField(max_length=20, blank=True, default="")
    sidecar_mtime_ns = models.BigIntegerField(null=True, blank=True)
    missing_since = models.DateTimeField(null=True, blank=True)
    # When the file last became ``pending``: the reconciliation re-enqueues recordings whose
    # message the broker lost.
    pending_since = models.DateTimeField(null=True, blank=True, default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["folder", "state"], name="photofile_folder_state"),
            models.Index(fields=["library", "state"], name="photofile_library_state"),
            models.Index(fields=["state", "size"], name="photofile_state_size"),
            models.Index(fields=["state", "pending_since"], name="photofile_state_pending"),
        ]

    def __str__(self) -> str:
        return self.path


class SearchTerm(models.Model):
    """A key free-text search looks a name up by: a word of it, a prefix, a typo key or the name.

    One row per key of each tag, place, colour, person, camera, lens, album and file name;
    ``target`` is the id of the thing named (the photo, for a file name). Kept by
    ``library.browse.terms`` as names change; a search reads only the rows of its keys, through
    ``searchterm_key``.
    """

    class Field(models.TextChoices):
        TAG = "tag"
        PLACE = "place"
        COLOUR = "colour"
        PERSON = "person"
        CAMERA = "camera"
        LENS = "lens"
        ALBUM = "album"
        FILE = "file"

    class Kind(models.TextChoices):
        NAME = "n"  # the whole name's words, joined by spaces
        WORD = "w"  # one word
        PREFIX = "p"  # a prefix of a word (names a person types the start of)
        TYPO = "d"  # a word with one letter left out (one-edit typo matching)

    #: The library of the thing named; null for cameras and lenses (shared by every library).
    library = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    field = models.CharField(max_length=10, choices=Field.choices)
    target = models.BigIntegerField()
    kind = models.CharField(max_length=1, choices=Kind.choices)
    key = models.CharField(max_length=200)
    #: the whole folded word (or name, for ``n``) the key comes from
    word = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["key", "kind", "field"], name="searchterm_key"),
            models.Index(fields=["field", "target"], name="searchterm_target"),
            models.Index(fields=["library"], name="searchterm_library"),
        ]

    def __str__(self) -> str:
        return f"{self.field} {self.target}: {self.kind} {self.key}"


class Upload(models.Model):
    """A file a person sends to a library: the bytes received so far, then what became of it.

    A resumable (tus) upload is ``receiving`` until its last byte arrives; a one-request upload
    is written ``done`` at once. A ``done`` row remembers the file it stored (none for a
    duplicate), which is what the uploader's quota counts.
    """

    class State(models.TextChoices):
        RECEIVING = "receiving"
        DONE = "done"

    key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=255)
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    #: The client's checksum of the whole file, ``<algorithm> <hex>`` (sha1 or sha256), or empty.
    checksum = models.CharField(max_length=80, blank=True, default="")
    #: The file's modification time on the client: where it is filed when it has no date taken.
    modified = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RECEIVING)
    file = models.ForeignKey(
        PhotoFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["state", "expires_at"], name="upload_state_expires"),
            models.Index(fields=["user", "state"], name="upload_user_state"),
        ]

    def __str__(self) -> str:
        return f"upload {self.key} of {self.filename}"


class PhotoLikeness(models.Model):
    """What near-duplicate grouping knows of a photo's pixels (``photonix.media.similarity``):
    its perceptual hash and the quality numbers its group is ranked by. Written by the
    ``similar`` stage from the preview it decodes; ``docs/duplicates.md``."""

    photo = models.OneToOneField(
        Photo, on_delete=models.CASCADE, primary_key=True, related_name="likeness"
    )
    #: the 64-bit perceptual hash, stored signed (a BIGINT)
    phash = models.BigIntegerField()
    sharpness = models.FloatField()
    exposure = models.FloatField(help_text="Share of pixels neither crushed nor blown, 0 to 1.")
    brightness = models.FloatField(help_text="Mean grey level, 0 to 1.")

    def __str__(self) -> str:
        return f"likeness of photo {self.photo_id}"
