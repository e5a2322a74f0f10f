"""Where a photo came from: through an upload, or found in a scanned folder.

The one place that answers it. Emptying the trash deletes the original of a photo that came in
through upload (Photonix put the file there); a photo found in a scanned folder keeps its file
unless the library's owner allowed deleting originals (``Library.delete_originals``).
"""

from __future__ import annotations

from pathlib import PurePath

from photonix.library.models import Library, Photo, PhotoFile

#: The library setting that names its upload folder (a path), when the library has one.
UPLOAD_FOLDER_FIELD = "upload_folder"


def upload_roots(library: Library) -> list[PurePath]:
    """The folders of ``library`` that uploads are written to (none when it has no such
    setting, or leaves it empty)."""
    value = getattr(library, UPLOAD_FOLDER_FIELD, None)
    if not isinstance(value, str) or not value.strip():
        return []
    return [PurePath(value)]


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
