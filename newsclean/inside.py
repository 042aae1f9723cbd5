"""Revision inside the text: lines judged by what else the document holds.

Lines made only of links, short labels recurring between paragraphs, runs of teaser
headlines (links, or kicker over headline), a gallery's caption repeated slide after slide,
and a second copy of the whole article. The cleaner mixes these passes in; they read and
write the per-document `_State` (see context.py).
"""

from __future__ import annotations

import re

from . import heuristics as H
from .context import HEURISTICS, _State
from .document import phrase_key

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


def _cut_short(s: str) -> bool:
    """Could s be a caption cut short? It ends with its ellipsis and at most a short word
    ('more'): only then is _TRUNCATED tried (it would scan the whole line)."""
    tail = s[-13:]
    return "..." in tail or "…" in tail


def _same_caption(a: str, b: str) -> bool:
    """Are a and b the same caption: equal, or one of them the other cut short?"""
    if a == b:
        return True
    for short, full in ((a, b), (b, a)):
        if not _cut_short(short) or not full.startswith(short[:40]):
            continue  # the part kept before the ellipsis is 40 characters or more (_TRUNCATED)
        m = _TRUNCATED.fullmatch(short)
        if m is not None and full.startswith(m.group(1)):
            return True
    return False


# A line of search keywords: this many comma-separated items at least, of at most this
# many words each, most of them sharing a word with another item.
_KEYWORD_ITEMS = 4
_KEYWORD_ITEM_WORDS = 6
_KEYWORD_SHARED = 0.75


def keyword_line(clean: str) -> bool:
    """Is this a line of search keywords or tags ('stock car 2018, stock car brasil, stock
    car cascavel, ...'): short comma-separated items that repeat the same words? A list of
    places or names ('Paris, Lyon, Nice, Lille') shares no word between its items; a list
    a sentence introduces has its colon."""
    # A colon introduces a list in a sentence ('The winners: best actor, best film, ...').
    if clean.count(",") < _KEYWORD_ITEMS - 1 or ":" in clean:
        return False
    items = [item.split() for item in clean.casefold().split(",")]
    if len(items) < _KEYWORD_ITEMS or any(not 1 <= len(words) <= _KEYWORD_ITEM_WORDS for words in items):
        return False
    seen: dict[str, int] = {}
    for words in items:
        for w in {w for w in words if len(w) >= 3 and w.isalpha()}:
            seen[w] = seen.get(w, 0) + 1
    sharing = sum(1 for words in items if any(seen.get(w, 0) >= 2 for w in words))
    return sharing >= _KEYWORD_SHARED * len(items)


class InsidePasses:
    """Passes over the text between head and tail (mixed into Cleaner)."""

    _heuristic_off: set

    @staticmethod
    def _live(st: _State) -> list[int]:
        cut = st.cut
        return [i for i, f in enumerate(st.feats) if f is not None and cut[i] is None]

    @staticmethod
    def _still_live(st: _State, live: list[int]) -> list[int]:
        """`_live` again after some cuts, from an earlier list of it: passes only ever cut
        lines, so looking at those it held is enough."""
        cut = st.cut
        return [i for i in live if cut[i] is None]

    def _inside(self, st: _State, block) -> None:
        lines, feats, cut = st.doc.lines, st.feats, st.cut
        live = self._live(st)
        if "heuristic.link-only" not in self._heuristic_off:
            for i in live:
                if feats[i].kind == H.JUNK:
                    cut[i] = ("heuristic.link-only", HEURISTICS["heuristic.link-only"])
        if "heuristic.keyword-line" not in self._heuristic_off:
            # Walking back from the end, up to the last paragraph of prose that is not one.
            for i in reversed(live):
                if cut[i] is not None:
                    continue
                if not feats[i].terminal and keyword_line(lines[i].clean):
                    cut[i] = ("heuristic.keyword-line", HEURISTICS["heuristic.keyword-line"])
                elif feats[i].kind in (H.GOOD, H.NEAR):
                    break
        if "heuristic.repeated" not in self._heuristic_off:
            # A short line that recurs, each time standing alone between paragraphs of prose,
            # is a label (an ad slot, a promo); a recurring heading over a list is structure.
            seen: dict[str, list[int]] = {}
            live = self._still_live(st, live)
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
            self._duplicate_copy(st, self._still_live(st, live))
        if "heuristic.kicker-pairs" not in self._heuristic_off:
            self._kicker_pairs(st, self._still_live(st, live))
        if "heuristic.teaser-list" not in self._heuristic_off:
            self._teaser_list(st, self._still_live(st, live))

    def _teaser_list(self, st: _State, live: list[int]) -> None:
        """Cut runs of three teasers or more (only blank or cut lines between them)."""
        lines, cut = st.doc.lines, st.cut
        teaser = [self._teaser(st.feats[i]) for i in live]
        if sum(teaser) < 3:
            return  # no run of three to find
        run: list[int] = []
        for i, t in zip(live + [len(lines)], teaser + [False]):
            if t and (not run or self._adjacent(st, run[-1], i)):
                run.append(i)
                continue
            if len(run) >= 3:
                for k in run:
                    cut[k] = ("heuristic.teaser-list", HEURISTICS["heuristic.teaser-list"])
            run = [i] if t else []

    def _kicker_pairs(self, st: _State, live: list[int]) -> None:
        """Cut a block of teasers for other stories set as kicker and headline: a short line
        in capitals ('TIME TRAVELLER') over a headline that does not end as a sentence does,
        at least _KICKER_PAIRS such pairs in a row (only blank or cut lines between them).
        Tabloid pages put such blocks in the middle of the article; the article's own
        subheadings in capitals stand over paragraphs of prose, which end as sentences."""
        lines, feats, cut = st.doc.lines, st.feats, st.cut

        # The features first: most lines fail them, and their text need not be looked at.
        def kicker(i: int) -> bool:
            f = feats[i]
            if not (f.words <= 5 and f.letters and not f.list_item and not f.terminal):
                return False
            text = lines[i].clean
            return not text.endswith(":") and text.upper() == text

        def headline(i: int) -> bool:
            f = feats[i]
            if not (4 <= f.words <= 25 and not f.terminal and not f.list_item):
                return False
            text = lines[i].clean
            return not text.endswith(":") and text.upper() != text

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
        cleans = [lines[i].clean for i in live]
        # Copies are equal lines, or lines cut short at an ellipsis: with no line cut short,
        # a run (three copies at least) is one line three times in a row.
        if not any(a == b == c for a, b, c in zip(cleans, cleans[1:], cleans[2:])) \
                and not any(_cut_short(c) for c in cleans):
            return
        runs: list[list[int]] = []
        run: list[int] = []
        caption = ""  # the run's first line
        for i, clean in zip(live, cleans):
            if run and _same_caption(clean, caption):
                run.append(i)
                continue
            if len(run) >= _GALLERY_COPIES:
                runs.append(run)
            f = feats[i]
            ok = f.words >= 5 and not f.list_item and f.kind != H.JUNK and not lines[i].text.lstrip().startswith("|")
            run, caption = ([i] if ok else []), clean
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

    def _duplicate_copy(self, st: _State, live: list[int]) -> None:
        """Cut a second (or third) copy of the article: some extractors return the text twice
        (the page's body and a copy of it kept in its markup). The evidence is a run of at
        least _COPY_LINES paragraphs of prose repeated word for word and in order, holding at
        least half of the document's prose; a sentence that recurs alone, a repeated list or
        a pull quote is not that. Every cut line keeps its first copy, so no text is lost."""
        lines, feats, cut = st.doc.lines, st.feats, st.cut
        prose = [i for i in live if feats[i].kind in (H.GOOD, H.NEAR) and feats[i].words >= 8]
        if len(prose) < 2 * _COPY_LINES:
            return
        texts = [lines[i].clean for i in prose]
        if len(texts) - len(set(texts)) < _COPY_LINES:
            return  # fewer repeated paragraphs than a copy holds
        where: dict[str, list[int]] = {}
        for p, t in enumerate(texts):
            where.setdefault(t, []).append(p)
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
