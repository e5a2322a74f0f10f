"""Words of names and of free text, folded so that spelling details do not matter.

Pure code (no Django): the search index, its backfill and the benchmark all split names the same
way. A word is a run of letters or digits; it is case-folded and its accents are removed by a
Unicode NFKD decomposition ("Benátky" → "benatky", "Hyōgo" → "hyogo"), with the few Latin letters
NFKD does not decompose mapped by hand ("Łódź" → "lodz", "Ørsted" → "orsted").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters that are not a base letter with a mark, so NFKD leaves them alone.
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)
_SPLIT = re.compile(r"[\W_]+")
#: Longest word kept (longer runs are cut): words are index keys.
MAX_WORD = 40
#: Shortest word a typo is forgiven in, and how many letters may differ (one edit).
TYPO_MIN = 5


def fold(text: str) -> str:
    """Lower case without accents: what names and queries are compared as."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_LETTERS)


def split(text: str) -> list[str]:
    """The folded words of ``text`` in order (repeats kept); punctuation and emoji are dropped."""
    return [w[:MAX_WORD] for w in _SPLIT.split(fold(text)) if w]


def unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


def prefixes(word: str, shortest: int = 2) -> list[str]:
    """The proper prefixes of ``word`` a person may stop typing at ("sea", "seas" of "seashore")."""
    return [word[:n] for n in range(shortest, len(word))]


def deletions(word: str) -> list[str]:
    """``word`` with one letter left out, each way (the keys of one-edit typo matching).

    Two words are at most one edit apart (a letter left out, added, changed, or two neighbours
    swapped) only if they share a key here or one is a key of the other — so looking the keys up
    bounds the candidates, and ``one_edit`` confirms each.
    """
    return unique(word[:i] + word[i + 1 :] for i in range(len(word)))


def one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one letter left out, added, changed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
