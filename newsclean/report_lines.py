"""The audit report's documents as lines with their cuts: the items the page draws, their
shortening (condensed around the cuts, truncated to a head and a tail), and a cut in context
for the examples."""

from __future__ import annotations

from bisect import bisect_right


EXAMPLE_CONTEXT = 2  # non-blank lines shown before and after an example cut
EXAMPLE_LINE = 300  # characters of a line shown in an example
EXAMPLE_CUT_LINES = 6  # lines of a multi-line cut shown in an example
DOC_CONTEXT = 3  # non-blank kept lines around a cut when a document is condensed


# -- one document ------------------------------------------------------------------------------
#
# A document's lines are stored as items the page draws without computing offsets (which
# would differ between Python's code points and JavaScript's UTF-16 units):
#   "text"                          a kept line
#   [rule, reason, "text"]          a line cut whole (rule and reason are indices)
#   {"p": ["kept", [rule, reason, "cut"], …]}   a line with inline cuts
#   {"g": lines, "c": chars}        lines not stored (the document was shortened)

def _size(item) -> int:
    if isinstance(item, str):
        return len(item)
    if isinstance(item, list):
        return len(item[2])
    if "p" in item:
        return sum(len(p) if isinstance(p, str) else len(p[2]) for p in item["p"])
    return 0


def _nlines(item) -> int:
    return item["g"] if isinstance(item, dict) and "g" in item else 1


def _is_cut(item) -> bool:
    return isinstance(item, list) or (isinstance(item, dict) and "p" in item)


def _clip(item, n: int):
    """The item with its text cut to about n characters."""
    if isinstance(item, str):
        return item if len(item) <= n else item[:n] + "…"
    if isinstance(item, list):
        return item if len(item[2]) <= n else [item[0], item[1], item[2][:n] + "…"]
    if "p" not in item or _size(item) <= n:
        return item
    parts, first_cut = [], next((i for i, p in enumerate(item["p"]) if not isinstance(p, str)), 0)
    kept_max = max(20, n // 3)
    for i, p in enumerate(item["p"]):
        if isinstance(p, str):
            if len(p) > kept_max:
                p = "…" + p[-kept_max:] if i < first_cut else p[:kept_max] + "…"
            parts.append(p)
        else:
            parts.append(p if len(p[2]) <= n else [p[0], p[1], p[2][:n] + "…"])
    return {"p": parts}


def _gap(lines: int, chars: int) -> dict:
    return {"g": lines, "c": chars}


def condense(items: list, context: int = DOC_CONTEXT) -> tuple[list, int]:
    """Keep the cut lines and `context` non-blank lines around each (a document without cuts
    keeps its first lines); the rest become gaps. (items, kept lines dropped)."""
    nonblank = [i for i, it in enumerate(items) if not (isinstance(it, str) and not it.strip())]
    pos = {i: k for k, i in enumerate(nonblank)}
    keep: set[int] = set()
    cuts = [i for i in nonblank if _is_cut(items[i])]
    if cuts:
        for i in cuts:
            k = pos[i]
            keep.update(nonblank[max(0, k - context):k + context + 1])
    else:
        keep.update(nonblank[:2 * context])
    out, gap_lines, gap_chars, dropped = [], 0, 0, 0
    prev_kept = False
    for k, it in enumerate(items):
        blank = isinstance(it, str) and not it.strip()
        if blank:
            # a blank line stays between two kept lines
            nxt = next((j for j in range(k + 1, len(items)) if not (isinstance(items[j], str) and not items[j].strip())), None)
            take = prev_kept and nxt is not None and nxt in keep
        else:
            take = k in keep or (isinstance(it, dict) and "g" in it)
        if take:
            if gap_lines:
                out.append(_gap(gap_lines, gap_chars))
                gap_lines = gap_chars = 0
            out.append(it)
        else:
            gap_lines += _nlines(it)
            gap_chars += _size(it) if not isinstance(it, dict) or "g" not in it else it["c"]
            if not blank:
                dropped += 1
        if not blank:
            prev_kept = take
    if gap_lines:
        out.append(_gap(gap_lines, gap_chars))
    return out, dropped


def truncate(items: list, cap: int) -> list:
    """At most about `cap` characters: the head (60%) and the tail (40%) of the document, with a
    gap between them."""
    sizes = [_size(it) for it in items]
    if sum(sizes) <= cap:
        return items
    if len(items) == 1:
        return [_clip(items[0], cap)]
    head_budget = int(cap * 0.6)
    tail_budget = cap - head_budget
    head, used, i = [], 0, 0
    while i < len(items) and used + sizes[i] <= head_budget:
        head.append(items[i])
        used += sizes[i]
        i += 1
    if i < len(items) and head_budget - used > 40 and not (isinstance(items[i], dict) and "g" in items[i]):
        head.append(_clip(items[i], head_budget - used))
        used = head_budget
        i += 1
    tail, used, j = [], 0, len(items)
    while j - 1 >= i and used + sizes[j - 1] <= tail_budget:
        j -= 1
        tail.append(items[j])
        used += sizes[j]
    tail.reverse()
    middle = items[i:j]
    if middle:
        lines = sum(_nlines(it) for it in middle)
        chars = sum(it["c"] if isinstance(it, dict) and "g" in it else _size(it) for it in middle)
        head.append(_gap(lines, chars))
    return _merge_gaps(head + tail)


def _merge_gaps(items: list) -> list:
    out: list = []
    for it in items:
        if isinstance(it, dict) and "g" in it and out and isinstance(out[-1], dict) and "g" in out[-1]:
            out[-1] = _gap(out[-1]["g"] + it["g"], out[-1]["c"] + it["c"])
        else:
            out.append(it)
    return out


def encode_lines(text: str, removed, rule_of, reason_of) -> list:
    """The document's lines as items (see above), with its removals marked."""
    lines = text.splitlines()  # the cleaner's newline normalisation
    starts, pos = [], 0
    for raw in lines:
        starts.append(pos)
        pos += len(raw) + 1
    by_line: dict[int, list] = {}
    for r in removed:
        first = max(0, bisect_right(starts, r.start) - 1)
        end = max(r.end, r.start + 1)
        for i in range(first, len(lines)):
            if starts[i] >= end:
                break
            by_line.setdefault(i, []).append(r)
    items: list = []
    for i, raw in enumerate(lines):
        cuts = by_line.get(i)
        if not cuts or not raw:
            items.append(raw)
            continue
        lo, hi = starts[i], starts[i] + len(raw)
        parts: list = []
        at = lo
        for r in sorted(cuts, key=lambda r: (r.start, r.end)):
            a, b = max(r.start, at), min(r.end, hi)
            if b <= a:
                continue
            if a > at:
                parts.append(raw[at - lo:a - lo])
            parts.append([rule_of(r.rule), reason_of(r.reason), raw[a - lo:b - lo]])
            at = b
        if at < hi:
            parts.append(raw[at - lo:])
        cut_parts = [p for p in parts if not isinstance(p, str)]
        if not cut_parts:
            items.append(raw)
        elif (all(not p.strip() for p in parts if isinstance(p, str))
              and len({(p[0], p[1]) for p in cut_parts}) == 1):
            items.append([cut_parts[0][0], cut_parts[0][1], raw])  # the whole line (but spaces)
        else:
            items.append({"p": parts})
    return items


def _line_span(starts: list[int], r) -> tuple[int, int]:
    """The first and last line a removal touches."""
    first = max(0, bisect_right(starts, r.start) - 1)
    last = max(first, bisect_right(starts, max(r.end, r.start + 1) - 1) - 1)
    return first, min(last, len(starts) - 1)


def _blank(item) -> bool:
    return isinstance(item, str) and not item.strip()


def example_of(items: list, starts: list[int], r) -> dict:
    """A cut in context: its lines (at most EXAMPLE_CUT_LINES) and the lines around them, up to
    EXAMPLE_CONTEXT non-blank ones on each side. {"L": [[line, item], …], "f": [first, last]}."""
    first, last = _line_span(starts, r)
    lo, seen = first, 0
    while lo > 0 and seen < EXAMPLE_CONTEXT:
        lo -= 1
        seen += not _blank(items[lo])
    while lo < first and _blank(items[lo]):
        lo += 1
    hi, seen = last, 0
    while hi < len(items) - 1 and seen < EXAMPLE_CONTEXT:
        hi += 1
        seen += not _blank(items[hi])
    while hi > last and _blank(items[hi]):
        hi -= 1
    cut = list(range(first, last + 1))
    if len(cut) > EXAMPLE_CUT_LINES:
        cut = cut[:EXAMPLE_CUT_LINES - 1] + [last]
    lines = list(range(lo, first)) + cut + list(range(last + 1, hi + 1))
    return {"L": [[i, _clip(items[i], EXAMPLE_LINE)] for i in lines], "f": [first, last]}


def _cuts_only(removed, rule_of, reason_of) -> tuple[list, dict[int, int]]:
    """Items for a document whose text is not at hand: its cuts at their lines, gaps between
    them; and the item index of each line."""
    items: list = []
    at_line: dict[int, int] = {}
    line = 0
    for r in sorted(removed, key=lambda r: (r.line, r.start)):
        if r.line in at_line:
            continue
        if r.line > line:
            items.append(_gap(r.line - line, 0))
        at_line[r.line] = len(items)
        items.append([rule_of(r.rule), reason_of(r.reason), r.text])
        line = r.line + 1
    return items, at_line
