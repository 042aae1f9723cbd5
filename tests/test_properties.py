"""Properties over generated documents: articles from the fixtures' expected outputs with
chrome injected from the rule packs' examples and from the fixtures' own chrome lines."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

import newsclean
from newsclean.rules import builtin_packs

from conftest import fixture_pairs

CLEANER = newsclean.Cleaner()
PAIRS = fixture_pairs()
ARTICLES = [expected for _, _, expected in PAIRS]
RULES = [r for p in builtin_packs() for r in p.rules]

# Chrome that may stand anywhere: whole-line rules outside sections. Section headings and
# tail-only chrome go only at the end, as on real pages.
ANYWHERE = sorted({e for r in RULES if r.scope == "line" for e in r.examples})
# Rules that read capital letters (names in bylines, publishers): lower case is no disguise
# of those, it is another text.
CASED = {e for r in RULES if r.pattern and "(?-i:" in r.pattern for e in r.examples}
TAIL_ONLY = sorted({e for r in RULES if r.scope in ("section", "tail") for e in r.examples})


def _fixture_chrome() -> list[str]:
    lines = set()
    for _, text, expected in PAIRS:
        keep = set(expected.split("\n"))
        for line in text.split("\n"):
            line = line.rstrip()
            if line.strip() and line not in keep and newsclean.clean("\n\n".join(ARTICLES[0:1] + [line])) == ARTICLES[0]:
                lines.add(line)
    return sorted(lines)


def _paragraphs(article: str) -> list[str]:
    return [p for p in article.split("\n\n") if p.strip()]


def _disguise(draw, line: str) -> str:
    """Random case and spacing that must not defeat the rules."""
    how = draw(st.sampled_from(["same", "upper", "spaces", "nbsp"] + ([] if line in CASED else ["lower"])))
    if how == "upper":
        return line.upper()
    if how == "lower":
        return line.lower()
    if how == "spaces":
        return "  " + line.replace(" ", "  ") + "  "
    if how == "nbsp":
        return "\u00a0" + line + "\u00a0"
    return line


@st.composite
def documents(draw):
    """(article, document with chrome injected at the head, between paragraphs and at the tail)."""
    article = draw(st.sampled_from(ARTICLES))
    paras = _paragraphs(article)
    anywhere = st.sampled_from(ANYWHERE)
    head = [_disguise(draw, draw(anywhere)) for _ in range(draw(st.integers(0, 3)))]
    # Between paragraphs means before the last paragraph of prose: chrome after it is the
    # page's tail, which ends the article (a list the article closes with included).
    last_prose = max((k for k, p in enumerate(paras) if len(p) >= 80 and p.rstrip()[-1:] in '.!?"”’'), default=0)
    body = [paras[0]]
    for k, p in enumerate(paras[1:], start=1):
        if k <= last_prose and draw(st.integers(0, 6)) == 0:
            body.append(_disguise(draw, draw(anywhere)))
        body.append(p)
    tail = [_disguise(draw, draw(anywhere)) for _ in range(draw(st.integers(0, 2)))]
    if draw(st.booleans()):
        tail += [draw(st.sampled_from(TAIL_ONLY))]
    return article, "\n\n".join(head + body + tail)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(documents())
def test_article_comes_back_exactly(case):
    article, document = case
    assert CLEANER.clean(document) == article


@SETTINGS
@given(documents())
def test_clean_is_idempotent(case):
    _, document = case
    once = CLEANER.clean(document)
    assert CLEANER.clean(once) == once


@SETTINGS
@given(documents())
def test_output_lines_come_from_the_input(case):
    """Nothing invented: each output line is an input line, possibly with an inline tag cut."""
    _, document = case
    result = CLEANER.analyze(document)
    source = [l.rstrip() for l in document.replace("\u00a0", " ").split("\n")]
    inline = [r.text for r in result.removed if r.rule.startswith("wire.")]
    for line in result.text.split("\n"):
        if not line:
            continue
        assert line in source or any(line in s and len(s) - len(line) <= max(map(len, inline), default=0)
                                     for s in source), line


def test_fixture_outputs_are_fixed_points():
    """A chrome-free article is returned unchanged."""
    for article in ARTICLES:
        assert CLEANER.clean(article) == article


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_unicode_string_is_accepted(text):
    out = CLEANER.clean(text)
    assert isinstance(out, str)
    assert len(out) <= len(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(ANYWHERE + TAIL_ONLY + ["", " ", "\u2028", "x" * 300]), max_size=30))
def test_removal_offsets_point_at_the_input(lines):
    text = "\n".join(lines)
    result = CLEANER.analyze(text)
    normalised = "\n".join(text.splitlines())
    for r in result.removed:
        assert normalised[r.start:r.end] == r.text
