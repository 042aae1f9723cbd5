"""`newsclean report`: an audit of what the cleaner cut across a corpus, as one HTML file.

    newsclean report IN.jsonl [IN…] -o report.html [--field text] [--html-field html]
                     [--url-field url] [--sample N [--seed S]]

The inputs are read line by line (`.jsonl`, `.jsonl.gz`, `.jsonl.zst` or `-`, with
`corpus.LineReader`); a line that is not a usable record is a reject (counted, and the first
few shown), as in `newsclean jsonl`. Every record is cleaned, or with `--sample N` a uniform
random sample of N records chosen while streaming (reservoir sampling with a seeded
`random.Random`: the same input and seed give the same sample; memory holds N records).

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
subcommand (exit codes: 0 done, 1 input/output error, 2 usage error, 130/143 interrupted).
"""

from __future__ import annotations

import argparse
import html as _html
import json
import os
import random
import re
import signal
import sys
import threading
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import corpus

EXIT_OK, EXIT_IO, EXIT_USAGE = 0, 1, 2

MAX_DOC_CHARS = 20_000  # characters of text stored per document (default of --max-doc-chars)
MAX_SIZE_MB = 18.0  # the page is kept under this size (default of --max-size)
MAX_DOCS = 10_000  # documents in the document view (default of --max-docs)
EXAMPLES = 5  # example cuts per rule (default of --examples)
EXAMPLE_CONTEXT = 2  # non-blank lines shown before and after an example cut
EXAMPLE_LINE = 300  # characters of a line shown in an example
EXAMPLE_CUT_LINES = 6  # lines of a multi-line cut shown in an example
DOC_CONTEXT = 3  # non-blank kept lines around a cut when a document is condensed
MIN_DOC_CHARS = 300  # the budget never cuts a document below this
MAX_SITES = 500  # rows of the sites table
TOP_RULES_PER_SITE = 5
REJECTS_SHOWN = 50
REJECT_RAW = 200  # characters of a rejected line shown

# Second-level labels under which registrations happen (news sites' countries mostly); with
# tldextract installed, its bundled Public Suffix List is used instead.
_SECOND_LEVEL = frozenset("""
co.uk org.uk me.uk ltd.uk plc.uk net.uk ac.uk gov.uk sch.uk nhs.uk police.uk
com.au net.au org.au edu.au gov.au asn.au id.au co.nz net.nz org.nz govt.nz ac.nz
co.za org.za gov.za co.in net.in org.in gov.in ac.in co.jp ne.jp or.jp ac.jp go.jp
co.kr or.kr go.kr com.br net.br org.br gov.br com.ar gob.ar com.mx gob.mx org.mx
com.cn net.cn org.cn gov.cn com.hk org.hk gov.hk com.tw org.tw gov.tw com.sg gov.sg edu.sg
com.my gov.my com.ph gov.ph com.pk gov.pk com.ng gov.ng co.ke go.ke co.ug co.tz co.zw
com.tr gov.tr org.tr com.eg gov.eg com.sa gov.sa com.ua gov.ua com.ru org.ru com.pl
co.il org.il gov.il co.id or.id go.id ac.id co.th or.th go.th com.vn gov.vn com.co gov.co
com.pe gob.pe com.ve com.ec com.uy com.py com.bo com.gt com.do com.pr com.cy com.mt
co.at or.at gv.at com.gr com.pt com.es org.es gob.es com.lb com.qa com.kw com.bh com.om
""".split())  # noqa: SIM905


# -- reading ----------------------------------------------------------------------------------

@dataclass(slots=True)
class Record:
    """One usable input record."""

    src: str  # 'file:line', or '#n' for records given to build_report
    value: str  # the text (or HTML) to clean
    url: str | None = None
    id: str | None = None


@dataclass(slots=True)
class Reject:
    src: str
    reason: str
    raw: str = ""


def _kind(value) -> str:
    return corpus._kind(value)


def _as_record(obj, src: str, field: str, url_field: str | None, id_field: str | None,
               raw: str = "") -> Record | Reject:
    """A record from a decoded JSON value, or why it cannot be one (reasons as in `jsonl`)."""
    if not isinstance(obj, dict):
        return Reject(src, f"not a JSON object but {_kind(obj)}", raw)
    if field not in obj:
        return Reject(src, f"missing field {field!r}", raw)
    value = obj[field]
    if not isinstance(value, str):
        return Reject(src, f"field {field!r} is {_kind(value)}, not a string", raw)
    url = obj.get(url_field) if url_field else None
    ident = obj.get(id_field) if id_field else None
    if isinstance(ident, (int, float)) and not isinstance(ident, bool):
        ident = str(ident)
    return Record(src, value, url if isinstance(url, str) else None,
                  ident if isinstance(ident, str) else None)


def read_jsonl(paths: Iterable[str], field: str = "text", url_field: str | None = None,
               id_field: str | None = "id", reader: corpus.LineReader | None = None
               ) -> Iterator[Record | Reject]:
    """Records (or rejects) of JSON Lines files, streamed; raises corpus.CorpusError on I/O errors."""
    reader = reader or corpus.LineReader(paths)
    for name, lineno, raw in reader:
        src = f"{name}:{lineno}"
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Reject(src, f"invalid UTF-8 at byte {exc.start}", _raw_text(raw))
            continue
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as exc:
            yield Reject(src, f"invalid JSON: {exc.msg} at column {exc.colno}", _raw_text(raw))
            continue
        except RecursionError:
            yield Reject(src, "invalid JSON: nested too deeply", _raw_text(raw))
            continue
        rec = _as_record(obj, src, field, url_field, id_field)
        if isinstance(rec, Reject):
            rec.raw = _raw_text(raw)
        yield rec


def _raw_text(raw: bytes) -> str:
    text = raw[:REJECT_RAW * 4].rstrip(b"\r\n").decode("utf-8", "backslashreplace")
    return text if len(text) <= REJECT_RAW else text[:REJECT_RAW] + "…"


# -- sites ------------------------------------------------------------------------------------

_tld = None  # None: not tried; False: not available


def _tldextract():
    global _tld
    if _tld is None:
        try:
            import tldextract
            # No suffix list URLs: the bundled snapshot is used and nothing is ever fetched.
            _tld = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        except Exception:  # not installed, or an API this code does not know  # noqa: BLE001
            _tld = False
    return _tld or None


def _host(url: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    if "://" not in url[:12]:
        url = "//" + url.lstrip("/")
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.rstrip(".").lower() or None


def simple_site(host: str) -> str:
    """The registered domain by a simple rule: the last two labels, or three under a common
    second-level suffix (bbc.co.uk, abc.net.au); IP addresses as they are."""
    if re.fullmatch(r"[\d.]+", host) or ":" in host:
        return host
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def site_of(url: str | None) -> str | None:
    """The registered domain of a URL ('https://www.bbc.co.uk/news/x' -> 'bbc.co.uk'), or None."""
    if not url:
        return None
    host = _host(url)
    if host is None:
        return None
    ext = _tldextract()
    if ext is not None and not re.fullmatch(r"[\d.]+", host):
        try:
            parts = ext(host)
            site = getattr(parts, "top_domain_under_public_suffix", None) or getattr(parts, "registered_domain", None)
            if site:
                return site
        except Exception:  # noqa: BLE001, S110 - fall back to the simple rule
            pass
    return simple_site(host)


# -- one document ------------------------------------------------------------------------------
#
# A document's lines are stored as items the page draws without computing offsets (which
# would differ between Python's code points and JavaScript's UTF-16 units):
#   "text"                          a kept line
#   [rule, reason, "text"]          a line cut whole (rule and reason are indices)
#   {"p": ["kept", [rule, reason, "cut"], …]}   a line with inline cuts
#   {"g": lines, "c": chars}        lines not stored (the document was shortened)

def _size(item) -> int:
    if isinstance(item, str):
        return len(item)
    if isinstance(item, list):
        return len(item[2])
    if "p" in item:
        return sum(len(p) if isinstance(p, str) else len(p[2]) for p in item["p"])
    return 0


def _nlines(item) -> int:
    return item["g"] if isinstance(item, dict) and "g" in item else 1


def _is_cut(item) -> bool:
    return isinstance(item, list) or (isinstance(item, dict) and "p" in item)


def _clip(item, n: int):
    """The item with its text cut to about n characters."""
    if isinstance(item, str):
        return item if len(item) <= n else item[:n] + "…"
    if isinstance(item, list):
        return item if len(item[2]) <= n else [item[0], item[1], item[2][:n] + "…"]
    if "p" not in item or _size(item) <= n:
        return item
    parts, first_cut = [], next((i for i, p in enumerate(item["p"]) if not isinstance(p, str)), 0)
    kept_max = max(20, n // 3)
    for i, p in enumerate(item["p"]):
        if isinstance(p, str):
            if len(p) > kept_max:
                p = "…" + p[-kept_max:] if i < first_cut else p[:kept_max] + "…"
            parts.append(p)
        else:
            parts.append(p if len(p[2]) <= n else [p[0], p[1], p[2][:n] + "…"])
    return {"p": parts}


def _gap(lines: int, chars: int) -> dict:
    return {"g": lines, "c": chars}


def condense(items: list, context: int = DOC_CONTEXT) -> tuple[list, int]:
    """Keep the cut lines and `context` non-blank lines around each (a document without cuts
    keeps its first lines); the rest become gaps. (items, kept lines dropped)."""
    nonblank = [i for i, it in enumerate(items) if not (isinstance(it, str) and not it.strip())]
    pos = {i: k for k, i in enumerate(nonblank)}
    keep: set[int] = set()
    cuts = [i for i in nonblank if _is_cut(items[i])]
    if cuts:
        for i in cuts:
            k = pos[i]
            keep.update(nonblank[max(0, k - context):k + context + 1])
    else:
        keep.update(nonblank[:2 * context])
    out, gap_lines, gap_chars, dropped = [], 0, 0, 0
    prev_kept = False
    for k, it in enumerate(items):
        blank = isinstance(it, str) and not it.strip()
        if blank:
            # a blank line stays between two kept lines
            nxt = next((j for j in range(k + 1, len(items)) if not (isinstance(items[j], str) and not items[j].strip())), None)
            take = prev_kept and nxt is not None and nxt in keep
        else:
            take = k in keep or (isinstance(it, dict) and "g" in it)
        if take:
            if gap_lines:
                out.append(_gap(gap_lines, gap_chars))
                gap_lines = gap_chars = 0
            out.append(it)
        else:
            gap_lines += _nlines(it)
            gap_chars += _size(it) if not isinstance(it, dict) or "g" not in it else it["c"]
            if not blank:
                dropped += 1
        if not blank:
            prev_kept = take
    if gap_lines:
        out.append(_gap(gap_lines, gap_chars))
    return out, dropped


def truncate(items: list, cap: int) -> list:
    """At most about `cap` characters: the head (60%) and the tail (40%) of the document, with a
    gap between them."""
    sizes = [_size(it) for it in items]
    if sum(sizes) <= cap:
        return items
    if len(items) == 1:
        return [_clip(items[0], cap)]
    head_budget = int(cap * 0.6)
    tail_budget = cap - head_budget
    head, used, i = [], 0, 0
    while i < len(items) and used + sizes[i] <= head_budget:
        head.append(items[i])
        used += sizes[i]
        i += 1
    if i < len(items) and head_budget - used > 40 and not (isinstance(items[i], dict) and "g" in items[i]):
        head.append(_clip(items[i], head_budget - used))
        used = head_budget
        i += 1
    tail, used, j = [], 0, len(items)
    while j - 1 >= i and used + sizes[j - 1] <= tail_budget:
        j -= 1
        tail.append(items[j])
        used += sizes[j]
    tail.reverse()
    middle = items[i:j]
    if middle:
        lines = sum(_nlines(it) for it in middle)
        chars = sum(it["c"] if isinstance(it, dict) and "g" in it else _size(it) for it in middle)
        head.append(_gap(lines, chars))
    return _merge_gaps(head + tail)


def _merge_gaps(items: list) -> list:
    out: list = []
    for it in items:
        if isinstance(it, dict) and "g" in it and out and isinstance(out[-1], dict) and "g" in out[-1]:
            out[-1] = _gap(out[-1]["g"] + it["g"], out[-1]["c"] + it["c"])
        else:
            out.append(it)
    return out


class _Interner:
    def __init__(self):
        self.index: dict[str, int] = {}
        self.items: list[str] = []

    def __call__(self, key: str) -> int:
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.items)
            self.items.append(key)
        return i


def encode_lines(text: str, removed, rule_of, reason_of) -> list:
    """The document's lines as items (see above), with its removals marked."""
    lines = text.splitlines()  # the cleaner's newline normalisation
    starts, pos = [], 0
    for raw in lines:
        starts.append(pos)
        pos += len(raw) + 1
    by_line: dict[int, list] = {}
    for r in removed:
        first = max(0, bisect_right(starts, r.start) - 1)
        end = max(r.end, r.start + 1)
        for i in range(first, len(lines)):
            if starts[i] >= end:
                break
            by_line.setdefault(i, []).append(r)
    items: list = []
    for i, raw in enumerate(lines):
        cuts = by_line.get(i)
        if not cuts or not raw:
            items.append(raw)
            continue
        lo, hi = starts[i], starts[i] + len(raw)
        parts: list = []
        at = lo
        for r in sorted(cuts, key=lambda r: (r.start, r.end)):
            a, b = max(r.start, at), min(r.end, hi)
            if b <= a:
                continue
            if a > at:
                parts.append(raw[at - lo:a - lo])
            parts.append([rule_of(r.rule), reason_of(r.reason), raw[a - lo:b - lo]])
            at = b
        if at < hi:
            parts.append(raw[at - lo:])
        cut_parts = [p for p in parts if not isinstance(p, str)]
        if not cut_parts:
            items.append(raw)
        elif (all(not p.strip() for p in parts if isinstance(p, str))
              and len({(p[0], p[1]) for p in cut_parts}) == 1):
            items.append([cut_parts[0][0], cut_parts[0][1], raw])  # the whole line (but spaces)
        else:
            items.append({"p": parts})
    return items


def _line_span(starts: list[int], r) -> tuple[int, int]:
    """The first and last line a removal touches."""
    first = max(0, bisect_right(starts, r.start) - 1)
    last = max(first, bisect_right(starts, max(r.end, r.start + 1) - 1) - 1)
    return first, min(last, len(starts) - 1)


def _blank(item) -> bool:
    return isinstance(item, str) and not item.strip()


def example_of(items: list, starts: list[int], r) -> dict:
    """A cut in context: its lines (at most EXAMPLE_CUT_LINES) and the lines around them, up to
    EXAMPLE_CONTEXT non-blank ones on each side. {"L": [[line, item], …], "f": [first, last]}."""
    first, last = _line_span(starts, r)
    lo, seen = first, 0
    while lo > 0 and seen < EXAMPLE_CONTEXT:
        lo -= 1
        seen += not _blank(items[lo])
    while lo < first and _blank(items[lo]):
        lo += 1
    hi, seen = last, 0
    while hi < len(items) - 1 and seen < EXAMPLE_CONTEXT:
        hi += 1
        seen += not _blank(items[hi])
    while hi > last and _blank(items[hi]):
        hi -= 1
    cut = list(range(first, last + 1))
    if len(cut) > EXAMPLE_CUT_LINES:
        cut = cut[:EXAMPLE_CUT_LINES - 1] + [last]
    lines = list(range(lo, first)) + cut + list(range(last + 1, hi + 1))
    return {"L": [[i, _clip(items[i], EXAMPLE_LINE)] for i in lines], "f": [first, last]}


# -- the collection --------------------------------------------------------------------------

@dataclass
class _Doc:
    n: int  # the record's 1-based number among the usable records read
    src: str
    id: str | None
    url: str | None
    site: str | None
    chars_in: int
    chars_out: int
    cuts: int
    rules: list[int]
    items: list
    notes: list[str] = _field(default_factory=list)
    condensed: bool = False


class Collector:
    """Accumulates the statistics, the examples and the stored documents, one record at a time."""

    def __init__(self, cleaner, *, html: bool = False, seed: int = 0, max_docs: int = MAX_DOCS,
                 examples: int = EXAMPLES, max_doc_chars: int = MAX_DOC_CHARS):
        self.cleaner = cleaner
        self.html = html
        self.max_docs = max_docs
        self.k_examples = examples
        self.max_doc_chars = max_doc_chars
        self.doc_rng = random.Random(f"{seed}/documents")
        self.ex_rng = random.Random(f"{seed}/examples")
        self.rule_ix = _Interner()
        self.reason_ix = _Interner()
        self.rule_stats: dict[int, list[int]] = {}  # rule -> [documents, cuts, characters]
        self.cat_stats: dict[str, list[int]] = {}
        self.examples: dict[int, list] = {}  # rule -> [(n, example)]
        self.sites: dict[str, list] = {}  # site -> [documents, in, out, emptied, Counter(rule -> documents)]
        self.docs: list[_Doc] = []
        self.seen = 0  # documents cleaned
        self.chars_in = self.chars_out = 0
        self.emptied = self.changed = self.cuts = 0
        self.with_url = 0
        self.rejects = 0
        self.reject_reasons: Counter = Counter()
        self.reject_list: list[dict] = []
        self.html_text_missing = 0
        self._capture = _Capture(cleaner) if html else None
        self.catalogue = rule_catalogue(cleaner)  # (descriptions, categories) by rule id

    # -- rejects --------------------------------------------------------------------------
    def reject(self, rej: Reject) -> None:
        self.rejects += 1
        self.reject_reasons[_reason_class(rej.reason)] += 1
        if len(self.reject_list) < REJECTS_SHOWN:
            self.reject_list.append({"src": rej.src, "reason": rej.reason, "raw": rej.raw})

    # -- cleaning -------------------------------------------------------------------------
    def _analyze(self, rec: Record) -> tuple[str, Any]:
        if not self.html:
            return rec.value, self.cleaner.analyze(rec.value)
        import newsclean
        cap = self._capture
        cap.last = None
        result = newsclean.analyze_html(rec.value, rec.url, cleaner=cap)
        if cap.last is not None:
            return cap.last, result
        # The text given to the cleaner was not seen (an HTML API this code does not know):
        # the document view then shows the cuts alone.
        self.html_text_missing += 1
        return None, result

    def add(self, rec: Record, n: int) -> None:
        """Clean one record; n is its 1-based number among the usable records read."""
        try:
            text, result = self._analyze(rec)
        except Exception as exc:  # noqa: BLE001 - a bug in a rule or the cleaner must not stop the report
            self.reject(Reject(rec.src, f"cleaning failed: {type(exc).__name__}: {exc}", ""))
            return
        self.seen += 1
        removed = result.removed
        out = result.text
        if text is None:
            chars_in = len(out) + sum(r.end - r.start for r in removed)
        else:
            chars_in = len(text)
        self.chars_in += chars_in
        self.chars_out += len(out)
        emptied = not out.strip() and chars_in > 0 and (text is None or bool(text.strip()))
        self.emptied += emptied
        self.changed += text is None or out != text
        self.cuts += len(removed)

        rule_of, reason_of = self.rule_ix, self.reason_ix
        per_rule: dict[int, list] = {}
        cats: dict[str, list[int]] = {}
        for r in removed:
            ri = rule_of(r.rule)
            per_rule.setdefault(ri, []).append(r)
            cat = _category(r.rule, self._categories)
            c = cats.setdefault(cat, [0, 0])
            c[0] += 1
            c[1] += r.end - r.start
        for ri, rs in per_rule.items():
            s = self.rule_stats.setdefault(ri, [0, 0, 0])
            s[0] += 1
            s[1] += len(rs)
            s[2] += sum(r.end - r.start for r in rs)
        for cat, (cuts, chars) in cats.items():
            s = self.cat_stats.setdefault(cat, [0, 0, 0])
            s[0] += 1
            s[1] += cuts
            s[2] += chars

        site = site_of(rec.url)
        if rec.url:
            self.with_url += 1
        if site is not None:
            s = self.sites.get(site)
            if s is None:
                s = self.sites[site] = [0, 0, 0, 0, Counter()]
            s[0] += 1
            s[1] += chars_in
            s[2] += len(out)
            s[3] += emptied
            s[4].update(per_rule.keys())

        # Which examples and whether the document is kept: decided before encoding anything.
        want_examples = []
        for ri in per_rule:
            hits = self.rule_stats[ri][0]
            slot = self.examples.setdefault(ri, [])
            if len(slot) < self.k_examples:
                want_examples.append((ri, None))
            else:
                j = self.ex_rng.randrange(hits)
                if j < self.k_examples:
                    want_examples.append((ri, j))
        doc_slot: int | None | bool = False
        if len(self.docs) < self.max_docs:
            doc_slot = None
        else:
            j = self.doc_rng.randrange(self.seen)
            if j < self.max_docs:
                doc_slot = j
        if not want_examples and doc_slot is False:
            return

        if text is None:
            items, at_line = _cuts_only(removed, rule_of, reason_of)
        else:
            items = encode_lines(text, removed, rule_of, reason_of)
            starts, pos = [], 0
            for it in text.splitlines():
                starts.append(pos)
                pos += len(it) + 1
        for ri, j in want_examples:
            r0 = per_rule[ri][0] if text is not None else None
            if text is None:
                r = per_rule[ri][0]
                ex = {"L": [[r.line, _clip(items[at_line[r.line]], EXAMPLE_LINE)]], "f": [r.line, r.line]}
            else:
                ex = example_of(items, starts, r0)
            entry = (n, rec.src, rec.id, ex)
            if j is None:
                self.examples[ri].append(entry)
            else:
                self.examples[ri][j] = entry
        if doc_slot is not False:
            doc = _Doc(n, rec.src, rec.id, rec.url, site, chars_in, len(out), len(removed),
                       sorted(per_rule), items)
            if text is None:
                doc.notes.append("The text extracted from the HTML was not available: only the cuts are shown.")
            shape_doc(doc, self.max_doc_chars)
            if doc_slot is None:
                self.docs.append(doc)
            else:
                self.docs[doc_slot] = doc

    @property
    def _categories(self) -> dict[str, str]:
        return self.catalogue[1]


def _cuts_only(removed, rule_of, reason_of) -> tuple[list, dict[int, int]]:
    """Items for a document whose text is not at hand: its cuts at their lines, gaps between
    them; and the item index of each line."""
    items: list = []
    at_line: dict[int, int] = {}
    line = 0
    for r in sorted(removed, key=lambda r: (r.line, r.start)):
        if r.line in at_line:
            continue
        if r.line > line:
            items.append(_gap(r.line - line, 0))
        at_line[r.line] = len(items)
        items.append([rule_of(r.rule), reason_of(r.reason), r.text])
        line = r.line + 1
    return items, at_line


class _Capture:
    """A stand-in for the Cleaner given to `analyze_html`: it records the text it is asked to
    analyse (the removals' offsets refer to it), and delegates everything else."""

    def __init__(self, cleaner):
        self._cleaner = cleaner
        self.last: str | None = None

    def analyze(self, text: str):
        self.last = text
        return self._cleaner.analyze(text)

    def clean(self, text: str) -> str:
        return self.analyze(text).text

    def __getattr__(self, name):
        return getattr(self._cleaner, name)


def _reason_class(reason: str) -> str:
    """'invalid JSON: Expecting value at column 1' -> 'invalid JSON'."""
    if reason.startswith("field "):
        return "field not a string"
    if reason.startswith("not a JSON object"):
        return "not a JSON object"
    if reason.startswith("invalid UTF-8"):
        return "invalid UTF-8"
    return reason.split(":", 1)[0] if ":" in reason else reason


def rule_catalogue(cleaner) -> tuple[dict[str, str], dict[str, str]]:
    """(rule id -> description, rule id -> category) for every rule the cleaner knows."""
    import newsclean
    desc: dict[str, str] = {}
    cat: dict[str, str] = {}
    rules = [r for pack in getattr(cleaner, "packs", ()) for r in getattr(pack, "rules", ())]
    if not rules:  # (`ruleset` may compile the rules: only when the packs are not at hand)
        rules = list(getattr(cleaner.ruleset, "rules", ()))
    for r in rules:
        desc.setdefault(r.id, r.description)
        cat.setdefault(r.id, r.category)
    for name, d in newsclean.HEURISTICS.items():
        key = name if name.startswith("heuristic.") else f"heuristic.{name}"
        desc.setdefault(key, d)
        cat.setdefault(key, "heuristic")
    return desc, cat


def _category(rule_id: str, cats: dict[str, str]) -> str:
    return cats.get(rule_id) or rule_id.split(".", 1)[0]


def shape_doc(doc: _Doc, cap: int) -> None:
    """Bring a document under `cap` characters: condense it, then truncate it."""
    total = sum(_size(it) for it in doc.items)
    if total <= cap:
        return
    if not doc.condensed:
        items, dropped = condense(doc.items)
        doc.condensed = True
        if dropped:
            doc.items = items
            doc.notes.append(f"{dropped:,} kept lines far from any cut are not shown.")
    size = sum(_size(it) for it in doc.items)
    if size > cap:
        doc.items = truncate(doc.items, cap)
        doc.notes = [n for n in doc.notes if not n.startswith("Shortened")]
        doc.notes.append(f"Shortened to about {cap:,} of its {total:,} characters (the middle is not shown).")


# -- sampling ---------------------------------------------------------------------------------

def reservoir(items: Iterable, k: int, rng: random.Random) -> tuple[list, int]:
    """A uniform random sample of k items of a stream (Algorithm R), in stream order; and how
    many items there were. Memory holds k items."""
    sample: list = []
    seen = 0
    for item in items:
        seen += 1
        if len(sample) < k:
            sample.append((seen, item))
        else:
            j = rng.randrange(seen)
            if j < k:
                sample[j] = (seen, item)
    sample.sort(key=lambda t: t[0])
    return sample, seen


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


# -- the command -------------------------------------------------------------------------------

def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _megabytes(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.5 <= x <= 2000:
        raise argparse.ArgumentTypeError("must be between 0.5 and 2000")
    return x


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsclean report", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=("Clean JSON Lines records (or a random sample of them) and write an audit report:\n"
                     "one self-contained HTML file with the totals, the cuts by rule and category,\n"
                     "examples of every rule in context, the sites, and every sampled document with\n"
                     "its cuts marked. Open it in a browser; it needs no server and no network."),
        epilog=("examples:\n"
                "  newsclean report crawl.jsonl.gz -o report.html --url-field url --sample 10000\n"
                "  newsclean report part-*.jsonl --field body --id-field doc_id -o report.html\n"
                "  newsclean report pages.jsonl --html-field html --url-field url -o report.html\n\n"
                "exit codes: 0 done (rejected lines included), 1 input/output error, 2 usage error,\n"
                "            130/143 interrupted (no report written)"))
    p.add_argument("inputs", nargs="+", metavar="IN", help="JSON Lines files (.jsonl, .gz, .zst; '-' for stdin)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the HTML file to write")
    p.add_argument("--field", default="text", help="the field holding the text (default: text)")
    p.add_argument("--html-field", metavar="NAME", help="read HTML from NAME instead (needs newsclean.analyze_html)")
    p.add_argument("--url-field", metavar="NAME", help="the field holding the page's URL (for the sites section)")
    p.add_argument("--id-field", default="id", metavar="NAME",
                   help="the field holding a record's identifier, shown and searchable (default: id)")
    p.add_argument("--sample", type=_positive, metavar="N",
                   help="clean a uniform random sample of N records (reservoir sampling) instead of all")
    p.add_argument("--seed", type=int, default=0, help="random seed for the samples (default: 0)")
    p.add_argument("--max-docs", type=_positive, default=MAX_DOCS, metavar="N",
                   help=f"documents stored for the document view (default: {MAX_DOCS:,}; a random subset beyond)")
    p.add_argument("--examples", type=_positive, default=EXAMPLES, metavar="K",
                   help=f"example cuts shown per rule (default: {EXAMPLES})")
    p.add_argument("--max-doc-chars", type=_positive, default=MAX_DOC_CHARS, metavar="N",
                   help=f"characters stored per document (default: {MAX_DOC_CHARS:,})")
    p.add_argument("--max-size", type=_megabytes, default=MAX_SIZE_MB, metavar="MB",
                   help=f"keep the page under this many megabytes by shortening documents (default: {MAX_SIZE_MB:g})")
    p.add_argument("--title", help="the page's title")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary line")
    g = p.add_argument_group("cleaner options")
    g.add_argument("--disable", action="append", default=[], metavar="ID|CATEGORY",
                   help="switch off a rule, category, pack or heuristic (repeatable)")
    g.add_argument("--rules", action="append", default=[], metavar="FILE",
                   help="an extra rule pack in TOML (repeatable)")
    g.add_argument("--lang", metavar="L", help="language of the input, e.g. en")
    g.add_argument("--keep-title", dest="keep_title", action="store_true", default=True,
                   help="keep the headline in the text (default)")
    g.add_argument("--no-title", dest="keep_title", action="store_false",
                   help="drop the headline (it is still reported in metadata)")
    return p


class _UsageError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


class _Terminated(KeyboardInterrupt):
    pass


def _on_sigterm(signum, frame):
    raise _Terminated()


class _Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.n = 0
        self._last = 0.0

    def __call__(self) -> None:
        self.n += 1
        if self.enabled and self.n % 1000 == 0 and time.monotonic() - self._last >= 0.5:
            self._last = time.monotonic()
            sys.stderr.write(f"\rnewsclean report: {self.n:,} lines read")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._last:
            sys.stderr.write("\n")


def _check_html() -> None:
    import newsclean
    if not hasattr(newsclean, "analyze_html"):
        raise _UsageError(f"--html-field: HTML input is not supported in newsclean {newsclean.__version__} "
                          "yet (newsclean.analyze_html is missing); extract the text first")
    try:
        newsclean.analyze_html("<html><body><p>newsclean</p></body></html>")
    except ImportError as exc:
        raise _UsageError(f"--html-field: HTML input needs a package that is not installed: {exc}") from None


def _make_cleaner(args):
    import newsclean
    options: dict = {"disable": list(args.disable), "keep_title": args.keep_title}
    if args.rules:
        options["extra_rules"] = [str(Path(r).resolve()) for r in args.rules]
    if args.lang:
        options["lang"] = args.lang
    try:
        return newsclean.Cleaner(**options), options
    except newsclean.RulePackError as exc:
        raise _UsageError(f"bad rule pack: {exc}") from None
    except ValueError as exc:
        raise _UsageError(str(exc)) from None


def _run(args) -> int:
    if args.html_field is not None:
        _check_html()
    cleaner, options = _make_cleaner(args)
    out = Path(args.output)
    if args.inputs.count("-") > 1:
        raise _UsageError("stdin ('-') can be read only once")
    for path in args.inputs:
        if path == "-":
            continue
        if not os.path.exists(path):
            raise _UsageError(f"{path}: no such file", EXIT_IO)
        if not os.path.isfile(path):
            raise _UsageError(f"{path}: not a file", EXIT_IO)
        if out.exists() and out.samefile(path):
            raise _UsageError(f"{path}: the report would overwrite this input")
    if out.is_dir():
        raise _UsageError(f"{out}: is a directory; give the name of the HTML file to write")
    opts = Options(inputs=list(args.inputs), field=args.field, html_field=args.html_field,
                   url_field=args.url_field, id_field=args.id_field or None, sample=args.sample,
                   seed=args.seed, max_docs=args.max_docs, examples=args.examples,
                   max_doc_chars=args.max_doc_chars, max_size_mb=args.max_size, title=args.title,
                   cleaner_options={k: v for k, v in options.items() if k != "extra_rules"}
                   | ({"extra_rules": list(args.rules)} if args.rules else {}))
    if opts.cleaner_options.get("keep_title") is True:
        del opts.cleaner_options["keep_title"]
    t0 = time.monotonic()
    reader = corpus.LineReader(args.inputs)
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    try:
        items = read_jsonl(args.inputs, field=args.html_field or args.field, url_field=args.url_field,
                           id_field=opts.id_field, reader=reader)
        col, scope = collect(items, cleaner, opts, progress=progress)
    finally:
        progress.close()
    page = render(col, scope, opts, time.monotonic() - t0, blank=reader.blank)
    data = page.encode("utf-8")
    f = corpus.AtomicFile(out)
    try:
        f.write(data)
        f.commit()
    except BaseException:
        f.abort()
        raise
    if not args.quiet:
        what = (f"a sample of {scope['sample']:,} of {scope['records']:,} records, seed {scope['seed']}"
                if scope["sampled"] else f"all {scope['records']:,} records")
        print(f"newsclean report: {col.seen:,} documents cleaned ({what}), {col.rejects:,} rejected; "
              f"{out}: {len(data) / 1e6:.1f} MB in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """`newsclean report …`; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
    try:
        return _run(args)
    except _UsageError as exc:
        print(f"newsclean report: error: {exc}", file=sys.stderr)
        return exc.code
    except corpus.CorpusError as exc:
        print(f"newsclean report: error: {exc}", file=sys.stderr)
        return EXIT_IO
    except KeyboardInterrupt as exc:
        signum = signal.SIGTERM if isinstance(exc, _Terminated) else signal.SIGINT
        print(f"newsclean report: interrupted ({signal.Signals(signum).name}); no report written", file=sys.stderr)
        return 128 + signum
    finally:
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)


# -- the page ------------------------------------------------------------------------------------
# data/report/: the page (report.html, with {{…}} placeholders), its style and its script, all
# written into the file: the report needs no other file and no network.

@cache
def asset(name: str) -> str:
    """One of the page's parts: 'report.html', 'report.css' or 'report.js'."""
    return (Path(__file__).parent / "data" / "report" / name).read_text(encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
