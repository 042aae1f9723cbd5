"""The cleaner: a fixed sequence of small passes over one document.

    segment -> rules (+ site profile) -> inline tags -> classify -> gallery captions
    -> main block -> sections -> tail-only rules -> head/headline/tail (+ whole-page head
    and grids, page.py) -> inside (inside.py) -> metadata -> assemble

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
from .document import Document, Line
from .language import detect
from .inside import InsidePasses
from .page import PagePasses
from .result import Removal, Result
from .matcher import RuleSet, compiled
from .rules import MAX_RULE_LINE, Rule, RulePack, builtin_packs, load_pack
from .sites import as_profiles


# A dateline at the start of the first paragraph: 'BEIJING —', 'DES MOINES, Iowa —'.
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


class Cleaner(ContextPasses, PagePasses, InsidePasses):
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
        """The rules for a page detected in this language: its language's, the neutral ones,
        and those of packs marked `everywhere` (English: much of the chrome on pages in other
        languages, share buttons, cookie banners, widget labels, is in English)."""
        found = self._by_lang.get(lang)
        if found is None:  # a benign race: compiled() hands every thread the same RuleSet
            found = compiled(r for r in self._selected
                             if "*" in r.languages or lang in r.languages or r.everywhere)
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

    def _inline(self, st: _State) -> None:
        rs = st.rules
        cut = st.cut
        lines = [line for line in st.doc.lines if cut[line.index] is None and not line.blank]
        starts, ends = rs.inline_plan([line.text for line in lines])
        if not starts and not ends:
            return
        for line in lines:
            text = line.text
            cuts = []
            m = rs.match_start(text) if starts else None
            if m is not None:
                cuts.append(m)
            m2 = rs.match_end(text, ends) if ends else None
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
        cut, inline = st.cut, st.inline
        for line in st.doc.lines:
            text = line.text
            if not text:  # blank
                gap = True
                continue
            if cut[line.index] is not None:
                continue
            cuts = inline.get(line.index)
            if cuts is not None:
                for m in reversed(cuts):
                    text = text[:m.start] + text[m.end:]
            if "\n" in text:  # a wrapped paragraph: trim each of its lines
                text = "\n".join(part.rstrip() for part in text.split("\n")).strip("\n")
                if not text.strip():
                    continue
            elif cuts is not None:  # line.text is already right-trimmed
                text = text.rstrip()
                if not text:
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
                # A cut in a wrapped paragraph may span its lines ('\n(Belga)'): one Removal
                # for each line's part, as for whole units above.
                lineno, pos = line.lineno + line.text.count("\n", 0, m.start), line.start + m.start
                for k, part in enumerate(line.text[m.start:m.end].split("\n")):
                    if part:
                        removed.append(Removal(lineno + k, pos, pos + len(part), part, m.rule.id, m.rule.description))
                    pos += len(part) + 1
        return removed
