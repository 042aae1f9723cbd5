"""The `newsclean` command: clean, jsonl, learn, explain, rules, bench. See docs/command-line.md.

Exit codes: 0 done (rejected records included), 1 input/output error, 2 usage error (bad
option, unknown rule, bad rule pack), 3 `--strict` and something was rejected, 130/143
interrupted by SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import time
from pathlib import Path

import newsclean

from . import corpus, fileio
from .rules import CATEGORIES, RulePackError

EXIT_OK, EXIT_IO, EXIT_USAGE, EXIT_REJECTED = 0, 1, 2, 3

EPILOG = """\
examples:
  newsclean clean page.txt                      clean one file to stdout
  cat page.txt | newsclean clean                clean stdin
  newsclean clean -o cleaned/ pages/*.txt       one output file per input, same names
  newsclean jsonl crawl.jsonl.gz -o clean.jsonl --field text --meta-field newsclean
  newsclean learn crawl.jsonl --url-field url -o profiles.json      learn each site's chrome
  newsclean jsonl crawl.jsonl -o clean.jsonl --profiles profiles.json --dask local
  newsclean explain page.txt                    every line, with the rule that cut it
  newsclean explain page.txt --profiles profiles.json --url https://www.example.com/a
  newsclean explain --json page.txt
  newsclean rules --lang en --category social
  newsclean report crawl.jsonl --url-field url --sample 2000 -o report.html
  newsclean clean --disable social --disable heuristic.tail --rules site.toml page.txt

exit codes: 0 ok (rejected records included), 1 input/output error, 2 usage error,
            3 --strict and records were rejected, 130/143 interrupted
"""


class CliError(Exception):
    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


class Terminated(KeyboardInterrupt):
    """Raised by the SIGTERM handler so that cleanup runs as for Ctrl-C."""


def _on_sigterm(signum, frame):
    raise Terminated()


# -- parser -------------------------------------------------------------------------------------

class _VersionAction(argparse.Action):
    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"newsclean {newsclean.__version__} (rules: {rules_label(newsclean.Cleaner())})")
        parser.exit()


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def add_cleaner_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("cleaner options")
    g.add_argument("--disable", action="append", default=[], metavar="ID|CATEGORY",
                   help="switch off a rule, category, pack or heuristic (repeatable)")
    g.add_argument("--rules", action="append", default=[], metavar="FILE",
                   help="an extra rule pack in TOML (repeatable)")
    g.add_argument("--lang", metavar="L", help="language of the input, e.g. en")
    g.add_argument("--keep-title", dest="keep_title", action="store_true", default=True,
                   help="keep the headline in the text (default)")
    g.add_argument("--no-title", dest="keep_title", action="store_false",
                   help="drop the headline (it is still reported in metadata)")


def build_parser() -> argparse.ArgumentParser:
    from . import cli_sites  # imports this module's helpers
    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="newsclean", formatter_class=fmt, epilog=EPILOG,
        description="Strip site chrome from text scraped off news pages; explain every cut.")
    parser.add_argument("--version", action=_VersionAction, help="show the version and rule packs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("clean", help="clean text files or stdin", formatter_class=fmt, epilog=EPILOG,
                       description="Clean text from files (or stdin) to stdout, or to DIR with -o.")
    p.add_argument("files", nargs="*", metavar="FILE", help="text files; none or '-' reads stdin")
    p.add_argument("-o", "--output", metavar="DIR", help="write one file per input into DIR (same name)")
    p.add_argument("--html", action="store_true",
                   help="the input is an HTML page (any declared or detectable encoding): "
                        "extract its article, then clean it")
    add_cleaner_options(p)
    cli_sites.add_page_options(p, html=True)

    p = sub.add_parser("jsonl", help="clean a field of every JSON Lines record", formatter_class=fmt,
                       epilog=EPILOG, description=(
                           "Stream JSON Lines records (.jsonl, .jsonl.gz, .jsonl.zst, or '-'), clean one\n"
                           "field in place, keep every other field, write records in input order. Bad\n"
                           "lines go to OUT's rejects file: OUT without .jsonl, plus .rejects.jsonl."))
    p.add_argument("inputs", nargs="+", metavar="IN", help="input files ('-' for stdin)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (.jsonl, .gz or .zst)")
    p.add_argument("--field", default="text", help="the field to clean (default: text)")
    p.add_argument("--meta-field", metavar="NAME",
                   help="add NAME: {removed, metadata, version, rules} to every record")
    p.add_argument("--html-field", metavar="NAME",
                   help="read an HTML page from NAME, write its cleaned article text to --field")
    p.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes (default: the number of CPUs; 1 runs in-process)")
    p.add_argument("--strict", action="store_true", help="exit 3 if any line was rejected")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary line")
    add_cleaner_options(p)
    cli_sites.add_jsonl_options(p)
    cli_sites.add_learn_parser(sub, fmt, EPILOG)

    p = sub.add_parser("explain", help="show every line and why it was cut", formatter_class=fmt,
                       epilog=EPILOG, description="Print every input line: '- [rule] text    # reason' for a\n"
                       "removed line, '~ [rule] te[-cut-]xt    # reason' for an inline cut, '  text' if kept.")
    p.add_argument("file", metavar="FILE", help="a text file, or '-' for stdin")
    p.add_argument("--json", action="store_true", help="print {text, removed, metadata, version, rules}")
    add_cleaner_options(p)
    cli_sites.add_page_options(p)

    p = sub.add_parser("rules", help="list the rules", formatter_class=fmt, epilog=EPILOG,
                       description="One rule per line, tab-separated: id, category, languages, description.")
    p.add_argument("--lang", metavar="L", help="only rules for language L (or for every language)")
    p.add_argument("--category", metavar="C", help="only rules of category C")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="include an extra rule pack")
    p.add_argument("--heuristics", action="store_true", help="also list the heuristics")

    sub.add_parser("bench", add_help=False, help="run the benchmark (newsclean bench --help)")
    sub.add_parser("report", add_help=False,
                   help="an HTML audit report of what was cut across a corpus (newsclean report --help)")
    return parser


# -- shared helpers -----------------------------------------------------------------------------

def rules_label(cleaner) -> str:
    return cleaner.rules_version


def cleaner_options(args) -> dict:
    options = {"disable": list(args.disable), "keep_title": args.keep_title}
    if args.rules:
        options["extra_rules"] = [str(Path(r).resolve()) for r in args.rules]
    if args.lang:
        options["lang"] = args.lang
    return options


def make_cleaner(options: dict):
    try:
        return newsclean.Cleaner(**options)
    except RulePackError as exc:
        raise CliError(f"bad rule pack: {exc}", EXIT_USAGE) from None
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None


def _need_html(option: str) -> None:
    if not hasattr(newsclean, "clean_html"):
        raise CliError(f"{option}: HTML input is not supported in newsclean {newsclean.__version__} yet; "
                       "extract the text first", EXIT_USAGE)


def _read_text(path: str) -> str:
    """A file (or stdin) as text: UTF-8, undecodable bytes kept as-is, leading BOM dropped."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: {exc.strerror or exc}", EXIT_IO) from None
    return data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _write_stdout(text: str) -> None:
    sys.stdout.buffer.write(_encode(text))


# -- subcommands --------------------------------------------------------------------------------

def cmd_clean(args) -> int:
    from . import cli_sites
    if args.html:
        _need_html("--html")
    cleaner = make_cleaner(cleaner_options(args) | cli_sites.page_profiles(args, html=args.html))
    clean = corpus.html_cleaner(cleaner) if args.html else cleaner.clean
    files = args.files or ["-"]
    outdir = None if args.output is None else Path(args.output)
    if outdir is not None:
        if "-" in files:
            raise CliError("-o DIR needs named input files, not stdin", EXIT_USAGE)
        names = [Path(f).name for f in files]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise CliError(f"-o DIR: several inputs are named {', '.join(dupes)}", EXIT_USAGE)
        for path in files:
            target = outdir / Path(path).name
            if target.exists() and Path(path).exists() and target.samefile(path):
                raise CliError(f"{path}: -o would overwrite the input", EXIT_USAGE)
        try:
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CliError(f"cannot create {outdir}: {exc.strerror or exc}", EXIT_IO) from None
    code = EXIT_OK
    for path in files:  # a missing or unwritable file is reported; the others are still cleaned
        try:
            try:
                out = clean(_read_text(path), url=args.url)
            except ValueError as exc:  # HTML that cannot be read: binary, too large, too deep
                if not args.html:
                    raise
                raise CliError(f"{path}: {exc}", EXIT_IO) from None
            data = _encode(out + "\n") if out else b""
            if outdir is None:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
                continue
            f = fileio.AtomicFile(outdir / Path(path).name)
            try:
                f.write(data)
                f.commit()
            except BaseException:
                f.abort()
                raise
        except (CliError, fileio.CorpusError) as exc:
            print(f"newsclean: error: {exc}", file=sys.stderr)
            code = getattr(exc, "code", EXIT_IO)
    return code


class _Progress:
    """Records done, on stderr, only when stderr is a terminal: tqdm if installed, else a counter."""

    def __init__(self, enabled: bool):
        self.n = 0
        self._bar = None
        self._last = 0.0
        self.enabled = enabled
        if enabled:
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self._bar = tqdm(desc="newsclean", unit=" records", file=sys.stderr, dynamic_ncols=True)

    def __call__(self, n: int) -> None:
        self.n += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.enabled and time.monotonic() - self._last >= 0.2:
            self._last = time.monotonic()
            sys.stderr.write(f"\rnewsclean: {self.n:,} records")
            sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.enabled and self._last:
            sys.stderr.write("\n")


def cmd_jsonl(args) -> int:
    from . import cli_sites
    if args.html_field is not None:
        _need_html("--html-field")
        if args.meta_field:
            raise CliError("--meta-field cannot be used with --html-field yet", EXIT_USAGE)
    if args.meta_field is not None and args.meta_field == args.field:
        raise CliError("--meta-field must differ from --field", EXIT_USAGE)
    options = cleaner_options(args)
    if args.profiles is not None:
        options["profiles"] = cli_sites.load_profiles(args.profiles)
    cleaner = make_cleaner(options)
    out = Path(args.output)
    for path in args.inputs:
        if path == "-":
            continue
        if not os.path.isfile(path):
            raise CliError(f"{path}: no such file" if not os.path.exists(path) else f"{path}: not a file",
                           EXIT_IO)
        for target in (out, corpus.rejects_path(out)):
            if target.exists() and target.samefile(path):
                raise CliError(f"{path}: the output would overwrite this input", EXIT_USAGE)
    if args.inputs.count("-") > 1:
        raise CliError("stdin ('-') can be read only once", EXIT_USAGE)
    spec = corpus.JobSpec(cleaner_options=options, field=args.field, meta_field=args.meta_field,
                          html_field=args.html_field, version=newsclean.__version__,
                          rules=rules_label(cleaner), url_field=args.url_field if args.profiles else None)
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    try:
        if args.dask:
            nd = cli_sites.dask_module()
            with nd.session(args.dask, args.workers) as client:
                stats = corpus.run(args.inputs, out, spec, progress=progress,
                                   results=lambda reader, spec: nd.jsonl_results(reader, spec, client))
        else:
            stats = corpus.run(args.inputs, out, spec, workers=args.workers, progress=progress)
    finally:
        progress.close()
    if not args.quiet:
        print(stats.summary(), file=sys.stderr)
    return EXIT_REJECTED if args.strict and stats.rejected else EXIT_OK


_RED, _YELLOW, _DIM, _RESET = "\033[31m", "\033[33m", "\033[2m", "\033[0m"


def render_explain(text: str, result, colour: bool = False) -> str:
    """Every input line: '- [rule] line    # reason', '~ [rule] li[-cut-]ne    # reason', '  line'.

    Works on input lines and the removals' offsets, so a cut that spans several lines (a
    hard-wrapped paragraph) marks each of them."""
    from bisect import bisect_right

    from .document import normalise_newlines
    lines = normalise_newlines(text)
    starts, pos = [], 0
    for raw in lines:
        starts.append(pos)
        pos += len(raw) + 1
    by_line: dict[int, list] = {}
    for r in result.removed:
        first = max(0, bisect_right(starts, r.start) - 1)
        for i in range(first, len(lines)):
            if starts[i] >= max(r.end, r.start + 1):
                break
            by_line.setdefault(i, []).append(r)
    c = (lambda code, s: f"{code}{s}{_RESET}") if colour else (lambda code, s: s)
    out = []
    for i, raw in enumerate(lines):
        cuts = by_line.get(i)
        if not cuts:
            out.append(f"  {raw}" if raw else "")
            continue
        ids = ",".join(dict.fromkeys(r.rule for r in cuts))
        reasons = "; ".join(dict.fromkeys(r.reason for r in cuts))
        lo, hi = starts[i], starts[i] + len(raw)
        if any(r.start <= lo and r.end >= hi for r in cuts):
            out.append(c(_RED, f"- [{ids}] {raw}") + "    " + c(_DIM, f"# {reasons}"))
            continue
        shown, at = [], lo
        for r in sorted(cuts, key=lambda r: r.start):
            a, b = max(r.start, at), min(r.end, hi)
            if b <= a:
                continue
            shown += [raw[at - lo:a - lo], c(_RED, f"[-{raw[a - lo:b - lo]}-]")]
            at = b
        shown.append(raw[at - lo:])
        out.append(c(_YELLOW, f"~ [{ids}] ") + "".join(shown) + "    " + c(_DIM, f"# {reasons}"))
    return "\n".join(out) + "\n"


def cmd_explain(args) -> int:
    from . import cli_sites
    cleaner = make_cleaner(cleaner_options(args) | cli_sites.page_profiles(args))
    text = _read_text(args.file)
    result = cleaner.analyze(text, url=args.url)
    if args.json:
        doc = {"text": result.text, "removed": [r.to_dict() for r in result.removed],
               "metadata": result.metadata, "version": newsclean.__version__, "rules": rules_label(cleaner)}
        sys.stdout.buffer.write(corpus.dumps_line(doc))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        _write_stdout(render_explain(text, result, colour=colour))
    return EXIT_OK


def cmd_rules(args) -> int:
    cleaner = make_cleaner({"extra_rules": args.rules} if args.rules else {})
    rules = list(cleaner.ruleset.rules)
    if args.category is not None:
        known = {r.category for r in rules} | set(CATEGORIES)
        if args.heuristics:
            known.add("heuristic")
        if args.category not in known:
            raise CliError(f"--category: unknown category {args.category!r}; one of: "
                           f"{', '.join(sorted(known))}", EXIT_USAGE)
    lang = args.lang.lower() if args.lang else None
    rows = []
    for r in rules:
        langs = tuple(x.lower() for x in r.languages)
        if lang and not ({"*", lang, lang.split("-")[0]} & set(langs)):
            continue
        if args.category is not None and r.category != args.category:
            continue
        rows.append((r.id, r.category, ",".join(r.languages), r.description))
    if args.heuristics and args.category in (None, "heuristic"):
        rows += [(name, "heuristic", "*", desc) for name, desc in newsclean.HEURISTICS.items()]
    _write_stdout("".join("\t".join(" ".join(f.split()) for f in row) + "\n" for row in rows))
    return EXIT_OK


def cmd_bench(argv: list[str]) -> int:
    try:
        bench = importlib.import_module("newsclean.bench")
    except ModuleNotFoundError as exc:
        if exc.name not in ("newsclean.bench",):
            raise
        raise CliError("bench: the benchmark (newsclean.bench) is not part of this installation",
                       EXIT_USAGE) from None
    code = bench.main(argv)
    return code if isinstance(code, int) else EXIT_OK


COMMANDS = {"clean": cmd_clean, "jsonl": cmd_jsonl, "explain": cmd_explain, "rules": cmd_rules,
            "learn": lambda args: importlib.import_module("newsclean.cli_sites").cmd_learn(args)}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
    try:
        if argv and argv[0] == "report":  # its own parser and exit codes: newsclean.cli_report.main
            from . import cli_report
            return cli_report.main(argv[1:])
        if argv and argv[0] == "bench":  # everything after 'bench' belongs to the benchmark
            return cmd_bench(argv[1:])
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except CliError as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return exc.code
    except fileio.CorpusError as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return EXIT_IO
    except BrokenPipeError:
        # The reader went away (`newsclean clean ... | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_IO
    except KeyboardInterrupt as exc:
        signum = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        print(f"newsclean: interrupted ({signal.Signals(signum).name}); no output written"
              if argv[:1] == ["jsonl"] else "newsclean: interrupted", file=sys.stderr)
        return 128 + signum
    finally:
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)
