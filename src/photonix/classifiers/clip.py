"""Smart search's image-text model: CLIP in Immich's ONNX layout, and its classifier stage.

The model is a :class:`~photonix.classifiers.store.ModelPack` (``photonix models download
clip``): ``visual/model.onnx`` turns a preview into a vector, ``textual/model.onnx`` turns a
query's token ids (:mod:`photonix.classifiers.clip_tokenizer`) into a vector in the same space,
``visual/preprocess_cfg.json`` says how to size and normalise pixels, ``config.json`` gives the
text context length. The ``clip`` classifier stores one embedding per photo; it applies to no
photo until the model is on disk, so it costs nothing before smart search is turned on.

Imports numpy, Pillow and onnxruntime only when the model is first used.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from photonix.classifiers import store
from photonix.classifiers.clip_tokenizer import END, ClipTokenizer

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from PIL.Image import Image

    from photonix.library.models import Photo

TEXT_CACHE_SIZE: Final = 1024


@dataclass
class ClipModel:
    """A loaded image-text model: its two sessions, tokenizer and preprocessing."""

    pack: store.ModelPack
    folder: Path
    visual: Any
    textual: Any
    tokenizer: ClipTokenizer
    size: tuple[int, int]
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    _texts: OrderedDict[str, bytes] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def name(self) -> str:
        return self.pack.name

    @property
    def version(self) -> int:
        return self.pack.version

    @classmethod
    def load(cls, pack: store.ModelPack, model_store: store.ModelStore) -> ClipModel:
        """Verify (download when allowed) every file of ``pack`` and open its sessions."""
        from photonix.classifiers import runtime

        folder = store.pack_ensure(model_store, pack)
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            pre = json.loads((folder / "visual/preprocess_cfg.json").read_text(encoding="utf-8"))
            tokenizer_config_path = folder / "textual/tokenizer_config.json"
            tokenizer_config = (
                json.loads(tokenizer_config_path.read_text(encoding="utf-8"))
                if tokenizer_config_path.is_file()
                else {}
            )
            context = int(config.get("text_cfg", {}).get("context_length", 77))
            pad = tokenizer_config.get("pad_token", END)
            pad_token = pad.get("content") if isinstance(pad, dict) else pad
            tokenizer = ClipTokenizer.from_files(
                folder / "textual/tokenizer.json", context_length=context, pad_token=pad_token
            )
            size = pre.get("size", 224)
            width, height = (size, size) if isinstance(size, int) else (size[0], size[-1])
            mean = tuple(float(v) for v in pre["mean"])
            std = tuple(float(v) for v in pre["std"])
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise store.ModelUnavailable(f"model {pack.pack} ({pack.name}): {exc}") from exc
        return cls(
            pack=pack,
            folder=folder,
            visual=runtime.session(folder / "visual/model.onnx"),
            textual=runtime.session(folder / "textual/model.onnx"),
            tokenizer=tokenizer,
            size=(int(width), int(height)),
            mean=(mean[0], mean[1], mean[2]),
            std=(std[0], std[1], std[2]),
        )

    def pixels(self, image: Image) -> npt.NDArray[np.float32]:
        """Shortest side to the model's size (bicubic), centre crop, scale, normalise, NCHW."""
        import numpy as np
        from PIL import Image as PILImage

        width, height = self.size
        rgb = image.convert("RGB")
        scale = max(width / rgb.width, height / rgb.height)
        resized = rgb.resize(
            (max(width, round(rgb.width * scale)), max(height, round(rgb.height * scale))),
            PILImage.Resampling.BICUBIC,
        )
        left, top = (resized.width - width) // 2, (resized.height - height) // 2
        crop = resized.crop((left, top, left + width, top + height))
        scaled = np.asarray(crop, dtype=np.float32) / np.float32(255.0)
        mean, std = np.array(self.mean, np.float32), np.array(self.std, np.float32)
        normalised = (scaled - mean) / std
        return np.ascontiguousarray(normalised.transpose(2, 0, 1)[None, ...], dtype=np.float32)

    @staticmethod
    def _normalised(output: Any) -> bytes:
        import numpy as np

        vector = np.asarray(output, dtype=np.float32).reshape(-1)
        norm = float(np.linalg.norm(vector))
        if norm > 0:
            vector = vector / norm
        return bytes(vector.astype(np.float32).tobytes())

    def embed_image(self, image: Image) -> bytes:
        """The image's L2-normalised float32 vector."""
        feed = {self.visual.get_inputs()[0].name: self.pixels(image)}
        return self._normalised(self.visual.run(None, feed)[0])

    def embed_text(self, text: str) -> bytes:
        """The text's L2-normalised float32 vector; each distinct query is embedded once."""
        import numpy as np

        key = " ".join(text.lower().split())
        with self._lock:
            cached = self._texts.get(key)
            if cached is not None:
                self._texts.move_to_end(key)
                return cached
        model_input = self.textual.get_inputs()[0]
        dtype = np.int64 if "int64" in str(model_input.type) else np.int32
        ids = np.asarray([self.tokenizer.encode(key)], dtype=dtype)
        vector = self._normalised(self.textual.run(None, {model_input.name: ids})[0])
        with self._lock:
            self._texts[key] = vector
            while len(self._texts) > TEXT_CACHE_SIZE:
                self._texts.popitem(last=False)
        return vector


_loaded: dict[tuple[str, Path], ClipModel] = {}
_load_lock = threading.Lock()


def model_present() -> bool:
    """Whether every file of the configured model is on disk (cheap: no hashing)."""
    try:
        return store.pack_present(store.default_store(), store.clip_pack())
    except store.ModelUnavailable:
        return False


def current_model() -> ClipModel:
    """The process's loaded model (verified once per process); ``ModelUnavailable`` if absent."""
    pack = store.clip_pack()
    model_store = store.default_store()
    key = (pack.name, model_store.root)
    with _load_lock:
        model = _loaded.get(key)
        if model is None or model.pack != pack:
            model = ClipModel.load(pack, model_store)
            _loaded[key] = model
        return model


def forget() -> None:
    """Drop the loaded model (tests; a new manifest)."""
    from photonix.classifiers import runtime

    with _load_lock:
        _loaded.clear()
    runtime.clear()


class ClipClassifier:
    """Stores each photo's image embedding for smart search (no tags)."""

    name = "clip"
    version = 1

    def applies_to(self, photo_kind: str) -> bool:
        return model_present()

    def load(self) -> None:
        current_model()

    def predict(self, image: Image) -> list[Any]:
        return []

    def run(
        self, photo: Photo, image: Image, still_wanted: Callable[[], bool] = lambda: True
    ) -> int:
        # Storing touches the database: imported here, on a worker, so that registering the
        # built-ins stays free of Django models (the web process imports the registry early).
        from photonix.classifiers import vectors

        model = current_model()
        vector = model.embed_image(image)
        if not still_wanted():
            return -1
        vectors.photo_store_embedding(photo, model.name, model.version, vector)
        return 1
