"""HTML input: `clean_html(html)` and `analyze_html(html)`.

    bytes or str -> decode -> parse once (lxml) -> page metadata -> mark chrome -> trafilatura
    -> headline out -> the text cleaner

- **Decode**: a byte-order mark, else valid UTF-8, else the charset the page declares in its
  first 4 KB, else a guess (charset_normalizer), else windows-1252; undecodable bytes become
  U+FFFD. A `str` is taken as it is (lone surrogates from `surrogateescape` are turned back into
  the bytes they stand for first). Binary data and gzip raise ValueError.
- **Parse** once with lxml: no network, no DTD loading or entity expansion (the HTML parser does
  neither), libxml2's limits kept (no `huge_tree`): nesting stops at 256 levels, and a page
  nested that deep raises ValueError.
- **Metadata** (`title`, `date`, `author`, `url`): meta tags, JSON-LD, the headline, the
  canonical link (trafilatura's metadata functions) and htmldate, before anything is removed.
- **Prune**: one pass marks what is chrome by its semantics (tags, ARIA roles, hidden
  elements, class and id words, short all-link paragraphs: knowledge in
  `data/html_chrome.toml`), never an article or main container, never an ancestor of the
  article, never an element holding more than a third of the page's text or paragraph text.
  Layout tables become divs.
- **Extract**: trafilatura (fast mode, plain text, one paragraph per line, no comments) drops
  what is marked on its own copy of the tree; if it finds less than MIN_TEXT characters the
  whole tree is tried too. When it still finds less, or the page has more elements than it
  handles quickly, the page's visible text is cleaned as a whole page, and the longer wins.
- **Clean**: the page's title is the headline: it is taken out of the text's first lines, the
  text cleaner runs with keep_title=True (so that it does not take the article's first line for
  the headline), and with `keep_title` the title is put back on top. A Cleaner with site
  profiles cuts the lines of the page's site: that of `url`, else of the page's own URL.
"""

from __future__ import annotations

import codecs
import re
import threading
import tomllib
from functools import lru_cache
from pathlib import Path

from .cleaner import Cleaner
from .result import Result

MAX_BYTES = 50_000_000  # larger input raises ValueError
MAX_DEPTH = 255  # libxml2 stops at 256 levels without huge_tree
MAX_EXTRACT_ELEMENTS = 30_000  # more (after pruning) and the visible text is cleaned instead
PRUNE_SHARE = 1 / 3  # never drop an element holding more than this share of the page's text
HEAD_LINES = 5  # the page's title is looked for among the extracted text's first lines
MIN_TEXT = 250  # an extraction shorter than this is tried again without the pruning
MARK = "data-newsclean-chrome"  # set on the elements the pruning pass drops

# What trafilatura is asked for (measured in BENCHMARKS.md, "HTML"): plain text, one paragraph
# per line, no reader comments, tables kept, fast mode (no second opinion from its readability
# and jusText fallbacks, which more often add a page's teasers than its missed paragraphs).
EXTRACT_OPTIONS = {"output_format": "txt", "include_comments": False, "include_tables": True,
                   "include_formatting": False, "favor_precision": False, "favor_recall": False,
                   "fast": True}

_local = threading.local()  # one lxml parser and XPath per thread: they are not thread-safe


# -- knowledge: data/html_chrome.toml ----------------------------------------------------------

class Chrome:
    """The pruning pass's data, compiled."""

    def __init__(self, data: dict):
        self.always = tuple(data["always"]["tags"])
        self.tags = frozenset(data["tags"]["drop"])
        self.roles = frozenset(data["roles"]["drop"])
        words, prefixes = ("|".join(sorted(map(re.escape, data["tokens"][k]), key=len, reverse=True))
                           for k in ("words", "prefixes"))
        start = r"(?:(?<![A-Za-z])|(?<=[a-z])(?=[A-Z]))"  # a word starts here
        self.token = re.compile(rf"{start}(?:(?i:{words})(?![a-z])|(?i:{prefixes}))")
        links, layout, hidden, protect = (data[k] for k in ("links", "layout_tables", "hidden", "protect"))
        self.link_tags, self.link_max, self.link_share = (
            frozenset(links["tags"]), int(links["max_chars"]), float(links["min_share"]))
        self.layout_blocks, self.layout_min_blocks, self.layout_min_chars = (
            frozenset(layout["blocks"]), int(layout["min_blocks"]), int(layout["min_chars"]))
        self.hidden_styles, self.hidden_attrs = tuple(hidden["styles"]), tuple(hidden["attributes"])
        self.aria_hidden = bool(hidden.get("aria_hidden", False))
        self.protect_tags, self.protect_roles = frozenset(protect["tags"]), frozenset(protect["roles"])
        self.protect_xpath = " | ".join(
            [f"//{t}" for t in protect["tags"]] + [f"//*[@role='{r}']" for r in protect["roles"]]
            + [f"//*[@itemprop='{p}']" for p in protect["itemprops"]])


@lru_cache(maxsize=1)
def chrome() -> Chrome:
    return Chrome(tomllib.loads((Path(__file__).parent / "data" / "html_chrome.toml").read_text("utf-8")))


# -- decoding ----------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:+-]{1,40})""", re.IGNORECASE)
_AS_1252 = {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"}  # WHATWG
_CONTROL = bytes([*range(9), 11, *range(14, 27), *range(28, 32)])  # not \t \n \f \r ESC
_CONTROL_STR = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_BINARY = "clean_html: the input looks like binary data, not HTML"


def _declared(head: bytes) -> str | None:
    m = _META_CHARSET.search(head)
    label = m.group(1).decode("ascii").lower() if m else None
    if label in _AS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name if label else None
    except LookupError:
        return None
    return "utf-8" if name and name.startswith(("utf-16", "utf-32")) else name  # an ASCII page


def _guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data if len(data) <= 65536 else data[:32768] + data[-32768:]).best()
        return codecs.lookup(best.encoding).name if best else None
    except (ImportError, LookupError):  # pragma: no cover
        return None


def decode(html: str | bytes) -> str:
    """The page as text: BOM, valid UTF-8, declared charset, a guess, windows-1252."""
    if isinstance(html, str):
        try:
            html.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: bytes smuggled through surrogateescape?
            escapes = all("\udc80" <= ch <= "\udcff" for ch in re.findall("[\ud800-\udfff]", html))
            html = html.encode("utf-8", "surrogateescape" if escapes else "replace")
        else:
            if len(_CONTROL_STR.findall(html[:4096])) > max(2, min(len(html), 4096) // 100):
                raise ValueError(_BINARY)
            return html.removeprefix("\ufeff")
    if not isinstance(html, (bytes, bytearray, memoryview)):
        raise TypeError(f"clean_html expects HTML as str or bytes, not {type(html).__name__}")
    data = bytes(html)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, "replace")
    if data[:2] == b"\x1f\x8b":
        raise ValueError("clean_html: the input is gzip-compressed; decompress it first")
    sample = data[:4096]
    if len(sample) - len(sample.translate(None, _CONTROL)) > max(2, len(sample) // 100):
        raise ValueError(_BINARY)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared(sample)
    if declared and declared != "utf-8":
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    return data.decode(_guess(data) or declared or "cp1252", "replace")


# -- parsing -----------------------------------------------------------------------------------

_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}>")


def parse(text: str):
    """The page's root element (an lxml HtmlElement), or None when there is nothing to parse."""
    from lxml import etree
    parser = getattr(_local, "parser", None)
    if parser is None:
        import lxml.html
        parser = _local.parser = lxml.html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True,
            collect_ids=False, default_doctype=False, huge_tree=False)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        return etree.fromstring(text.encode("utf-8", "replace"), parser)
    except etree.XMLSyntaxError:  # nothing but a doctype, say
        return None


# -- pruning -----------------------------------------------------------------------------------

def _textlen(el) -> int:
    """Characters of text in an element, spaces normalised."""
    xpath = getattr(_local, "textlen", None)
    if xpath is None:
        from lxml import etree
        xpath = _local.textlen = etree.XPath("string-length(normalize-space())")
    return int(xpath(el))


def _share(el) -> tuple[int, int]:
    """(text length, paragraph text length) of an element."""
    return _textlen(el), sum(_textlen(p) for p in el.iter("p"))


def _rows(table):
    for child in table:
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if row.tag == "tr")


def unwrap_layout_tables(root, c: Chrome) -> int:
    """Turn the tables used for page layout (a cell with several blocks or much text) into divs."""
    n = 0
    for table in list(root.iter("table")):
        rows = list(_rows(table))
        cells = [cell for row in rows for cell in row if cell.tag in ("td", "th")]
        if any(sum(1 for el in cell.iterdescendants() if el.tag in c.layout_blocks) >= c.layout_min_blocks
               or _textlen(cell) >= c.layout_min_chars for cell in cells):
            for el in [table, *(x for x in table if x.tag in ("thead", "tbody", "tfoot", "caption")),
                       *rows, *cells]:
                el.tag = "div"
            n += 1
    return n


def _link_only(el, c: Chrome) -> bool:
    if el.find(".//a") is None:
        return False
    text = _textlen(el)
    return 0 < text <= c.link_max and sum(_textlen(a) for a in el.iter("a")) >= c.link_share * text


def _hidden(el, style: str | None, c: Chrome) -> bool:
    if style and any(h in style.replace(" ", "").lower() for h in c.hidden_styles):
        return True
    return (c.aria_hidden and el.get("aria-hidden") == "true") or any(el.get(a) is not None for a in c.hidden_attrs)


def prune(root, c: Chrome | None = None) -> tuple[int, int]:
    """Mark the page's chrome with the attribute MARK (what can never show, like scripts, is
    removed); (elements marked, elements left). Raises ValueError for a page nested MAX_DEPTH
    levels deep or more."""
    from lxml import etree
    c = c or chrome()
    protected: set = set()
    articles = []
    for el in root.xpath(c.protect_xpath):
        if el.tag == "article":
            articles.append(el)
        else:
            protected.update((el, *el.iterancestors()))
    if articles:  # the article is the one with the most text; other articles are not protected
        protected.update(max(articles, key=_textlen).iterancestors())
    etree.strip_elements(root, *c.always, with_tail=False)
    unwrap_layout_tables(root, c)
    body = root.find("body")
    body = root if body is None else body
    text, paras = _share(body)
    limit, plimit = text * PRUNE_SHARE, paras * PRUNE_SHARE
    marked = left = 0
    stack = [(body, 1)]
    while stack:
        el, depth = stack.pop()
        if depth >= MAX_DEPTH:
            raise ValueError(f"clean_html: the page is nested {MAX_DEPTH} levels deep or more")
        tag = el.tag
        if not isinstance(tag, str):
            continue
        attrib = el.attrib
        role = attrib.get("role")
        if el is not body and el not in protected and tag not in c.protect_tags and role not in c.protect_roles:
            names = attrib.get("class", "") + " " + attrib.get("id", "")
            semantic = (tag in c.tags or role in c.roles or _hidden(el, attrib.get("style"), c)
                        or (names != " " and c.token.search(names)))
            if (semantic and all(n <= m for n, m in zip(_share(el), (limit, plimit)))
                    or tag in c.link_tags and _link_only(el, c)):
                el.set(MARK, "")
                marked += 1
                continue
        left += 1
        stack.extend((child, depth + 1) for child in el)
    return marked, left


# -- extraction --------------------------------------------------------------------------------

def extract(root, url: str | None = None) -> str:
    """trafilatura without what is marked; if that is shorter than MIN_TEXT, the longer of it and
    trafilatura on the whole tree."""
    import trafilatura
    text = (trafilatura.extract(root, url=url, prune_xpath=f"//*[@{MARK}]", **EXTRACT_OPTIONS) or "").strip()
    if len(text) < MIN_TEXT:
        whole = (trafilatura.extract(root, url=url, **EXTRACT_OPTIONS) or "").strip()
        text = whole if len(whole) > len(text) else text
    return text


_BLOCK = frozenset(["address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul"])


def visible_text(root) -> str:
    """The page's text without what is marked, one block element per line (the fallback)."""
    from lxml import etree
    body = root.find("body")
    parts: list[str] = []
    walker = etree.iterwalk(root if body is None else body, events=("start", "end"))
    for event, el in walker:
        if not isinstance(el.tag, str):
            continue
        if el.tag in _BLOCK:
            parts.append("\n")
        if event == "start":
            if MARK in el.attrib:
                walker.skip_subtree()  # its "end" still comes, with its tail
            elif el.text:
                parts.append(el.text)
        elif el.tail:
            parts.append(el.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# -- metadata and headline ---------------------------------------------------------------------

def page_metadata(root, url: str | None = None) -> dict:
    """title, date, author, url found in the page (None where not found); without trafilatura's
    slower search of the body for authors, categories and licences."""
    found = dict.fromkeys(("title", "date", "author", "url"))
    try:
        from htmldate import find_date
        from trafilatura.metadata import (
            examine_meta,
            extract_meta_json,
            extract_title,
            extract_url,
        )
        doc = examine_meta(root)
        if doc.author and " " not in doc.author:  # a single word is a handle, not a name
            doc.author = None
        doc = extract_meta_json(root, doc)
        doc.title = doc.title or extract_title(root)
        doc.url = doc.url or extract_url(root, url)
        doc.date = find_date(root, url=doc.url, original_date=True, extensive_search=False)
    except ImportError:  # pragma: no cover - trafilatura's internals moved: its public function
        from trafilatura import extract_metadata
        doc = extract_metadata(root, default_url=url, extensive=False)
    except Exception:  # noqa: BLE001 - a bug in metadata extraction must not lose the text
        doc = None
    found.update({k: " ".join(v.split()) if isinstance(v := getattr(doc, k, None), str) and v.strip() else None
                  for k in found})
    found["url"] = found["url"] or url
    return found


def _key(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.casefold()))


def without_title(text: str, title: str | None, head: int = HEAD_LINES) -> str:
    """The text without those of its first `head` lines that are the page's title."""
    key = _key(title or "")
    if not key:
        return text
    lines = text.split("\n")
    kept = [line for i, line in enumerate(lines) if i >= head or _key(line) != key]
    return "\n".join(kept).strip("\n") if len(kept) < len(lines) else text


# -- the public functions ----------------------------------------------------------------------

@lru_cache(maxsize=8)
def _keeping_titles(cleaner: Cleaner) -> Cleaner:
    """The same cleaner with keep_title=True (built from its pickled state)."""
    state = dict(cleaner.__getstate__(), keep_title=True)
    twin = Cleaner.__new__(Cleaner)
    twin.__setstate__(state)
    return twin


def _cleaner(cleaner: Cleaner | None, options: dict) -> tuple[Cleaner, bool]:
    """(a text cleaner that keeps whatever it takes for a headline, keep_title). The page's
    title is the headline: this module takes it out and puts it back, so the text cleaner must
    not guess another line for it."""
    if cleaner is not None:
        if options:
            raise TypeError("clean_html: pass either cleaner= or cleaner options, not both")
        return (cleaner if cleaner.keep_title else _keeping_titles(cleaner)), cleaner.keep_title
    keep_title = options.pop("keep_title", True)
    if set(options) - {"disable", "lang", "profiles"}:
        return Cleaner(**options, keep_title=True), keep_title  # extra_rules (read each time), or TypeError
    # Cached as for newsclean.clean: a profiles file is read again when rewritten.
    from . import _cleaner_for
    return _cleaner_for(dict(options, keep_title=True)), keep_title


def analyze_html(html: str | bytes, url: str | None = None, *, cleaner: Cleaner | None = None,
                 **options) -> Result:
    """Like `clean_html`, with every removal explained and the page's metadata (`title`, `date`,
    `author`, `url` added to the cleaner's). The removals' offsets refer to the text extracted
    from the page without its headline (what the text cleaner was given). A site's learned
    lines are cut as `site:<domain>`, as by `Cleaner.analyze(text, url=...)`."""
    cl, keep_title = _cleaner(cleaner, dict(options))
    if isinstance(html, (str, bytes, bytearray, memoryview)) and len(html) > MAX_BYTES:
        raise ValueError(f"clean_html: the input is larger than {MAX_BYTES:,} bytes")
    root = parse(decode(html))
    if root is None:
        return Result("")
    meta = page_metadata(root, url)
    site = {"url": url or meta["url"]}  # the page's site, for the cleaner's profiles
    _, left = prune(root)
    text = extract(root, url) if left <= MAX_EXTRACT_ELEMENTS else ""
    result = cl.analyze(without_title(text, meta["title"]), **site) if text else None
    if result is None or len(text) < MIN_TEXT:  # little or nothing: the page's text, cleaned whole
        whole = cl.analyze(without_title(visible_text(root), meta["title"]), **site)
        result = whole if result is None or len(whole.text) > len(result.text) else result
    if keep_title and meta["title"] and result.text:
        result.text = f"{meta['title']}\n\n{result.text}"
    for key, value in meta.items():  # the page's own metadata wins over what the text showed
        if value is not None or key not in result.metadata:
            result.metadata[key] = value
    return result


def clean_html(html: str | bytes, url: str | None = None, *, cleaner: Cleaner | None = None,
               **options) -> str:
    """The article in an HTML page, as text without the site's chrome.

    `html`: str or bytes, in any encoding the page declares or that can be detected. `url`: where
    the page came from, for the metadata (nothing is fetched). `cleaner`: a Cleaner, or the
    options of one (`keep_title`, `disable`, `extra_rules`, `lang`, `profiles`). With profiles,
    the page's site is that of `url`, or when it is not given, of the page's own URL (its
    canonical link or og:url: `metadata["url"]`); a page with neither is cleaned without them.
    Raises ValueError for input over MAX_BYTES, binary data, or a page nested MAX_DEPTH levels
    deep; TypeError for input that is neither str nor bytes."""
    return analyze_html(html, url, cleaner=cleaner, **options).text
