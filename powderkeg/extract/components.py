"""spaCy factories for powderkeg's pipeline components.

State travels on the Doc: ``doc._.published`` (set by the caller, anchors
relative dates and people's roles), ``doc._.summary_start`` (char offset of a
"Key Takeaways" block, or -1), ``doc._.mentions`` (token index -> Mention),
``doc._.events`` (list of coded events, turned into records by
``extract.events.doc_to_events``), ``doc._.dropped`` (the readings the coder
dropped, each with the rule that dropped it) and ``doc._.skipped`` (the first token
of each sentence the cheap pass left unparsed, ``prepass.py``; None: all parsed).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.attrs import IS_ALPHA, IS_SPACE, ORTH, POS, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..geocode.doctext import doc_text
from ..geocode.gazetteer import Gazetteer, gazetteer_at
from ..knowledge.known_actors import Entry, Knowledge
from ..knowledge.rule_files import PATTERN_FILES
from ..knowledge.rules import load_rules
from .actor_places import city_country
from .columns import key

for _name, _default in (
    ("published", None),
    ("summary_start", -1),
    ("mentions", None),
    ("events", None),
    ("dropped", None),
    ("skipped", None),
    ("lower_cased", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def summary_heading(headings: tuple[str, ...]) -> re.Pattern[str]:
    """A line that is only one of ``headings`` (lexicon ``summary_headings``), with an optional colon."""
    names = "|".join(re.escape(h) for h in headings)
    return re.compile(rf"^[ \t]*({names})[ \t]*:?[ \t]*$", re.I | re.M)


def __getattr__(name: str) -> re.Pattern[str]:
    if name == "SUMMARY_HEADING":  # the built-in headings, read when first asked for
        return summary_heading(load_rules().lexicon.summary_headings)
    raise AttributeError(name)


#: a dateline opening a line: a place in capitals, maybe its state or the day, maybe the agency,
#: then a dash ("KYIV, May 4 (Wire) - ", "MALTA, Ill. -- ", "BEIRUT (AP) — "). What follows starts
#: a sentence of its own, so the place is never read into the first actor's name.
DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z'.-]{2,}(?:[ ][A-Z][A-Z'.-]+)*(?:,[ ][^\n()\u2014\u2013]{1,40}?)?"
    r"(?:[ ]?\([^()\n]{1,30}\))?[ ]*(?:--|\u2014|\u2013|-)[ ]+(?=\S)",
    re.M,
)
#: a dateline of a lower-cased text, whose place has no capitals to tell it by: a place of up to
#: four words then, to be sure it is one, the agency before the dash ("new delhi, may 4 (wire) - ")
#: or the day after a comma ("srinagar, jan. 5 - ")
LOWER_DATELINE = re.compile(
    r"^[ \t]*[^\W\d_][\w'.-]*(?:[ ][^\W\d_][\w'.-]*){0,3}"
    r"(?:(?:,[ ][^\n()\u2014\u2013]{1,40}?)?[ ]?\([^()\n]{1,30}\)"
    r"|,[ ](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ ]\d{1,2}(?:,[ ]\d{4})?)"
    r"[ ]*(?:--|\u2014|\u2013|-)[ ]+(?=\S)",
    re.M | re.I,
)
#: a lower-cased text's dateline with a colon, as some papers write them ("new delhi: ",
#: "lucknow: "): a place of up to three words opening a line, counted only when the gazetteer
#: knows it as a sizeable town or a state (``city_country``), as "note: " opens lines too
LOWER_COLON_DATELINE = re.compile(r"^[ \t]*([^\W\d_][\w'.-]*(?:[ ][^\W\d_][\w'.-]*){0,2}):[ ]+(?=\S)", re.M)


@dataclass(frozen=True)
class Mention:
    start: int  # token indices
    end: int
    entries: tuple[Entry, ...]


#: the settings of the components that read the coding rules (``pk_layout``, ``pk_events``): the
#: user's knowledge folder and pattern files, the packaged pattern files, the gazetteer file
RULES_CONFIG = {
    "knowledge_dir": "",
    "pattern_files": [],
    "packaged_patterns": list(PATTERN_FILES),
    "gazetteer": "",
}


@functools.cache
def knowledge(extra_dir: str = "") -> Knowledge:
    return Knowledge(extra_dir)


@Language.factory(
    "pk_layout",
    assigns=["token.is_sent_start", "doc._.summary_start"],
    default_config=RULES_CONFIG,
)
def make_layout(
    nlp: Language,
    name: str,
    knowledge_dir: str,
    pattern_files: list[str],
    packaged_patterns: list[str],
    gazetteer: str,
):
    rules = load_rules(knowledge_dir, tuple(pattern_files), tuple(packaged_patterns))
    heading = summary_heading(rules.lexicon.summary_headings)
    gaz = gazetteer_at(gazetteer)

    def layout(doc: Doc) -> Doc:
        # a word after a line break starts a sentence; read from the arrays, so only the words
        # that start one become Tokens (a token's own whitespace is one space at most)
        strings = doc.vocab.strings
        spaces: list[list[int]] = doc.to_array([IS_SPACE, ORTH]).tolist() if len(doc) > 1 else []
        for i in range(1, len(spaces)):
            if spaces[i - 1][0] and not spaces[i][0] and "\n" in strings[spaces[i - 1][1]]:
                doc[i].is_sent_start = True
        for end in _dateline_ends(doc, gaz):
            after = doc.char_span(end, end, alignment_mode="expand")
            if after is not None and after.start < len(doc) and after.start > 0:
                doc[after.start].is_sent_start = True
        match = heading.search(doc_text(doc))
        doc._.summary_start = match.start() if match else -1
        return doc

    return layout


def _dateline_ends(doc: Doc, gaz: Gazetteer) -> Iterator[int]:
    """Where the text after each of the Doc's datelines starts: in capitals, or in a lower-cased
    text with its agency or day, or a place the gazetteer knows and a colon."""
    if not lower_cased(doc):
        yield from (found.end() for found in DATELINE.finditer(doc_text(doc)))
        return
    yield from (found.end() for found in LOWER_DATELINE.finditer(doc_text(doc)))
    for found in LOWER_COLON_DATELINE.finditer(doc_text(doc)):
        if city_country(found.group(1), gaz):
            yield found.end()


@Language.factory(
    "pk_mentions",
    requires=["doc.ents"],
    assigns=["doc._.mentions"],
    default_config={"knowledge_dir": "", "gazetteer": ""},
)
def make_mentions(nlp: Language, name: str, knowledge_dir: str, gazetteer: str):
    kb = knowledge(knowledge_dir)
    gaz = gazetteer_at(gazetteer)
    ambiguous = load_rules(knowledge_dir).lexicon.lowercase_ambiguous
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    # the spellings as written, not only lower-cased keys: "u.s." tokenizes as "u.s" + "."
    # and would never match "U.S." in a text
    terms = sorted(set(kb.match_terms()) | {f for forms in kb.forms.values() for f in forms})
    tokenizer: Any = nlp.tokenizer  # a Tokenizer, which pipes; typed as a plain callable
    for i in range(0, len(terms), 2000):
        matcher.add("KB", list(tokenizer.pipe(terms[i : i + 2000])))

    def mentions(doc: Doc) -> Doc:
        spans = []
        lowered = lower_cased(doc)
        words = dictionary(nlp) if lowered else _NO_WORDS
        for _, start, end in matcher(doc):
            span = doc[start:end]
            if lowered and _ordinary_in_lower(span, kb, words):
                continue  # a sentence's first word has its capital back: "Amnesty was granted"
            if _plausible(span.text, kb) or (lowered and _plausible_lower(span, kb, ambiguous, words)):
                spans.append(span)
        found: dict[int, Mention] = {}
        for span in filter_spans(spans):
            mention = Mention(span.start, span.end, tuple(kb.lookup(span.text)))
            for i in range(span.start, span.end):
                found[i] = mention
        for i in _name_candidates(doc, lowered):
            # "Afganistan", "Quatar": a capitalised name one letter off a country's; in a
            # lower-cased text, a word no dictionary knows ("afganistan")
            if i in found or not _misspelt_name(tok := doc[i], lowered, words):
                continue
            if tok.ent_type_ == "PERSON" or tok.text.isupper():
                continue
            longer = tok.ent_iob_ == "I" or (tok.i + 1 < len(doc) and doc[tok.i + 1].ent_iob_ == "I")
            if tok.ent_type_ == "ORG" and longer:
                continue  # a word of a longer organisation's name
            entries = kb.misspelt_country(tok.text)
            if entries and not gaz.candidates(tok.text):
                # ... unless it is a place's own name ("Indiana", "Fujian", "Marawi")
                found[tok.i] = Mention(tok.i, tok.i + 1, tuple(entries))
        doc._.mentions = found
        return doc

    return mentions


def lower_cased(doc: Doc) -> bool:
    """Whether the text is written in lower case throughout (some archives and data sets are):
    almost no word after a sentence's first has a capital. A text given its certain capitals
    back before parsing (``truecase.py``) says so itself (``doc._.lower_cased``)."""
    if doc._.lower_cased is not None:
        return bool(doc._.lower_cased)
    # the words after a sentence's first, read from the token arrays (no Token made): alphabetic,
    # not starting a sentence, not after a final mark (the first token's "before" is the last's)
    strings = doc.vocab.strings
    rows: list[list[int]] = doc.to_array([IS_ALPHA, SENT_START, ORTH]).tolist()
    words = [
        strings[orth]
        for (alpha, start, orth), before in zip(rows, rows[-1:] + rows[:-1], strict=True)
        if alpha and start != 1 and strings[before[2]] not in ".!?:\n"
    ]
    if len(words) < 6:
        return False
    return sum(any(c.isupper() for c in word) for word in words) <= 0.04 * len(words)


#: the open word classes of the lemmatizer's dictionary (WordNet's index, shipped with the model)
DICTIONARY_CLASSES = ("noun", "verb", "adj", "adv")


@dataclass(frozen=True)
class Words:
    """The English dictionary the model's lemmatizer ships: every word it knows (``known``,
    base forms and irregular ones), and those it knows as a verb, adverb or function word
    (``other``): a word outside ``other`` can only be a name, noun or adjective, whatever a
    tagger trained on capitalised text calls it in lower case ("denmark" as a verb)."""

    known: frozenset[str]
    other: frozenset[str]
    adjectives: frozenset[str] = frozenset()


_NO_WORDS = Words(frozenset(), frozenset())


@functools.cache
def _dictionary(tables: Any) -> Words:
    index = tables.get_table("lemma_index") if tables is not None and tables.has_table("lemma_index") else {}
    exc = tables.get_table("lemma_exc") if tables is not None and tables.has_table("lemma_exc") else {}
    known: set[str] = set()
    other: set[str] = set()
    adjectives: set[str] = set()
    for cls in DICTIONARY_CLASSES:
        forms = set(index.get(cls, ())) | set(exc.get(cls, {}))
        known |= forms
        if cls in ("verb", "adv"):
            other |= forms
        if cls == "adj":
            adjectives |= forms
    return Words(frozenset(known), frozenset(other), frozenset(adjectives))


def dictionary(nlp: Language) -> Words:
    """The lemmatizer's dictionary (``Words``); empty when the pipeline has no rule lemmatizer,
    so that lower-cased names are then judged by their tags alone."""
    if "lemmatizer" not in nlp.pipe_names:
        return _NO_WORDS
    return _dictionary(getattr(nlp.get_pipe("lemmatizer"), "lookups", None))


def ordinary_word(key: str, entries: Iterable[Entry], words: Words) -> bool:
    """Whether a one-word name of the knowledge base, written in lower case, is better read as
    the ordinary word it also is: one the dictionary knows as a verb or adverb ("amnesty",
    "bush", "shape", "trump"), since in lower case nothing tells the name from the word.
    A country's or capital's own name stays a name ("japan"), and so does a nationality the
    dictionary knows as an adjective ("french"); nouns alone cannot be judged this way, as
    WordNet's index lists names among them ("india", "hamas"), so countries that are nouns
    ("turkey", "chad") are the lexicon's ``lowercase_ambiguous``."""
    if " " in key or key not in words.other:
        return False
    for entry in entries:
        if entry.kind == "capital":
            return False
        if entry.kind == "country" and (entry.name.lower() == key or key in words.adjectives):
            return False
    return True


def _ordinary_in_lower(span: Any, kb: Knowledge, words: Words) -> bool:
    """A one-word name of a lower-cased text that is an ordinary word (``ordinary_word``),
    whether written in lower case or given a sentence's capital back.

    A person's surname stays a name unless the text uses it as a word, as a verb or after
    an article ("the bush"): lower-cased news names leaders ("trump said", "truss resigned")
    far more often than it uses those words, and the tagger cannot tell the two apart."""
    key = span.text.lower()
    entries = kb.terms.get(key, ())
    if len(span) != 1 or not ordinary_word(key, entries, words):
        return False
    if entries and all(e.kind == "person" for e in entries):
        before = span.doc[span.start - 1] if span.start else None
        return span.root.pos_ == "VERB" or (before is not None and before.pos_ == "DET")
    return True


def _no_verb(span: Any, words: Words) -> bool:
    """Whether a one-word span is a word the dictionary knows as nothing but a noun or
    adjective, or does not know at all (a name: "denmark", "kyiv")."""
    return len(span) == 1 and bool(words.known) and span.text not in words.other


def _named_phrase(span: Any) -> bool:
    """A name of several words with two or more content words ("the united kingdom",
    "organization of african unity", "moro islamic liberation front"): no ordinary phrase
    happens to spell an organisation's or country's full name, and its "of" and "the" are
    stop words that say nothing against it."""
    content = [t for t in span if not t.is_stop or t.lower_ in _STOP_IN_NAMES]
    return len(content) >= 2 and span.root.pos_ != "VERB" and not span[0].is_punct


#: spaCy stop words that are ordinary words inside names ("liberation front", "third world")
_STOP_IN_NAMES = frozenset({"front", "third", "first", "second", "top", "east", "west", "back"})


def _name_candidates(doc: Doc, lowered: bool) -> list[int]:
    """The tokens ``_misspelt_name`` may take, read from the arrays (no Token made for the
    others): in a lower-cased text the alphabetic ones, else the proper nouns."""
    if not len(doc):
        return []
    want = 1 if lowered else key("PROPN")
    column: list[int] = doc.to_array(IS_ALPHA if lowered else POS).tolist()
    return [i for i, value in enumerate(column) if value == want]


def _misspelt_name(tok: Any, lowered: bool, words: Words) -> bool:
    """A word that may be a misspelt country's name: a capitalised proper noun, or in a
    lower-cased text a word the dictionary does not know."""
    if lowered:
        return bool(words.known) and tok.is_alpha and tok.text not in words.known and not tok.is_stop
    return tok.pos_ == "PROPN" and tok.text[:1].isupper()


def _plausible_lower(span: Any, kb: Knowledge, ambiguous: frozenset[str], words: Words = _NO_WORDS) -> bool:
    """A name written in lower case in a lower-cased text ("india", "bjp", "new delhi"), when
    it cannot be an ordinary word: not one of the lexicon's ``lowercase_ambiguous`` ("us",
    "turkey", "chad", "congress"), not a stop word, not a verb or function word (by its tag,
    or by the dictionary when the tagger, trained on capitalised text, calls a name a verb).
    A name of two content words or more is one whatever its stop words ("of", "the")."""
    text = span.text
    if text != text.lower() or text in ambiguous or not kb.lookup(text):
        return False
    if _named_phrase(span):
        return True
    if any(t.is_stop for t in span):
        return False
    if span.root.pos_ not in ("PROPN", "NOUN", "ADJ") and not _no_verb(span, words):
        return False
    forms = kb.forms.get(text, ())
    # a short form is an acronym ("bjp"): only when the knowledge base writes it as one
    return len(text) > 3 or any(f.isupper() for f in forms)


def _plausible(text: str, kb: Knowledge) -> bool:
    """Names are capitalised; acronyms must match their case exactly ("US", not "us").

    A name that begins with a lower-case particle ("al-Qaeda", "el-Sisi", "von der Leyen")
    counts when written exactly as the knowledge base spells it.
    """
    if not text[:1].isupper() and not text[:1].isdigit():
        particle = not text.lower().startswith("the ") and text in kb.forms.get(text.lower(), ())
        if not particle:
            return False
    entries = kb.lookup(text)
    if not entries:
        return False
    forms = kb.forms.get(text.lower(), ())
    if len(text) <= 3:
        return text in forms
    if text.isupper():
        # "TEHRAN" in a dateline or headline names Tehran; a short acronym must match exactly
        return text in forms or any(not f.isupper() for f in forms)
    return True


@Language.factory(
    "pk_events",
    requires=["doc._.mentions", "token.dep"],
    assigns=["doc._.events", "doc._.dropped"],
    default_config=RULES_CONFIG,
)
def make_events(
    nlp: Language,
    name: str,
    knowledge_dir: str,
    pattern_files: list[str],
    packaged_patterns: list[str],
    gazetteer: str,
):
    from .coder import Coder

    rules = load_rules(knowledge_dir, tuple(pattern_files), tuple(packaged_patterns))
    coder = Coder(knowledge(knowledge_dir), rules, gazetteer_at(gazetteer))

    def events(doc: Doc) -> Doc:
        doc._.events, doc._.dropped = coder.code(doc)
        return doc

    return events
