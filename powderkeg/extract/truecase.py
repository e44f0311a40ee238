"""Lower-cased text given back its capitals where they are certain, before it is parsed.

The tagger, parser and entity recogniser are trained on capitalised news: in a
text written all in lower case (some archives and data sets) they take names
for verbs ("denmark"), nouns or nothing, and the parse around them goes wrong.
``Truecaser`` restores the capitals it can be sure of: each sentence's first
letter, the pronoun "I", and the names of the knowledge base written as it
writes them ("new delhi" -> "New Delhi", "bjp" -> "BJP") when their lower-case
form is no ordinary word (the lexicon's ``lowercase_ambiguous``, stop words,
``components.ordinary_word``). Only the case of letters
changes, so the text keeps its length and every offset points into the original.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable

from spacy.language import Language

from ..knowledge.known_actors import Knowledge
from .components import Words, ordinary_word

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


class Truecaser:
    def __init__(self, kb: Knowledge, ambiguous: frozenset[str], words: Words, stop: frozenset[str]) -> None:
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
                if any(text[a.end() : b.start()] != " " for a, b in zip(run, run[1:], strict=False)):
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
                i += 1
        return "".join(out)


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
        _FOR[nlp] = Truecaser(
            knowledge(folder), ambiguous, dictionary(nlp), frozenset(nlp.Defaults.stop_words)
        )
    return _FOR[nlp]
