"""Whole-page passes: what a page converted to text (html_text, inscriptis, html2text)
holds around its article, beyond the lines that rules name.

Above the article, a page has its menus and lists of other stories; the last plain
evidence of chrome before the article (a menu item a rule cuts, a line of links) shows
where they end. The cleaner mixes these passes in; they read the per-document `_State`.
"""

from __future__ import annotations

from . import heuristics as H

# A line of more words than this is not a menu item or a teaser's headline.
MAX_HEAD_LIST_WORDS = 40
# Fewer lines than this to cut are not a page's menus and lists.
MIN_HEAD_LIST_ITEMS = 4


class PagePasses:
    """Passes for the page around the article (mixed into Cleaner)."""

    _NEAR_TITLE: frozenset

    def _head_chrome(self, st, i: int) -> bool:
        """Is line i plain evidence of the page's chrome above an article: a rule hit of a
        category that is not found between a headline and its text (bylines, dates, share
        bars, captions are), nor a one-line teaser, nor a line of symbols (a table's rule
        is one too); or a line of links?"""
        rule = st.rule_hits.get(i)
        if rule is not None:
            return (rule.category not in self._NEAR_TITLE and not (rule.category == "related" and rule.scope == "line")
                    and any(c.isalpha() for c in st.doc.lines[i].clean))
        f = st.feats[i]
        return f is not None and f.kind == H.JUNK and not f.image_only

    def _page_head(self, st, first: int, last: int, title: int | None) -> tuple[int, int]:
        """(start, end): the lines strictly between them that are not prose are the page's
        menus and story lists. The end is the last plain evidence of chrome before the main
        block (first..last). Under the headline, the lines up to the first such evidence
        lead into the article (a standfirst, a byline): the start is that evidence. (0, 0)
        when there is no chrome, or when the page above it holds as much prose as the block
        (the block may then be a footer, and the article above it)."""
        # The last chrome line going back from the block, the first going on from the title.
        end = next((i for i in range(first - 1, 0, -1) if self._head_chrome(st, i)), 0)
        if end == 0:
            return 0, 0
        start = -1
        if title is not None:
            start = next((i for i in range(title + 1, end + 1) if self._head_chrome(st, i)), None)
            if start is None:
                return 0, 0
            # The first line kept under the headline a paragraph of prose (lines that rules
            # cut may stand between them): the article has begun, and a page's menus come
            # before it, not after its first paragraph.
            lead = next((i for i in range(title + 1, end) if st.feats[i] is not None and st.cut[i] is None), None)
            if lead is not None and st.feats[lead].kind == H.GOOD:
                return 0, 0

        def prose(lo: int, hi: int) -> int:
            return sum(st.feats[i].chars for i in range(lo, hi)
                       if st.feats[i] is not None and st.cut[i] is None and st.feats[i].kind == H.GOOD)

        if prose(0, end) >= prose(first, last + 1):
            return 0, 0
        # Menus and story lists are many lines: a headline and a line or two above a stray
        # chrome line (a copyright line under the first paragraph) are the article's.
        items = sum(1 for i in range(start + 1, end)
                    if i != title and st.cut[i] is None and not st.doc.lines[i].blank and self._page_head_line(st, i))
        return (start, end) if items >= MIN_HEAD_LIST_ITEMS else (0, 0)

    def _page_head_line(self, st, i: int) -> bool:
        """Is line i (above the page head's end) an item of its menus or lists: a line that
        is not prose, not long, and not standing between two lines of prose (a subheading
        or a wrapped line of an article that begins above the block)?"""
        f = st.feats[i]
        if f is None or f.kind in (H.GOOD, H.NEAR) or f.words > MAX_HEAD_LIST_WORDS:
            return False
        return not (self._prose_beside(st, i, -1) and self._prose_beside(st, i, 1))

    @staticmethod
    def _prose_beside(st, i: int, step: int) -> bool:
        """Is the nearest non-blank line on that side a kept line of prose?"""
        lines = st.doc.lines
        k = i + step
        while 0 <= k < len(lines) and lines[k].blank:
            k += step
        if not 0 <= k < len(lines):
            return False
        f = st.feats[k]
        return f is not None and st.cut[k] is None and f.kind in (H.GOOD, H.NEAR)

    # A line cut by a rule of these categories may stand in each unit of a grid of other
    # stories (a teaser's byline, its date) or between an article's paragraphs: it neither
    # opens the grid nor breaks it.
    _UNIT_CATEGORIES = frozenset({"byline", "timestamp", "reading-time", "credit"})
    # Units of a grid: a few short lines (headline, author, date), then one summary.
    MIN_GRID_UNITS = 3
    MAX_UNIT_LINES = 8  # two units, when one's summary is a short sentence
    MAX_FIRST_UNIT_LINES = 16  # the first may open with tags or the grid's heading
    MAX_GRID_LOOK = 120  # lines (blank ones too) looked at for the units after a chrome line

    def _grid_start(self, st, first: int, last: int) -> int | None:
        """Where a grid of other stories begins inside the main block, or None: the first
        plain evidence of chrome (a rule hit of a chrome category or a section label, a line
        of links) after the block's first two adjacent paragraphs (the article has begun),
        followed by at least three units alike: a few lines that are not prose, at least one
        a headline, a name, a date or links, then a single paragraph (a teaser's summary).
        Whether the page's tail starts there is then for `_tail_start` to judge (little
        connected prose may remain after it)."""
        feats, cut = st.feats, st.cut
        live = [i for i in range(first, last + 1) if feats[i] is not None and cut[i] is None]
        begun = next((b for a, b in zip(live, live[1:]) if self._paragraph(st, a) and self._paragraph(st, b)), None)
        if begun is None:
            return None
        for i in range(begun + 1, last + 1):
            if self._grid_evidence(st, i) and self._units_follow(st, i, last):
                return i
        return None

    def _units_follow(self, st, start: int, last: int) -> bool:
        """Do at least MIN_GRID_UNITS units of a grid follow line `start` (looking at a
        bounded number of lines)?"""
        lines, feats, cut = st.doc.lines, st.feats, st.cut
        units, gap, shaped = 0, 0, False
        for i in range(start + 1, min(last + 1, start + 1 + self.MAX_GRID_LOOK)):
            if lines[i].blank:
                continue
            rule = st.rule_hits.get(i)
            if rule is not None:
                if rule.category not in self._UNIT_CATEGORIES and not self._grid_evidence(st, i):
                    continue  # an ad label, a caption: neutral
                gap, shaped = gap + 1, True
            elif cut[i] is not None or feats[i] is None:
                continue
            elif self._paragraph(st, i):
                if not shaped:
                    return False  # a paragraph right under a sentence or another paragraph
                units, gap, shaped = units + 1, 0, False
                if units >= self.MIN_GRID_UNITS:
                    return True
            else:  # a short sentence may be a headline or a summary
                gap += 1
                shaped = shaped or feats[i].kind in (H.HEADING, H.SHORT, H.JUNK)
            if gap > (self.MAX_UNIT_LINES if units else self.MAX_FIRST_UNIT_LINES):
                return False
        return False

    @staticmethod
    def _paragraph(st, i: int) -> bool:
        f = st.feats[i]
        return f is not None and st.cut[i] is None and f.kind == H.GOOD and not f.list_item

    def _grid_evidence(self, st, i: int) -> bool:
        """Plain evidence of chrome that may open a grid: a rule hit of a category not found
        between a headline and its text (a section label is: it heads grids too), not a
        one-line teaser; or a line of links."""
        rule = st.rule_hits.get(i)
        if rule is not None:
            return (rule.category == "label" or rule.category not in self._NEAR_TITLE) \
                and not (rule.category == "related" and rule.scope == "line")
        f = st.feats[i]
        return f is not None and st.cut[i] is None and f.kind == H.JUNK and not f.image_only
