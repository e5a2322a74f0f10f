"""Words related to a searched word, from WordNet 3.0's nouns (the same synsets ImageNet uses).

The data is ``assets/wordnet-nouns.json.gz``, built once by ``scripts/build_wordnet_index.py``;
nothing is read from the system. It is loaded on the first search of a process (about a second,
some tens of MB) and kept.

What a word expands to, strongest first (``RELATIONS``):

- **synonym**: the other lemmas of its synsets ("waterfall" → "falls"; "kitty" → "pussycat");
- **narrower**: the synsets under them, a few levels down ("waterfall" → "cascade";
  "cat" → "tabby");
- **broader**: the synsets above them, two levels up ("kitty" → "domestic cat" → "cat");
- **related**: for a synset with nothing under it, its siblings ("kitty" → "tabby", "Egyptian
  cat": the other kinds of house cat); what they are part of, and its kinds ("beach" is part of
  a "shore", whose kinds are "seashore" and "lakeshore"); and their parts.

Plurals are read as the singular first ("dogs" → "dog", "mice" → "mouse").

Pure code: no Django.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

DATA: Final = Path(__file__).parent / "assets" / "wordnet-nouns.json.gz"
RELATIONS: Final = ("synonym", "narrower", "broader", "related")
# Suffix rules of WordNet's own lemmatiser (morphy) for nouns.
_SUFFIXES: Final = (
    ("ses", "s"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
    ("s", ""),
)
#: How far down narrower synsets are followed, and how many are taken at most.
NARROWER_DEPTH: Final = 4
NARROWER_MAX: Final = 300
BROADER_DEPTH: Final = 2
#: Phrases a word expands to at most (each is looked up in the search index).
EXPANSION_MAX: Final = 400


@dataclass(frozen=True)
class Related:
    phrase: str
    relation: str  # one of RELATIONS


class WordNet:
    def __init__(self, data: dict[str, object]) -> None:
        self.lemmas: list[str] = data["lemmas"]  # type: ignore[assignment]
        synsets: list[list[list[int]]] = data["synsets"]  # type: ignore[assignment]
        self.plurals: dict[str, str] = data["plurals"]  # type: ignore[assignment]
        self.synset_lemmas = [s[0] for s in synsets]
        self.broader = [s[1] for s in synsets]
        self.whole = [s[2] for s in synsets]
        self.parts = [s[3] for s in synsets]
        self.narrower: list[list[int]] = [[] for _ in synsets]
        for i, above in enumerate(self.broader):
            for j in above:
                self.narrower[j].append(i)
        self.by_lemma: dict[str, list[int]] = {}
        for i, lemma_ids in enumerate(self.synset_lemmas):
            for lemma_id in lemma_ids:
                self.by_lemma.setdefault(self.lemmas[lemma_id], []).append(i)

    def knows(self, phrase: str) -> bool:
        return phrase in self.by_lemma

    def singulars(self, phrase: str) -> list[str]:
        """The singular lemmas ``phrase`` may be a plural of ("dogs" → ["dog"])."""
        found: list[str] = []
        if phrase in self.plurals:
            found.append(self.plurals[phrase])
        for suffix, ending in _SUFFIXES:
            if phrase.endswith(suffix) and len(phrase) > len(suffix) + 1:
                base = phrase[: -len(suffix)] + ending
                if base in self.by_lemma and base not in found:
                    found.append(base)
        return [x for x in found if x != phrase]

    def _names(self, synsets: list[int]) -> list[str]:
        return [self.lemmas[i] for s in synsets for i in self.synset_lemmas[s]]

    def _walk(self, start: list[int], edges: list[list[int]], depth: int, most: int) -> list[int]:
        seen = set(start)
        order: list[int] = []
        level = list(start)
        for _ in range(depth):
            following: list[int] = []
            for s in level:
                for t in edges[s]:
                    if t not in seen and len(order) < most:
                        seen.add(t)
                        order.append(t)
                        following.append(t)
            level = following
        return order

    def expand(self, phrase: str) -> list[Related]:
        """What ``phrase`` (folded words joined by spaces) stands for besides itself, best first."""
        own = [phrase, *self.singulars(phrase)]
        synsets = list(dict.fromkeys(s for p in own for s in self.by_lemma.get(p, [])))
        if not synsets:
            return []
        whole = list(dict.fromkeys(w for s in synsets for w in self.whole[s]))
        # A synset with nothing under it ("kitty", an informal word for a house cat) stands
        # for its kinds' siblings too: the other house cats ("tabby", "Egyptian cat").
        siblings = [
            t
            for s in synsets
            if not self.narrower[s]
            for b in self.broader[s]
            for t in self.narrower[b][:NARROWER_MAX]
        ]
        groups = (
            ("synonym", synsets),
            ("narrower", self._walk(synsets, self.narrower, NARROWER_DEPTH, NARROWER_MAX)),
            ("broader", self._walk(synsets, self.broader, BROADER_DEPTH, NARROWER_MAX)),
            (
                "related",
                siblings
                + whole
                + self._walk(whole, self.narrower, 1, NARROWER_MAX)
                + [p for s in synsets for p in self.parts[s]],
            ),
        )
        found: dict[str, str] = dict.fromkeys(own, "")
        for relation, group in groups:
            for name in self._names(group):
                if name not in found:
                    found[name] = relation
        out = [Related(p, r) for p, r in found.items() if r]
        return out[:EXPANSION_MAX]


@cache
def wordnet() -> WordNet:
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        return WordNet(json.load(f))
