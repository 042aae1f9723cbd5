"""Context revision: the passes that judge a line by where it stands.

The main block (the densest run of prose), sections opened by rule headings, rules that
apply only after the last paragraph, the head before the article (its chrome and its
headline) and the tail after it. The cleaner mixes these passes in; they read and write
the per-document `_State`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from . import heuristics as H
from .document import Document
from .result import empty_metadata
from .rules import MAX_RULE_LINE, Rule

_HANGUL = re.compile(r"[\uac00-\ud7af]")

HEURISTICS = {
    "heuristic.head": "Before the article's main block, and not its title.",
    "heuristic.page-head": "Above the last menu or link line before the article: an item of the page's menus or story lists.",
    "heuristic.tail": "After the article's main block, where the page's chrome is.",
    "heuristic.grid": "After the article, a grid of other stories: a chrome line, then units of a headline, a byline or date and a one-paragraph summary.",
    "heuristic.title": "The headline, dropped because keep_title=False.",
    "heuristic.link-only": "A line made only of links or images carries no article text.",
    "heuristic.repeated": "A short line that recurs in the document is a label, not article text.",
    "heuristic.teaser-list": "A run of headline-like lines inside the text is a list of teasers.",
    "heuristic.kicker-pairs": "Three or more teasers in a row, each a short line in capitals over a headline that is not a sentence: a block of links to other stories.",
    "heuristic.gallery-repeat": "A line repeated word for word three times or more in a row (a photo gallery's "
                                "caption on each slide): every copy goes.",
    "heuristic.keyword-line": "After the article, a line of search keywords or tags: short comma-separated items "
                              "repeating the same words.",
    "heuristic.duplicate-copy": "A second copy of the article's text: a run of paragraphs repeated in order, "
                                "holding most of the prose; the first copy stays.",
}


class _State:
    """Per-document working state shared by the passes."""

    __slots__ = ("doc", "cut", "feats", "rule_hits", "title", "metadata", "inline", "lang", "rules")

    def __init__(self, doc: Document):
        self.doc = doc
        n = len(doc.lines)
        self.cut: list[tuple[str, str] | None] = [None] * n  # (rule id, reason)
        self.feats: list[H.Features | None] = [None] * n
        self.rule_hits: dict[int, Rule] = {}
        self.title: int | None = None
        self.metadata = empty_metadata()
        self.inline: dict[int, list] = {}



def _wordy(clean: str, needed: int = 3) -> bool:
    """Enough real words for a headline: not a date, a score line, an issue number, a
    site name. Chinese and Japanese count two characters a word; Korean words of two
    syllables are words."""
    letters = 3
    if not clean.isascii():
        cjk = len(H._CJK.findall(clean))
        if cjk:
            return cjk >= 2 * needed + 2
        if _HANGUL.search(clean):
            letters = 2
    found = 0
    for w in clean.split():  # counted up to `needed` (a headline has many words)
        if len(w) >= letters and sum(c.isalpha() for c in w) >= letters:
            found += 1
            if found >= needed:
                break
    return found >= needed



_URLISH = re.compile(r"(?:https?://|www\.)\S|\S@\S+\.\w", re.IGNORECASE)
_LABEL_COLON = re.compile(r"\w[:：]\s")


def _headline_shaped(clean: str) -> bool:
    """Could this line (not a Markdown heading, which says it is one) be a headline by its
    own shape? Not when it ends with a full stop (a sentence; 'U.S.' and '...' are not full
    stops), holds a web or mail address, reads as several 'label: value' pairs ('Tested by:
    … Price: …'), or is in capitals throughout (a kicker, a call to action or a subheading
    set in capitals)."""
    s = clean.rstrip(H._CLOSERS + " ")
    if s.endswith(".") and not s.endswith("..") and "." not in s.rsplit(None, 1)[-1][:-1]:
        return False
    if _URLISH.search(clean) or len(_LABEL_COLON.findall(clean)) >= 2:
        return False
    return any(c.islower() for c in clean) or sum(1 for c in clean if c.isupper()) < 8


def _opening(clean: str) -> str:
    """A line's first two words, numbers made alike: how the items of a list open."""
    return re.sub(r"\d+", "0", " ".join(clean.split(None, 2)[:2])).casefold()


def _in_list_run(lines, i: int) -> bool:
    """Does line i stand in a run of lines that open alike ('1a etapa: …', '2a etapa: …'),
    with no blank line between them? Such a run is a list or a table, not a headline. A
    headline and the sentence under it may open with the same name: one neighbour alike
    is enough only when the opening is numbered."""
    key = _opening(lines[i].clean)
    alike = sum(1 for k in (i - 1, i + 1) if 0 <= k < len(lines) and not lines[k].blank
                and _opening(lines[k].clean) == key)
    return alike == 2 or (alike == 1 and "0" in key)



# A related-stories box lists a handful of stories; a heading over a longer list (a deals
# roundup under "Don't miss:") introduces article content: the section stops there.
MAX_SECTION_ITEMS = 12


class ContextPasses:
    """Passes that revise lines by their context (mixed into Cleaner)."""

    keep_title: bool
    ruleset: "object"
    _heuristic_off: set

    def _main_block(self, st: _State) -> tuple[int, int] | None:
        """The densest run of prose; lines cut by rules of page-chrome categories count
        against it, those of in-article categories (ads, embeds, credits) are neutral."""
        idx, scores = [], []
        feats, cut, rule_hits = st.feats, st.cut, st.rule_hits
        # A paragraph of prose standing alone between headlines (rule hits do not count) is a
        # teaser's summary more often than an article's: it weighs less than prose in a run.
        # `lone` holds a paragraph after a non-paragraph until the next kept line settles it.
        lone, was_good = None, False
        for i, f in enumerate(feats):
            if f is not None and cut[i] is None:
                good = f.kind == H.GOOD
                if lone is not None and not good:
                    scores[lone] *= H.ISOLATED_PROSE_WEIGHT
                lone = len(scores) if good and not was_good else None
                was_good = good
                idx.append(i)
                scores.append(H.line_score(f))
            elif i in rule_hits and rule_hits[i].category not in self._NEAR_TITLE:
                idx.append(i)
                scores.append(H.CHROME_RULE_SCORE)
        if lone is not None:
            scores[lone] *= H.ISOLATED_PROSE_WEIGHT
        return H.main_block(idx, scores)

    def _sections(self, st: _State, block) -> None:
        """A comments or related heading after the article has begun opens a chrome section."""
        if block is None:
            return
        lines = st.doc.lines
        for i in sorted(st.rule_hits):
            rule = st.rule_hits[i]
            if rule.scope != "section" or i <= block[0]:
                continue
            if self._in_share_bar(st, i):
                continue  # 'Comments' between 'Twitter' and 'Print': a button, not a heading
            j = i + 1
            prose_run = items = 0
            while j < len(lines):
                f = st.feats[j]
                if rule.until == "prose" and f is not None and st.cut[j] is None:
                    items += 1
                    if items > MAX_SECTION_ITEMS:
                        break  # a longer list under the heading is the article's own
                    if f.kind == H.GOOD and not f.list_item:
                        prose_run += 1
                        if prose_run >= 2 or f.chars >= 250:
                            break
                    elif f.kind != H.NEAR or f.list_item:
                        prose_run = 0
                j += 1
            end = j if j >= len(lines) or items > MAX_SECTION_ITEMS else self._rewind(st, i, j)
            for k in range(i + 1, end):
                if st.cut[k] is None and not lines[k].blank:
                    st.cut[k] = (rule.id, f"Under the '{lines[i].clean}' heading: {rule.description}")
            if rule.until == "end" or end >= len(lines):
                return

    @staticmethod
    def _in_share_bar(st: _State, i: int) -> bool:
        """Do share buttons stand right above and right below line i (over blank lines)?"""
        lines = st.doc.lines
        for step in (-1, 1):
            k = i + step
            while 0 <= k < len(lines) and lines[k].blank:
                k += step
            rule = st.rule_hits.get(k) if 0 <= k < len(lines) else None
            if rule is None or rule.category != "social":
                return False
        return True

    @staticmethod
    def _rewind(st: _State, i: int, j: int) -> int:
        """Prose resumed at j: the section ends before the first line of that prose run."""
        k = j - 1
        while k > i and (st.feats[k] is None or st.feats[k].kind in (H.GOOD, H.NEAR)):
            k -= 1
        return k + 1

    # Rule categories that do not show where the page's chrome begins or ends: they also
    # occur between the paragraphs of an article, or between its headline and its text.
    _IN_ARTICLE = frozenset({"ad", "embed", "photo-credit", "wire"})
    _NEAR_TITLE = _IN_ARTICLE | {"byline", "timestamp", "reading-time", "social", "label", "credit"}

    def _evidence(self, st: _State, i: int, head: bool) -> bool:
        """Is line i plain evidence of page chrome (a rule hit, links, symbols, a lone word)?"""
        rule = st.rule_hits.get(i)
        if rule is not None:
            if rule.category == "related" and rule.scope == "line":
                return False  # a one-line teaser ('Read more: ...') stands between paragraphs
            return rule.category not in (self._NEAR_TITLE if head else self._IN_ARTICLE)
        f = st.feats[i]
        if f is None:
            return False
        return (f.kind == H.JUNK and not f.image_only) or (head and f.kind == H.SHORT and not f.list_item)

    def _head_end(self, st: _State, first: int) -> int:
        """Where the head's chrome ends: the prefix before the article in which lines that
        are evidence of chrome most outnumber lines that read as content (a menu, not a
        list that opens the article)."""
        best, best_end, balance = 0, 0, 0
        for i in range(first):
            if st.doc.lines[i].blank:
                continue
            rule = st.rule_hits.get(i)
            if rule is not None and rule.category in self._NEAR_TITLE:
                continue  # bylines, dates, share buttons sit between a headline and its text
            if rule is not None or self._evidence(st, i, head=True):
                balance += 1
            elif st.feats[i] is not None:
                balance -= 2 if st.feats[i].kind == H.GOOD else 1
            if balance > best:
                best, best_end = balance, i + 1
        return best_end

    def _tail_start(self, st: _State, first: int, last: int) -> int | None:
        """The first evidence of chrome after the block beyond which little connected prose
        remains. Prose that continues after a share bar (a recipe's method, a second part)
        keeps the tail open; teaser summaries, one under each headline, do not."""
        feats, cut, n = st.feats, st.cut, len(st.doc.lines)
        live = [i for i, f in enumerate(feats) if f is not None and cut[i] is None]
        good = [feats[i].kind == H.GOOD for i in live]  # by position in live
        block_mass = sum(feats[i].chars for i, g in zip(live, good) if g and first <= i <= last)
        limit = max(300, block_mass // 4)
        # Connected prose: a paragraph next to another (cut and blank lines between them
        # do not part them). Only what lies after the block is weighed.
        connected: dict[int, int] = {}
        for pos in range(bisect_right(live, last), len(live)):
            if good[pos] and ((pos > 0 and good[pos - 1]) or (pos + 1 < len(live) and good[pos + 1])):
                connected[live[pos]] = feats[live[pos]].chars
        remaining = sum(connected.values())  # connected prose from line i on
        # A chrome line followed by article content (a sentence, a list, a live blog's next
        # entry) is a chrome line, not the start of the page's tail: its own rule cuts it.
        for i in range(last + 1, n):
            if remaining < limit and self._evidence(st, i, head=False) and self._chrome_follows(st, i):
                return i
            remaining -= connected.get(i, 0)
        return None

    def _chrome_follows(self, st: _State, i: int) -> bool:
        """Is what follows line i chrome too: the next two lines chrome-like (evidence,
        or headline-like lines with no final stop), or nothing at all? A heading followed by
        a paragraph is the article's structure, not a list of teasers."""
        seen = 0
        for k in range(i + 1, len(st.doc.lines)):
            if st.doc.lines[k].blank:
                continue
            if self._evidence(st, k, head=False):
                if seen == 0:
                    return True  # chrome right after chrome (a share bar, a footer)
                continue
            f = st.feats[k]
            if f is None or st.cut[k] is not None:
                continue
            if not (f.kind in (H.HEADING, H.SHORT) and not f.terminal and not f.list_item
                    and not st.doc.lines[k].clean.endswith(":")):
                return False
            seen += 1
            if seen == 2:
                return True
        return True

    def _tail_rules(self, st: _State) -> None:
        """Rules that only apply at the end of the article (author bios, newsletter pitches):
        walk back from the end of the document until a paragraph of prose they do not match."""
        lines, cut, feats = st.doc.lines, st.cut, st.feats
        end = len(lines)
        while end > 0:
            # The lines up to the next paragraph of prose going back (where the walk stops
            # unless a rule matches it), matched together.
            batch: list[int] = []
            k = end - 1
            while k >= 0:
                if cut[k] is None and not lines[k].blank:
                    batch.append(k)
                    f = feats[k]
                    if f is not None and f.kind in (H.GOOD, H.NEAR) and not f.list_item:
                        break
                k -= 1
            end = k
            fits = [i for i in batch if len(lines[i].text) <= MAX_RULE_LINE]
            hits = dict(zip(fits, st.rules.match_tails([lines[i].clean for i in fits])))
            for i in batch:
                rule = hits.get(i)
                if rule is not None:
                    st.rule_hits[i] = rule
                    cut[i] = (rule.id, rule.description)
                    continue
                f = feats[i]
                if f is not None and f.kind in (H.GOOD, H.NEAR) and not f.list_item:
                    return

    def _head_and_tail(self, st: _State, block) -> None:
        if block is None:
            return
        first, last = block
        lines = st.doc.lines
        # Head: chrome up to the last line that is plain evidence of chrome; what follows it
        # (the headline, a standfirst, a dateline) leads into the article and stays. A
        # Markdown headline starts the article wherever it stands.
        lead = self._head_end(st, first)
        title = self._find_title(st, lead, first)
        if title is not None and not st.feats[title].md_heading and any(
                st.feats[i] is not None and st.cut[i] is None and st.feats[i].kind in (H.GOOD, H.NEAR)
                for i in range(lead, title)):
            title = None  # prose above it: a subheading inside the article, not the headline
        # The line found still marks where the head's chrome ends; it is reported and
        # dropped as the headline only when its shape allows one.
        st.title = title if title is None or st.feats[title].md_heading \
            or _headline_shaped(lines[title].clean) else None
        kicker = None
        if title is not None and not st.feats[title].md_heading:
            kicker = self._line_above_title(st, title)
        if "heuristic.head" not in self._heuristic_off:
            # Before the headline everything goes; between it and the text, only the lines
            # that are themselves evidence of chrome (share bars, lone words). A headline-like
            # line right above the headline stays: it may be the headline itself, above a
            # standfirst taken for it, and a headline lost is worse than a label kept.
            # Once prose has begun below the headline, what follows is the article's.
            prose_seen = False
            page_head = (0, 0) if "heuristic.page-head" in self._heuristic_off else \
                self._page_head(st, first, last, title)
            for i in range(first):
                if i in (title, kicker) or st.cut[i] is not None or lines[i].blank:
                    continue
                before = (title is None and i < lead) or (title is not None and i < title)
                if not before and page_head[0] < i < page_head[1] and self._page_head_line(st, i):
                    st.cut[i] = ("heuristic.page-head", HEURISTICS["heuristic.page-head"])
                    continue
                if not before and st.feats[i] is not None and st.feats[i].kind in (H.GOOD, H.NEAR):
                    prose_seen = True
                if before or (not prose_seen and self._evidence(st, i, head=True)):
                    st.cut[i] = ("heuristic.head", HEURISTICS["heuristic.head"])
        if st.title is not None and not self.keep_title and st.cut[st.title] is None:
            st.cut[st.title] = ("heuristic.title", HEURISTICS["heuristic.title"])
        # Tail: from the first plain evidence of chrome after the block, everything goes,
        # with the headings just above it (the chrome's own headings).
        if "heuristic.tail" in self._heuristic_off:
            return
        rule_id = "heuristic.tail"
        grid = None if "heuristic.grid" in self._heuristic_off else self._grid_start(st, first, last)
        if grid is not None:
            # The block ran on through a grid of other stories: it ends before the grid,
            # and the tail, if it starts there, is the grid and what follows it.
            last = max(i for i in range(first, grid) if st.feats[i] is not None and st.cut[i] is None)
        start = self._tail_start(st, first, last)
        if start is None:
            return
        if grid is not None and start >= grid:
            rule_id = "heuristic.grid"
        k, taken = start - 1, 0
        while k > last and taken < 2:
            f = st.feats[k]
            if f is not None and st.cut[k] is None:
                if f.kind not in (H.HEADING, H.SHORT) or f.list_item or f.terminal or f.words > 8:
                    break
                start, taken = k, taken + 1
            k -= 1
        for i in range(start, len(lines)):
            if st.cut[i] is None and not lines[i].blank:
                st.cut[i] = (rule_id, HEURISTICS[rule_id])

    def _find_title(self, st: _State, lead: int, first: int) -> int | None:
        """The headline, in order of confidence: a Markdown heading before the article; the
        title-like line just above the article, looking back over bylines, dates and share
        buttons (and over a standfirst, to the headline above it); the article's first line
        when it reads as a headline; the first title-like line after the head's chrome."""
        lines, feats = st.doc.lines, st.feats
        shaped: dict[int, bool] = {}  # by line, the tests that do not depend on min_words

        def title_like(i: int, min_words: int) -> bool:
            f = feats[i]
            if f is None or not min_words <= f.words <= 20:
                return False
            ok = shaped.get(i)
            if ok is None:  # the same lines are asked about for several lengths: judge once
                ok = shaped[i] = (st.cut[i] is None and f.kind in (H.HEADING, H.NEAR, H.GOOD) and not f.list_item
                                  and _wordy(lines[i].clean) and not lines[i].clean.endswith(":")
                                  and (f.md_heading or not _in_list_run(lines, i)))
            return ok

        for i in range(first):
            f = feats[i]
            if f is not None and f.md_heading and lines[i].text.lstrip().startswith(("# ", "## ")) \
                    and title_like(i, 3):
                return i
        found = self._title_above(st, first, title_like)
        f = feats[first]
        headline_sized = (title_like(first, 3) and f.words <= 20 and f.chars <= 150
                          and not lines[first].clean.endswith((":", "#ad")))
        if headline_sized and not f.terminal and f.kind == H.NEAR and self._prose_follows(st, first):
            return first  # a long headline with many function words opened the block
        if found is not None:
            # A label of three or four words above an article whose first line is
            # headline-sized: that first line is the headline, the label is chrome.
            if feats[found].words <= 4 and headline_sized and f.words >= 6 and self._prose_follows(st, first):
                return first
            return found
        if (first == 0 or lead == first) and headline_sized and not f.terminal:
            return first
        # The head holds one line its rules leave and it is shaped like a headline (five
        # real words or more: not a site name, not a date line): that line is the headline,
        # whatever rule-cut chrome stands above or below it ('Back to top', a sign-up note
        # between headline and text outweigh it in the head's balance).
        left = [i for i in range(first) if not lines[i].blank and i not in st.rule_hits]
        if len(left) == 1 and title_like(left[0], 5) and _wordy(lines[left[0]].clean, 5) \
                and _headline_shaped(lines[left[0]].clean):
            return left[0]
        for min_words in (4, 2):
            for i in range(lead, first):
                if title_like(i, min_words):
                    return i
        return None

    @staticmethod
    def _prose_follows(st: _State, i: int) -> bool:
        """Does a paragraph of prose follow line i, past at most two short sentences (a
        standfirst) and the bylines and dates that rules cut?"""
        near = 0
        for k in range(i + 1, len(st.feats)):
            f = st.feats[k]
            if f is None or st.cut[k] is not None:
                continue
            if f.kind == H.GOOD:
                return True
            if f.kind != H.NEAR or near == 2:
                return False
            near += 1
        return False

    def _line_above_title(self, st: _State, title: int) -> int | None:
        """The nearest line above the headline (over blanks and rule hits) when it reads as
        a headline too: five real words or more, no final stop, not evidence of chrome."""
        k = title - 1
        while k >= 0 and (st.doc.lines[k].blank or k in st.rule_hits):
            k -= 1
        if k < 0 or st.cut[k] is not None or st.feats[k] is None:
            return None
        f = st.feats[k]
        if f.kind in (H.HEADING, H.NEAR) and not f.terminal and not f.list_item and f.words <= 30 \
                and _wordy(st.doc.lines[k].clean, 5) and not self._evidence(st, k, head=True):
            return k
        return None

    def _title_above(self, st: _State, first: int, title_like) -> int | None:
        """Look back from the article over bylines, dates and share buttons (at most six
        lines): the nearest line long enough for a headline (five words or more), or the
        one above it when the two stand together (headline and standfirst); failing that,
        the nearest title-like line."""
        lines, feats = st.doc.lines, st.feats
        nearest, seen, i = None, 0, first - 1
        while i >= 0 and seen < 6:
            rule = st.rule_hits.get(i)
            if lines[i].blank or (rule is not None and rule.category in self._NEAR_TITLE):
                i -= 1
                continue
            if feats[i] is None or st.cut[i] is not None:
                break
            seen += 1
            if title_like(i, 5):
                above = i - 1
                while above >= 0 and (lines[above].blank or above in st.rule_hits):
                    above -= 1
                # A standfirst reads like a sentence or runs long; a headline above it is
                # shorter and has no final stop.
                standfirst = feats[i].terminal or feats[i].words >= 12
                if standfirst and above >= 0 and title_like(above, 5) and not feats[above].terminal \
                        and _wordy(lines[above].clean, 5):
                    return above
                return i
            if nearest is None and title_like(i, 3):
                nearest = i
            i -= 1
        return nearest

