"""What a file is: by its name (cheap, for scanners) and by its first bytes (the truth).

:func:`kind_for_path` looks only at the name, so a scanner can classify 100,000 paths without
opening them. :func:`sniff` reads the first bytes and names the real format, so a JPEG saved as
``.heic`` is read as a JPEG (with a warning) and a text file called ``.png`` fails with a clear
reason (see :func:`check_content`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Final


class FileKind(enum.Enum):
    """How the importer treats a file."""

    PHOTO = "photo"  #: a still image Pillow (+ pillow-heif) decodes
    RAW = "raw"  #: a camera RAW file LibRaw (rawpy) develops
    SIDECAR = "sidecar"  #: XMP metadata that belongs to a photo next to it, never a photo itself
    VIDEO = "video"  #: recorded as unsupported for now
    IGNORED = "ignored"  #: skipped quietly: documents, system files, thumbnail folders...


#: Extensions of the still-image formats we decode, mapped to the sniffed formats they may hold.
PHOTO_EXTENSIONS: Final[dict[str, frozenset[str]]] = {
    ".jpg": frozenset({"jpeg"}),
    ".jpeg": frozenset({"jpeg"}),
    ".jpe": frozenset({"jpeg"}),
    ".jfif": frozenset({"jpeg"}),
    ".png": frozenset({"png"}),
    ".webp": frozenset({"webp"}),
    ".tif": frozenset({"tiff"}),
    ".tiff": frozenset({"tiff"}),
    ".gif": frozenset({"gif"}),
    # HEIF containers: ".hif" is what Sony/Canon/Fujifilm cameras write.
    ".heic": frozenset({"heif"}),
    ".heif": frozenset({"heif"}),
    ".hif": frozenset({"heif"}),
    ".avif": frozenset({"avif", "heif"}),
}

#: Camera RAW extensions LibRaw reads (its list of supported cameras and containers).
RAW_EXTENSIONS: Final[frozenset[str]] = frozenset(
    {
        ".3fr", ".ari", ".arw", ".bay", ".cap", ".cr2", ".cr3", ".crw", ".cs1", ".dcr",
        ".dcs", ".dng", ".drf", ".eip", ".erf", ".fff", ".gpr", ".iiq", ".k25", ".kdc",
        ".mdc", ".mef", ".mos", ".mrw", ".nef", ".nrw", ".obm", ".orf", ".ori", ".pef",
        ".ptx", ".pxn", ".qtk", ".raf", ".raw", ".rdc", ".rw2", ".rwl", ".rwz", ".sr2",
        ".srf", ".srw", ".sti", ".x3f",
    }
)  # fmt: skip

#: Sniffed formats a RAW file may legitimately have (most RAWs are TIFF underneath).
RAW_CONTENT: Final[frozenset[str]] = frozenset(
    {"tiff", "cr3", "crw", "raf", "orf", "rw2", "mrw", "x3f", "iiq"}
)

SIDECAR_EXTENSIONS: Final[frozenset[str]] = frozenset({".xmp"})

VIDEO_EXTENSIONS: Final[frozenset[str]] = frozenset(
    {
        ".mp4", ".m4v", ".mov", ".qt", ".avi", ".mkv", ".webm", ".mts", ".m2ts", ".m2t",
        ".3gp", ".3g2", ".wmv", ".mpg", ".mpeg", ".flv", ".ogv", ".insv", ".lrv",
    }
)  # fmt: skip

#: Folder names whose contents are never photos: NAS thumbnail caches, recycle bins, snapshots.
IGNORED_DIRS: Final[frozenset[str]] = frozenset(
    {
        "@eadir",
        "#recycle",
        "@recycle",
        "#snapshot",
        "$recycle.bin",
        "lost+found",
        ".thumbnails",
        ".trash",
        "system volume information",
    }
)

#: Formats :func:`sniff` can name that are images we decode (as opposed to documents etc.).
IMAGE_FORMATS: Final[frozenset[str]] = frozenset(
    {"jpeg", "png", "gif", "webp", "tiff", "heif", "avif", *RAW_CONTENT}
)

#: Human names for the non-image contents :func:`sniff` recognises, used in error messages.
NON_IMAGE_FORMATS: Final[dict[str, str]] = {
    "pdf": "a PDF document",
    "zip": "a ZIP archive (or an office document)",
    "html": "an HTML page",
    "xml": "XML text",
    "text": "plain text",
    "video": "a video",
    "bmp": "a BMP image (not supported)",
    "ole": "an old Microsoft Office document",
}

_SNIFF_BYTES: Final = 64


def kind_for_path(path: PurePath, root: PurePath | None = None) -> FileKind:
    """Classify *path* by its name only (no I/O).

    Dotfiles (``.DS_Store``, AppleDouble ``._IMG_1.jpg``), ``Thumbs.db`` and anything inside a
    dot-folder or a NAS cache/recycle folder are IGNORED. Folders are only checked below *root*
    when it is given, so a library that itself lives under ``~/.local`` still works.
    """
    name = path.name
    if not name or name.startswith(".") or name.lower() in {"thumbs.db", "desktop.ini"}:
        return FileKind.IGNORED
    if root is not None:
        try:
            parts = path.relative_to(root).parts[:-1]
        except ValueError:
            parts = ()
        for part in parts:
            if part.startswith(".") or part.lower() in IGNORED_DIRS:
                return FileKind.IGNORED
    suffix = path.suffix.lower()
    if suffix in PHOTO_EXTENSIONS:
        return FileKind.PHOTO
    if suffix in RAW_EXTENSIONS:
        return FileKind.RAW
    if suffix in SIDECAR_EXTENSIONS:
        return FileKind.SIDECAR
    if suffix in VIDEO_EXTENSIONS:
        return FileKind.VIDEO
    return FileKind.IGNORED


# ISO-BMFF brands (the "ftyp" box): which ones mean a HEIF still image, AVIF, CR3 or a video.
_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"mif2", b"MiHE"}
)
_AVIF_BRANDS: Final = frozenset({b"avif", b"avis"})
_VIDEO_BRANDS: Final = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"qt  ",
        b"M4V ",
        b"3gp4",
        b"3gp5",
        b"3gp6",
        b"3g2a",
        b"avc1",
        b"dash",
        b"XAVC",
        b"MSNV",
    }
)


def sniff_bytes(head: bytes) -> str | None:
    """Name the format of a file from its first bytes (at least 32), or None if unknown.

    Image answers: ``jpeg png gif webp tiff heif avif`` and the RAW families that have their own
    signature (``cr3 crw raf orf rw2 mrw x3f iiq``); TIFF-based RAWs (DNG, NEF, ARW, CR2, PEF...)
    are ``tiff``. Non-image answers (keys of :data:`NON_IMAGE_FORMATS`) name what the file is
    instead, for the error message. ``"empty"`` for no bytes.
    """
    if not head:
        return "empty"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"RIFF") and head[8:12] in (b"AVI ", b"AVIX"):
        return "video"
    raw = _sniff_raw(head)
    if raw is not None:
        return raw
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[4:8] == b"ftyp":
        return _sniff_ftyp(head)
    if head[4:8] in (b"moov", b"mdat", b"wide", b"free") or head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video"  # QuickTime without ftyp, Matroska/WebM
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"BM"):
        return "bmp"
    return _sniff_text(head)


def _sniff_raw(head: bytes) -> str | None:
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return "raf"
    if head[:4] in (b"IIRO", b"IIRS", b"MMOR"):
        return "orf"
    if head.startswith(b"IIU\x00"):
        return "rw2"
    if head.startswith(b"II\x1a\x00\x00\x00HEAPCCDR"):
        return "crw"
    if head.startswith(b"\x00MRM"):
        return "mrw"
    if head.startswith(b"FOVb"):
        return "x3f"
    if head.startswith(b"IIII\x04\x00\x00\x00"):
        return "iiq"
    if head[4:12] == b"ftypcrx ":
        return "cr3"
    return None


def _sniff_ftyp(head: bytes) -> str:
    box_size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    # Compatible brands follow the minor version; only the ones inside what we read count.
    end = min(max(box_size, 16), len(head))
    brands = {major} | {head[i : i + 4] for i in range(16, end - 3, 4)}
    if major in _AVIF_BRANDS:
        return "avif"
    if major in _HEIF_BRANDS:
        return "heif"
    if brands & _AVIF_BRANDS and not brands & _VIDEO_BRANDS:
        return "avif"
    if brands & _HEIF_BRANDS and not brands & _VIDEO_BRANDS:
        return "heif"
    return "video"


def _sniff_text(head: bytes) -> str | None:
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    if stripped.startswith((b"<?xml", b"<x:xmpmeta", b"<rdf:")):
        return "xml"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the sample.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    if text and all(ch.isprintable() or ch in "\t\r\n" for ch in text):
        return "text"
    return None


def sniff(path: Path) -> str | None:
    """Name the real format of the file at *path* from its first bytes (see :func:`sniff_bytes`).

    Raises OSError when the file cannot be read.
    """
    with path.open("rb") as fh:
        return sniff_bytes(fh.read(_SNIFF_BYTES))


@dataclass(frozen=True)
class ContentCheck:
    """Outcome of comparing a file's name with its content."""

    format: str | None  #: what :func:`sniff` found (None: no known signature)
    warning: str | None = None  #: the name lies but the content is a usable image
    error: str | None = None  #: the file cannot be a photo; the reason, for the user


def check_content(path: PurePath, head: bytes) -> ContentCheck:
    """Compare the extension of *path* with the format its first bytes show.

    - content matches the name, or the content is unknown (header-less RAW, exotic TIFF
      variants: the decoder decides) → no message;
    - content is another image format → a warning, and the caller reads it as what it is;
    - content is empty or clearly not an image → an error ``"not an image (content is …)"``.
    """
    found = sniff_bytes(head)
    suffix = path.suffix.lower()
    if found == "empty":
        return ContentCheck(found, error="empty file (0 bytes)")
    if found is None:
        return ContentCheck(None)
    if found not in IMAGE_FORMATS:
        if found == "video" and suffix in VIDEO_EXTENSIONS:
            return ContentCheck(found)
        what = NON_IMAGE_FORMATS.get(found, found)
        return ContentCheck(found, error=f"not an image (content is {what})")
    expected = PHOTO_EXTENSIONS.get(suffix)
    if expected is None:
        expected = RAW_CONTENT if suffix in RAW_EXTENSIONS else frozenset()
    if found in expected:
        return ContentCheck(found)
    return ContentCheck(
        found,
        warning=f"file extension {path.suffix or '(none)'} does not match its content "
        f"({found.upper()}); read as {found.upper()}",
    )
