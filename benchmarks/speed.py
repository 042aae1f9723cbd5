"""Speed of clean() next to a C4-style line filter and a bare line split, interleaved.

    python benchmarks/speed.py                 # texts: trafilatura and html_text outputs
    python benchmarks/speed.py --html          # also clean_html against trafilatura.extract
    python benchmarks/speed.py --sizes         # also time and memory against input size (1 KB-50 MB)

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


# Two shapes of text for the size sweep: paragraphs of prose with chrome lines between them
# (lines of 41 characters on average, blank lines included), and a whole page's text
# (short lines of menus and teasers, 21 characters on average).
_PROSE = ("The council voted on Tuesday to approve the new budget after a long debate, "
          "and the mayor said the plan would take effect next month.\n\nAdvertisement\n\n")
_PAGE = ("Home\nWorld\nPolitics\nSign up for our newsletter\nCity approves new budget\n"
         "The council voted 7-2 on Tuesday.\nShare this article\nRead more: Bus fares to rise\n")


def sizes(max_kb: int = 50_000) -> list[str]:
    cleaner = Cleaner()
    rows = ["\n| text | input size | seconds | MB/s | peak extra memory / input |", "|---|---|---|---|---|"]
    for label, unit in (("prose, 41-char lines", _PROSE), ("page, 21-char lines", _PAGE)):
        cleaner.clean(unit * 20)  # rules compiled
        for kb in (1, 10, 100, 1_000, 10_000, 50_000):
            if kb > max_kb:
                break
            text = (unit * (kb * 1024 // len(unit) + 1))[: kb * 1024]
            gc.collect()
            tracemalloc.start()
            t0 = time.process_time()
            cleaner.clean(text)
            dt = time.process_time() - t0
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append(f"| {label} | {kb:,} KB | {dt:.3f} | {kb / 1024 / dt:.2f} | {peak / len(text):.1f}x |")
    return rows


def html_contest(bench, rounds: int) -> list[str]:
    """newsclean.clean_html against trafilatura.extract with its default options, on the
    benchmark's HTML pages, interleaved like the text contenders."""
    import trafilatura
    from newsclean import clean_html
    import gzip
    pages = [gzip.decompress(p.read_bytes()) for p in sorted((bench / "html").glob("*.html.gz"))]
    cleaner = Cleaner()
    contenders = {"newsclean.clean_html": lambda html: clean_html(html, cleaner=cleaner),
                  "trafilatura.extract": trafilatura.extract}
    for page in pages[:5]:
        for fn in contenders.values():
            fn(page)
    times = time_all(pages, contenders, rounds)
    peer = statistics.median(times["trafilatura.extract"])
    rows = [f"\nHTML pages: {len(pages)}", "", "| contender | pages/s | time vs trafilatura.extract |", "|---|---|---|"]
    for name, ts in times.items():
        m = statistics.median(ts)
        rows.append(f"| {name} | {len(pages) / m:,.1f} | {m / peer:.2f}x |")
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--sizes", action="store_true", help="also time and memory against input size")
    ap.add_argument("--max-kb", type=int, default=50_000, help="largest input of the size sweep")
    ap.add_argument("--html", action="store_true", help="also clean_html against trafilatura.extract")
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
    if args.html:
        out += html_contest(bench, max(1, args.rounds // 2))
    if args.sizes:
        out += sizes(args.max_kb)
    print("\n".join(out))


if __name__ == "__main__":
    main()
