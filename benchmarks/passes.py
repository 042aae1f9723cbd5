"""Time each pass of `Cleaner._run` over a benchmark set: where clean()'s time goes.

    python benchmarks/passes.py [--set trafilatura] [--rounds 5]

Each pass runs over all documents of the set in turn (the order of `Cleaner._run`), timed
with process time; the best of the rounds is printed in µs per document. Run it once per
checkout (PYTHONPATH=...) to compare two of them; keep the order below in step with _run.
"""

from __future__ import annotations

import argparse
import time

from newsclean import Cleaner
from newsclean.bench import find_bench, load_json
from newsclean.cleaner import Document, _State, detect

STEPS = ("document", "detect", "rules", "inline", "classify", "gallery", "main_block", "sections",
         "tail_rules", "head_tail", "inside", "assemble")


def one_round(cleaner: Cleaner, texts: list[str]) -> dict[str, float]:
    spent = dict.fromkeys(STEPS, 0.0)
    clock = time.process_time

    def timed(step, fn, items):
        t0 = clock()
        out = [fn(*item) for item in items]
        spent[step] += clock() - t0
        return out

    docs = timed("document", Document, [(t,) for t in texts])
    states = timed("detect", lambda d: (_State(d), detect([line.text for line in d.lines])), [(d,) for d in docs])
    sts = []
    for st, lang in states:
        st.lang = lang
        st.rules = cleaner._rules_for(lang) if lang in cleaner._langs else cleaner.ruleset
        sts.append(st)
    one = [(st,) for st in sts]
    timed("rules", cleaner._apply_rules, one)
    timed("inline", cleaner._inline, one)
    timed("classify", cleaner._classify, one)
    timed("gallery", cleaner._gallery_repeat, one)
    blocks = timed("main_block", cleaner._main_block, one)
    timed("sections", cleaner._sections, list(zip(sts, blocks)))
    timed("tail_rules", cleaner._tail_rules, one)
    blocks = timed("main_block", cleaner._main_block, one)  # as _run, when the tail rules cut
    timed("head_tail", cleaner._head_and_tail, list(zip(sts, blocks)))
    timed("inside", cleaner._inside, list(zip(sts, blocks)))
    timed("assemble", cleaner._assemble, one)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="trafilatura", help="a file of extracted/ (without .json)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = [t for t in load_json(find_bench() / "extracted" / f"{args.set}.json").values() if t]
    cleaner = Cleaner()
    for t in texts:
        cleaner.clean(t)  # rules compiled, caches warm
    best = dict.fromkeys(STEPS, float("inf"))
    for _ in range(args.rounds):
        for step, seconds in one_round(cleaner, texts).items():
            best[step] = min(best[step], seconds)
    for step in STEPS:
        print(f"{step:12s} {best[step] / len(texts) * 1e6:8.1f} µs/doc")
    print(f"{'total':12s} {sum(best.values()) / len(texts) * 1e6:8.1f} µs/doc")


if __name__ == "__main__":
    main()
