"""What clean()'s design must spend on a document before any decision: the string work in C
that its passes cannot skip, timed on its own.

    python benchmarks/floor.py [--set trafilatura] [--rounds 7]

Each item runs over all documents of the set (best of the rounds, process time, µs a
document), on the same lines the cleaner sees: splitting the text into lines, every line's
clean form, case-folding the lines the whole-line rules look at, splitting them into words
and looking those up among the gate words, one search per group of gate strings, and
language detection. The difference between their sum and clean()'s time is the passes' own
Python work; `benchmarks/passes.py` splits clean()'s time by pass.
"""

from __future__ import annotations

import argparse
import time

from newsclean import Cleaner
from newsclean.bench import find_bench, load_json
from newsclean.document import Document, clean_form
from newsclean.language import detect
from newsclean.matcher import _GATE_SPLIT
from newsclean.rules import MAX_RULE_LINE


def _best(fn, items, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - t0)
    return best / len(items) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="trafilatura", help="a file of extracted/ (without .json)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    texts = [t for t in load_json(find_bench() / "extracted" / f"{args.set}.json").values() if t]
    cleaner = Cleaner()
    docs = []
    for t in texts:
        lines = [line.text for line in Document(t).lines]
        lang = detect(lines)
        rules = cleaner._rules_for(lang) if lang in cleaner._langs else cleaner.ruleset
        short = [clean_form(x) for x in lines if 0 < len(x) <= MAX_RULE_LINE]
        keys = [x.casefold() for x in short]
        docs.append((t, lines, short, keys, "\n".join(keys), rules._line))

    def words(d):
        lookup = d[5]._gate_words.intersection
        for text in _GATE_SPLIT.sub(" ", d[4]).split("\n"):
            lookup(text.split())

    def strings(d):  # every place where a gate string may be (see matcher._anchor_groups)
        joined = d[4]
        for anchor, _, _ in d[5]._gate_string_groups:
            if isinstance(anchor, str):
                pos = joined.find(anchor)
                while pos != -1:
                    pos = joined.find(anchor, pos + 1)
            else:
                for _ in anchor.finditer(joined):
                    pass

    items = [
        ("split into lines, trailing space cut", lambda d: [x.rstrip() for x in d[0].splitlines()]),
        ("clean forms (fold, Markdown, spaces)", lambda d: [clean_form(x) for x in d[1] if x]),
        ("case-fold lines of <= 400 characters", lambda d: [x.casefold() for x in d[2]]),
        ("gate words: split at punctuation, look up", words),
        ("gate strings: the places they may be", strings),
        ("language detection", lambda d: detect(d[1])),
    ]
    total = 0.0
    print(f"{args.set}: {len(texts)} documents\n")
    print("| work | µs/doc |\n|---|---|")
    for name, fn in items:
        spent = _best(fn, docs, args.rounds)
        total += spent
        print(f"| {name} | {spent:.1f} |")
    whole = _best(cleaner.clean, texts, args.rounds)
    print(f"| **sum of the above** | **{total:.1f}** |")
    print(f"| clean() | {whole:.1f} ({len(texts) / (whole * len(texts) / 1e6):,.0f} docs/s) |")
    print(f"\nAt 2,000 docs/s a document has 500 µs; the rest of clean() ({whole - total:.0f} µs) is the passes' "
          "own Python work.")


if __name__ == "__main__":
    main()
