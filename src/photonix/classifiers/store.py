"""The model store: where classifier weights come from, and the proof they are the right ones.

A model is described by a :class:`ModelSpec` — file name, URL, size and sha256. Models that ship
with Photonix (``bundled``) sit in ``classifiers/assets/`` and are present by definition; their
sha256 is checked the first time a process uses them, and a damaged one is refused. Others
are downloaded on first use into ``PHOTONIX_MODELS_DIR`` (``<data dir>/models``), with progress in
the log, written to a temporary file and renamed into place only once their sha256 matches. A
corrupt file (on disk, or as downloaded) is deleted and fetched once more; a second failure is a
clear :class:`ModelUnavailable`. With ``PHOTONIX_OFFLINE=true`` nothing is downloaded: only what is
present counts.

Pure code: no Django. Classifiers turn :class:`ModelUnavailable` into a permanent job failure.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Final

from photonix.core.errors import Category, PhotonixError

logger = logging.getLogger(__name__)

ASSETS: Final = Path(__file__).parent / "assets"
CHUNK: Final = 1 << 20
TIMEOUT_SECONDS: Final = 60


class ModelUnavailable(PhotonixError):  # noqa: N818 - reads better at the raise site
    """The model is not present and cannot be fetched (offline, unreachable, or corrupt twice)."""

    category = Category.UNAVAILABLE


@dataclass(frozen=True)
class ModelSpec:
    """One model file: where it comes from and how to know it is the right one."""

    name: str
    filename: str
    sha256: str
    size: int
    url: str = ""
    licence: str = ""
    description: str = ""
    bundled: bool = False


MODELS: Final[dict[str, ModelSpec]] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="efficientnet-lite0",
            filename="efficientnet_lite0.onnx",
            sha256="c8d449d1cdd342edb0b02308bc4be541393cee7275700a16216f0f0d812812f2",
            size=18614607,
            licence="Apache-2.0",
            description="ImageNet EfficientNet-Lite0 (1000 classes), exported by "
            "scripts/export_efficientnet_lite0.py",
            bundled=True,
        ),
        ModelSpec(
            name="ssd-mobilenet-v2-coco",
            filename="ssd_mobilenet_v2_coco.onnx",
            sha256="f539bf693a8cbb92b8c49248da35c4b197eb3d1ea5bfc6a875acd2a8b487612f",
            size=6277012,
            licence="Apache-2.0",
            description="COCO SSD-MobileNetV2 object detector (80 classes, boxes), converted by "
            "scripts/models/convert_coco_detector.sh",
            bundled=True,
        ),
        # Downloadable: OpenCV Zoo's face detector and face embedder, the stronger pair for real
        # libraries (no built-in classifier runs them yet). URLs are pinned to the commit whose
        # Git LFS pointer gives this sha256 and size, so the bytes cannot change under them.
        ModelSpec(
            name="face-detection-yunet",
            filename="face_detection_yunet_2023mar.onnx",
            sha256="8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4",
            size=232589,
            url="https://github.com/opencv/opencv_zoo/raw/"
            "82b38c8f98e7b52aa171400f3e4c722352d0669f/models/face_detection_yunet/"
            "face_detection_yunet_2023mar.onnx",
            licence="MIT",
            description="YuNet 2023mar face detector (boxes and 5 landmarks; OpenCV Zoo)",
        ),
        ModelSpec(
            name="face-recognition-sface",
            filename="face_recognition_sface_2021dec.onnx",
            sha256="0ba9fbfa01b5270c96627c4ef784da859931e02f04419c829e83484087c34e79",
            size=38696353,
            url="https://github.com/opencv/opencv_zoo/raw/"
            "edef535367a4f8053b5bfb7580935c83772a9639/models/face_recognition_sface/"
            "face_recognition_sface_2021dec.onnx",
            licence="Apache-2.0",
            description="SFace 2021dec face embeddings (128-d, MobileFaceNet; OpenCV Zoo)",
        ),
    )
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class ModelStore:
    """Finds, downloads and verifies model files under ``root``."""

    def __init__(self, root: Path, *, offline: bool = False, assets: Path = ASSETS) -> None:
        self.root = root
        self.offline = offline
        self.assets = assets
        self._lock = threading.Lock()
        self._verified: set[tuple[Path, int, int]] = set()

    def location(self, spec: ModelSpec) -> Path:
        return (self.assets if spec.bundled else self.root) / spec.filename

    def is_present(self, spec: ModelSpec) -> bool:
        return self.location(spec).is_file()

    def verify(self, spec: ModelSpec) -> bool:
        """Whether the file is present with the right size and sha256."""
        path = self.location(spec)
        if not spec.sha256:
            return False
        if not path.is_file() or path.stat().st_size != spec.size:
            return False
        return sha256_of(path) == spec.sha256

    def ensure(self, spec: ModelSpec) -> Path:
        """The path of a verified copy of ``spec``, downloading it if it is missing or corrupt."""
        path = self.location(spec)
        if spec.bundled:
            # Shipped in the package: present by definition, and checked once per process (and
            # again when the file changes), so a damaged installation says so instead of
            # tagging photos with a model that is not the recorded one.
            if not path.is_file():
                raise ModelUnavailable(
                    f"model {spec.name}: the bundled file {path} is missing from this "
                    "installation; reinstall Photonix"
                )
            self._check_bundled(spec, path)
            return path
        with self._lock:
            if path.is_file():
                if self.verify(spec):
                    return path
                logger.warning("model %s: %s is corrupt; deleting it", spec.name, path)
                path.unlink(missing_ok=True)
            if self.offline:
                raise ModelUnavailable(
                    f"model {spec.name} is not in {self.root} and PHOTONIX_OFFLINE is on; "
                    f"run 'photonix models download {spec.name}' where the network is reachable "
                    f"or copy {spec.filename} there"
                )
            if not spec.url:
                raise ModelUnavailable(f"model {spec.name} has no download URL")
            if not spec.sha256 or not spec.size:
                raise ModelUnavailable(
                    f"model {spec.name}: its manifest pins no size and sha256, so a download "
                    "could not be verified; pin them first"
                )
            problem = ""
            for attempt in (1, 2):
                try:
                    self._download(spec, path)
                except (urllib.error.URLError, OSError) as exc:
                    raise ModelUnavailable(
                        f"model {spec.name}: cannot download {spec.url}: {exc}"
                    ) from exc
                if self.verify(spec):
                    logger.info("model %s: downloaded and verified (%s)", spec.name, path)
                    return path
                problem = (
                    f"sha256 {sha256_of(path)} or size {path.stat().st_size} does not match "
                    f"{spec.sha256} / {spec.size}"
                )
                logger.warning(
                    "model %s: download %d is corrupt (%s); deleting it",
                    spec.name,
                    attempt,
                    problem,
                )
                path.unlink(missing_ok=True)
            raise ModelUnavailable(f"model {spec.name}: downloaded twice, corrupt twice: {problem}")

    def _check_bundled(self, spec: ModelSpec, path: Path) -> None:
        stat = path.stat()
        key = (path, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._verified:
                return
            digest = sha256_of(path) if stat.st_size == spec.size else ""
            if digest != spec.sha256:
                found = f"sha256 {digest}" if digest else f"size {stat.st_size}"
                raise ModelUnavailable(
                    f"model {spec.name}: the bundled file {path} is corrupt ({found}, expected "
                    f"sha256 {spec.sha256}, {spec.size} bytes); reinstall Photonix"
                )
            self._verified.add(key)

    def _download(self, spec: ModelSpec, target: Path) -> None:
        """Fetch ``spec`` into ``target``, resuming a partial download left by an earlier try.

        The bytes go to ``<target>.part``; a server that honours ``Range`` sends only the rest. A
        part already longer than the pinned size is started again. The part is renamed into
        place once complete (the caller verifies it).
        """
        if not spec.url.startswith(("http://", "https://")):
            raise ModelUnavailable(f"model {spec.name}: only http(s) URLs are fetched")
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        done = part.stat().st_size if part.is_file() else 0
        if spec.size and done > spec.size:
            part.unlink()
            done = 0
        request = urllib.request.Request(spec.url)  # noqa: S310 - scheme checked above
        if done:
            request.add_header("Range", f"bytes={done}-")
            logger.info("model %s: resuming %s at %d bytes", spec.name, spec.url, done)
        else:
            logger.info("model %s: downloading %s (%.1f MB)", spec.name, spec.url, spec.size / 1e6)
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            resumed = done and response.status == HTTPStatus.PARTIAL_CONTENT
            if not resumed:
                done = 0
            with part.open("ab" if resumed else "wb") as out:
                next_report = 0.1
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    if spec.size and done > spec.size:
                        break  # more than pinned: verification refuses it
                    if spec.size and done / spec.size >= next_report:
                        logger.info("model %s: %d%%", spec.name, min(100, 100 * done // spec.size))
                        next_report = (done / spec.size // 0.1 + 1) * 0.1
        part.replace(target)

    def status(self, specs: Iterable[ModelSpec]) -> list[tuple[ModelSpec, str]]:
        """Each model with ``bundled``, ``present`` or ``missing`` (no hashing: that is verify)."""
        rows = []
        for spec in specs:
            if spec.bundled:
                state = "bundled" if self.is_present(spec) else "missing"
            else:
                state = "present" if self.is_present(spec) else "missing"
            rows.append((spec, state))
        return rows


_store: ModelStore | None = None


def default_store() -> ModelStore:
    """The store of this installation (``PHOTONIX_MODELS_DIR``, ``PHOTONIX_OFFLINE``)."""
    global _store  # noqa: PLW0603 - one per process
    if _store is None:
        from photonix import conf

        config = conf.get()
        _store = ModelStore(config.models_dir, offline=config.offline)
    return _store


def model_path(name: str) -> Path:
    """A verified local path for the catalogue model ``name`` (downloaded on first use)."""
    try:
        spec = MODELS[name]
    except KeyError:
        raise ModelUnavailable(f"no model named {name!r} in the catalogue") from None
    return default_store().ensure(spec)


@dataclass(frozen=True)
class ModelPack:
    """A model made of several files that belong together (an image-text model in Immich's
    ONNX layout: ``visual/model.onnx``, ``textual/model.onnx``, the tokenizer, the
    preprocessing and the model's ``config.json``), each pinned by size and sha256.

    Described by a JSON manifest, the one place its pins live (``assets/clip-*.json``; another
    one with ``PHOTONIX_CLIP_MANIFEST``)::

        {"name": "ViT-B-32__openai", "licence": "MIT", "description": "...",
         "url": "https://host/{path}", "min_similarity": 0.2,
         "files": {"visual/model.onnx": {"size": 351000000, "sha256": "..."}, ...}}
    """

    pack: str
    name: str
    version: int
    files: tuple[ModelSpec, ...]
    min_similarity: float
    licence: str = ""
    description: str = ""

    @property
    def folder(self) -> str:
        return f"{self.pack}/{self.name}"

    def spec(self, path: str) -> ModelSpec:
        for spec in self.files:
            if spec.filename == f"{self.folder}/{path}":
                return spec
        raise ModelUnavailable(f"model {self.pack} ({self.name}) has no file {path}")


def load_pack(pack: str, manifest: Path) -> ModelPack:
    """The :class:`ModelPack` a manifest describes; a bad manifest is a clear error.

    Read once per version of the file (every photo's canvas asks whether the model is there).
    """
    try:
        stamp = manifest.stat().st_mtime_ns
    except OSError as exc:
        raise ModelUnavailable(f"model {pack}: the manifest {manifest} is unusable: {exc}") from exc
    return _load_pack(pack, manifest, stamp)


@functools.lru_cache(maxsize=8)
def _load_pack(pack: str, manifest: Path, stamp: int) -> ModelPack:
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        name = str(data["name"])
        url = str(data.get("url", ""))
        files = []
        for path, pin in sorted(data["files"].items()):
            if ".." in Path(path).parts or path.startswith("/"):
                raise ValueError(f"file {path!r} leaves the model's folder")
            files.append(
                ModelSpec(
                    name=f"{pack}/{path}",
                    filename=f"{pack}/{name}/{path}",
                    sha256=str(pin.get("sha256") or ""),
                    size=int(pin.get("size") or 0),
                    url=url.format(path=path) if url else "",
                    licence=str(data.get("licence", "")),
                    description=f"{name}: {path}",
                )
            )
        return ModelPack(
            pack=pack,
            name=name,
            version=int(data.get("version", 1)),
            files=tuple(files),
            min_similarity=float(data.get("min_similarity", 0.0)),
            licence=str(data.get("licence", "")),
            description=str(data.get("description", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ModelUnavailable(f"model {pack}: the manifest {manifest} is unusable: {exc}") from exc


CLIP_MANIFEST: Final = ASSETS / "clip-ViT-B-32__openai.json"


def clip_pack() -> ModelPack:
    """The image-text model smart search uses (``PHOTONIX_CLIP_MANIFEST``, else the default)."""
    from photonix import conf

    return load_pack("clip", conf.get().clip_manifest or CLIP_MANIFEST)


def packs() -> dict[str, ModelPack]:
    """Every multi-file model of the catalogue, by name (``photonix models download clip``)."""
    return {"clip": clip_pack()}


def pack_present(store: ModelStore, pack: ModelPack) -> bool:
    """Whether every file of ``pack`` is on disk (no hashing: loading verifies)."""
    return all(store.is_present(spec) for spec in pack.files)


def pack_ensure(store: ModelStore, pack: ModelPack) -> Path:
    """Download what is missing of ``pack`` and verify every file; the pack's folder."""
    for spec in pack.files:
        store.ensure(spec)
    return store.root / pack.folder
