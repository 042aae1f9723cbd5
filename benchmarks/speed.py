"""Speed of clean() next to a C4-style line filter and a bare line split, interleaved.

    python benchmarks/speed.py                 # trafilatura and html_text texts
    python benchmarks/speed.py --rounds 9 --sizes   # also time and memory against input size

Each round times every contender once on the whole corpus, in turn, so that load on the
machine hits all of them alike; times are CPU seconds of this process (other processes on
the machine do not count), and the table reports medians and the ratio to the C4 filter.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc

from newsclean import Cleaner
from newsclean.bench import find_bench, load_json

_BAD = ("javascript", "terms of use", "privacy policy", "cookie policy", "uses cookies",
        "use of cookies", "use cookies")


def c4_filter(text: str) -> str:
    """Exactly the peer of issue 8: C4's line heuristics."""
    kept = []
    for line in text.splitlines():
        s = line.strip()
        if not s.endswith((".", "?", "!", '"', "'", "”", "’")) or s.endswith("..."):
            continue
        if len(s.split()) < 3:
            continue
        low = s.lower()
        if any(b in low for b in _BAD):
            continue
        kept.append(s)
    return "\n".join(kept)


def floor(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines())


def time_all(texts: list[str], contenders: dict, rounds: int) -> dict[str, list[float]]:
    times = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            gc.collect()
            t0 = time.process_time()
            for t in texts:
                fn(t)
            times[name].append(time.process_time() - t0)
    return times


def report(label: str, texts: list[str], times: dict[str, list[float]]) -> list[str]:
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    peer = statistics.median(times["c4_filter"])
    rows = [f"\n{label}: {len(texts)} documents, {size:.2f} MB", "",
            "| contender | docs/s | MB/s | time vs C4 filter |", "|---|---|---|---|"]
    for name, ts in times.items():
        m = statistics.median(ts)
        rows.append(f"| {name} | {len(texts) / m:,.0f} | {size / m:.2f} | {m / peer:.2f}x |")
    return rows


def sizes() -> list[str]:
    cleaner = Cleaner()
    paragraph = ("The council voted on Tuesday to approve the new budget after a long debate, "
                 "and the mayor said the plan would take effect next month.\n\nAdvertisement\n\n")
    rows = ["\n| input size | seconds | MB/s | peak extra memory / input |", "|---|---|---|---|"]
    for kb in (1, 10, 100, 1_000, 10_000, 50_000):
        text = (paragraph * (kb * 1024 // len(paragraph) + 1))[: kb * 1024]
        tracemalloc.start()
        t0 = time.process_time()
        cleaner.clean(text)
        dt = time.process_time() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows.append(f"| {kb:,} KB | {dt:.3f} | {kb / 1024 / dt:.2f} | {peak / len(text):.1f}x |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--sizes", action="store_true", help="also time and memory against input size")
    args = ap.parse_args()
    bench = find_bench()
    if bench is None:
        raise SystemExit("benchmark folder not found: set NEWSCLEAN_BENCH")
    cleaner = Cleaner()
    contenders = {"newsclean.clean": cleaner.clean, "c4_filter": c4_filter, "floor (split+strip)": floor}
    out = []
    for name in ("trafilatura", "html_text"):
        texts = [t for t in load_json(bench / "extracted" / f"{name}.json").values() if t]
        for t in texts:
            cleaner.clean(t)  # warm up
        out += report(f"extracted/{name}.json", texts, time_all(texts, contenders, args.rounds))
    if args.sizes:
        out += sizes()
    print("\n".join(out))


if __name__ == "__main__":
    main()
