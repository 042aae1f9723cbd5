"""The audit report's data: the collection of statistics, examples and stored documents, one
record at a time, and sampling. The records come from report_input.py, the documents' lines
from report_lines.py; report.py builds the page from these, cli_report.py is the command."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

from .report_input import Record, Reject, site_of
from .report_lines import EXAMPLE_LINE, _clip, _cuts_only, _size, condense, encode_lines, example_of, truncate


EXIT_OK, EXIT_IO, EXIT_USAGE = 0, 1, 2

MAX_DOC_CHARS = 20_000  # characters of text stored per document (default of --max-doc-chars)
MAX_SIZE_MB = 18.0  # the page is kept under this size (default of --max-size)
MAX_DOCS = 10_000  # documents in the document view (default of --max-docs)
EXAMPLES = 5  # example cuts per rule (default of --examples)
MIN_DOC_CHARS = 300  # the budget never cuts a document below this
MAX_SITES = 500  # rows of the sites table
TOP_RULES_PER_SITE = 5
REJECTS_SHOWN = 50


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


