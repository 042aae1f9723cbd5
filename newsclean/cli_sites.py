"""The command's site profiles and Dask: `newsclean learn`, `--profiles`/`--dask` for
`newsclean jsonl`, and `--profiles`/`--url` for `newsclean clean` and `explain` (kept apart
from cli.py, which wires them in)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from . import corpus
from .cli import EXIT_IO, EXIT_OK, EXIT_USAGE, CliError, positive_int
from .domains import registered_domain
from .sites import MIN_DOCS, MIN_SHARE, LineCounts, ProfileError, SiteProfiles, parse_json_record


def share(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < x <= 1:
        raise argparse.ArgumentTypeError("must be above 0 and at most 1 (0.2 is 20%)")
    return x


def at_least_two(value: str) -> int:
    n = positive_int(value)
    if n < 2:
        raise argparse.ArgumentTypeError("must be at least 2")
    return n


def add_dask_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dask", metavar="local|ADDRESS",
                   help="run on Dask: 'local' starts a local cluster of --workers processes; "
                        "otherwise a scheduler's address (tcp://host:8786)")


def add_jsonl_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("site profiles and Dask")
    g.add_argument("--profiles", metavar="FILE",
                   help="site profiles from 'newsclean learn': remove each site's learned chrome")
    g.add_argument("--url-field", default="url", metavar="NAME",
                   help="the field holding each record's URL, for --profiles (default: url)")
    add_dask_option(g)


def add_page_options(p: argparse.ArgumentParser, html: bool = False) -> None:
    """--profiles and --url for the commands that clean single pages (clean, explain)."""
    g = p.add_argument_group("site profiles")
    g.add_argument("--profiles", metavar="FILE",
                   help="site profiles from 'newsclean learn': remove the learned chrome of the site of --url")
    g.add_argument("--url", metavar="URL",
                   help="where the input comes from (a URL, or a site such as example.com), for --profiles; "
                        "with several files, all of them" + (
                            "; with --html, the page's own canonical URL when not given" if html else ""))


def page_profiles(args, html: bool = False) -> dict:
    """The cleaner options for --profiles ({} without it), once --url is checked: text needs a
    --url that names a site; an HTML page may name its own. A site the profiles do not know is
    noted on stderr (the input is then cleaned without profiles)."""
    if args.profiles is None:
        return {}
    if args.url is None:
        if not html:
            raise CliError("--profiles needs --url: the URL (or site) the input comes from", EXIT_USAGE)
    elif registered_domain(args.url) is None:
        raise CliError(f"--url: {args.url!r} names no site", EXIT_USAGE)
    profiles = load_profiles(args.profiles)
    site = profiles.site_of(args.url) if args.url is not None else None
    if site is not None and site not in profiles:
        print(f"newsclean: note: {args.profiles} has no profile for {site}; its lines are not cut",
              file=sys.stderr)
    return {"profiles": profiles}


def add_learn_parser(sub, formatter, epilog: str) -> None:
    p = sub.add_parser(
        "learn", help="learn each site's chrome from a corpus (site profiles)", formatter_class=formatter,
        epilog=epilog, description=(
            "Read JSON Lines records with a URL and a text, and write for each site (the URL's\n"
            "registered domain) the lines that recur on many of its pages, for\n"
            "'newsclean jsonl --profiles'. A record without a usable URL or text is skipped."))
    p.add_argument("inputs", nargs="+", metavar="IN", help="input files (.jsonl, .gz, .zst; '-' for stdin)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="the profiles file to write (JSON)")
    p.add_argument("--url-field", default="url", metavar="NAME", help="the field holding the URL (default: url)")
    p.add_argument("--text-field", "--field", dest="text_field", default="text", metavar="NAME",
                   help="the field holding the text (default: text)")
    p.add_argument("--min-docs", type=at_least_two, default=MIN_DOCS, metavar="N",
                   help=f"a line is learned when on at least N of a site's pages (default: {MIN_DOCS})")
    p.add_argument("--min-share", type=share, default=MIN_SHARE, metavar="S",
                   help=f"... and on at least this share of them (default: {MIN_SHARE}); a line that reads "
                        "as a long sentence needs more than half")
    p.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1, metavar="N",
                   help="with --dask local: worker processes (default: the number of CPUs)")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    add_dask_option(p)


def load_profiles(path: str) -> SiteProfiles:
    try:
        return SiteProfiles.load(path)
    except ProfileError as exc:
        raise CliError(f"--profiles: {exc}", EXIT_USAGE) from None
    except OSError as exc:
        raise CliError(f"--profiles: {path}: {exc.strerror or exc}", EXIT_IO) from None


def dask_module():
    try:
        newsclean_dask = importlib.import_module("newsclean.dask")
        importlib.import_module("distributed")  # the session needs it
    except ImportError:
        raise CliError("--dask needs Dask: pip install 'newsclean[dask]' (dask[bag,dataframe] and distributed)",
                       EXIT_USAGE) from None
    return newsclean_dask


def check_inputs(inputs: list[str], output: Path, dask: bool) -> None:
    for path in inputs:
        if path == "-":
            if dask:
                raise CliError("--dask: the workers read the inputs; stdin ('-') cannot be used", EXIT_USAGE)
            continue
        if not os.path.isfile(path):
            raise CliError(f"{path}: no such file" if not os.path.exists(path) else f"{path}: not a file", EXIT_IO)
        if output.exists() and output.samefile(path):
            raise CliError(f"{path}: the output would overwrite this input", EXIT_USAGE)
    if inputs.count("-") > 1:
        raise CliError("stdin ('-') can be read only once", EXIT_USAGE)


def cmd_learn(args) -> int:
    out = Path(args.output)
    check_inputs(args.inputs, out, bool(args.dask))
    if args.dask:
        nd = dask_module()
        with nd.session(args.dask, args.workers):
            profiles, pages, skipped = nd.learn_jsonl([str(Path(p).resolve()) for p in args.inputs],
                                                      args.url_field, args.text_field, args.min_docs, args.min_share)
    else:
        counts = LineCounts()
        for _name, _lineno, raw in corpus.LineReader(args.inputs):
            counts.add_record(parse_json_record(raw), args.url_field, args.text_field)
        profiles = counts.profiles(args.min_docs, args.min_share)
        pages, skipped = sum(counts.docs.values()), counts.skipped
    profiles.save(out)
    if not args.quiet:
        lines = sum(len(p.lines) for p in profiles.sites.values())
        print(f"newsclean: learned {lines:,} lines for {len(profiles):,} sites from {pages:,} pages"
              f" ({skipped:,} records skipped: no URL with a site, no text, or not a JSON object);"
              f" profiles in {out}", file=sys.stderr)
    return EXIT_OK
