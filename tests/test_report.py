"""`newsclean report`: the statistics, the sampling, the size limits, the command, and the page
as a real browser renders it (headless Chromium driven from the command line; skipped with a
reason where it is not installed: `apt-get install chromium`).

The corpora are generated from the English fixtures, with fake sites in a `url` field.
`NEWSCLEAN_REPORT_SCALE=1` also runs the 10,000-document measurement of docs/report.md.
"""

from __future__ import annotations

import gzip
import html as _html
import itertools
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import newsclean
from newsclean import Cleaner, report, report_data, report_lines
from newsclean.cli_report import main
from newsclean.report import build_report, site_of
from newsclean.report_data import reservoir
from newsclean.report_lines import condense, encode_lines, truncate

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EN = sorted((FIXTURES / "en").glob("*.in.txt"))
SITES = ["https://www.harbourgazette.co.uk/news/", "https://valleyherald.com/local/",
         "http://news.example.com.au/story/", "https://m.dailybugle.org/a/", "https://www.riverside-times.net/"]
HOSTILE = "Readers wrote in: </script><script>document.body.setAttribute('data-pwned', '1')</script> <!-- end"


def corpus_records(n: int, seed: int = 0, langs: tuple[str, ...] = ("en",), grow: bool = False) -> list[dict]:
    """n records built from the fixtures: id, url (one of several fake sites) and text. With
    `grow`, half of them get the paragraphs of another fixture too (longer, more varied)."""
    rng = random.Random(seed)
    files = sorted(p for lang in langs for p in (FIXTURES / lang).glob("*.in.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    paragraphs = [line for t in texts for line in t.splitlines() if len(line) > 200]
    records = []
    for i in range(n):
        text = texts[i % len(texts)] if not grow else texts[rng.randrange(len(texts))]
        text = text.replace("2023", str(2000 + i % 25))
        if grow and rng.random() < 0.5:
            lines = text.splitlines()
            at = len(lines) // 2
            extra = rng.sample(paragraphs, rng.randint(2, 8))
            text = "\n".join(lines[:at] + [p for x in extra for p in ("", x)] + lines[at:])
        records.append({"id": f"doc-{i:05d}", "url": f"{SITES[i % len(SITES)]}{i}", "text": text})
    return records


def write_jsonl(path: Path, records: list, extra_lines: tuple[str, ...] = ()) -> Path:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for line in extra_lines:
            fh.write(line + "\n")
    return path


def page_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.DOTALL)
    assert m, "the data block is missing"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """40 records (one with hostile text, one that empties) plus 3 bad lines."""
    records = corpus_records(40)
    lines = records[5]["text"].splitlines()
    records[5]["text"] = "\n".join(lines[:len(lines) // 2] + [HOSTILE] + lines[len(lines) // 2:])
    records.append({"id": "doc-empty", "url": "https://valleyherald.com/x", "text": "Advertisement\nShare this article"})
    path = tmp_path_factory.mktemp("corpus") / "crawl.jsonl"
    return write_jsonl(path, records, extra_lines=("{not json", json.dumps({"id": 1, "body": "x"}),
                                                    json.dumps({"id": 2, "text": 7})))


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert main([str(corpus), "-o", str(out), "--url-field", "url", "-q"]) == 0
    return out, page_data(out.read_text(encoding="utf-8"))


# -- pieces -------------------------------------------------------------------------------------

def test_site_is_the_registered_domain():
    assert site_of("https://www.bbc.co.uk/news/world-1") == "bbc.co.uk"
    assert site_of("https://news.example.com.au/a?b=1") == "example.com.au"
    assert site_of("http://M.DailyBugle.org:8080/x") == "dailybugle.org"
    assert site_of("valleyherald.com/local/3") == "valleyherald.com"
    assert site_of("https://localhost/x") == "localhost"
    assert site_of("http://192.168.0.1/x") == "192.168.0.1"
    assert site_of("") is None and site_of(None) is None and site_of("http://") is None


@pytest.mark.parametrize("url, site", [
    ("https://someone.blogspot.com/2020/01/x.html", "someone.blogspot.com"),  # a private suffix
    ("https://shop.example.github.io/x", "example.github.io"),
    ("https://foo.bar.example.nom.es/x", "example.nom.es"),  # not a common second level
    ("https://www.city.kawasaki.jp/a", "city.kawasaki.jp"),  # an exception rule
    ("https://forums.bbc.co.uk/x", "bbc.co.uk"),
    ("not a url", None), (42, None)])
def test_sites_group_as_site_profiles_do(url, site):
    """One definition of a site everywhere: the report's is the profiles' (the Public Suffix
    List shipped in tld, private suffixes included)."""
    assert site_of(url) == newsclean.registered_domain(url) == site


def test_reservoir_is_uniform_bounded_and_reproducible():
    a, n = reservoir(iter(range(1000)), 10, random.Random(7))
    b, _ = reservoir(iter(range(1000)), 10, random.Random(7))
    c, _ = reservoir(iter(range(1000)), 10, random.Random(8))
    assert n == 1000 and len(a) == 10 and a == b and a != c
    assert [x for _, x in a] == sorted(x for _, x in a)  # in stream order
    everything, n = reservoir(iter("abc"), 10, random.Random(0))
    assert n == 3 and [x for _, x in everything] == ["a", "b", "c"]
    # uniform: every item is chosen about k/n of the time
    counts = [0] * 20
    for seed in range(2000):
        for _, x in reservoir(iter(range(20)), 5, random.Random(seed))[0]:
            counts[x] += 1
    assert all(400 < c < 600 for c in counts), counts


def test_lines_are_encoded_with_their_cuts():
    text = "Skip to main content\r\nDES MOINES, Iowa (AP) — Rain fell 🌧 all night on the town, and the river rose fast.\n\nAdvertisement"
    result = Cleaner().analyze(text)
    rules, reasons = report_data._Interner(), report_data._Interner()
    items = encode_lines(text, result.removed, rules, reasons)
    assert len(items) == len(text.splitlines())
    for item, line in zip(items, text.splitlines()):  # nothing is lost or moved
        if isinstance(item, str):
            assert item == line
        elif isinstance(item, list):
            assert item[2] == line
        else:
            assert "".join(p if isinstance(p, str) else p[2] for p in item["p"]) == line
    assert isinstance(items[0], list) and rules.items[items[0][0]] == result.removed[0].rule
    inline = items[1]
    assert isinstance(inline, dict), inline
    cut = [p for p in inline["p"] if not isinstance(p, str)]
    assert rules.items[cut[0][0]].startswith("wire.") and "(AP)" in cut[0][2]


def test_condense_keeps_cuts_and_context_and_truncate_keeps_both_ends():
    items = [f"kept {i} " + "x" * 50 for i in range(100)]
    items[50] = [0, 0, "a cut line"]
    out, dropped = condense(items, context=2)
    kept = [it for it in out if isinstance(it, str)]
    assert kept == items[48:50] + items[51:53] and dropped == 95
    assert [it for it in out if isinstance(it, dict)] == [{"g": 48, "c": sum(map(len, items[:48]))},
                                                           {"g": 47, "c": sum(map(len, items[53:]))}]
    short = truncate(items, 1000)
    assert short[0] == items[0] and short[-1] == items[-1]
    assert sum(report_lines._size(it) for it in short) <= 1000
    gap = next(it for it in short if isinstance(it, dict))
    assert sum(report_lines._nlines(it) for it in short) == 100 and gap["g"] > 50
    both = truncate(out, 40)  # the gaps that meet are merged
    assert not any(isinstance(a, dict) and isinstance(b, dict) for a, b in itertools.pairwise(both))
    assert sum(report_lines._nlines(it) for it in both) == 100


# -- the report's numbers ----------------------------------------------------------------------

def test_totals_rules_and_sites_match_the_cleaner(corpus, built):
    _, data = built
    cleaner = Cleaner()
    records = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()[:41]]
    results = [cleaner.analyze(r["text"]) for r in records]
    t = data["totals"]
    assert t["documents"] == 41 and t["rejects"] == 3
    assert t["chars_in"] == sum(len(r["text"]) for r in records)
    assert t["chars_out"] == sum(len(x.text) for x in results)
    assert t["cuts"] == sum(len(x.removed) for x in results)
    assert t["emptied"] == sum(1 for x in results if not x.text.strip()) >= 1
    hits: dict[str, int] = {}
    for x in results:
        for rule in {r.rule for r in x.removed}:
            hits[rule] = hits.get(rule, 0) + 1
    assert {r["id"]: r["docs"] for r in data["rules"]} == hits
    assert all(r["desc"] for r in data["rules"]), "every rule has its description"
    cats = {c["cat"]: c["docs"] for c in data["categories"]}
    assert cats["heuristic"] == sum(1 for x in results if any(r.rule.startswith("heuristic.") for r in x.removed))
    assert {s["site"] for s in data["sites"]} == {"harbourgazette.co.uk", "valleyherald.com", "example.com.au",
                                                   "dailybugle.org", "riverside-times.net"}
    assert sum(s["docs"] for s in data["sites"]) == 41
    reasons = dict(data["rejects"]["by_reason"])
    assert reasons == {"invalid JSON": 1, "missing field 'text'": 1, "field not a string": 1}
    assert data["rejects"]["first"][0]["src"].endswith("crawl.jsonl:42")
    assert data["meta"]["scope"] == {"sampled": False, "records": 41}
    # examples: at most 5 per rule, each with its cut inside the lines shown
    for r in data["rules"]:
        assert 1 <= len(r["ex"]) <= 5
        for ex in r["ex"]:
            shown = [i for i, _ in ex["L"]]
            assert ex["f"][0] in shown and ex["v"] is True


def test_documents_are_stored_in_order_with_their_cuts(built):
    _, data = built
    docs = data["docs"]
    assert [d["n"] for d in docs] == list(range(1, 42))
    d = docs[0]
    assert d["id"] == "doc-00000" and d["site"] == "harbourgazette.co.uk" and d["src"].endswith(":1")
    cuts = [it for it in d["L"] if isinstance(it, list)]
    assert len(cuts) >= 1 and all(data["rules"][r]["id"] for r, _, _ in cuts)
    assert {data["reasons"][q] for _, q, _ in cuts} <= set(data["reasons"])


def test_sample_is_seeded_and_reproducible(corpus, tmp_path):
    def ids(seed):
        out = tmp_path / f"r{seed}.html"
        assert main([str(corpus), "-o", str(out), "--sample", "7", "--seed", str(seed), "-q"]) == 0
        data = page_data(out.read_text(encoding="utf-8"))
        assert data["meta"]["scope"] == {"sampled": True, "records": 41, "sample": 7, "seed": seed}
        assert data["totals"]["documents"] == 7 and data["totals"]["rejects"] == 3
        return [d["id"] for d in data["docs"]]
    first = ids(3)
    assert first == ids(3) and first != ids(4) and len(set(first)) == 7


def test_long_documents_are_shortened_but_counted_whole():
    longest = "\n\n".join(p.read_text(encoding="utf-8") for p in EN)  # one page of many pages' chrome
    assert len(longest) > 50_000
    data = page_data(build_report([{"text": longest}], max_doc_chars=5_000))
    doc = data["docs"][0]
    assert data["totals"]["chars_in"] == len(longest) == doc["i"]
    assert sum(report_lines._size(it) for it in doc["L"]) <= 5_000 + 10
    assert doc["note"] and ("not shown" in doc["note"] or "Shortened" in doc["note"])
    assert any(isinstance(it, dict) and "g" in it for it in doc["L"])


def test_page_stays_under_its_size_limit(tmp_path):
    records = corpus_records(400, seed=1, grow=True)
    text_bytes = sum(len(r["text"].encode()) for r in records)
    assert text_bytes > 900_000
    page = build_report(records, url_field="url", max_size_mb=0.6)
    assert len(page.encode("utf-8")) <= 600_000
    data = page_data(page)
    assert len(data["docs"]) == 400 and data["totals"]["chars_in"] == sum(len(r["text"]) for r in records)
    assert any(d["note"] and "light" in d["note"] for d in data["docs"])


def test_max_docs_keeps_a_random_subset_and_examples_point_into_it():
    records = corpus_records(30)
    data = page_data(build_report(records, max_docs=10, seed=5))
    assert data["totals"]["documents"] == 30 and len(data["docs"]) == 10
    in_view = {d["n"] for d in data["docs"]}
    assert in_view != set(range(1, 11))
    for r in data["rules"]:
        for ex in r["ex"]:
            assert ex["v"] == (ex["n"] in in_view)


def test_page_is_self_contained_and_escapes_the_data(built):
    path, data = built
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("</script>") == 2 and "<!-- end" not in page  # hostile text stays inside the JSON
    shell = "".join(report.asset(name) for name in ("report.html", "report.css", "report.js"))
    assert "</script" not in report.asset("report.js").lower() and "<!--" not in shell
    assert not re.search(r"https?://|<link\b|\bsrc\s*=|@import|url\(", shell)
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b|\bsrc=\"", page.split('id="report-data"')[0])
    assert any(HOSTILE in json.dumps(d["L"], ensure_ascii=False) for d in data["docs"])


def test_build_report_accepts_strings_and_counts_bad_records():
    page = build_report(["Advertisement\n\nThe council voted 7-2 to approve the budget on Monday night, after a long debate.",
                         {"text": 3}, {"body": "x"}, 5], title="Valley <audit>")
    data = page_data(page)
    assert data["totals"]["documents"] == 1 and data["totals"]["rejects"] == 3
    assert "<title>Valley &lt;audit&gt;</title>" in page
    assert data["docs"][0]["src"] == "#1"


# -- the command ----------------------------------------------------------------------------------

def test_command_errors(corpus, tmp_path, capsys, monkeypatch):
    out = tmp_path / "r.html"
    assert main([str(tmp_path / "missing.jsonl"), "-o", str(out)]) == 1
    assert main([str(corpus), "-o", str(out), "--sample", "0"]) == 2
    assert main([str(corpus), "-o", str(out), "--disable", "no-such-rule"]) == 2
    assert main([str(corpus), "-o", str(tmp_path)]) == 2
    assert main([str(corpus), "-o", str(corpus)]) == 2
    assert main(["-", "-", "-o", str(out)]) == 2
    monkeypatch.delattr(newsclean, "analyze_html", raising=False)
    assert main([str(corpus), "-o", str(out), "--html-field", "html"]) == 2
    assert "HTML input is not supported" in capsys.readouterr().err
    assert not out.exists() and not list(tmp_path.glob(".r.html.*"))


def test_command_reads_gzip_and_stdin(tmp_path):
    gz = write_jsonl(tmp_path / "c.jsonl.gz", corpus_records(6))
    out = tmp_path / "a.html"
    assert main([str(gz), "-o", str(out), "-q"]) == 0
    assert page_data(out.read_text(encoding="utf-8"))["totals"]["documents"] == 6
    proc = subprocess.run([sys.executable, "-m", "newsclean.report", "-", "-o", str(tmp_path / "b.html"), "--field", "body"],
                          input=b'{"body": "Share this article"}\n\n{"body": "The council voted 7-2 on Monday night to approve the new budget for the town."}\n',
                          capture_output=True, timeout=120, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert b"2 documents cleaned (all 2 records)" in proc.stderr
    data = page_data((tmp_path / "b.html").read_text(encoding="utf-8"))
    assert data["totals"]["blank"] == 1 and data["meta"]["inputs"] == ["-"]


def test_help_via_python_m():
    proc = subprocess.run([sys.executable, "-m", "newsclean.report", "--help"], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("usage: newsclean report")
    for option in ("--field", "--html-field", "--url-field", "--sample", "--seed", "-o OUT"):
        assert option in proc.stdout


def test_html_field(tmp_path):
    pytest.importorskip("trafilatura")
    if not hasattr(newsclean, "analyze_html"):
        pytest.skip("newsclean.analyze_html is not available")
    body = "".join(f"<p>{line}</p>" for line in [
        "The council voted 7-2 on Monday night to approve a budget of $48 million for next year, ending a long debate.",
        "The mayor said the plan would cut the deficit over three years without raising property taxes this time.",
        "Residents who spoke at the meeting were split, with several asking the council to restore library hours."])
    html = (f"<html><head><title>Budget passes</title></head><body><nav><a href='/'>Home</a></nav>"
            f"<article><h1>Budget passes</h1><p>Advertisement</p>{body}<p>Share this article</p></article>"
            "<footer>© 2021 Example Media. All rights reserved.</footer></body></html>")
    src = write_jsonl(tmp_path / "pages.jsonl", [{"html": html, "url": "https://www.example.co.uk/a"}] * 3)
    out = tmp_path / "h.html"
    assert main([str(src), "-o", str(out), "--html-field", "html", "--url-field", "url", "-q"]) == 0
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["meta"]["html"] is True and data["totals"]["documents"] == 3
    assert data["sites"][0]["site"] == "example.co.uk"
    doc = data["docs"][0]
    assert any(isinstance(it, str) and "council voted" in it for it in doc["L"])
    assert data["meta"]["html_text_missing"] == 0 and doc["i"] > 200


def test_html_without_the_extracted_text_shows_the_cuts_at_their_lines(monkeypatch):
    def analyze_html(html, url=None, *, cleaner=None, **options):  # ignores the cleaner it is given
        return Cleaner().analyze("Skip to main content\n\n" + "The council voted 7-2 on Monday night "
                                 "to approve a budget of $48 million for next year.\n\nAdvertisement")
    monkeypatch.setattr(newsclean, "analyze_html", analyze_html, raising=False)
    data = page_data(build_report([{"html": "<p>x</p>"}], html_field="html"))
    doc = data["docs"][0]
    assert data["meta"]["html_text_missing"] == 1 and "not available" in doc["note"]
    assert [data["rules"][it[0]]["id"] for it in doc["L"] if isinstance(it, list)] == ["nav.menu", "ad.label"]
    assert doc["L"][1] == {"g": 3, "c": 0}  # so that 'Advertisement' is shown as line 5
    assert {r["id"]: r["ex"][0]["f"] for r in data["rules"]} == {"nav.menu": [0, 0], "ad.label": [4, 4]}


# -- in a real browser --------------------------------------------------------------------------------

def chromium() -> str:
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("headless browser test: chromium is not installed (Debian: apt-get install chromium)")


def run_chromium(url: str, *args: str, timeout: int = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}", *args, url],
            capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL, check=False)


def dump_dom(path: Path, fragment: str = "") -> str:
    proc = run_chromium(path.resolve().as_uri() + fragment, "--dump-dom")
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc.stdout.decode("utf-8")


def test_browser_renders_totals_chart_and_a_marked_document(built):
    path, data = built
    dom = dump_dom(path)
    totals = re.search(r'<section id="totals">(.*?)</section>', dom, re.DOTALL).group(1)
    assert "Documents" in totals and ">41<" in totals and "Characters in" in totals
    assert f"{data['totals']['chars_in']:,}" in totals and "Rejects" in totals
    removed = data["totals"]["chars_in"] - data["totals"]["chars_out"]
    assert f"{100 * removed / data['totals']['chars_in']:.1f}%" in totals
    chart = re.search(r'<section id="chart">(.*?)</section>', dom, re.DOTALL).group(1)
    rules_hit = sum(1 for r in data["rules"] if r["docs"])
    assert len(re.findall(r'class="bar docs"', chart)) == min(40, rules_hit) + len(data["categories"])
    assert len(re.findall(r'class="bar chars"', chart)) == min(40, rules_hit) + len(data["categories"])
    top = max(data["rules"], key=lambda r: (r["docs"], r["chars"]))
    assert f'href="#rule-{top["id"]}"' in chart
    assert f'id="rule-{top["id"]}"' in dom  # its examples
    doc = re.search(r'<div class="doc" id="doc">(.*?)</section>', dom, re.DOTALL).group(1)
    first = data["docs"][0]
    assert f"Document {first['id']}" in doc
    marked = re.findall(r'<del class="cut" data-rule="([^"]+)"', doc)
    assert marked, "no cut marked in the document view"
    assert re.search(rf'<a class="rid" href="#rule-{re.escape(marked[0])}"[^>]*>{re.escape(marked[0])}</a>', doc)
    assert 'class="why"' in doc  # the reason is shown
    assert re.search(r'<section id="sites">.*harbourgazette\.co\.uk', dom, re.DOTALL)
    assert 'data-pwned="1"' not in dom


def test_browser_opens_a_document_by_its_hash(built):
    path, data = built
    hostile = next(d for d in data["docs"] if HOSTILE in json.dumps(d["L"], ensure_ascii=False))
    dom = dump_dom(path, f"#doc-{hostile['n']}")
    doc = re.search(r'<div class="doc" id="doc">(.*?)</section>', dom, re.DOTALL).group(1)
    assert f"Document {hostile['id']}" in doc
    assert "&lt;/script&gt;&lt;script&gt;document.body.setAttribute" in doc  # shown as text, not run
    assert 'data-pwned="1"' not in dom


PROBE = """<script>
(function () {
  var out = {};
  var q = document.getElementById("doc-search"), rule = document.getElementById("doc-rule");
  q.value = "doc-00012"; q.dispatchEvent(new Event("input"));
  out.search = document.querySelectorAll("#doc-list li").length;
  out.searchCount = document.getElementById("doc-count").textContent;
  q.value = ""; rule.value = rule.options[1].value; rule.dispatchEvent(new Event("change"));
  out.ruleFilter = [rule.options[1].textContent, document.querySelectorAll("#doc-list li").length];
  document.querySelector('#chart-body button[data-by="chars"]').click();
  out.firstByChars = document.querySelector("#rules-chart tr[data-rule]").getAttribute("data-rule");
  var more = Array.prototype.filter.call(document.querySelectorAll("#rules-chart button"), function (b) { return /show all/.test(b.textContent); });
  if (more.length) more[0].click();
  out.ruleRows = document.querySelectorAll("#rules-chart tr[data-rule]").length;
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def test_browser_search_filter_and_sort(built, tmp_path):
    path, data = built
    page = path.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>")
    probed = tmp_path / "probe.html"
    probed.write_text(page, encoding="utf-8")
    dom = dump_dom(probed)
    out = json.loads(_html.unescape(re.search(r'<pre id="probe">(.*?)</pre>', dom, re.DOTALL).group(1)))
    assert out["search"] == 1 and out["searchCount"].startswith("1 of 41")
    first_rule = min(r["id"] for r in data["rules"] if r["docs"])
    assert out["ruleFilter"] == [f"hit by {first_rule}", next(r["docs"] for r in data["rules"] if r["id"] == first_rule)]
    assert out["firstByChars"] == max(data["rules"], key=lambda r: (r["chars"], r["docs"]))["id"]
    assert out["ruleRows"] == sum(1 for r in data["rules"] if r["docs"])


def test_browser_screenshot(built, tmp_path):
    path, _ = built
    png = tmp_path / "report.png"
    proc = run_chromium(path.resolve().as_uri(), f"--screenshot={png}", "--window-size=1280,900")
    assert proc.returncode == 0 and png.exists(), proc.stderr.decode(errors="replace")[-2000:]
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 900) and len(data) > 30_000  # a page, not a blank image


# -- the measurement in docs/report.md (opt-in) ------------------------------------------------------

@pytest.mark.skipif(not os.environ.get("NEWSCLEAN_REPORT_SCALE"), reason="set NEWSCLEAN_REPORT_SCALE=1 to measure 10,000 documents")
def test_scale_10000_documents(tmp_path):
    langs = tuple(sorted(p.name for p in FIXTURES.iterdir() if any(p.glob("*.in.txt"))))
    records = corpus_records(10_000, seed=1, langs=langs, grow=True)
    src = write_jsonl(tmp_path / "big.jsonl", records)
    out = tmp_path / "big.html"
    t0 = time.monotonic()
    assert main([str(src), "-o", str(out), "--url-field", "url", "-q"]) == 0
    build = time.monotonic() - t0
    size = out.stat().st_size
    t0 = time.monotonic()
    run_chromium(out.resolve().as_uri(), f"--screenshot={tmp_path / 'x.png'}", "--window-size=1280,900")
    shot = time.monotonic() - t0
    t0 = time.monotonic()
    run_chromium((tmp_path / "empty.html").resolve().as_uri() if (tmp_path / "empty.html").write_text("<p>x") else "",
                 f"--screenshot={tmp_path / 'y.png'}", "--window-size=1280,900")
    start = time.monotonic() - t0
    dom = dump_dom(out)
    print(f"\n10,000 documents, {src.stat().st_size / 1e6:.1f} MB of JSON Lines: report {size / 1e6:.1f} MB "
          f"built in {build:.1f} s; headless Chromium opens it and takes a screenshot in {shot:.1f} s "
          f"({start:.1f} s for an empty page)")
    assert size < 20_000_000 and 'class="bar docs"' in dom and '<del class="cut"' in dom
