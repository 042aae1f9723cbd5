"""How well site profiles find chrome, on a generated corpus whose chrome is known.

    python benchmarks/site_learning.py                      # 20 sites x 50 pages, seed 7
    python benchmarks/site_learning.py --sites 40 --pages 100 --dask local

The corpus (benchmarks/site_corpus.py) labels every line as chrome or article. Learned
lines are compared with the template lines (as keys: case, spaces, numbers and dates
normalised): precision and recall, also against the template lines the thresholds can
reach (on at least min_docs and min_share of a site's pages; a long sentence on more than
half). Then every page is cleaned with and without the profiles: chrome lines left, and
article lines lost (kept without profiles but cut with them).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from site_corpus import generate  # noqa: E402

from newsclean import Cleaner, learn  # noqa: E402
from newsclean.document import clean_form  # noqa: E402
from newsclean.sites import LONG_SENTENCE_SHARE, MIN_DOCS, line_key, reads_as_long_sentence  # noqa: E402


def key(text: str) -> str:
    return line_key(clean_form(text))


def reachable(pages, min_docs: int, min_share: float) -> dict[str, set[str]]:
    """Per site, the template lines the thresholds can learn, from the labels."""
    by_site: dict[str, Counter] = {}
    n: Counter = Counter()
    for p in pages:
        n[p.site] += 1
        by_site.setdefault(p.site, Counter()).update({key(t) for kind, t in p.lines if kind == "chrome"} - {""})
    out = {}
    for site, counts in by_site.items():
        out[site] = {k for k, c in counts.items()
                     if c >= min_docs and c >= min_share * n[site]
                     and (c > LONG_SENTENCE_SHARE * n[site] or not reads_as_long_sentence(k))}
    return out


def measure(sites, pages, profiles, min_docs: int, min_share: float) -> dict:
    template = {s.domain: {key(t) for t in s.chrome} - {""} for s in sites}
    reach = reachable(pages, min_docs, min_share)
    learned = {s: set(profiles[s].lines) if s in profiles else set() for s in template}
    tp = sum(len(learned[s] & template[s]) for s in template)
    n_learned = sum(len(v) for v in learned.values())
    n_template = sum(len(v) for v in template.values())
    n_reach = sum(len(v) for v in reach.values())
    tp_reach = sum(len(learned[s] & reach[s]) for s in template)
    false = sorted({k for s in template for k in learned[s] - template[s]})

    plain, profiled = Cleaner(), Cleaner(profiles=profiles)
    c = Counter()
    for p in pages:
        before = set(plain.clean(p.text).split("\n"))
        after = set(profiled.clean(p.text, url=p.url).split("\n"))
        for kind, t in p.lines:
            c[kind] += 1
            c[kind, "before"] += t in before
            c[kind, "after"] += t in after
            if kind == "article" and t in before and t not in after:
                c["lost"] += 1
                c["lost sentences"] += reads_as_long_sentence(key(t))
    return {
        "learned": n_learned, "template": n_template, "reachable": n_reach,
        "precision": tp / n_learned if n_learned else 1.0,
        "recall": tp / n_template if n_template else 1.0,
        "recall_reachable": tp_reach / n_reach if n_reach else 1.0,
        "false": false,
        "article_lines": c["article"], "article_kept_before": c["article", "before"],
        "article_kept_after": c["article", "after"], "article_lost": c["lost"], "sentences_lost": c["lost sentences"],
        "chrome_lines": c["chrome"], "chrome_left_before": c["chrome", "before"],
        "chrome_left_after": c["chrome", "after"],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--min-docs", type=int, default=MIN_DOCS)
    ap.add_argument("--shares", default="0.1,0.2,0.3", help="min_share values to compare")
    ap.add_argument("--dask", metavar="local|ADDRESS", help="also learn on Dask and check the result is the same")
    args = ap.parse_args(argv)

    sites, pages = generate(args.sites, args.pages, args.seed)
    records = [p.record(i) for i, p in enumerate(pages)]
    lines = sum(len(p.lines) for p in pages)
    print(f"corpus: {args.sites} sites x {args.pages} pages (seed {args.seed}), {lines:,} lines, "
          f"{sum(len(p.text) for p in pages):,} characters")
    print()
    print("| min_share | learned | precision | recall (all template lines) | recall (reachable) "
          "| chrome left: rules only → with profiles | article lines lost to profiles (sentences) |")
    print("|---|---|---|---|---|---|---|")
    default = None
    for share in (float(x) for x in args.shares.split(",")):
        t0 = time.perf_counter()
        profiles = learn(records, min_docs=args.min_docs, min_share=share)
        took = time.perf_counter() - t0
        m = measure(sites, pages, profiles, args.min_docs, share)
        if share == 0.2:
            default = (profiles, took, m)
        print(f"| {share:g} | {m['learned']} | {m['precision']:.3f} | {m['recall']:.3f} ({m['template']} lines) "
              f"| {m['recall_reachable']:.3f} ({m['reachable']} lines) "
              f"| {m['chrome_left_before']:,} → {m['chrome_left_after']:,} of {m['chrome_lines']:,} "
              f"| {m['article_lost']} of {m['article_lines']:,} ({m['sentences_lost']}) |")
    for share in (float(x) for x in args.shares.split(",")):
        m = measure(sites, pages, learn(records, min_docs=args.min_docs, min_share=share), args.min_docs, share)
        if m["false"]:
            print(f"\nmin_share {share:g}: learned lines that are not template lines: {m['false']}")
    if default is not None:
        profiles, took, m = default
        print(f"\nlearn (one process): {len(records) / took:,.0f} pages/s")
        print(f"article lines kept: rules only {m['article_kept_before']:,}, with profiles "
              f"{m['article_kept_after']:,} of {m['article_lines']:,}")
    if args.dask:
        import newsclean.dask as nd
        import dask.bag as db
        with nd.session(args.dask, 2):
            t0 = time.perf_counter()
            got = nd.learn(db.from_sequence(records, npartitions=16))
            took = time.perf_counter() - t0
        same = got.to_dict() == learn(records).to_dict()
        print(f"dask ({args.dask}): {len(records) / took:,.0f} pages/s, profiles identical: {same}")
        if not same:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
