"""Error analysis: list what the cleaner removed that the gold keeps (false cuts), and what it
kept that the gold lacks (missed chrome), for one input set of the quality benchmark.

    python benchmarks/diagnose.py trafilatura --cuts        # lines wrongly removed
    python benchmarks/diagnose.py html_text --kept          # chrome lines left in
    python benchmarks/diagnose.py gold --cuts --part tune
"""

from __future__ import annotations

import argparse
import re
from collections import Counter

from newsclean import Cleaner
from newsclean.bench import INPUT_SETS, find_bench, half, load_gold, load_json

_W = re.compile(r"\w+")


def norm(s: str) -> str:
    return " ".join(_W.findall(s)).casefold()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("set")
    ap.add_argument("--cuts", action="store_true")
    ap.add_argument("--kept", action="store_true")
    ap.add_argument("--part", default="all")
    ap.add_argument("--limit", type=int, default=400)
    args = ap.parse_args()
    bench = find_bench()
    gold = load_gold(bench)
    texts = gold if args.set == "gold" else load_json(bench / dict((a, b) for a, b, _ in INPUT_SETS)[args.set])
    cleaner = Cleaner(keep_title=False)
    by_rule: Counter = Counter()
    shown = 0
    for doc_id in sorted(gold):
        if args.part != "all" and half(doc_id) != args.part:
            continue
        g = norm(gold[doc_id])
        res = cleaner.analyze(texts.get(doc_id, ""))
        if args.cuts:
            for r in res.removed:
                n = norm(r.text)
                if len(n) > 15 and n in g:
                    by_rule[r.rule] += len(n)
                    if shown < args.limit:
                        print(f"{doc_id[:8]} {r.rule:28} {r.text[:150]!r}")
                        shown += 1
        if args.kept:
            for line in res.text.split("\n"):
                n = norm(line)
                if n and n not in g:
                    by_rule["kept"] += len(n)
                    if shown < args.limit:
                        print(f"{doc_id[:8]} KEPT {line[:150]!r}")
                        shown += 1
    print(by_rule.most_common())


if __name__ == "__main__":
    main()
