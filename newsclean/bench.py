"""Quality benchmark on the ScrapingHub article-extraction set.

Scores the texts that real extractors returned, before and after cleaning, with the
benchmark's own metric: `\\w+` tokens, multisets of 4-token shingles, per-document precision
and recall averaged over documents, F1 of the two means. The gold has no headlines, so the
cleaner runs with keep_title=False.

    python -m newsclean.bench            # or: newsclean bench
    python -m newsclean.bench --write    # also update the table in BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_TOKEN = re.compile(r"\w+")

# (label, file under the bench folder, what it is)
INPUT_SETS = [
    ("trafilatura", "extracted/trafilatura.json", "article text"),
    ("trafilatura_precision", "extracted/trafilatura_precision.json", "article text"),
    ("readability", "extracted/readability.json", "article text"),
    ("goose3", "extracted/goose3.json", "article text"),
    ("justext", "extracted/justext.json", "article text"),
    ("boilerpy3", "extracted/boilerpy3.json", "article text"),
    ("newspaper", "output/newspaper.json", "article text"),
    ("go_readability_fork", "output/go_readability_fork.json", "article text"),
    ("html_text", "extracted/html_text.json", "whole page, text"),
    ("inscriptis", "output/inscriptis.json", "whole page, text"),
    ("html2text", "output/html2text.json", "whole page, Markdown"),
]


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text)
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def counts(pred: str, gold: str) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) on shingle multisets."""
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    docs: int
    empty: int = 0


def score(pairs: list[tuple[str, str]]) -> Score:
    """Mean per-document precision and recall over (prediction, gold) pairs, and their F1."""
    precisions, recalls, empty = [], [], 0
    for pred, gold in pairs:
        tp, fp, fn = counts(pred, gold)
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
        if not pred.strip() and gold.strip():
            empty += 1
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f1, len(pairs), empty)


def half(doc_id: str) -> str:
    """A fixed split of the pages into two halves by a hash of their id."""
    return "tune" if hashlib.sha256(doc_id.encode()).digest()[0] % 2 == 0 else "check"


def find_bench(path: str | None = None) -> Path | None:
    candidates = [path, os.environ.get("NEWSCLEAN_BENCH")]
    here = Path(__file__).resolve().parent.parent
    candidates += [str(here.parent / "shared" / "bench" / "scrapinghub"),
                   str(Path.cwd().parent / "shared" / "bench" / "scrapinghub")]
    for c in candidates:
        if c and (Path(c) / "ground-truth.json").is_file():
            return Path(c)
    return None


def load_json(path: Path) -> dict[str, str]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if set(data) == {"output", "version"} or ("output" in data and isinstance(data["output"], dict)):
        data = data["output"]
    return {k: (v.get("articleBody") if isinstance(v, dict) else v) or "" for k, v in data.items()}


def load_gold(bench: Path) -> dict[str, str]:
    return load_json(bench / "ground-truth.json")


def run(bench: Path, sets: list[str] | None = None, ids: list[str] | None = None, cleaner=None,
        no_harm: bool = True) -> list[dict]:
    """Score each input set before and after cleaning; one row per (set, part)."""
    from . import Cleaner
    cleaner = cleaner or Cleaner(keep_title=False)
    gold = load_gold(bench)
    ids = sorted(ids or gold)
    chosen = [s for s in INPUT_SETS if sets is None or s[0] in sets]
    jobs = [(label, load_json(bench / rel), kind) for label, rel, kind in chosen if (bench / rel).is_file()]
    if no_harm:
        jobs.append(("no-harm (gold)", gold, "gold"))
    from .language import detect
    non_en = {i for i in ids if detect(gold[i].split("\n")) not in ("en", None)}
    rows = []
    for label, texts, kind in jobs:
        t0 = time.perf_counter()
        cleaned = {i: cleaner.clean(texts.get(i, "")) for i in ids}
        seconds = time.perf_counter() - t0
        for part in ("all", "tune", "check", "non-en"):
            if part == "non-en":
                part_ids = [i for i in ids if i in non_en]
            else:
                part_ids = [i for i in ids if part == "all" or half(i) == part]
            if not part_ids:
                continue
            before = score([(texts.get(i, ""), gold[i]) for i in part_ids])
            after = score([(cleaned[i], gold[i]) for i in part_ids])
            # Documents whose input held article text and whose cleaned text is empty.
            emptied = sum(1 for i in part_ids if not cleaned[i].strip() and counts(texts.get(i, ""), gold[i])[0] > 0)
            rows.append({"set": label, "kind": kind, "part": part, "before": before, "after": after,
                         "seconds": seconds, "emptied": emptied})
    return rows


def table(rows: list[dict], part: str = "all") -> str:
    out = ["| input | kind | F1 in | F1 out | P in | P out | R in | R out | empty in | emptied |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["part"] != part:
            continue
        b, a = r["before"], r["after"]
        out.append(f"| {r['set']} | {r['kind']} | {b.f1:.3f} | **{a.f1:.3f}** | {b.precision:.3f} | "
                   f"{a.precision:.3f} | {b.recall:.3f} | {a.recall:.3f} | {b.empty} | {r['emptied']} |")
    return "\n".join(out)


def group_table(rows: list[dict], part: str) -> str:
    out = ["| input | docs | F1 in | F1 out | P in | P out | R in | R out |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["part"] == part:
            b, a = r["before"], r["after"]
            out.append(f"| {r['set']} | {b.docs} | {b.f1:.3f} | **{a.f1:.3f}** | {b.precision:.3f} | {a.precision:.3f} | "
                       f"{b.recall:.3f} | {a.recall:.3f} |")
    return "\n".join(out)


def halves_table(rows: list[dict]) -> str:
    """F1 on the tune and check halves, and what cleaning added on each: where the inputs
    themselves differ between the halves, the gains say whether the cleaner generalises."""
    out = ["| input | tune: F1 in → out | check: F1 in → out | difference out | gain tune | gain check "
           "| difference of gains |", "|---|---|---|---|---|---|---|"]
    by = {(r["set"], r["part"]): r for r in rows}
    for label in dict.fromkeys(r["set"] for r in rows):
        t, c = by.get((label, "tune")), by.get((label, "check"))
        if t and c:
            gain_t = t["after"].f1 - t["before"].f1
            gain_c = c["after"].f1 - c["before"].f1
            out.append(f"| {label} | {t['before'].f1:.3f} → {t['after'].f1:.3f} | {c['before'].f1:.3f} → "
                       f"{c['after'].f1:.3f} | {abs(t['after'].f1 - c['after'].f1):.3f} | {gain_t:+.3f} | "
                       f"{gain_c:+.3f} | {abs(gain_t - gain_c):.3f} |")
    return "\n".join(out)


def report(rows: list[dict]) -> str:
    from . import __version__
    n = rows[0]["before"].docs if rows else 0
    stamp = datetime.date.today().isoformat()
    return "\n".join([
        f"Measured {stamp} with newsclean {__version__}, Python {platform.python_version()}, "
        f"on {n} pages of the ScrapingHub benchmark; cleaned with `keep_title=False` "
        "(the gold has no headlines), all other options default.",
        "", "Whole set:", "", table(rows, "all"), "",
        "Tune and check halves (fixed split by a hash of the page id):", "", halves_table(rows), "",
        "Pages whose gold is not in English (language detected from the gold text):", "",
        group_table(rows, "non-en"), "",
    ])


def write_benchmarks_md(text: str, path: Path = Path("BENCHMARKS.md"), section: str = "quality",
                        heading: str = "Quality") -> None:
    """Put `text` between the section's markers in BENCHMARKS.md (replacing what was there),
    or add the section at the end under `## heading`."""
    start, end = f"<!-- bench:{section}:start -->", f"<!-- bench:{section}:end -->"
    block = f"{start}\n{text}\n{end}"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in old and end in old:
        new = old[:old.index(start)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip() + f"\n\n## {heading}\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="newsclean bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench", help="the scrapinghub folder (default: $NEWSCLEAN_BENCH or ../shared/bench/scrapinghub)")
    ap.add_argument("--set", action="append", dest="sets", help="only this input set (repeatable)")
    ap.add_argument("--part", choices=["all", "tune", "check", "non-en"], default="all",
                    help="which part to print: the whole set, a half, or the non-English pages")
    ap.add_argument("--write", action="store_true", help="write the tables into BENCHMARKS.md")
    args = ap.parse_args(argv)
    bench = find_bench(args.bench)
    if bench is None:
        print("newsclean bench: benchmark folder not found; pass --bench or set NEWSCLEAN_BENCH", file=sys.stderr)
        return 2
    rows = run(bench, args.sets)
    print(table(rows, args.part))
    print()
    print(halves_table(rows))
    if args.write:
        write_benchmarks_md(report(rows))
        print("\nwrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
