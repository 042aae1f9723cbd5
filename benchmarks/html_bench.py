"""clean_html against trafilatura on the ScrapingHub pages: quality and speed, side by side.

    python benchmarks/html_bench.py               # print the tables
    python benchmarks/html_bench.py --write       # and record them in BENCHMARKS.md ("## HTML")

Quality: the benchmark's metric (newsclean.bench.score) over all 181 pages and over the tune
and check halves (newsclean.bench.half), for `trafilatura.extract(html)` with its default
options, for that output cleaned by `newsclean.clean` (keep_title=False), and for
`newsclean.clean_html(html, keep_title=False)` (the gold has no headlines). Every contender
gets the page's bytes as crawled.

Speed: interleaved rounds; each round times trafilatura and clean_html once over all pages, in
alternating order, in CPU seconds of this process (other processes on the machine do not
count); the table gives medians and pages per second.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import gzip
import platform
import statistics
import sys
import time
from pathlib import Path

import trafilatura

import newsclean
from newsclean.bench import find_bench, half, load_gold, score, write_benchmarks_md

def load_pages(bench: Path, ids: list[str]) -> dict[str, bytes]:
    return {i: gzip.decompress((bench / "html" / f"{i}.html.gz").read_bytes()) for i in ids}


def contenders(cleaner):
    return {"trafilatura": lambda html: trafilatura.extract(html) or "",
            "clean_html": lambda html: newsclean.clean_html(html, cleaner=cleaner)}


def quality(pages: dict[str, bytes], gold: dict[str, str], cleaner) -> list[tuple[str, dict]]:
    traf = {i: trafilatura.extract(h) or "" for i, h in pages.items()}
    outputs = [("trafilatura.extract (default options)", traf),
               ("trafilatura.extract, then newsclean.clean", {i: cleaner.clean(t) for i, t in traf.items()}),
               ("newsclean.clean_html", {i: newsclean.clean_html(h, cleaner=cleaner) for i, h in pages.items()})]
    rows = []
    for label, out in outputs:
        parts = {}
        for part in ("all", "tune", "check"):
            ids = [i for i in pages if part == "all" or half(i) == part]
            parts[part] = score([(out[i], gold[i]) for i in ids])
        rows.append((label, parts))
    return rows


def speed(pages: dict[str, bytes], cleaner, rounds: int) -> dict[str, list[float]]:
    fns = contenders(cleaner)
    htmls = list(pages.values())
    for fn in fns.values():  # warm up: imports, compiled rules, caches
        fn(htmls[0])
    times = {name: [] for name in fns}
    for r in range(rounds):
        order = list(fns) if r % 2 == 0 else list(reversed(fns))
        for name in order:
            gc.collect()
            t0 = time.process_time()
            for h in htmls:
                fns[name](h)
            times[name].append(time.process_time() - t0)
    return times


def tables(rows, times, n: int, rounds: int) -> str:
    out = ["| extractor | F1 | precision | recall | F1 tune half | F1 check half | difference |",
           "|---|---|---|---|---|---|---|"]
    for label, p in rows:
        a, t, c = p["all"], p["tune"], p["check"]
        out.append(f"| {label} | **{a.f1:.3f}** | {a.precision:.3f} | {a.recall:.3f} | {t.f1:.3f} | {c.f1:.3f} | "
                   f"{abs(t.f1 - c.f1):.3f} |")
    out += ["", f"Speed, {n} pages, median of {rounds} interleaved rounds (CPU seconds of one process):", "",
            "| extractor | seconds | pages/s | relative |", "|---|---|---|---|"]
    base = statistics.median(times["trafilatura"])
    labels = {"trafilatura": "trafilatura.extract (default options)", "clean_html": "newsclean.clean_html"}
    for name, ts in times.items():
        m = statistics.median(ts)
        out.append(f"| {labels[name]} | {m:.2f} | **{n / m:.0f}** | {base / m:.2f}x |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", help="the scrapinghub folder (default: $NEWSCLEAN_BENCH or ../shared/bench/scrapinghub)")
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    ap.add_argument("--write", action="store_true", help="record the tables in BENCHMARKS.md under '## HTML'")
    args = ap.parse_args(argv)
    bench = find_bench(args.bench)
    if bench is None:
        print("html_bench: benchmark folder not found; pass --bench or set NEWSCLEAN_BENCH", file=sys.stderr)
        return 2
    gold = load_gold(bench)
    ids = sorted(i for i in gold if (bench / "html" / f"{i}.html.gz").is_file())
    pages = load_pages(bench, ids)
    cleaner = newsclean.Cleaner(keep_title=False)
    rows = quality(pages, gold, cleaner)
    times = speed(pages, cleaner, args.rounds)
    text = "\n".join([
        (f"Measured {datetime.date.today().isoformat()} with newsclean {newsclean.__version__}, "
        f"trafilatura {trafilatura.__version__}, Python {platform.python_version()}, on {len(ids)} pages of the "
        "ScrapingHub benchmark (`python benchmarks/html_bench.py`); newsclean with `keep_title=False` (the gold "
        "has no headlines), trafilatura with its default options; every contender is given the page's bytes."),
        "", tables(rows, times, len(ids), args.rounds)])
    print(text)
    if args.write:
        write_benchmarks_md(text, section="html", heading="HTML")
        print("\nwrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
