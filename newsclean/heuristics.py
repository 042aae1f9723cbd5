"""Heuristics for chrome that no rule names, in jusText-like stages.

1. `classify`: each line on its own -> GOOD (reads as a sentence of prose), NEAR (a short
   sentence), HEADING (a title-like fragment), SHORT (a word or two), JUNK (links, images,
   symbols). Features are computed only for lines that no rule already removed.
2. `main_block`: the densest run of prose (maximum-sum segment over per-line scores).
3. The cleaner revises with context: head and tail outside the block, sections opened by
   rule headings, runs of teaser lines, repeated short lines.

Precision rule: a GOOD line inside the main block is never removed by a heuristic, save a
second copy of the article's text (heuristic.duplicate-copy), whose first copy stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Line, markdown_link_text_share
from .language import ALL_FUNCTION_WORDS

GOOD, NEAR, HEADING, SHORT, JUNK = "good", "near", "heading", "short", "junk"


FUNCTION_WORDS = ALL_FUNCTION_WORDS

_TOKEN_STRIP = ".,;:!?\"'“”‘’()[]{}«»—–-…*_،؛؟，。！？：；、（）「」『』《》"
_TERMINAL = ".!?。！？؟۔।"
_CLOSERS = "\"'”’»)]」』"
# Scripts written without spaces between words: count characters, not spaces.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_MARKER_START = frozenset(" \t*+-•·▪◦‣#0123456789")
_LIST_ITEM = re.compile(r"^\s*(?:[*+\-•·▪◦‣]\s|\d{1,3}[.)]\s)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_MD_IMAGE_ONLY = re.compile(r"^\s*(?:\[?!\[[^\]]{0,300}\]\([^)]{0,2000}\)\]?(?:\([^)]{0,2000}\))?\s*)+$")


@dataclass(slots=True)
class Features:
    chars: int
    words: int
    terminal: bool
    function_share: float
    link_share: float
    list_item: bool
    md_heading: bool
    image_only: bool
    letters: bool
    kind: str = SHORT


_END_STRIP = _CLOSERS + " "
_TERMINAL_CHARS = frozenset(_TERMINAL)  # a set: '' (the end of an empty string) is not in it


def ends_sentence(s: str) -> bool:
    s = s.rstrip(_END_STRIP)
    # '…' is not terminal, so only '...' needs a test of its own.
    return s[-1:] in _TERMINAL_CHARS and not s.endswith("...")


def features(line: Line) -> Features:
    clean = line.clean
    chars = len(clean)
    # The clean form has single spaces between words (see document.clean_form).
    words = clean.count(" ") + 1 if clean else 0
    if not clean.isascii() and _CJK.search(clean):
        # Chinese and Japanese write no spaces: two characters make about a word, and a
        # character carries about as much as two Latin letters.
        cjk = len(_CJK.findall(clean))
        words = max(words, words - 1 + cjk // 2)
        chars += cjk
    terminal = ends_sentence(clean)
    # The share of function words only matters (see classify) for lines of ten words or more
    # that do not end like a sentence; the first 60 words tell it well enough.
    share = 0.0
    if not terminal and words >= 10:
        sample = clean.casefold().split(None, 60)[:60]
        fw = sum(1 for t in sample if t.strip(_TOKEN_STRIP) in FUNCTION_WORDS)
        share = fw / len(sample)
    text = line.text
    if "](" in text:
        linked, total = markdown_link_text_share(text)
        link_share = linked / total if total else 0.0
    else:
        link_share = 0.0
    marked = text[:1] in _MARKER_START  # only then can it be a list item or a heading
    return Features(chars, words, terminal, share, link_share,
                    marked and _LIST_ITEM.match(text) is not None,
                    marked and _MD_HEADING.match(text) is not None,
                    "![" in text and _MD_IMAGE_ONLY.match(text) is not None,
                    clean[:1].isalpha() or _LETTER.search(clean) is not None)


def classify(f: Features) -> str:
    """A line's class from its own features, without context."""
    if f.image_only:
        return JUNK
    if not f.letters:
        return SHORT  # a number or a date: a table cell more often than chrome
    if f.link_share > 0.8:
        return JUNK
    if f.md_heading:
        return HEADING
    # Prose ends like a sentence; a long line of function words without the final stop is
    # prose too (teaser summaries, which also lack it, are shorter).
    prose = f.terminal or (f.function_share >= 0.3 and f.chars >= 200)
    if f.words >= 10 and f.chars >= 50 and prose and f.link_share < 0.5:
        return GOOD
    if (f.words >= 3 and f.terminal) or (f.words >= 10 and f.function_share >= 0.3):
        return NEAR
    if f.words >= 3:
        return HEADING
    return SHORT


# Scores for the main-block search: prose adds its length, everything else costs a little.
_SCORE = {NEAR: 8.0, HEADING: -12.0, SHORT: -6.0, JUNK: -30.0}
# A line cut by a rule of a category that never occurs inside an article text.
CHROME_RULE_SCORE = -30.0


ISOLATED_PROSE_WEIGHT = 0.3
# Items of a list cost little: lists are common in articles (chrome lists are mostly links).
LIST_ITEM_SCORE = -3.0


def line_score(f: Features) -> float:
    if f.kind == GOOD:
        s = float(min(f.chars, 600))
        return s / 4 if f.list_item else s
    if f.list_item and f.kind in (HEADING, SHORT, NEAR):
        return LIST_ITEM_SCORE
    return _SCORE[f.kind]


def main_block(indices: list[int], scores: list[float]) -> tuple[int, int] | None:
    """The (first, last) line indices of the maximum-sum run of scores (Kadane), or None."""
    best, best_span = 0.0, None
    run, run_start = 0.0, 0
    for pos, s in enumerate(scores):
        if run <= 0:
            run, run_start = s, pos
        else:
            run += s
        if run > best:
            best, best_span = run, (run_start, pos)
    if best_span is None:
        return None
    return indices[best_span[0]], indices[best_span[1]]
