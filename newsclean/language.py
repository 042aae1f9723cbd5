"""Language of a document: by script for the scripts one language owns here (Hangul, kana,
Han, Arabic, Cyrillic), else by the function words of its longest lines.

Light and local: no model, nothing downloaded; the word lists are the same ones the
sentence-likeness heuristic uses (`newsclean/data/function_words/<lang>.txt`).
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from itertools import chain
from importlib import resources

_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u0750-\u077f\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_TERMINAL = frozenset(".!?。！？؟")
_CLOSE = " \"'”’»)]」』"
_STRIP = ".,;:!?\"'“”‘’()[]{}«»—–-…*_،؛؟，。！？：；、（）「」『』《》"


def _load() -> dict[str, frozenset[str]]:
    root = resources.files("newsclean") / "data" / "function_words"
    words = {}
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".txt"):
            text = "\n".join(l for l in entry.read_text("utf-8").splitlines() if not l.startswith("#"))
            words[entry.name[:-4]] = frozenset(text.split())
    return words


FUNCTION_WORDS_BY_LANG = _load()
ALL_FUNCTION_WORDS = frozenset().union(*FUNCTION_WORDS_BY_LANG.values())
# word -> the languages it is a function word of
_LANGS_OF: dict[str, tuple[str, ...]] = {}
for _lang, _words in FUNCTION_WORDS_BY_LANG.items():
    for _w in _words:
        _LANGS_OF[_w] = _LANGS_OF.get(_w, ()) + (_lang,)


def detect(lines: list[str], sample_lines: int = 3, max_tokens: int = 150) -> str | None:
    """The language of a document given its lines, or None when unsure. Only its longest
    lines are read (prose, not menus), so the cost does not grow with the document."""
    # Lines that end like a sentence, when there are enough of them: the longest lines of a
    # whole page are often a language menu, a row of keywords or a widget's markup.
    prose = [line for line in lines if line.rstrip(_CLOSE)[-1:] in _TERMINAL]
    pool = prose if len(prose) >= sample_lines else lines
    sample = " ".join(heapq.nlargest(sample_lines, pool, key=len))[:1500]
    if not sample.strip():
        return None
    if not sample.isascii() and _NON_LATIN.search(sample):
        letters = len(_LETTER.findall(sample)) or 1
        if len(_KANA.findall(sample)) > 0.05 * letters:
            return "ja"
        if len(_HANGUL.findall(sample)) > 0.2 * letters:
            return "ko"
        if len(_HAN.findall(sample)) > 0.2 * letters:
            return "zh"
        if len(_ARABIC.findall(sample)) > 0.3 * letters:
            return "ar"
        if len(_CYRILLIC.findall(sample)) > 0.3 * letters and "ru" in FUNCTION_WORDS_BY_LANG:
            return "ru"
    tokens = [t.strip(_STRIP) for t in sample.casefold().split(None, max_tokens)[:max_tokens]]
    scores = Counter(chain.from_iterable(filter(None, map(_LANGS_OF.get, tokens))))
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best, hits = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0
    if hits < 3 or hits < 1.3 * runner:
        return None
    return best
