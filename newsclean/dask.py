"""Scale-out on Dask: clean and learn over dask bags and dataframes; `--dask` for the command.

    import dask.bag as db, newsclean, newsclean.dask
    records = db.read_text("crawl-*.jsonl").map(json.loads)
    profiles = newsclean.dask.learn(records, url_field="url")
    cleaned = newsclean.dask.clean(records, profiles=profiles)          # a bag of records

The same code runs on whatever scheduler is active: a `distributed.Client` on a laptop's
LocalCluster or on a real cluster, or Dask's default threads.

Learning is map-reduce. Each partition counts its pages into `LineCounts` (per site, pages
per line digest; the text only of short lines and of lines seen on two of its pages); the
counts are split by digest into buckets, each bucket is merged across partitions in a tree
on its own (so no task holds every line of the corpus), and the thresholds are applied
once per bucket to the merged totals. Only the learned lines reach the client. A learned
line that no partition kept the text of (a long line seen once per partition) is looked up
in a second pass over the partitions.

Needs `dask[bag]` and `distributed` (`pip install 'newsclean[dask]'`); dataframes need
`dask[dataframe]`. The core library never imports this module.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from contextlib import contextmanager
from typing import Iterator

try:
    import dask
    import dask.bag as db
    from dask import delayed
except ImportError as _exc:  # pragma: no cover - exercised without dask installed
    raise ImportError("newsclean.dask needs Dask: pip install 'newsclean[dask]' "
                      "(dask[bag,dataframe] and distributed)") from _exc

from . import corpus, fileio
from .cleaner import Cleaner
from .sites import (MIN_DOCS, MIN_SHARE, LineCounts, SiteProfiles, build_profiles, check_thresholds,
                    find_keys, missing_keys, parse_json_record, registered_domain)

SPLIT_EVERY = 8  # partitions merged per task in the reduction tree
MAX_BUCKETS = 32
JSONL_BATCH = 256  # records per task of `newsclean jsonl --dask`
IN_FLIGHT_PER_WORKER = 4
CONNECT_TIMEOUT = "20s"  # to reach a scheduler given by its address


# -- cleaning ---------------------------------------------------------------------------------

def _cleaner_node(cleaner: Cleaner):
    # One graph node holding the Cleaner (and its profiles), sent once to each worker rather
    # than copied into every task; a random name spares hashing a large object.
    return delayed(cleaner, name=f"newsclean-cleaner-{uuid.uuid4().hex}")


def _clean_item(item, cleaner: Cleaner, field: str, url_field: str | None):
    if isinstance(item, str):
        return cleaner.clean(item)
    if hasattr(item, "get") and hasattr(item, "items"):
        if field not in item:
            raise KeyError(f"newsclean.dask.clean: a record has no field {field!r}")
        url = item.get(url_field) if url_field else None
        out = dict(item)
        out[field] = cleaner.clean(item[field], url=url if isinstance(url, str) else None)
        return out
    raise TypeError(f"newsclean.dask.clean: expected str or dict records, not {type(item).__name__}")


def _clean_partition(items, cleaner: Cleaner, field: str, url_field: str | None) -> list:
    return [_clean_item(x, cleaner, field, url_field) for x in items]


def _clean_values(texts, urls, cleaner: Cleaner) -> list:
    out = []
    for text, url in zip(texts, urls):
        if isinstance(text, str):  # missing values (None, NaN) stay as they are
            text = cleaner.clean(text, url=url if isinstance(url, str) else None)
        out.append(text)
    return out


def _clean_frame(df, cleaner: Cleaner, field: str, url_field: str | None):
    import pandas as pd
    urls = df[url_field] if url_field and url_field in df.columns else [None] * len(df)
    out = df.copy()
    out[field] = pd.Series(_clean_values(df[field], urls, cleaner), index=df.index, dtype=df[field].dtype)
    return out


def _clean_series(s, cleaner: Cleaner):
    import pandas as pd
    return pd.Series(_clean_values(s, [None] * len(s), cleaner), index=s.index, dtype=s.dtype, name=s.name)


def clean(collection, cleaner: Cleaner | None = None, *, field: str = "text", url_field: str | None = "url",
          **options):
    """Clean a dask collection lazily (call `.compute()` or write it out):

    * a bag of str -> a bag of cleaned str;
    * a bag of dicts -> a bag of copies with `field` cleaned, the site read from `url_field`;
    * a dataframe -> the same frame with its `field` column cleaned (the site from its
      `url_field` column when there is one; missing values stay missing);
    * a series of text -> the cleaned series.

    `cleaner` is used as given; otherwise one is made from `options` (those of `Cleaner`,
    `profiles=` included)."""
    cleaner = Cleaner(**options) if cleaner is None else cleaner
    node = _cleaner_node(cleaner)
    if isinstance(collection, db.Bag):
        return collection.map_partitions(_clean_partition, node, field, url_field)
    meta = getattr(collection, "_meta", None)
    if meta is not None and hasattr(meta, "columns"):
        if field not in meta.columns:
            raise KeyError(f"newsclean.dask.clean: the dataframe has no column {field!r}")
        return collection.map_partitions(_clean_frame, node, field, url_field, meta=meta)
    if meta is not None and hasattr(meta, "dtype"):
        return collection.map_partitions(_clean_series, node, meta=meta)
    raise TypeError(f"newsclean.dask.clean: expected a dask bag, dataframe or series, not {type(collection).__name__}")


# -- learning ---------------------------------------------------------------------------------

def _count(records, url_field: str, text_field: str) -> LineCounts:
    counts = LineCounts(keep_short=True)
    for record in records:
        counts.add_record(record, url_field, text_field)
    return counts


def _count_partition(records, url_field: str, text_field: str, json_lines: bool = False) -> list:
    # The records may be a stream (a file's lines, parsed here): the counts are the
    # partition's only result, a list as a bag's partitions are.
    return [_count(_parse_lines(records) if json_lines else records, url_field, text_field)]


def _frame_records(df, url_field: str, text_field: str):
    return zip(df[url_field], df[text_field])  # (url, text) pairs


def _count_frame(df, url_field: str, text_field: str) -> list:
    return [_count(_frame_records(df, url_field, text_field), url_field, text_field)]


def _bucket(part: list, k: int, n: int) -> LineCounts:
    return part[0].bucket(k, n)


def _merge(*counts: LineCounts) -> LineCounts:
    out = counts[0]
    for c in counts[1:]:
        out = out.merge(c)
    return out


def _totals(part: list) -> tuple[dict, int]:
    return dict(part[0].docs), part[0].skipped


def _add_totals(*totals: tuple[dict, int]) -> tuple[dict, int]:
    docs: dict[str, int] = {}
    skipped = 0
    for d, s in totals:
        skipped += s
        for site, n in d.items():
            docs[site] = docs.get(site, 0) + n
    return docs, skipped


def _frequent(counts: LineCounts, totals: tuple[dict, int], min_docs: int, min_share: float) -> dict:
    return counts.frequent(totals[0], min_docs, min_share)


def _tree(nodes: list, fn):
    """Combine delayed values SPLIT_EVERY at a time until one is left."""
    while len(nodes) > 1:
        nodes = [delayed(fn)(*nodes[i:i + SPLIT_EVERY]) for i in range(0, len(nodes), SPLIT_EVERY)]
    return nodes[0]


def _find_partition(records, wanted: dict, url_field: str, text_field: str, json_lines: bool = False) -> list:
    return [find_keys(_parse_lines(records) if json_lines else records, wanted, url_field, text_field)]


def _find_frame(df, wanted: dict, url_field: str, text_field: str) -> list:
    return [find_keys(_frame_records(df, url_field, text_field), wanted, url_field, text_field)]


def _union(*found: list) -> list:
    out: dict = {}
    for part in found:
        for site, keys in part[0].items():
            out.setdefault(site, {}).update(keys)
    return [out]


def _partitions(collection, bag_fn, frame_fn, *args, json_lines: bool = False) -> list:
    """One delayed [result] per partition of a bag (records, or (url, text) pairs) or dataframe."""
    if isinstance(collection, db.Bag):
        # map_partitions fuses with the reading of each partition, which may be a stream.
        return list(collection.map_partitions(bag_fn, *args, json_lines).to_delayed())
    if hasattr(collection, "to_delayed") and hasattr(getattr(collection, "_meta", None), "columns"):
        return [delayed(frame_fn)(part, *args) for part in collection.to_delayed()]
    raise TypeError(f"newsclean.dask.learn: expected a dask bag or dataframe, not {type(collection).__name__}")


def learn_with_stats(collection, url_field: str = "url", text_field: str = "text", min_docs: int = MIN_DOCS,
                     min_share: float = MIN_SHARE, buckets: int | None = None,
                     json_lines: bool = False) -> tuple[SiteProfiles, int, int]:
    """learn(), also returning (pages counted, records skipped). json_lines: the bag holds
    the lines of JSON Lines files, read as Latin-1 (`learn_jsonl`)."""
    check_thresholds(min_docs, min_share)
    if hasattr(collection, "_meta") and hasattr(collection._meta, "columns"):
        missing = [c for c in (url_field, text_field) if c not in collection._meta.columns]
        if missing:
            raise KeyError(f"newsclean.dask.learn: the dataframe has no column {missing[0]!r}")
    parts = _partitions(collection, _count_partition, _count_frame, url_field, text_field, json_lines=json_lines)
    n = buckets or max(1, min(MAX_BUCKETS, len(parts) // SPLIT_EVERY))
    totals = _tree([delayed(_totals)(p) for p in parts], _add_totals)
    found_nodes = [delayed(_frequent)(_tree([delayed(_bucket)(p, k, n) for p in parts], _merge),
                                      totals, min_docs, min_share) for k in range(n)]
    (docs, skipped), *found_parts = dask.compute(totals, *found_nodes)
    found: dict[str, dict] = {}
    for part in found_parts:  # buckets hold disjoint digests
        for site, hits in part.items():
            found.setdefault(site, {}).update(hits)
    wanted = missing_keys(found)
    if wanted:
        keys = _tree(_partitions(collection, _find_partition, _find_frame, wanted, url_field, text_field,
                                 json_lines=json_lines), _union)
        (keys,) = dask.compute(keys)
        for site, by_digest in keys[0].items():
            for h, key in by_digest.items():
                found[site][h][1] = key
    return build_profiles(found, docs, min_docs, min_share), sum(docs.values()), skipped


def learn(collection, url_field: str = "url", text_field: str = "text", min_docs: int = MIN_DOCS,
          min_share: float = MIN_SHARE, buckets: int | None = None) -> SiteProfiles:
    """newsclean.learn over a dask bag (of dict records, or (url, text) pairs) or a dataframe
    (with `url_field` and `text_field` columns); computes with the active scheduler. The
    result equals newsclean.learn over the same records."""
    return learn_with_stats(collection, url_field, text_field, min_docs, min_share, buckets)[0]


# -- the command's --dask ---------------------------------------------------------------------

@contextmanager
def session(address: str, workers: int = 1):
    """A Client for `--dask`: 'local' starts a LocalCluster of `workers` processes (one
    thread each) for the length of the run; anything else is a scheduler's address."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ImportError("--dask needs Dask's 'distributed' package: pip install 'newsclean[dask]'") from None
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        else:
            client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise fileio.CorpusError(f"--dask {address}: cannot reach the scheduler: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


_states: dict[str, dict] = {}  # worker side: run token -> corpus.make_state(spec)
_states_lock = threading.Lock()


def _jsonl_batch(token: str, spec: corpus.JobSpec, batch: list) -> list:
    state = _states.get(token)
    if state is None:
        with _states_lock:
            state = _states.get(token)
            if state is None:
                state = corpus.make_state(spec)
                while len(_states) >= 4:  # runs that ended; a worker may serve many
                    _states.pop(next(iter(_states)))
                _states[token] = state
    return corpus.process_batch(batch, state)


def jsonl_results(reader, spec: corpus.JobSpec, client) -> Iterator[list]:
    """Outcome batches of `newsclean jsonl`, cleaned on the cluster, in input order: the
    input is read here and sent in batches, a few per worker thread in flight, so memory
    stays flat and the output and rejects are written here exactly as without Dask."""
    spec_future = client.scatter(spec, broadcast=True, hash=False)
    token = uuid.uuid4().hex
    slots = max(1, sum(client.nthreads().values())) * IN_FLIGHT_PER_WORKER
    inflight: deque = deque()
    try:
        for batch in corpus._batched(reader, JSONL_BATCH):
            inflight.append(client.submit(_jsonl_batch, token, spec_future, batch, pure=False))
            if len(inflight) >= slots:
                yield inflight.popleft().result()
        while inflight:
            yield inflight.popleft().result()
    finally:
        for f in inflight:
            f.cancel()


def _parse_lines(lines) -> Iterator[dict | None]:
    """JSON Lines read as Latin-1 (so every byte survives) -> records; None for a bad line,
    exactly as the command reads them without Dask; blank lines are skipped."""
    first = True
    for line in lines:
        raw = line.encode("latin-1")
        if first and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        first = False
        if raw.strip():
            yield parse_json_record(raw)


def _text_lines(paths: list[str], blocksize: str = "64MiB"):
    compressed = any(p.endswith((".gz", ".zst")) for p in paths)
    return db.read_text(paths, encoding="latin-1", compression="infer",
                        blocksize=None if compressed else blocksize, linedelimiter="\n")


def _parsed(lines, keep_bad: bool) -> list:
    return [r for r in _parse_lines(lines) if keep_bad or r is not None]


def read_jsonl(paths: list[str], blocksize: str = "64MiB", keep_bad: bool = False):
    """A bag of the records (dicts) of JSON Lines files, read by the workers (the paths must
    be reachable from them). Lines that are not a UTF-8 JSON object are dropped (None with
    keep_bad). A compressed file is one partition, held in memory: to learn from large
    compressed files, use learn_jsonl, which counts them as a stream."""
    return _text_lines(paths, blocksize).map_partitions(_parsed, keep_bad)


def learn_jsonl(paths: list[str], url_field: str = "url", text_field: str = "text", min_docs: int = MIN_DOCS,
                min_share: float = MIN_SHARE, blocksize: str = "64MiB") -> tuple[SiteProfiles, int, int]:
    """(profiles, pages counted, records skipped) of JSON Lines files, read by the workers
    line by line (`newsclean learn --dask`); bad lines count as skipped."""
    return learn_with_stats(_text_lines(paths, blocksize), url_field, text_field, min_docs, min_share,
                            json_lines=True)


__all__ = ["clean", "learn", "learn_with_stats", "learn_jsonl", "read_jsonl", "session", "jsonl_results", "registered_domain"]
