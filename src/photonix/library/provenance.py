"""Where a photo came from: through an upload, or found in a scanned folder.

The one place that answers it. Emptying the trash deletes the original of a photo that came in
through upload (Photonix put the file there); a photo found in a scanned folder keeps its file
unless the library's owner allowed deleting originals (``Library.delete_originals``).
"""

from __future__ import annotations

from pathlib import Path, PurePath

from photonix.library.models import Library, Photo, PhotoFile

#: The upload folder of a library that names none: this folder in its first folder.
DEFAULT_UPLOAD_FOLDER = "uploads"


def upload_root(library: Library) -> Path | None:
    """Where the library's uploads are stored: its ``upload_folder``, else ``uploads`` in its
    first folder (None: the library has no folder yet)."""
    if library.upload_folder:
        return Path(library.upload_folder)
    first = library.folders.order_by("pk").values_list("path", flat=True).first()
    return None if first is None else Path(first) / DEFAULT_UPLOAD_FOLDER


def upload_roots(library: Library) -> list[PurePath]:
    """The folders of ``library`` that uploads are written to."""
    root = upload_root(library)
    return [] if root is None else [root]


def file_came_from_upload(file: PhotoFile, roots: list[PurePath]) -> bool:
    """Whether ``file`` lies under one of the upload folders ``roots``."""
    path = PurePath(file.path)
    return any(path.is_relative_to(root) for root in roots)


def photo_came_from_upload(photo: Photo) -> bool:
    """Whether ``photo`` came in through upload: one of its files lies under its library's
    upload folder."""
    roots = upload_roots(photo.library)
    if not roots:
        return False
    return any(file_came_from_upload(file, roots) for file in photo.files.all())
