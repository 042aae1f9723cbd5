"""Adversarial inputs for newsclean: how to build each one, and a timing table.

    python fuzz/adversarial.py                  # every case: outcome and time, as Markdown
    python fuzz/adversarial.py --list           # the case names
    python fuzz/adversarial.py fifty-mb-document five-mb-line    # only these
    python fuzz/adversarial.py --quick          # skip the cases that take more than ~10 s

`tests/test_reliability.py` builds its inputs with the functions here and checks them; this
script times them (wall clock, one process, the default cleaner already built) for the table
in RELIABILITY.md. A case that runs into its limit prints TIMEOUT: a hang.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from known_bugs import REDOS_RULES

import newsclean

# Prose written for these tests (not from any site).
ARTICLE = [
    "Residents of the valley town packed the school gym on Tuesday night to hear the council's plan for the old mill site.",
    "The proposal would turn the empty brick buildings into forty apartments, a small library branch and a market hall.",
    "Several speakers worried about traffic on the narrow river road, while others said the town badly needed new homes.",
    "The council will vote on the plan next month after a second public hearing, the mayor said at the end of the meeting.",
]
HEAD = ["Skip to main content", "Home | News | Sport | Weather", "Share this article", "Mill site plan draws a crowd", "By Jane Doe"]
TAIL = ["Advertisement", "Sign up for our newsletter", "© 2024 Valley Herald. All rights reserved.", "No stories found."]
NEWLINES = ["\n", "\r\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def article_with(*lines: str) -> str:
    """The article with these lines between its second and third paragraphs."""
    return "\n\n".join(ARTICLE[:2] + list(lines) + ARTICLE[2:])


def page(i: int) -> str:
    """A small scraped page: chrome, a headline, four paragraphs (numbered), chrome."""
    body = [p.replace("forty", f"{40 + i % 50}").replace("Tuesday", ("Monday", "Tuesday", "Friday")[i % 3])
            for p in ARTICLE]
    return "\n\n".join(HEAD + body + TAIL)


# -- the big inputs the issue names --------------------------------------------------------

def fifty_mb_document(size: int = 50_000_000) -> str:
    """One document of `size` characters: scraped pages one after the other."""
    unit = "\n\n".join(page(i) for i in range(50))
    return (unit + "\n\n") * (size // (len(unit) + 2)) + unit[: size % (len(unit) + 2)]


def five_mb_line(size: int = 5_000_000) -> str:
    """A single line of `size` characters: sentences, no newline."""
    unit = ARTICLE[0] + " "
    return (unit * (size // len(unit) + 1))[:size]


def one_char_lines(n: int = 1_000_000) -> str:
    """n lines of one character each (a to z in turn)."""
    return "\n".join(chr(97 + i % 26) for i in range(n))


# -- smaller hostile inputs -------------------------------------------------------------------

# Lines built to make regular expressions backtrack: long runs of what chrome patterns start
# with, followed by what makes them fail. Each goes three times between the paragraphs.
BACKTRACKING_LINES = {
    "open-parens": "(" * 50_000,
    "md-link-openers": "[x](" * 5_000,
    "md-image-openers": "![" * 10_000,
    "byline-names": "By " + "A " * 199,
    "breadcrumbs": "Home > " * 57,
    "copyright-signs": "© " * 199,
    "pic-twitter": "pic.twitter.com/" * 25,
    "photo-counter": "1 of " * 80,
    "pipes": " | ".join(["Home"] * 100),
    "pipes-spaced": "Home | " + "News  | " * 41 + "News  x",
    "updated-times": "Updated " + "9:00 " * 78,
    "hashes": "#" * 100_000,
    "dashes-399": "—" * 399,
    "digits-commas": "1," * 199 + "!",
    "words-then-bang": "word" * 99 + "!",
    "hangul-then-bang": "가" * 399 + "!",
    "dates": "July 9, 2021 " * 30 + "!",
    "emails": "a@b." * 100 + "!",
    "urls": "https://example.com/" * 20 + " x",
}

# Lines on which a built-in rule used to backtrack catastrophically (fixed; see
# fuzz/known_bugs.py), and those of any rule still known to (REDOS_RULES).
FORMERLY_CATASTROPHIC = {
    "label.ko-tags": "태그" * 18 + "!",  # 37 characters: minutes
    "widget.ko-counters": "조회수 1,234 " * 11 + "!",  # 111 characters: about 3 minutes
}
KNOWN_REDOS_LINES = {**FORMERLY_CATASTROPHIC, **{rid: line for rid, (line, _) in REDOS_RULES.items()}}

ODD_UNICODE = {
    "nul-bytes": article_with("Advert\x00isement", "\x00" * 1000, "The \x00 council \x00 met."),
    "only-nul-1M": "\x00" * 1_000_000,
    "lone-surrogates": article_with("\ud800 Share this \udfff", "\udc80\udcff" * 100, "\ud83d"),
    "only-surrogates-1M": "\ud800\udc00" * 500_000,
    "rtl-marks": article_with("\u202eAdvertisement\u202c", "\u200f\u200e\u061c" * 1000, "\u2067Share this article\u2069"),
    "zero-width-1M": "\u200b\u200c\u200d\ufeff\u2060" * 200_000,
    "zero-width-in-chrome": article_with("Adv\u200bertise\u200dment", "\ufeffShare\u2060 this article"),
    "combining-100k": article_with("a" + "\u0301" * 100_000),
    "zalgo": article_with("".join(c + "\u0336\u0337\u0338\u0489" for c in "Advertisement " * 30)),
    "emoji-zwj": article_with("👩\u200d👩\u200d👧\u200d👦🏳\ufe0f\u200d🌈🇺🇸" * 100_000),
    "emoji-chrome": article_with("📰 Share this article 👉", "🔔 Sign up for our newsletter"),
    "all-code-points": "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000),
}

NESTING = {
    "md-quotes-100k": article_with(">" * 100_000 + " text"),
    "md-brackets-100k": article_with("[" * 100_000 + "x" + "](u)" * 100_000),
    "md-lists-100k": article_with("- " * 100_000 + "x"),
    "parens-100k": article_with("(" * 100_000 + ")" * 100_000),
    "html-tags-as-text-100k": article_with("<div>" * 100_000),
}

HTML_ARTICLE = "".join(f"<p>{p}</p>" for p in ARTICLE)
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
                  + "]><html><body><p>&lol9;</p>" + HTML_ARTICLE + "</body></html>")
HTML_CASES = {
    "billion-laughs": BILLION_LAUGHS,
    "billion-laughs-no-xml-declaration": BILLION_LAUGHS.replace('<?xml version="1.0"?>', ""),
    "external-entity-file": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><html><body><p>&e;</p>'
                            + HTML_ARTICLE + "</body></html>",
    "external-entity-http": '<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]><html><body><p>&e;</p>'
                            + HTML_ARTICLE + "</body></html>",
    "one-million-entities": "<html><body><p>" + "&amp;" * 1_000_000 + "</p>" + HTML_ARTICLE + "</body></html>",
    "numeric-entities-invalid": "<html><body><p>" + "&#0;&#xD800;&#1114112;&#99999999999;" * 50_000 + "</p>"
                                + HTML_ARTICLE + "</body></html>",
    "div-100k-deep": "<html><body>" + "<div>" * 100_000 + HTML_ARTICLE + "</div>" * 100_000 + "</body></html>",
    "b-100k-deep-unclosed": "<html><body>" + "<b>" * 100_000 + HTML_ARTICLE,
    "table-10k-deep": "<html><body>" + "<table><tr><td>" * 10_000 + HTML_ARTICLE,
    "div-200-deep": "<html><body>" + "<div>" * 200 + HTML_ARTICLE + "</div>" * 200 + "</body></html>",
    "invalid-utf8-bytes": b"<html><body>" + HTML_ARTICLE.encode() + b"<p>\xff\xfe\xc3\x28\xa0\xa1\xed\xa0\x80</p></body></html>",
    "nul-and-surrogates": "<html><body>" + HTML_ARTICLE.replace("valley", "val\x00ley").replace("brick", "br\ud800ick")
                          + "</body></html>",
    "unclosed-comment": "<!--" + HTML_ARTICLE,
    "empty": "",
}


def deep_toml(depth: int = 100_000) -> str:
    return "[pack]\nname = \"deep\"\nx = " + "[" * depth + "]" * depth + "\n"


def deep_dotted_key_toml(depth: int = 100_000) -> str:
    return "[pack]\nname = \"deep\"\n" + "a" + ".a" * depth + " = 1\n"


def rule_pack(pattern: str, rid: str = "ad.user-rule", example: str = "aaa", scope: str = "line") -> str:
    """A user pack with one pattern rule (TOML literal string: no escaping)."""
    return (f'[pack]\nname = "user"\nversion = "1"\nlanguages = ["en"]\n\n[[rules]]\nid = "{rid}"\n'
            f'description = "A user rule."\nscope = "{scope}"\npattern = \'\'\'{pattern}\'\'\'\n'
            f'examples = ["{example}"]\n')


# Catastrophic user patterns: all refused by the loader (newsclean/redos.py). The first six
# were refused by the old textual check too; those with a line escaped it and hung a cleaner.
USER_PATTERNS_REFUSED = [r"(a+)+$", r"(\w+\s?)*$", r"(?:a+)+b", r"(a+){2,}b", r"(.*a){20}", r"(a+|b)+c"]
USER_PATTERNS_ESCAPING = {  # pattern -> a line on which it backtracks for ages
    r"((a+))+$": "a" * 60 + "!",
    r"(a{1,})+$": "a" * 60 + "!",
    r"(a|a)+$": "a" * 60 + "!",
    r"(?:\w{1,20}\s?){1,12}$": "a" * 120 + "!",
}
# More shapes of exponential backtracking, each refused by the static check.
USER_PATTERNS_MORE = [
    r"(a*)*", r"(a?)*b", r"((?:a|b)*)*$",                             # a body that can match nothing
    r"(\w+\s?)+$", r"(?:[a-z]+\d?)+$", r"(?:\s*\w+\s*)+$", r"(?:[\w.]+@?)+$",  # a run split between iterations
    r"(x+x+)+y", r"(?:(?:a|b)+c?)+d", r"(?:\w+\b\s?)+$",              # adjacent repetitions under a repetition
    r"(.*a){12}", r"(?:.{1,20},){1,12}$", r"(?:a{1,3}){2,}b", r"(?:\d{1,3},?){1,10}!",  # bounded, nested
    r"(?:a|b|ab)+$", r"(?:a|aa)+$", r"(?:ab|a(?:b))+c", r"(?:(?=a)a|a)+$",  # overlapping alternatives
    r"(?:https?://\S+\s?)+$",
]
# Safe shapes (those of the built-in packs among them) that the check must accept: each
# repeated part can match a piece of a line in one way only. Pattern -> an example.
USER_PATTERNS_SAFE = {
    r"(?:\d{1,2}\s)?comments?": "12 comments",
    r"^(?:by|from)\s+\w+(?:\s\w+){0,3}$": "by Jane Doe",
    r"(a|ab)*c": "abac",  # parsed as (?:ab?)*c: not ambiguous
    r"(?:\s*,\s*\w+)*\s*$": ", one, two",
    r"\w+(?:-\w+)*": "well-known",
    r"(?:\d{1,3},)*\d{1,3}": "1,234,567",
    r"(?:\d{4}-?)+": "2024-0101",
    r"(?:[A-Z][a-z]+ ){1,4}Newsletter": "Morning Briefing Newsletter",
    r"(?>\w+\s?)+$": "atomic words",
    r"share (?:this|the|on|via|to|a) [\w-]{1,20}(?: [\w-]{1,20})?": "share this story",
    r".{0,120}?(?:©|\(c\)\s*\d{4}).{0,200}": "© 2024 Valley Herald",
    r"#?[\w·]{1,20}(?:[\s,#]{1,3}[\w·]{1,20}){0,11}[\s,#]{0,3}": "#tag1 #tag2",  # label.ko-tags' shape
    r"(?:(?>(?:조회수?|추천수?)\s?[:：]?\s?\d[\d,]{0,9}\s?[·|]?\s?)){1,10}": "조회수 1,234 추천 5",  # widget.ko-counters'
    r"[^|·•\d\s](?:[^|·•]{0,39}[^|·•\s])?(?:\s+[|·•]\s+[^|·•\s](?:[^|·•]{0,38}[^|·•\s])?){2,20}\s*[|·•]?":
        "Home | News | Sport",  # nav.pipes
    r"(?:[^\s،.]{1,25}\s){0,4}[-–—|]\s?(?:جميع|كل|كافة) الحقوق محفوظة.{0,120}": "الموقع - جميع الحقوق محفوظة",
}


# -- the timing table ------------------------------------------------------------------------------

class _Timeout(Exception):
    pass


def _timed(fn, limit: float):
    def handler(signum, frame):
        raise _Timeout()
    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, limit)
    t0 = time.perf_counter()
    try:
        outcome = fn()
    except _Timeout:
        outcome = f"TIMEOUT (>{limit:g} s)"
    except Exception as exc:  # noqa: BLE001 - reported, not hidden
        outcome = f"{type(exc).__name__}: {str(exc)[:90]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return outcome, time.perf_counter() - t0


def _text(text, cleaner=None):
    def run():
        r = (cleaner or newsclean).analyze(text)
        return f"ok: {len(text):,} → {len(r.text):,} chars, {len(r.removed):,} cuts"
    return run


def _texts(*texts):
    def run():
        results = [newsclean.analyze(t) for t in texts]
        return "ok: " + "; ".join(f"{len(t):,} → {len(r.text):,} chars" for t, r in zip(texts, results))
    return run


def _html(page_):
    def run():
        try:
            out = newsclean.clean_html(page_)
        except ValueError as exc:
            return f"ValueError: {exc}"
        return f"ok: {len(out):,} chars out"
    return run


def _pack(body: str | bytes):
    def run():
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "user.toml"
            path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
            try:
                newsclean.Cleaner(extra_rules=path)
            except newsclean.RulePackError as exc:
                return "RulePackError: " + str(exc).replace(str(path), "user.toml")[:120]
            return "loaded"
    return run


def _user_pattern(pattern: str, line: str):
    def run():
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "user.toml"
            path.write_text(rule_pack(pattern), encoding="utf-8")
            try:
                cleaner = newsclean.Cleaner(extra_rules=path)
            except newsclean.RulePackError as exc:
                return "refused: " + str(exc).replace(str(path), "user.toml")[:100]
            cleaner.clean(article_with(line))
            return "accepted, and cleaning finished"
    return run


def _bytes_to_clean():
    try:
        newsclean.clean(b"The council met.\xff\xfe\xed\xa0\x80")
    except TypeError as exc:
        return f"TypeError: {exc}"
    return "accepted"


def _jsonl_big_int():
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "in.jsonl", Path(d) / "out.jsonl"
        src.write_text('{"text": "ok"}\n{"text": "x", "n": ' + "1" * 5000 + "}\n", encoding="utf-8")
        p = subprocess.run([sys.executable, "-m", "newsclean", "jsonl", str(src), "-o", str(out), "--workers", "1"],
                           check=False, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        last = p.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        return f"exit {p.returncode}; output written: {out.exists()}; {last[0][:80]}"


def _jsonl_non_finite():
    with tempfile.TemporaryDirectory() as d:
        src, out = Path(d) / "in.jsonl", Path(d) / "out.jsonl"
        src.write_text('{"text": "The council met.", "n": 1e400}\n{"text": "x", "n": NaN}\n', encoding="utf-8")
        p = subprocess.run([sys.executable, "-m", "newsclean", "jsonl", str(src), "-o", str(out), "--workers", "1"],
                           check=False, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        lines = out.read_bytes().splitlines() if out.exists() else []
        rejects = Path(d) / "out.rejects.jsonl"
        reasons = [json.loads(x)["reason"] for x in rejects.read_bytes().splitlines()] if rejects.exists() else []
        return f"exit {p.returncode}; output {[x.decode()[-12:] for x in lines]}; rejects {reasons}"


def cases(quick: bool = False) -> dict:
    """name -> (what, function returning the outcome, limit in seconds)."""
    c = {}
    if not quick:
        c["fifty-mb-document"] = ("a 50 MB document (scraped pages back to back)", _text(fifty_mb_document()), 600)
        c["one-million-one-char-lines"] = ("1,000,000 one-character lines, language not detected",
                                           _text(one_char_lines()), 900)
        c["one-million-one-char-lines-en"] = ("1,000,000 one-character lines, lang='en'",
                                              _text(one_char_lines(), newsclean.Cleaner(lang="en")), 900)
        c["html-50-mb"] = ("clean_html, a 50 MB page", _html("<html><body>" + HTML_ARTICLE * (49_000_000 // len(HTML_ARTICLE))
                                                               + "</body></html>"), 600)
    c["five-mb-line"] = ("a 5 MB single line of prose", _text(five_mb_line()), 300)
    c["five-mb-line-md-links"] = ("a 5 MB single line of '[x](' (unclosed Markdown links)",
                                  _text("[x](" * 1_250_000), 300)
    c["hundred-thousand-one-char-lines"] = ("100,000 one-character lines, language not detected",
                                            _text(one_char_lines(100_000)), 300)
    for name, line in BACKTRACKING_LINES.items():
        c[f"backtracking:{name}"] = (f"backtracking: {name} ({len(line):,} chars) x3 in an article, and alone",
                                     _texts(article_with(line, line, line), line), 60)
    for rid, line in KNOWN_REDOS_LINES.items():
        c[f"backtracking:{rid}"] = (f"backtracking: built-in rule {rid}, line {line[:14]!r}… ({len(line)} chars)",
                                    _text(line), 30)
    for name, text in ODD_UNICODE.items():
        c[f"unicode:{name}"] = (f"unicode: {name}", _text(text), 60)
    for nl in NEWLINES:
        c[f"newline:{nl!r}"] = (f"newline {nl!r} between lines", _text(nl.join(ARTICLE[:2] + ["Advertisement"] + ARTICLE[2:])), 10)
    c["newline:mixed-1M"] = ("every kind of newline, 1,000,000 lines",
                             _text("".join(NEWLINES[i % len(NEWLINES)] + "x" for i in range(1_000_000))), 300)
    for name, text in NESTING.items():
        c[f"nesting:{name}"] = (f"nesting in text: {name}", _text(text), 60)
    for name, html in HTML_CASES.items():
        c[f"html:{name}"] = (f"clean_html: {name}", _html(html), 120)
    c["bytes:clean"] = ("invalid UTF-8 bytes given to clean()", _bytes_to_clean, 5)
    c["pack:deep-toml-arrays"] = ("rule pack: TOML array nested 100,000 deep", _pack(deep_toml()), 60)
    c["pack:deep-toml-1000"] = ("rule pack: TOML array nested 1,000 deep", _pack(deep_toml(1000)), 60)
    c["pack:dotted-key-8000"] = ("rule pack: a dotted key 8,000 deep", _pack(deep_dotted_key_toml(8000)), 120)
    c["pack:invalid-utf8"] = ("rule pack: not UTF-8", _pack(b"[pack]\nname = '\xff\xfe'\n"), 10)
    c["pack:bad-rule"] = ("rule pack: a rule without examples",
                          _pack('[pack]\nname = "u"\n[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["A"]\n'), 10)
    c["pack:global-flag"] = ("rule pack: pattern '(?s)foo.*'", _pack(rule_pack("(?s)foo.*")), 10)
    c["pack:huge-repeat"] = ("rule pack: pattern 'a{4294967296}'", _pack(rule_pack("a{4294967296}")), 10)
    for pattern in USER_PATTERNS_REFUSED:
        c[f"user-pattern:{pattern}"] = (f"user pattern {pattern}", _user_pattern(pattern, "a" * 60 + "!"), 30)
    for pattern, line in USER_PATTERNS_ESCAPING.items():
        c[f"user-pattern:{pattern}"] = (f"user pattern {pattern}", _user_pattern(pattern, line), 30)
    for pattern in USER_PATTERNS_MORE:
        c[f"user-pattern:{pattern}"] = (f"user pattern {pattern}", _user_pattern(pattern, "a" * 60 + "!"), 30)
    c["user-pattern:.*a.*a.*a.*a.*a.*b"] = ("user pattern .*a.*a.*a.*a.*a.*b (polynomial: the timing probe)",
                                          _user_pattern(".*a.*a.*a.*a.*a.*b", "a" * 300 + "!"), 60)
    c["jsonl:big-int"] = ("jsonl: a record with a 5,000-digit integer", _jsonl_big_int, 60)
    c["jsonl:non-finite"] = ("jsonl: 1e400 in a record, NaN in another", _jsonl_non_finite, 60)
    c["pack:dotted-key-100k"] = ("rule pack: a dotted key 100,000 deep", _pack(deep_dotted_key_toml()), 120)
    return c


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Time newsclean on adversarial inputs.")
    ap.add_argument("names", nargs="*", help="only these cases (default: all)")
    ap.add_argument("--list", action="store_true", help="list the cases")
    ap.add_argument("--quick", action="store_true", help="skip the cases that take long")
    args = ap.parse_args(argv)
    newsclean.clean("warm up: build the default cleaner")
    table = cases(quick=args.quick and not args.names)
    if args.list:
        print("\n".join(table))
        return 0
    print("| case | input | outcome | seconds |\n|---|---|---|---|")
    for name, (what, fn, limit) in table.items():
        if args.names and name not in args.names:
            continue
        outcome, secs = _timed(fn, limit)
        print(f"| `{name}` | {what} | {outcome.replace('|', '&#124;')} | {secs:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
