"""One way to run an ONNX model: a session per model file and process, CUDA when it is there.

Imports onnxruntime and numpy only when a session is first made (from a classifier's ``load()``).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

logger = logging.getLogger(__name__)

_sessions: dict[Path, Any] = {}
_lock = threading.Lock()
PREFERRED_PROVIDERS = ("CUDAExecutionProvider", "CPUExecutionProvider")


def session(path: Path) -> Any:
    """The process's ``onnxruntime.InferenceSession`` for ``path`` (made once)."""
    with _lock:
        existing = _sessions.get(path)
        if existing is not None:
            return existing
        import onnxruntime as ort

        from photonix import conf

        options = ort.SessionOptions()
        threads = conf.get().ml_threads
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        available = set(ort.get_available_providers())
        providers = [p for p in PREFERRED_PROVIDERS if p in available] or ["CPUExecutionProvider"]
        made = ort.InferenceSession(str(path), sess_options=options, providers=providers)
        logger.info("loaded model %s on %s", path.name, ", ".join(made.get_providers()))
        _sessions[path] = made
        return made


def run(path: Path, batch: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Run the model's first input through it and return its first output."""
    model = session(path)
    name = model.get_inputs()[0].name
    outputs = model.run(None, {name: batch})
    result: npt.NDArray[np.float32] = outputs[0]
    return result


def run_all(path: Path, batch: npt.NDArray[Any]) -> list[npt.NDArray[Any]]:
    """Run the model's first input through it and return every output, in the model's order."""
    model = session(path)
    name = model.get_inputs()[0].name
    return list(model.run(None, {name: batch}))


def clear() -> None:
    """Forget every session (tests, or to free memory)."""
    with _lock:
        _sessions.clear()
