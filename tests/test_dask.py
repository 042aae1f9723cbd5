"""newsclean.dask on a real distributed.LocalCluster (two worker processes): profiles and
cleaned output equal the single-process results exactly, for bags, dataframes and the command."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

dask = pytest.importorskip("dask")
pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import dask.bag as db  # noqa: E402
import dask.dataframe as dd  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import newsclean  # noqa: E402
import newsclean.dask as nd  # noqa: E402
from newsclean import Cleaner, SiteProfiles, cli, learn  # noqa: E402

from conftest import ROOT  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from site_corpus import generate  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    c = Client(cluster, set_as_default=False)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(autouse=True)
def on_cluster(client):
    with client.as_current():
        yield


@pytest.fixture(scope="module")
def corpus():
    sites, pages = generate(sites=5, pages=16, seed=5)
    records = [p.record(i) for i, p in enumerate(pages)]
    records.insert(7, {"id": "no-url", "text": pages[0].text})
    records.insert(20, {"id": "bad-url", "url": "http://", "text": pages[1].text})
    return sites, pages, records


@pytest.fixture(scope="module")
def expected(corpus):
    return learn(corpus[2])


def test_the_work_runs_on_the_cluster(client):
    assert dask.base.get_scheduler() == client.get
    pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(pids) == 2 and __import__("os").getpid() not in pids


@pytest.mark.parametrize("npartitions, buckets", [(6, None), (6, 3), (200, 2)])
def test_learn_on_a_bag_equals_learn(corpus, expected, npartitions, buckets):
    # 200 partitions of one record each: no partition sees a long line twice, so the
    # texts of learned lines come from the second pass.
    bag = db.from_sequence(corpus[2], npartitions=npartitions)
    got = nd.learn(bag, buckets=buckets)
    assert got.to_dict() == expected.to_dict()
    assert len(got) == 5


def test_learn_options_and_pairs(corpus):
    records = corpus[2]
    pairs = db.from_sequence([(r.get("url"), r["text"]) for r in records], npartitions=4)
    assert nd.learn(pairs, min_docs=5, min_share=0.6).to_dict() == learn(records, min_docs=5, min_share=0.6).to_dict()
    with pytest.raises(newsclean.ProfileError):
        nd.learn(pairs, min_docs=1)


def test_learn_on_a_dataframe(corpus, expected):
    frame = pd.DataFrame([{"url": r.get("url"), "text": r["text"]} for r in corpus[2]])
    got = nd.learn(dd.from_pandas(frame, npartitions=3))
    assert got.to_dict() == expected.to_dict()
    with pytest.raises(KeyError):
        nd.learn(dd.from_pandas(frame, npartitions=3), text_field="body")


def test_clean_a_bag_of_records_and_of_text(corpus, expected):
    records = corpus[2]
    cleaner = Cleaner(profiles=expected)
    got = nd.clean(db.from_sequence(records, npartitions=5), profiles=expected).compute()
    assert got == [dict(r, text=cleaner.clean(r["text"], url=r.get("url"))) for r in records]
    assert sum(g["text"] != Cleaner().clean(r["text"]) for g, r in zip(got, records)) > 10
    texts = [r["text"] for r in records]
    assert nd.clean(db.from_sequence(texts, npartitions=3)).compute() == [Cleaner().clean(t) for t in texts]


def test_clean_a_dataframe_and_a_series(corpus, expected):
    records = corpus[2]
    frame = pd.DataFrame([{"id": str(r["id"]), "url": r.get("url"), "text": r["text"]} for r in records])
    frame.loc[3, "text"] = None
    cleaner = Cleaner(profiles=expected)
    got = nd.clean(dd.from_pandas(frame, npartitions=4), cleaner).compute()
    assert list(got.columns) == ["id", "url", "text"] and list(got["id"]) == list(frame["id"])
    for i, r in frame.iterrows():
        if i == 3:
            assert pd.isna(got.loc[i, "text"])
        else:
            url = r["url"] if isinstance(r["url"], str) else None
            assert got.loc[i, "text"] == cleaner.clean(r["text"], url=url)
    series = nd.clean(dd.from_pandas(frame["text"].fillna(""), npartitions=2)).compute()
    assert list(series) == [Cleaner().clean(t) for t in frame["text"].fillna("")]


def test_clean_refuses_other_things():
    with pytest.raises(TypeError):
        nd.clean([1, 2, 3])
    with pytest.raises(TypeError):
        nd.clean(db.from_sequence([1, 2], npartitions=1)).compute()


# -- the command ------------------------------------------------------------------------------

def _write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")


def test_read_jsonl(tmp_path, corpus):
    src = tmp_path / "in.jsonl"
    rows = corpus[2][:10]
    src.write_bytes(b"\xef\xbb\xbf" + b"".join(json.dumps(r).encode() + b"\n" for r in rows[:5]) + b"not json\n\n[1]\n"
                    + b"\xff\xfe\n" + b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows[5:]))
    assert nd.read_jsonl([str(src)], blocksize="1KiB").compute() == rows
    assert nd.read_jsonl([str(src)], keep_bad=True).compute() == rows[:5] + [None, None, None] + rows[5:]
    profiles, pages, skipped = nd.learn_jsonl([str(src)], blocksize="1KiB", min_docs=2, min_share=0.1)
    assert (pages, skipped) == (9, 4)  # rows[7] has no URL; three lines are not records
    assert profiles.to_dict() == learn(rows, min_docs=2, min_share=0.1).to_dict() and len(profiles)


def test_command_on_a_scheduler_address(tmp_path, client, corpus, expected, capsys):
    src = tmp_path / "crawl.jsonl"
    _write(src, corpus[2] + ["not json", {"id": "no-text", "url": "https://a.com/x"}])
    addr = client.scheduler.address
    prof = tmp_path / "p.json"
    assert cli.main(["learn", str(src), "-o", str(prof), "--dask", addr, "-q"]) == 0
    assert SiteProfiles.load(prof).to_dict() == expected.to_dict()
    plain, dasked = tmp_path / "plain.jsonl", tmp_path / "dask.jsonl"
    common = ["--profiles", str(prof), "--meta-field", "nc", "-q"]
    assert cli.main(["jsonl", str(src), "-o", str(plain), "--workers", "1", *common]) == 0
    assert cli.main(["jsonl", str(src), "-o", str(dasked), "--dask", addr, *common]) == 0
    assert dasked.read_bytes() == plain.read_bytes()
    assert (tmp_path / "dask.rejects.jsonl").read_text().replace("dask", "") == \
        (tmp_path / "plain.rejects.jsonl").read_text().replace("plain", "")
    assert len((tmp_path / "dask.rejects.jsonl").read_text().splitlines()) == 2
    assert not list(tmp_path.glob(".*.tmp"))
    capsys.readouterr()


def test_command_with_a_local_cluster(tmp_path, corpus, expected):
    """--dask local, in a child process (its own LocalCluster), through `python -m newsclean`."""
    src = tmp_path / "crawl.jsonl.gz"
    import gzip
    with gzip.open(src, "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(r) + "\n" for r in corpus[2]))
    env = {**__import__("os").environ, "PYTHONPATH": str(ROOT)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "newsclean", *map(str, args)],  # noqa: E731
                                       capture_output=True, env=env, cwd=tmp_path, timeout=240)
    p = run("learn", src, "-o", tmp_path / "p.json", "--dask", "local", "--workers", "2")
    assert p.returncode == 0, p.stderr.decode()[-3000:]
    assert SiteProfiles.load(tmp_path / "p.json").to_dict() == expected.to_dict()
    p = run("jsonl", src, "-o", tmp_path / "o.jsonl", "--profiles", tmp_path / "p.json", "--dask", "local",
            "--workers", "2", "-q")
    assert p.returncode == 0, p.stderr.decode()[-3000:]
    got = [json.loads(x) for x in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    cleaner = Cleaner(profiles=expected)
    assert [g["text"] for g in got] == [cleaner.clean(r["text"], url=r.get("url")) for r in corpus[2]]


def test_command_errors(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(nd, "CONNECT_TIMEOUT", "2s")
    src = tmp_path / "in.jsonl"
    _write(src, [{"url": "https://a.com/1", "text": "x"}])
    assert cli.main(["learn", "-", "-o", str(tmp_path / "p.json"), "--dask", "local"]) == 2
    assert "stdin" in capsys.readouterr().err
    assert cli.main(["jsonl", str(src), "-o", str(tmp_path / "o.jsonl"), "--dask", "tcp://127.0.0.1:9", "-q"]) == 1
    assert "cannot reach the scheduler" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_a_clear_error_without_dask(tmp_path, monkeypatch, capsys):
    monkeypatch.delitem(sys.modules, "newsclean.dask")
    monkeypatch.delattr(newsclean, "dask", raising=False)
    monkeypatch.setitem(sys.modules, "dask", None)  # import dask -> ImportError
    with pytest.raises(ImportError, match=r"newsclean\[dask\]"):
        importlib.import_module("newsclean.dask")
    src = tmp_path / "in.jsonl"
    _write(src, [{"url": "https://a.com/1", "text": "x"}])
    assert cli.main(["learn", str(src), "-o", str(tmp_path / "p.json"), "--dask", "local"]) == 2
    assert "pip install 'newsclean[dask]'" in capsys.readouterr().err
