"""The camera and lens: tidy brand and model names, the lens name, the drive mode.

The rules are described in ``docs/metadata.md``, "Camera names".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from photonix.media.metadata.values import clean_text, first_value

__all__ = ["normalise_camera", "read_drive_mode", "read_lens"]


_MAKER_DRIVE_KEYS: Final = (
    "Composite:DriveMode",
    "Canon:ContinuousDrive",
    "Nikon:ShootingMode",
    "Sony:DriveMode",
    "Sony:ReleaseMode",
    "Olympus:DriveMode",
    "Pentax:DriveMode",
    "FujiFilm:DriveMode",
    "Panasonic:BurstMode",
    "Samsung:DriveMode",
)
_MAKE_NAMES: Final[dict[str, str]] = {
    "nikon": "Nikon",
    "canon": "Canon",
    "sony": "Sony",
    "olympus": "Olympus",
    "om digital solutions": "OM System",
    "pentax": "Pentax",
    "ricoh": "Ricoh",
    "fujifilm": "Fujifilm",
    "fuji photo film": "Fujifilm",
    "panasonic": "Panasonic",
    "leica": "Leica",
    "eastman kodak": "Kodak",
    "kodak": "Kodak",
    "konica minolta": "Konica Minolta",
    "minolta": "Minolta",
    "samsung": "Samsung",
    "casio": "Casio",
    "sigma": "Sigma",
    "hasselblad": "Hasselblad",
    "phase one": "Phase One",
    "motorola": "Motorola",
    "huawei": "Huawei",
    "xiaomi": "Xiaomi",
    "lge": "LG",
    "lg electronics": "LG",
    "google": "Google",
    "apple": "Apple",
    "hmd global": "HMD Global",
    "gopro": "GoPro",
    "dji": "DJI",
}
_CORPORATE_RE: Final = re.compile(
    r"(?:[\s,.]+(?:corporation|corp|co|ltd|limited|inc|company|imaging|optical|ag|gmbh))+\.?\s*$",
    re.IGNORECASE,
)


def normalise_camera(make: Any, model: Any) -> tuple[str | None, str | None]:
    """Tidy a camera's make and model (see docs/metadata.md, "Camera names").

    The make becomes the brand as people write it (``"NIKON CORPORATION"`` → ``"Nikon"``,
    ``"OLYMPUS IMAGING CORP."`` → ``"Olympus"``); the model loses a repeated brand
    (``"NIKON D70"`` → ``"D70"``, ``"Canon EOS 40D"`` → ``"EOS 40D"``) so ``make + " " + model``
    never says the brand twice.
    """
    make_text = clean_text(make)
    model_text = clean_text(model)
    brand: str | None = None
    if make_text:
        lowered = make_text.lower()
        for prefix, name in _MAKE_NAMES.items():
            if lowered == prefix or lowered.startswith((prefix + " ", prefix + ",")):
                brand = name
                break
        if brand is None:
            stripped = _CORPORATE_RE.sub("", make_text).strip(" ,.") or make_text
            # ALL-CAPS names are shouting, not acronyms, unless short (HTC, DJI, TCT).
            brand = stripped.title() if stripped.isupper() and len(stripped) > 3 else stripped
    if model_text and brand:
        words = {brand.lower(), brand.split()[0].lower()}
        if make_text:
            words.add(make_text.lower())
            words.add(make_text.split()[0].lower())
        for word in sorted(words, key=len, reverse=True):
            if model_text.lower().startswith(word + " ") and len(model_text) > len(word) + 1:
                model_text = model_text[len(word) + 1 :].strip()
                break
    return brand, model_text


def read_lens(raw: Mapping[str, Any]) -> str | None:
    """The lens as the camera named it; exiftool's lookup from the maker's lens code otherwise.

    The camera's text is exact; exiftool's ``LensID`` guesses between lenses that share a code
    (it calls a Canon "EF28-80mm f/3.5-5.6 USM" the "... USM IV"), so it is used only when the
    camera wrote no name (older Nikons), and never when it is "Unknown 7-21mm".
    """
    model = clean_text(first_value(raw, "ExifIFD:LensModel", "XMP-exifEX:LensModel"))
    if model:
        return model
    lens_id = clean_text(raw.get("Composite:LensID"))
    if lens_id and not lens_id.lower().startswith("unknown"):
        return lens_id
    # What an editor (Lightroom) wrote, then the focal range exiftool works out from the
    # camera's lens information ("7.1 - 21.3 mm").
    return clean_text(first_value(raw, "XMP-aux:Lens", "Composite:Lens")) or lens_id


def read_drive_mode(raw: Mapping[str, Any]) -> str | None:
    """The drive mode (single, continuous, bracketing…) from the maker notes."""
    return clean_text(first_value(raw, *_MAKER_DRIVE_KEYS))
