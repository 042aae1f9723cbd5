"""What a cleaning returns: the text, every cut with its reason, and the metadata found."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

METADATA_KEYS = ("title", "byline", "dateline", "wire", "credits", "copyright")


@dataclass(frozen=True, slots=True)
class Removal:
    """One cut: a whole line, or an inline tag cut from the start or end of a line."""

    line: int  # 0-based index of the input line after newline normalisation
    start: int  # character offsets in the newline-normalised input
    end: int
    text: str  # what was cut
    rule: str  # a rule id, or "heuristic.<name>"
    reason: str  # a short sentence

    def to_dict(self) -> dict:
        return asdict(self)


def empty_metadata() -> dict:
    return {"title": None, "byline": None, "dateline": None, "wire": [], "credits": [], "copyright": None}


@dataclass(slots=True)
class Result:
    text: str
    removed: list[Removal] = field(default_factory=list)
    metadata: dict = field(default_factory=empty_metadata)

    def to_dict(self) -> dict:
        return {"text": self.text, "removed": [r.to_dict() for r in self.removed],
                "metadata": dict(self.metadata)}

    @property
    def rules_hit(self) -> dict[str, int]:
        """How many cuts each rule or heuristic made."""
        counts: dict[str, int] = {}
        for r in self.removed:
            counts[r.rule] = counts.get(r.rule, 0) + 1
        return counts
