"""Build the WordNet index free-text search expands words with (run once; the output is shipped).

    apt-get install wordnet-base
    python scripts/build_wordnet_index.py [/usr/share/wordnet]

Reads WordNet 3.0's noun database (``data.noun``, ``noun.exc``) and writes
``src/photonix/library/browse/assets/wordnet-nouns.json.gz``: every noun synset with its lemmas
(folded as search folds names: lower case, no accents, underscores as spaces), its broader synsets
(hypernyms and instance hypernyms) and what it is part of / has as parts (part holonyms and
meronyms) — only the senses a photo can show (``ABSTRACT`` lists the lexicographer files left
out); narrower synsets are the broader ones inverted, worked out when the file is loaded.
Also the irregular plurals ("mice" → "mouse"). Photonix reads only the output, never the system
package. Synsets keep WordNet's order (by offset), so the ImageNet classes (``n`` + offset)
can be found by binary search in ``offsets``.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from photonix.library.browse.words import split  # noqa: E402

OUT = ROOT / "src" / "photonix" / "library" / "browse" / "assets" / "wordnet-nouns.json.gz"
BROADER = {"@", "@i"}
# Lexicographer files of things no photo shows: attributes, cognition, communication, feelings,
# motives, possessions, processes, quantities, relations, states. Their senses are left out, so
# "kitty" is a cat and not a gambling pot, and "mountain" not "a large amount" ("pot").
ABSTRACT = {7, 9, 10, 12, 16, 21, 22, 23, 24, 26}
WHOLE = {"#p"}
PARTS = {"%p"}


def phrase(lemma: str) -> str:
    # "Felis_catus" → "felis catus"; adjective markers like "(a)" never occur in nouns
    return " ".join(split(lemma.replace("_", " ")))


def main() -> None:
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    rows: list[tuple[int, list[str], list[int], list[int], list[int]]] = []
    for line in (source / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue  # the licence header
        fields = line.split(" | ")[0].split()
        offset, count = int(fields[0]), int(fields[3], 16)
        if int(fields[1]) in ABSTRACT:
            continue
        lemmas = [phrase(fields[4 + 2 * i]) for i in range(count)]
        at = 4 + 2 * count
        pointers = int(fields[at])
        broader, whole, parts = [], [], []
        for i in range(pointers):
            symbol, target, pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
            if pos != "n":
                continue
            if symbol in BROADER:
                broader.append(int(target))
            elif symbol in WHOLE:
                whole.append(int(target))
            elif symbol in PARTS:
                parts.append(int(target))
        rows.append((offset, list(dict.fromkeys(x for x in lemmas if x)), broader, whole, parts))
    index = {offset: i for i, (offset, *_rest) in enumerate(rows)}
    # pointers to the senses left out are dropped
    rows = [
        (offset, lemmas, *[[x for x in group if x in index] for group in groups])
        for offset, lemmas, *groups in rows
    ]
    names = sorted({lemma for row in rows for lemma in row[1]})
    name_ids = {name: i for i, name in enumerate(names)}
    exceptions: dict[str, str] = {}
    for line in (source / "noun.exc").read_text(encoding="latin-1").splitlines():
        plural, *bases = (phrase(x) for x in line.split())
        if bases and plural not in exceptions:
            exceptions[plural] = bases[0]
    data = {
        "source": "WordNet 3.0 (Princeton University), nouns; see LICENSE.wordnet",
        "offsets": [row[0] for row in rows],
        "lemmas": names,
        "synsets": [
            [
                [name_ids[x] for x in row[1]],
                [index[x] for x in row[2]],
                [index[x] for x in row[3]],
                [index[x] for x in row[4]],
            ]
            for row in rows
        ],
        "plurals": exceptions,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    # mtime 0: the same input gives the same bytes
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(  # noqa: T201 - a command-line script
        f"{OUT.relative_to(ROOT)}: {len(rows)} synsets, {len(names)} lemmas, "
        f"{len(exceptions)} irregular plurals, {OUT.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
