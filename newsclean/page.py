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
        start = -1 if title is None else None
        end = 0
        for i in range(first):
            if self._head_chrome(st, i):
                end = i
                if start is None and i > title:
                    start = i
        if end == 0 or start is None:
            return 0, 0

        def prose(lo: int, hi: int) -> int:
            return sum(st.feats[i].chars for i in range(lo, hi)
                       if st.feats[i] is not None and st.cut[i] is None and st.feats[i].kind == H.GOOD)

        return (start, end) if prose(0, end) < prose(first, last + 1) else (0, 0)

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
