"""Rule packs: the rule record, and loading and validating TOML packs.

A rule is data (see `newsclean/packs/*.toml` and the README). How a set of rules is
compiled and matched is in `matcher.py`; what a pattern tells about the lines it can match
(its first characters, the strings it needs) is in `patterns.py`.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import redos, redos_probe
from .patterns import _NAMED_GROUP, _strip_named

SCOPES = ("line", "section", "tail", "start", "end")
CATEGORIES = (
    "widget", "label", "footer", "copyright", "wire", "credit", "byline", "timestamp", "cta",
    "social", "comments", "related", "notice", "reading-time", "photo-credit", "breadcrumb",
    "embed", "ad", "nav",
)
# Named groups a pattern may use to report metadata.
METADATA_GROUPS = ("wire", "holder", "byline", "dateline", "credit")
_ID = re.compile(r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$")

# Lines longer than this are never matched by whole-line rules: chrome lines are short, and
# the bound keeps the cost of a line independent of its length.
MAX_RULE_LINE = 400
# Inline rules look at this many characters at the start or the end of a paragraph.
INLINE_WINDOW = 240


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the rule."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    description: str
    scope: str = "line"
    phrases: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    pattern: str | None = None
    max_chars: int | None = None
    until: str = "prose"  # sections only: "end" (everything after goes) or "prose"
    requires: tuple[str, ...] = ()  # a line must contain one of these (case-folded) to be tried
    languages: tuple[str, ...] = ("*",)
    # Also tried on pages in other languages (a pack's `everywhere`; see cleaner._rules_for).
    everywhere: bool = False
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    pack: str = ""
    compiled: re.Pattern | None = field(default=None, compare=False, repr=False)

    @property
    def category(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def inline(self) -> bool:
        return self.scope in ("start", "end")


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str
    description: str
    languages: tuple[str, ...]
    rules: tuple[Rule, ...]
    source: str


def _err(source: str, rule_id: str | None, msg: str) -> RulePackError:
    where = f"{source}: rule {rule_id!r}" if rule_id else source
    return RulePackError(f"{where}: {msg}")


def _strings(value, source, rid, key) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _err(source, rid, f"'{key}' must be a list of non-empty strings")
    return tuple(value)


def _check_pattern(pattern: str, source: str, rid: str, builtin: bool = False) -> re.Pattern:
    if "(?P=" in pattern or re.search(r"\\[1-9]", pattern):
        raise _err(source, rid, "back-references are not supported in patterns")
    for name in _NAMED_GROUP.findall(pattern):
        if name not in METADATA_GROUPS + ("cut",):
            raise _err(source, rid, f"unknown named group {name!r}; allowed: "
                       f"{', '.join(METADATA_GROUPS + ('cut',))}")
    if re.search(r"(?<!\\)\(\?\(", pattern):
        raise _err(source, rid, "conditional groups (?(...)...) are not supported in patterns")
    try:
        compiled = re.compile(pattern, re.IGNORECASE)
        # The rule is also compiled inside the combined matchers, as (?:pattern): global
        # flags like (?s) in front are only valid at the very start of a whole expression.
        re.compile(f"(?:{_strip_named(pattern)})", re.IGNORECASE)
    except re.error as exc:
        raise _err(source, rid, f"invalid regular expression (global flags such as (?s) "
                   f"must be written as scoped groups (?s:...)): {exc}") from None
    except (OverflowError, RecursionError) as exc:
        raise _err(source, rid, f"regular expression too large or too deeply nested: {exc}") from None
    if not builtin:  # built-in patterns are vetted by fuzz/redos_scan.py and the tests instead
        why = _ambiguous_repeat(pattern)
        if why is not None:
            raise _err(source, rid, f"pattern can backtrack catastrophically: {why}; rewrite it so that "
                       "each repeated part can match a piece of a line in one way only "
                       "(README: 'Patterns in user packs')")
    return compiled


# The checks of user patterns, once per process (a user pack may be read for every page by
# clean_html(..., extra_rules=...)).
@functools.lru_cache(maxsize=4096)
def _ambiguous_repeat(pattern: str) -> str | None:
    return redos.ambiguous_repeat(pattern, re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _probe(pattern: str, scope: str, max_chars: int | None, examples: tuple[str, ...]) -> str | None:
    compiled = re.compile(pattern, re.IGNORECASE)
    if scope in ("start", "end"):
        call, limit = (compiled.match if scope == "start" else compiled.search), INLINE_WINDOW
    else:
        call, limit = compiled.fullmatch, min(max_chars or MAX_RULE_LINE, MAX_RULE_LINE)
    return redos_probe.probe(call, pattern, examples, limit)


def _probe_pattern(rule: Rule, source: str) -> None:
    """Time a user pattern on strings pumped from its own pieces and examples (the second
    line of defence behind the static check in `_check_pattern`)."""
    why = _probe(rule.pattern, rule.scope, rule.max_chars, rule.examples)
    if why is not None:
        raise _err(source, rule.id, f"pattern backtracks too much to be used: {why}; rewrite it "
                   "(README: 'Patterns in user packs')")


_RULE_KEYS = {"id", "description", "scope", "phrases", "prefixes", "pattern", "max_chars",
              "until", "languages", "examples", "counterexamples", "requires"}


def parse_pack(data: dict, source: str, builtin: bool = False) -> RulePack:
    """Validate a parsed TOML pack. Raises RulePackError naming the file and the rule.

    The patterns of a user pack (not `builtin`) are also checked for catastrophic
    backtracking, statically and by timing them on pumped strings (newsclean/redos.py,
    newsclean/redos_probe.py)."""
    meta = data.get("pack")
    if not isinstance(meta, dict) or not isinstance(meta.get("name"), str):
        raise _err(source, None, "missing [pack] table with a 'name'")
    pack_langs = _strings(meta.get("languages", ["*"]), source, None, "languages")
    # true: every rule of the pack; a list: the rules of these categories.
    everywhere = meta.get("everywhere", False)
    if isinstance(everywhere, list):
        if not all(isinstance(c, str) and c in CATEGORIES for c in everywhere):
            raise _err(source, None, f"'everywhere' lists categories, of: {', '.join(CATEGORIES)}")
    elif not isinstance(everywhere, bool):
        raise _err(source, None, "'everywhere' must be true, false or a list of categories")
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise _err(source, None, "'rules' must be an array of tables ([[rules]])")
    rules, seen = [], set()
    for i, r in enumerate(raw_rules):
        if not isinstance(r, dict):
            raise _err(source, f"#{i}", "each [[rules]] entry must be a table")
        rid = r.get("id")
        if not isinstance(rid, str) or not _ID.match(rid):
            raise _err(source, rid if isinstance(rid, str) else f"#{i}",
                       "id must look like 'category.name' (lower case, digits, dashes)")
        if rid in seen:
            raise _err(source, rid, "duplicate id in this pack")
        seen.add(rid)
        unknown = set(r) - _RULE_KEYS
        if unknown:
            raise _err(source, rid, f"unknown keys: {', '.join(sorted(unknown))}")
        category = rid.split(".", 1)[0]
        if category not in CATEGORIES:
            raise _err(source, rid, f"unknown category {category!r}; one of: {', '.join(CATEGORIES)}")
        desc = r.get("description")
        if not isinstance(desc, str) or not desc.strip():
            raise _err(source, rid, "a description is required")
        scope = r.get("scope", "line")
        if scope not in SCOPES:
            raise _err(source, rid, f"scope must be one of {', '.join(SCOPES)}")
        phrases = _strings(r.get("phrases"), source, rid, "phrases")
        prefixes = _strings(r.get("prefixes"), source, rid, "prefixes")
        pattern = r.get("pattern")
        if pattern is not None and not isinstance(pattern, str):
            raise _err(source, rid, "'pattern' must be a string")
        kinds = bool(phrases) + bool(prefixes) + (pattern is not None)
        if kinds != 1:
            raise _err(source, rid, "give exactly one of 'phrases', 'prefixes' or 'pattern'")
        if scope in ("start", "end") and pattern is None:
            raise _err(source, rid, f"scope '{scope}' needs a 'pattern'")
        compiled = _check_pattern(pattern, source, rid, builtin) if pattern is not None else None
        max_chars = r.get("max_chars")
        if max_chars is not None and (not isinstance(max_chars, int) or max_chars < 1):
            raise _err(source, rid, "'max_chars' must be a positive integer")
        until = r.get("until", "prose")
        if until not in ("end", "prose"):
            raise _err(source, rid, "'until' must be 'end' or 'prose'")
        requires = tuple(x.casefold() for x in _strings(r.get("requires"), source, rid, "requires"))
        if requires and pattern is None:
            raise _err(source, rid, "'requires' goes with a 'pattern'")
        examples = _strings(r.get("examples"), source, rid, "examples")
        if not examples:
            raise _err(source, rid, "at least one example is required")
        rule = Rule(
            id=rid, description=desc.strip(), scope=scope, phrases=phrases, prefixes=prefixes,
            pattern=pattern, max_chars=max_chars, until=until, requires=requires,
            languages=_strings(r.get("languages"), source, rid, "languages") or pack_langs,
            everywhere=everywhere is True or (isinstance(everywhere, list) and category in everywhere),
            examples=examples,
            counterexamples=_strings(r.get("counterexamples"), source, rid, "counterexamples"),
            pack=meta["name"], compiled=compiled,
        )
        if compiled is not None and not builtin:
            _probe_pattern(rule, source)
        rules.append(rule)
    return RulePack(meta["name"], str(meta.get("version", "0")), str(meta.get("description", "")),
                    pack_langs, tuple(rules), source)


# More dots than this on one line outside strings and comments (a dotted key that deep)
# refuse a pack before tomllib reads it: tomllib needs memory quadratic in a key's depth
# (100,000 parts: tens of gigabytes). Rule packs use three at most.
MAX_KEY_DOTS = 256
_TOML_SPECIAL = re.compile(r"[.\"'#\n]")
_TOML_BASIC_END = re.compile(r'[\\"\n]')
_TOML_ML_BASIC_END = re.compile(r'\\|"""')


def _check_toml_shape(text: str, source: str) -> None:
    """Refuse a pack with a dotted key deeper than MAX_KEY_DOTS, in one linear pass that
    skips strings and comments (their dots are not keys)."""
    if text.count(".") <= MAX_KEY_DOTS:
        return
    i, dots, n = 0, 0, len(text)
    while True:
        m = _TOML_SPECIAL.search(text, i)
        if m is None:
            return
        j, c = m.start(), m.group()
        i = j + 1
        if c == ".":
            dots += 1
            if dots > MAX_KEY_DOTS:
                line = text.count("\n", 0, j) + 1
                raise RulePackError(f"{source}: line {line}: more than {MAX_KEY_DOTS} dots outside strings on one line "
                                    "(a dotted key that deep); refused before parsing")
        elif c == "\n":
            dots = 0
        elif c == "#":
            k = text.find("\n", j)
            i = n if k < 0 else k
        elif text.startswith("'''", j):
            k = text.find("'''", j + 3)
            i = n if k < 0 else k + 3
        elif c == "'":  # a literal string: up to the next quote, unless a line ends first
            k = text.find("'", j + 1)
            stop = n if k < 0 else k
            nl = text.find("\n", j + 1, stop)
            i = nl if nl >= 0 else stop + 1
        elif text.startswith('"""', j):
            i = j + 3
            while (e := _TOML_ML_BASIC_END.search(text, i)) is not None and e.group() == "\\":
                i = e.end() + 1
            i = n if e is None else e.end()
        else:  # a basic string: up to the next unescaped quote, or the end of the line
            i = j + 1
            while (e := _TOML_BASIC_END.search(text, i)) is not None and e.group() == "\\":
                i = e.end() + 1
            i = n if e is None else e.end() if e.group() == '"' else e.start()


def load_pack(path: str | Path) -> RulePack:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        _check_toml_shape(text, str(path))
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise RulePackError(f"{path}: not UTF-8 text: {exc}") from None
    except RecursionError:
        raise RulePackError(f"{path}: nested too deeply to read") from None
    except OSError as exc:
        raise RulePackError(f"{path}: cannot read rule pack: {exc}") from None
    return parse_pack(data, str(path))


def builtin_packs() -> list[RulePack]:
    """The packs shipped with newsclean, in a stable order (parsed once per process)."""
    return list(_builtin_packs())


@functools.lru_cache(maxsize=1)
def _builtin_packs() -> tuple[RulePack, ...]:
    root = resources.files("newsclean") / "packs"
    packs = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            packs.append(parse_pack(data, f"newsclean/packs/{entry.name}", builtin=True))
    return tuple(packs)
