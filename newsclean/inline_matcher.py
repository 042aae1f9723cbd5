"""Inline rules: cuts at the start or the end of a paragraph ('(AP) —' after a dateline,
' / AP' glued to the last sentence), as opposed to whole-line rules (matcher.py).

A document's inline rules are planned once (`InlineMatcher.plan`): whether a start rule
may apply anywhere, and which end rules' needs the text holds; then each paragraph is tried
against those alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .patterns import _strip_named
from .rules import INLINE_WINDOW, Rule

# The characters outside ASCII whose case folding holds ASCII letters ('ß' -> 'ss', 'ﬁ' ->
# 'fi', 'K' (Kelvin) -> 'k'), in this Python's Unicode data (a test checks the list).
FOLDS_TO_ASCII = ("\u00df\u0130\u0149\u017f\u01f0\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9e"
                  "\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06")
# Texts longer than this get no inline plan: it would copy them, and in so long a text
# nearly every rule's need occurs somewhere.
_PLAN_MAX_CHARS = 100_000


@dataclass(frozen=True, slots=True)
class Match:
    rule: Rule
    start: int = 0  # for inline rules: the cut span within the line
    end: int = 0
    groups: dict | None = None


def _alternation(rules: list[Rule], wrap: str) -> tuple[re.Pattern | None, list[Rule]]:
    if not rules:
        return None, []
    body = "|".join(f"(?P<r{i}>{_strip_named(r.pattern)})" for i, r in enumerate(rules))
    return re.compile(wrap.format(body), re.IGNORECASE), rules


class InlineMatcher:
    """The start and end rules of a RuleSet, compiled."""

    def __init__(self, start_patterns: list[Rule], end_patterns: list[Rule]):
        self.start_re, self.start_rules = _alternation(start_patterns, r"(?:{})")
        self.end_rules = end_patterns
        # Inline rules are tried only when their window holds what they require (if they all
        # name something); an ungated inline rule means every paragraph is tried.
        self._start_needs = _needs_re(_needs(start_patterns))
        # Each end rule is searched for only in windows that hold what it requires: a search
        # for a pattern anchored at the end tries every position of the window, so one
        # costly rule (an embed's links) must not run on every paragraph that has a '/'.
        # Needs are looked for as substrings; needs with letters in the case-folded window.
        # (rule, its pattern anchored at the end, its needs, whether they have letters)
        self._end = []
        for r in self.end_rules:
            needs = tuple(sorted({n.casefold() for n in r.requires}))
            self._end.append((r, re.compile(f"(?:{r.pattern})\\s*\\Z", re.IGNORECASE), needs,
                              any(n.upper() != n.lower() for n in needs)))
        self._end = tuple(self._end)
        self._end_ungated = any(not needs for _, _, needs, _ in self._end)

    def match_start(self, text: str) -> Match | None:
        """An inline rule cutting at the start of a paragraph (e.g. '(AP) —' after a dateline)."""
        if self.start_re is None:
            return None
        window = text[:INLINE_WINDOW]
        if self._start_needs is not None and self._start_needs.search(window) is None:
            return None
        m = self.start_re.match(window)
        if m is None:
            return None
        rule = self.start_rules[int(m.lastgroup[1:])]
        own = rule.compiled.match(window)
        return _inline_match(rule, own) if own else None

    def plan(self, texts: list[str]) -> tuple[bool, tuple]:
        """The inline rules that may cut somewhere in a document's lines: whether a start
        rule may, and the end rules (for `match_end`) whose needs the document holds. One
        look at the whole text instead of one per paragraph: most documents hold none."""
        if sum(map(len, texts)) > _PLAN_MAX_CHARS:  # a big text: no copies of it, every rule
            return self.start_re is not None, self._end
        joined = "\n".join(texts)
        starts = self.start_re is not None and (self._start_needs is None
                                                or self._start_needs.search(joined) is not None)
        if not self._end or self._end_ungated:
            return starts, self._end
        ascii_low = folded = special = None
        ends = []
        for entry in self._end:
            for n in entry[2]:
                if not entry[3]:  # no letter case: as it is
                    found = n in joined
                elif n.isascii():
                    # An ASCII need occurs in the case-folded text if it occurs in the text's
                    # ASCII letters lowered, or where a character folds to ASCII letters
                    # ('ﬁ' -> 'fi'); lowering bytes is much cheaper than case-folding text.
                    if ascii_low is None:
                        ascii_low = joined.encode("utf-8", "surrogatepass").lower()
                        special = any(c in joined for c in FOLDS_TO_ASCII)
                    found = special or n.encode() in ascii_low
                else:
                    if folded is None:
                        folded = joined.casefold()
                    found = n in folded
                if found:
                    ends.append(entry)
                    break
        return starts, tuple(ends)

    def match_end(self, text: str, candidates: tuple | None = None) -> Match | None:
        """An inline rule cutting at the end of a paragraph (e.g. ' / AP'). Of the rules
        that match, the one whose cut starts first (the first in pack order among equals),
        as one alternation of them all would choose. candidates: the end rules to try (from
        `plan`), all of them by default."""
        if not self.end_rules:
            return None
        offset = max(0, len(text) - INLINE_WINDOW)
        window = text[offset:]
        low = None
        best: re.Match | None = None
        best_rule = None
        for rule, anchored, needs, cased in (self._end if candidates is None else candidates):
            if needs:
                if cased and low is None:
                    low = window.casefold()
                seen = low if cased else window  # '/', '(': no letter case to fold
                for n in needs:  # a loop, not any(): this runs for every paragraph
                    if n in seen:
                        break
                else:
                    continue
            own = anchored.search(window)
            if own is not None and (best is None or own.start() < best.start()):
                best, best_rule = own, rule
        if best is None:
            return None
        found = _inline_match(best_rule, best)
        return Match(found.rule, found.start + offset, found.end + offset, found.groups)


def _needs(rules: list[Rule]) -> tuple[str, ...]:
    """What one of these rules needs in a window, or () when some rule needs nothing."""
    if not rules or any(not r.requires for r in rules):
        return ()
    return tuple(sorted({n for r in rules for n in r.requires}))


def _needs_re(needs: tuple[str, ...]) -> re.Pattern | None:
    """One search for any of these needs (None: nothing to look for)."""
    if not needs:
        return None
    return re.compile("|".join(map(re.escape, sorted(needs, key=len, reverse=True))), re.IGNORECASE)


def _inline_match(rule: Rule, m: re.Match) -> Match:
    groups = {k: v for k, v in m.groupdict().items() if v is not None and k != "cut"}
    if "cut" in m.re.groupindex:
        if m.group("cut") is None:
            return Match(rule, 0, 0, groups)  # matched, but nothing to cut (metadata only)
        return Match(rule, m.start("cut"), m.end("cut"), groups)
    return Match(rule, m.start(), m.end(), groups)
