"""Catastrophic backtracking in user rule patterns: the static check (this module, with the
character sets of redos_chars.py) and a timing probe (redos_probe.py).

Python's `re` is a backtracking matcher. A repetition whose body can match the same text in
more than one way makes it try every way when the rest of the pattern fails: `(a|a)+$` on
sixty `a` and a `!` takes 2**60 steps. The loader runs user patterns through:

* `ambiguous_repeat(pattern)`: a static check over the parsed pattern (`re._parser`, the tree
  the engine compiles). For every repetition whose maximum is above one (`*`, `+`, `{2,}`,
  `{1,12}`, ...; not possessive, body not an atomic group) it builds the position automaton
  of the body repeated (Glushkov's construction, counting the distinct ways the engine can
  go from one position to the next) and looks for a text the repetition can match along two
  different paths: a pair of positions reached together on the same text, from which the
  end is reached together. That covers nested variable repetitions (`(a+)+`, `((a+))+`,
  `(\\w{1,20}\\s?){1,12}`), overlapping alternatives (`(a|a)+`, `(a|b|ab)+`), a body that
  can match nothing (`(a?)*`), and a run that adjacent iterations can split differently;
  repetitions whose iterations are delimited (`(?:\\s\\w+){0,3}`: `\\s` cannot be part of
  `\\w+`) pass. Character classes are intersected exactly (case-insensitively where the
  pattern is), by the regex engine itself. Approximations all err on the side of
  refusing: anchors and lookarounds are taken to match anything, atomic groups and
  possessive repetitions inside the body as ordinary ones, bounded repetitions with a
  maximum above 8 (exact counts above 16) as unbounded; a body too large to analyse is
  refused. Alternatives that merely start alike are fine when the repetition stays
  unambiguous: `(a|ab)*` is parsed as `(?:ab?)*`.
* `probe(...)` (redos_probe.py): a second line of defence that times the compiled pattern,
  as the engine calls it, on strings pumped from the pattern's own repetitions and from the
  rule's examples (prefix, a repeated piece, a character that makes the match fail), a
  repetition at a time up to the longest line the rule sees, and refuses when one match
  takes longer than `PROBE_LIMIT` twice in a row. It bounds the cases the static check accepts but the
  engine still finds slow (high-degree polynomial backtracking, `.*a.*a.*a.*a.*a.*b`).

Built-in patterns are vetted by `fuzz/redos_scan.py` and the test suite instead; some are
ambiguous in a bounded way that costs nothing (`(?:\\s(?:[A-Z]\\w{0,30}|de)){0,4}`).
"""

from __future__ import annotations

import re
from re import _constants as C
from re import _parser as P

from .redos_chars import _CATEGORY, _intersect, _leaf_key, _Unsure

# A user pattern whose repeated part needs more positions, or more pairs of positions
# explored, or more steps, than these is refused as too complex to check.
MAX_POSITIONS = 5_000
MAX_PAIRS = 100_000
MAX_STEPS = 2_000_000
# Bounded repetitions up to this maximum (exact counts up to twice that) are unrolled
# exactly; above, taken as unbounded.
UNROLL = 8
_CAP = 2  # path counts are capped: one, or more than one


class _TooBig(_Unsure):
    pass


# -- the position automaton ----------------------------------------------------------------------

def _add(target: dict, key, n: int) -> None:
    target[key] = min(_CAP, target.get(key, 0) + n)


class _Frag:
    __slots__ = ("first", "last", "null")

    def __init__(self, first=None, last=None, null=0):
        self.first = first or {}
        self.last = last or {}
        self.null = null


class _Automaton:
    """Glushkov's position automaton, with the number of distinct ways (1, or 2 for 'more
    than one') the engine can go from a position to the next, from the start to a position,
    and from a position to the end."""

    def __init__(self, unroll: int = UNROLL):
        self.unroll = unroll
        self.leaf: list[tuple] = []
        self.follow: list[dict] = []

    def _position(self, key: tuple) -> _Frag:
        if len(self.leaf) >= MAX_POSITIONS:
            raise _TooBig(f"more than {MAX_POSITIONS:,} positions")
        self.leaf.append(key)
        self.follow.append({})
        p = len(self.leaf) - 1
        return _Frag({p: 1}, {p: 1}, 0)

    def _concat(self, a: _Frag, b: _Frag) -> _Frag:
        for l, cl in a.last.items():
            f = self.follow[l]
            for q, cq in b.first.items():
                _add(f, q, cl * cq)
        first = dict(a.first)
        if a.null:
            for q, c in b.first.items():
                _add(first, q, c * a.null)
        last = dict(b.last)
        if b.null:
            for q, c in a.last.items():
                _add(last, q, c * b.null)
        return _Frag(first, last, min(_CAP, a.null * b.null))

    @staticmethod
    def _alt(frags: list[_Frag]) -> _Frag:
        out = _Frag()
        for f in frags:
            for q, c in f.first.items():
                _add(out.first, q, c)
            for q, c in f.last.items():
                _add(out.last, q, c)
            out.null = min(_CAP, out.null + f.null)
        return out

    def loop(self, body: _Frag) -> _Frag:
        """body+ : from every last position back to every first one."""
        for l, cl in body.last.items():
            f = self.follow[l]
            for q, cq in body.first.items():
                _add(f, q, cl * cq)
        return _Frag(body.first, body.last, _CAP if body.null else 0)

    def seq(self, items, flags: int) -> _Frag:
        out = _Frag(null=1)
        for op, av in items:
            out = self._concat(out, self.item(op, av, flags))
        return out

    def item(self, op, av, flags: int) -> _Frag:
        if op in (C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN):
            return self._position(_leaf_key(op, av, flags))
        if op is C.CATEGORY:
            return self._position(_leaf_key(C.IN, [(C.CATEGORY, av)], flags))
        if op is C.BRANCH:
            return self._alt([self.seq(b, flags) for b in av[1]])
        if op is C.SUBPATTERN:
            _group, add, remove, p = av
            return self.seq(p, (flags | add) & ~remove)
        if op is C.ATOMIC_GROUP:
            return self.seq(av, flags)
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, p = av
            return self.repeat(lo, hi, p, flags)
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return _Frag(null=1)  # taken to match anything: can only add ambiguity
        raise _Unsure(str(op))

    def repeat(self, lo: int, hi: int, p, flags: int) -> _Frag:
        if hi == 0:
            return _Frag(null=1)
        if hi != C.MAXREPEAT and (hi <= max(self.unroll, 1) or lo == hi <= 2 * self.unroll):
            out = _Frag(null=1)
            for _ in range(lo):
                out = self._concat(out, self.seq(p, flags))
            tail = _Frag(null=1)  # (X(X(X)?)?)? for the optional copies
            for _ in range(hi - lo):
                tail = self._alt([self._concat(self.seq(p, flags), tail), _Frag(null=1)])
            return self._concat(out, tail)
        # Taken as unbounded: X{0,n} as X*, X{m,n} as X{m-1} X+ (at most `unroll` copies).
        plus = self.loop(self.seq(p, flags))
        if lo == 0:
            return self._alt([plus, _Frag(null=1)])
        out = _Frag(null=1)
        for _ in range(min(lo - 1, self.unroll)):
            out = self._concat(out, self.seq(p, flags))
        return self._concat(out, plus)


def _path_to(auto: _Automaton, start: dict, target: int) -> str:
    """A text leading from the start to position `target` (its character included)."""
    parent = {p: None for p in start}
    queue = list(start)
    for p in queue:
        if p == target:
            break
        for q in auto.follow[p]:
            if q not in parent:
                parent[q] = p
                queue.append(q)
    out = []
    p = target
    while p is not None:
        out.append(_intersect(auto.leaf[p], auto.leaf[p]) or "?")
        p = parent.get(p)
    return "".join(reversed(out))


def _path_from(auto: _Automaton, source: int, last: dict) -> str:
    """A text leading from position `source` (excluded) to the end."""
    return _bfs_text(auto, {source: None}, last, include_roots=False)


def _bfs_text(auto: _Automaton, parent: dict, last, include_roots: bool) -> str:
    """Breadth first from the positions in `parent` (each mapped to None) to one in `last`:
    a character of each position on the way (the starting one only if include_roots)."""
    queue = list(parent)
    for p in queue:
        if p in last:
            out = []
            node = p
            while node is not None and (include_roots or parent[node] is not None):
                out.append(_intersect(auto.leaf[node], auto.leaf[node]) or "?")
                node = parent[node]
            return "".join(reversed(out))
        for q in auto.follow[p]:
            if q not in parent:
                parent[q] = p
                queue.append(q)
    return ""


def _ambiguity(auto: _Automaton, body: _Frag) -> str | None:
    """A text that `body+` matches along two different paths, or None if there is none."""
    if body.null:
        return ""
    for p, c in body.first.items():
        if c > 1:
            return _path_to(auto, body.first, p) + _path_from(auto, p, body.last)
    for p, f in enumerate(auto.follow):
        for q, c in f.items():
            if c > 1:
                return _path_to(auto, body.first, p) + _path_to(auto, {q: 1}, q) + _path_from(auto, q, body.last)
    for p, c in body.last.items():
        if c > 1:
            return _path_to(auto, body.first, p)
    # Pairs of positions reached on the same text, each pair with the character read last
    # and the pair it came from.
    parent: dict[tuple, tuple | None] = {}
    queue = []
    firsts = sorted(body.first)
    for i, p in enumerate(firsts):
        for q in firsts[i:]:
            ch = _intersect(auto.leaf[p], auto.leaf[q])
            if ch is not None:
                parent[(p, q)] = (None, ch)
                queue.append((p, q))
    edges_back: dict[tuple, list] = {}
    steps = 0
    for pair in queue:
        p, q = pair
        fp, fq = auto.follow[p], auto.follow[q]
        steps += len(fp) * len(fq)
        if steps > MAX_STEPS or len(parent) > MAX_PAIRS:
            raise _TooBig(f"more than {MAX_PAIRS:,} pairs of positions")
        for p2 in fp:
            for q2 in fq:
                nxt = (p2, q2) if p2 <= q2 else (q2, p2)
                if nxt in parent:
                    edges_back.setdefault(nxt, []).append(pair)
                    continue
                ch = _intersect(auto.leaf[p2], auto.leaf[q2])
                if ch is None:
                    continue
                parent[nxt] = (pair, ch)
                edges_back.setdefault(nxt, []).append(pair)
                queue.append(nxt)
    if all(p == q for p, q in parent):
        return None
    # Which reached pairs lead to the end together? (backwards from pairs of last positions)
    ends = [(p, q) for (p, q) in parent if p in body.last and q in body.last]
    after: dict[tuple, tuple | None] = {pair: None for pair in ends}
    stack = list(ends)
    while stack:
        pair = stack.pop()
        for prev in edges_back.get(pair, ()):
            if prev not in after:
                after[prev] = pair
                stack.append(prev)
    for pair in parent:
        if pair[0] != pair[1] and pair in after:
            text = []
            node = pair
            while node is not None:
                back, ch = parent[node]
                text.append(ch)
                node = back
            text.reverse()
            node = after[pair]
            while node is not None:
                text.append(parent[node][1])
                node = after[node]
            return "".join(text)
    return None


def _atomic_body(items) -> bool:
    """A repeated part that is one atomic group: each iteration matches one way only."""
    while len(items) == 1:
        op, av = items[0]
        if op is C.ATOMIC_GROUP:
            return True
        if op is not C.SUBPATTERN:
            return False
        items = av[3]
    return False


def _render(items) -> str:
    """An approximate regex text for a parsed part (for messages)."""
    out = []
    for op, av in items:
        if op is C.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is C.NOT_LITERAL:
            out.append("[^" + re.escape(chr(av)) + "]")
        elif op is C.ANY:
            out.append(".")
        elif op is C.IN:
            inner = []
            for o, a in av:
                if o is C.NEGATE:
                    inner.append("^")
                elif o is C.LITERAL:
                    inner.append(re.escape(chr(a)))
                elif o is C.RANGE:
                    inner.append(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
                elif o is C.CATEGORY:
                    inner.append(_CATEGORY.get(a, "?"))
            single = len(av) == 1 and av[0][0] is C.CATEGORY
            out.append("".join(inner) if single else "[" + "".join(inner) + "]")
        elif op is C.BRANCH:
            out.append("(?:" + "|".join(_render(b) for b in av[1]) + ")")
        elif op is C.SUBPATTERN:
            out.append("(" + ("" if av[0] else "?:") + _render(av[3]) + ")")
        elif op is C.ATOMIC_GROUP:
            out.append("(?>" + _render(av) + ")")
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, p = av
            inner = _render(p)
            if len(p) != 1 or p[0][0] in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
                inner = "(?:" + inner + ")"
            q = {(0, C.MAXREPEAT): "*", (1, C.MAXREPEAT): "+", (0, 1): "?"}.get(
                (lo, hi), f"{{{lo},}}" if hi == C.MAXREPEAT else f"{{{lo}}}" if lo == hi else f"{{{lo},{hi}}}")
            out.append(inner + q + ("?" if op is C.MIN_REPEAT else "+" if op is C.POSSESSIVE_REPEAT else ""))
        elif op is C.AT:
            out.append({C.AT_BEGINNING: "^", C.AT_END: "$", C.AT_BOUNDARY: r"\b", C.AT_NON_BOUNDARY: r"\B",
                        C.AT_BEGINNING_STRING: r"\A", C.AT_END_STRING: r"\Z"}.get(av, ""))
        elif op in (C.ASSERT, C.ASSERT_NOT):
            d, p = av
            out.append("(?" + ("<" if d < 0 else "") + ("=" if op is C.ASSERT else "!") + _render(p) + ")")
        else:
            out.append("…")
    return "".join(out)


def _shorten(s: str, n: int = 60) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _repeats(items, flags: int):
    """Every repetition in these items, outermost first: (min, max, body, flags, possessive)."""
    for op, av in items:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, hi, p = av
            yield lo, hi, p, flags, op is C.POSSESSIVE_REPEAT
            yield from _repeats(p, flags)
        elif op is C.BRANCH:
            for b in av[1]:
                yield from _repeats(b, flags)
        elif op is C.SUBPATTERN:
            yield from _repeats(av[3], (flags | av[1]) & ~av[2])
        elif op is C.ATOMIC_GROUP:
            yield from _repeats(av, flags)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            yield from _repeats(av[1], flags)


def ambiguous_repeat(pattern: str, flags: int = re.IGNORECASE) -> str | None:
    """Why this pattern can backtrack catastrophically, or None when no repetition in it can
    match the same text in more than one way. The pattern must compile."""
    try:
        tree = P.parse(pattern, flags)
        base = tree.state.flags
        for lo, hi, body, fl, possessive in _repeats(list(tree), base):
            if hi != C.MAXREPEAT and hi <= 1 or possessive or _atomic_body(body):
                continue
            for unroll in (UNROLL, 1):  # again, with every bounded repetition taken as unbounded
                try:
                    auto = _Automaton(unroll)
                    frag = auto.loop(auto.seq(body, fl))
                    witness = _ambiguity(auto, frag)
                    break
                except _TooBig:
                    if unroll == 1:
                        raise
            shown = _shorten(_render([(C.MAX_REPEAT, (lo, hi, body))]))
            if witness is not None:
                if frag.null:
                    return (f"the repeated part of {shown} can match the empty string, so the repetition "
                            "can go round in more than one way")
                return (f"the repetition {shown} can match {_shorten(witness, 30)!r} in more than one way "
                        "(nested or overlapping repetitions, or alternatives that overlap)")
    except _Unsure as exc:
        return f"the pattern is too complex to check for catastrophic backtracking ({exc})"
    except RecursionError:
        return "the pattern is nested too deeply to check for catastrophic backtracking"
    except Exception as exc:  # noqa: BLE001 - a gap in this check must refuse, not crash the loader
        return f"the pattern could not be checked for catastrophic backtracking ({type(exc).__name__}: {exc})"
    return None

