"""The face plug-in is registered without importing dlib, onnxruntime or OpenCV."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("dlib", "onnxruntime", "cv2", "retinaface", "face_recognition_models")


def test_registering_the_face_recognizer_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from photonix.classifiers import registry\n"
        "face = registry.get('faces')\n"
        "assert face.queue == 'faces', face\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r}])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
