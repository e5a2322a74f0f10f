from __future__ import annotations

from pathlib import Path, PurePath

import pytest

from photonix.media.formats import (
    PHOTO_EXTENSIONS,
    RAW_EXTENSIONS,
    FileKind,
    check_content,
    kind_for_path,
    sniff,
    sniff_bytes,
)

from .conftest import MANIFEST, PHOTOS


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("a.jpg", FileKind.PHOTO),
        ("A.JPEG", FileKind.PHOTO),
        ("x.heic", FileKind.PHOTO),
        ("x.HIF", FileKind.PHOTO),
        ("x.avif", FileKind.PHOTO),
        ("x.tiff", FileKind.PHOTO),
        ("x.gif", FileKind.PHOTO),
        ("x.webp", FileKind.PHOTO),
        ("x.png", FileKind.PHOTO),
        ("x.CR3", FileKind.RAW),
        ("x.nef", FileKind.RAW),
        ("x.dng", FileKind.RAW),
        ("x.ARW", FileKind.RAW),
        ("x.raf", FileKind.RAW),
        ("x.rw2", FileKind.RAW),
        ("x.iiq", FileKind.RAW),
        ("x.jpg.xmp", FileKind.SIDECAR),
        ("x.XMP", FileKind.SIDECAR),
        ("x.mp4", FileKind.VIDEO),
        ("x.MOV", FileKind.VIDEO),
        ("x.pdf", FileKind.IGNORED),
        ("x.docx", FileKind.IGNORED),
        (".DS_Store", FileKind.IGNORED),
        ("._IMG_0001.jpg", FileKind.IGNORED),
        ("Thumbs.db", FileKind.IGNORED),
        ("noextension", FileKind.IGNORED),
    ],
)
def test_kind_for_path(name: str, kind: FileKind) -> None:
    assert kind_for_path(PurePath("/photos/2020") / name) is kind


def test_ignored_folders_only_below_the_root() -> None:
    root = PurePath("/home/me/.local/photos")
    assert kind_for_path(root / "2020" / "a.jpg", root) is FileKind.PHOTO
    assert kind_for_path(root / "@eaDir" / "a.jpg", root) is FileKind.IGNORED
    assert kind_for_path(root / ".thumbnails" / "a.jpg", root) is FileKind.IGNORED
    assert kind_for_path(root / "#recycle" / "a.jpg", root) is FileKind.IGNORED


def test_every_libraw_family_is_raw() -> None:
    libraw = "dng cr2 cr3 crw nef nrw arw srf sr2 raf orf rw2 pef srw x3f 3fr erf kdc dcr mrw mos"
    for ext in [*libraw.split(" "), "raw", "rwl", "iiq"]:
        assert f".{ext}" in RAW_EXTENSIONS
    assert not set(PHOTO_EXTENSIONS) & RAW_EXTENSIONS


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"", "empty"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif", "jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
        (b"GIF89a\x01\x00", "gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
        (b"II*\x00\x08\x00\x00\x00", "tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "tiff"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heif"),
        (b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00mif1heix", "heif"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "heif"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "avif"),
        (b"\x00\x00\x00\x18ftypcrx \x00\x00\x00\x01crx isom", "cr3"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41", "video"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", "video"),
        (b"FUJIFILMCCD-RAW 0201", "raf"),
        (b"IIRO\x08\x00\x00\x00", "orf"),
        (b"IIU\x00\x18\x00\x00\x00", "rw2"),
        (b"%PDF-1.7\n", "pdf"),
        (b"PK\x03\x04\x14\x00", "zip"),
        (b"<!DOCTYPE html><html>", "html"),
        (b"<?xpacket begin=", "text"),
        (b"<?xml version='1.0'?>", "xml"),
        (b"hello, this is text\n", "text"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07", None),
    ],
)
def test_sniff_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_bytes(head) == expected


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("broken/jpeg_named.heic", "jpeg"),
        ("broken/jpeg_named.png", "jpeg"),
        ("broken/not_a_png.png", "png"),
        ("broken/zero_bytes.jpg", "empty"),
        ("heic/samplefilehub.heif", "heif"),
        ("faces-objects/classic_car.heic", "heif"),
        ("png-webp-tiff/olympus_mountains.avif", "avif"),
        ("png-webp-tiff/denali.webp", "webp"),
        ("png-webp-tiff/canon_6d_gps_16bit.tif", "tiff"),
        ("raw/canon_eos_6d.dng", "tiff"),
        ("broken/stub_canon_350d.cr2", "tiff"),
    ],
)
def test_sniff_fixture_files(file: str, expected: str) -> None:
    assert sniff(PHOTOS / file) == expected


def test_every_fixture_is_a_photo_or_raw_by_name() -> None:
    for entry in MANIFEST:
        assert kind_for_path(Path(entry["file"])) in (FileKind.PHOTO, FileKind.RAW), entry["file"]


def test_check_content() -> None:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
    assert check_content(PurePath("a.jpg"), jpeg).warning is None
    named_heic = check_content(PurePath("a.heic"), jpeg)
    assert named_heic.format == "jpeg"
    assert named_heic.error is None
    assert named_heic.warning is not None and "(JPEG)" in named_heic.warning
    assert check_content(PurePath("a.png"), b"just some notes\n").error == (
        "not an image (content is plain text)"
    )
    assert check_content(PurePath("a.jpg"), b"%PDF-1.4").error == (
        "not an image (content is a PDF document)"
    )
    assert check_content(PurePath("a.jpg"), b"").error == "empty file (0 bytes)"
    # TIFF-based RAWs and header-less RAWs are fine; a JPEG named .dng is not quietly accepted.
    assert check_content(PurePath("a.nef"), b"MM\x00*\x00\x00\x00\x08").warning is None
    assert check_content(PurePath("a.raw"), b"\x13\x37" * 16) == check_content(
        PurePath("a.raw"), b"\x13\x37" * 16
    )
    assert check_content(PurePath("a.raw"), b"\x13\x37\x00" * 16).error is None
    assert check_content(PurePath("a.dng"), jpeg).warning is not None
