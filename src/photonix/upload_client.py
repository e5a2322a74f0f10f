"""``photonix upload``: send photos from this computer to a Photonix server, over HTTP only.

What it does, in order: find the photos under the paths given (recursively, skipping what a
scan skips: hidden files, NAS caches, sidecars, documents), hash each (SHA-256), ask the
server which of those it already has (``POST /api/libraries/<id>/upload/check``), and send the
others resumably (tus: ``/api/uploads/tus``), in chunks each with its own checksum. A chunk
that fails (the connection broke, the server restarted) is retried with exponential backoff,
from the offset the server says it has (``HEAD``); an upload cut off by stopping the command
resumes where it stopped the next time (its URL is kept in ``~/.cache/photonix/uploads.json``).
With ``--album`` the photos, once the server has recorded them, are added to that album
(created if need be). The summary counts what was sent, what the server already had, and what
failed with the reason; the exit status is 1 when anything failed.

No Django here: this runs on any computer with the ``photonix`` package installed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import requests
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from photonix.media.formats import FileKind, kind_for_path

TUS_VERSION = "1.0.0"
CHUNK = 8 * 1024 * 1024
CHECK_BATCH = 1000
HASH_BLOCK = 1 << 20
#: Statuses worth trying again: the server is busy, restarting or briefly unreachable.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
STATE_FILE = Path(
    os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "photonix", "uploads.json"
)


class UploadFailedError(Exception):
    """One file could not be sent; the message says why (the run goes on with the others)."""


class FatalError(Exception):
    """The run cannot go on at all (wrong server, token or library)."""


@dataclass
class Outcome:
    sent: list[Path] = field(default_factory=list)
    sent_bytes: int = 0
    duplicates: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)
    #: The photo ids (or file ids, until recorded) of what was sent or already there, by hash.
    files: dict[str, int] = field(default_factory=dict)


@dataclass
class Retry:
    """Exponential backoff with jitter: ``base * 2**attempt`` seconds, at most ``ceiling``."""

    attempts: int = 6
    base: float = 0.5
    ceiling: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    def pause(self, attempt: int) -> None:
        delay = min(self.ceiling, self.base * 2**attempt)
        self.sleep(delay * (0.5 + random.random() / 2))  # noqa: S311 - jitter, not a secret


class Client:
    """The server's HTTP API, authenticated with an API token."""

    def __init__(self, server: str, token: str, retry: Retry, timeout: float = 60.0) -> None:
        self.base = server.rstrip("/")
        self.retry = retry
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.session.headers["User-Agent"] = "photonix-upload"

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One request, tried again on connection errors and busy answers."""
        if url.startswith("/"):
            url = self.base + url
        kwargs.setdefault("timeout", self.timeout)
        last: str = ""
        for attempt in range(self.retry.attempts):
            try:
                response = self.session.request(method, url, **kwargs)
            except requests.RequestException as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                last = f"HTTP {response.status_code}: {_reason(response)}"
            if attempt + 1 < self.retry.attempts:
                self.retry.pause(attempt)
        raise UploadFailedError(
            f"{method} {url}: gave up after {self.retry.attempts} tries ({last})"
        )

    def json(self, method: str, url: str, **kwargs: Any) -> Any:
        response = self.request(method, url, **kwargs)
        if response.status_code == 401:
            raise FatalError(f"the server refused the token: {_reason(response)}")
        if not response.ok:
            raise UploadFailedError(
                f"{method} {url}: HTTP {response.status_code}: {_reason(response)}"
            )
        return response.json()


def _reason(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason
    if isinstance(body, dict):
        if "detail" in body:
            return str(body["detail"])
        return "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in body.items())
    return str(body)[:200]


# --- What to send -----------------------------------------------------------------------------


def find_photos(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The photo and RAW files under ``paths`` (files named directly are taken as they are),
    and the paths that could not be read."""
    found: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for start in paths:
        if start.is_file():
            found.append(start)
            continue
        if not start.is_dir():
            problems.append((start, "no such file or folder"))
            continue

        def unreadable(exc: OSError, start: Path = start) -> None:
            problems.append((Path(exc.filename or start), exc.strerror or str(exc)))

        for folder, dirs, files in os.walk(start, onerror=unreadable):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder, name)
                if kind_for_path(path, start) in (FileKind.PHOTO, FileKind.RAW):
                    found.append(path)
    return found, problems


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


# --- Resumable state --------------------------------------------------------------------------


class State:
    """Upload URLs of files sent part way, so a later run resumes them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.urls: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.urls = {}

    def save(self) -> None:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.urls), encoding="utf-8")
            tmp.replace(self.path)


# --- Sending ----------------------------------------------------------------------------------


def _meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def send_file(
    client: Client,
    library: int,
    path: Path,
    sha256: str,
    state: State,
    advance: Callable[[int], None],
) -> tuple[bool, int]:
    """Send one file with tus; ``(duplicate, file id)``. Resumes a URL kept in ``state``."""
    size = path.stat().st_size
    key = f"{client.base}|{library}|{sha256}"
    tus = {"Tus-Resumable": TUS_VERSION}
    url = state.urls.get(key)
    offset = 0
    if url is not None:
        head = client.request("HEAD", url, headers=tus)
        if head.status_code == 200 and head.headers.get("Photonix-File-Id"):
            advance(size)
            return head.headers.get("Photonix-Upload-Status") == "duplicate", int(
                head.headers["Photonix-File-Id"]
            )
        if head.status_code == 200:
            offset = int(head.headers.get("Upload-Offset", "0"))
        else:
            url = None
    if url is None:
        created = client.request(
            "POST",
            "/api/uploads/tus",
            headers={
                **tus,
                "Upload-Length": str(size),
                "Upload-Metadata": _meta(
                    filename=path.name,
                    library=str(library),
                    checksum=f"sha256 {sha256}",
                    modified=str(path.stat().st_mtime),
                ),
            },
        )
        if created.status_code != 201:
            raise UploadFailedError(f"HTTP {created.status_code}: {_reason(created)}")
        url = created.headers["Location"]
        state.urls[key] = url
        state.save()
    advance(offset)
    with path.open("rb") as handle:
        attempt = 0
        while True:
            handle.seek(offset)
            chunk = handle.read(CHUNK)
            checksum = base64.b64encode(hashlib.sha256(chunk).digest()).decode()
            try:
                response = client.request(
                    "PATCH",
                    url,
                    data=chunk,
                    headers={
                        **tus,
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                        "Upload-Checksum": f"sha256 {checksum}",
                    },
                )
            except UploadFailedError:
                response = None
            if response is not None and response.status_code == 204:
                new_offset = int(response.headers["Upload-Offset"])
                advance(new_offset - offset)
                offset, attempt = new_offset, 0
                if offset >= size:
                    state.urls.pop(key, None)
                    state.save()
                    status = response.headers.get("Photonix-Upload-Status")
                    return status == "duplicate", int(response.headers["Photonix-File-Id"])
                continue
            if response is not None and response.status_code not in (409, 460):
                # Refused for good (not an image, a wrong checksum of the whole file, quota):
                # the server has already forgotten this upload.
                state.urls.pop(key, None)
                state.save()
                raise UploadFailedError(f"HTTP {response.status_code}: {_reason(response)}")
            # Cut off, a chunk damaged on the way, or out of step: ask where the server is.
            attempt += 1
            if attempt >= client.retry.attempts:
                raise UploadFailedError(
                    "the server kept losing the connection; run again to resume"
                )
            client.retry.pause(attempt)
            head = client.request("HEAD", url, headers=tus)
            if head.status_code != 200:
                state.urls.pop(key, None)
                state.save()
                raise UploadFailedError(
                    f"the upload is gone on the server (HTTP {head.status_code})"
                )
            new_offset = int(head.headers["Upload-Offset"])
            advance(new_offset - offset)
            offset = new_offset


def choose_library(client: Client, name: str | None) -> dict[str, Any]:
    libraries = client.json("GET", "/api/libraries")
    writable = [lib for lib in libraries if lib.get("role") in ("owner", "editor")]
    if name is not None:
        named = [lib for lib in libraries if str(lib["name"]).casefold() == name.casefold()]
        if not named:
            names = ", ".join(repr(lib["name"]) for lib in libraries) or "none"
            raise FatalError(f"no library named {name!r} (yours: {names})")
        if named[0] not in writable:
            raise FatalError(f"you may not upload to {named[0]['name']!r} (you are a viewer)")
        return dict(named[0])
    if len(writable) == 1:
        return dict(writable[0])
    if not writable:
        raise FatalError("you may upload to no library (ask an owner to make you an editor)")
    names = ", ".join(repr(lib["name"]) for lib in writable)
    raise FatalError(f"several libraries: choose one with --library ({names})")


def add_to_album(
    client: Client, library: int, album_name: str, hashes: list[str], wait: float
) -> str:
    """Add the photos of these hashes to the album (created if need be), once recorded."""
    deadline = time.monotonic() + wait
    photos: dict[str, int] = {}
    while True:
        for start in range(0, len(hashes), CHECK_BATCH):
            known = client.json(
                "POST",
                f"/api/libraries/{library}/upload/check",
                json={"checksums": hashes[start : start + CHECK_BATCH]},
            )["known"]
            photos.update({h: v["photo"] for h, v in known.items() if v["photo"] is not None})
        if len(photos) >= len(hashes) or time.monotonic() > deadline:
            break
        time.sleep(1.0)  # the server records in the background; ask again shortly
    albums = client.json("GET", "/api/albums", params={"library": library, "q": album_name})
    album = next((a for a in albums if str(a["name"]).casefold() == album_name.casefold()), None)
    if album is None:
        album = client.json("POST", "/api/albums", json={"library": library, "name": album_name})
    ids = sorted(set(photos.values()))
    for start in range(0, len(ids), 1000):
        client.json(
            "POST", f"/api/albums/{album['id']}/photos", json={"ids": ids[start : start + 1000]}
        )
    missing = len(hashes) - len(photos)
    note = f" ({missing} not recorded yet, not added)" if missing else ""
    return f"album {album['name']!r}: {len(ids)} photos added{note}"


def run(
    paths: Sequence[Path],
    *,
    server: str,
    token: str,
    library_name: str | None,
    album: str | None,
    album_wait: float = 300.0,
    out: TextIO | None = None,
    retry: Retry | None = None,
    state_file: Path = STATE_FILE,
) -> int:
    """The whole command; its exit status."""
    console = Console(file=out, highlight=False, soft_wrap=True)
    client = Client(server, token, retry or Retry())
    try:
        library = choose_library(client, library_name)
    except (FatalError, UploadFailedError) as exc:
        console.print(f"photonix upload: {exc}")
        return 2
    files, problems = find_photos(paths)
    outcome = Outcome(failed=list(problems))
    console.print(f"{len(files)} photos found; uploading to library {library['name']!r}")
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
    )
    hashes: dict[Path, str] = {}
    with progress:
        total = sum(_size(p) for p in files)
        hashing = progress.add_task("hashing", total=total)
        for path in files:
            try:
                hashes[path] = sha256_of(path)
            except OSError as exc:
                outcome.failed.append((path, f"cannot read it: {exc.strerror or exc}"))
            progress.advance(hashing, _size(path))
        progress.remove_task(hashing)
        known: set[str] = set()
        unique = sorted(set(hashes.values()))
        try:
            for start in range(0, len(unique), CHECK_BATCH):
                answer = client.json(
                    "POST",
                    f"/api/libraries/{library['id']}/upload/check",
                    json={"checksums": unique[start : start + CHECK_BATCH]},
                )
                known.update(answer["known"])
        except (FatalError, UploadFailedError) as exc:
            console.print(f"photonix upload: {exc}")
            return 2
        to_send = []
        seen: set[str] = set()
        for path, digest in hashes.items():
            if digest in known or digest in seen:
                outcome.duplicates.append(path)
            else:
                seen.add(digest)
                to_send.append(path)
        state = State(state_file)
        sending = progress.add_task("uploading", total=sum(_size(p) for p in to_send))
        for path in to_send:
            progress.update(sending, description=_short(path))
            try:
                duplicate, _file_id = send_file(
                    client,
                    library["id"],
                    path,
                    hashes[path],
                    state,
                    lambda n: progress.advance(sending, n),
                )
            except (UploadFailedError, OSError) as exc:
                outcome.failed.append((path, str(exc)))
                continue
            except FatalError as exc:
                console.print(f"photonix upload: {exc}")
                return 2
            if duplicate:
                outcome.duplicates.append(path)
            else:
                outcome.sent.append(path)
                outcome.sent_bytes += _size(path)
    _summary(console, outcome)
    if album:
        sent_hashes = sorted({hashes[p] for p in [*outcome.sent, *outcome.duplicates]})
        try:
            console.print(add_to_album(client, library["id"], album, sent_hashes, album_wait))
        except (FatalError, UploadFailedError) as exc:
            console.print(f"album {album!r}: {exc}")
            return 1
    return 1 if outcome.failed else 0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _short(path: Path) -> str:
    name = path.name
    return name if len(name) <= 30 else name[:27] + "..."


def _summary(console: Console, outcome: Outcome) -> None:
    mib = outcome.sent_bytes / (1024 * 1024)
    console.print(
        f"sent: {len(outcome.sent)} ({mib:.1f} MiB)   "
        f"skipped as duplicates: {len(outcome.duplicates)}   failed: {len(outcome.failed)}"
    )
    for path, reason in outcome.failed:
        console.print(f"  failed: {path}: {reason}", markup=False)
