"""Shared test helpers: fixtures on disk, the benchmark folder, an article to embed rules in."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def fixture_languages() -> list[str]:
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and any(p.glob("*.in.txt")))


def fixture_pairs(lang: str | None = None) -> list[tuple[str, str, str]]:
    """(name, input, expected) for every fixture pair, optionally of one language. The name
    starts with the language: 'en/001-council-budget-vote'."""
    pairs = []
    for p in sorted(FIXTURES.glob(f"{lang or '*'}/*.in.txt")):
        out = p.with_name(p.name.replace(".in.txt", ".out.txt"))
        pairs.append((f"{p.parent.name}/{p.name[:-7]}", p.read_text(encoding="utf-8"),
                      out.read_text(encoding="utf-8")))
    return pairs


# Three paragraphs of plain prose, written for these tests.
ARTICLE = [
    "Residents of the valley town packed the school gym on Tuesday night to hear the council's plan for the old mill site.",
    "The proposal would turn the empty brick buildings into forty apartments, a small library branch and a market hall.",
    "Several speakers worried about traffic on the narrow river road, while others said the town badly needed new homes.",
    "The council will vote on the plan next month after a second public hearing, the mayor said at the end of the meeting.",
]


@contextmanager
def time_limit(seconds: int):
    """Fail instead of hanging: a generous limit that only catches runaway inputs."""
    def handler(signum, frame):
        raise TimeoutError(f"took longer than {seconds}s")
    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(scope="session")
def bench_dir():
    from newsclean.bench import find_bench
    path = find_bench()
    if path is None:
        pytest.skip("benchmark data not found: ../shared/bench/scrapinghub is absent and NEWSCLEAN_BENCH is unset")
    return path


def start_jsonl_run(corpus: Path, out: Path, workers: int, env: dict, wait: float = 60) -> subprocess.Popen:
    """`newsclean jsonl CORPUS -o OUT` in a child process, returned once its temporary output
    file exists and records flow: for tests that interrupt it. stderr is a pipe."""
    # An ignored SIGINT (pytest run as a background job) is inherited and would stay ignored.
    previous = signal.getsignal(signal.SIGINT)
    if previous == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsclean", "jsonl", str(corpus), "-o", str(out), "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        deadline = time.monotonic() + wait
        while not list(out.parent.glob(f".{out.name}.*.tmp")):
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "the temporary output file never appeared"
            time.sleep(0.02)
        time.sleep(0.3)  # let it get going (pool started, records flowing)
        assert proc.poll() is None, "the run finished before it could be interrupted: make the corpus bigger"
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return proc


def interrupted_jsonl_run(corpus: Path, out: Path, workers: int, env: dict, sig: int,
                          wait: float = 60) -> tuple[int, bytes]:
    """Start `newsclean jsonl` (start_jsonl_run), send it `sig` mid-run: its exit status and stderr."""
    proc = start_jsonl_run(corpus, out, workers, env, wait)
    try:
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err
