"""CLIP's byte-level BPE tokenizer, read from a Hugging Face ``tokenizer.json``.

The same steps as OpenAI's and open_clip's tokenizer: clean the whitespace, lower-case, split
into words, letters and punctuation, map each byte to a printable character, merge pairs by
rank (the last character of a word carries ``</w>``), then frame with ``<|startoftext|>`` and
``<|endoftext|>`` and pad to the context length. Pure Python (``re``, no ``regex`` and no
``tokenizers`` package): a query is a few words, tokenized once.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Final

START: Final = "<|startoftext|>"
END: Final = "<|endoftext|>"
SUFFIX: Final = "</w>"

# CLIP's pattern with \p{L} and \p{N} spelled for ``re``: letters are word characters that are
# neither digits nor "_"; anything else that is not a space is punctuation.
_WORDS: Final = re.compile(
    r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|(?:[^\s\w]|_)+",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map of the 256 byte values to printable characters."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return dict(zip(printable, map(chr, chars), strict=True))


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(html.unescape(text))).strip().lower()


class ClipTokenizer:
    """Token ids for a text, as CLIP's text model expects them."""

    def __init__(
        self,
        vocab: dict[str, int],
        merges: list[tuple[str, str]],
        *,
        context_length: int = 77,
        pad_id: int = 0,
    ) -> None:
        self.vocab = vocab
        self.ranks = {pair: rank for rank, pair in enumerate(merges)}
        self.context_length = context_length
        self.pad_id = pad_id
        self.start_id = vocab[START]
        self.end_id = vocab[END]
        self._cache: dict[str, list[str]] = {}

    @classmethod
    def from_files(
        cls, tokenizer_json: Path, *, context_length: int = 77, pad_token: str | None = None
    ) -> ClipTokenizer:
        """Read ``tokenizer.json`` (the vocabulary, merges and added special tokens)."""
        data = json.loads(tokenizer_json.read_text(encoding="utf-8"))
        model = data["model"]
        vocab: dict[str, int] = {str(k): int(v) for k, v in model["vocab"].items()}
        for added in data.get("added_tokens", []):
            vocab.setdefault(str(added["content"]), int(added["id"]))
        merges: list[tuple[str, str]] = []
        for merge in model["merges"]:
            first, second = merge.split(" ", 1) if isinstance(merge, str) else merge
            merges.append((str(first), str(second)))
        pad_id = vocab.get(pad_token, 0) if pad_token else 0
        return cls(vocab, merges, context_length=context_length, pad_id=pad_id)

    def bpe(self, word: str) -> list[str]:
        """The BPE pieces of one word (already mapped to byte characters)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        parts = [*word[:-1], word[-1] + SUFFIX]
        while len(parts) > 1:
            pairs = [(self.ranks.get(p, -1), i) for i, p in enumerate(itertools.pairwise(parts))]
            ranked = [(rank, i) for rank, i in pairs if rank >= 0]
            if not ranked:
                break
            best = parts[min(ranked)[1]], parts[min(ranked)[1] + 1]
            merged: list[str] = []
            i = 0
            while i < len(parts):
                if i + 1 < len(parts) and (parts[i], parts[i + 1]) == best:
                    merged.append(parts[i] + parts[i + 1])
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        if len(self._cache) < 10_000:
            self._cache[word] = parts
        return parts

    def ids(self, text: str) -> list[int]:
        """The text's token ids without the start and end tokens."""
        encoder = bytes_to_unicode()
        out: list[int] = []
        for word in _WORDS.findall(clean(text)):
            if word in (START, END):
                out.append(self.vocab[word])
                continue
            chars = "".join(encoder[b] for b in word.encode("utf-8"))
            out.extend(self.vocab[p] for p in self.bpe(chars) if p in self.vocab)
        return out

    def encode(self, text: str) -> list[int]:
        """``context_length`` ids: start, the text's (cut to fit), end, then padding."""
        body = self.ids(text)[: self.context_length - 2]
        tokens = [self.start_id, *body, self.end_id]
        return tokens + [self.pad_id] * (self.context_length - len(tokens))
