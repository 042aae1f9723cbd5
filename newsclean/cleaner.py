"""The cleaner: a fixed sequence of small passes over one document.

    segment -> rules -> classify -> sections -> main block -> head/tail -> inside -> inline
    -> metadata -> assemble

Each pass reads and writes plain per-line state (`_State`); a cut records the rule id or
heuristic name and a reason, so every removal can be explained.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Iterable, Iterator

from . import heuristics as H
from .context import HEURISTICS, ContextPasses, _State
from .document import Document, Line, phrase_key
from .language import detect
from .page import PagePasses
from .result import Removal, Result
from .rules import MAX_RULE_LINE, Rule, RulePack, RuleSet, builtin_packs, compiled, load_pack
from .sites import as_profiles


# A dateline at the start of the first paragraph: 'BEIJING —', 'DES MOINES, Iowa —'.
# A second copy of the article: at least this many paragraphs repeated in order.
_COPY_LINES = 5
_MAX_COPIES = 3
# A caption repeated this many times in a row is a gallery's; prose must remain beside it.
_GALLERY_COPIES = 3
_GALLERY_REST = 3
# Teasers set as kicker over headline: this many pairs in a row make a block of them.
_KICKER_PAIRS = 3
# A caption shortened for a slide: forty characters or more, then '...' or '…' and at most
# one word (the 'more' button that opens the full caption).
_TRUNCATED = re.compile(r"(.{40,}?)\s?(?:\.\.\.|…)\s?\w{0,8}")


def _same_caption(a: str, b: str) -> bool:
    """Are a and b the same caption: equal, or one of them the other cut short?"""
    if a == b:
        return True
    for short, full in ((a, b), (b, a)):
        # A cut-short caption ends with its ellipsis and at most a short word ('more'):
        # only then is the expression tried (it would scan the whole line).
        tail = short[-13:]
        if "..." not in tail and "…" not in tail:
            continue
        m = _TRUNCATED.fullmatch(short)
        if m is not None and full.startswith(m.group(1)):
            return True
    return False

_DATELINE = re.compile(
    r"^(?P<dateline>(?-i:[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’ -]{1,30}[A-ZÀ-ÖØ-Þ.])(?:,\s[\w.'’ ]{2,30}?)?)"
    r"(?:\s\([^)]{1,30}\))?\s?[—–-]{1,2}\s")


def _names_only(byline: str) -> str:
    """'Jane Doe and John Roe, Valley Herald' -> 'Jane Doe and John Roe': after a list of
    names joined by 'and', a last comma part is the outlet or the role."""
    parts = [p.strip() for p in byline.split(",")]
    if len(parts) > 1 and re.search(r"\b(?:and|&)\b", parts[-2], re.IGNORECASE):
        parts = parts[:-1]
    return ", ".join(parts)


def _without(line: Line, cuts) -> Line:
    """The line as it reads once its inline tags are cut (for its features)."""
    text = line.text
    for m in reversed(cuts):
        text = text[:m.start] + text[m.end:]
    return Line(line.index, line.start, line.raw, text.rstrip(), line.lineno, line.nlines)


_worker_cleaner: "Cleaner | None" = None


def _init_worker(cleaner: "Cleaner") -> None:
    global _worker_cleaner
    _worker_cleaner = cleaner


def _clean_batch(texts: list[str], urls: list | None = None) -> list[str]:
    if urls is None:
        return [_worker_cleaner.clean(t) for t in texts]
    return [_worker_cleaner.clean(t, url=u) for t, u in zip(texts, urls)]


def _selected(rules: Iterable[Rule], disable: set[str]) -> list[Rule]:
    return [r for r in rules if r.id not in disable and r.category not in disable and r.pack not in disable]


class Cleaner(ContextPasses, PagePasses):
    """Cleans scraped news text. Build once and reuse: rules are compiled in the constructor.
    A Cleaner is immutable after construction, so it is safe to share between threads, and
    it pickles with its rules (for process pools, Spark and Dask workers).

    disable: rule ids, categories, pack names or heuristic names to switch off.
    extra_rules: a path (or list of paths) of user rule packs in TOML.
    keep_title: keep the headline in the text (it is always reported in metadata).
    lang: use only the packs for this language (and the language-neutral ones).
    profiles: learned site chrome (`newsclean.learn`, or a saved file's path), removed from
    a page when `clean`/`analyze` are told its `url` or `site`.
    """

    def __init__(self, disable: Iterable[str] = (), extra_rules: str | Path | Iterable[str | Path] | None = None,
                 keep_title: bool = True, lang: str | None = None, profiles=None):
        self.profiles = as_profiles(profiles)
        extra: list[RulePack] = []
        if extra_rules is not None:
            paths = [extra_rules] if isinstance(extra_rules, (str, Path)) else list(extra_rules)
            extra = [load_pack(p) for p in paths]
        self._setup(disable, extra, keep_title, lang)

    def _setup(self, disable, extra: list[RulePack], keep_title: bool, lang: str | None) -> None:
        if isinstance(disable, str):
            disable = [disable]
        self.disable = frozenset(disable)
        self.keep_title = keep_title
        self.lang = lang
        self.extra_packs = list(extra)
        packs = builtin_packs() + self.extra_packs
        if lang is not None:
            packs = [p for p in packs if "*" in p.languages or lang in p.languages]
        self.packs = packs
        all_rules = [r for p in packs for r in p.rules]
        known = {r.id for r in all_rules} | {r.category for r in all_rules} | {p.name for p in packs}
        known |= set(HEURISTICS) | {"heuristic"}
        unknown = sorted(set(self.disable) - known)
        if unknown:
            raise ValueError(f"disable: unknown rule, category, pack or heuristic: {', '.join(unknown)}")
        self._selected = tuple(_selected(all_rules, set(self.disable)))
        # One compiled rule set per language, made on first use and shared by every Cleaner
        # with the same selection (compiled() caches them per process); documents whose
        # language is not known get every rule.
        self._langs = frozenset(x for r in self._selected for x in r.languages) - {"*"}
        self._by_lang: dict[str, RuleSet] = {}
        self._all: RuleSet | None = None
        self._heuristic_off = {h for h in HEURISTICS if h in self.disable or "heuristic" in self.disable}

    @property
    def ruleset(self) -> RuleSet:
        """The rules this Cleaner uses: its language's, or all of them without a language."""
        if self.lang is not None:
            return self._rules_for(self.lang)
        if self._all is None:
            self._all = compiled(self._selected)
        return self._all

    def _rules_for(self, lang: str) -> RuleSet:
        found = self._by_lang.get(lang)
        if found is None:  # a benign race: compiled() hands every thread the same RuleSet
            found = compiled(r for r in self._selected if "*" in r.languages or lang in r.languages)
            self._by_lang[lang] = found
        return found

    @property
    def rules_version(self) -> str:
        """The packs in use and their versions, e.g. 'common=2026.11.1,en=2026.11.1'."""
        return ",".join(f"{p.name}={p.version}" for p in self.packs)

    def __getstate__(self):
        # The user's packs travel as parsed rules, so a worker needs no access to the files.
        return {"disable": sorted(self.disable), "keep_title": self.keep_title, "lang": self.lang,
                "extra": self.extra_packs, "profiles": self.profiles}

    def __setstate__(self, state):
        self.profiles = state.get("profiles")
        self._setup(state["disable"], state["extra"], state["keep_title"], state.get("lang"))

    # -- public API -------------------------------------------------------------------

    def clean(self, text: str, *, url: str | None = None, site: str | None = None) -> str:
        st = self._run(text, url, site)
        return "" if st is None else self._assemble(st)

    def analyze(self, text: str, *, url: str | None = None, site: str | None = None) -> Result:
        st = self._run(text, url, site)
        if st is None:
            return Result("")
        self._metadata(st)
        return Result(self._assemble(st), self._removals(st), st.metadata)

    def _run(self, text: str, url: str | None = None, site: str | None = None) -> _State | None:
        """The passes that decide what stays; None for empty text."""
        if not isinstance(text, str):
            raise TypeError(f"newsclean expects text as str, not {type(text).__name__}")
        if not text:
            return None
        doc = Document(text)
        st = _State(doc)
        lang = self.lang or detect([line.text for line in doc.lines])
        st.lang = lang
        st.rules = self._rules_for(lang) if lang in self._langs else self.ruleset
        self._apply_rules(st)
        self._apply_profile(st, url, site)
        self._inline(st)
        self._classify(st)
        if "heuristic.gallery-repeat" not in self._heuristic_off:
            self._gallery_repeat(st)
        block = self._main_block(st)
        kept = st.cut.count(None)
        self._sections(st, block)
        self._tail_rules(st)
        if st.cut.count(None) != kept:  # they only ever cut lines: none cut, same block
            block = self._main_block(st)
        self._head_and_tail(st, block)
        self._inside(st, block)
        return st

    def clean_many(self, texts: Iterable[str], workers: int = 1, batch: int = 64, *,
                   urls: Iterable[str | None] | None = None) -> Iterator[str]:
        """Clean an iterable of texts, yielding results in input order. With workers > 1,
        batches go to a process pool, a bounded number at a time, so memory stays flat.

        urls: for `profiles`, each text's URL (or site name, or None), in the same order as
        `texts`: `clean_many(df["text"], urls=df["url"])` is `clean(text, url=url)` for each
        pair. It is read alongside `texts`, lazily; ValueError when the two differ in length."""
        if urls is None:
            items = ((t, None) for t in texts)
        else:
            items = zip(texts, urls, strict=True)
        if workers <= 1:
            for t, u in items:
                yield self.clean(t, url=u)
            return
        from concurrent.futures import ProcessPoolExecutor
        from itertools import islice
        with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(self,)) as pool:
            pending = deque()
            while True:
                while len(pending) < workers * 4:
                    chunk = list(islice(items, batch))
                    if not chunk:
                        break
                    chunk_texts = [t for t, _ in chunk]
                    chunk_urls = None if urls is None else [u for _, u in chunk]
                    pending.append(pool.submit(_clean_batch, chunk_texts, chunk_urls))
                if not pending:
                    return
                yield from pending.popleft().result()

    # -- passes -----------------------------------------------------------------------

    def _apply_rules(self, st: _State) -> None:
        lines = [line for line in st.doc.lines if 0 < len(line.text) <= MAX_RULE_LINE]
        for line, rule in zip(lines, st.rules.match_lines([line.clean for line in lines])):
            if rule is not None:
                st.rule_hits[line.index] = rule
                st.cut[line.index] = (rule.id, rule.description)

    def _apply_profile(self, st: _State, url: str | None, site: str | None) -> None:
        """Lines this page's site repeats on many of its pages (see sites.py); rule cuts stay."""
        if self.profiles is not None and (url or site):
            for i, cut in self.profiles.cuts(st.doc.lines, st.cut, url=url, site=site):
                st.cut[i] = cut

    def _classify(self, st: _State) -> None:
        cut, feats, inline = st.cut, st.feats, st.inline
        features, classify = H.features, H.classify
        for line in st.doc.lines:
            i = line.index
            if cut[i] is None and line.text:  # not cut, not blank
                cuts = inline.get(i)
                f = features(line if cuts is None else _without(line, cuts))
                f.kind = classify(f)
                feats[i] = f

    def _live(self, st: _State) -> list[int]:
        return [i for i, f in enumerate(st.feats) if f is not None and st.cut[i] is None]

    def _inside(self, st: _State, block) -> None:
        lines, feats, cut = st.doc.lines, st.feats, st.cut
        live = self._live(st)
        if "heuristic.link-only" not in self._heuristic_off:
            for i in live:
                if feats[i].kind == H.JUNK:
                    cut[i] = ("heuristic.link-only", HEURISTICS["heuristic.link-only"])
        if "heuristic.repeated" not in self._heuristic_off:
            # A short line that recurs, each time standing alone between paragraphs of prose,
            # is a label (an ad slot, a promo); a recurring heading over a list is structure.
            seen: dict[str, list[int]] = {}
            live = self._live(st)
            for pos, i in enumerate(live):
                f = feats[i]
                if f.kind in (H.SHORT, H.HEADING) and f.words <= 3 and not f.list_item \
                        and not lines[i].clean.endswith((":", "?")):
                    seen.setdefault(phrase_key(lines[i].clean), []).append(pos)
            for key, where in seen.items():
                if len(where) >= 2 and key and all(self._between_prose(st, live, pos) for pos in where):
                    for pos in where:
                        cut[live[pos]] = ("heuristic.repeated", HEURISTICS["heuristic.repeated"])
        if "heuristic.duplicate-copy" not in self._heuristic_off:
            self._duplicate_copy(st)
        if "heuristic.kicker-pairs" not in self._heuristic_off:
            self._kicker_pairs(st)
        if "heuristic.teaser-list" not in self._heuristic_off:
            run: list[int] = []
            for i in self._live(st) + [len(lines)]:
                f = feats[i] if i < len(lines) else None
                if f is not None and self._teaser(f) and (not run or self._adjacent(st, run[-1], i)):
                    run.append(i)
                    continue
                if len(run) >= 3:
                    for k in run:
                        cut[k] = ("heuristic.teaser-list", HEURISTICS["heuristic.teaser-list"])
                run = [i] if f is not None and self._teaser(f) else []

    def _kicker_pairs(self, st: _State) -> None:
        """Cut a block of teasers for other stories set as kicker and headline: a short line
        in capitals ('TIME TRAVELLER') over a headline that does not end as a sentence does,
        at least _KICKER_PAIRS such pairs in a row (only blank or cut lines between them).
        Tabloid pages put such blocks in the middle of the article; the article's own
        subheadings in capitals stand over paragraphs of prose, which end as sentences."""
        lines, feats, cut = st.doc.lines, st.feats, st.cut
        live = self._live(st)

        def kicker(i: int) -> bool:
            f, text = feats[i], lines[i].clean
            return (f.words <= 5 and f.letters and not f.list_item and not f.terminal
                    and not text.endswith(":") and text.upper() == text)

        def headline(i: int) -> bool:
            f, text = feats[i], lines[i].clean
            return (4 <= f.words <= 25 and not f.terminal and not f.list_item
                    and not text.endswith(":") and text.upper() != text)

        pos = 0
        while pos < len(live) - 1:
            start = pos
            while pos < len(live) - 1 and kicker(live[pos]) and headline(live[pos + 1]):
                pos += 2
            if (pos - start) // 2 >= _KICKER_PAIRS:
                for k in live[start:pos]:
                    cut[k] = ("heuristic.kicker-pairs", HEURISTICS["heuristic.kicker-pairs"])
            if pos == start:
                pos += 1

    def _gallery_repeat(self, st: _State) -> None:
        """Cut every copy of a line that a page repeats word for word, three times or more in
        a row (only blank lines and lines that rules cut, such as photo credits, between the
        copies): a photo gallery's slides, each with the same caption (the short form of a
        caption, cut at '...' before a 'more' button, counts as a copy of the full one). An article does not
        say one thing three times over; an extractor's copy of the text comes once more, not
        twice (see _duplicate_copy, which keeps the first copy). Table rows and list items
        are left alone, and so is a document whose prose would be mostly gone."""
        lines, feats, cut = st.doc.lines, st.feats, st.cut
        live = self._live(st)
        # Copies are equal lines, or lines cut short at an ellipsis: without either in the
        # document there is nothing to look for.
        cleans = [lines[i].clean for i in live]
        if len(set(cleans)) == len(cleans):
            joined = "\n".join(cleans)
            if "..." not in joined and "…" not in joined:
                return
        runs: list[list[int]] = []
        run: list[int] = []
        for i in live:
            f = feats[i]
            if run and _same_caption(lines[i].clean, lines[run[0]].clean):
                run.append(i)
                continue
            if len(run) >= _GALLERY_COPIES:
                runs.append(run)
            ok = f.words >= 5 and not f.list_item and f.kind != H.JUNK and not lines[i].text.lstrip().startswith("|")
            run = [i] if ok else []
        if len(run) >= _GALLERY_COPIES:
            runs.append(run)
        if not runs:
            return
        gone = {i for r in runs for i in r}
        rest = sum(1 for i in live if i not in gone and feats[i].kind == H.GOOD)
        if rest < _GALLERY_REST:
            return
        for i in gone:
            cut[i] = ("heuristic.gallery-repeat", HEURISTICS["heuristic.gallery-repeat"])

    def _duplicate_copy(self, st: _State) -> None:
        """Cut a second (or third) copy of the article: some extractors return the text twice
        (the page's body and a copy of it kept in its markup). The evidence is a run of at
        least _COPY_LINES paragraphs of prose repeated word for word and in order, holding at
        least half of the document's prose; a sentence that recurs alone, a repeated list or
        a pull quote is not that. Every cut line keeps its first copy, so no text is lost."""
        lines, feats, cut = st.doc.lines, st.feats, st.cut
        prose = [i for i in self._live(st) if feats[i].kind in (H.GOOD, H.NEAR) and feats[i].words >= 8]
        if len(prose) < 2 * _COPY_LINES:
            return
        texts = [lines[i].clean for i in prose]
        where: dict[str, list[int]] = {}
        for p, t in enumerate(texts):
            where.setdefault(t, []).append(p)
        if len(texts) - len(where) < _COPY_LINES:
            return  # fewer repeated paragraphs than a copy holds
        seen: set[str] = set()
        total = sum(feats[i].words for i, t in zip(prose, texts) if not (t in seen or seen.add(t)))
        p = 0
        while p < len(texts):
            best = 0
            # Two or three copies are an extractor's doing; a paragraph that recurs more
            # often belongs to a text built of repeats (a template, refrains), left alone.
            if len(where[texts[p]]) <= _MAX_COPIES:
                for q in where[texts[p]]:
                    if q >= p:
                        break
                    n = 0
                    while p + n < len(texts) and q + n < p and texts[q + n] == texts[p + n]:
                        n += 1
                    best = max(best, n)
            if best >= _COPY_LINES and 2 * sum(feats[prose[k]].words for k in range(p, p + best)) >= total:
                for k in range(p, p + best):
                    cut[prose[k]] = ("heuristic.duplicate-copy", HEURISTICS["heuristic.duplicate-copy"])
            # A part of a run that falls short holds fewer words still: skip the whole run.
            p += max(best, 1)

    @staticmethod
    def _between_prose(st: _State, live: list[int], pos: int) -> bool:
        """Are the kept lines on both sides of live[pos] prose (or the document's edge)?"""
        for other in (pos - 1, pos + 1):
            if 0 <= other < len(live) and st.feats[live[other]].kind not in (H.GOOD, H.NEAR):
                return False
        return True

    @staticmethod
    def _teaser(f: H.Features) -> bool:
        """A headline-like line that is mostly a link: one item of a list of other stories."""
        return f.kind in (H.HEADING, H.SHORT, H.NEAR) and f.link_share >= 0.5

    @staticmethod
    def _adjacent(st: _State, a: int, b: int) -> bool:
        """No kept non-blank line between a and b."""
        return all(st.doc.lines[k].blank or st.cut[k] is not None for k in range(a + 1, b))

    def _inline(self, st: _State) -> None:
        rs = st.rules
        for line in st.doc.lines:
            if st.cut[line.index] is not None or line.blank:
                continue
            text = line.text
            cuts = []
            m = rs.match_start(text)
            if m is not None:
                cuts.append(m)
            m2 = rs.match_end(text)
            if m2 is not None and (m is None or m2.start >= m.end):
                cuts.append(m2)
            if cuts:
                st.inline[line.index] = cuts

    def _metadata(self, st: _State) -> None:
        md, lines = st.metadata, st.doc.lines
        if st.title is not None:
            md["title"] = lines[st.title].clean
        for i in sorted(st.rule_hits):
            rule, clean = st.rule_hits[i], lines[i].clean
            groups = {}
            if rule.compiled is not None:
                m = rule.compiled.fullmatch(clean)
                groups = {k: v for k, v in m.groupdict().items() if v} if m else {}
            cat = rule.category
            if cat == "byline" and md["byline"] is None and "byline" in groups:
                md["byline"] = _names_only(groups["byline"])
            elif cat == "wire":
                agency = groups.get("wire") or clean.strip(" ()[]—–-.")
                if agency not in md["wire"]:
                    md["wire"].append(agency)
            elif cat == "credit":
                md["credits"].append(clean)
            elif cat == "copyright" and md["copyright"] is None:
                md["copyright"] = clean
        for i, cuts in sorted(st.inline.items()):
            for m in cuts:
                if m.groups.get("wire") and m.groups["wire"] not in md["wire"]:
                    md["wire"].append(m.groups["wire"])
                if m.groups.get("dateline") and md["dateline"] is None:
                    md["dateline"] = m.groups["dateline"].strip()
        if md["dateline"] is None:
            for line in lines:
                if st.cut[line.index] is None and not line.blank and line.index != st.title:
                    m = _DATELINE.match(line.text)
                    if m:
                        md["dateline"] = m.group("dateline").strip()
                    f = st.feats[line.index]
                    if f is not None and f.kind == H.GOOD:
                        break

    def _assemble(self, st: _State) -> str:
        out: list[str] = []
        gap = False
        for line in st.doc.lines:
            if line.blank:
                gap = True
                continue
            if st.cut[line.index] is not None:
                continue
            text = line.text
            for m in reversed(st.inline.get(line.index, ())):
                text = text[:m.start] + text[m.end:]
            text = "\n".join(part.rstrip() for part in text.split("\n")).strip("\n")
            if not text.strip():
                continue
            if out:
                out.append("\n\n" if gap else "\n")
            out.append(text)
            gap = False
        return "".join(out)

    def _removals(self, st: _State) -> list[Removal]:
        removed = []
        for line in st.doc.lines:
            c = st.cut[line.index]
            if c is not None:
                pos = line.start
                for k, part in enumerate(line.raw.split("\n")):
                    removed.append(Removal(line.lineno + k, pos, pos + len(part), part, c[0], c[1]))
                    pos += len(part) + 1
            for m in st.inline.get(line.index, ()):
                if m.end > m.start:
                    removed.append(Removal(line.lineno + line.text.count("\n", 0, m.start), line.start + m.start,
                                           line.start + m.end, line.text[m.start:m.end], m.rule.id, m.rule.description))
        return removed
