"""Bugs found by the reliability tests and the fuzzers that are not fixed yet.

Each open bug has a regression test in `tests/test_reliability.py` marked
`xfail(strict=True)`: when a fix lands, that test passes, strict xfail turns it into a
failure, and the marker there and the entry here are removed together.

Meanwhile the fuzz tests and `fuzz/fuzz_clean.py` *tolerate* exactly what is listed here (by
exception type and message, or by switching the rules off), so that a fuzz run keeps looking
for new bugs instead of stopping at a known one every time. An open bug that fuzzing cannot
hit by construction has its xfail test only. None is open: the last four (catastrophic user
patterns that escaped the check, 1e400 written back as Infinity by jsonl, pool workers that
outlived a SIGKILLed jsonl, a 100,000-deep dotted TOML key) are fixed, and their tests pass.
"""

from __future__ import annotations

# Built-in rules whose pattern backtracks catastrophically: rule id -> (a line that shows
# it, why). Switched off in fuzz runs until fixed. None open.
#
# Fixed (kept as regression lines in fuzz/adversarial.py FORMERLY_CATASTROPHIC):
#   label.ko-tags       newsclean.clean("태그" * 18 + "!") ran for minutes (18 s at 16 repeats)
#   widget.ko-counters  newsclean.clean("조회수 1,234 " * 9 + "!") took 4.9 s, x6 per repeat
REDOS_RULES: dict[str, tuple[str, str]] = {}

# (exception type name, a substring of its message, what it is): an exception from rule-pack
# loading, cleaner construction or the jsonl reader that matches one of these is a known bug.
# None open.
#
# Fixed (each has a regression test): a pack file that is not UTF-8 (UnicodeDecodeError), TOML
# nested ~1000 deep or a pattern with ~1000 nested groups (RecursionError), a{4294967296}
# (OverflowError), patterns starting with (?s)/(?x)/(?i) or using (?(cut)...) that validated
# and then broke the combined matchers (re.error at first use), an integer of more than 4300
# digits in a JSON record (ValueError that aborted the whole jsonl run).
KNOWN_ERRORS: tuple[tuple[str, str, str], ...] = ()


def known_error(exc: BaseException) -> str | None:
    """What known bug this exception is, or None when it is not a known one."""
    for name, text, what in KNOWN_ERRORS:
        if type(exc).__name__ == name and text in str(exc):
            return what
    return None
