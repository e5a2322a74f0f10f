"""The date a photo was taken, read cheaply from its EXIF block alone (no exiftool).

For filing an uploaded file into ``<YYYY>/<MM>`` the moment it arrives: Pillow reads only the
file's header, which costs a few milliseconds. Recording reads every date source with exiftool
later; this is the quick answer for where the file goes, and ``None`` sends the caller to its
fallback (the file's own time).
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

from PIL import Image

from photonix.media.metadata.dates import parse_date

_EXIF_IFD = 0x8769
_DATE_TIME_ORIGINAL = 36867
_DATE_TIME_DIGITIZED = 36868
_DATE_TIME = 306


def quick_taken_date(path: Path) -> dt.datetime | None:
    """The EXIF date taken of the image at ``path`` (wall-clock, naive), or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                exif = image.getexif()
                sub = exif.get_ifd(_EXIF_IFD)
                candidates = (
                    sub.get(_DATE_TIME_ORIGINAL),
                    sub.get(_DATE_TIME_DIGITIZED),
                    exif.get(_DATE_TIME),
                )
    except Exception:  # noqa: BLE001 - any unreadable header means "no date here"
        return None
    for value in candidates:
        parsed = parse_date(value)
        if parsed is not None and 1800 <= parsed.year <= 2200:
            return parsed.replace(tzinfo=None)
    return None
