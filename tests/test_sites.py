"""Site profiles: learning each site's chrome from its pages, and removing it.

Keys (normalisation), sites (registered domains, no network), thresholds, the long-sentence
rule, the profiles file, the Cleaner's pass and its explanations, pickling, the command;
and, on a generated multi-site corpus with known chrome, that what is learned is chrome.
"""

from __future__ import annotations

import json
import pickle
import random
import socket
import sys
import urllib.request

import pytest

import newsclean
from newsclean import Cleaner, ProfileError, SiteProfiles, cli, learn, registered_domain
from newsclean import domains
from newsclean.document import clean_form
from newsclean.sites import LONG_SENTENCE_SHARE, line_key, page_keys, reads_as_long_sentence

from conftest import ARTICLE, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from site_corpus import _paragraph, generate  # noqa: E402

SENTENCE = "Readers can reach the newsroom at any hour with tips, corrections and questions about our reporting."
SHORT = "Most read this week"
EDITION = "Valley Herald weekend edition of August 30, 2025"


def pages(n: int, site: str = "example.com", extra=lambda i: []) -> list[dict]:
    """n pages of one site: generated paragraphs of their own, plus the lines extra(i) gives."""
    out = []
    for i in range(n):
        rng = random.Random(f"{site}/{i}")
        body = [_paragraph(rng) for _ in range(3)]
        out.append({"url": f"https://www.{site}/story/{i}", "text": "\n\n".join(extra(i) + body)})
    return out


def learned(profiles: SiteProfiles, site: str = "example.com") -> dict[str, int]:
    return dict(profiles[site].lines) if site in profiles else {}


# -- keys ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Subscribe to our Newsletter", "SUBSCRIBE TO OUR NEWSLETTER"),
    ("Subscribe  to our\u00a0newsletter", "Subscribe to our newsletter"),
    ("12 comments", "1,204 comments"),
    ("Updated: July 9, 2021 10:12 AM", "Updated: March 3, 2022 9:40 p.m."),
    ("Published 2021-07-09", "Published 09/12/2024"),
    ("Posted on Monday, 9 July 2021", "Posted on Friday, 23 December 2022"),
    ("Mis à jour le 3 mars 2022", "Mis à jour le 14 juillet 2023"),
    ("Aktualisiert am 3. März 2022", "Aktualisiert am 14. Juli 2023"),
    ("© 2021 Example Media", "© 2024 Example Media"),
    ("[Read more](https://example.com/a/1)", "Read more"),
])
def test_keys_fold_case_spaces_digits_and_dates(a, b):
    assert line_key(clean_form(a)) == line_key(clean_form(b)) != ""


@pytest.mark.parametrize("a, b", [
    ("Most read", "Most popular"),
    ("Updated: July 9", "Posted: July 9"),
    ("Subscribe to our newsletter.", "Subscribe to our newsletter"),
])
def test_keys_keep_words_apart(a, b):
    assert line_key(a) != line_key(b)


@pytest.mark.parametrize("line", ["2021", "July 9, 2021", "12:30", "* * *", "", "x" * 2001 + " words"])
def test_lines_without_letters_or_too_long_are_not_learnable(line):
    assert line_key(line) == ""


def test_a_line_counts_once_per_page():
    assert page_keys("Share\n\nShare\n\nAn article line.\n\nshare") == {"share", "an article line."}


# -- sites --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, site", [
    ("https://news.bbc.co.uk/world/1", "bbc.co.uk"),
    ("http://www.lemonde.fr/a?b=c#d", "lemonde.fr"),
    ("www.abc.net.au/news/x", "abc.net.au"),
    ("https://user@edition.cnn.com:443/x", "cnn.com"),
    ("https://WWW.Example.COM./x", "example.com"),
    ("https://someone.blogspot.com/2020/01/x.html", "someone.blogspot.com"),
    ("http://intranet.example.internal/x", "example.internal"),
    ("http://10.0.0.7/x", "10.0.0.7"),
    ("https://例え.jp/", "xn--r8jz45g.jp"),
    ("", None), ("   ", None), ("not a url", None), ("http://", None), ("https://exa mple.com/", None),
    ("http://[::1", None), (None, None), (42, None),
])
def test_registered_domain(url, site):
    assert registered_domain(url) == site


def _refuse_network(monkeypatch) -> list:
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args[:2])
        raise OSError("network access attempted")

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    return attempts


def test_no_network_when_learning_and_cleaning(monkeypatch):
    attempts = _refuse_network(monkeypatch)
    domains._suffix_parser.cache_clear()
    domains._site_of_host.cache_clear()
    recs = pages(6, extra=lambda i: [SHORT])
    profiles = learn(recs)
    assert SHORT.casefold() in learned(profiles)
    assert SHORT not in Cleaner(profiles=profiles).clean(recs[0]["text"], url=recs[0]["url"])
    assert registered_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert attempts == []


def test_an_unreadable_suffix_list_is_an_error_not_a_download(monkeypatch):
    from tld.utils import MozillaTLDSourceParser
    attempts = _refuse_network(monkeypatch)
    monkeypatch.setattr(MozillaTLDSourceParser, "local_path", "res/no-such-file.dat")
    domains._suffix_parser.cache_clear()
    domains._site_of_host.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="Public Suffix List"):
            registered_domain("https://www.example.org/x")
        assert attempts == []
    finally:
        monkeypatch.undo()
        domains._suffix_parser.cache_clear()
        domains._site_of_host.cache_clear()
    assert registered_domain("https://www.example.org/x") == "example.org"


# -- thresholds ---------------------------------------------------------------------------------

def test_thresholds_min_docs_and_min_share():
    # 20 pages: one line on 2 (too few pages), one on 3 (15%, too small a share), one on 4 (20%).
    def extra(i):
        return (["On two pages"] if i < 2 else []) + (["On three pages"] if i < 3 else []) + \
               (["On four pages"] if i < 4 else []) + ["On every page", "On every page"]
    recs = pages(20, extra=extra)
    got = learned(learn(recs))
    assert got == {"on four pages": 4, "on every page": 20}
    assert "on three pages" in learned(learn(recs, min_share=0.15))
    assert "on two pages" in learned(learn(recs, min_docs=2, min_share=0.1))
    assert "on four pages" not in learned(learn(recs, min_docs=5, min_share=0.1))


def test_a_site_with_too_few_pages_learns_nothing():
    assert len(learn(pages(2, extra=lambda i: ["Menu"]))) == 0
    assert learned(learn(pages(3, extra=lambda i: ["Menu"]))) == {"menu": 3}


@pytest.mark.parametrize("options", [{"min_docs": 1}, {"min_docs": 2.5}, {"min_share": 0}, {"min_share": 1.5},
                                     {"min_share": "0.2"}])
def test_bad_thresholds(options):
    with pytest.raises(ProfileError):
        learn(pages(3), **options)


def test_sites_are_learned_apart():
    recs = pages(5, "a-news.com", lambda i: ["Footer of A"]) + pages(5, "b-news.co.uk", lambda i: ["Footer of B"])
    profiles = learn(recs)
    assert learned(profiles, "a-news.com") == {"footer of a": 5}
    assert learned(profiles, "b-news.co.uk") == {"footer of b": 5}
    text = recs[0]["text"].replace("Footer of A", "Footer of B")
    assert "Footer of B" in Cleaner(profiles=profiles).clean(text, url=recs[0]["url"])


def test_records_pairs_and_skips():
    recs = pages(4, extra=lambda i: [SHORT])
    pairs = [(r["url"], r["text"]) for r in recs]
    junk = [{"url": "not a url", "text": SHORT}, {"text": SHORT}, {"url": recs[0]["url"], "text": None},
            {"url": recs[0]["url"], "text": ""}, None, 7, ("only one",)]
    assert learn(pairs + junk).to_dict() == learn(recs).to_dict()
    assert learn([{"link": r["url"], "body": r["text"]} for r in recs], url_field="link",
                 text_field="body").to_dict() == learn(recs).to_dict()


# -- the long-sentence rule -----------------------------------------------------------------------

def test_sentence_likeness():
    assert reads_as_long_sentence(line_key(SENTENCE))
    assert not reads_as_long_sentence(line_key(SHORT))
    assert not reads_as_long_sentence("sign up for our newsletter.")


@pytest.mark.parametrize("share, goes", [(0.3, False), (0.5, False), (0.55, True), (0.8, True)])
def test_a_long_sentence_goes_only_on_most_pages(share, goes):
    n = 20
    on = round(share * n)
    recs = pages(n, extra=lambda i: ([SENTENCE] if i < on else []) + ([SHORT] if i < 6 else []))
    profiles = learn(recs)
    assert learned(profiles)[SHORT.casefold()] == 6  # a short line on 30% of the pages goes
    assert (line_key(SENTENCE) in learned(profiles)) is goes
    out = Cleaner(profiles=profiles).clean(recs[0]["text"], url=recs[0]["url"])
    assert (SENTENCE not in out) is goes
    assert SHORT not in out
    assert LONG_SENTENCE_SHARE == 0.5


# -- the cleaner ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def profiles() -> SiteProfiles:
    return learn(pages(10, extra=lambda i: [SHORT, f"Valley Herald weekend edition of July {i + 1}, 2024", "Advertisement"]))


def _page(url_site: str = "example.com") -> tuple[str, str]:
    text = "\n\n".join([SHORT, EDITION] + ARTICLE + ["Advertisement"])
    return text, f"https://news.{url_site}/new-story"


def test_cuts_are_explained_with_the_site(profiles):
    text, url = _page()
    r = newsclean.analyze(text, url=url, profiles=profiles)
    site_cuts = [(x.text, x.rule, x.reason) for x in r.removed if x.rule.startswith("site:")]
    assert site_cuts == [(SHORT, "site:example.com", "recurs in 10 of 10 pages of example.com"),
                         (EDITION, "site:example.com",
                          "recurs in 10 of 10 pages of example.com")]
    assert r.text == "\n\n".join(ARTICLE)
    assert [x.rule for x in r.removed if x.text == "Advertisement"] == ["ad.label"]  # rules go first


def test_url_site_and_module_functions(profiles):
    text, url = _page()
    cleaner = Cleaner(profiles=profiles)
    expected = cleaner.clean(text, url=url)
    assert EDITION not in expected
    assert cleaner.clean(text, site="example.com") == expected
    assert cleaner.clean(text, site="www.example.com") == expected
    assert newsclean.clean(text, url=url, profiles=profiles) == expected
    assert cleaner.analyze(text, url=url).text == expected
    # Without a site, another site's URL, or no profiles: the cleaner as before.
    plain = Cleaner().clean(text)
    assert EDITION in plain
    for kwargs in ({}, {"url": "https://other.org/x"}, {"url": "not a url"}, {"site": "other.org"}):
        assert cleaner.clean(text, **kwargs) == plain
    assert Cleaner().clean(text, url=url) == plain
    assert newsclean.clean(text, url=url) == plain


def test_profiles_from_a_path(tmp_path, profiles):
    path = tmp_path / "p.json"
    profiles.save(path)
    text, url = _page()
    assert Cleaner(profiles=str(path)).clean(text, url=url) == Cleaner(profiles=profiles).clean(text, url=url)
    with pytest.raises(TypeError):
        Cleaner(profiles={"example.com": ["menu"]})


def test_module_functions_reload_a_rewritten_profiles_file(tmp_path, profiles):
    """newsclean.clean caches its Cleaner by options; a profiles file saved again under the
    same name (another mtime, size or inode) is read again, an unchanged one is not."""
    path = tmp_path / "p.json"
    profiles.save(path)
    text, url = _page()
    first = newsclean.clean(text, url=url, profiles=str(path))
    assert SHORT not in first and EDITION not in first
    assert newsclean._cleaner_for({"profiles": str(path)}) is newsclean._cleaner_for({"profiles": str(path)})
    other = learn(pages(10, site="example.com", extra=lambda i: ["Only in the new profiles"]))
    other.save(path)
    second = newsclean.analyze(text, url=url, profiles=str(path))
    assert EDITION in second.text and second.text == Cleaner().clean(text)
    assert not [x for x in second.removed if x.rule.startswith("site:")]
    # Rewritten in place: same inode, new size and modification time.
    path.write_text(json.dumps(profiles.to_dict()), encoding="utf-8")
    assert newsclean.clean(text, url=url, profiles=path) == first
    assert newsclean.clean(text, url=url, profiles=str(path)) == first
    # A missing file is an error every time, never a cached Cleaner.
    path.unlink()
    with pytest.raises(FileNotFoundError):
        newsclean.clean(text, url=url, profiles=str(path))


def test_clean_many_with_urls(profiles):
    text, url = _page()
    texts = [text, text, text, text.replace(EDITION, "An edition line of another site"), text] * 15
    urls = [url, None, "https://other.org/x", url, "example.com"] * 15  # a site name works as a URL
    cleaner = Cleaner(profiles=profiles)
    expected = [cleaner.clean(t, url=u) for t, u in zip(texts, urls)]
    assert EDITION not in expected[0] and EDITION in expected[1] and EDITION in expected[2]
    assert expected[4] == expected[0]
    one = list(cleaner.clean_many(texts, urls=urls))
    two = list(cleaner.clean_many(iter(texts), workers=2, batch=8, urls=iter(urls)))
    assert one == two == expected
    assert list(cleaner.clean_many(texts[:5])) == [cleaner.clean(t) for t in texts[:5]]  # no urls: no profiles
    for workers in (1, 2):
        with pytest.raises(ValueError):
            list(cleaner.clean_many(texts, workers=workers, batch=8, urls=urls[:-1]))


def test_pickling_keeps_the_profiles(profiles):
    cleaner = Cleaner(profiles=profiles, disable=["social"])
    copy = pickle.loads(pickle.dumps(cleaner))
    assert copy.profiles.to_dict() == profiles.to_dict()
    text, url = _page()
    assert copy.clean(text, url=url) == cleaner.clean(text, url=url) != Cleaner().clean(text)
    assert pickle.loads(pickle.dumps(Cleaner())).profiles is None


# -- the profiles file ----------------------------------------------------------------------------

def test_save_and_load(tmp_path, profiles):
    path = tmp_path / "profiles.json"
    profiles.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "newsclean.site-profiles" and data["version"] == 1
    assert data["options"] == {"min_docs": 3, "min_share": 0.2, "long_sentence_share": 0.5}
    assert data["sites"]["example.com"]["docs"] == 10
    loaded = SiteProfiles.load(path)
    assert loaded.to_dict() == profiles.to_dict()
    assert list(loaded) == ["example.com"] and "example.com" in loaded and len(loaded) == 1


@pytest.mark.parametrize("content, message", [
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe", "not valid JSON"),
    (b"[]", "not a newsclean site-profiles file"),
    (b'{"format": "other"}', "not a newsclean site-profiles file"),
    (b'{"format": "newsclean.site-profiles", "version": 2, "sites": {}}', "newer than this newsclean"),
    (b'{"format": "newsclean.site-profiles", "version": "1", "sites": {}}', "unknown format version"),
    (b'{"format": "newsclean.site-profiles", "version": 1}', '"sites" must be an object'),
    (b'{"format": "newsclean.site-profiles", "version": 1, "sites": {"a.com": {"docs": 0, "lines": []}}}',
     "site 'a.com'"),
    (b'{"format": "newsclean.site-profiles", "version": 1, "sites": {"a.com": {"docs": 3, "lines": [{"line": 1}]}}}',
     "site 'a.com', line 0"),
    (b'{"format": "newsclean.site-profiles", "version": 1, "options": {"min_docs": 0}, "sites": {}}', "min_docs"),
])
def test_bad_files_are_named(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(ProfileError, match=message) as info:
        SiteProfiles.load(path)
    assert str(path) in str(info.value)


# -- a generated corpus -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus():
    return generate(sites=5, pages=16, seed=11)


def test_learned_lines_are_the_sites_chrome(corpus):
    sites, all_pages = corpus
    profiles = learn(p.record(i) for i, p in enumerate(all_pages))
    assert sorted(profiles) == sorted(s.domain for s in sites)
    for s in sites:
        chrome = {line_key(clean_form(t)) for t in s.chrome}
        got = set(profiles[s.domain].lines)
        assert got <= chrome, got - chrome
        t = s.template
        for always in (t["masthead"], t["nav"], t["legal"], t["widgets"][0], "Updated: May 1, 2020 1:00 PM"):
            assert line_key(clean_form(always)) in got


def test_cleaning_with_profiles_keeps_every_article_line(corpus):
    _, all_pages = corpus
    profiles = learn(p.record(i) for i, p in enumerate(all_pages))
    with_profiles, plain = Cleaner(profiles=profiles), Cleaner()
    lost = kept_chrome_before = kept_chrome_after = 0
    for p in all_pages:
        before = set(plain.clean(p.text).split("\n\n"))
        after = set(with_profiles.clean(p.text, url=p.url).split("\n\n"))
        lost += sum(1 for kind, t in p.lines if kind == "article" and t in before and t not in after)
        kept_chrome_before += sum(1 for kind, t in p.lines if kind == "chrome" and t in before)
        kept_chrome_after += sum(1 for kind, t in p.lines if kind == "chrome" and t in after)
    assert lost == 0
    assert kept_chrome_after < kept_chrome_before / 3


# -- the command ----------------------------------------------------------------------------------

def _write(path, records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")


def test_command_learn_then_jsonl(tmp_path, corpus, capsys):
    _, all_pages = corpus
    records = [p.record(i) for i, p in enumerate(all_pages)]
    src = tmp_path / "crawl.jsonl"
    extra = [{"id": "no-url", "text": all_pages[0].text}, {"id": "bad-url", "url": "::", "text": all_pages[1].text},
             "not json", {"id": "no-text", "url": all_pages[2].url}]
    _write(src, records + extra)
    prof = tmp_path / "profiles.json"
    assert cli.main(["learn", str(src), "-o", str(prof)]) == 0
    assert "learned" in capsys.readouterr().err
    profiles = SiteProfiles.load(prof)
    assert profiles.to_dict() == learn(records).to_dict()
    out = tmp_path / "clean.jsonl"
    assert cli.main(["jsonl", str(src), "-o", str(out), "--profiles", str(prof), "--workers", "1", "-q"]) == 0
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    cleaner = Cleaner(profiles=profiles)
    assert [r["id"] for r in got] == [r["id"] for r in records] + ["no-url", "bad-url"]
    for r, g in zip(records, got):
        assert g["text"] == cleaner.clean(r["text"], url=r["url"])
    # Without a URL, or with one that names no site: cleaned without profiles, not rejected.
    assert got[-2]["text"] == Cleaner().clean(all_pages[0].text)
    assert got[-1]["text"] == Cleaner().clean(all_pages[1].text)
    rejects = [json.loads(x) for x in (tmp_path / "clean.rejects.jsonl").read_text().splitlines()]
    assert [x["reason"][:12] for x in rejects] == ["invalid JSON", "missing fiel"]


def test_command_options(tmp_path, corpus, capsys):
    _, all_pages = corpus
    src = tmp_path / "in.jsonl"
    _write(src, [{"link": p.url, "body": p.text} for p in all_pages])
    prof = tmp_path / "p.json"
    assert cli.main(["learn", str(src), "-o", str(prof), "--url-field", "link", "--text-field", "body",
                     "--min-docs", "4", "--min-share", "0.5", "-q"]) == 0
    expected = learn(({"url": p.url, "text": p.text} for p in all_pages), min_docs=4, min_share=0.5)
    assert SiteProfiles.load(prof).to_dict() == expected.to_dict()
    out = tmp_path / "o.jsonl"
    assert cli.main(["jsonl", str(src), "-o", str(out), "--field", "body", "--profiles", str(prof),
                     "--url-field", "link", "--workers", "2", "-q"]) == 0
    got = [json.loads(x)["body"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert got == [Cleaner(profiles=expected).clean(p.text, url=p.url) for p in all_pages]
    capsys.readouterr()


def test_command_explain_and_clean_with_profiles(tmp_path, profiles, capsys):
    prof = tmp_path / "profiles.json"
    profiles.save(prof)
    text, url = _page()
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    cleaner = Cleaner(profiles=profiles)
    expected = cleaner.analyze(text, url=url)
    assert EDITION not in expected.text

    assert cli.main(["explain", str(page), "--profiles", str(prof), "--url", url]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert f"- [site:example.com] {EDITION}    # recurs in 10 of 10 pages of example.com" in shown
    assert f"- [site:example.com] {SHORT}    # recurs in 10 of 10 pages of example.com" in shown
    assert cli.main(["explain", "--json", str(page), "--profiles", str(prof), "--url", "example.com"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["text"] == expected.text
    assert doc["removed"] == [r.to_dict() for r in expected.removed]

    assert cli.main(["clean", str(page), "--profiles", str(prof), "--url", url]) == 0
    assert capsys.readouterr().out == expected.text + "\n"
    other = tmp_path / "other.txt"
    other.write_text(text.replace(SHORT, "Most shared today"), encoding="utf-8")
    outdir = tmp_path / "out"
    assert cli.main(["clean", "-o", str(outdir), str(page), str(other), "--profiles", str(prof), "--url", url]) == 0
    assert (outdir / "page.txt").read_text(encoding="utf-8") == expected.text + "\n"
    assert (outdir / "other.txt").read_text(encoding="utf-8") == \
        cleaner.clean(other.read_text(encoding="utf-8"), url=url) + "\n"
    # --url alone changes nothing for text; a site the profiles do not know is noted.
    plain = Cleaner().clean(text)
    assert cli.main(["clean", str(page), "--url", url]) == 0
    assert capsys.readouterr().out == plain + "\n"
    assert cli.main(["clean", str(page), "--profiles", str(prof), "--url", "https://other.org/x"]) == 0
    captured = capsys.readouterr()
    assert captured.out == plain + "\n"
    assert "has no profile for other.org" in captured.err


@pytest.mark.parametrize("command", ["clean", "explain"])
def test_command_page_profiles_errors(tmp_path, profiles, capsys, command):
    prof = tmp_path / "profiles.json"
    profiles.save(prof)
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text(_page()[0], encoding="utf-8")
    for args, code, message in (
            (["--profiles", str(prof)], 2, "--profiles needs --url"),
            (["--profiles", str(prof), "--url", "http://"], 2, "names no site"),
            (["--profiles", str(bad), "--url", "example.com"], 2, "not a newsclean site-profiles file"),
            (["--profiles", str(tmp_path / "missing.json"), "--url", "example.com"], 1, "missing.json")):
        assert cli.main([command, str(page), *args]) == code
        captured = capsys.readouterr()
        assert message in captured.err and captured.out == ""


def test_command_errors(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    _write(src, pages(3))
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    out = str(tmp_path / "o.jsonl")
    assert cli.main(["jsonl", str(src), "-o", out, "--profiles", str(bad), "-q"]) == 2
    assert "not a newsclean site-profiles file" in capsys.readouterr().err
    assert cli.main(["jsonl", str(src), "-o", out, "--profiles", str(tmp_path / "missing.json"), "-q"]) == 1
    assert cli.main(["learn", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "p.json")]) == 1
    assert cli.main(["learn", str(src), "-o", str(tmp_path / "no-dir" / "p.json")]) == 1
    for args in (["--min-docs", "1"], ["--min-share", "0"], ["--min-share", "1.5"], ["--min-share", "x"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(["learn", str(src), "-o", str(tmp_path / "p.json"), *args])
        assert exc.value.code == 2
    assert not (tmp_path / "p.json").exists()
    capsys.readouterr()
