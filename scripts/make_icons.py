"""Render the installable app's icons (PNG) from the SVG mark, with the Chromium the UI tests use.

    .venv/bin/python scripts/make_icons.py

Writes ui/public/icons/: ``icon-192.png`` and ``icon-512.png`` (the mark with its rounded
corners, for Android's launcher and the browser), ``maskable-512.png`` (the mark's background to
the edges and the lens inside the safe circle, for launchers that cut their own shape) and
``apple-touch-icon.png`` (180 px, square and opaque: iOS rounds the corners itself).
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "ui" / "public" / "icons"
CHROMIUM = os.environ.get("PHOTONIX_E2E_CHROMIUM", "/usr/bin/chromium")

GRADIENT = (
    '<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">'
    '<stop offset="0" stop-color="#f59e0b"/><stop offset="1" stop-color="#db2777"/>'
    "</linearGradient></defs>"
)
LENS = (
    '<circle cx="16" cy="16" r="7" fill="none" stroke="#fff" stroke-width="3"/>'
    '<circle cx="16" cy="16" r="2" fill="#fff"/>'
)


def svg(corner: float, lens_scale: float) -> str:
    """The mark: a gradient square (corners of *corner*) and the lens scaled about the centre."""
    lens = f'<g transform="translate(16 16) scale({lens_scale}) translate(-16 -16)">{LENS}</g>'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'{GRADIENT}<rect width="32" height="32" rx="{corner}" fill="url(#g)"/>{lens}</svg>'
    )


# name: (size, corner radius in the 32-unit box, scale of the lens, transparent corners)
ICONS = {
    "icon-192.png": (192, 8, 1.0, True),
    "icon-512.png": (512, 8, 1.0, True),
    # The safe zone of a maskable icon is the centre circle of 80 % of its width.
    "maskable-512.png": (512, 0, 0.8, False),
    "apple-touch-icon.png": (180, 0, 0.9, False),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for name, (size, corner, scale, transparent) in ICONS.items():
                page = browser.new_page(viewport={"width": size, "height": size})
                page.set_content(
                    "<style>html,body{margin:0;background:transparent}"
                    "svg{display:block;width:100vw;height:100vh}</style>" + svg(corner, scale)
                )
                page.screenshot(path=str(OUT / name), omit_background=transparent)
                page.close()
                print(f"wrote {OUT / name}")  # noqa: T201 - a script's report
        finally:
            browser.close()


if __name__ == "__main__":
    main()
