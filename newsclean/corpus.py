"""Streaming JSON Lines I/O for `newsclean jsonl`: read, clean, reject, write atomically.

* Input: `.jsonl`, `.jsonl.gz` or `.jsonl.zst` (`zstandard` is imported only when a `.zst`
  file is given), or `-` for standard input (opened by `fileio.open_input`). Lines are read
  as bytes, one at a time.
* Every non-blank input line ends up either as one output record (in input order) or as one
  line of the rejects file, `<OUT without .jsonl/.gz/.zst>.rejects.jsonl`:
  `{"file", "line", "reason", "raw"}`. A bad line never aborts the run.
* Output and rejects are written to temporary files in the output's directory and renamed
  into place only when the whole input has been read (`fileio.AtomicFile`); on any error or
  interruption the temporary files are removed and nothing appears under the output's name.
* With more than one worker, batches of records go to a process pool, at most a few per
  worker in flight, and come back in input order, so memory stays flat however long the
  input is. A worker that dies breaks the run with an error instead of a hang.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import signal
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .fileio import AtomicFile, CorpusError, open_input

BATCH = 64  # records per task sent to a worker
IN_FLIGHT_PER_WORKER = 4  # batches read ahead per worker
_BOM = b"\xef\xbb\xbf"


def rejects_path(out: str | Path) -> Path:
    """Where the rejects of OUT go: 'clean.jsonl.gz' -> 'clean.rejects.jsonl'."""
    out = Path(out)
    name = out.name
    for suffix in (".gz", ".zst"):
        name = name.removesuffix(suffix)
    for suffix in (".jsonl", ".ndjson", ".json"):
        name = name.removesuffix(suffix)
    return out.with_name((name or out.name) + ".rejects.jsonl")


class LineReader:
    """Yields (file, line number, raw bytes) for every non-blank line of the inputs, in order."""

    def __init__(self, paths: Iterable[str]):
        self.paths = list(paths)
        self.blank = 0

    def __iter__(self) -> Iterator[tuple[str, int, bytes]]:
        for path in self.paths:
            name = "<stdin>" if path == "-" else path
            fh = open_input(path)
            lineno = 0
            try:
                for raw in fh:
                    lineno += 1
                    if lineno == 1 and raw.startswith(_BOM):
                        raw = raw[len(_BOM):]
                    if not raw.strip():
                        self.blank += 1
                        continue
                    yield name, lineno, raw
            except CorpusError:
                raise
            except Exception as exc:  # OSError, EOFError, zlib.error, zstd.ZstdError, ...
                raise CorpusError(f"{name}: cannot read after line {lineno}: {exc}") from None
            finally:
                if path != "-":
                    fh.close()


def _batched(items: Iterable, n: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


# -- per-record work (runs in the workers, or in-process with one worker) -------------------

@dataclass(frozen=True)
class JobSpec:
    """Everything a worker needs; picklable."""

    cleaner_options: dict
    field: str = "text"
    meta_field: str | None = None
    html_field: str | None = None
    version: str = ""
    rules: str = ""
    url_field: str | None = None  # tells the cleaner each record's site (with profiles)


OK, REJECT = 0, 1
_worker: dict = {}


def init_worker(spec: JobSpec, in_pool: bool = True, parent: int | None = None) -> None:
    if in_pool:
        # Interruption is the parent's business: it terminates the pool and cleans up.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if parent is not None:
            exit_with_parent(parent)
    _worker.update(make_state(spec))


def make_state(spec: JobSpec) -> dict:
    """What process_record needs: the spec, its Cleaner, and the HTML cleaner if any."""
    from .cleaner import Cleaner
    cleaner = Cleaner(**spec.cleaner_options)
    html = html_cleaner(cleaner) if spec.html_field is not None else None
    return {"spec": spec, "cleaner": cleaner, "html": html}


PARENT_POLL = 0.5  # seconds between two looks at the parent, where prctl is not available


def exit_with_parent(parent: int, prctl: bool = True) -> None:
    """End this worker process when `parent` (the process that runs the pool) dies, even by
    SIGKILL (the OOM killer), which gives the pool no chance to stop its workers: they would
    wait on the task queue for good. On Linux the kernel sends SIGKILL when the process that
    forked this one dies (prctl PR_SET_PDEATHSIG); everywhere, a daemon thread also watches
    for this process to be reparented, or for `parent` to be gone (when a fork server
    started the worker, `parent` is not its direct parent)."""
    if prctl and sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    direct = os.getppid()

    def gone() -> bool:
        if os.getppid() != direct:
            return True
        if direct != parent:
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                return True
            except OSError:
                pass
        return False

    def watch() -> None:
        while not gone():
            time.sleep(PARENT_POLL)
        os._exit(1)

    if gone():  # died before this worker could watch
        os._exit(1)
    threading.Thread(target=watch, name="newsclean-parent-watch", daemon=True).start()


def html_cleaner(cleaner) -> Callable[..., str]:
    """`newsclean.clean_html` with this cleaner's options (and profiles): f(html, url=None),
    where `url` is the page's own, for its site and metadata."""
    from .html import clean_html
    return lambda html, url=None: clean_html(html, url, cleaner=cleaner)


class RawNumber:
    """A JSON number that has no finite float value (`1e400`, `-1e400`): kept as its text so
    that it is written back as it came, valid JSON, instead of as `Infinity`."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"RawNumber({self.text!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, RawNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _parse_float(text: str):
    value = float(text)
    return value if math.isfinite(value) else RawNumber(text)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON (strict JSON has no NaN or Infinity)")


def loads_record(s: str):
    """`json.loads` for input records, strict about what JSON is: `NaN`, `Infinity` and
    `-Infinity` (which Python's json module accepts) raise ValueError; a number too large
    for a float comes back as a RawNumber, to be written back unchanged."""
    return json.loads(s, parse_float=_parse_float, parse_constant=_refuse_constant)


# A placeholder for a RawNumber while the record is encoded, replaced by the number's text
# afterwards; random per process, so that no string in a record can be taken for one.
_RAW_TOKEN = f"\x00newsclean-number-{secrets.token_hex(8)}:"
_RAW_PLACEHOLDER = re.compile(re.escape(json.dumps(_RAW_TOKEN)[:-1]) + r'(\d+)"')


def _dumps(obj, ensure_ascii: bool) -> str:
    raws: list[str] = []

    def default(o):
        if isinstance(o, RawNumber):
            raws.append(o.text)
            return f"{_RAW_TOKEN}{len(raws) - 1}"
        raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    s = json.dumps(obj, ensure_ascii=ensure_ascii, allow_nan=False, default=default)
    if raws:
        s = _RAW_PLACEHOLDER.sub(lambda m: raws[int(m.group(1))], s)
    return s


def dumps_line(obj) -> bytes:
    """One line of strict JSON as UTF-8 (never NaN or Infinity: ValueError instead; a
    RawNumber is written as its text); escapes lone surrogates (which UTF-8 cannot encode)
    if any."""
    s = _dumps(obj, ensure_ascii=False)
    try:
        return s.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return _dumps(obj, ensure_ascii=True).encode("ascii") + b"\n"


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, RawNumber)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _reject(name: str, lineno: int, raw: bytes, reason: str) -> tuple:
    text = raw.rstrip(b"\r\n").decode("utf-8", "backslashreplace")
    return (REJECT, dumps_line({"file": name, "line": lineno, "reason": reason, "raw": text}))


def process_record(name: str, lineno: int, raw: bytes, state: dict | None = None) -> tuple:
    """(OK, line, chars in, chars out, changed) or (REJECT, rejects line). `state` is
    make_state()'s (the worker's own, set by init_worker, by default)."""
    state = _worker if state is None else state
    spec: JobSpec = state["spec"]
    cleaner = state["cleaner"]
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _reject(name, lineno, raw, f"invalid UTF-8 at byte {exc.start}")
    try:
        rec = loads_record(s)
    except json.JSONDecodeError as exc:
        return _reject(name, lineno, raw, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except ValueError as exc:  # an integer longer than Python converts; NaN or Infinity
        return _reject(name, lineno, raw, f"invalid JSON: {exc}")
    except RecursionError:
        return _reject(name, lineno, raw, "invalid JSON: nested too deeply")
    if not isinstance(rec, dict):
        return _reject(name, lineno, raw, f"not a JSON object but {_kind(rec)}")
    source = spec.html_field or spec.field
    if source not in rec:
        return _reject(name, lineno, raw, f"missing field {source!r}")
    value = rec[source]
    if not isinstance(value, str):
        return _reject(name, lineno, raw, f"field {source!r} is {_kind(value)}, not a string")
    site = {}
    if spec.url_field is not None and isinstance(rec.get(spec.url_field), str):
        site["url"] = rec[spec.url_field]  # no URL, or one without a site: no profile
    try:
        if state["html"] is not None:
            out = state["html"](value, **site)
        elif spec.meta_field:
            result = cleaner.analyze(value, **site)
            out = result.text
            rec[spec.meta_field] = {"removed": [r.to_dict() for r in result.removed],
                                    "metadata": result.metadata, "version": spec.version,
                                    "rules": spec.rules}
        else:
            out = cleaner.clean(value, **site)
    except Exception as exc:  # a bug in a rule or the cleaner must not lose the record
        return _reject(name, lineno, raw, f"cleaning failed: {type(exc).__name__}: {exc}")
    rec[spec.field] = out
    try:
        line = dumps_line(rec)
    except ValueError as exc:  # a NaN or infinity that the cleaner put in (it does not)
        return _reject(name, lineno, raw, f"cannot be written as strict JSON: {exc}")
    return (OK, line, len(value), len(out), out != value)


def process_batch(batch: list[tuple[str, int, bytes]], state: dict | None = None) -> list[tuple]:
    return [process_record(*item, state=state) for item in batch]


def _results(reader: LineReader, spec: JobSpec, workers: int) -> Iterator[list[tuple]]:
    """Outcomes batch by batch, in input order."""
    batches = _batched(reader, BATCH)
    if workers <= 1:
        init_worker(spec, in_pool=False)
        for batch in batches:
            yield process_batch(batch)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    # A signal must not raise inside the pool's machinery (an exception there, with one of
    # its locks held, can deadlock the shutdown): while the pool runs, SIGINT and SIGTERM
    # only note themselves, and the loop acts on them between batches. A worker that dies
    # (killed, out of memory) breaks the pool with an error instead of a hang.
    pending: list[int] = []
    saved = _defer_signals(pending)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(),
                               initializer=init_worker, initargs=(spec, True, os.getpid()))
    inflight: deque = deque()
    try:
        for batch in batches:
            inflight.append(pool.submit(process_batch, batch))
            if len(inflight) >= workers * IN_FLIGHT_PER_WORKER:
                outcomes = inflight.popleft().result()
                if pending:
                    break
                yield outcomes
        while inflight and not pending:
            outcomes = inflight.popleft().result()
            if pending:
                break
            yield outcomes
        if pending:
            raise _Interrupted(pending[0])
        pool.shutdown(wait=True)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        _restore_signals(saved)
        if pending:
            _deliver(pending[0], saved)


class _Interrupted(Exception):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _defer_signals(pending: list[int]) -> dict:
    if threading.current_thread() is not threading.main_thread():
        return {}
    saved = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        saved[signum] = signal.signal(signum, lambda n, frame: pending.append(n))
    return saved


def _restore_signals(saved: dict) -> None:
    for signum, handler in saved.items():
        signal.signal(signum, handler)


def _deliver(signum: int, saved: dict) -> None:
    """Raise the interruption the way the handler in force before the pool would have."""
    handler = saved.get(signum)
    if callable(handler):
        handler(signum, None)
    raise KeyboardInterrupt


# -- the whole run ------------------------------------------------------------------------------

@dataclass
class Stats:
    records: int = 0
    cleaned: int = 0
    changed: int = 0
    rejected: int = 0
    blank: int = 0
    chars_in: int = 0
    chars_out: int = 0
    rejects_file: Path | None = field(default=None)

    def summary(self) -> str:
        removed = self.chars_in - self.chars_out
        share = f" ({100 * removed / self.chars_in:.1f}%)" if self.chars_in else ""
        line = (f"newsclean: {self.records:,} records: {self.cleaned:,} cleaned ({self.changed:,} changed), "
                f"{self.rejected:,} rejected; characters in {self.chars_in:,}, out {self.chars_out:,}, "
                f"removed {removed:,}{share}")
        if self.blank:
            line += f"; {self.blank:,} blank lines skipped"
        if self.rejects_file is not None:
            line += f"; rejects in {self.rejects_file}"
        return line


def _block_signals(block: bool) -> None:
    if hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread():
        how = signal.SIG_BLOCK if block else signal.SIG_UNBLOCK
        signal.pthread_sigmask(how, {signal.SIGINT, signal.SIGTERM})


def run(paths: list[str], out_path: str | Path, spec: JobSpec, workers: int = 1,
        progress: Callable[[int], None] | None = None, results: Callable | None = None) -> Stats:
    """Clean every record of `paths` into `out_path`. Raises CorpusError on I/O errors;
    on any exception (KeyboardInterrupt included) no output and no rejects file are left.
    results(reader, spec): another source of outcome batches in input order (newsclean.dask)."""
    stats = Stats()
    out = AtomicFile(out_path)
    rej_path = rejects_path(out_path)
    rejects = AtomicFile(rej_path)
    reader = LineReader(paths)
    try:
        out.open()
        source = _results(reader, spec, workers) if results is None else results(reader, spec)
        with closing(source) as batches:
            for outcomes in batches:
                for outcome in outcomes:
                    if outcome[0] == OK:
                        out.write(outcome[1])
                        stats.cleaned += 1
                        stats.chars_in += outcome[2]
                        stats.chars_out += outcome[3]
                        stats.changed += outcome[4]
                    else:
                        rejects.write(outcome[1])
                        stats.rejected += 1
                stats.records += len(outcomes)
                if progress is not None:
                    progress(len(outcomes))
        stats.blank = reader.blank
        _block_signals(True)  # the renames are the last step: don't leave one of two done
        try:
            if rejects.opened:
                rejects.commit()
                stats.rejects_file = rej_path
            out.commit()
            if stats.rejected == 0 and rej_path.exists():
                rej_path.unlink()  # stale, from an earlier run of the same output
        finally:
            _block_signals(False)
    except BaseException:
        out.abort()
        rejects.abort()
        raise
    return stats
