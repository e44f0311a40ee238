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
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from ..geocode.gazetteer import gazetteer_at
from ..knowledge.known_actors import Entry, Knowledge
from ..knowledge.rule_files import PATTERN_FILES
from ..knowledge.rules import load_rules

for _name, _default in (
    ("published", None),
    ("summary_start", -1),
    ("mentions", None),
    ("events", None),
    ("dropped", None),
    ("skipped", None),
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


@dataclass(frozen=True)
class Mention:
    start: int  # token indices
    end: int
    entries: tuple[Entry, ...]


@functools.cache
def knowledge(extra_dir: str = "") -> Knowledge:
    return Knowledge(extra_dir)


@Language.factory(
    "pk_layout",
    assigns=["token.is_sent_start", "doc._.summary_start"],
    default_config={"knowledge_dir": "", "pattern_files": [], "packaged_patterns": list(PATTERN_FILES)},
)
def make_layout(
    nlp: Language, name: str, knowledge_dir: str, pattern_files: list[str], packaged_patterns: list[str]
):
    rules = load_rules(knowledge_dir, tuple(pattern_files), tuple(packaged_patterns))
    heading = summary_heading(rules.lexicon.summary_headings)

    def layout(doc: Doc) -> Doc:
        for token in doc[1:]:
            prev = doc[token.i - 1]
            if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
                if not token.is_space:
                    token.is_sent_start = True
        match = heading.search(doc.text)
        doc._.summary_start = match.start() if match else -1
        return doc

    return layout


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
        for _, start, end in matcher(doc):
            span = doc[start:end]
            if _plausible(span.text, kb) or (lowered and _plausible_lower(span, kb, ambiguous)):
                spans.append(span)
        found: dict[int, Mention] = {}
        for span in filter_spans(spans):
            mention = Mention(span.start, span.end, tuple(kb.lookup(span.text)))
            for i in range(span.start, span.end):
                found[i] = mention
        for tok in doc:
            # "Afganistan", "Quatar": a capitalised name one letter off a country's
            if tok.i in found or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
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
    almost no word after a sentence's first has a capital."""
    words = [t for t in doc if t.is_alpha and not t.is_sent_start and doc[t.i - 1].text not in ".!?:\n"]
    if len(words) < 6:
        return False
    return sum(any(c.isupper() for c in t.text) for t in words) <= 0.04 * len(words)


def _plausible_lower(span: Any, kb: Knowledge, ambiguous: frozenset[str]) -> bool:
    """A name written in lower case in a lower-cased text ("india", "bjp", "new delhi"), when
    it cannot be an ordinary word: not one of the lexicon's ``lowercase_ambiguous`` ("us",
    "turkey", "chad", "congress"), not a stop word, not a verb or function word."""
    text = span.text
    if text != text.lower() or text in ambiguous or not kb.lookup(text):
        return False
    if any(t.is_stop for t in span) or span.root.pos_ not in ("PROPN", "NOUN", "ADJ"):
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
    default_config={
        "knowledge_dir": "",
        "pattern_files": [],
        "packaged_patterns": list(PATTERN_FILES),
        "gazetteer": "",
    },
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
