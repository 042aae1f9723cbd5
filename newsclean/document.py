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
_FOLD = str.maketrans({**{c: " " for c in _SPACE_LIKE}, **{c: None for c in _INVISIBLE}})

# Markdown decoration that does not change what a line says.
_MD_LEAD = re.compile(r"^(?:\s*(?:#{1,6}(?=\s)|>|[*+\-•·▪►▸◦‣]\s|\d{1,3}[.)]\s))+")
_MD_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\]\n]{0,500})\]\([^)\n]{0,2000}\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_SPACES = re.compile(r"\s+")

# Punctuation and symbols trimmed from both ends of a phrase key.
KEY_TRIM = " .,:;!?¡¿…|/\\-–—_=+*#>»«›‹•·▪►▸◦‣→←↑↓▶◀()[]{}\"'“”‘’„‚`~^"


def normalise_newlines(text: str) -> list[str]:
    """Split on every kind of newline (\\r\\n, \\r, U+2028, U+2029, ...) into lines."""
    lines = text.splitlines()
    return lines


def fold(s: str) -> str:
    """Map space-like characters to a space and drop invisible ones."""
    return s.translate(_FOLD)


def strip_markdown(s: str) -> str:
    """The readable text of a Markdown line: no heading/bullet/quote markers, links as their text."""
    s = _MD_LEAD.sub("", s)
    if "](" in s:
        s = _MD_IMAGE.sub(r"\1", s)
        s = _MD_LINK.sub(r"\1", s)
    if "*" in s or "_" in s or "`" in s:
        s = _MD_EMPHASIS.sub("", s)
    return s


def clean_form(raw: str) -> str:
    """What a line says, for regular-expression rules: folded, Markdown removed, spaces collapsed."""
    return _SPACES.sub(" ", strip_markdown(fold(raw))).strip()


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
    linked = sum(len(m.group(1)) for m in _MD_LINK.finditer(raw))
    return linked, len(strip_markdown(raw))


@dataclass(slots=True)
class Line:
    index: int
    start: int  # offset of the line in the normalised text
    raw: str  # the line as in the input (newline-normalised)
    text: str  # raw with trailing whitespace removed
    _clean: str | None = None

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def clean(self) -> str:
        if self._clean is None:
            self._clean = clean_form(self.text)
        return self._clean


class Document:
    """The input split into lines, with offsets into the newline-normalised text."""

    __slots__ = ("lines", "text")

    def __init__(self, text: str):
        raw_lines = normalise_newlines(text)
        self.text = "\n".join(raw_lines)
        lines = []
        pos = 0
        for i, raw in enumerate(raw_lines):
            lines.append(Line(i, pos, raw, raw.rstrip()))
            pos += len(raw) + 1
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)
