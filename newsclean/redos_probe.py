"""The timing probe for user rule patterns, a second line of defence behind the static
check of redos.py: the compiled pattern, as the engine calls it, timed on strings pumped
from the pattern's own repetitions and from the rule's examples (prefix, a repeated piece, a
character that makes the match fail), a repetition at a time up to the longest line the
rule sees; refused when one match takes longer than `PROBE_LIMIT` twice in a row."""

from __future__ import annotations

import re
import time
from re import _constants as C
from re import _parser as P

from .redos import _Automaton, _bfs_text, _Frag, _shorten

# One match on a probe string slower than this (twice) refuses the pattern.
PROBE_LIMIT = 0.05

_BREAKERS = ("!", "")


def _shortest(auto: _Automaton, frag: _Frag) -> str:
    """A shortest non-empty text along the automaton from a first to a last position."""
    return _bfs_text(auto, dict.fromkeys(frag.first), frag.last, include_roots=True)


def _sample(items, flags: int, nonempty: bool = False) -> str:
    auto = _Automaton(unroll=1)
    frag = auto.seq(items, flags)
    return "" if frag.null and not nonempty else _shortest(auto, frag)


def _pumps(items, flags: int, prefix: str, out: list) -> None:
    """(text leading to a repetition, a text its body matches) for every repetition."""
    for op, av in items:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            _lo, hi, body = av
            if hi == C.MAXREPEAT or hi > 1:
                out.append((prefix, _sample(body, flags, nonempty=True)))
            _pumps(body, flags, prefix, out)
        elif op is C.BRANCH:
            for b in av[1]:
                _pumps(b, flags, prefix, out)
        elif op is C.SUBPATTERN:
            _pumps(av[3], (flags | av[1]) & ~av[2], prefix, out)
        elif op is C.ATOMIC_GROUP:
            _pumps(av, flags, prefix, out)
        if op not in (C.ASSERT, C.ASSERT_NOT):
            prefix += _sample([(op, av)], flags)


def _example_pumps(example: str, slices: int = 3) -> list[tuple[str, str]]:
    n = len(example)
    out = []
    for i in range(0, n, max(1, n // slices)):
        for width in (1, 3):
            if example[i:i + width]:
                out.append((example[:i], example[i:i + width]))
    out.append(("", example + " "))
    return out


def probe(call, pattern: str, examples=(), max_len: int = 400, flags: int = re.IGNORECASE,
          limit: float = PROBE_LIMIT, budget: float = 2.0) -> str | None:
    """Time `call` (the compiled pattern's fullmatch, match or search, as the engine uses it)
    on strings pumped from the pattern's repetitions and from the examples: a prefix, a
    piece repeated one more time at each step, a character that makes the match fail, up to
    `max_len` characters. Returns why the pattern is too slow (one match over `limit`
    seconds twice in a row), or None. Gives up quietly once `budget` seconds are spent."""
    pumps: list[tuple[str, str]] = []
    try:
        tree = P.parse(pattern, flags)
        _pumps(list(tree), tree.state.flags, "", pumps)
    except Exception:  # noqa: BLE001, S110 - the static check has refused what cannot be analysed
        pass
    for example in examples:
        pumps += _example_pumps(example)
    seen = set()
    spent = 0.0
    clock = time.perf_counter
    for prefix, pump in pumps:
        if not pump or (prefix, pump) in seen:
            continue
        seen.add((prefix, pump))
        for breaker in _BREAKERS:
            k = 1
            while len(prefix) + k * len(pump) + len(breaker) <= max_len:
                s = prefix + pump * k + breaker
                t0 = clock()
                call(s)
                t = clock() - t0
                if t > limit:
                    t0 = clock()
                    call(s)
                    t = min(t, clock() - t0)
                    if t > limit:
                        return (f"matching took {t:.2f} s on a {len(s)}-character line ({_shorten(s, 40)!r}); "
                                "the pattern backtracks too much")
                spent += t
                if spent > budget:
                    return None
                k = k + 1 if k < 16 else int(k * 1.25)
    return None
