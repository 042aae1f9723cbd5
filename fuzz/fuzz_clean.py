"""Coverage-guided fuzzing of newsclean with atheris (libFuzzer for Python).

    pip install atheris
    python fuzz/fuzz_clean.py clean  -max_total_time=600 -timeout=20 fuzz/corpus/clean
    python fuzz/fuzz_clean.py html   -max_total_time=600 -timeout=20 fuzz/corpus/html
    python fuzz/fuzz_clean.py packs  -max_total_time=600 -timeout=20
    python fuzz/fuzz_clean.py jsonl  -max_total_time=600 -timeout=20
    python fuzz/fuzz_clean.py seeds [DIR]           # write seed corpora to DIR/<target>/
                                                    # (default fuzz/corpus, ignored by nothing:
                                                    # keep it out of the repository)

The first argument is the target; the rest go to libFuzzer (-runs=N, -max_total_time=S,
-timeout=S for the per-input hang limit, -jobs/-workers, corpus directories). A crash or a
timeout writes the input to ./crash-* or ./timeout-*; reproduce it with
`python fuzz/fuzz_clean.py TARGET ./crash-...`, and keep it as a regression test in
tests/test_reliability.py (FUZZ_REGRESSIONS, or an xfail(strict=True) test until it is fixed).

Targets and what each checks:

* clean: the input is decoded (UTF-8 with surrogateescape, so lone surrogates occur) and
  mixed with chrome from the rule packs' examples; `analyze` must not raise, its text must be
  a str no longer than the input, every Removal must point at its text in the normalised
  input, and `clean` must return the same text.
* html: the raw bytes, and their decoding, through `clean_html`: a str, or a ValueError whose
  message starts with 'clean_html:' (binary data, too large, nested too deeply).
* packs: the bytes as a TOML rule pack through `load_pack`, then the rules compiled and
  matched against their examples: only RulePackError may come out.
* jsonl: the bytes, split into lines, through the record reader and cleaner of
  `newsclean jsonl` (`newsclean.corpus`): every non-blank line is an output record or a reject.

Known bugs (fuzz/known_bugs.py) are tolerated so that a long run finds new ones; the two
built-in rules known to backtrack catastrophically are switched off, unless
NEWSCLEAN_FUZZ_ALL_RULES=1.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

TARGETS = ("clean", "html", "packs", "jsonl")


def _usage() -> None:
    print(__doc__)
    sys.exit(2)


if len(sys.argv) < 2 or sys.argv[1] not in TARGETS + ("seeds",):
    _usage()
TARGET = sys.argv.pop(1)

if TARGET == "seeds":
    atheris = None
else:
    import atheris

if atheris is not None:
    with atheris.instrument_imports(include=["newsclean"]):
        import newsclean
        from newsclean import corpus
        from newsclean.matcher import RuleSet
        from newsclean.rules import RulePackError, builtin_packs, load_pack
else:
    import newsclean
    from newsclean import corpus
    from newsclean.matcher import RuleSet
    from newsclean.rules import RulePackError, builtin_packs, load_pack

from known_bugs import REDOS_RULES, known_error

ALL_RULES = os.environ.get("NEWSCLEAN_FUZZ_ALL_RULES") == "1"
CLEANER = newsclean.Cleaner() if ALL_RULES else newsclean.Cleaner(disable=sorted(REDOS_RULES))
CHROME = sorted({e for p in builtin_packs() for r in p.rules for e in r.examples})
NEWLINES = ["\n", "\r\n", "\r", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\n\n"]


def _text(data: bytes) -> str:
    """Bytes to a str that mixes the fuzzer's characters with chrome lines: each byte 0x01
    is replaced by a chrome example chosen by the next byte, each 0x02 by a newline kind."""
    out = []
    i = 0
    while i < len(data):
        b = data[i]
        if b in (1, 2) and i + 1 < len(data):
            table = CHROME if b == 1 else NEWLINES
            out.append(table[data[i + 1] * 251 % len(table)])
            i += 2
            continue
        j = i + 1
        while j < len(data) and data[j] not in (1, 2):
            j += 1
        out.append(data[i:j].decode("utf-8", "surrogateescape"))
        i = j
    return "".join(out)


def _check_analyze(text: str) -> None:
    result = CLEANER.analyze(text)
    assert isinstance(result.text, str)
    assert len(result.text) <= len(text), "output longer than input"
    normalised = "\n".join(text.splitlines())
    for r in result.removed:
        assert normalised[r.start:r.end] == r.text, f"bad offsets: {r}"
    assert CLEANER.clean(text) == result.text


def fuzz_clean(data: bytes) -> None:
    _check_analyze(_text(data))


def fuzz_html(data: bytes) -> None:
    for page in (data, data.decode("utf-8", "surrogateescape")):
        try:
            out = newsclean.clean_html(page)
        except ValueError as exc:
            if not str(exc).startswith("clean_html:"):
                raise
            continue
        assert isinstance(out, str)


_PACK = Path(tempfile.mkdtemp(prefix="newsclean-fuzz-")) / "fuzz.toml"


def fuzz_packs(data: bytes) -> None:
    _PACK.write_bytes(data)
    try:
        pack = load_pack(_PACK)
        rs = RuleSet(pack.rules)
        for rule in pack.rules:
            for example in rule.examples[:3]:
                example = example[:24]  # a catastrophic user pattern may slip through (known)
                rs.match_line(example), rs.match_tail(example), rs.match_start(example), rs.match_end(example)
    except RulePackError as exc:
        assert str(_PACK) in str(exc), "a RulePackError that does not name the file"
    except Exception as exc:
        if known_error(exc) is None:
            raise


_SPEC = corpus.JobSpec(cleaner_options={} if ALL_RULES else {"disable": sorted(REDOS_RULES)})
corpus.init_worker(_SPEC, in_pool=False)


def fuzz_jsonl(data: bytes) -> None:
    lines = data.split(b"\n")
    ok = rejected = 0
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            outcome = corpus.process_record("fuzz.jsonl", n, raw)
        except Exception as exc:
            if known_error(exc) is None:
                raise
            continue
        if outcome[0] == corpus.OK:
            ok += 1
            assert outcome[1].endswith(b"\n") and b"\n" not in outcome[1][:-1]
        else:
            rejected += 1
            assert outcome[1].endswith(b"\n") and b"\n" not in outcome[1][:-1]


# -- seed corpora ------------------------------------------------------------------------------------

def write_seeds(root: Path) -> None:
    import json

    import adversarial as adv
    seeds = {
        "clean": [adv.page(i).encode() for i in range(5)]
                 + [e.encode("utf-8", "surrogateescape") for e in CHROME[::25]]
                 + [b"\x01\x05\x02\x03" + adv.ARTICLE[0].encode() + b"\x02\x00\x01\x10"],
        "html": [adv.HTML_ARTICLE.encode(), adv.BILLION_LAUGHS.encode(),
                 b"<html><body><nav>Home | News</nav>" + adv.HTML_ARTICLE.encode() + b"<footer>(c) 2024</footer>"],
        "packs": [adv.rule_pack("Valley Deals").encode(), adv.rule_pack("(?P<cut>\\s*/\\s*AP)", scope="end").encode(),
                  b'[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["A"]\nexamples = ["A"]\n'],
        "jsonl": [b"\n".join(json.dumps({"id": i, "text": adv.page(i)}).encode() for i in range(3)),
                  b'{"text": 5}\n[1]\n{"body": "x"}\n\xff\n'],
    }
    for target, items in seeds.items():
        d = root / target
        d.mkdir(parents=True, exist_ok=True)
        for k, item in enumerate(items):
            (d / f"seed-{k:03d}").write_bytes(item)
        print(f"{d}: {len(items)} seeds")


def main() -> None:
    if TARGET == "seeds":
        write_seeds(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "corpus")
        return
    fn = {"clean": fuzz_clean, "html": fuzz_html, "packs": fuzz_packs, "jsonl": fuzz_jsonl}[TARGET]
    atheris.Setup(sys.argv, fn)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
