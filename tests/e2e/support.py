"""Shared types and steps for the end-to-end tests (conftest fixtures hand these to tests)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ADMIN = "admin"
PASSWORD = "a-long-Passphrase-42"


@dataclass(frozen=True)
class LiveServer:
    url: str
    data_dir: Path
    log_path: Path
    # The server's environment, so a test can run `photonix manage` against the same database.
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: Path | None = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def manage(self, *args: str, timeout: float = 60) -> str:
        """Run ``photonix manage ARGS`` with the server's settings; its output, or fail loudly."""
        result = subprocess.run(
            [sys.executable, "-m", "photonix", "manage", *args],
            env=dict(self.env),
            cwd=self.cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"`photonix manage {args[0]}` failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result.stdout


def path_is(path: str) -> re.Pattern[str]:
    return re.compile(rf"^https?://[^/]+{re.escape(path)}$")


def create_admin(page: Any, username: str = ADMIN, password: str = PASSWORD) -> None:
    """The first-run setup in the browser: creates the admin, skips the first library (the tests
    import theirs), and is then signed in at home."""
    from playwright.sync_api import expect

    page.goto("/setup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Confirm password").fill(password)
    page.get_by_role("button", name="Create admin account").click()
    expect(page).to_have_url(path_is("/welcome"))
    page.get_by_role("link", name="Skip for now").click()
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_test_id("current-user")).to_have_text(username)


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page: Any, name: str, tmp_path: Path) -> None:
    """A screenshot as a test artefact; with PHOTONIX_SCREENSHOTS=1 also the README's copy."""
    page.screenshot(path=str(tmp_path / f"{name}.png"))
    if os.environ.get("PHOTONIX_SCREENSHOTS") == "1":  # a test run never dirties the checkout
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
