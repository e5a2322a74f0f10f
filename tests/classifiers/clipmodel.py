"""A tiny CLIP-shaped model in Immich's ONNX layout, built here with ``onnx``'s helpers.

The visual model is the mean colour of the normalised image (a 3-d vector); the textual model
sums an embedding table over the token ids, where the tokens of "red", "green" and "blue" point
along the red, green and blue axes and every other token is zero. So a red photo is near "red",
and far from "blue", through the real preprocessing, tokenizer, sessions and index.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from photonix.classifiers.clip_tokenizer import END, START, SUFFIX, bytes_to_unicode

MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
CONTEXT = 77
SIZE = 32  # small images: the model only averages them
COLOURS = {"red": 0, "green": 1, "blue": 2}
# Merge ranks chosen so that each word ends as one token ("g r" before "r e": "green" is not cut
# at "re").
MERGES = [
    ("g", "r"),
    ("gr", "e"),
    ("gre", "e"),
    ("gree", "n" + SUFFIX),
    ("r", "e"),
    ("re", "d" + SUFFIX),
    ("b", "l"),
    ("bl", "u"),
    ("blu", "e" + SUFFIX),
]


def vocabulary() -> dict[str, int]:
    chars = list(bytes_to_unicode().values())
    tokens = chars + [c + SUFFIX for c in chars] + [a + b for a, b in MERGES]
    vocab = {token: i for i, token in enumerate(dict.fromkeys(tokens))}
    vocab[START] = len(vocab)
    vocab[END] = len(vocab)
    return vocab


def _save(model: onnx.ModelProto, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def visual_model() -> onnx.ModelProto:
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 3, SIZE, SIZE])
    out = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 3])
    mean = helper.make_node("ReduceMean", ["image"], ["embedding"], axes=[2, 3], keepdims=0)
    graph = helper.make_graph([mean], "visual", [image], [out])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def textual_model(vocab: dict[str, int]) -> onnx.ModelProto:
    table = np.zeros((len(vocab), 3), dtype=np.float32)
    for word, axis in COLOURS.items():
        table[vocab[word + SUFFIX], axis] = 1.0
    text = helper.make_tensor_value_info("text", TensorProto.INT32, [1, CONTEXT])
    out = helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, 3])
    nodes = [
        helper.make_node("Gather", ["table", "text"], ["vectors"], axis=0),
        helper.make_node("ReduceSum", ["vectors", "axes"], ["embedding"], keepdims=0),
    ]
    initial = [
        numpy_helper.from_array(table, "table"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
    ]
    graph = helper.make_graph(nodes, "textual", [text], [out], initializer=initial)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def build(folder: Path) -> None:
    """Write the model's files into ``folder`` (Immich's layout)."""
    vocab = vocabulary()
    _save(visual_model(), folder / "visual/model.onnx")
    _save(textual_model(vocab), folder / "textual/model.onnx")
    (folder / "config.json").write_text(
        json.dumps({"embed_dim": 3, "text_cfg": {"context_length": CONTEXT}})
    )
    (folder / "visual/preprocess_cfg.json").write_text(
        json.dumps({"size": [SIZE, SIZE], "mode": "RGB", "mean": MEAN, "std": STD})
    )
    tokenizer = {
        "model": {
            "type": "BPE",
            "vocab": vocab,
            "merges": [f"{a} {b}" for a, b in MERGES],
            "end_of_word_suffix": SUFFIX,
        },
        "added_tokens": [
            {"id": vocab[START], "content": START, "special": True},
            {"id": vocab[END], "content": END, "special": True},
        ],
    }
    (folder / "textual/tokenizer.json").write_text(json.dumps(tokenizer))
    (folder / "textual/tokenizer_config.json").write_text(json.dumps({"pad_token": END}))


FILES = (
    "config.json",
    "visual/model.onnx",
    "visual/preprocess_cfg.json",
    "textual/model.onnx",
    "textual/tokenizer.json",
    "textual/tokenizer_config.json",
)


def manifest(folder: Path, url: str = "", name: str = "tiny-clip", **extra: Any) -> dict[str, Any]:
    """A manifest pinning the size and sha256 of each file in ``folder``."""
    return {
        "name": name,
        "version": 1,
        "licence": "MIT",
        "url": url,
        "min_similarity": 0.3,
        "files": {
            path: {
                "size": (folder / path).stat().st_size,
                "sha256": hashlib.sha256((folder / path).read_bytes()).hexdigest(),
            }
            for path in FILES
        },
        **extra,
    }


class RangeServer:
    """A static file server on 127.0.0.1 that honours ``Range: bytes=N-`` (206)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, str]] = []
        handler = partial(self._Handler, directory=str(root))
        handler.func.log = self.requests  # type: ignore[attr-defined]
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    class _Handler(http.server.SimpleHTTPRequestHandler):
        log: list[tuple[str, str]]

        def do_GET(self) -> None:
            wanted = self.headers.get("Range", "")
            self.log.append((self.path, wanted))
            path = Path(self.translate_path(self.path))
            if not wanted or not path.is_file():
                super().do_GET()
                return
            start = int(wanted.removeprefix("bytes=").rstrip("-"))
            body = path.read_bytes()[start:]
            self.send_response(206)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Range", f"bytes {start}-{start + len(body) - 1}/*")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


@contextmanager
def serving(root: Path) -> Iterator[RangeServer]:
    server = RangeServer(root)
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
