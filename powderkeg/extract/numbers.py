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

from ..records import Numbers

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "tens of thousands": 20000,
    "a dozen": 12,
    "a hundred": 100,
    "a thousand": 1000,
}
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
KILL = {"kill", "die", "dead", "death", "killing", "fatality", "casualty", "toll", "body", "slay"}
INJURE = {"injure", "wound", "hurt", "injury", "injured", "wounded", "hospitalize", "hospitalise"}
ARREST = {"arrest", "detain", "detention", "apprehend", "capture", "jail", "custody", "arrested"}
PEOPLE = {
    "people",
    "person",
    "civilian",
    "soldier",
    "troop",
    "protester",
    "demonstrator",
    "police",
    "officer",
    "policeman",
    "man",
    "woman",
    "child",
    "resident",
    "fighter",
    "member",
    "militant",
    "rebel",
    "gunman",
    "attacker",
    "supporter",
    "worker",
    "student",
    "migrant",
    "refugee",
    "peacekeeper",
    "personnel",
    "serviceman",
    "individual",
    "suspect",
    "participant",
    "marcher",
    "crowd",
    "reservist",
    "sailor",
    "pilot",
    "journalist",
}
FORCE = {
    "troop",
    "soldier",
    "personnel",
    "reservist",
    "serviceman",
    "force",
    "peacekeeper",
    "police",
    "officer",
    "marine",
    "battalion",
}
MAX_FIGURE = 2**31 - 1  # a larger figure is a typo or nonsense ("killed 2147483648"): not read as one
_NUMBER = re.compile(r"^\d{1,3}(?:[,.]\d{3})*(?:\.\d+)?$|^\d+$")


def to_int(tok: Token) -> int | None:
    """The integer a number token (with its 'thousand'/'million' neighbour) stands for."""
    text = tok.lower_.replace(",", "")
    value: float | None
    if _NUMBER.match(tok.text):
        value = float(text)
    elif text in WORDS:
        value = float(WORDS[text])
    else:
        return None
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ in SCALE:
        value *= SCALE[nxt.lower_]
    return int(value) if value <= MAX_FIGURE else None  # also inf, from a 400-digit number


def _counted_noun(num: Token) -> Token:
    tok = num
    while tok.dep_ in ("nummod", "quantmod", "compound", "amod", "conj", "cc") and tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ in ("NOUN", "PROPN", "PRON"):
            break
    return tok


def _governors(noun: Token, limit: int = 4) -> list[str]:
    """Lemmas of the noun and the words above it, nearest first."""
    out = [noun.lemma_.lower(), noun.lower_]
    tok = noun
    for _ in range(limit):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        out += [tok.lemma_.lower(), tok.lower_]
    for child in noun.children:
        if child.dep_ in ("amod", "acl", "relcl"):
            out.append(child.lemma_.lower())
    return out


def extract_numbers(sent: Span, type_: str) -> tuple[Numbers, dict[str, tuple[int, int]]]:
    """Counts stated in the sentence, with the span of each."""
    found: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    groups: dict[int, list[Token]] = {}
    for tok in sent:
        if tok.like_num or tok.lower_ in WORDS:
            value = to_int(tok)
            if value is None or (tok.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "ORDINAL")):
                continue
            if 1900 <= value <= 2100 and tok.ent_type_ != "CARDINAL":
                continue
            groups.setdefault(_counted_noun(tok).i, []).append(tok)
    for noun_i, nums in groups.items():
        noun = sent.doc[noun_i]
        values = [to_int(n) or 0 for n in nums if n.head.lower_ not in SCALE]
        total = sum(values) if len(values) > 1 and noun.pos_ == "NOUN" else max(values or [0])
        if not total or total > MAX_FIGURE:
            continue
        around = _governors(noun)
        field = None
        for word in around:
            if word in KILL:
                field = "killed"
            elif word in INJURE:
                field = "injured"
            elif word in ARREST:
                field = "arrested"
            if field:
                break
        if (
            field is None
            and type_ in ("MOBILIZE", "PROTEST", "ASSAULT", "COERCE")
            and (noun.lemma_.lower() in PEOPLE or noun.lemma_.lower() in FORCE)
        ):
            field = "size"
        if field is None:
            continue
        if total > found.get(field, 0):
            found[field] = total
            first, last = min(nums, key=lambda t: t.i), noun
            spans[field] = (first.idx, last.idx + len(last))
    return Numbers(**found), spans
