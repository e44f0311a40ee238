"""Counts in a sentence: killed, injured, arrested, and the size of a force or crowd.

A number is read with the noun it counts ("11 Italian and over 20 Hungarian
soldiers" -> 31) and assigned by the word that governs it: kill/die/dead ->
killed; injure/wound/injuries -> injured; arrest/detain -> arrested;
troops/protesters/people with a mobilisation or protest -> size. Vague
quantities take their lower bound ("dozens" -> 24, "hundreds" -> 200).
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ..knowledge.lexicon import Lexicon
from ..knowledge.ontology import EventType
from ..records import Numbers
from .columns import C_LIKE_NUM, C_LOWER, keys, rows

#: types whose counted people are the size of a crowd or force
SIZED_TYPES = (EventType.MOBILIZE, EventType.PROTEST, EventType.ASSAULT, EventType.COERCE)

MAX_FIGURE = 2**31 - 1  # a larger figure is a typo or nonsense ("killed 2147483648"): not read as one
_NUMBER = re.compile(r"^\d{1,3}(?:[,.]\d{3})*(?:\.\d+)?$|^\d+$")


def to_int(tok: Token, lex: Lexicon) -> int | None:
    """The integer a number token (with its 'thousand'/'million' neighbour) stands for."""
    text = tok.lower_.replace(",", "")
    value: float | None
    if _NUMBER.match(tok.text):
        value = float(text)
    elif text in lex.number_words:
        value = float(lex.number_words[text])
    else:
        return None
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in lex.scale_words:
        value *= lex.scale_words[nxt.lower_]
    return int(value) if value <= MAX_FIGURE else None  # also inf, from a 400-digit number


def _counted_noun(num: Token) -> Token:
    tok = num
    while tok.dep_ in ("nummod", "quantmod", "compound", "amod", "conj", "cc") and tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ in ("NOUN", "PROPN", "PRON"):
            break
    return tok


def object_predicates(verb: Token) -> list[Token]:
    """The state ``verb`` leaves its object in ("leaving 11 dead", "left 30 wounded"): the parser's
    object predicate, or the participle right after the object, which it may hang on the verb as
    a clause of its own or on the object ("left nine people wounded")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    after = {o.i + 1 for o in objects}
    found = [c for c in verb.children if c.dep_ in ("oprd", "acomp") or (c.i in after and c.tag_ == "VBN")]
    return found + [
        c for o in objects for c in o.children if c.dep_ == "acl" and c.tag_ == "VBN" and c.i in after
    ]


def _governors(noun: Token, limit: int = 4) -> list[str]:
    """Lemmas of the noun and the words above it, nearest first."""
    out = [noun.lemma_.lower(), noun.lower_]
    if noun.dep_ == "dobj":
        # "leaving 11 dead", "left 30 wounded": the state the verb leaves them in says what the
        # number counts
        out += [c.lemma_.lower() for c in object_predicates(noun.head)]
    tok = noun
    for _ in range(limit):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        out += [tok.lemma_.lower(), tok.lower_]
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of" and noun.pos_ == "NUM":
            # "40 of these deaths", "two of the injured": the number counts its "of" phrase
            out += [g.lemma_.lower() for g in child.children if g.dep_ == "pobj"]
        # "40 people killed": the noun is who the participle says; not in "fired 40 rounds,
        # killing two", where the participle's own object is who was killed
        if child.dep_ in ("amod", "acl", "relcl") and not any(c.dep_ == "dobj" for c in child.children):
            out.append(child.lemma_.lower())
    return out


def extract_numbers(sent: Span, type_: str, lex: Lexicon) -> tuple[Numbers, dict[str, tuple[int, int]]]:
    """Counts stated in the sentence, with the span of each."""
    found: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    groups: dict[int, list[Token]] = {}
    number_words = keys(frozenset(lex.number_words))
    for k, row in enumerate(rows(sent)):  # a Token only for a number
        if row[C_LIKE_NUM] or row[C_LOWER] in number_words:
            tok = sent.doc[sent.start + k]
            value = to_int(tok, lex)
            if value is None or (tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL")):
                continue
            if 1900 <= value <= 2100 and tok.ent_type_ != "CARDINAL":
                continue
            groups.setdefault(_counted_noun(tok).i, []).append(tok)
    for noun_i, nums in groups.items():
        noun = sent.doc[noun_i]
        values = [to_int(n, lex) or 0 for n in nums if n.head.lower_ not in lex.scale_words]
        total = sum(values) if len(values) > 1 and noun.pos_ == "NOUN" else max(values or [0])
        if not total or total > MAX_FIGURE:
            continue
        around = _governors(noun)
        field = None
        for word in around:
            if word in lex.kill_words:
                field = "killed"
            elif word in lex.injure_words:
                field = "injured"
            elif word in lex.arrest_words:
                field = "arrested"
            if field:
                break
        if (
            field is None
            and type_ in SIZED_TYPES
            and (noun.lemma_.lower() in lex.people_words or noun.lemma_.lower() in lex.force_words)
        ):
            field = "size"
        if field is None:
            continue
        if total > found.get(field, 0):
            found[field] = total
            first, last = min(nums, key=lambda t: t.i), noun
            spans[field] = (first.idx, last.idx + len(last))
    return Numbers(**found), spans
