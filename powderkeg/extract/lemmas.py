"""A token's lemma, and guesses from its inflected form when the lemmatizer slips."""

from __future__ import annotations

import functools

from spacy.tokens import Token

from .columns import key, lower_is

#: the inflections a guess undoes, with what replaces them
_SUFFIXES = (("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("es", ""),
             ("s", ""))  # fmt: skip
#: the lower-cased form "-" (``columns.key``)
_HYPHEN = key("-")


@functools.lru_cache(maxsize=65536)
def guesses(low: str) -> tuple[str, ...]:
    """Lemmas a lower-cased word form may have, by undoing an inflection ("staged" ->
    "stage", "stag"; "stopped" -> "stop"). Cached: the same forms come back in every article."""
    out = []
    for suffix, repl in _SUFFIXES:
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)] + repl
            if len(stem) > 3 and stem[-1] == stem[-2] and repl == "":
                out.append(stem[:-1])  # "stopped" -> "stop"
            out.append(stem)
    return tuple(out)


def lemma_candidates(tok: Token) -> tuple[str, ...]:
    """The tagger's lemma, then guesses from the inflected form ("staged" -> "stage"
    when the lemmatizer says "stag"), so a lemmatizer slip does not hide a trigger.
    A word the tokenizer split off a hyphenated compound ("lathi-charged": "lathi", "-",
    "charged") is read as the compound first ("lathi-charge")."""
    own = _candidates(tok.lemma_, tok.lower_)
    if not (tok.i >= 2 and lower_is(tok.doc, tok.i - 1, _HYPHEN)):  # most words
        return own
    hyphen, before = tok.doc[tok.i - 1], tok.doc[tok.i - 2]
    if hyphen.whitespace_ or before.whitespace_ or not before.is_alpha:
        return own
    return tuple(dict.fromkeys([f"{before.lower_}-{form}" for form in own] + list(own)))


@functools.lru_cache(maxsize=65536)
def _candidates(lemma: str, low: str) -> tuple[str, ...]:
    """``lemma_candidates`` of a word read alone (not as part of a compound): its lemma
    ``lemma`` and form ``low`` say it all (cached as ``guesses``)."""
    return tuple(dict.fromkeys([lemma.lower(), *guesses(low)]))
