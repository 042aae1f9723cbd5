"""clean() throughput of two checkouts side by side, interleaved, on the same texts.

    python benchmarks/ab.py OLD_CHECKOUT NEW_CHECKOUT [--runs 5] [--set trafilatura]

Each run starts one process per checkout in turn (PYTHONPATH set to it), which warms the
rules up and reports the best of a few timed passes over the texts; the medians over the
runs and their ratio are printed. Interleaving makes load on the machine hit both alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

_CHILD = """
import sys, time
from newsclean import Cleaner
from newsclean.bench import find_bench, load_json
texts = [t for t in load_json(find_bench() / "extracted" / (sys.argv[1] + ".json")).values() if t]
cleaner = Cleaner()
for t in texts:
    cleaner.clean(t)
best = min(_timed(cleaner, texts) for _ in range(4))
print(len(texts) / best)
"""
_TIMED = """
def _timed(cleaner, texts):
    t0 = time.process_time()
    for t in texts:
        cleaner.clean(t)
    return time.process_time() - t0
"""


def docs_per_second(checkout: str, name: str) -> float:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(checkout))
    code = "import time\n" + _TIMED + _CHILD
    # -P: with -c, Python would put the current directory first on sys.path, and a run from
    # inside one checkout would import that checkout for both sides.
    out = subprocess.run([sys.executable, "-P", "-c", code, name], env=env, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--set", default="trafilatura", help="a file of extracted/ without .json")
    args = ap.parse_args()
    old, new = [], []
    for _ in range(args.runs):
        old.append(docs_per_second(args.old, args.set))
        new.append(docs_per_second(args.new, args.set))
    a, b = statistics.median(old), statistics.median(new)
    print(f"{args.set}: old {a:,.0f} docs/s, new {b:,.0f} docs/s, new/old {b / a:.3f} (medians of {args.runs} runs)")
    # The best run of each is the one least disturbed by other work on the machine.
    print(f"best runs: old {max(old):,.0f}, new {max(new):,.0f}, new/old {max(new) / max(old):.3f}")


if __name__ == "__main__":
    main()
