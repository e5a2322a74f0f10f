"""Reading photos' metadata: one exiftool round trip for a batch of files and their sidecars.

:func:`read_metadata` does the I/O: it checks each file's content, reads all files (and their XMP
sidecars) through one :class:`~photonix.media.exiftool.ExifTool` round trip and returns, per path,
either a :class:`Metadata` or a :class:`MetadataError` — one bad file never stops a batch. Each
dump is turned into :class:`Metadata` by the pure :func:`~photonix.media.metadata.parsing.parse`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from photonix.media.exiftool import ExifTool, ExifToolTimeout
from photonix.media.formats import FileKind, check_content, kind_for_path
from photonix.media.metadata.model import Metadata, MetadataError, MetadataResult
from photonix.media.metadata.parsing import parse
from photonix.media.metadata.values import clean_text

__all__ = ["find_sidecar", "read_metadata", "sidecar_refusal"]


_EXIFTOOL_FATAL_WARNINGS: Final = ("did not start with", "truncated", "corrupt", "not a valid")


def find_sidecar(path: Path) -> Path | None:
    """The XMP sidecar of *path*: ``photo.jpg.xmp`` (darktable) or ``photo.xmp`` (Lightroom)."""
    for candidate in (
        path.with_name(path.name + ".xmp"),
        path.with_name(path.name + ".XMP"),
        path.with_suffix(".xmp"),
        path.with_suffix(".XMP"),
    ):
        if candidate != path and candidate.is_file():
            return candidate
    return None


#: Tags in which a sidecar names the file it describes (Lightroom, darktable).
_SIDECAR_SUBJECT_KEYS: Final = ("XMP-crs:RawFileName", "XMP-xmpMM:DerivedFrom")


def sidecar_refusal(side: Mapping[str, Any], side_path: Path, path: Path) -> str | None:
    """Why the sidecar at *side_path* (read as *side*) is not used for *path*, or None.

    A sidecar that exiftool cannot read, that is not well-formed XMP, or that names another file
    as the one it describes (a ``photo.xmp`` of ``photo.CR2`` found beside ``photo.JPG``) is
    ignored: the file's own metadata is used, with this reason as a warning.
    """
    error = clean_text(side.get("ExifTool:Error"))
    if error:
        return f"sidecar {side_path.name} cannot be read ({error}); ignored"
    warning = clean_text(side.get("ExifTool:Warning")) or ""
    if "format error" in warning.lower():
        return f"sidecar {side_path.name} is not well-formed XMP ({warning}); ignored"
    for key in _SIDECAR_SUBJECT_KEYS:
        subject = clean_text(side.get(key))
        if subject:
            subject_name = subject.replace("\\", "/").rsplit("/", 1)[-1]
            if subject_name.casefold() != path.name.casefold():
                return f"sidecar {side_path.name} describes {subject_name}, not this file; ignored"
    return None


def _fatal(raw: Mapping[str, Any], kind: FileKind) -> str | None:
    """The reason a file cannot be a photo, from exiftool's verdict, or None."""
    error = clean_text(raw.get("ExifTool:Error"))
    if error:
        if kind is FileKind.RAW and "unsupported" in error.lower():
            return None  # header-less RAW: LibRaw knows it by its size, exiftool does not
        return f"cannot read metadata: {error}"
    warning = (clean_text(raw.get("ExifTool:Warning")) or "").lower()
    has_size = raw.get("Composite:ImageSize") not in (None, "")
    if (
        not has_size
        and kind is FileKind.PHOTO
        and any(w in warning for w in _EXIFTOOL_FATAL_WARNINGS)
    ):
        return f"damaged file: {raw.get('ExifTool:Warning')}"
    return None


def read_metadata(
    paths: Sequence[Path],
    exiftool: ExifTool,
    *,
    sidecars: bool = True,
    timeout: float | None = None,
) -> list[MetadataResult]:
    """Read the metadata of *paths* in one exiftool round trip; one result per path, same order.

    Each result is :class:`Metadata` (possibly with ``warnings``) or :class:`MetadataError`
    (missing, empty, not an image, unreadable). XMP sidecars next to the files are read too when
    *sidecars* is true. If exiftool times out on the batch, files are retried one by one so only
    the culprit fails.
    """
    results: list[MetadataResult | None] = [None] * len(paths)
    content_warnings: dict[int, str] = {}
    mtimes: dict[int, float] = {}
    to_read: list[int] = []
    for index, path in enumerate(paths):
        try:
            stat = path.stat()
            with path.open("rb") as fh:
                head = fh.read(64)
        except FileNotFoundError:
            results[index] = MetadataError(path, "file not found")
            continue
        except OSError as exc:
            results[index] = MetadataError(path, f"cannot open file: {exc.strerror or exc}")
            continue
        check = check_content(path, head)
        if check.error:
            results[index] = MetadataError(path, check.error)
            continue
        if check.warning:
            content_warnings[index] = check.warning
        mtimes[index] = stat.st_mtime
        to_read.append(index)

    sidecar_of: dict[int, Path] = {}
    if sidecars:
        for index in to_read:
            found = find_sidecar(paths[index])
            if found is not None:
                sidecar_of[index] = found
    batch = [paths[i] for i in to_read] + [sidecar_of[i] for i in to_read if i in sidecar_of]
    dumps = _read_batch(batch, exiftool, timeout)
    by_sidecar = dict(zip(batch[len(to_read) :], dumps[len(to_read) :], strict=True))

    for index, raw in zip(to_read, dumps, strict=False):
        path = paths[index]
        kind = kind_for_path(path)
        reason = _fatal(raw, kind)
        if reason:
            results[index] = MetadataError(path, reason)
            continue
        side_path = sidecar_of.get(index)
        side = by_sidecar.get(side_path) if side_path else None
        refused = None
        if side is not None and side_path is not None:
            refused = sidecar_refusal(side, side_path, path)
            if refused:
                side = None
        meta = parse(raw, path=path, mtime=mtimes[index], sidecar=side)
        if refused:
            meta = _with_warning(meta, refused)
        if meta.file_type in ("HEIC", "HEIF"):
            meta = _heif_size(meta)
        if index in content_warnings:
            meta = _with_warning(meta, content_warnings[index])
        results[index] = meta
    return [
        r if r is not None else MetadataError(p, "not read")
        for r, p in zip(results, paths, strict=True)
    ]


def _heif_size(meta: Metadata) -> Metadata:
    """The displayed size of a HEIC/HEIF from libheif, which decodes it, when exiftool differs.

    exiftool reports the ``ispe`` box, which a damaged or unusual file may set apart from the
    primary image libheif actually decodes (a truncated file: 64x64 declared, 16x16 decoded).
    libheif's size already has the container's rotation applied; EXIF orientation comes on top.
    """
    try:
        import pillow_heif  # only HEIF files need it

        width, height = pillow_heif.open_heif(meta.path, convert_hdr_to_8bit=False).size
    except Exception:  # noqa: BLE001 - decoding will report it; the metadata stays usable
        return meta
    if meta.orientation >= 5:
        width, height = height, width
    if (width, height) == (meta.width, meta.height):
        return meta
    return replace(
        meta,
        width=width,
        height=height,
        warnings=(
            *meta.warnings,
            f"the file declares {meta.width}x{meta.height} pixels; its image is {width}x{height}",
        ),
    )


def _with_warning(meta: Metadata, message: str) -> Metadata:
    return replace(meta, warnings=(message, *meta.warnings))


def _read_batch(
    paths: Sequence[Path], exiftool: ExifTool, timeout: float | None
) -> list[dict[str, Any]]:
    if not paths:
        return []
    try:
        return exiftool.read(paths, timeout=timeout)
    except ExifToolTimeout:
        if len(paths) == 1:
            return [{"SourceFile": str(paths[0]), "ExifTool:Error": "timed out reading metadata"}]
    # One file made exiftool hang: read one at a time so the others still succeed.
    out: list[dict[str, Any]] = []
    for path in paths:
        try:
            out.extend(exiftool.read([path], timeout=timeout))
        except ExifToolTimeout:
            out.append({"SourceFile": str(path), "ExifTool:Error": "timed out reading metadata"})
    return out
