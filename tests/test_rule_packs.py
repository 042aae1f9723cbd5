"""Every rule's own examples and counterexamples, and the validation of rule packs."""

from __future__ import annotations

import pytest

import newsclean
from newsclean.document import clean_form
from newsclean.matcher import RuleSet
from newsclean.rules import RulePackError, builtin_packs, load_pack

from conftest import ARTICLE

RULES = [r for p in builtin_packs() for r in p.rules]
CLEANERS: dict[str, newsclean.Cleaner] = {}


def cleaner_for(rule) -> newsclean.Cleaner:
    """A cleaner with the rule's own language (English for language-neutral rules)."""
    lang = "en" if "*" in rule.languages else rule.languages[0]
    if lang not in CLEANERS:
        CLEANERS[lang] = newsclean.Cleaner(lang=lang)
    return CLEANERS[lang]


def test_rule_ids_are_unique_across_packs():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples_match_their_rule(rule):
    alone = RuleSet([rule])
    for example in rule.examples:
        if rule.scope == "start":
            m = alone.match_start(example)
            assert m is not None and m.end > m.start, example
        elif rule.scope == "end":
            m = alone.match_end(example)
            assert m is not None and m.end > m.start, example
        elif rule.scope == "tail":
            assert alone.match_tail(clean_form(example)) is rule, example
        else:
            assert alone.match_line(clean_form(example)) is rule, example


def _article_with(line: str, at: int) -> str:
    paragraphs = ARTICLE[:at] + [line] + ARTICLE[at:]
    return "\n\n".join(paragraphs)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_examples_are_removed_from_an_article(rule):
    for example in rule.examples:
        if rule.scope in ("start", "end"):
            text = _article_with(example, 2)
            out = cleaner_for(rule).clean(text)
            m = (RuleSet([rule]).match_start if rule.scope == "start" else RuleSet([rule]).match_end)(example)
            assert example[m.start:m.end].strip() not in out.split("\n\n")[2] or not example[m.start:m.end].strip()
            continue
        at = len(ARTICLE) if rule.scope in ("tail", "section") else 2
        out = cleaner_for(rule).clean(_article_with(example, at))
        assert example.strip() not in out.split("\n"), example
        for paragraph in ARTICLE:
            assert paragraph in out.split("\n"), (example, paragraph)


@pytest.mark.parametrize("rule", [r for r in RULES if r.counterexamples], ids=lambda r: r.id)
def test_counterexamples_survive_in_an_article(rule):
    for counter in rule.counterexamples:
        at = len(ARTICLE) if rule.scope == "tail" else 2
        out = cleaner_for(rule).clean(_article_with(counter, at))
        assert counter in out.split("\n"), counter


def test_every_rule_has_a_description_and_a_counterexample_or_is_symbolic():
    for r in RULES:
        assert r.description
        assert r.examples


@pytest.mark.parametrize("body, message", [
    ('[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["A"]\nexamples = ["A"]\n', "missing [pack]"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "nocategory"\ndescription = "d"\nphrases = ["A"]\nexamples = ["A"]\n', "category.name"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "bogus.x"\ndescription = "d"\nphrases = ["A"]\nexamples = ["A"]\n', "unknown category"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\npattern = "(a"\nexamples = ["A"]\n', "invalid regular expression"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\npattern = "(a+)+b"\nexamples = ["A"]\n', "backtrack"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["A"]\n', "example"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\nphrases = ["A"]\nexamples = ["A"]\n', "description"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["A"]\nexamples = ["A"]\n'
     '[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["B"]\nexamples = ["B"]\n', "duplicate"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["A"]\nexamples = ["A"]\ncolour = 1\n', "unknown keys"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\nphrases = ["A"]\npattern = "a"\nexamples = ["A"]\n', "exactly one"),
    ('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\nscope = "end"\nphrases = ["A"]\nexamples = ["A"]\n', "needs a 'pattern'"),
    ('this is = not toml [', "not valid TOML"),
])
def test_malformed_pack_names_file_and_rule(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RulePackError) as err:
        load_pack(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)
    if "ad.x" in body and message not in ("missing [pack]", "not valid TOML"):
        assert "ad.x" in str(err.value)


def test_user_pack_adds_rules_and_disable_by_id_and_category(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text(
        '[pack]\nname = "mine"\n[[rules]]\nid = "label.house-promo"\n'
        'description = "Our own promo label."\nphrases = ["Valley Deals of the Week"]\n'
        'examples = ["Valley Deals of the Week"]\n', encoding="utf-8")
    text = "\n\n".join(ARTICLE[:2] + ["Valley Deals of the Week"] + ARTICLE[2:])
    assert "Valley Deals of the Week" in newsclean.clean(text)
    assert "Valley Deals of the Week" not in newsclean.Cleaner(extra_rules=pack).clean(text)
    assert "Valley Deals of the Week" in newsclean.Cleaner(extra_rules=pack, disable=["label.house-promo"]).clean(text)
    assert "Valley Deals of the Week" in newsclean.Cleaner(extra_rules=[pack], disable=["label"]).clean(text)


_PT_PAGE = ("O governo anunciou nesta terça-feira um novo pacote de medidas para conter a alta dos preços "
            "dos alimentos, que inclui a redução de impostos sobre produtos da cesta básica.\n\n"
            "Share this article\n\n"
            "Segundo o ministro da Fazenda, as medidas devem entrar em vigor no próximo mês e custar cerca "
            "de R$ 5 bilhões aos cofres públicos até o fim do ano.")


def test_english_chrome_is_cut_on_pages_in_other_languages():
    """The en pack is marked `everywhere`: a Portuguese page's English share prompt goes; a
    Cleaner told the language (lang='pt') uses that language's packs only."""
    result = newsclean.analyze(_PT_PAGE)
    assert [(r.rule, r.text) for r in result.removed] == [("social.share", "Share this article")]
    assert "Share this article" in newsclean.Cleaner(lang="pt").clean(_PT_PAGE)
    ui = {"social", "nav", "widget", "cta", "notice", "label"}
    assert all(r.everywhere == (r.pack == "en" and r.category in ui) for r in RULES)


def test_pack_everywhere_is_a_boolean_or_categories(tmp_path):
    pack = tmp_path / "mine.toml"
    pack.write_text('[pack]\nname = "mine"\neverywhere = "yes"\n[[rules]]\nid = "label.x"\n'
                    'description = "x"\nphrases = ["x"]\nexamples = ["x"]\n', encoding="utf-8")
    with pytest.raises(RulePackError, match="everywhere"):
        load_pack(pack)
    pack.write_text(pack.read_text(encoding="utf-8").replace('"yes"', '["label", "gossip"]'), encoding="utf-8")
    with pytest.raises(RulePackError, match="everywhere"):
        load_pack(pack)
    pack.write_text(pack.read_text(encoding="utf-8").replace('["label", "gossip"]', '["label"]'), encoding="utf-8")
    assert load_pack(pack).rules[0].everywhere


def test_disable_unknown_name_is_an_error():
    with pytest.raises(ValueError, match="no-such-rule"):
        newsclean.Cleaner(disable=["ad.no-such-rule"])


def test_packs_do_not_fire_on_other_languages_articles():
    """Each language's rules run over every other language's fixture articles (their
    expected outputs) and cut nothing."""
    from newsclean.document import clean_form
    from conftest import fixture_pairs
    by_lang: dict[str, list] = {}
    for r in RULES:
        for lang in r.languages:
            if lang != "*":
                by_lang.setdefault(lang, []).append(r)
    sets = {lang: RuleSet(rules) for lang, rules in by_lang.items()}
    for name, _, expected in fixture_pairs():
        article_lang = name.split("/")[0]
        for lang, rs in sets.items():
            if lang == article_lang:
                continue
            for line in expected.split("\n"):
                if not line.strip():
                    continue
                clean = clean_form(line)
                assert rs.match_line(clean) is None, (lang, name, line)
                assert rs.match_tail(clean) is None, (lang, name, line)
                for m in (rs.match_start(line), rs.match_end(line)):
                    assert m is None or m.end == m.start, (lang, name, line)


@pytest.mark.parametrize("pattern, message", [
    ("(?s)chrome.*", "global flags"),
    ("a{4294967296}", "too large"),
    ("(?P<cut>x)?(?(cut)y|z)", "conditional groups"),
    ("(" * 1200 + "a" + ")" * 1200, ""),
])
def test_patterns_that_would_break_the_matchers_are_refused(tmp_path, pattern, message):
    """Found by fuzzing: each used to pass validation and then break, or crash the loader."""
    path = tmp_path / "bad.toml"
    path.write_text('[pack]\nname = "p"\n[[rules]]\nid = "ad.x"\ndescription = "d"\n'
                    f"pattern = '''{pattern}'''\nexamples = [\"x\"]\n", encoding="utf-8")
    with pytest.raises(RulePackError) as err:
        newsclean.Cleaner(extra_rules=path)
    assert str(path) in str(err.value) and "ad.x" in str(err.value) and message in str(err.value)


def test_pack_that_is_not_utf8_names_its_file(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[pack]\nname = "café"\n'.encode("latin-1"))
    with pytest.raises(RulePackError, match="latin1.toml"):
        load_pack(path)
