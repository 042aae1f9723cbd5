"""`newsclean report`, the command: its options, the checks of its inputs and output, the
progress line and the exit codes. report.py builds the page.

    newsclean report IN.jsonl [IN…] -o report.html [--field text] [--html-field html]
                     [--url-field url] [--sample N [--seed S]]

The inputs are read line by line (`.jsonl`, `.jsonl.gz`, `.jsonl.zst` or `-`, with
`corpus.LineReader`); a line that is not a usable record is a reject (counted, and the first
few shown), as in `newsclean jsonl`. The page is written to a temporary file renamed into
place (`fileio.AtomicFile`).

`main(argv) -> int` (also `newsclean.report.main`) returns the exit code: 0 done, 1
input/output error, 2 usage error, 130/143 interrupted.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from . import corpus, fileio
from .cli import Terminated, _on_sigterm, add_cleaner_options, positive_int
from .report import Options, collect, render
from .report_data import EXAMPLES, EXIT_IO, EXIT_OK, EXIT_USAGE, MAX_DOC_CHARS, MAX_DOCS, MAX_SIZE_MB
from .report_input import read_jsonl


def _megabytes(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.5 <= x <= 2000:
        raise argparse.ArgumentTypeError("must be between 0.5 and 2000")
    return x


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsclean report", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=("Clean JSON Lines records (or a random sample of them) and write an audit report:\n"
                     "one self-contained HTML file with the totals, the cuts by rule and category,\n"
                     "examples of every rule in context, the sites, and every sampled document with\n"
                     "its cuts marked. Open it in a browser; it needs no server and no network."),
        epilog=("examples:\n"
                "  newsclean report crawl.jsonl.gz -o report.html --url-field url --sample 10000\n"
                "  newsclean report part-*.jsonl --field body --id-field doc_id -o report.html\n"
                "  newsclean report pages.jsonl --html-field html --url-field url -o report.html\n\n"
                "exit codes: 0 done (rejected lines included), 1 input/output error, 2 usage error,\n"
                "            130/143 interrupted (no report written)"))
    p.add_argument("inputs", nargs="+", metavar="IN", help="JSON Lines files (.jsonl, .gz, .zst; '-' for stdin)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="the HTML file to write")
    p.add_argument("--field", default="text", help="the field holding the text (default: text)")
    p.add_argument("--html-field", metavar="NAME", help="read HTML from NAME instead (needs newsclean.analyze_html)")
    p.add_argument("--url-field", metavar="NAME", help="the field holding the page's URL (for the sites section)")
    p.add_argument("--id-field", default="id", metavar="NAME",
                   help="the field holding a record's identifier, shown and searchable (default: id)")
    p.add_argument("--sample", type=positive_int, metavar="N",
                   help="clean a uniform random sample of N records (reservoir sampling) instead of all")
    p.add_argument("--seed", type=int, default=0, help="random seed for the samples (default: 0)")
    p.add_argument("--max-docs", type=positive_int, default=MAX_DOCS, metavar="N",
                   help=f"documents stored for the document view (default: {MAX_DOCS:,}; a random subset beyond)")
    p.add_argument("--examples", type=positive_int, default=EXAMPLES, metavar="K",
                   help=f"example cuts shown per rule (default: {EXAMPLES})")
    p.add_argument("--max-doc-chars", type=positive_int, default=MAX_DOC_CHARS, metavar="N",
                   help=f"characters stored per document (default: {MAX_DOC_CHARS:,})")
    p.add_argument("--max-size", type=_megabytes, default=MAX_SIZE_MB, metavar="MB",
                   help=f"keep the page under this many megabytes by shortening documents (default: {MAX_SIZE_MB:g})")
    p.add_argument("--title", help="the page's title")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary line")
    add_cleaner_options(p)
    return p


class _UsageError(Exception):
    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


class _Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.n = 0
        self._last = 0.0

    def __call__(self) -> None:
        self.n += 1
        if self.enabled and self.n % 1000 == 0 and time.monotonic() - self._last >= 0.5:
            self._last = time.monotonic()
            sys.stderr.write(f"\rnewsclean report: {self.n:,} lines read")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._last:
            sys.stderr.write("\n")


def _check_html() -> None:
    import newsclean
    if not hasattr(newsclean, "analyze_html"):
        raise _UsageError(f"--html-field: HTML input is not supported in newsclean {newsclean.__version__} "
                          "yet (newsclean.analyze_html is missing); extract the text first")
    try:
        newsclean.analyze_html("<html><body><p>newsclean</p></body></html>")
    except ImportError as exc:
        raise _UsageError(f"--html-field: HTML input needs a package that is not installed: {exc}") from None


def _make_cleaner(args):
    import newsclean
    options: dict = {"disable": list(args.disable), "keep_title": args.keep_title}
    if args.rules:
        options["extra_rules"] = [str(Path(r).resolve()) for r in args.rules]
    if args.lang:
        options["lang"] = args.lang
    try:
        return newsclean.Cleaner(**options), options
    except newsclean.RulePackError as exc:
        raise _UsageError(f"bad rule pack: {exc}") from None
    except ValueError as exc:
        raise _UsageError(str(exc)) from None


def _run(args) -> int:
    if args.html_field is not None:
        _check_html()
    cleaner, options = _make_cleaner(args)
    out = Path(args.output)
    if args.inputs.count("-") > 1:
        raise _UsageError("stdin ('-') can be read only once")
    for path in args.inputs:
        if path == "-":
            continue
        if not os.path.exists(path):
            raise _UsageError(f"{path}: no such file", EXIT_IO)
        if not os.path.isfile(path):
            raise _UsageError(f"{path}: not a file", EXIT_IO)
        if out.exists() and out.samefile(path):
            raise _UsageError(f"{path}: the report would overwrite this input")
    if out.is_dir():
        raise _UsageError(f"{out}: is a directory; give the name of the HTML file to write")
    opts = Options(inputs=list(args.inputs), field=args.field, html_field=args.html_field,
                   url_field=args.url_field, id_field=args.id_field or None, sample=args.sample,
                   seed=args.seed, max_docs=args.max_docs, examples=args.examples,
                   max_doc_chars=args.max_doc_chars, max_size_mb=args.max_size, title=args.title,
                   cleaner_options={k: v for k, v in options.items() if k != "extra_rules"}
                   | ({"extra_rules": list(args.rules)} if args.rules else {}))
    if opts.cleaner_options.get("keep_title") is True:
        del opts.cleaner_options["keep_title"]
    t0 = time.monotonic()
    reader = corpus.LineReader(args.inputs)
    progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
    try:
        items = read_jsonl(args.inputs, field=args.html_field or args.field, url_field=args.url_field,
                           id_field=opts.id_field, reader=reader)
        col, scope = collect(items, cleaner, opts, progress=progress)
    finally:
        progress.close()
    page = render(col, scope, opts, time.monotonic() - t0, blank=reader.blank)
    data = page.encode("utf-8")
    f = fileio.AtomicFile(out)
    try:
        f.write(data)
        f.commit()
    except BaseException:
        f.abort()
        raise
    if not args.quiet:
        what = (f"a sample of {scope['sample']:,} of {scope['records']:,} records, seed {scope['seed']}"
                if scope["sampled"] else f"all {scope['records']:,} records")
        print(f"newsclean report: {col.seen:,} documents cleaned ({what}), {col.rejects:,} rejected; "
              f"{out}: {len(data) / 1e6:.1f} MB in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """`newsclean report …`; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _on_sigterm) if in_main else None
    try:
        return _run(args)
    except _UsageError as exc:
        print(f"newsclean report: error: {exc}", file=sys.stderr)
        return exc.code
    except fileio.CorpusError as exc:
        print(f"newsclean report: error: {exc}", file=sys.stderr)
        return EXIT_IO
    except KeyboardInterrupt as exc:
        signum = signal.SIGTERM if isinstance(exc, Terminated) else signal.SIGINT
        print(f"newsclean report: interrupted ({signal.Signals(signum).name}); no report written", file=sys.stderr)
        return 128 + signum
    finally:
        if in_main and previous is not None:
            signal.signal(signal.SIGTERM, previous)
