"""The compiled matcher picks the same rule as trying every rule in pack order would.

Its shortcuts (rules picked by a line's first character, one group-free expression per
bucket, gates looked up over the whole document) must never change the result.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from newsclean import Cleaner
from newsclean.document import clean_form
from newsclean.matcher import RuleSet
from newsclean.patterns import _first_chars, _uncaptured
from newsclean.rules import MAX_RULE_LINE, builtin_packs

PATTERN_RULES = [r for p in builtin_packs() for r in p.rules if r.pattern is not None]
SAMPLES = [s for r in PATTERN_RULES for s in (*r.examples, *r.counterexamples)]


def _key(ch: str) -> str:
    return "0" if ch.isdecimal() else ch.lower()[:1]


def test_uncaptured_pattern_has_no_groups_and_matches_the_same():
    """Each pattern without its groups matches its own samples and a spread of the others
    (every pack's examples and counterexamples) exactly as the pattern does."""
    spread = SAMPLES[::7]
    for rule in PATTERN_RULES:
        plain = re.compile(_uncaptured(rule.pattern), re.IGNORECASE)
        assert plain.groups == 0, rule.id
        for s in (*rule.examples, *rule.counterexamples, *spread):
            assert bool(plain.fullmatch(s)) == bool(rule.compiled.fullmatch(s)), (rule.id, s)


def test_uncaptured_keeps_escapes_classes_and_lookarounds():
    assert _uncaptured(r"(a)\((?P<wire>b)[(]x[]()](?=c)(?!d)(?<=e)") == r"(?:a)\((?:b)[(]x[]()](?=c)(?!d)(?<=e)"


def _matched(rule) -> list[str]:
    """The examples and counterexamples of every pack that this rule matches."""
    return [s for s in SAMPLES if rule.compiled.fullmatch(s)]


def test_first_chars_cover_every_sample_that_matches():
    for rule in PATTERN_RULES:
        chars = _first_chars(rule.pattern)
        if chars is None:
            continue
        for s in _matched(rule):
            assert _key(s[0]) in chars, (rule.id, s)


@given(st.sampled_from([r for r in PATTERN_RULES if _first_chars(r.pattern) is not None]),
       st.sampled_from("aAsSſkKKiIİı0٣5 -([«»©"), st.sampled_from(SAMPLES))
@settings(max_examples=300, deadline=None)
def test_first_chars_cover_case_variants(rule, first, sample):
    """Case variants that re treats as equal under IGNORECASE ('s' and 'ſ', 'k' and the
    Kelvin sign, any decimal digit for \\d) are looked up under the same key."""
    s = first + sample[1:]
    if rule.compiled.fullmatch(s):
        assert _key(s[0]) in _first_chars(rule.pattern)


@pytest.mark.parametrize("lang", [None, "en", "de", "ko", "zh"])
def test_document_matching_equals_line_by_line(lang):
    ruleset = RuleSet(r for p in builtin_packs() for r in p.rules
                      if r.scope in ("line", "section") and (lang is None or "*" in r.languages or lang in r.languages))
    lines = [clean_form(s) for s in SAMPLES if s.strip() and len(s) <= MAX_RULE_LINE]
    together = ruleset.match_lines(lines)
    alone = [ruleset.match_line(s) for s in lines]
    assert [r and r.id for r in together] == [r and r.id for r in alone]
    assert any(together)


def test_no_function_word_begins_or_ends_with_punctuation():
    """language.detect looks a token up before stripping its punctuation."""
    from newsclean.language import _LANGS_OF, _STRIP
    assert all(w == w.strip(_STRIP) for w in _LANGS_OF)


def test_clean_form_words_are_separated_by_single_spaces():
    """heuristics.features counts words as spaces + 1 in the clean form."""
    import unicodedata
    from newsclean.document import clean_form
    odd = [c for c in map(chr, range(0x110000))
           if c.isspace() or unicodedata.category(c) in ("Zs", "Zl", "Zp", "Cc", "Cf")]
    assert len(odd) > 100
    for c in odd:
        clean = clean_form(f"ab{c} cd{c}  ef{c}")
        assert clean.count(" ") + 1 == len(clean.split()), hex(ord(c))


@pytest.mark.parametrize("unit", [
    "The council voted on Tuesday to approve the new budget after a long debate, and the mayor "
    "said the plan would take effect next month.\n\nAdvertisement\n\n",
    "Home\nWorld\nSign up for our newsletter\nCity approves new budget\nThe council voted 7-2.\n"
    "Share this article\nRead more: Bus fares to rise\n"], ids=["prose", "page"])
def test_peak_memory_grows_linearly(unit):
    """Peak memory of clean() per input character stays the same from 100 KB to 1 MB (no
    list of every word of a document, no copy per pass)."""
    import tracemalloc
    cleaner = Cleaner()
    cleaner.clean(unit * 50)
    ratios = []
    for size in (100_000, 1_000_000):
        text = unit * (size // len(unit))
        tracemalloc.start()
        cleaner.clean(text)
        ratios.append(tracemalloc.get_traced_memory()[1] / len(text))
        tracemalloc.stop()
    assert ratios[1] < 1.2 * ratios[0], ratios
    assert ratios[1] < 25, ratios  # measured 9x (prose) and 20x (page) in November 2026


def test_derived_requirements_hold_for_every_example():
    """A pattern gated by the strings it must contain (derived from the pattern) holds one
    of them in every line it matches."""
    from newsclean.patterns import _required
    checked = 0
    for rule in PATTERN_RULES:
        needs = _required(rule.pattern)
        if needs is None:
            continue
        for s in _matched(rule):
            checked += 1
            assert any(n in clean_form(s).casefold() for n in needs), (rule.id, s, needs)
    assert checked > 100


def test_gate_words_are_found_behind_brackets_and_punctuation():
    """A rule gated by a word is tried on every line holding that word, also where Markdown
    or punctuation is glued to it ('[Subscribe][3]', '_subscribe_'); in a document where the
    word never stands as a word, on no line."""
    from newsclean.rules import Rule
    rule = Rule(id="cta.test-gate", description="test", pattern=r".*", requires=("subscribe",),
                compiled=re.compile(r".*", re.IGNORECASE))
    ruleset = RuleSet([rule])
    glued = ["[Subscribe][3]", "_subscribe_now", "«Subscribe»,", "(subscribe)", "l'subscribe", "Subscribe",
             "subscribe/weekly"]
    for line in glued:
        assert ruleset.match_lines(["Nothing to see here", clean_form(line)]) == [None, rule], line
    assert ruleset.match_lines(["subscriber", "unsubscribed today", "Nothing here"]) == [None, None, None]
    # The word elsewhere in the document does not make a line that only holds it inside
    # another word a candidate: whether a line is tried depends on that line alone.
    assert ruleset.match_lines(["Subscribe", "subscriber", "unsubscribed today"]) == [rule, None, None]


def test_gate_strings_are_found_in_lines_of_every_length_tier():
    """Gate lookup searches a need only in the lines as long as its rules may match: a need
    is found in a short line, and in a long one when its rule allows long lines."""
    from newsclean.rules import Rule
    short = Rule(id="cta.test-short", description="test", pattern=r".*", requires=("©",), max_chars=100,
                 compiled=re.compile(r".*", re.IGNORECASE))
    long = Rule(id="cta.test-long", description="test", pattern=r".*", requires=("®",), max_chars=400,
                compiled=re.compile(r".*", re.IGNORECASE))
    ruleset = RuleSet([short, long])
    lines = ["© short", "© " + "x" * 150, "® " + "y" * 300, "® short", "plain " * 20]
    assert ruleset.match_lines(lines) == [short, None, long, long, None]


def test_space_like_and_invisible_characters_are_unprintable():
    """document.fold takes a printable line as having none of them."""
    from newsclean.document import _INVISIBLE, _SPACE_LIKE
    assert not any(c.isprintable() for c in _SPACE_LIKE + _INVISIBLE)


def test_folds_to_ascii_lists_every_character_that_folds_to_ascii():
    """The inline plan looks for an ASCII need in the text's ASCII letters, lowered, unless
    a character folds to ASCII letters: the list must be complete for this Python."""
    from newsclean.inline_matcher import FOLDS_TO_ASCII
    found = "".join(c for c in map(chr, range(0x80, 0x110000))
                    if not 0xD800 <= ord(c) < 0xE000 and any(ord(x) < 128 for x in c.casefold()))
    assert found == FOLDS_TO_ASCII


_END_RULES = [r for p in builtin_packs() for r in p.rules if r.scope in ("start", "end")]
_INLINE_SAMPLES = [s for r in _END_RULES for s in (*r.examples, *r.counterexamples)]
_ODD = st.sampled_from(["ﬁ", "ß", "ſ", "\u212a", "İ", "’", "é", "TWEET", "Pic.Twitter.com/ab12", " / ", "(@", "完"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_INLINE_SAMPLES), st.text(max_size=40),
                          st.lists(_ODD, max_size=4).map("".join)), min_size=1, max_size=6),
       st.sampled_from([None, "en", "de", "ja", "ko", "zh"]))
def test_inline_plan_keeps_every_inline_cut(lines, lang):
    """inline_plan picks, for a whole document, the inline rules that may cut somewhere in
    it; matching with its choice finds the same cuts as trying every rule on every line."""
    ruleset = RuleSet(r for r in _END_RULES if lang is None or "*" in r.languages or lang in r.languages)
    starts, ends = ruleset.inline_plan(lines)
    for line in lines:
        assert ruleset.match_end(line, ends) == ruleset.match_end(line)
        if not starts:
            assert ruleset.match_start(line) is None


def test_inline_plan_skips_documents_without_needs():
    ruleset = RuleSet(r for r in _END_RULES if "*" in r.languages or "en" in r.languages)
    assert ruleset.inline_plan(["A plain paragraph.", "Another one."]) == (False, ())
    starts, ends = ruleset.inline_plan(["Quote here. Click to Tweet", "LONDON (Reuters) - Shares rose."])
    assert starts and {e[0].id for e in ends} == {"social.click-to-tweet"}
    # A ligature folds to ASCII letters: a need may hide behind it, so every cased rule stays.
    _, ends = ruleset.inline_plan(["The ﬁrst paragraph."])
    assert "social.click-to-tweet" in {e[0].id for e in ends}
    # A big text is not copied to plan: every rule stays.
    from newsclean.inline_matcher import _PLAN_MAX_CHARS
    assert ruleset.inline_plan(["A plain paragraph. " * (_PLAN_MAX_CHARS // 19 + 1)]) == (True, ruleset._inline._end)


_GATE_STRINGS = sorted(Cleaner()._rules_for("en")._line.gated_strings) + ["ⓒ", "x.y", "(c)", "photo by", "[/"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.sampled_from(_GATE_STRINGS), st.text(alphabet="ab /:.()@[|y\n", max_size=12)),
                         max_size=8).map("".join), min_size=1, max_size=8),
       st.lists(st.integers(20, 400), min_size=len(_GATE_STRINGS), max_size=len(_GATE_STRINGS)))
def test_gate_strings_make_candidates_where_they_occur(pieces, limits):
    """Whatever finds the gate strings (a rare character in them, a dot and what follows
    it, a shared ending), a line is tried against a string's rule exactly when it holds
    the string and is short enough for the rule."""
    from newsclean.rules import Rule
    rules = [Rule(id=f"cta.gate-{k}", description="test", pattern=r".*", requires=(need,), max_chars=most,
                  compiled=re.compile(r".*", re.IGNORECASE | re.DOTALL))
             for k, (need, most) in enumerate(zip(_GATE_STRINGS, limits))]
    ruleset = RuleSet(rules)
    lines = [clean_form(p) for p in pieces]
    expected = [next((r for r in rules if r.requires[0] in line.casefold() and len(line) <= r.max_chars), None)
                if line else None for line in lines]
    assert ruleset.match_lines(lines) == expected


_MD_PIECES = ["a", "bc", "é’", "*", "**", "_", "`", "#", "##", ">", "-", "•", "1.", "2)", "[x](y)", "![i](s)", "](",
              " ", "  ", "\t", "\x1f", "\u00a0", "\u200b", "\u2028"]
_MARKDOWNISH = st.one_of(st.lists(st.sampled_from(_MD_PIECES), max_size=10).map(" ".join),
                         st.lists(st.sampled_from(_MD_PIECES), max_size=10).map("".join),
                         st.text(alphabet=st.sampled_from(list("ab *_`#>-1.)[]()! \t\x1f\u00a0\u200b\u2028é’")),
                                 max_size=60))


@settings(max_examples=500, deadline=None)
@given(st.lists(_MARKDOWNISH, max_size=8).map("\n".join))
def test_clean_forms_of_a_document_equal_each_line_s_own(text):
    """Every line's clean form, however Document makes it, is clean_form of its text."""
    from newsclean.document import Document
    for line in Document(text, wrapped=False).lines:
        assert line.clean == (clean_form(line.text) if line.text else ""), repr(line.text)
