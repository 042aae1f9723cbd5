"""The `newsclean` command, driven end to end as a subprocess; plus pickling, threads, clean_many.

Expected outputs are computed in-process with `Cleaner` at test time, so these tests check
the command's plumbing (I/O, order, rejects, exit codes), not the cleaner's judgement.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import newsclean
from newsclean import Cleaner

from conftest import interrupted_jsonl_run

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "fixtures" / "en").glob("*.in.txt"))

PAGE = """Skip to main content
Share this article
City council approves budget after long debate

By Jane Doe
Updated: July 9, 2021 10:12 AM

The city council voted 7-2 on Monday night to approve a budget of $48 million for next year, ending a debate that ran past midnight.

The mayor said the plan would cut the deficit over three years without raising property taxes, though two members said the numbers relied on optimistic forecasts.

ADVERTISEMENT

Residents who spoke at the meeting were split, with several asking the council to restore money for the public library's weekend hours.

© 2021 Example Media. All rights reserved.
"""


def page(i: int) -> str:
    """Varied small documents: the page with numbered prose and, sometimes, fewer chrome lines."""
    text = PAGE.replace("7-2", f"{i % 9}-{i % 7}").replace("$48", f"${i}")
    if i % 3 == 0:
        text = text.replace("ADVERTISEMENT\n\n", "")
    if i % 5 == 0:
        text = "Sign in\n" + text
    return text


def run(*args, stdin: str | bytes | None = None, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "newsclean", *map(str, args)], input=data,
                          capture_output=True, cwd=cwd or ROOT, env=_env(), timeout=timeout)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("NO_COLOR", None)
    return env


def write_jsonl(path: Path, records) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


# -- clean -------------------------------------------------------------------------------------

def test_clean_file_to_stdout(tmp_path, cleaner):
    f = tmp_path / "page.txt"
    f.write_text(PAGE, encoding="utf-8")
    p = run("clean", f)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == cleaner.clean(PAGE) + "\n"
    assert b"Share this article" not in p.stdout


@pytest.mark.parametrize("args", [(), ("-",)])
def test_clean_stdin(args, cleaner):
    p = run("clean", *args, stdin=PAGE)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == cleaner.clean(PAGE) + "\n"


def test_clean_output_dir(tmp_path, cleaner):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"p{i}.txt").write_text(page(i), encoding="utf-8")
    out = tmp_path / "out" / "nested"
    p = run("clean", "-o", out, *sorted(src.iterdir()))
    assert p.returncode == 0, p.stderr
    assert p.stdout == b""
    assert sorted(x.name for x in out.iterdir()) == ["p0.txt", "p1.txt", "p2.txt"]
    for i in range(3):
        assert (out / f"p{i}.txt").read_text(encoding="utf-8") == cleaner.clean(page(i)) + "\n"


def test_clean_options_reach_the_cleaner(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text(PAGE, encoding="utf-8")
    p = run("clean", "--no-title", "--disable", "ad", "--lang", "en", f)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == Cleaner(disable=["ad"], keep_title=False).clean(PAGE) + "\n"


def test_html_input(tmp_path):
    body = "".join(f"<p>{p}</p>" for p in PAGE.split("\n\n")[1:4])
    html = (f"<html><head><title>T</title></head><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav>"
            f"<article><h1>A headline for the test page</h1>{body}</article>"
            f"<footer>© 2024 Example Media Group. All rights reserved.</footer></body></html>")
    f = tmp_path / "page.html"
    f.write_text(html, encoding="utf-8")
    p = run("clean", "--html", f)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == newsclean.clean_html(html) + "\n"
    assert "All rights reserved" not in p.stdout.decode()
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": 1, "html": html}])
    p = run("jsonl", "--html-field", "html", "--field", "text", src, "-o", tmp_path / "o.jsonl")
    assert p.returncode == 0, p.stderr
    rec = json.loads((tmp_path / "o.jsonl").read_text(encoding="utf-8"))
    assert rec["text"] == newsclean.clean_html(html) and rec["html"] == html


# -- jsonl -------------------------------------------------------------------------------------

def _compress(path: Path, kind: str) -> Path:
    data = path.read_bytes()
    if kind == "gz":
        target = path.with_name(path.name + ".gz")
        target.write_bytes(gzip.compress(data))
    elif kind == "zst":
        zstandard = pytest.importorskip(
            "zstandard", reason="zstandard is not installed: .jsonl.zst input cannot be read")
        target = path.with_name(path.name + ".zst")
        target.write_bytes(zstandard.ZstdCompressor().compress(data))
    else:
        target = path
    return target


@pytest.mark.parametrize("kind", ["plain", "gz", "zst"])
def test_jsonl_formats(tmp_path, cleaner, kind):
    records = [{"id": i, "text": page(i), "url": f"https://example.com/{i}", "tags": ["a", None, 1.5]}
               for i in range(20)]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, records)
    src = _compress(src, kind)
    out = tmp_path / "out.jsonl"
    p = run("jsonl", src, "-o", out, "--field", "text", "--workers", "1")
    assert p.returncode == 0, p.stderr
    got = read_jsonl(out)
    assert [r["id"] for r in got] == list(range(20))
    for r, orig in zip(got, records):
        assert r == {**orig, "text": cleaner.clean(orig["text"])}
        assert list(r) == list(orig)  # field order kept
    assert not (tmp_path / "out.rejects.jsonl").exists()
    assert b"20 records" in p.stderr and b"0 rejected" in p.stderr


def broken_corpus(n: int) -> tuple[list[str], list[int], dict[int, str]]:
    """n lines, ~10% broken: bad JSON, not an object, missing field, non-string field."""
    lines, good, bad = [], [], {}
    for i in range(n):
        k = i % 20
        if k == 3:
            lines.append('{"id": %d, "text": "unterminated\n' % i)
            bad[i + 1] = "invalid JSON"
        elif k == 9:
            lines.append(json.dumps({"id": i, "body": "no text field"}) + "\n")
            bad[i + 1] = "missing field"
        elif k == 14:
            lines.append(json.dumps({"id": i, "text": [page(i)]}) + "\n")
            bad[i + 1] = "not a string"
        elif i == 17:
            lines.append("[1, 2, 3]\n")
            bad[i + 1] = "not a JSON object"
        else:
            lines.append(json.dumps({"id": i, "text": page(i)}) + "\n")
            good.append(i)
    return lines, good, bad


@pytest.mark.parametrize("workers", [1, 2])
def test_jsonl_nothing_lost(tmp_path, cleaner, workers):
    lines, good, bad = broken_corpus(200)
    src = tmp_path / "corpus.jsonl"
    write_jsonl(src, lines)
    out = tmp_path / "clean.jsonl"
    p = run("jsonl", src, "-o", out, "--workers", workers)
    assert p.returncode == 0, p.stderr
    got = read_jsonl(out)
    rejects = read_jsonl(tmp_path / "clean.rejects.jsonl")
    assert len(got) + len(rejects) == len(lines) == 200
    assert [r["id"] for r in got] == good  # input order
    assert [r["text"] for r in got] == [cleaner.clean(page(i)) for i in good]
    assert [r["line"] for r in rejects] == sorted(bad)
    for r in rejects:
        assert set(r) == {"file", "line", "reason", "raw"}
        assert r["file"] == str(src)
        assert bad[r["line"]] in r["reason"]
        assert r["raw"] == lines[r["line"] - 1].rstrip("\n")
    assert f"{len(bad)} rejected".encode() in p.stderr


def test_jsonl_meta_field(tmp_path, cleaner):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": page(i), "n": i} for i in range(5)])
    out = tmp_path / "out.jsonl"
    p = run("jsonl", src, "-o", out, "--meta-field", "newsclean", "--workers", "1")
    assert p.returncode == 0, p.stderr
    label = ",".join(f"{pk.name}={pk.version}" for pk in cleaner.packs)
    for i, rec in enumerate(read_jsonl(out)):
        expected = cleaner.analyze(page(i))
        meta = rec["newsclean"]
        assert set(meta) == {"removed", "metadata", "version", "rules"}
        assert meta["version"] == newsclean.__version__
        assert meta["rules"] == label
        assert meta["removed"] == [r.to_dict() for r in expected.removed]
        assert meta["metadata"] == json.loads(json.dumps(expected.metadata))
        assert rec["text"] == expected.text and rec["n"] == i


def test_jsonl_strict(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": PAGE}, "not json\n", {"text": PAGE}])
    out = tmp_path / "out.jsonl"
    p = run("jsonl", src, "-o", out, "--strict", "--workers", "1")
    assert p.returncode == 3, p.stderr
    assert len(read_jsonl(out)) == 2 and len(read_jsonl(tmp_path / "out.rejects.jsonl")) == 1
    write_jsonl(src, [{"text": PAGE}])
    p = run("jsonl", src, "-o", out, "--strict", "--workers", "1")
    assert p.returncode == 0, p.stderr
    assert not (tmp_path / "out.rejects.jsonl").exists()  # the stale one from the last run is gone


def test_jsonl_several_inputs_and_stdin(tmp_path, cleaner):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"
    write_jsonl(a, [{"id": 0, "text": page(0)}])
    b.write_bytes(gzip.compress(b'{"id": 1, "text": "x"}\n\n{"id": 2}\n'))
    out = tmp_path / "out.jsonl"
    p = run("jsonl", a, b, "-", "-o", out, "--workers", "1",
            stdin=json.dumps({"id": 3, "text": page(3)}) + "\n")
    assert p.returncode == 0, p.stderr
    assert [r["id"] for r in read_jsonl(out)] == [0, 1, 3]
    [rej] = read_jsonl(tmp_path / "out.rejects.jsonl")
    assert (rej["file"], rej["line"]) == (str(b), 3)


# -- explain, rules ----------------------------------------------------------------------------

def test_explain_plain(tmp_path, cleaner):
    f = tmp_path / "page.txt"
    f.write_text(PAGE, encoding="utf-8")
    p = run("explain", f)
    assert p.returncode == 0, p.stderr
    out = p.stdout.decode().splitlines()
    src = PAGE.splitlines()
    assert len(out) == len(src)
    assert "\033[" not in p.stdout.decode()  # not a terminal: no colour
    removed = {r.line: r for r in cleaner.analyze(PAGE).removed}
    assert removed
    for i, (shown, line) in enumerate(zip(out, src)):
        if i in removed and removed[i].text == line:
            assert shown.startswith(f"- [{removed[i].rule}] {line}")
            assert shown.endswith(f"    # {removed[i].reason}")
        elif i not in removed:
            assert shown == (f"  {line}" if line else "")


def test_explain_hard_wrapped_text_shows_every_input_line(cleaner):
    import textwrap
    prose = [f"Paragraph {k}: the city council voted on Monday night to approve a budget of ${k} million "
             "for next year, ending a debate that ran past midnight in the old town hall." for k in range(4)]
    tail = ("Copyright 2021 The Valley Courier. All rights reserved. This material may not be published, "
            "broadcast, rewritten or redistributed without written permission.")
    text = ("City council approves budget after long debate\n\n"
            + "\n\n".join(textwrap.fill(x, 78) for x in prose + [tail]) + "\n")
    p = run("explain", "-", stdin=text)
    assert p.returncode == 0, p.stderr
    shown, src = p.stdout.decode().splitlines(), text.splitlines()
    assert len(shown) == len(src)
    whole = {r.line for r in cleaner.analyze(text).removed if r.text == src[r.line] and r.text}
    for i, (out, line) in enumerate(zip(shown, src)):
        if i in whole:  # every line of a removed wrapped paragraph is marked, not just its first
            assert out.startswith("- [") and f"] {line}    # " in out, (i, out)
        else:
            assert out in (f"  {line}" if line else "",) or out.startswith("~ ["), (i, out)


def test_explain_json_stdin(cleaner):
    p = run("explain", "--json", "-", stdin=PAGE)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert set(doc) == {"text", "removed", "metadata", "version", "rules"}
    expected = cleaner.analyze(PAGE)
    assert doc["text"] == expected.text
    assert doc["removed"] == [r.to_dict() for r in expected.removed]
    assert doc["version"] == newsclean.__version__


def test_rules_listing(cleaner):
    p = run("rules")
    assert p.returncode == 0, p.stderr
    rows = [line.split("\t") for line in p.stdout.decode().splitlines()]
    assert all(len(r) == 4 for r in rows)
    assert [r[0] for r in rows] == [r.id for r in cleaner.ruleset.rules]
    first = cleaner.ruleset.rules[0]
    assert rows[0] == [first.id, first.category, ",".join(first.languages), first.description]


def test_rules_filters(cleaner):
    category = cleaner.ruleset.rules[0].category
    p = run("rules", "--category", category)
    assert p.returncode == 0, p.stderr
    ids = [line.split("\t")[0] for line in p.stdout.decode().splitlines()]
    assert ids == [r.id for r in cleaner.ruleset.rules if r.category == category]
    p = run("rules", "--lang", "xx")
    ids = [line.split("\t")[0] for line in p.stdout.decode().splitlines()]
    assert ids == [r.id for r in cleaner.ruleset.rules if "*" in r.languages]
    assert run("rules", "--category", "no-such-category").returncode == 2


def test_extra_rule_pack(tmp_path):
    pack = tmp_path / "site.toml"
    pack.write_text('[pack]\nname = "site"\nversion = "1.2"\nlanguages = ["en"]\n\n[[rules]]\n'
                    'id = "widget.zebra-marker"\ndescription = "A test marker."\n'
                    'phrases = ["Zebra widget marker"]\nexamples = ["Zebra widget marker"]\n',
                    encoding="utf-8")
    text = PAGE.replace("ADVERTISEMENT", "Zebra widget marker")
    p = run("explain", "--json", "--rules", pack, "-", stdin=text)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert "widget.zebra-marker" in {r["rule"] for r in doc["removed"]}
    assert doc["rules"].endswith(",site=1.2")
    p = run("rules", "--rules", pack, "--category", "widget")
    assert "widget.zebra-marker\twidget\ten\tA test marker." in p.stdout.decode().splitlines()


# -- exit codes --------------------------------------------------------------------------------

def test_usage_errors_exit_2(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text(PAGE, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text("x = [", encoding="utf-8")
    for args in (["clean", "--disable", "no-such.rule", f], ["clean", "--rules", bad, f],
                 ["jsonl", f, "-o", tmp_path / "o.jsonl", "--disable", "nope"],
                 ["jsonl", f], ["frobnicate"], ["clean", "--no-such-option"],
                 ["jsonl", f, "-o", tmp_path / "o.jsonl", "--workers", "0"]):
        p = run(*args)
        assert p.returncode == 2, (args, p.stderr)
        assert p.stderr.strip() and b"Traceback" not in p.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_io_errors_exit_1(tmp_path):
    p = run("clean", tmp_path / "missing.txt")
    assert p.returncode == 1 and b"missing.txt" in p.stderr
    p = run("jsonl", tmp_path / "missing.jsonl", "-o", tmp_path / "o.jsonl")
    assert p.returncode == 1 and b"missing.jsonl" in p.stderr
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": PAGE}])
    p = run("jsonl", src, "-o", tmp_path / "no" / "such" / "dir" / "o.jsonl")
    assert p.returncode == 1 and b"cannot write" in p.stderr
    assert b"Traceback" not in p.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_version_and_help():
    p = run("--version")
    assert p.returncode == 0 and newsclean.__version__ in p.stdout.decode()
    p = run("--help")
    assert p.returncode == 0 and b"examples:" in p.stdout
    for command in ("clean", "jsonl", "explain", "rules"):
        assert command.encode() in p.stdout


def test_bench_is_delegated():
    p = run("bench", "--help")
    if importlib.util.find_spec("newsclean.bench") is None:
        assert p.returncode == 2 and b"bench" in p.stderr
    else:  # everything after 'bench' goes to newsclean.bench.main
        assert p.returncode == 0, p.stderr
        assert b"usage" in p.stdout.lower()


# -- interruption ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    texts = [f.read_text(encoding="utf-8") for f in FIXTURES[:20]] or [page(i) * 4 for i in range(20)]
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    write_jsonl(path, ({"id": i, "text": texts[i % len(texts)]} for i in range(20_000)))
    return path


@pytest.mark.parametrize("sig,workers", [(signal.SIGTERM, 2), (signal.SIGINT, 2), (signal.SIGTERM, 1)])
def test_interrupted_run_leaves_nothing(tmp_path, big_corpus, sig, workers):
    out = tmp_path / "out.jsonl"
    returncode, err = interrupted_jsonl_run(big_corpus, out, workers, _env(), sig, wait=30)
    assert returncode != 0
    assert returncode == 128 + sig, err
    assert list(tmp_path.iterdir()) == [], "output, rejects or temporary files were left behind"
    assert b"Traceback" not in err


# -- the library, as the command and the recipes use it ----------------------------------------

def test_pandas_map():
    pd = pytest.importorskip("pandas", reason="pandas is not installed")
    cleaner = Cleaner()
    df = pd.DataFrame({"text": [page(i) for i in range(10)]})
    df["clean"] = df["text"].map(cleaner.clean)
    assert list(df["clean"]) == [cleaner.clean(page(i)) for i in range(10)]


def test_pickled_cleaner_cleans_the_same():
    cleaner = Cleaner(disable=["social", "heuristic.tail"], keep_title=False)
    copy = pickle.loads(pickle.dumps(cleaner))
    texts = [page(i) for i in range(10)]
    assert [copy.clean(t) for t in texts] == [cleaner.clean(t) for t in texts]
    assert copy.clean(PAGE) != Cleaner().clean(PAGE)  # the options survived


def test_threads_clean_like_sequential():
    cleaner = Cleaner()
    texts = [page(i) for i in range(200)]
    expected = [cleaner.clean(t) for t in texts]
    got: list = [None] * len(texts)
    barrier = threading.Barrier(8)

    def work(k: int) -> None:
        barrier.wait()
        for i in range(k, len(texts), 8):
            got[i] = cleaner.clean(texts[i])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == expected


def test_clean_many_keeps_order():
    cleaner = Cleaner()
    texts = [page(i) for i in range(150)]
    assert list(cleaner.clean_many(texts, workers=2)) == [cleaner.clean(t) for t in texts]


def test_an_integer_too_long_to_convert_is_a_reject_not_an_abort(tmp_path):
    """Found by fuzzing: json.loads raises ValueError (not JSONDecodeError) for integers of
    more than 4,300 digits, which used to abort the whole run."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "' + PAGE.replace("\n", "\\n").replace('"', '\\"') + '"}\n'
                   + '{"text": "x", "n": ' + "9" * 5000 + "}\n"
                   + '{"text": "Second record."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    p = run("jsonl", src, "-o", out, "--workers", "1")
    assert p.returncode == 0, p.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2
    rejects = (tmp_path / "out.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rejects) == 1 and json.loads(rejects[0])["line"] == 2
