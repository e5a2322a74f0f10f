"""The one place that knows where a photo's derived files live and how they are written and deleted.

Derived files sit under the data directory, named by photo (or file) id and version, and are
written atomically (a temporary file in the same folder, renamed into place), so
a task killed half-way leaves no half-written file and writing the same file twice gives the
same result. Originals are never written or deleted here.

    developed/<id // 1000>/<file id>-v<RAW version>.jpg        developed RAW, used by later stages
    thumbnails/<id // 1000>/<photo id>-<size>-v<version>.<ext>  grid thumbnail and preview

The layout is part of every install's data: a path that changes orphans the files made before.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, Final

from django.conf import settings

from photonix.media.thumbnails import SIZES, ThumbnailSize

logger = logging.getLogger(__name__)

__all__ = [
    "SIZE_BY_NAME",
    "developed_path",
    "file_derived_delete",
    "photo_derived_delete",
    "thumbnail_content_type",
    "thumbnail_path",
    "thumbnails_root",
    "write_atomically",
    "write_atomically_with",
]

#: The thumbnail sizes by name (``grid``, ``preview``): the only names a thumbnail path is made of.
SIZE_BY_NAME: Final[dict[str, ThumbnailSize]] = {size.name: size for size in SIZES}
_EXTENSIONS: Final[dict[str, str]] = {"JPEG": ".jpg", "WEBP": ".webp"}
_CONTENT_TYPES: Final[dict[str, str]] = {"JPEG": "image/jpeg", "WEBP": "image/webp"}
_TEMP_PREFIX: Final = ".tmp-"


def _shard(number: int) -> str:
    return f"{number // 1000:04d}"


def thumbnails_root() -> Path:
    """The folder every thumbnail and preview lives under (and the only one they are served
    from)."""
    return Path(settings.DATA_DIR) / "thumbnails"


def developed_path(file_id: int, version: int) -> Path:
    """Where the RAW file ``file_id`` developed by RAW developer ``version`` is cached."""
    return Path(settings.DATA_DIR) / "developed" / _shard(file_id) / f"{file_id}-v{version}.jpg"


def thumbnail_path(photo_id: int, size: str, version: int) -> Path:
    """Where thumbnail ``size`` (a name of :data:`SIZE_BY_NAME`) of photo ``photo_id`` made by
    thumbnailer ``version`` lives. An unknown size is a :class:`KeyError`."""
    ext = _EXTENSIONS[SIZE_BY_NAME[size].format]
    return thumbnails_root() / _shard(photo_id) / f"{photo_id}-{size}-v{version}{ext}"


def thumbnail_content_type(size: str) -> str:
    """The media type of thumbnail ``size``."""
    return _CONTENT_TYPES[SIZE_BY_NAME[size].format]


def write_atomically_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Have ``write`` fill a temporary file beside ``path`` (it gets the open binary file), then
    rename it over ``path``. Until the rename, ``path`` is absent or as it was; if ``write`` (or
    anything after it) fails, the temporary file is removed.

    Nothing is forced to disk (no fsync): these files are derived and can be made again, and a
    flush per file would cost several times the write itself on every photo."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX, suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees a partial file."""
    write_atomically_with(path, lambda handle: handle.write(data))


def photo_derived_delete(photo_ids: Iterable[int]) -> None:
    """Delete the thumbnails and previews of ``photo_ids`` (every size and version). Never
    raises for a file that cannot be deleted: it is logged and left."""
    for photo_id in photo_ids:
        folder = thumbnails_root() / _shard(photo_id)
        for path in folder.glob(f"{photo_id}-*"):
            try:
                path.unlink()
            except OSError as exc:  # gone already, or not ours to delete: nothing to undo
                logger.warning("could not delete %s: %s", path, exc)


def file_derived_delete(file_ids: Iterable[int]) -> None:
    """Delete the developed images of the RAW files ``file_ids`` (every version). Never raises
    for a file that cannot be deleted: it is logged and left."""
    for file_id in file_ids:
        folder = Path(settings.DATA_DIR) / "developed" / _shard(file_id)
        for path in folder.glob(f"{file_id}-v*.jpg"):
            try:
                path.unlink()
            except OSError as exc:
                logger.warning("could not delete %s: %s", path, exc)
