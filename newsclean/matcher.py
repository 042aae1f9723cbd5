"""Matching a compiled set of rules against a document's lines.

A RuleSet turns rules into:

* one dict from phrase key to rule (whole-line phrases),
* one alternation for line prefixes,
* whole-line patterns grouped by the length of line they allow and picked by a line's first
  character, tried as one expression per group,
* patterns that may start anywhere, gated by the words or strings they need (looked up
  over a block of lines at once),
* and, in inline_matcher.py, the inline rules that cut at the start or the end of a
  paragraph,

so that matching a line costs a few dict lookups and regex calls, whatever the number of
rules.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left, bisect_right
from itertools import accumulate, repeat
from operator import add
from typing import Iterable

from .document import KEY_TRIM, clean_form, phrase_key, prefix_key
from .inline_matcher import InlineMatcher, Match
from .patterns import _first_chars, _required, _uncaptured
from .rules import MAX_RULE_LINE, Rule

_GATE_WORD = re.compile(r"\w[\w'’-]*")
_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_GATE_STRIP = "\"'“”‘’«»()[]{}.,;:!?¡¿…*_/،؛؟，。！？：；、（）「」『』《》"
# Gate words are looked up among a document's words split at spaces and at these characters.
_GATE_SPLIT = re.compile("[" + re.escape(_GATE_STRIP) + "]")
_GATE_BLOCK = 512  # lines whose gates are looked up together
# Line lengths (of the clean form) that split a block's lines into tiers for gate lookup.
_GATE_TIERS = (120, 260)
# Line lengths at which the set of patterns that may match changes (upper bounds).
_LENGTH_BUCKETS = (40, 80, 120, 160, 240, MAX_RULE_LINE)
# A line's tier by its length, as bisect_left(_GATE_TIERS, n) (the tier of a need's limit).
_TIER_OF = [bisect_left(_GATE_TIERS, n) for n in range(MAX_RULE_LINE + 1)]


_compiled: dict[tuple, "RuleSet"] = {}
_compiled_lock = threading.Lock()


def compiled(rules: Iterable[Rule]) -> "RuleSet":
    """A RuleSet for these rules, compiled once per process and shared (it is immutable)."""
    key = tuple(rules)
    with _compiled_lock:
        found = _compiled.get(key)
    if found is None:
        found = RuleSet(key)
        with _compiled_lock:
            found = _compiled.setdefault(key, found)
    return found


class _Alternation:
    """Rules tried together. The rules a line may match are picked by its first character
    (with those that may start with anything, in pack order); a group of more than a few is
    first tried as one regular expression without capturing groups, which says whether any
    of them matches (rarely); then its rules are tried one by one, in order, to say which."""

    _DIRECT = 4  # groups up to this size are tried rule by rule

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        index: dict[str, list[int]] = {}
        anywhere: list[int] = []
        for k, rule in enumerate(rules):
            chars = _first_chars(rule.pattern)
            if chars is None:
                anywhere.append(k)
            else:
                for ch in chars:
                    index.setdefault(ch, []).append(k)
        self._index = {ch: tuple(ks) for ch, ks in index.items()}
        self._anywhere = tuple(anywhere)
        # Groups are made on first use, per first character of a line: the packs of all
        # languages start with some hundreds of different characters, and a document
        # meets only a few. Characters with the same rules share one compiled group.
        self._by_first: dict[str, tuple[re.Pattern | None, list[Rule]]] = {}
        self._groups: dict[tuple[int, ...], tuple[re.Pattern | None, list[Rule]]] = {}

    def _group(self, ks: tuple[int, ...]) -> tuple[re.Pattern | None, list[Rule]]:
        chosen = [self.rules[k] for k in ks]
        if len(chosen) <= self._DIRECT:
            return None, chosen
        body = "|".join(_uncaptured(r.pattern) for r in chosen)
        return re.compile(f"(?:{body})", re.IGNORECASE), chosen

    def _for_first(self, first: str) -> tuple[re.Pattern | None, list[Rule]]:
        # A benign race: two threads may both make it, and they make the same.
        key = "0" if first.isdecimal() else first.lower()[:1]
        ks = tuple(sorted(set(self._index.get(key, ())) | set(self._anywhere)))
        group = self._groups.get(ks)
        if group is None:
            group = self._groups[ks] = self._group(ks)
        self._by_first[first] = group
        return group

    def fullmatch(self, clean: str) -> Rule | None:
        """The first rule, in pack order, that matches the whole line."""
        first = clean[:1]
        group = self._by_first.get(first)
        if group is None:
            group = self._for_first(first)
        together, rules = group
        if together is not None and together.fullmatch(clean) is None:
            return None
        n = len(clean)
        for rule in rules:
            if (rule.max_chars is None or n <= rule.max_chars) and rule.compiled.fullmatch(clean):
                return rule
        return None


class _LineMatcher:
    """Whole-line matching for a group of rules: one dict lookup and at most two regex calls."""

    def __init__(self, rules: list[Rule]):
        phrase_map: dict[str, Rule] = {}
        prefix_map: dict[str, Rule] = {}
        patterns = []
        for rule in rules:
            for p in rule.phrases:
                phrase_map.setdefault(phrase_key(clean_form(p)), rule)
            for p in rule.prefixes:
                prefix_map.setdefault(prefix_key(clean_form(p)), rule)
            if rule.pattern is not None and not rule.requires:
                patterns.append(rule)
        # A pattern that may start with any character would be tried on every line; when
        # it has to contain some string, it is gated by that string instead.
        derived: dict[str, tuple[str, ...]] = {}
        for rule in patterns:
            if _first_chars(rule.pattern) is None:
                needs = _required(rule.pattern)
                if needs is not None:
                    derived[rule.id] = needs
        patterns = [r for r in patterns if r.id not in derived]
        # Costly patterns that name what they need are tried only on lines that hold it: a
        # whole word (looked up in the line's set of words) or a string with other characters
        # (searched for as a substring).
        self.gated_words: dict[str, list[Rule]] = {}
        self.gated_strings: dict[str, list[Rule]] = {}
        for rule in rules:
            if rule.id in derived:
                for need in derived[rule.id]:
                    self.gated_strings.setdefault(need, []).append(rule)
            elif rule.pattern is not None and rule.requires:
                for need in rule.requires:
                    # Scripts without spaces have no words to look up: their needs are substrings,
                    # and so are words that hold a character the word split cuts at ("l'app").
                    word = (_GATE_WORD.fullmatch(need) and not _NO_SPACE_SCRIPT.search(need)
                            and _GATE_SPLIT.search(need) is None)
                    table = self.gated_words if word else self.gated_strings
                    table.setdefault(need, []).append(rule)
        self._order = {rule.id: k for k, rule in enumerate(rules)}
        # Each need's rules once, in pack order.
        for table in (self.gated_words, self.gated_strings):
            for need, listed in table.items():
                table[need] = sorted({r.id: r for r in listed}.values(), key=lambda r: self._order[r.id])
        self.gated = bool(self.gated_words or self.gated_strings)
        self._gate_words = frozenset(self.gated_words)
        # The longest line any rule behind a need may match.
        self._gate_limit = {need: max(r.max_chars or MAX_RULE_LINE for r in gated)
                            for table in (self.gated_words, self.gated_strings) for need, gated in table.items()}
        # The length tier of the lines a need's rules may match (see _GATE_TIERS).
        self._gate_tier = {need: bisect_left(_GATE_TIERS, most) for need, most in self._gate_limit.items()}
        self._gate_string_groups = _anchor_groups(
            [(need, self.gated_strings[need], self._gate_limit[need], self._gate_tier[need])
             for need in sorted(self.gated_strings)])
        self.max_gated_line = max(self._gate_limit.values(), default=0)
        self.phrase_map = phrase_map
        self.prefix_map = prefix_map
        # Lines longer than these cannot match a phrase (whose key trims punctuation and
        # Markdown from the line) or a prefix rule.
        self.max_phrase = 2 * max(map(len, phrase_map), default=0) + 20
        self.max_prefix_line = max((r.max_chars or 200 for r in prefix_map.values()), default=0)
        if prefix_map:
            alts = sorted(prefix_map, key=len, reverse=True)
            # Longest first, so the longest prefix that fits wins; grouped by first character
            # so that a line is tried only against the prefixes that start as it does.
            groups: dict[str, list[str]] = {}
            for p in alts:
                groups.setdefault(p[0], []).append(re.escape(p[1:]) + (r"(?!\w)" if p[-1:].isalnum() else ""))
            self.prefix_re = re.compile("(?:" + "|".join(
                re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items()) + ")")
        else:
            self.prefix_re = None
        # Patterns grouped by the longest line they may match, so that a long line is tried
        # only against the few rules that allow long lines.
        self.buckets = []
        lower = 0
        for limit in _LENGTH_BUCKETS:
            fitting = [r for r in patterns if (r.max_chars or MAX_RULE_LINE) > lower]
            self.buckets.append(_Alternation(fitting) if fitting else None)
            lower = limit
        self._bucket_of = [0] * (MAX_RULE_LINE + 1)
        k = 0
        for n in range(1, MAX_RULE_LINE + 1):
            while n > _LENGTH_BUCKETS[k]:
                k += 1
            self._bucket_of[n] = k

    def match(self, clean: str) -> Rule | None:
        return self.match_many([clean])[0]

    def match_many(self, cleans: list[str]) -> list[Rule | None]:
        """The rule matching each clean line (or None). Phrases, prefixes and the ungated
        patterns are tried line by line; the gated patterns a block of lines at a time, each
        line only against the rules whose need it holds (see _match_gated)."""
        found: list[Rule | None] = [None] * len(cleans)
        # The lines left for the gated rules, by length tier (see _match_gated).
        tiers: list[list[tuple[int, str]]] = [[] for _ in range(len(_GATE_TIERS) + 1)]
        tier_of, waiting = _TIER_OF, 0
        phrase_get = self.phrase_map.get
        prefix_re, max_phrase, max_prefix = self.prefix_re, self.max_phrase, self.max_prefix_line
        gated, max_gated = self.gated, self.max_gated_line
        for i, clean in enumerate(cleans):
            n = len(clean)
            if n == 0 or n > MAX_RULE_LINE:
                continue
            key = clean.casefold()
            if n <= max_phrase:
                rule = phrase_get(key.strip(KEY_TRIM))
                if rule is not None:
                    found[i] = rule
                    continue
            if prefix_re is not None and n <= max_prefix:
                lead = key.lstrip(KEY_TRIM)
                m = prefix_re.match(lead)
                # A prefix rule needs something after its prefix: a line that is only the
                # prefix ('Related:') is a heading, for the phrase and section rules.
                if m is not None and lead[m.end():].strip(KEY_TRIM):
                    rule = self.prefix_map[m.group(0)]
                    if n <= (rule.max_chars or 200):
                        found[i] = rule
                        continue
            bucket = self.buckets[self._bucket_of[n]]
            if bucket is not None:
                rule = bucket.fullmatch(clean)
                if rule is not None:
                    found[i] = rule
                    continue
            if gated and n <= max_gated:
                tiers[tier_of[n]].append((i, key))
                waiting += 1
                if waiting == _GATE_BLOCK:  # a block at a time: memory stays flat
                    self._match_gated(cleans, tiers, found)
                    tiers = [[] for _ in range(len(_GATE_TIERS) + 1)]
                    waiting = 0
        if waiting:
            self._match_gated(cleans, tiers, found)
        return found

    def _match_gated(self, cleans: list[str], tiers: list[list[tuple[int, str]]], found: list) -> None:
        """Try the gated rules on a block of lines whose gate words or strings each line
        holds. tiers: the lines' indices and case-folded forms by length tier."""
        # The lines in order of length tier, so that a need whose rules only match short
        # lines is searched for in the short lines' text alone (most of a text is in long
        # paragraphs).
        ordered = [entry for tier in tiers for entry in tier]
        keys = [key for _, key in ordered]
        joined = "\n".join(keys)
        # Where each line starts in `joined`, and where each tier's text ends.
        starts = list(accumulate(map(add, map(len, keys), repeat(1)), initial=0))
        ends, count = [], 0
        for tier in tiers:
            count += len(tier)
            ends.append(starts[count])
        find = joined.find
        gated_words, limit = self.gated_words, self._gate_limit
        # Each need's rules are listed in pack order; a line with one need tries them as they
        # are, a line with several tries their union in pack order (the result must not
        # depend on which need was found first).
        candidates: dict[int, list[list[Rule]]] = {}
        # Gate words: each line's words (split at spaces and punctuation, in C) looked up in
        # the set of gate words. 'go' is a gate, 'government' does not hold it.
        split_lines = _GATE_SPLIT.sub(" ", joined).split("\n")
        if len(split_lines) != len(keys):  # a key with a newline of its own: split each
            split_lines = [_GATE_SPLIT.sub(" ", key) for key in keys]
        lookup = self._gate_words.intersection
        for k, text in enumerate(split_lines):
            words = lookup(text.split())
            if words:
                n = len(cleans[ordered[k][0]])
                lists = [gated_words[w] for w in words if n <= limit[w]]
                if lists:
                    candidates[k] = lists
        # Gate strings: searched for in the text of the lines their rules may match; each
        # line that holds one gets its rules as candidates.
        for anchor, group_tier, members in self._gate_string_groups:
            stop = ends[group_tier]
            search = anchor.search if not isinstance(anchor, str) else None
            if search is None:
                pos = find(anchor, 0, stop)
            else:
                m = search(joined, 0, stop)
                pos = -1 if m is None else m.start()
            k = -1
            while pos != -1:
                if pos >= starts[k + 1]:  # the anchor's line
                    k = bisect_right(starts, pos) - 1
                    n = len(cleans[ordered[k][0]])
                    line_start, line_end, held = starts[k], starts[k + 1] - 1, set()
                for need, offset, rules, most in members:
                    at = pos - offset
                    if (n <= most and at >= line_start and need not in held
                            and joined.startswith(need, at, line_end)):
                        held.add(need)
                        candidates.setdefault(k, []).append(rules)
                if search is None:
                    pos = find(anchor, pos + 1, stop)
                else:
                    m = search(joined, pos + 1, stop)
                    pos = -1 if m is None else m.start()
        order = self._order
        for k, lists in candidates.items():
            i = ordered[k][0]
            clean = cleans[i]
            n = len(clean)
            if len(lists) == 1:
                tried = lists[0]
            else:
                unique = {rule.id: rule for rules in lists for rule in rules}
                tried = [unique[r] for r in sorted(unique, key=order.__getitem__)]
            for rule in tried:
                if n <= (rule.max_chars or MAX_RULE_LINE) and rule.compiled.fullmatch(clean):
                    found[i] = rule
                    break


# Punctuation too common in prose to anchor a search for a gate string on.
_COMMON_PUNCTUATION = frozenset(".,;-'’\"“”()")


def _anchor_groups(needs: list[tuple[str, list, int, int]]) -> tuple:
    """Gate strings grouped by what finds them: (anchor, tier, members), each member
    (need, offset of the anchor in it, its rules, its length limit).

    A search for one character is many times faster than one for a string, so a string that
    holds a rare character ('photo/', 'credit:', '(@') is found at each occurrence of that
    character; strings with a dot ('.com', 'x.com', 'l.l.c') by one expression for a dot and
    the two characters after it; strings that end alike ('photo by', 'image by') by their
    last three characters; any other as it is."""
    by_anchor: dict = {}
    for need, rules, most, tier in needs:
        rare = [ch for ch in need if not ch.isalnum() and not ch.isspace() and ch not in _COMMON_PUNCTUATION]
        if rare:
            anchor, offset = rare[0], need.index(rare[0])
        elif "." in need:
            anchor, offset = "\\.", need.index(".")
        else:
            anchor, offset = need[-3:], max(0, len(need) - 3)
        by_anchor.setdefault(anchor, []).append((need, offset, rules, most, tier))
    dots = by_anchor.pop("\\.", [])
    groups = []
    if dots:
        follow = sorted({re.escape(need[k + 1:k + 3]) for need, k, *_ in dots}, key=len, reverse=True)
        groups.append((re.compile("\\.(?:" + "|".join(follow) + ")"), dots))
    for anchor, members in sorted(by_anchor.items()):
        if len(anchor) > 1 and len(members) == 1:
            anchor = members[0][0]  # a string alone: found as it is
            members = [(members[0][0], 0, *members[0][2:])]
        groups.append((anchor, members))
    return tuple((anchor, max(m[4] for m in members), tuple(m[:4] for m in members)) for anchor, members in groups)


class RuleSet:
    """A compiled, immutable selection of rules. Safe to share between threads."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules: tuple[Rule, ...] = tuple(rules)
        self.by_id = {r.id: r for r in self.rules}
        self._line = _LineMatcher([r for r in self.rules if r.scope in ("line", "section")])
        self._tail = _LineMatcher([r for r in self.rules if r.scope == "tail"])
        self._inline = InlineMatcher([r for r in self.rules if r.scope == "start"],
                                     [r for r in self.rules if r.scope == "end"])
        self.end_rules = self._inline.end_rules

    def __len__(self) -> int:
        return len(self.rules)

    def match_line(self, clean: str) -> Rule | None:
        """The whole-line or section rule that matches this clean line, if any."""
        return self._line.match(clean)

    def match_lines(self, cleans: list[str]) -> list[Rule | None]:
        """match_line for every line of a document, in one go (faster than line by line)."""
        return self._line.match_many(cleans)

    def match_tail(self, clean: str) -> Rule | None:
        """A rule that only applies after the article's last paragraph (author bios, ...)."""
        return self._tail.match(clean)

    def match_tails(self, cleans: list[str]) -> list[Rule | None]:
        """match_tail for several lines in one go."""
        return self._tail.match_many(cleans)

    def match_start(self, text: str) -> Match | None:
        """An inline rule cutting at the start of a paragraph (e.g. '(AP) —' after a dateline)."""
        return self._inline.match_start(text)

    def inline_plan(self, texts: list[str]) -> tuple[bool, tuple]:
        """See InlineMatcher.plan: the inline rules that may cut somewhere in these lines."""
        return self._inline.plan(texts)

    def match_end(self, text: str, candidates: tuple | None = None) -> Match | None:
        """An inline rule cutting at the end of a paragraph (e.g. ' / AP'); candidates: the
        end rules to try (from `inline_plan`), all of them by default."""
        return self._inline.match_end(text, candidates)
