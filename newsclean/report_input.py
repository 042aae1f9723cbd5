"""The audit report's input: records read from JSON Lines files (or given as dicts), with
the reasons a line is not a usable record (as in `newsclean jsonl`), and the site of a URL."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import corpus
from .domains import registered_domain


REJECT_RAW = 200  # characters of a rejected line shown


# -- reading ----------------------------------------------------------------------------------

@dataclass(slots=True)
class Record:
    """One usable input record."""

    src: str  # 'file:line', or '#n' for records given to build_report
    value: str  # the text (or HTML) to clean
    url: str | None = None
    id: str | None = None


@dataclass(slots=True)
class Reject:
    src: str
    reason: str
    raw: str = ""


def _kind(value) -> str:
    return corpus._kind(value)


def _as_record(obj, src: str, field: str, url_field: str | None, id_field: str | None,
               raw: str = "") -> Record | Reject:
    """A record from a decoded JSON value, or why it cannot be one (reasons as in `jsonl`)."""
    if not isinstance(obj, dict):
        return Reject(src, f"not a JSON object but {_kind(obj)}", raw)
    if field not in obj:
        return Reject(src, f"missing field {field!r}", raw)
    value = obj[field]
    if not isinstance(value, str):
        return Reject(src, f"field {field!r} is {_kind(value)}, not a string", raw)
    url = obj.get(url_field) if url_field else None
    ident = obj.get(id_field) if id_field else None
    if isinstance(ident, (int, float)) and not isinstance(ident, bool):
        ident = str(ident)
    return Record(src, value, url if isinstance(url, str) else None,
                  ident if isinstance(ident, str) else None)


def read_jsonl(paths: Iterable[str], field: str = "text", url_field: str | None = None,
               id_field: str | None = "id", reader: corpus.LineReader | None = None
               ) -> Iterator[Record | Reject]:
    """Records (or rejects) of JSON Lines files, streamed; raises fileio.CorpusError on I/O errors."""
    reader = reader or corpus.LineReader(paths)
    for name, lineno, raw in reader:
        src = f"{name}:{lineno}"
        try:
            s = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Reject(src, f"invalid UTF-8 at byte {exc.start}", _raw_text(raw))
            continue
        try:
            obj = json.loads(s)
        except json.JSONDecodeError as exc:
            yield Reject(src, f"invalid JSON: {exc.msg} at column {exc.colno}", _raw_text(raw))
            continue
        except ValueError as exc:  # e.g. an integer longer than Python converts
            yield Reject(src, f"invalid JSON: {exc}", _raw_text(raw))
            continue
        except RecursionError:
            yield Reject(src, "invalid JSON: nested too deeply", _raw_text(raw))
            continue
        rec = _as_record(obj, src, field, url_field, id_field)
        if isinstance(rec, Reject):
            rec.raw = _raw_text(raw)
        yield rec


def _raw_text(raw: bytes) -> str:
    text = raw[:REJECT_RAW * 4].rstrip(b"\r\n").decode("utf-8", "backslashreplace")
    return text if len(text) <= REJECT_RAW else text[:REJECT_RAW] + "…"


# -- sites ------------------------------------------------------------------------------------

def site_of(url: str | None) -> str | None:
    """The site of a URL, as everywhere in newsclean (`newsclean.registered_domain`: the
    Public Suffix List shipped in `tld`, never fetched): 'https://www.bbc.co.uk/news/x' ->
    'bbc.co.uk'; None when it names no host."""
    return registered_domain(url)
