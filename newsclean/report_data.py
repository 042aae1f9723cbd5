"""The audit report's data: reading records, sites, documents as lines with their cuts, the
collection of statistics and examples, and sampling. `report.py` builds the page and the
command from these."""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from . import corpus
from .domains import registered_domain


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
    """Records (or rejects) of JSON Lines files, streamed; raises fileio.CorpusError on I/O errors."""
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
        except ValueError as exc:  # e.g. an integer longer than Python converts
            yield Reject(src, f"invalid JSON: {exc}", _raw_text(raw))
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

def site_of(url: str | None) -> str | None:
    """The site of a URL, as everywhere in newsclean (`newsclean.registered_domain`: the
    Public Suffix List shipped in `tld`, never fetched): 'https://www.bbc.co.uk/news/x' ->
    'bbc.co.uk'; None when it names no host."""
    return registered_domain(url)


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

    def analyze(self, text: str, **site):
        self.last = text
        return self._cleaner.analyze(text, **site)

    def clean(self, text: str, **site) -> str:
        return self.analyze(text, **site).text

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


