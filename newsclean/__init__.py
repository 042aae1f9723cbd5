"""newsclean: strip site chrome from text scraped off news pages, keep the article.

    >>> import newsclean
    >>> newsclean.clean("Breaking News\\n\\nThe council voted 7-2 to approve the budget on Monday night.\\n\\nAdvertisement")
    'The council voted 7-2 to approve the budget on Monday night.'
"""

from __future__ import annotations

from .cleaner import HEURISTICS, Cleaner
from .html import analyze_html, clean_html
from .result import Removal, Result
from .rules import Rule, RulePack, RulePackError

__version__ = "0.1.0"
__all__ = ["clean", "analyze", "clean_html", "analyze_html", "Cleaner", "Result", "Removal", "Rule", "RulePack", "RulePackError",
           "HEURISTICS", "__version__"]

_default: Cleaner | None = None


def _cleaner() -> Cleaner:
    global _default
    if _default is None:
        _default = Cleaner()
    return _default


def clean(text: str, **options) -> str:
    """The article in `text`, without the site's chrome. Options as for `Cleaner`."""
    return (Cleaner(**options) if options else _cleaner()).clean(text)


def analyze(text: str, **options) -> Result:
    """Like `clean`, with every removal explained and the metadata found."""
    return (Cleaner(**options) if options else _cleaner()).analyze(text)
