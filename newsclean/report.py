"""`newsclean report`: an audit of what the cleaner cut across a corpus, as one HTML file.
This module builds the page; the command (`newsclean report IN… -o report.html`, reading JSON
Lines) is cli_report.py.

Every record is cleaned, or with `--sample N` a uniform random sample of N records chosen
while streaming (reservoir sampling with a seeded `random.Random`: the same input and seed
give the same sample; memory holds N records).

The page is self-contained: the data are embedded once as JSON in a
`<script type="application/json">` and drawn by a small inline script (no framework, no
network: a Content-Security-Policy forbids every fetch); the page's skeleton, style and script
are data files in `data/report/`, written into every report. It shows the totals, a chart of cuts
by category and by rule, a few example cuts of every rule in context, the sites (registered
domains of `--url-field`), and a document view of the sampled documents with every cut struck
through and labelled with its rule id and reason.

To keep the page light, each stored document is capped (`--max-doc-chars`, 20,000 by
default: kept lines far from any cut go first, then the middle of the document), and when the
whole page would exceed `--max-size` MB, the documents are condensed further until it fits;
every shortened document says so. Statistics are always computed on the full texts.

Library use: `build_report(records, ...) -> str` (the HTML). `main(argv) -> int` is the
subcommand (`cli_report.main`; exit codes: 0 done, 1 input/output error, 2 usage error,
130/143 interrupted).
"""

from __future__ import annotations

import html as _html
import json
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from .report_data import (
    EXAMPLES,
    MAX_DOC_CHARS,
    MAX_DOCS,
    MAX_SITES,
    MAX_SIZE_MB,
    MIN_DOC_CHARS,
    TOP_RULES_PER_SITE,
    Collector,
    _category,
    _Doc,
    reservoir,
)
from .report_input import Record, Reject, _as_record
from .report_input import site_of  # noqa: F401 (documented: newsclean.report.site_of, docs/report.md)
from .report_lines import _size, condense, truncate

# -- building the page -------------------------------------------------------------------------

@dataclass
class Options:
    inputs: list[str] = _field(default_factory=list)
    field: str = "text"
    html_field: str | None = None
    url_field: str | None = None
    id_field: str | None = "id"
    sample: int | None = None
    seed: int = 0
    max_docs: int = MAX_DOCS
    examples: int = EXAMPLES
    max_doc_chars: int = MAX_DOC_CHARS
    max_size_mb: float = MAX_SIZE_MB
    title: str | None = None
    cleaner_options: dict = _field(default_factory=dict)


def collect(items: Iterable[Record | Reject], cleaner, opts: Options,
            progress=None) -> tuple[Collector, dict]:
    """Clean the records (all, or a reservoir sample) into a Collector; (collector, scope)."""
    col = Collector(cleaner, html=opts.html_field is not None, seed=opts.seed, max_docs=opts.max_docs,
                    examples=opts.examples, max_doc_chars=opts.max_doc_chars)

    def records() -> Iterator[Record]:
        for it in items:
            if progress is not None:
                progress()
            if isinstance(it, Reject):
                col.reject(it)
            else:
                yield it

    if opts.sample is None:
        total = 0
        for rec in records():
            total += 1
            col.add(rec, total)
        return col, {"sampled": False, "records": total}
    chosen, total = reservoir(records(), opts.sample, random.Random(opts.seed))
    for n, rec in chosen:
        col.add(rec, n)
    return col, {"sampled": True, "records": total, "sample": len(chosen), "seed": opts.seed}


def _data(col: Collector, scope: dict, opts: Options, elapsed: float | None, blank: int) -> dict:
    import newsclean
    desc, cats = col.catalogue
    rules = []
    view = {d.n for d in col.docs}
    for ri, rid in enumerate(col.rule_ix.items):
        docs, cuts, chars = col.rule_stats.get(ri, [0, 0, 0])
        exs = sorted(col.examples.get(ri, []), key=lambda e: e[0])
        rules.append({"id": rid, "cat": _category(rid, cats), "desc": desc.get(rid, ""),
                      "docs": docs, "cuts": cuts, "chars": chars,
                      "ex": [{"n": n, "src": src, "id": ident, "v": n in view, **ex}
                             for n, src, ident, ex in exs]})
    categories = [{"cat": c, "docs": s[0], "cuts": s[1], "chars": s[2]} for c, s in col.cat_stats.items()]
    site_rows = sorted(col.sites.items(), key=lambda kv: (-kv[1][0], kv[0]))
    sites = [{"site": name, "docs": s[0], "in": s[1], "out": s[2], "emptied": s[3],
              "top": [[ri, k] for ri, k in sorted(s[4].items(), key=lambda t: (-t[1], t[0]))[:TOP_RULES_PER_SITE]]}
             for name, s in site_rows[:MAX_SITES]]
    docs = _docs_json(col)
    cleaner = col.cleaner
    return {
        "meta": {
            "title": opts.title or "newsclean report",
            "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "version": newsclean.__version__,
            "rules_version": cleaner.rules_version,
            "inputs": list(opts.inputs),
            "field": opts.html_field or opts.field,
            "html": opts.html_field is not None,
            "url_field": opts.url_field,
            "id_field": opts.id_field,
            "options": {k: v for k, v in opts.cleaner_options.items() if v not in (None, [], ())},
            "scope": scope,
            "max_doc_chars": opts.max_doc_chars,
            "max_docs": opts.max_docs,
            "examples": opts.examples,
            "seconds": None if elapsed is None else round(elapsed, 1),
            "html_text_missing": col.html_text_missing,
        },
        "totals": {
            "documents": col.seen, "chars_in": col.chars_in, "chars_out": col.chars_out,
            "emptied": col.emptied, "changed": col.changed, "cuts": col.cuts, "rejects": col.rejects,
            "blank": blank, "with_url": col.with_url, "sites": len(col.sites),
        },
        "rejects": {"by_reason": col.reject_reasons.most_common(), "first": col.reject_list},
        "rules": rules,
        "categories": categories,
        "sites": sites,
        "sites_more": max(0, len(site_rows) - MAX_SITES),
        "reasons": col.reason_ix.items,
        "docs": docs,
        "docs_total": col.seen,
    }


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_PLACEHOLDER = re.compile(r"\{\{(TITLE|VERSION|CSS|JS|DATA)\}\}")


def _dump(data: dict) -> str:
    """The data as JSON that is safe inside <script> (no '<', no lone surrogates)."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = _LONE_SURROGATE.sub("\ufffd", s)
    return s.replace("<", "\\u003c")


def _doc_json(d: _Doc) -> dict:
    return {"n": d.n, "src": d.src, "id": d.id, "url": d.url, "site": d.site, "i": d.chars_in,
            "o": d.chars_out, "c": d.cuts, "r": d.rules, "L": d.items, "note": " ".join(d.notes) or None}


def _docs_json(col: Collector) -> list[dict]:
    return [_doc_json(d) for d in sorted(col.docs, key=lambda d: d.n)]


def _nbytes(obj) -> int:
    return len(_dump(obj).encode("utf-8"))


def _fit(data: dict, col: Collector, limit_bytes: int) -> str:
    """The data as JSON, the stored documents shortened until the page fits in `limit_bytes`:
    first every document is condensed (kept lines far from any cut go), then all are cut to a
    common cap, the largest that fits by an estimate made from each document's size."""
    page = sum(len(asset(x).encode("utf-8")) for x in ("report.html", "report.css", "report.js")) + 2048
    docs, data["docs"] = data["docs"], []
    other = page + _nbytes(data)
    data["docs"] = docs
    sizes = {id(d): _nbytes(_doc_json(d)) for d in col.docs}
    if other + sum(sizes.values()) + len(sizes) > limit_bytes:
        for d in col.docs:
            if not d.condensed:
                d.condensed = True
                items, dropped = condense(d.items)
                if dropped:
                    d.items = items
                    d.notes.append(f"{dropped:,} kept lines far from any cut are not shown (to keep the page light).")
                    sizes[id(d)] = _nbytes(_doc_json(d))
    cap = None
    while True:
        total = other + sum(sizes.values()) + len(sizes)
        if total > limit_bytes and col.docs:
            cap = _common_cap(col.docs, sizes, limit_bytes - other, cap)
            for d in col.docs:
                if sum(_size(it) for it in d.items) > cap:
                    d.items = truncate(d.items, cap)
                    d.notes = [x for x in d.notes if not x.startswith("Shortened")]
                    d.notes.append(f"Shortened to about {cap:,} of its {d.chars_in:,} characters "
                                   "(to keep the page light).")
                    sizes[id(d)] = _nbytes(_doc_json(d))
            data["meta"]["doc_cap"] = cap
        if cap is None or other + sum(sizes.values()) + len(sizes) <= limit_bytes or cap <= MIN_DOC_CHARS:
            data["docs"] = _docs_json(col)
            return _dump(data)


def _common_cap(docs: list[_Doc], sizes: dict, room: int, previous: int | None) -> int:
    """The largest number of characters per document for which the documents' JSON, estimated
    from each one's present size, fits in `room` bytes (and below `previous`)."""
    stats = []
    for d in docs:
        chars = max(1, sum(_size(it) for it in d.items))
        size = sizes[id(d)]
        fixed = min(size, 300 + len(d.url or "") + len(d.src) + len(d.id or ""))
        stats.append((chars, size, fixed))

    def estimate(cap: int) -> float:
        return sum(size if chars <= cap else fixed + 100 + (size - fixed) * cap / chars
                   for chars, size, fixed in stats)

    lo, hi = MIN_DOC_CHARS, max(c for c, _, _ in stats)
    if previous is not None:
        hi = min(hi, int(previous * 0.9))
    target = room * 0.97
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if estimate(mid) <= target:
            lo = mid
        else:
            hi = mid - 1
    return max(MIN_DOC_CHARS, lo)


def render(col: Collector, scope: dict, opts: Options, elapsed: float | None = None, blank: int = 0) -> str:
    """The HTML page for a finished collection."""
    data = _data(col, scope, opts, elapsed, blank)
    payload = _fit(data, col, int(opts.max_size_mb * 1_000_000))
    title = _html.escape(opts.title or "newsclean report")
    fill = {"TITLE": title, "VERSION": _html.escape(data["meta"]["version"]),
            "CSS": asset("report.css"), "JS": asset("report.js"), "DATA": payload}
    return _PLACEHOLDER.sub(lambda m: fill[m.group(1)], asset("report.html"))  # one pass


def _records_from(records: Iterable, opts: Options) -> Iterator[Record | Reject]:
    source = opts.html_field or opts.field
    for i, obj in enumerate(records, 1):
        src = f"#{i}"
        if isinstance(obj, (Record, Reject)):
            yield obj
        elif isinstance(obj, str):
            yield Record(src, obj)
        else:
            yield _as_record(obj, src, source, opts.url_field, opts.id_field)


def build_report(records: Iterable[dict | str], *, field: str = "text", html_field: str | None = None,
                 url_field: str | None = None, id_field: str | None = "id", cleaner=None,
                 sample: int | None = None, seed: int = 0, max_docs: int = MAX_DOCS,
                 examples: int = EXAMPLES, max_doc_chars: int = MAX_DOC_CHARS,
                 max_size_mb: float = MAX_SIZE_MB, title: str | None = None,
                 inputs: list[str] | None = None) -> str:
    """The audit report of `records` as one self-contained HTML page.

    records: dicts (the text in `field`, or HTML in `html_field`; the page's URL in
    `url_field`, an identifier in `id_field`) or plain strings (the text). A dict without a
    usable field is counted as a reject. cleaner: a `newsclean.Cleaner` (the default one if
    None). sample: clean a uniform random sample of this many records (seeded by `seed`)."""
    import newsclean
    if html_field is not None and not hasattr(newsclean, "analyze_html"):
        raise ValueError("html_field: HTML input needs newsclean.analyze_html, which this "
                         f"version ({newsclean.__version__}) does not have")
    cleaner = cleaner if cleaner is not None else newsclean.Cleaner()
    opts = Options(inputs=list(inputs or []), field=field, html_field=html_field, url_field=url_field,
                   id_field=id_field, sample=sample, seed=seed, max_docs=max_docs, examples=examples,
                   max_doc_chars=max_doc_chars, max_size_mb=max_size_mb, title=title,
                   cleaner_options=_options_of(cleaner))
    t0 = time.monotonic()
    col, scope = collect(_records_from(records, opts), cleaner, opts)
    return render(col, scope, opts, time.monotonic() - t0)


def _options_of(cleaner) -> dict:
    out: dict = {}
    if getattr(cleaner, "disable", None):
        out["disable"] = sorted(cleaner.disable)
    if getattr(cleaner, "lang", None):
        out["lang"] = cleaner.lang
    if getattr(cleaner, "keep_title", True) is False:
        out["keep_title"] = False
    extra = getattr(cleaner, "extra_packs", None)
    if extra:
        out["extra_rules"] = [getattr(p, "name", "?") for p in extra]
    return out


# -- the command (cli_report.py) ---------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """`newsclean report …`; returns the exit code. The command is in cli_report.py, which
    imports this module: imported on use, not at the top."""
    from .cli_report import main as command
    return command(argv)


# -- the page ------------------------------------------------------------------------------------
# data/report/: the page (report.html, with {{…}} placeholders), its style and its script, all
# written into the file: the report needs no other file and no network.

@cache
def asset(name: str) -> str:
    """One of the page's parts: 'report.html', 'report.css' or 'report.js'."""
    return (Path(__file__).parent / "data" / "report" / name).read_text(encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

