"""Scan every built-in rule's regular expression for catastrophic backtracking.

    python fuzz/redos_scan.py                 # every rule: the slowest attack strings
    python fuzz/redos_scan.py --timeout 1     # give up on one match after 1 s (default 2)
    python fuzz/redos_scan.py --rule label.ko-tags --top 5
    python fuzz/redos_scan.py --static        # the built-in patterns the user-pack check would refuse

Exit status 1 when some match ran into the timeout (a catastrophic pattern). Runs in
about ten seconds when no pattern backtracks catastrophically; each one that does costs
up to its number of attack strings times the timeout.

For each pattern rule, attack strings are pumped from its own examples: a prefix of an
example, a slice of it repeated until the line reaches the longest line the rule can see
(400 characters for whole-line rules, the 240-character window for inline rules), then a
character that makes the match fail (the classic shape of a ReDoS witness). Each string is
timed against the rule's compiled pattern exactly as the engine calls it (fullmatch for
whole-line rules, match / search for inline ones).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsclean.document import clean_form
from newsclean.rules import INLINE_WINDOW, MAX_RULE_LINE, builtin_packs

BREAKERS = ("!", "\x00", " x", "@", "")


def attack_strings(example: str, limit: int, slices: int = 12):
    """Pumped strings: prefix + slice * k + breaker, at most `limit` characters long."""
    n = len(example)
    if not n:
        return
    step = max(1, n // slices)
    seen = set()
    for i in range(0, n, step):
        for width in (1, 2, 3, 5, 8):
            j = min(n, i + width)
            pump = example[i:j]
            if not pump:
                continue
            for breaker in BREAKERS:
                room = limit - i - len(breaker)
                if room < len(pump):
                    continue
                s = example[:i] + pump * (room // len(pump)) + breaker
                if s not in seen:
                    seen.add(s)
                    yield s
    for breaker in BREAKERS:  # the whole example, repeated
        s = (example + " ") * max(1, (limit - len(breaker)) // (n + 1)) + breaker
        s = s[:limit]
        if s not in seen:
            seen.add(s)
            yield s


class _Timeout(Exception):
    pass


def _raise_timeout(signum, frame):
    raise _Timeout()


def rule_attacks(rule):
    """(the engine's call for this rule, attack strings) for a pattern rule."""
    limit = INLINE_WINDOW if rule.inline else min(rule.max_chars or MAX_RULE_LINE, MAX_RULE_LINE)
    call = {"start": rule.compiled.match, "end": rule.compiled.search}.get(rule.scope, rule.compiled.fullmatch)
    strings = []
    for example in rule.examples:
        base = example if rule.inline else clean_form(example)
        strings.extend(attack_strings(base, limit))
    return call, strings


def scan(rules=None, timeout: float = 2.0, give_up_after: int = 3):
    """(seconds, rule id, attack string) for every attack, slowest first; a match that runs
    into `timeout` counts as float('inf'). After `give_up_after` timeouts a rule is not tried
    further (it is already known to be catastrophic). Uses SIGALRM: main thread only."""
    rules = rules if rules is not None else [r for p in builtin_packs() for r in p.rules]
    found = []
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    try:
        for rule in rules:
            if rule.compiled is None:
                continue
            call, strings = rule_attacks(rule)
            timeouts = 0
            for s in strings:
                signal.setitimer(signal.ITIMER_REAL, timeout)
                t0 = time.perf_counter()
                try:
                    call(s)
                    secs = time.perf_counter() - t0
                except _Timeout:
                    secs = float("inf")
                    timeouts += 1
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                found.append((secs, rule.id, s))
                if timeouts >= give_up_after:
                    break
    finally:
        signal.signal(signal.SIGALRM, previous)
    found.sort(key=lambda x: x[0], reverse=True)
    return found


def static(rules) -> int:
    """Which built-in patterns the user-pack checks (newsclean/redos.py, redos_probe.py) would
    refuse, and what the checks cost per pattern."""
    import re
    from statistics import median
    from newsclean.redos import ambiguous_repeat
    from newsclean.redos_probe import probe
    flagged, checks, probes = [], [], []
    for r in rules:
        if r.pattern is None:
            continue
        t0 = time.perf_counter()
        why = ambiguous_repeat(r.pattern)
        checks.append(time.perf_counter() - t0)
        if why:
            flagged.append((r.id, why))
            continue
        compiled = re.compile(r.pattern, re.IGNORECASE)
        call = {"start": compiled.match, "end": compiled.search}.get(r.scope, compiled.fullmatch)
        limit = INLINE_WINDOW if r.inline else min(r.max_chars or MAX_RULE_LINE, MAX_RULE_LINE)
        t0 = time.perf_counter()
        slow = probe(call, r.pattern, r.examples, limit)
        probes.append(time.perf_counter() - t0)
        if slow:
            flagged.append((r.id, slow))
    for rid, why in flagged:
        print(f"  {rid:32s} {why}")
    print(f"{len(flagged)} of {len(checks)} built-in patterns would be refused in a user pack (built-ins are "
          f"vetted by timing instead)\nstatic check: {sum(checks):.2f} s in all, median {median(checks) * 1000:.1f} ms; "
          f"timing probe on the {len(probes)} it accepts: {sum(probes):.2f} s, median {median(probes) * 1000:.1f} ms")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--top", type=int, default=15, help="how many of the slowest to print")
    ap.add_argument("--timeout", type=float, default=2.0, help="seconds before one match is given up")
    ap.add_argument("--rule", action="append", default=[], help="only this rule id (repeatable)")
    ap.add_argument("--static", action="store_true",
                    help="list the patterns that newsclean/redos.py's static check (user packs only) refuses")
    args = ap.parse_args(argv)
    rules = [r for p in builtin_packs() for r in p.rules if not args.rule or r.id in args.rule]
    if args.static:
        return static(rules)
    t0 = time.perf_counter()
    found = scan(rules, timeout=args.timeout)
    print(f"{len(found):,} attack strings over {len({f[1] for f in found})} pattern rules "
          f"in {time.perf_counter() - t0:.1f}s; slowest:")
    for secs, rid, s in found[:args.top]:
        shown = "   TIMEOUT" if secs == float("inf") else f"{secs * 1000:8.2f} ms"
        print(f"  {shown}  {rid:32s} {s[:60]!r}{'…' if len(s) > 60 else ''} ({len(s)} chars)")
    bad = sorted({rid for secs, rid, _ in found if secs == float("inf")})
    if bad:
        print(f"FAIL: matching ran into the {args.timeout}s timeout for: {', '.join(bad)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
