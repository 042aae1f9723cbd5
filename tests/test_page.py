"""Whole pages converted to text: the page's menus and story lists around the article."""

from __future__ import annotations

from newsclean import Cleaner

from conftest import ARTICLE

TEASERS = ["Storm closes mountain pass for third day", "School board picks new superintendent",
           "Local bakery wins regional bread prize", "Ferry fares to rise in the spring"]


def page_head_cuts(text: str) -> list[str]:
    return [r.text for r in Cleaner(keep_title=False).analyze(text).removed if r.rule == "heuristic.page-head"]


def test_story_list_above_the_last_menu_line_goes():
    # Under the headline, a share bar; then teaser headlines, a menu line a rule names,
    # and the article.
    head = ["Mill site plan divides valley town", "[Share](https://x.example/s) [Email](https://x.example/e)"]
    text = "\n\n".join(head) + "\n\n" + "\n".join(TEASERS) + "\n\nWeather\n\n" + "\n\n".join(ARTICLE)
    out = Cleaner(keep_title=False).clean(text)
    assert out == "\n\n".join(ARTICLE)
    assert page_head_cuts(text) == TEASERS
    kept = Cleaner(keep_title=False, disable=["heuristic.page-head"]).clean(text)
    assert all(t in kept for t in TEASERS)


def test_lines_under_the_headline_before_any_chrome_stay():
    # A standfirst-like line between the headline and the first chrome leads into the article.
    head = ["Mill site plan divides valley town", "Council weighs forty flats and a market hall",
            "[Share](https://x.example/s) [Email](https://x.example/e)"]
    text = "\n\n".join(head) + "\n\n" + "\n".join(TEASERS) + "\n\nWeather\n\n" + "\n\n".join(ARTICLE)
    assert "Council weighs forty flats and a market hall" in Cleaner().clean(text)
    assert page_head_cuts(text) == TEASERS


def test_without_chrome_above_the_article_the_lines_stay():
    # A list opening an article text (no menu above the prose): nothing is guessed away.
    text = "\n".join(TEASERS) + "\n\n" + "\n\n".join(ARTICLE)
    assert page_head_cuts(text) == []


def test_prose_and_lines_between_prose_above_the_chrome_stay():
    # A paragraph and a wrapped line between two paragraphs are not a menu's items.
    lead = ["The mayor opened the session by thanking volunteers who cleaned the river banks.",
            "Second thoughts on the plan",
            "Many residents said they had not been asked about the mill before the vote was set."]
    text = "\n".join(lead) + "\n\nWeather\n\n" + "\n\n".join(ARTICLE)
    assert page_head_cuts(text) == []


def test_head_with_more_prose_than_the_block_is_left_alone():
    # The chrome line sits between the article and a short footer: the block is not the
    # article, so the lines above the chrome are not the page's head.
    article = ["Recipe notes", *ARTICLE, "Step one", *ARTICLE]
    footer = "The information on this website is provided for general information and is not advice of any kind."
    text = "\n\n".join(article) + "\n\nWeather\n\n" + footer
    assert "Recipe notes" not in page_head_cuts(text)


def test_comments_button_in_a_share_bar_does_not_open_a_section():
    # 'Comments' between share buttons above the text is a button; below the article, a
    # 'Comments' heading still opens the comment section.
    bar = ["Facebook", "Twitter", "Comments", "Print", "Email"]
    comment = "I went to the hearing and I think the council should listen to the people who live there."
    text = "\n\n".join([ARTICLE[0], *bar, *ARTICLE[1:], "Comments", comment])
    out = Cleaner(keep_title=False).clean(text)
    assert all(p in out for p in ARTICLE)
    assert comment not in out


GRID = ["Ferry fares to rise in the spring", "Jane Doe", "March 3, 2024",
        "The ferry company said higher fuel costs left it no choice but to raise the price of a return ticket.",
        "School board picks new superintendent", "John Roe", "March 2, 2024",
        "The board chose a former principal from the next county after a search that took most of the winter.",
        "Local bakery wins regional bread prize", "Ann Poe", "March 1, 2024",
        "Judges praised the sourdough loaf that the family has baked the same way for more than forty years."]


def test_grid_of_other_stories_after_the_article_goes():
    # A section label after the article, then units of headline, author, date and a
    # one-sentence summary: the block ran on through them; they go as a grid.
    text = "\n\n".join([*ARTICLE, "Opinion", *GRID])
    res = Cleaner(keep_title=False).analyze(text)
    assert res.text == "\n\n".join(ARTICLE)
    assert {r.rule for r in res.removed if r.text in GRID} == {"heuristic.grid", "timestamp.date"}
    kept = Cleaner(keep_title=False, disable=["heuristic.grid"]).clean(text)
    assert GRID[3] in kept


def test_sections_of_one_paragraph_without_chrome_stay():
    # Subheadings each over one paragraph, after the article's opening: no chrome line
    # opens them, so they are the article's own sections.
    sections = [line for k, line in enumerate(GRID) if k % 4 in (0, 3)]
    text = "\n\n".join([*ARTICLE, *sections])
    assert Cleaner(keep_title=False).clean(text) == text


def test_live_blog_entries_after_a_timestamp_stay():
    # Entries under a time and a heading, one paragraph each: a timestamp does not open a grid.
    entries = []
    for k in range(0, 12, 4):
        entries += [f"{10 + k}:05 a.m.", GRID[k], GRID[k + 3]]
    text = "\n\n".join([*ARTICLE, *entries])
    out = Cleaner(keep_title=False).clean(text)
    assert all(GRID[k + 3] in out for k in range(0, 12, 4))


def test_one_paragraph_sections_under_a_newsletter_box_with_prose_after_stay():
    # A newsletter box inside the article, then subheadings over one paragraph each, then
    # more of the article's connected prose: not the page's tail, nothing goes.
    sections = [line for k, line in enumerate(GRID) if k % 4 in (0, 3)]
    more = [p.replace("council", "county board") for p in ARTICLE]
    text = "\n\n".join([*ARTICLE[:2], "Subscribe to our newsletter", *sections, *ARTICLE[2:], *more])
    out = Cleaner(keep_title=False).clean(text)
    assert all(p in out for p in [*ARTICLE, *sections, *more])
    assert "Subscribe to our newsletter" not in out


def test_a_stray_chrome_line_under_the_first_paragraph_is_not_a_page_head():
    """A page's head is menus and story lists, many lines; a headline and a live blog's
    first timestamp above one chrome line (a copyright line under the first paragraph)
    are the article's own."""
    article = [
        "Election night live: Harlan wins governor's race as Senate contest stays close",
        "Here's the latest from election night across the state. Results are unofficial until certified.",
        "1:35 a.m.",
        "Harlan declares victory in governor's race",
        "Former Attorney General Ruth Harlan has won the race for governor, defeating state Sen. Colin "
        "Drayton, according to unofficial results with 94% of the expected vote counted.",
        "\"Tonight the voters chose a government that works for them,\" Harlan told supporters at a "
        "downtown hotel ballroom. Drayton has not conceded.",
        "12:50 a.m.",
        "Senate race narrows as mail ballots come in",
        "The gap in the Senate race has shrunk to fewer than 9,000 votes as larger counties report "
        "mail-in ballots, and officials said counting would resume on Wednesday morning.",
    ]
    document = "\n\n".join(article[:3] + ["(c) 2020 Example Ltd"] + article[3:])
    assert Cleaner().clean(document) == "\n\n".join(article)


def test_a_list_after_the_first_paragraph_is_not_a_page_head():
    """The first line kept under the headline is a paragraph: the article has begun, so a
    list further down (a recipe's ingredients) with chrome lines around it stays (found by
    hypothesis: a copyright line under the headline and 'Back to top' after the list)."""
    article = [
        "# Red lentil soup with lemon and cumin, ready in 35 minutes",
        "This is the soup I make when the fridge is nearly empty and everyone is hungry. Red lentils "
        "cook down in about 20 minutes without soaking, and a squeeze of lemon at the end wakes everything up.",
        "It freezes well, too, so consider doubling the batch.",
        "## Ingredients",
        "- 2 tablespoons olive oil\n- 1 large onion, diced\n- 2 carrots, diced\n- 3 garlic cloves, minced\n"
        "- 2 teaspoons ground cumin\n- 1 1/2 cups red lentils, rinsed\n- 6 cups vegetable broth\n- 1 lemon\n"
        "- Salt and pepper",
        "## Steps",
        "1. Warm the oil in a large pot over medium heat. Add the onion and carrots and cook until soft, "
        "about 8 minutes.\n2. Stir in the garlic and cumin and cook for 1 minute.\n"
        "3. Add the lentils and broth. Bring to a boil, then lower the heat and simmer for 20 minutes, "
        "until the lentils fall apart.\n4. Blend about half the soup, or all of it if you like it smooth.\n"
        "5. Squeeze in the lemon juice, season and serve.",
        "**Make ahead:** The soup keeps for 4 days in the fridge and 3 months in the freezer.",
    ]
    document = "\n\n".join(article[:1] + ["(c) 2020 Example Ltd"] + article[1:2] + ["(AP Photo/John Roe)"]
                            + article[2:5] + ["Back to top"] + article[5:])
    assert Cleaner().clean(document) == "\n\n".join(article)
