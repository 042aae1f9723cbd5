"""Character sets for the ReDoS check (redos.py): a one-character matcher of a parsed
pattern (literal, class, category, any) as a hashable key, and a character two of them both
accept, found exactly by the regex engine itself (case-insensitively where the pattern is)."""

from __future__ import annotations

import array
import functools
import re
from re import _constants as C


_PREFERRED = "aA1 x.-_éж가!"


class _Unsure(Exception):
    """The pattern uses something the check does not model: refused as a precaution."""


# -- character sets ------------------------------------------------------------------------------

def _all_chars() -> str:
    """Every code point, surrogates included, in order (4.4 MB, only while it is used)."""
    return array.array("I", range(0x110000)).tobytes().decode("utf-32-le", "surrogatepass")


@functools.lru_cache(maxsize=1)
def _cased_chars() -> str:
    import _sre
    return "".join(chr(c) for c in range(0x110000) if _sre.unicode_iscased(c))


@functools.lru_cache(maxsize=1)
def _representatives() -> str:
    """Characters among which two classes made of categories, literals and ranges have a
    common one if they have one at all (with their literals and range ends added): the
    first and last code point of every run of digits, other word characters, spaces and
    the rest; every character with a case; all of Latin-1."""
    chars = set(range(256))
    for m in re.finditer(r"\d+|[^\W\d]+|\s+|[^\w\s]+", _all_chars()):
        chars.add(m.start())
        chars.add(m.end() - 1)
    chars.update(map(ord, _cased_chars()))
    return "".join(map(chr, sorted(chars)))


def _ends(key: tuple) -> set[int]:
    """The code points where membership in this matcher can change: its literals and the
    ends of its ranges, and their neighbours."""
    kind, av, _ = key
    points = set()
    items = av if kind == "in" else [(C.LITERAL, av)] if kind in (str(C.LITERAL), str(C.NOT_LITERAL)) else []
    for op, a in items:
        for c in (a if op is C.RANGE else (a,) if op is C.LITERAL else ()):
            points.update(x for x in (c - 1, c, c + 1) if 0 <= x < 0x110000)
    return points


_CATEGORY = {
    C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W", C.CATEGORY_DIGIT: r"\d",
    C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S",
}


def _u(code: int) -> str:
    return f"\\U{code:08x}"


def _leaf_key(op, av, flags: int) -> tuple:
    """A hashable description of a one-character matcher, with the flags that affect it."""
    f = (bool(flags & C.SRE_FLAG_IGNORECASE), bool(flags & C.SRE_FLAG_ASCII), bool(flags & C.SRE_FLAG_DOTALL))
    if op is C.IN:
        return ("in", tuple((o, tuple(a) if isinstance(a, list) else a) for o, a in av), f)
    return (str(op), av, f)


@functools.lru_cache(maxsize=65536)
def _leaf_re(key: tuple) -> re.Pattern:
    kind, av, (ic, asc, dotall) = key
    if kind == "in":
        negate = False
        parts = []
        for op, a in av:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                parts.append(_u(a))
            elif op is C.RANGE:
                parts.append(_u(a[0]) + "-" + _u(a[1]))
            elif op is C.CATEGORY and a in _CATEGORY:
                parts.append(_CATEGORY[a])
            else:
                raise _Unsure(f"character class item {op}")
        if not parts:
            body = r"[\s\S]" if negate else "(?!)"
        else:
            body = "[" + ("^" if negate else "") + "".join(parts) + "]"
    elif kind == str(C.LITERAL):
        body = _u(av)
    elif kind == str(C.NOT_LITERAL):
        body = "[^" + _u(av) + "]"
    elif kind == str(C.ANY):
        body = "."
    else:
        raise _Unsure(kind)
    on = ("i" if ic else "") + ("a" if asc else "") + ("s" if dotall else "")
    return re.compile(f"(?{on}{'' if ic else '-i'}:{body})")


@functools.lru_cache(maxsize=65536)
def _finite(key: tuple) -> frozenset | None:
    """Every character a literal (or a class of literals only) matches, or None if large."""
    kind, av, (ic, _, _) = key
    if kind == str(C.LITERAL):
        chars = {chr(av)}
    elif kind == "in" and all(op is C.LITERAL for op, _ in av):
        chars = {chr(a) for _, a in av}
    else:
        return None
    if ic:
        chars |= set(_leaf_re(key).findall(_cased_chars()))
    return frozenset(chars)



@functools.lru_cache(maxsize=65536)
def _common(a: tuple, b: tuple) -> str | None:
    """A character both matchers accept (a readable one if possible), or None."""
    ra, rb = _leaf_re(a), _leaf_re(b)
    for ch in _PREFERRED:
        if ra.fullmatch(ch) and rb.fullmatch(ch):
            return ch
    fa, fb = _finite(a), _finite(b)
    if fa is not None or fb is not None:
        small, other = (fa, rb) if fa is not None and (fb is None or len(fa) <= len(fb)) else (fb, ra)
        for ch in sorted(small, key=lambda c: (not c.islower(), c)):
            if other.fullmatch(ch):
                return ch
        return None
    extra = "".join(map(chr, sorted(_ends(a) | _ends(b))))
    m = re.search(f"(?={ra.pattern}){rb.pattern}", _representatives() + extra)
    return m.group() if m else None


def _intersect(a: tuple, b: tuple) -> str | None:
    return _common(a, b) if a <= b else _common(b, a)
