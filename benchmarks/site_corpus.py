"""A generated multi-site corpus whose chrome is known: for the site-learning benchmark
(`benchmarks/site_learning.py`) and the tests (`tests/test_sites.py`, `tests/test_dask.py`).

Each site has its own template: a masthead, a navigation bar, section labels, a dateline
with the page's date and time, a comment count, widget headings and texts, a newsletter
pitch, a long "about us" sentence, footer lines; some template lines are on every page,
others only on a share of them (a promo on 40%, a poll on 10%, a pitch sentence on 35%).
Articles are paragraphs of generated sentences (unique in practice), with a headline,
sometimes a subheading shared by a share of the site's articles, and sometimes a standard
boilerplate sentence ("This story has been updated…") as real articles have.

Every line is labelled: `Page.lines` is a list of (kind, text), kind "chrome" or "article".
Deterministic for a given seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

_NAMES = ["Valley", "Harbor", "Summit", "Prairie", "Lakeside", "Northern", "Capital", "Coastal", "Riverside",
          "Highland", "Metro", "Pine", "Granite", "Bay", "Desert", "Frontier", "Union", "Liberty", "Canyon", "Meadow",
          "Eastside", "Westfield", "Oak", "Cedar", "Maple"]
_KINDS = ["Herald", "Courier", "Gazette", "Tribune", "Sentinel", "Chronicle", "Observer", "Post", "Ledger", "Journal"]
_TLDS = ["com", "co.uk", "com.au", "org", "net", "de", "co.nz", "ca"]
_SECTIONS = ["News", "Politics", "Business", "Sports", "Opinion", "Culture", "Science", "Health", "Local", "World",
             "Education", "Weather", "Travel", "Food", "Tech"]
_WIDGETS = ["Most read", "Trending now", "Editor's picks", "Latest stories", "Popular this week", "Don't miss",
            "More from the newsroom", "In case you missed it", "Top stories", "Recommended for you"]
_CTA = ["Sign up for the morning briefing and get the day's top stories in your inbox",
        "Get the app of {s} for breaking news alerts",
        "Support local journalism: subscribe to {s} today",
        "Join the community of {s} and never miss a story"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]

# Article sentences: a subject, a verb phrase, an object and a tail, drawn independently.
_SUBJECTS = ["The city council", "A local school board", "State officials", "The county sheriff", "Hospital staff",
             "Farmers in the region", "The transit authority", "Several residents", "A group of parents",
             "The university", "Small business owners", "The fire department", "Environmental groups",
             "The mayor's office", "Volunteers", "Union leaders", "Researchers at the lab", "The planning commission",
             "Teachers", "Neighbors on the east side"]
_VERBS = ["approved", "questioned", "debated", "rejected", "welcomed", "delayed", "announced", "criticized",
          "reviewed", "proposed", "defended", "funded", "studied", "postponed", "celebrated", "investigated"]
_OBJECTS = ["a plan to rebuild the old bridge", "new rules for short-term rentals", "the budget for next year",
            "a proposal to expand bus service", "changes to the school calendar", "a study of water quality",
            "the sale of a downtown parking lot", "a program for first-time home buyers", "plans for a new clinic",
            "a measure to limit truck traffic", "the design of a riverside park", "an audit of public contracts",
            "a grant for youth sports", "the closure of a rural post office", "repairs to the library roof",
            "a pilot project for electric buses", "the hiring of more nurses", "a ban on fireworks near the forest"]
_TAILS = ["on {day} evening", "after a long public hearing", "despite objections from some members",
          "in a vote of {a} to {b}", "for the {nth} time this year", "at a meeting that ran past midnight",
          "citing rising costs", "with little debate", "after months of negotiations", "in a closed session",
          "following complaints from residents", "ahead of the summer season", "before the deadline in {month}",
          "as costs rose by {pct} percent", "with support from {a} local groups"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_QUOTES = ["\"We have waited long enough,\" said one resident who has lived in the area for {a} years.",
           "\"This is about the next generation,\" a spokesperson said in a statement on {day}.",
           "Officials said a final decision could come as early as {month}.",
           "The measure will cost about ${a} million over {b} years, according to estimates.",
           "Critics said the process had been rushed and called for another round of public comment."]
# Standard sentences that recur across a site's articles (not chrome: the gold keeps them).
_BOILERPLATE = ["This story has been updated with additional information and comments from officials.",
                "The Associated Press contributed reporting to this story from the state capital.",
                "Police asked anyone with information about the incident to call the department's tip line."]
_SUBHEADS = ["What happens next", "Why it matters", "The background", "What residents say", "By the numbers"]


@dataclass
class Page:
    site: str
    url: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): "chrome" or "article"

    @property
    def text(self) -> str:
        return "\n\n".join(t for _, t in self.lines)

    def record(self, i: int) -> dict:
        return {"id": i, "url": self.url, "text": self.text}


@dataclass
class Site:
    domain: str
    name: str
    template: dict = field(default_factory=dict)
    chrome: set = field(default_factory=set)  # every template line's text as it appears on its pages


def _sentence(rng: random.Random) -> str:
    tail = rng.choice(_TAILS).format(day=rng.choice(_DAYS), a=rng.randint(2, 9), b=rng.randint(1, 4),
                                     nth=rng.choice(["second", "third", "fourth"]), month=rng.choice(_MONTHS),
                                     pct=rng.randint(3, 40))
    return f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {tail}."


def _paragraph(rng: random.Random) -> str:
    parts = [_sentence(rng) for _ in range(rng.randint(2, 3))]
    if rng.random() < 0.3:
        parts.append(rng.choice(_QUOTES).format(a=rng.randint(3, 60), b=rng.randint(2, 12), day=rng.choice(_DAYS),
                                                month=rng.choice(_MONTHS)))
    return " ".join(parts)


def make_site(rng: random.Random, k: int) -> Site:
    name = f"The {_NAMES[k % len(_NAMES)]} {_KINDS[(k * 7 + k // len(_NAMES)) % len(_KINDS)]}"
    slug = name.lower().replace("the ", "").replace(" ", "")
    domain = f"{slug}{k}.{_TLDS[k % len(_TLDS)]}"
    sections = rng.sample(_SECTIONS, 6)
    widgets = rng.sample(_WIDGETS, 3)
    t = {
        "masthead": name,
        "nav": " | ".join(["Home"] + sections[:5]),
        "sections": sections,
        "widgets": widgets,
        "cta": rng.choice(_CTA).format(s=name),
        "about": (f"{name} is an independent newsroom that has served readers in the region since "
                  f"{rng.randint(1870, 1990)}, supported by subscribers and local advertisers."),
        "pitch": (f"Every story you read on this site is paid for by readers, so please consider a "
                  f"subscription to {name} if you value independent local reporting."),
        "promo": f"{rng.choice(['Win tickets', 'Holiday offer', 'Readers choice awards', 'Home and garden show'])} — enter now",
        "poll": "Take our reader poll",
        "copyright": f"© {{year}} {name} Media Group. All rights reserved.",
        "address": f"{rng.randint(10, 999)} {rng.choice(['Main', 'Market', 'Front', 'Water'])} Street, "
                   f"{_NAMES[(k + 3) % len(_NAMES)]}ville",
        "legal": "Terms of use · Privacy policy · Contact us · Advertise",
    }
    return Site(domain, name, t)


def make_page(rng: random.Random, site: Site, j: int) -> Page:
    t = site.template
    host = rng.choice(["www.", "", "news."]) + site.domain
    page = Page(site.domain, f"https://{host}/{rng.choice(t['sections']).lower()}/{j}-{rng.randint(1000, 9999)}")
    add = page.lines.append
    date = f"{rng.choice(_MONTHS)} {rng.randint(1, 28)}, {rng.randint(2019, 2025)}"
    time = f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['AM', 'PM'])}"

    def chrome(text: str) -> None:
        add(("chrome", text))
        site.chrome.add(text)

    chrome(t["masthead"])
    chrome(t["nav"])
    chrome(rng.choice(t["sections"][:3]))  # the section label: each on about a third of the pages
    if rng.random() < 0.4:
        chrome(t["promo"])
    add(("article", " ".join(_sentence(rng).split()[:rng.randint(6, 11)]).rstrip(".,").capitalize()))  # headline
    chrome(f"Updated: {date} {time}")
    chrome(f"{rng.randint(0, 480)} comments")
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(3, 7))]
    if rng.random() < 0.3:  # a subheading shared with some of the site's other articles
        paragraphs.insert(rng.randint(1, len(paragraphs) - 1), _SUBHEADS[(j + len(site.domain)) % 3])
    if rng.random() < 0.3:
        paragraphs.append(_BOILERPLATE[len(site.domain) % len(_BOILERPLATE)])
    for p in paragraphs:
        add(("article", p))
    if rng.random() < 0.35:
        chrome(t["pitch"])
    chrome(t["cta"])
    for w in t["widgets"]:
        chrome(w)
    if rng.random() < 0.1:
        chrome(t["poll"])
    if rng.random() < 0.9:
        chrome(t["about"])
    chrome(t["copyright"].format(year=rng.randint(2019, 2025)))
    chrome(t["address"])
    chrome(t["legal"])
    return page


def generate(sites: int = 20, pages: int = 50, seed: int = 7) -> tuple[list[Site], list[Page]]:
    """The sites and their pages, the pages of all sites interleaved as a crawl would mix them."""
    rng = random.Random(seed)
    all_sites = [make_site(rng, k) for k in range(sites)]
    all_pages = [make_page(rng, s, j) for j in range(pages) for s in all_sites]
    rng.shuffle(all_pages)
    return all_sites, all_pages
