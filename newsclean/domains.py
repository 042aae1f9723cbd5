"""The site of a page: the registered domain of its URL ('https://news.bbc.co.uk/x' ->
'bbc.co.uk'), by the Public Suffix List that the `tld` package ships. The list is read from
the package's own file and never fetched: `tld` would download it when its file cannot be
read, and here that is an error instead."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from urllib.parse import urlsplit

_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


@lru_cache(maxsize=1)
def _suffix_parser():
    """A `tld` parser of the suffix list the package ships, which never fetches: `tld`
    downloads the list when its file cannot be read, and here that must be an error."""
    import tld
    from tld.exceptions import TldIOError
    from tld.utils import MozillaTLDSourceParser

    class BundledSuffixes(MozillaTLDSourceParser):
        uid = "newsclean-bundled"
        source_url = ""
        local_path = os.path.join(os.path.dirname(tld.__file__), MozillaTLDSourceParser.local_path)

        @classmethod
        def update_tld_names(cls, fail_silently: bool = False) -> bool:
            if fail_silently:
                return False
            raise TldIOError(f"cannot read {cls.local_path}")

    try:
        BundledSuffixes.get_tld_names(fail_silently=False)
    except Exception as exc:
        raise RuntimeError(f"the Public Suffix List shipped with the 'tld' package cannot be read: {exc}") from None
    return BundledSuffixes


def _host(url: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    if "://" not in url[:16]:
        url = "//" + url.lstrip("/")  # 'www.bbc.co.uk/news/x' names a host too
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    return host or None


@lru_cache(maxsize=1 << 16)
def _site_of_host(host: str) -> str | None:
    if ":" in host or _IPV4.fullmatch(host):
        return host  # an IP address is its own site
    labels = host.split(".")
    if not all(_LABEL.fullmatch(x) for x in labels):
        return None
    from tld import get_fld
    site = get_fld("http://" + host, fail_silently=True, parser_class=_suffix_parser())
    if site:
        return site
    # A suffix the list does not know: the list's default rule makes the last label the suffix.
    return ".".join(labels[-2:])


def registered_domain(url: str | None) -> str | None:
    """The site of a URL: 'https://news.bbc.co.uk/x' -> 'bbc.co.uk'; None when there is no
    host to read. A URL without a scheme ('www.bbc.co.uk/news') is read as a host and path.
    Private suffixes count: every blog on blogspot.com is its own site, with its own template."""
    if not isinstance(url, str):
        return None
    host = _host(url)
    return None if host is None else _site_of_host(host)


