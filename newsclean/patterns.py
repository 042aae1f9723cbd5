"""What a rule's regular expression tells before it runs: the characters a match may start
with, the strings every match must contain, and the pattern without capturing groups.

The matcher uses these to try a pattern only on the lines it could match.
"""

from __future__ import annotations

import functools
import re
import re._constants as _sre_c
import re._parser as _sre

_NAMED_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")


def _strip_named(pattern: str) -> str:
    return _NAMED_GROUP.sub("(?:", pattern)


def _uncaptured(pattern: str) -> str:
    """The pattern with every capturing group made non-capturing. In a long alternation,
    capturing groups are costly: the engine saves all their marks at every branch."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            out.append(c)
            i += 1
            for literal in ("^", "]"):  # '[^]...]' and '[]...]': a first ']' is literal
                if pattern.startswith(literal, i):
                    out.append(literal)
                    i += 1
            continue
        elif c == "(" and not pattern.startswith("(?", i):
            c = "(?:"
        elif c == "(" and pattern.startswith("(?P<", i):
            out.append("(?:")
            i = pattern.index(">", i) + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


# What one of these may start with, case-insensitively: re's own case equivalences (such as
# 's' and 'ſ') besides lower and upper case.
try:
    from re._casefix import _EXTRA_CASES as _FIXES  # Python 3.11 and later
except ImportError:  # pragma: no cover - should the private table move: the ASCII cases
    _FIXES = {0x69: (0x131,), 0x73: (0x17f,), 0x6b: (0x212a,), 0x131: (0x69,), 0x17f: (0x73,), 0x212a: (0x6b,)}
_MAX_CLASS = 2000  # character classes larger than this count as 'anything'
_SPACES_SET = frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0")


def _folds(chars: set[str]) -> set[str]:
    out = set()
    for c in chars:
        if c.isdecimal():
            out.add("0")
            continue
        for v in (c, c.lower(), c.upper()):
            low = v.lower()[:1]
            out.add(low)
            out.update(chr(f).lower()[:1] for f in _FIXES.get(ord(low), ()))
    return out


@functools.lru_cache(maxsize=4096)  # a pattern is analysed once, not once per bucket
def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters (lower-cased) a match of the pattern can start with, or None when
    that is not known or could be anything; an empty match counts as 'anything'."""
    try:
        parsed = _sre.parse(pattern, re.IGNORECASE)
    except Exception:  # noqa: BLE001 - unknown shapes only lose the optimisation
        return None
    chars, nullable = _firsts(list(parsed))
    if chars is None or nullable:
        return None
    return frozenset(_folds(chars))


def _firsts(items) -> tuple[set[str] | None, bool]:
    acc: set[str] = set()
    for op, av in items:
        chars, nullable = _first_of(op, av)
        if chars is None:
            return None, False
        acc |= chars
        if not nullable:
            return acc, False
    return acc, True


def _first_of(op, av) -> tuple[set[str] | None, bool]:
    c = _sre_c
    if op is c.LITERAL:
        return {chr(av)}, False
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < _MAX_CLASS:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            elif kind is c.CATEGORY and value is c.CATEGORY_SPACE:
                chars |= _SPACES_SET
            elif kind is c.CATEGORY and value is c.CATEGORY_DIGIT:
                chars.add("0")  # every decimal digit is keyed as '0'
            else:
                return None, False
        return chars, False
    if op is c.BRANCH:
        acc, any_nullable = set(), False
        for branch in av[1]:
            chars, nullable = _firsts(list(branch))
            if chars is None:
                return None, False
            acc |= chars
            any_nullable |= nullable
        return acc, any_nullable
    if op is c.SUBPATTERN:
        return _firsts(list(av[3]))
    if op is c.ATOMIC_GROUP:
        return _firsts(list(av))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        chars, nullable = _firsts(list(av[2]))
        return chars, nullable or av[0] == 0
    if op is c.AT or op in (c.ASSERT, c.ASSERT_NOT):
        return set(), True  # zero width: a look-around only narrows what may follow
    return None, False  # any character, a negated class, a category, a look-around...


def _literal_safe(ch: str) -> bool:
    """Does a line hold this character case-insensitively exactly when its casefolded
    form holds ch.lower()? Not for characters re pairs with others (i and ı, s and ſ...)."""
    low = ch.lower()
    return len(low) == 1 and low == ch.casefold() and ord(low) not in _FIXES and ch.upper().lower() == low


@functools.lru_cache(maxsize=4096)  # a pattern is analysed once, not once per bucket
def _required(pattern: str) -> tuple[str, ...] | None:
    """Strings (lower case) one of which every match of the pattern contains, or None. A
    pattern that may start with anything is tried only on lines that hold one of them."""
    try:
        parsed = _sre.parse(pattern, re.IGNORECASE)
    except Exception:  # noqa: BLE001 - unknown shapes only lose the optimisation
        return None
    return _most_selective(_requirements(list(parsed)))


def _most_selective(reqs: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    return max(reqs, key=lambda alts: (min(map(len, alts)), -len(alts)), default=None)


def _requirements(items) -> list[tuple[str, ...]]:
    c = _sre_c
    reqs: list[tuple[str, ...]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            reqs.append(("".join(run),))
            run.clear()

    for op, av in items:
        if op is c.LITERAL and _literal_safe(chr(av)):
            run.append(chr(av).lower())
            continue
        flush()
        if op is c.SUBPATTERN:
            reqs += _requirements(list(av[3]))
        elif op is c.ATOMIC_GROUP:
            reqs += _requirements(list(av))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            reqs += _requirements(list(av[2]))
        elif op is c.BRANCH:
            alts = [_most_selective(_requirements(list(branch))) for branch in av[1]]
            if all(alts):
                reqs.append(tuple(sorted({s for a in alts for s in a})))
    flush()
    return reqs
