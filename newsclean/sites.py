"""Site profiles: the chrome a site repeats on its pages, learned from many of them.

A site is the registered domain of a page's URL (`news.bbc.co.uk` -> `bbc.co.uk`, see
domains.py: the Public Suffix List that the `tld` package ships; nothing is ever fetched). A page's lines are the cleaner's units (`Document`), each reduced to a key:
Markdown removed, case folded, spaces collapsed, numbers and dates replaced by `0`, so
that "Updated: July 9, 2021 10:12 AM" and "Updated: March 3, 2022 9:40 PM" are one line.

Learning counts, per site, on how many pages each key occurs (once per page). Keys are
counted by a 64-bit digest, and a key's text is kept only once it is a candidate (seen on
a second page), so memory grows with the number of distinct lines, not with the text.
`LineCounts` are additive: partitions of a corpus are counted apart and merged
(`newsclean.dask`), and the thresholds are applied once, to the totals.

A learned line occurs on at least `min_docs` of the site's pages and on at least
`min_share` of them; a line that reads as a long sentence only when it is on more than
`LONG_SENTENCE_SHARE` of them (a standard boilerplate sentence on a third of a site's
pages is as likely an article's own sentence).
"""

from __future__ import annotations

import json
import re
from hashlib import blake2b
from pathlib import Path
from typing import Iterable, Iterator

from . import heuristics as H
from .document import Document, Line
from .domains import registered_domain

FORMAT = "newsclean.site-profiles"
FORMAT_VERSION = 1

MIN_DOCS = 3  # a line is learned when it is on at least this many of the site's pages
MIN_SHARE = 0.2  # ... and on at least this share of them
LONG_SENTENCE_SHARE = 0.5  # a line that reads as a long sentence: on more than this share
MAX_KEY_CHARS = 2000  # longer lines are article text (or data): never learned nor matched
SHORT_KEY = 48  # when counting a partition, keys this short keep their text at first sight

RULE_PREFIX = "site:"


class ProfileError(ValueError):
    """A site-profiles file that cannot be read, or a bad option for learning."""


# -- line keys ------------------------------------------------------------------------------------

# Month and weekday names of the languages with rule packs written in Latin or Cyrillic
# letters, case-folded; they count as a date only next to a number.
_MONTHS = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
januar februar märz maerz mai juni juli oktober dezember jän
janvier février fevrier mars avril juin juillet août aout septembre octobre novembre décembre
janv févr fevr avr juil déc
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
ene abr ago dic
gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro
januari februari maart mei augustus
stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia
ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
января февраля марта апреля мая июня июля августа сентября октября ноября декабря
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
""".split()
_WEEKDAYS = """
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
montag dienstag mittwoch donnerstag freitag samstag sonntag
lundi mardi mercredi jeudi vendredi samedi dimanche
lunes martes miércoles jueves viernes sábado domingo
lunedì martedì mercoledì giovedì venerdì sabato domenica
segunda terça quarta quinta sexta
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
""".split()


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_NUMBER = re.compile(r"\d+(?:[.,:/-]\d+)*")
_M, _W = _alternation(_MONTHS), _alternation(_WEEKDAYS)
_DATE = re.compile(
    rf"(?:\b(?:{_W})\b\.?,?\s)?"
    rf"(?:\b(?:{_M})\b\.?\s0(?:st|nd|rd|th)?\b(?:,?\s0\b)?"  # July 9, 2021 / Jul 9
    rf"|\b0(?:st|nd|rd|th|er|\.)?\s(?:(?:of|de|di)\s)?(?:{_M})\b\.?(?:,?\s(?:de\s|del\s)?0\b)?"  # 9 July 2021
    rf"|\b(?:{_W})\b\.?,?\s0\b)")  # Monday, 0 (a numeric date, already 0)
_TIME = re.compile(r"\b0\s?[ap]\.?m\b\.?")  # 10:12 AM, 9 p.m.
_LETTER = re.compile(r"[^\W\d_]")


def line_key(clean: str) -> str:
    """The form under which a line is counted and matched ('' when it is not learnable:
    blank, too long, or without a letter, like a lone number or date that may as well be
    a table cell)."""
    if not clean or len(clean) > MAX_KEY_CHARS:
        return ""
    key = " ".join(clean.casefold().split())
    if any(c.isdigit() for c in key):
        key = _TIME.sub("0", _DATE.sub("0", _NUMBER.sub("0", key)))
    return key if _LETTER.search(key) else ""


def page_keys(text: str) -> set[str]:
    """The distinct keys of a page's lines (a line counts once per page)."""
    keys = set()
    for line in Document(text).lines:
        if not line.blank:
            key = line_key(line.clean)
            if key:
                keys.add(key)
    return keys


def digest(key: str) -> int:
    """A 64-bit digest of a key, the same in every process (unlike hash())."""
    return int.from_bytes(blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def reads_as_long_sentence(key: str) -> bool:
    """Does the line read as prose (the cleaner's own test: ends like a sentence, ten words
    or more)? Such lines need a larger share of the site's pages to be learned."""
    f = H.features(Line(0, 0, key, key))
    return H.classify(f) == H.GOOD


# -- reading records ------------------------------------------------------------------------------

def record_parts(record, url_field: str = "url", text_field: str = "text") -> tuple[str | None, str | None]:
    """(url, text) of a record: a mapping (or anything with .get) or a (url, text) pair;
    (None, None) for anything else. Values that are not strings are None."""
    if isinstance(record, (tuple, list)) and len(record) == 2:
        url, text = record
    elif hasattr(record, "get"):
        url, text = record.get(url_field), record.get(text_field)
    else:
        return None, None
    return (url if isinstance(url, str) else None), (text if isinstance(text, str) else None)


def parse_json_record(raw: bytes) -> dict | None:
    """One JSON Lines record, or None when the line is not UTF-8 JSON holding an object."""
    try:
        rec = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return rec if isinstance(rec, dict) else None


# -- counting ------------------------------------------------------------------------------------

class LineCounts:
    """Per site: pages counted, and on how many pages each line key (by digest) occurs.

    keep_short: keep the text of short keys at first sight. A partition of a corpus sets it,
    because a chrome line may be on one page in each partition and never be seen twice by
    any of them; a line without its text after merging is looked up again (`missing`)."""

    __slots__ = ("docs", "lines", "keys", "skipped", "keep_short")

    def __init__(self, keep_short: bool = False):
        self.docs: dict[str, int] = {}  # site -> pages
        self.lines: dict[str, dict[int, int]] = {}  # site -> key digest -> pages
        self.keys: dict[str, dict[int, str]] = {}  # site -> key digest -> key (candidates only)
        self.skipped = 0  # records without a usable URL or text
        self.keep_short = keep_short

    def add(self, site: str, text: str) -> None:
        self.docs[site] = self.docs.get(site, 0) + 1
        counts = self.lines.setdefault(site, {})
        texts = self.keys.setdefault(site, {})
        for key in page_keys(text):
            h = digest(key)
            n = counts.get(h, 0) + 1
            counts[h] = n
            if (n >= 2 or (self.keep_short and len(key) <= SHORT_KEY)) and h not in texts:
                texts[h] = key

    def add_record(self, record, url_field: str = "url", text_field: str = "text") -> None:
        url, text = record_parts(record, url_field, text_field)
        site = registered_domain(url)
        if site is None or not text:
            self.skipped += 1
        else:
            self.add(site, text)

    def merge(self, other: "LineCounts") -> "LineCounts":
        """Add other's counts into these (other is consumed: its tables may be reused)."""
        self.skipped += other.skipped
        for site, n in other.docs.items():
            self.docs[site] = self.docs.get(site, 0) + n
        for site, theirs in other.lines.items():
            mine = self.lines.get(site)
            if mine is None:
                self.lines[site] = theirs
                continue
            if len(mine) < len(theirs):
                mine, theirs = theirs, mine
                self.lines[site] = mine
            for h, n in theirs.items():
                mine[h] = mine.get(h, 0) + n
        for site, theirs in other.keys.items():
            mine = self.keys.setdefault(site, {})
            for h, key in theirs.items():
                mine.setdefault(h, key)
        return self

    def bucket(self, k: int, n: int) -> "LineCounts":
        """The lines whose digest is k modulo n (pages and skips stay with bucket 0): a
        reduction merges each bucket on its own, so no task holds every line."""
        out = LineCounts(self.keep_short)
        if k == 0:
            out.docs, out.skipped = dict(self.docs), self.skipped
        for site, counts in self.lines.items():
            mine = {h: c for h, c in counts.items() if h % n == k}
            if mine:
                out.lines[site] = mine
                texts = self.keys.get(site, {})
                out.keys[site] = {h: texts[h] for h in mine if h in texts}
        return out

    def frequent(self, totals: dict[str, int], min_docs: int, min_share: float) -> dict[str, dict[int, list]]:
        """site -> digest -> [pages, key or None] for the lines over both thresholds."""
        found: dict[str, dict[int, list]] = {}
        for site, counts in self.lines.items():
            total = totals.get(site, 0)
            if total < min_docs:
                continue
            need = max(min_docs, min_share * total - 1e-9)
            texts = self.keys.get(site, {})
            hits = {h: [n, texts.get(h)] for h, n in counts.items() if n >= need}
            if hits:
                found[site] = hits
        return found

    def profiles(self, min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE) -> "SiteProfiles":
        check_thresholds(min_docs, min_share)
        return build_profiles(self.frequent(self.docs, min_docs, min_share), self.docs, min_docs, min_share)


def check_thresholds(min_docs: int, min_share: float) -> None:
    if isinstance(min_docs, bool) or not isinstance(min_docs, int) or min_docs < 2:
        raise ProfileError(f"min_docs must be a whole number of at least 2, not {min_docs!r}")
    if isinstance(min_share, bool) or not isinstance(min_share, (int, float)) or not 0 < min_share <= 1:
        raise ProfileError(f"min_share must be a share above 0 and at most 1, not {min_share!r}")


def missing_keys(found: dict[str, dict[int, list]]) -> dict[str, set[int]]:
    """The learned lines whose text no partition kept (to be looked up in a second pass)."""
    return {site: {h for h, (n, key) in hits.items() if key is None}
            for site, hits in found.items() if any(v[1] is None for v in hits.values())}


def find_keys(records: Iterable, wanted: dict[str, set[int]], url_field: str = "url",
              text_field: str = "text") -> dict[str, dict[int, str]]:
    """The keys of the wanted digests, per site, as found in records."""
    out: dict[str, dict[int, str]] = {}
    for record in records:
        url, text = record_parts(record, url_field, text_field)
        site = registered_domain(url)
        if site not in wanted or not text:
            continue
        for key in page_keys(text):
            h = digest(key)
            if h in wanted[site]:
                out.setdefault(site, {})[h] = key
    return out


def build_profiles(found: dict[str, dict[int, list]], totals: dict[str, int], min_docs: int,
                   min_share: float) -> "SiteProfiles":
    """Profiles from the lines over the thresholds (their keys known), with the long-sentence rule."""
    sites = {}
    for site in sorted(found):
        total = totals[site]
        lines = {}
        for h, (n, key) in found[site].items():
            if key is None:
                raise ValueError(f"{site}: the text of a learned line was not found (digest {h:016x})")
            if n / total <= LONG_SENTENCE_SHARE and reads_as_long_sentence(key):
                continue
            lines[key] = n
        if lines:
            sites[site] = SiteProfile(total, lines)
    return SiteProfiles(sites, min_docs=min_docs, min_share=min_share)


def learn(records: Iterable, url_field: str = "url", text_field: str = "text", min_docs: int = MIN_DOCS,
          min_share: float = MIN_SHARE) -> "SiteProfiles":
    """Learn each site's chrome from records: dicts (or anything with .get) holding the text
    and the URL, or (url, text) pairs. Records without a usable URL or text are skipped."""
    check_thresholds(min_docs, min_share)
    counts = LineCounts()
    for record in records:
        counts.add_record(record, url_field, text_field)
    return counts.profiles(min_docs, min_share)


# -- profiles -------------------------------------------------------------------------------------

class SiteProfile:
    """One site's learned lines: key -> pages it is on, out of `docs` pages."""

    __slots__ = ("docs", "lines")

    def __init__(self, docs: int, lines: dict[str, int]):
        self.docs = docs
        self.lines = lines

    def __repr__(self) -> str:
        return f"SiteProfile(docs={self.docs}, lines={len(self.lines)})"


class SiteProfiles:
    """Learned chrome per site. Immutable once made; compare with `to_dict()`.

    `Cleaner(profiles=...)` removes a site's lines from its pages (`clean(text, url=...)` or
    `site=...`), each cut explained as `site:<domain>`."""

    def __init__(self, sites: dict[str, SiteProfile], min_docs: int = MIN_DOCS, min_share: float = MIN_SHARE):
        self.sites = dict(sites)
        self.min_docs = min_docs
        self.min_share = min_share

    def __len__(self) -> int:
        return len(self.sites)

    def __contains__(self, site) -> bool:
        return site in self.sites

    def __getitem__(self, site: str) -> SiteProfile:
        return self.sites[site]

    def __iter__(self) -> Iterator[str]:
        return iter(self.sites)

    def __repr__(self) -> str:
        lines = sum(len(p.lines) for p in self.sites.values())
        return f"<SiteProfiles: {len(self.sites)} sites, {lines} lines>"

    def site_of(self, url: str | None = None, site: str | None = None) -> str | None:
        """The profile that applies: `site` as given (or its registered domain), else the URL's."""
        if site:
            name = site.strip().rstrip(".").lower()
            return name if name in self.sites else registered_domain(name)
        return registered_domain(url) if url else None

    def cuts(self, lines: list[Line], cut: list, url: str | None = None,
             site: str | None = None) -> Iterator[tuple[int, tuple[str, str]]]:
        """(line index, (rule id, reason)) for each line, not already cut, that the site repeats."""
        name = self.site_of(url, site)
        profile = self.sites.get(name) if name else None
        if profile is None:
            return
        known = profile.lines
        for line in lines:
            if cut[line.index] is None and not line.blank:
                n = known.get(line_key(line.clean))
                if n is not None:
                    yield line.index, (RULE_PREFIX + name, f"recurs in {n} of {profile.docs} pages of {name}")

    # -- files --

    def to_dict(self) -> dict:
        sites = {}
        for name in sorted(self.sites):
            p = self.sites[name]
            lines = sorted(p.lines.items(), key=lambda kv: (-kv[1], kv[0]))
            sites[name] = {"docs": p.docs, "lines": [{"line": k, "docs": n} for k, n in lines]}
        return {"format": FORMAT, "version": FORMAT_VERSION,
                "options": {"min_docs": self.min_docs, "min_share": self.min_share,
                            "long_sentence_share": LONG_SENTENCE_SHARE},
                "sites": sites}

    @classmethod
    def from_dict(cls, data, source: str = "site profiles") -> "SiteProfiles":
        def bad(why: str) -> ProfileError:
            return ProfileError(f"{source}: {why}")
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise bad(f"not a newsclean site-profiles file (no \"format\": \"{FORMAT}\")")
        version = data.get("version")
        if version != FORMAT_VERSION:
            if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
                raise bad(f"format version {version} is newer than this newsclean reads ({FORMAT_VERSION}); "
                          "upgrade newsclean")
            raise bad(f"unknown format version {version!r}")
        options = data.get("options", {})
        if not isinstance(options, dict):
            raise bad("\"options\" must be an object")
        min_docs, min_share = options.get("min_docs", MIN_DOCS), options.get("min_share", MIN_SHARE)
        try:
            check_thresholds(min_docs, min_share)
        except ProfileError as exc:
            raise bad(str(exc)) from None
        raw_sites = data.get("sites")
        if not isinstance(raw_sites, dict):
            raise bad("\"sites\" must be an object")
        sites = {}
        for name, p in raw_sites.items():
            if not isinstance(p, dict) or not _count(p.get("docs")) or not isinstance(p.get("lines"), list):
                raise bad(f"site {name!r}: needs \"docs\" (a positive number) and \"lines\" (a list)")
            lines = {}
            for i, entry in enumerate(p["lines"]):
                if not (isinstance(entry, dict) and isinstance(entry.get("line"), str) and _count(entry.get("docs"))):
                    raise bad(f"site {name!r}, line {i}: needs \"line\" (a string) and \"docs\" (a positive number)")
                lines[entry["line"]] = entry["docs"]
            sites[name] = SiteProfile(p["docs"], lines)
        return cls(sites, min_docs=min_docs, min_share=min_share)

    def save(self, path: str | Path) -> None:
        """Write the profiles as JSON (through a temporary file renamed into place)."""
        from .fileio import AtomicFile
        f = AtomicFile(path)
        try:
            f.write(json.dumps(self.to_dict(), ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
            f.commit()
        except BaseException:
            f.abort()
            raise

    @classmethod
    def load(cls, path: str | Path) -> "SiteProfiles":
        """Read profiles written by `save`; ProfileError names the file and what is wrong
        (OSError when it cannot be read at all)."""
        data = Path(path).read_bytes()
        try:
            obj = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise ProfileError(f"{path}: not valid JSON: {exc}") from None
        return cls.from_dict(obj, source=str(path))


def _count(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and v > 0


def as_profiles(profiles) -> SiteProfiles | None:
    """Cleaner(profiles=...): SiteProfiles, a path to a saved file, or None."""
    if profiles is None or isinstance(profiles, SiteProfiles):
        return profiles
    if isinstance(profiles, (str, Path)):
        return SiteProfiles.load(profiles)
    raise TypeError(f"profiles must be SiteProfiles or a path, not {type(profiles).__name__}")
