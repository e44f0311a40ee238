"""Lower-cased text given back its capitals where they are certain, before it is parsed.

The tagger, parser and entity recogniser are trained on capitalised news: in a
text written all in lower case (some archives and data sets) they take names
for verbs ("denmark"), nouns or nothing, and the parse around them goes wrong.
``Truecaser`` restores the capitals it can be sure of: each sentence's first
letter, the pronoun "I", and the names of the knowledge base written as it
writes them ("new delhi" -> "New Delhi", "bjp" -> "BJP") when their lower-case
form is no ordinary word (the lexicon's ``lowercase_ambiguous``, stop words,
``components.ordinary_word``), and the places of the gazetteer right after a
preposition of place ("near bannu" -> "near Bannu") when no word of theirs is
an ordinary one (``_place_after``). Only the case of letters
changes, so the text keeps its length and every offset points into the original.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable

from spacy.language import Language

from ..geocode.cues import AREA_NOUNS, PLACE_PREPS
from ..geocode.gazetteer import Gazetteer, fold, gazetteer_at
from ..knowledge.known_actors import Knowledge
from .components import Words, ordinary_word
from .lemmas import guesses

#: a word of a name; names run to this many words
_WORD = re.compile(r"[a-z][a-z.-]*[a-z.]|[a-z]")  # "syria's": the name, then its possessive
LONGEST = 5
#: a sentence's first letter: at the text's start, after a line break, or after a full stop
_SENTENCE_START = re.compile(r"(?:^|[\n]|[.!?][\"'\u201d\u2019)]?\s+)[\"'\u201c\u2018(]?([a-z])")
#: days and the months whose names are no other word ("may", "march" and "august" are)
_CALENDAR = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|april|june|july"
    r"|september|october|november|december)\b"
)
_I = re.compile(r"(?<![\w'-])i(?=[\s,.;:!?'\u2019])")


def lower_cased_text(text: str) -> bool:
    """Whether ``text`` is written in lower case throughout: almost no word has a capital
    (a sentence's first word may), as ``components.lower_cased`` reads a parsed Doc."""
    words = re.findall(r"(?<![.!?\n]\s)(?<!^)\b[^\W\d_]+\b", text, re.M)
    if len(words) < 6:
        return False
    return sum(not w.islower() for w in words) <= 0.04 * len(words)


#: a place named after a preposition of place whose words the dictionary does not know ("bannu")
#: is one when some reading of it is an area or a town of this many people ("rs" for rupees is not)
UNKNOWN_WORD_POPULATION = 10_000
#: a name that is also a noun of the dictionary ("lucknow", "delhi": WordNet lists names among its
#: nouns, as it lists "border" and "town") only when its own name is a first-level area's or a city's
#: of this many people
KNOWN_WORD_POPULATION = 1_000_000
#: words of a place's name after the preposition
PLACE_WORDS = 3


class Truecaser:
    def __init__(
        self,
        kb: Knowledge,
        ambiguous: frozenset[str],
        words: Words,
        stop: frozenset[str],
        gaz: Gazetteer | None = None,
    ) -> None:
        self.words, self.stop, self.ambiguous, self.gaz = words, stop, ambiguous, gaz
        self.names: dict[tuple[str, ...], str] = {}
        for key in kb.terms:
            cased = _cased(key, kb.forms.get(key, ()))
            if cased is None or key in ambiguous:
                continue
            parts = tuple(key.split())
            if not 1 <= len(parts) <= LONGEST:
                continue
            if len(parts) == 1 and (
                key in stop
                or ordinary_word(key, kb.terms[key], words)
                or (len(key) <= 3 and not cased.isupper())
            ):
                continue
            if all(p in stop for p in parts):
                continue
            self.names[parts] = cased

    def __call__(self, text: str) -> str:
        out = list(text)
        for m in _SENTENCE_START.finditer(text):
            out[m.start(1)] = text[m.start(1)].upper()
        for m in _I.finditer(text):
            out[m.start()] = "I"
        for m in _CALENDAR.finditer(text):
            out[m.start()] = text[m.start()].upper()
        found = list(_WORD.finditer(text))
        i = 0
        while i < len(found):
            for n in range(min(LONGEST, len(found) - i), 0, -1):
                run = found[i : i + n]
                if not _spaced(text, run):
                    continue
                cased = self.names.get(
                    tuple(m.group().rstrip(".") if k == n - 1 else m.group() for k, m in enumerate(run))
                )
                if cased is None:
                    continue
                start = run[0].start()
                for k, ch in enumerate(cased):
                    if start + k < len(out) and out[start + k].lower() == ch.lower():
                        out[start + k] = ch
                i += n
                break
            else:
                n = self._place_after(text, found, i) if self.gaz is not None else 0
                for m in found[i : i + n]:
                    out[m.start()] = m.group()[0].upper()
                i += n or 1
        return "".join(out)

    def _place_after(self, text: str, found: list[re.Match[str]], i: int) -> int:
        """How many words from ``found[i]`` name a place of the gazetteer, right after a preposition
        of place ("near bannu", "in kathua district"); 0 when none does. Not a stop word, verb,
        adverb or adjective ("in march", "at home", "in power"), and a noun of the dictionary only
        when its own name is a first-level area's or a big city's ("in lucknow", not "in town")."""
        if i == 0 or found[i - 1].group() not in PLACE_PREPS or not _spaced(text, found[i - 1 : i + 1]):
            return 0
        assert self.gaz is not None
        for n in range(min(PLACE_WORDS, len(found) - i), 0, -1):
            run = found[i : i + n]
            if not _spaced(text, run):
                continue
            parts = [m.group().rstrip(".") for m in run]  # "in surat.": the name, then the full stop
            name = " ".join(parts)
            if len(name) < 4 or any(not p.isalpha() or self._ordinary(p) for p in parts):
                continue
            if n > 1 and parts[-1] in AREA_NOUNS:
                continue  # "sindh province": news writes the area word in lower case ("Sindh province")
            options = self.gaz.candidates(name)
            if all(any(f in self.words.known for f in _forms(p)) for p in parts):
                # a first-level area of a number of people unknown to the gazetteer, or a big one
                known = any(
                    fold(c.name) == fold(name)
                    and (c.population >= KNOWN_WORD_POPULATION or (c.feature == "ADM1" and not c.population))
                    for c in options
                )
            else:
                known = any(
                    c.feature in ("ADM1", "ADM2") or c.population >= UNKNOWN_WORD_POPULATION for c in options
                )
            if known:
                return n
        return 0

    def _ordinary(self, word: str) -> bool:
        """Whether a lower-case word is no name's: a stop word, one of the lexicon's ambiguous names,
        or a word the dictionary knows as a verb, adverb, function word or adjective, in any of its
        forms ("killing", "fired")."""
        if word in self.stop or word in self.ambiguous:
            return True
        return any(f in self.words.other or f in self.words.adjectives for f in _forms(word))


def _forms(word: str) -> tuple[str, ...]:
    """``word`` and the base forms it may be an inflection of ("villages", "killing", "fired"): the
    dictionary lists base forms only."""
    return (word, *guesses(word))


def _spaced(text: str, run: list[re.Match[str]]) -> bool:
    """Whether the words of ``run`` follow one another with one space between them."""
    return all(text[a.end() : b.start()] == " " for a, b in zip(run, run[1:], strict=False))


def _cased(key: str, forms: Iterable[str]) -> str | None:
    """The knowledge base's own capitalised spelling of ``key``, letter for letter."""
    for form in sorted(forms, key=lambda f: (f.isupper(), f)):
        if len(form) == len(key) and form.lower() == key and form != key:
            return form
    return None


#: each pipeline's truecaser, for as long as the pipeline lives
_FOR: weakref.WeakKeyDictionary[Language, Truecaser] = weakref.WeakKeyDictionary()


def truecaser(nlp: Language) -> Truecaser:
    """The pipeline's truecaser: its knowledge base, lexicon and dictionary (built once)."""
    if nlp not in _FOR:
        from ..knowledge.rules import load_rules
        from .components import dictionary, knowledge

        folder = (
            nlp.get_pipe_config("pk_mentions").get("knowledge_dir", "")
            if "pk_mentions" in nlp.pipe_names
            else ""
        )
        ambiguous = load_rules(folder).lexicon.lowercase_ambiguous
        gaz = (
            gazetteer_at(nlp.get_pipe_config("pk_places").get("gazetteer", ""))
            if "pk_places" in nlp.pipe_names
            else None
        )
        _FOR[nlp] = Truecaser(
            knowledge(folder), ambiguous, dictionary(nlp), frozenset(nlp.Defaults.stop_words), gaz
        )
    return _FOR[nlp]
