"""The public API on the seed, on hand-made inputs, and on bad input."""

from __future__ import annotations

import pytest

import newsclean
from newsclean import Cleaner, Removal, Result

from conftest import ARTICLE, ROOT, time_limit

SEED = (ROOT / "seeds" / "000_96801e1ffb275ed5.txt").read_text(encoding="utf-8")


def test_seed_exact_output():
    out = newsclean.clean(SEED)
    paragraphs = out.split("\n\n")
    assert paragraphs[0] == "Russia-NK deal may shift, but China’s grip persists"
    assert len(paragraphs) == 14  # the headline and the 13 article paragraphs
    assert paragraphs[1].startswith("BEIJING — China appears to be keeping its distance")
    assert out.endswith("has emerged as a leading power that wields influence over both North Korea and Russia.")
    # Every kept paragraph is an input line, unchanged but for the wire tag.
    source_lines = SEED.split("\n")
    for p in paragraphs[:-1]:
        assert p in source_lines
    assert paragraphs[-1] + " / AP" in source_lines
    for chrome in ("No stories found.", "Just in", "Branded Content", "SunStar Publishing Inc.", "/ AP"):
        assert chrome not in out


def test_seed_exact_text_against_source():
    """The exact expected text, built from the source lines by hand-picked line numbers."""
    lines = SEED.split("\n")
    article = [lines[i] for i in (0, 2, 4, 6, 8, 10, 12, 14, 16, 19, 21, 23, 25)]
    article.append(lines[27].removesuffix(" / AP"))
    assert newsclean.clean(SEED) == "\n\n".join(article)


def test_seed_metadata_and_removals():
    r = newsclean.analyze(SEED)
    assert isinstance(r, Result)
    assert r.metadata["wire"] == ["AP"]
    assert r.metadata["dateline"] == "BEIJING"
    assert r.metadata["title"] == "Russia-NK deal may shift, but China’s grip persists"
    rules = {x.rule for x in r.removed}
    assert {"wire.slash-tail", "widget.empty-feed", "label.section", "footer.publisher"} <= rules
    for x in r.removed:
        assert isinstance(x, Removal)
        assert SEED[x.start:x.end] == x.text
        assert x.reason
        assert SEED.split("\n")[x.line].find(x.text) >= 0


def test_keep_title_false_drops_headline_but_reports_it():
    r = newsclean.analyze(SEED, keep_title=False)
    assert r.text.startswith("BEIJING —")
    assert r.metadata["title"] == "Russia-NK deal may shift, but China’s grip persists"
    assert any(x.rule == "heuristic.title" for x in r.removed)


def test_results_are_deterministic():
    a, b = newsclean.analyze(SEED), Cleaner().analyze(SEED)
    assert a.text == b.text and a.removed == b.removed and a.metadata == b.metadata


@pytest.mark.parametrize("bad", [None, b"bytes", 42, 3.5, ["list"]])
def test_non_str_input_raises_type_error(bad):
    with pytest.raises(TypeError, match="str"):
        newsclean.clean(bad)
    with pytest.raises(TypeError, match="str"):
        newsclean.analyze(bad)


def test_empty_and_blank_input():
    assert newsclean.clean("") == ""
    assert newsclean.clean("\n\n \n") == ""


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\u2028", "\u2029", "\n"])
def test_every_newline_becomes_lf(newline):
    text = (newline * 2).join(ARTICLE + ["Advertisement"])
    assert newsclean.clean(text) == "\n\n".join(ARTICLE)


def test_single_newlines_stay_single_and_blank_runs_collapse():
    text = ARTICLE[0] + "\n" + ARTICLE[1] + "\n\n\n\n" + ARTICLE[2] + "\nAdvertisement\n" + ARTICLE[3]
    assert newsclean.clean(text) == ARTICLE[0] + "\n" + ARTICLE[1] + "\n\n" + ARTICLE[2] + "\n" + ARTICLE[3]


def test_trailing_whitespace_trimmed_leading_kept():
    text = "\n\n".join(ARTICLE[:2]) + "\n\n    " + ARTICLE[2] + "   \t"
    assert newsclean.clean(text).endswith("\n\n    " + ARTICLE[2])


@pytest.mark.parametrize("disguise", ["Advertisement", "ADVERTISEMENT", "Adver\u200btisement", "\u00a0Advertisement\u00a0",
                                      "  advertisement  ", "**Advertisement**", "— Advertisement —"])
def test_case_spacing_and_invisible_characters_do_not_defeat_rules(disguise):
    text = "\n\n".join(ARTICLE[:2] + [disguise] + ARTICLE[2:])
    assert newsclean.clean(text) == "\n\n".join(ARTICLE)


def test_dateline_agency_tag_is_cut_and_dateline_kept():
    text = "DES MOINES, Iowa (AP) — Heavy rain flooded roads across central Iowa on Monday, officials said.\n\n" + "\n\n".join(ARTICLE)
    r = newsclean.analyze(text)
    assert r.text.startswith("DES MOINES, Iowa — Heavy rain flooded roads")
    assert r.metadata["dateline"] == "DES MOINES, Iowa"
    assert r.metadata["wire"] == ["AP"]
    cut = [x for x in r.removed if x.rule == "wire.dateline-agency"][0]
    assert cut.text == " (AP)" and text[cut.start:cut.end] == " (AP)"


def test_reuters_dateline_and_credit_metadata():
    text = ("LONDON (Reuters) - Shares rose on Monday as investors weighed the latest data on prices.\n\n"
            + "\n\n".join(ARTICLE) + "\n\n(Reporting by Jane Doe; Editing by John Roe)")
    r = newsclean.analyze(text)
    assert r.text.startswith("LONDON - Shares rose")
    assert "Reporting by" not in r.text
    assert r.metadata["wire"] == ["Reuters"]
    assert r.metadata["credits"] == ["(Reporting by Jane Doe; Editing by John Roe)"]


def test_byline_at_head_goes_to_metadata():
    text = "Mill site plan divides valley town\n\nBy Jane Doe and John Roe, Valley Herald\n\n" + "\n\n".join(ARTICLE)
    r = newsclean.analyze(text)
    assert r.metadata["byline"] == "Jane Doe and John Roe"
    assert r.text == "Mill site plan divides valley town\n\n" + "\n\n".join(ARTICLE)


def test_copyright_metadata():
    text = "\n\n".join(ARTICLE) + "\n\n© 2024 Valley Herald Media. All rights reserved."
    r = newsclean.analyze(text)
    assert r.text == "\n\n".join(ARTICLE)
    assert r.metadata["copyright"] == "© 2024 Valley Herald Media. All rights reserved."


def test_comments_heading_ends_the_article():
    comments = ["12 Comments", "I was at the meeting and the traffic concerns are real, believe me.",
                "This town needs housing more than it needs another empty mill, frankly speaking."]
    text = "\n\n".join(ARTICLE + comments)
    r = newsclean.analyze(text)
    assert r.text == "\n\n".join(ARTICLE)
    assert all(x.rule == "comments.heading" for x in r.removed)


def test_related_heading_ends_at_resumed_prose():
    related = ["Related Stories", "Council approves new budget", "Bridge closure extended"]
    text = "\n\n".join(ARTICLE[:2] + related + ARTICLE[2:])
    assert newsclean.clean(text) == "\n\n".join(ARTICLE)


def test_embedded_tweet_keeps_its_text_and_loses_its_residue():
    tweet = "The budget he filed today has $85M. That's not a compromise, that's a cut."
    text = "\n\n".join(ARTICLE[:2] + [tweet + " pic.twitter.com/Rt5Ve2KqLm",
                                      "— Sen. Mara Quillen (@SenQuillen) March 14, 2023"] + ARTICLE[2:])
    r = newsclean.analyze(text)
    assert r.text == "\n\n".join(ARTICLE[:2] + [tweet] + ARTICLE[2:])
    assert {x.rule for x in r.removed} == {"embed.pic-twitter", "embed.tweet-signature"}
    # Text, link and signature on one line (and a line that is only the link).
    one_line = "Huge crowd tonight! https://t.co/xyZ12345 — Team (@team) May 1, 2020"
    text = "\n\n".join(ARTICLE[:2] + [one_line, "https://t.co/AbC98765"] + ARTICLE[2:])
    assert newsclean.clean(text) == "\n\n".join(ARTICLE[:2] + ["Huge crowd tonight!"] + ARTICLE[2:])


@pytest.mark.parametrize("first", [
    "Tested by: Jane Doe Price: £23.99 More info: www.example.com",  # label: value pairs
    "Former ambassador to Ukraine has a net worth of $17 million.",  # a sentence
    "CLICK FOR FULL RESULTS OF THE STATE MEET",  # capitals throughout
])
def test_first_line_not_shaped_like_a_headline_is_kept(first):
    text = "\n\n".join([first] + ARTICLE)
    r = newsclean.analyze(text, keep_title=False)
    assert r.text == text and r.metadata["title"] is None


def test_headline_is_dropped_but_not_an_item_of_a_list():
    headline = "Calendar of the 2018 racing season"
    items = [f"Round {n}: {d} March at the coastal circuit" for n, d in ((1, 10), (2, 17), (3, 24), (4, 31))]
    text = "\n\n".join([headline, "\n".join(items)] + ARTICLE)
    r = newsclean.analyze(text, keep_title=False)
    assert r.metadata["title"] == headline
    assert r.text == "\n\n".join(["\n".join(items)] + ARTICLE)


def test_long_sentence_inside_article_is_never_guessed_away():
    odd = ("the committee, which met behind closed doors for six hours on Wednesday, did not publish minutes "
           "and members declined to comment afterwards")  # no capital, no final stop
    text = "\n\n".join(ARTICLE[:2] + [odd] + ARTICLE[2:])
    assert odd in newsclean.clean(text).split("\n\n")


def test_markdown_links_and_images():
    text = "\n\n".join([
        "# Mill site plan divides valley town",
        "![The old mill](https://example.com/mill.jpg)",
        ARTICLE[0], "[Read the plan](https://example.com/plan.pdf)", ARTICLE[1],
        "* [Home](https://example.com/) * [News](https://example.com/news)", ARTICLE[2], ARTICLE[3]])
    out = newsclean.clean(text)
    assert out == "\n\n".join(["# Mill site plan divides valley town"] + ARTICLE)


def test_cleaner_is_picklable_and_reusable():
    import pickle
    c = Cleaner(disable=["ad"], keep_title=False)
    c2 = pickle.loads(pickle.dumps(c))
    text = "\n\n".join(ARTICLE[:2] + ["Advertisement"] + ARTICLE[2:])
    assert c2.clean(text) == c.clean(text)
    assert "Advertisement" in c2.clean(text)


def test_clean_many_keeps_order():
    texts = ["\n\n".join(ARTICLE[:k + 1] + ["Advertisement"]) for k in range(4)] * 5
    c = Cleaner()
    assert list(c.clean_many(texts)) == [c.clean(t) for t in texts]


def test_big_inputs_are_handled():
    """A 5 MB single line and a document of many paragraphs: no error, no hang (the limit
    only catches runaway inputs; speed is measured in benchmarks/)."""
    line = ("word " * 1_000_000)[:5_000_000]
    with time_limit(120):
        assert newsclean.clean(line) == line.rstrip()
        big = "\n\n".join(ARTICLE * 20_000)  # about 9 MB
        out = newsclean.clean(big)
    assert out.count("\n\n") == len(ARTICLE) * 20_000 - 1


@pytest.mark.parametrize("line", [
    "(" * 50_000, "a" * 300 + "!" * 300, "—" * 399, "By " + "A " * 199, "Home > " * 57,
    "© " * 199, "pic.twitter.com/" * 25, "1 of " * 80, " | ".join(["Home"] * 100), "[x](" * 5000,
    "![" * 10_000, "#" * 100_000, "Updated " + "9:00 " * 78, "\u200b" * 100_000,
])
def test_adversarial_lines_do_not_hang(line):
    text = "\n\n".join(ARTICLE[:2] + [line] * 3 + ARTICLE[2:])
    with time_limit(60):
        out = newsclean.clean(text)
    for paragraph in ARTICLE:
        assert paragraph in out


EXTRA = [
    "A retired engineer said the river road had flooded twice in the past decade and would need a new drain.",
    "The developer has promised to pay for a traffic study before any building work starts next spring.",
]


def test_a_second_copy_of_the_article_goes_and_the_first_stays():
    body = ARTICLE + EXTRA
    text = "\n\n".join(body + ["Share this article"] + body)
    r = Cleaner().analyze(text)
    assert r.text == "\n\n".join(body)
    assert sum(x.rule == "heuristic.duplicate-copy" for x in r.removed) == len(body)


def test_repeats_that_are_not_a_copy_of_the_article_stay():
    body = ARTICLE + EXTRA
    # Fewer than five paragraphs repeated: a pull quote or a repeated list, not a copy.
    short = "\n\n".join(body + body[:4])
    assert newsclean.clean(short) == short
    # A run of five that holds less than half of the prose stays too.
    more = [f"Paragraph {k} of the long report describes another street of the town and what its residents want."
            for k in range(12)]
    minority = "\n\n".join(body + more + body[:5])
    assert newsclean.clean(minority) == minority
    # A text made of many repeats (a template, refrains) is left alone.
    many = "\n\n".join(body * 4)
    assert newsclean.clean(many) == many


CAPTION = "The mayor, left, speaks with residents during a visit to the flooded district on Tuesday, Nov. 19, 2019."


def test_a_gallery_caption_repeated_three_times_goes_with_every_copy():
    # A slide show: the same caption on each slide, photo credits between the copies.
    slides = [CAPTION, CAPTION, "Photo: Jane Doe, AP", CAPTION, CAPTION, "Photo: Jane Doe, AP"]
    r = Cleaner().analyze("\n\n".join(slides + ARTICLE))
    assert r.text == "\n\n".join(ARTICLE)
    assert sum(x.rule == "heuristic.gallery-repeat" for x in r.removed) == 4
    # The short form of the caption, cut before a 'more' button, is a copy too.
    short = CAPTION[:60] + "... more"
    r = Cleaner().analyze("\n\n".join([CAPTION + " less", short, CAPTION + " less", short] + ARTICLE))
    assert r.text == "\n\n".join(ARTICLE)


def test_a_line_said_twice_or_a_repeat_without_other_prose_stays():
    twice = "\n\n".join([CAPTION, CAPTION] + ARTICLE)
    assert CAPTION in newsclean.clean(twice)
    # Three copies and nothing else of substance: not taken for a gallery.
    alone = "\n\n".join([CAPTION] * 3 + ARTICLE[:1])
    assert CAPTION in newsclean.clean(alone)


def test_a_block_of_kicker_and_headline_teasers_goes():
    teasers = ["TIME TRAVELLER", "Theorists say they spotted a famous activist in an old photo",
               "EYE POPPING", "Bodybuilder has muscle removed after injecting oil for years",
               "DRIVEN OUT", "Council demands that the old shop signs come down by spring"]
    text = "\n\n".join(ARTICLE[:2] + teasers + ARTICLE[2:])
    r = Cleaner().analyze(text)
    assert r.text == "\n\n".join(ARTICLE)
    assert sum(x.rule == "heuristic.kicker-pairs" for x in r.removed) == 6
    # Subheadings in capitals over paragraphs of prose stay, and two pairs are not a block.
    subheads = "\n\n".join([ARTICLE[0], "WHAT HAPPENED", ARTICLE[1], "WHAT COMES NEXT", ARTICLE[2],
                            "THE COST"] + ARTICLE[3:])
    assert Cleaner().clean(subheads) == subheads
    two = "\n\n".join(ARTICLE[:2] + teasers[:4] + ARTICLE[2:])
    assert Cleaner().clean(two) == two


def test_keyword_line_after_the_article_goes():
    """A line of search keywords at the end of a post: short comma-separated items that
    repeat the same words (no 'Tags:' label to name it)."""
    from newsclean.inside import keyword_line
    assert keyword_line("stock car 2018, stock car brasil, stock car cascavel, stock car santa cruz do sul")
    assert keyword_line("climate change, climate policy, carbon tax, climate finance")
    assert not keyword_line("Paris, Lyon, Marseille, Nice, Lille")  # items share no word
    assert not keyword_line("The winners: best actor, best actress, best director, best film")
    assert not keyword_line("red wine, white wine, rosé wine")  # three items only
    paragraphs = [
        "The city council approved the new budget on Tuesday after a long and heated debate.",
        "The mayor said the plan would take effect next month and cut waiting times at clinics.",
        "Opposition members said the plan did too little for the outer districts of the city.",
    ]
    keywords = "city budget 2024, city budget vote, city council budget, budget debate"
    out = newsclean.clean("\n\n".join(paragraphs + [keywords]))
    assert out == "\n\n".join(paragraphs)
    cut = [r for r in newsclean.analyze("\n\n".join(paragraphs + [keywords])).removed]
    assert [r.rule for r in cut] == ["heuristic.keyword-line"]
    # Followed by more of the article, the same line is not at the end: it stays.
    inside = "\n\n".join(paragraphs[:2] + [keywords] + paragraphs[2:])
    assert keywords in newsclean.clean(inside)
    assert keywords in newsclean.Cleaner(disable=["heuristic.keyword-line"]).clean("\n\n".join(paragraphs + [keywords]))


def test_language_is_read_off_lines_that_end_like_sentences():
    """A page's longest lines may be widget markup or a language menu in another language:
    with three lines or more that end like sentences, those are read (found by hypothesis: a
    Japanese article under English button shortcodes kept its Japanese copyright line)."""
    from newsclean.language import detect
    button = '[button link="http://example.com/submit/" type="big"] Send us your review[/button]'
    article = ["県内全域に熱中症警戒アラート\u3000あすは最高気温37度予想",
               "気象台と環境省は20日、県内全域に熱中症警戒アラートを発表した。21日は各地で気温が上がり、内陸部では最高気温が37度に達する見込みだ。",
               "県は、日中の不要不急の外出を控え、室内でもエアコンを適切に使うよう呼びかけている。",
               "県内では今月に入り、熱中症の疑いで救急搬送された人が200人を超えている。"]
    document = "\n\n".join([button] + article[:2] + [button] + article[2:] + [button, "(C)江ノ浦新報社"])
    assert detect(document.split("\n")) == "ja"
    assert newsclean.clean(document) == "\n\n".join(article)
    menu = ("Change language: Afrique francophone (français) América Latina (español) Argentina (español) "
            "Brasil (português) Deutschland (Deutsch) Italia (italiano) Nederland (Nederlands)")
    english = ["The council voted on Tuesday to approve the new budget after a long debate.",
               "The mayor said the plan would take effect next month and would not raise taxes.",
               "Opponents said they would keep pressing for more money for the city's parks."]
    assert detect([menu] + english) == "en"
