"""newsclean: strip site chrome from text scraped off news pages, keep the article.

    >>> import newsclean
    >>> newsclean.clean("Breaking News\\n\\nThe council voted 7-2 to approve the budget on Monday night.\\n\\nAdvertisement")
    'The council voted 7-2 to approve the budget on Monday night.'
"""

from __future__ import annotations

import functools
import os

from .cleaner import HEURISTICS, Cleaner
from .result import Removal, Result
from .rules import Rule, RulePack, RulePackError
from .sites import ProfileError, SiteProfiles, learn, registered_domain

__version__ = "0.1.0"
__all__ = ["clean", "analyze", "clean_html", "analyze_html", "Cleaner", "Result", "Removal", "Rule", "RulePack", "RulePackError",
           "HEURISTICS", "learn", "SiteProfiles", "ProfileError", "registered_domain", "__version__"]

@functools.lru_cache(maxsize=32)
def _cleaner(options: tuple = (), stamp: tuple | None = None) -> Cleaner:
    """One Cleaner per set of options, built once (rules compile on first use). `stamp` is
    only part of the key: the identity of the profiles file the options name, if any."""
    return Cleaner(**dict(options))


def _file_stamp(path) -> tuple:
    """What tells a file rewritten under the same name from the one read before: where it
    is, and its device, inode, modification time and size."""
    st = os.stat(path)
    return os.path.abspath(path), st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def _cleaner_for(options: dict) -> Cleaner:
    if not options:
        return _cleaner()
    try:
        key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items()))
        hash(key)
    except TypeError:
        return Cleaner(**options)  # unhashable options (a generator of paths): no caching
    stamp = None
    profiles = options.get("profiles")
    if isinstance(profiles, (str, os.PathLike)):
        try:
            stamp = _file_stamp(profiles)
        except (OSError, ValueError):
            return Cleaner(**options)  # not there (or not a path): the Cleaner says why
    return _cleaner(key, stamp)


def clean(text: str, *, url: str | None = None, site: str | None = None, **options) -> str:
    """The article in `text`, without the site's chrome. Options as for `Cleaner`; `url` or
    `site` name the page's site for `profiles=`."""
    return _cleaner_for(options).clean(text, url=url, site=site)


def analyze(text: str, *, url: str | None = None, site: str | None = None, **options) -> Result:
    """Like `clean`, with every removal explained and the metadata found."""
    return _cleaner_for(options).analyze(text, url=url, site=site)


def clean_html(html, url=None, **options) -> str:
    """The article of an HTML page (str or bytes), cleaned. See newsclean.html."""
    from .html import clean_html as impl  # imported on first use: trafilatura is heavy
    return impl(html, url=url, **options)


def analyze_html(html, url=None, **options) -> Result:
    """Like `clean_html`, with every removal explained and the page's metadata."""
    from .html import analyze_html as impl
    return impl(html, url=url, **options)
