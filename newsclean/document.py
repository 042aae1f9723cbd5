"""The document model: newline normalisation, lines, and the normalised forms used for matching.

A document is a list of lines (paragraphs). Every pass of the cleaner works on line indices,
so offsets in a `Removal` always refer to the newline-normalised input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that look like a space, or are invisible, and must not defeat matching.
_SPACE_LIKE = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SPACE_RE = re.compile(f"[{_SPACE_LIKE}]")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_ODD_RE = re.compile(f"[{_SPACE_LIKE}{_INVISIBLE}]")

# Markdown decoration that does not change what a line says.
_MD_LEAD = re.compile(r"^(?:\s*(?:#{1,6}(?=\s)|>|[*+\-•·▪►▸◦‣]\s|\d{1,3}[.)]\s))+")
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_SPACES = re.compile(r"\s+")

# Punctuation and symbols trimmed from both ends of a phrase key.
KEY_TRIM = (" .,:;!?¡¿…|/\\-–—_=+*#>»«›‹•·▪►▸◦‣→←↑↓▶◀()[]{}\"'“”‘’„‚`~^"
            "：；，、。！？（）【】「」『』《》〈〉〔〕［］｛｝・～…　")  # and their full-width forms


def normalise_newlines(text: str) -> list[str]:
    """Split on every kind of newline (\\r\\n, \\r, U+2028, U+2029, ...) into lines."""
    lines = text.splitlines()
    return lines


def fold(s: str) -> str:
    """Map space-like characters to a space and drop invisible ones."""
    if s.isascii():
        return s.replace("\t", " ") if "\t" in s else s
    # Every space-like and invisible character is unprintable, and isprintable() scans in
    # C about twice as fast as the regular expression does.
    if s.isprintable() or _ODD_RE.search(s) is None:
        return s
    return _INVISIBLE_RE.sub("", _SPACE_RE.sub(" ", s))


_LEAD_CHARS = frozenset("#>*+-•·▪►▸◦‣0123456789 \t")


def strip_markdown(s: str) -> str:
    """The readable text of a Markdown line: no heading/bullet/quote markers, links as their text."""
    if s[:1] in _LEAD_CHARS:
        s = _MD_LEAD.sub("", s)
    if "](" in s:
        s = _MD_IMAGE.sub(r"\1", s)
        s = _MD_LINK.sub(r"\1", s)
    if "*" in s or "_" in s or "`" in s:
        s = _MD_EMPHASIS.sub("", s)
    return s


def clean_form(raw: str) -> str:
    """What a line says, for regular-expression rules: folded, Markdown removed, spaces collapsed."""
    s = strip_markdown(fold(raw))
    # After fold, the only whitespace a line can hold besides ' ' is '\n' (a wrapped
    # paragraph) and '\x1f' (fold turned tabs to spaces): words are then exactly the spans
    # between single spaces.
    if "  " in s or "\n" in s or "\x1f" in s or s[:1] == " " or s[-1:] == " ":
        return " ".join(s.split())
    return s


def prefix_key(clean: str) -> str:
    """Case-folded clean form, for prefix rules (keeps inner punctuation)."""
    return clean.casefold().lstrip(KEY_TRIM)


def phrase_key(clean: str) -> str:
    """Case-folded clean form with punctuation trimmed at both ends, for phrase rules."""
    return clean.casefold().strip(KEY_TRIM)


def markdown_link_text_share(raw: str) -> tuple[int, int]:
    """(characters inside link texts, characters of readable text) for link density."""
    if "](" not in raw:
        return 0, len(raw)
    linked = sum(_alnum(m.group(1)) for m in _MD_LINK.finditer(raw))
    return linked, _alnum(strip_markdown(raw))


def _alnum(s: str) -> int:
    return sum(1 for c in s if c.isalnum())


@dataclass(slots=True, init=False)
class Line:
    """A unit of the document: one input line, or the lines of one hard-wrapped paragraph.

    `blank` and `clean` are worked out when the line is made, from its text, and kept as
    plain attributes: the passes read them over a hundred times a document, and a slot is
    read several times faster than a property (nearly every line needs its clean form).
    """

    index: int  # position of the unit in Document.lines
    start: int  # offset of its first character in the normalised text
    raw: str  # the unit's text as in the input (lines joined with "\n")
    text: str  # raw with trailing whitespace removed
    lineno: int  # 0-based number of its first input line
    nlines: int  # how many input lines it spans
    blank: bool  # text is empty: raw is all space
    clean: str  # clean_form(text)

    def __init__(self, index: int, start: int, raw: str, text: str, lineno: int = 0, nlines: int = 1):
        self.index = index
        self.start = start
        self.raw = raw
        self.text = text
        self.lineno = lineno
        self.nlines = nlines
        self.blank = not text
        self.clean = clean_form(text) if text else ""


# Lines that start a new block in Markdown even without a blank line before them.
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}\s|>|[*+\-•·]\s|\d{1,3}[.)]\s|\||!\[|```)")


# Lines that a wrapped paragraph never continues: images and headings.
_NO_CONTINUATION = re.compile(r"^\s{0,3}(?:!\[|\[!\[|#{1,6}\s)")


# The narrowest wrap width taken from the lines that wrap when the longest lines do not tell
# it (converters and mailers wrap at 70 to 80 columns; menus run on at 40 to 55).
MIN_WRAP_WIDTH = 60


def _wraps_at(lines: list[str], width: int) -> int:
    """How many lines end within 18 columns of `width` and run on into the next line."""
    near_width = 0
    for a, b in zip(lines, lines[1:]):
        if width - 18 <= len(a.rstrip()) <= width and b.strip() and not _BLOCK_START.match(b):
            near_width += 1
    return near_width


def is_hard_wrapped(lines: list[str]) -> bool:
    """Was the text wrapped at a fixed width (as html2text does at 78 columns)? Then a
    paragraph spans several lines, and line-by-line judgement would see fragments.

    The width is the 90th percentile of the long lines. When a few one-line paragraphs
    that were never wrapped (a share prompt, a link line html2text does not break) are
    longer than the width and push that percentile above it, the width is taken again
    from the lines that run on into the next one."""
    long_lines = [len(l) for l in lines if len(l) >= 40]
    if len(long_lines) < 6:
        return False
    width = sorted(long_lines)[int(len(long_lines) * 0.9)]
    if width > 100:
        return False
    needed = max(3, len(long_lines) * 0.2)
    if _wraps_at(lines, width) >= needed:
        return True
    running_on = sorted(len(a) for a, b in zip(lines, lines[1:])
                        if len(a) >= 40 and b.strip() and not _BLOCK_START.match(b))
    if not running_on:
        return False
    narrower = running_on[int(len(running_on) * 0.9)]
    return MIN_WRAP_WIDTH <= narrower < width and _wraps_at(lines, narrower) >= needed


class Document:
    """The input split into units (lines, or wrapped paragraphs), with offsets into the
    newline-normalised text."""

    __slots__ = ("lines", "wrapped", "nlines")

    def __init__(self, text: str, wrapped: bool | None = None):
        raw_lines = normalise_newlines(text)
        self.nlines = len(raw_lines)
        self.wrapped = is_hard_wrapped(raw_lines) if wrapped is None else wrapped
        lines: list[Line] = []
        pos = 0
        if not self.wrapped:
            # Each line is a unit, and its index is its line number (one int for both).
            for i, raw in enumerate(raw_lines):
                lines.append(Line(i, pos, raw, raw.rstrip(), i))
                pos += len(raw) + 1
            self.lines = lines
            return
        prev_len = 0
        for i, raw in enumerate(raw_lines):
            text = raw.rstrip()
            joins = (lines and prev_len >= 45 and text
                     and not _BLOCK_START.match(raw) and not lines[-1].blank
                     and not _NO_CONTINUATION.match(lines[-1].raw))
            if joins:
                unit = lines[-1]
                unit.raw += "\n" + raw
                unit.text = unit.raw.rstrip()
                unit.nlines += 1
            else:
                lines.append(Line(len(lines), pos, raw, text, i))
            prev_len = len(text)
            pos += len(raw) + 1
        for unit in lines:
            if unit.nlines > 1:  # its text grew as lines were joined to it
                unit.clean = clean_form(unit.text)
        self.lines = lines

    @property
    def text(self) -> str:
        """The newline-normalised text, which offsets refer to (made on demand: it is a
        copy of the whole input)."""
        return "\n".join(line.raw for line in self.lines)

    def __len__(self) -> int:
        return len(self.lines)
