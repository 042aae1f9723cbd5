"""Every built-in pattern stays fast on lines built to make it backtrack: its own examples
repeated up to the longest line it may match, with a character appended that makes the match
fail at the very end. A pattern that backtracks catastrophically takes seconds here (two did,
before they were rewritten); the limit only catches that, it measures nothing."""

from __future__ import annotations

import time

import pytest

from newsclean.document import clean_form
from newsclean.rules import MAX_RULE_LINE, builtin_packs

RULES = [r for p in builtin_packs() for r in p.rules if r.pattern is not None]
LIMIT = 0.25  # seconds for all the probe lines of one rule


def probes(rule) -> list[str]:
    longest = min(rule.max_chars or MAX_RULE_LINE, MAX_RULE_LINE)
    lines = []
    for example in rule.examples:
        for seed in (example, example.split()[0] if example.split() else example, example[:6]):
            if not seed:
                continue
            for joiner in (" ", ""):
                body = (seed + joiner) * (longest // (len(seed) + 1) + 1)
                for tail in ("!", "\u0000", "é", "1", " x"):
                    lines.append(body[: max(1, longest - len(tail))] + tail)
    return lines


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_pattern_does_not_backtrack_catastrophically(rule):
    lines = [clean_form(p) if rule.scope not in ("start", "end") else p for p in probes(rule)]
    t0 = time.perf_counter()
    for line in lines:
        rule.compiled.fullmatch(line) if rule.scope not in ("start", "end") else rule.compiled.search(line)
    assert time.perf_counter() - t0 < LIMIT, f"{rule.id} is slow on repeated input: rewrite it"
