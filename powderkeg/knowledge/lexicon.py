"""The coder's word lists (``data/lexicon.toml``), typed and merged from every rule file.

Each list is a field of ``Lexicon``; its kind says how the file writes it and
what the coder gets:

- ``words``: lower-cased words or lemmas -> a frozenset;
- ``ordered``: lower-cased words in their order -> a tuple (prefixes, prepositions);
- ``phrases``: lemma sequences ("tear gas") -> a tuple of word tuples;
- ``types`` / ``modes``: PLOVER types, modes of ``ontology.toml`` -> a frozenset, checked;
- ``sectors``: sector codes (upper case) -> a frozenset;
- ``mode_phrases``: mode -> phrases, in order (``[instruments]``);
- ``word_map``: word -> word (``[org_kind_nouns]``); ``counts``: word -> number.

A list a user file names adds to the built-in one (a ``mode_phrases`` or map
table adds per key); a name that is no field is an error (``rule_files.unknown``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import RuleFileError
from .ontology import EVENT_TYPES, Mode
from .rule_files import RuleFile, expect, expect_strings

Phrase = tuple[str, ...]

WORDS, ORDERED, PHRASES, TYPES, MODES, SECTORS = "words", "ordered", "phrases", "types", "modes", "sectors"
MODE_PHRASES, WORD_MAP, COUNTS = "mode_phrases", "word_map", "counts"
_TABLES = (MODE_PHRASES, WORD_MAP, COUNTS)


def _list(kind: str) -> Any:
    return field(metadata={"kind": kind})


@dataclass(frozen=True)
class Lexicon:
    # triggers
    default_target_preps: tuple[str, ...] = _list(ORDERED)
    document_compounds: frozenset[str] = _list(WORDS)
    demand_modals: frozenset[str] = _list(WORDS)
    demand_speech_verbs: frozenset[str] = _list(WORDS)
    # roles
    light_verbs: frozenset[str] = _list(WORDS)
    occurrence_verbs: frozenset[str] = _list(WORDS)
    harm_verbs: frozenset[str] = _list(WORDS)
    instrument_preps: tuple[str, ...] = _list(ORDERED)
    victim_subject_verbs: frozenset[str] = _list(WORDS)
    doer_deeds: frozenset[str] = _list(WORDS)
    force_nouns: frozenset[str] = _list(WORDS)
    value_nouns: frozenset[str] = _list(WORDS)
    characterising_verbs: frozenset[str] = _list(WORDS)
    lowercase_ambiguous: frozenset[str] = _list(WORDS)
    carrier_nouns: frozenset[str] = _list(WORDS)
    aiming_verbs: frozenset[str] = _list(WORDS)
    perception_verbs: frozenset[str] = _list(WORDS)
    message_nouns: frozenset[str] = _list(WORDS)
    non_controlling_verbs: frozenset[str] = _list(WORDS)
    asking_types: frozenset[str] = _list(TYPES)
    authority_modes: frozenset[str] = _list(MODES)
    circumstance_preps: frozenset[str] = _list(WORDS)
    of_patient_nouns: frozenset[str] = _list(WORDS)
    of_patient_objects: frozenset[str] = _list(WORDS)
    property_owner_types: frozenset[str] = _list(TYPES)
    moving_force_types: frozenset[str] = _list(TYPES)
    concern_preps: tuple[str, ...] = _list(ORDERED)
    of_target_types: frozenset[str] = _list(TYPES)
    reported_target_types: frozenset[str] = _list(TYPES)
    # sides
    people_nouns: frozenset[str] = _list(WORDS)
    holding_verbs: frozenset[str] = _list(WORDS)
    pointing_preps: tuple[str, ...] = _list(ORDERED)
    protest_pointing_preps: tuple[str, ...] = _list(ORDERED)
    needs_target_types: frozenset[str] = _list(TYPES)
    reaction_types: frozenset[str] = _list(TYPES)
    specific_without_target: frozenset[str] = _list(TYPES)
    act_embedding_types: frozenset[str] = _list(TYPES)
    intent_verbs_without_target: frozenset[str] = _list(WORDS)
    # actors
    person_pronouns: frozenset[str] = _list(WORDS)
    one_person_nouns: frozenset[str] = _list(WORDS)
    thing_harm_verbs: frozenset[str] = _list(WORDS)
    group_pronouns: frozenset[str] = _list(WORDS)
    thing_pronouns: frozenset[str] = _list(WORDS)
    reporting_verbs: frozenset[str] = _list(WORDS)
    possessives: frozenset[str] = _list(WORDS)
    country_nouns: frozenset[str] = _list(WORDS)
    person_titles: frozenset[str] = _list(WORDS)
    not_actor_lemmas: frozenset[str] = _list(WORDS)
    language_words: frozenset[str] = _list(WORDS)
    generic_heads: frozenset[str] = _list(WORDS)
    of_heads: frozenset[str] = _list(WORDS)
    locating_preps: tuple[str, ...] = _list(ORDERED)
    fleeing_verbs: frozenset[str] = _list(WORDS)
    stance_prefixes: tuple[str, ...] = _list(ORDERED)
    relation_nouns: frozenset[str] = _list(WORDS)
    partner_nouns: frozenset[str] = _list(WORDS)
    body_names: frozenset[str] = _list(WORDS)
    domestic_sectors: frozenset[str] = _list(SECTORS)
    outsider_nouns: frozenset[str] = _list(WORDS)
    made_words: frozenset[str] = _list(WORDS)
    org_kind_nouns: dict[str, str] = _list(WORD_MAP)
    # factuality
    modal_hypothetical: frozenset[str] = _list(WORDS)
    modal_future: frozenset[str] = _list(WORDS)
    future_verbs: frozenset[str] = _list(WORDS)
    hypothetical_verbs: frozenset[str] = _list(WORDS)
    desire_verbs: frozenset[str] = _list(WORDS)
    desire_adjectives: frozenset[str] = _list(WORDS)
    claim_verbs: frozenset[str] = _list(WORDS)
    speech_verbs: frozenset[str] = _list(WORDS)
    deny_verbs: frozenset[str] = _list(WORDS)
    potential_nouns: frozenset[str] = _list(WORDS)
    future_nouns: frozenset[str] = _list(WORDS)
    hypothetical_adjectives: frozenset[str] = _list(WORDS)
    claimed_adjectives: frozenset[str] = _list(WORDS)
    conditional_marks: frozenset[str] = _list(WORDS)
    ready_adjectives: frozenset[str] = _list(WORDS)
    realising_verbs: frozenset[str] = _list(WORDS)
    refuse_verbs: frozenset[str] = _list(WORDS)
    attainment_verbs: frozenset[str] = _list(WORDS)
    failure_verbs: frozenset[str] = _list(WORDS)
    attempt_verbs: frozenset[str] = _list(WORDS)
    failure_adverbs: frozenset[str] = _list(WORDS)
    threat_acts: frozenset[str] = _list(WORDS)
    response_nouns: frozenset[str] = _list(WORDS)
    claimed_objects: frozenset[str] = _list(WORDS)
    deadline_nouns: frozenset[str] = _list(WORDS)
    nonspecific_determiners: frozenset[str] = _list(WORDS)
    patient_events: frozenset[str] = _list(WORDS)
    conditional_modals: frozenset[str] = _list(WORDS)
    weighing_verbs: frozenset[str] = _list(WORDS)
    weighing_object_verbs: frozenset[str] = _list(WORDS)
    option_nouns: frozenset[str] = _list(WORDS)
    # numbers
    kill_words: frozenset[str] = _list(WORDS)
    injure_words: frozenset[str] = _list(WORDS)
    arrest_words: frozenset[str] = _list(WORDS)
    people_words: frozenset[str] = _list(WORDS)
    force_words: frozenset[str] = _list(WORDS)
    number_words: dict[str, int] = _list(COUNTS)
    scale_words: dict[str, int] = _list(COUNTS)
    # a text's events together
    toll_verbs: frozenset[str] = _list(WORDS)
    peaceful_modes: frozenset[str] = _list(MODES)
    rioters_acts: frozenset[str] = _list(MODES)
    riot_cues: frozenset[str] = _list(WORDS)
    # layout
    summary_headings: tuple[str, ...] = _list(ORDERED)
    # what refinements look for
    weapons: tuple[Phrase, ...] = _list(PHRASES)
    blast_verbs: frozenset[str] = _list(WORDS)
    measures: tuple[Phrase, ...] = _list(PHRASES)
    crowd_force: tuple[Phrase, ...] = _list(PHRASES)
    military_assets: tuple[Phrase, ...] = _list(PHRASES)
    private_needs: tuple[Phrase, ...] = _list(PHRASES)
    destroying_verbs: frozenset[str] = _list(WORDS)
    instruments: dict[str, tuple[Phrase, ...]] = _list(MODE_PHRASES)

    def words(self, name: str) -> frozenset[str]:
        """The list ``name`` as a set of words (a ``words`` or ``ordered`` list)."""
        value = getattr(self, name)
        return value if isinstance(value, frozenset) else frozenset(value)

    def phrases(self, name: str) -> tuple[Phrase, ...]:
        """The list ``name`` as lemma sequences (a ``phrases`` list, or words as one-word phrases)."""
        value = getattr(self, name)
        if isinstance(value, tuple) and all(isinstance(v, tuple) for v in value):
            return value
        return tuple((w,) for w in sorted(value))


def list_kinds() -> dict[str, str]:
    """Every list name and its kind."""
    return {f.name: f.metadata["kind"] for f in dataclasses.fields(Lexicon)}


def build_lexicon(files: Iterable[RuleFile]) -> Lexicon:
    """The lists of every file, each file's entries added to those before it."""
    kinds = list_kinds()
    merged: dict[str, Any] = {}
    for rule_file in files:
        for name, value in rule_file.data.items():
            if name in kinds:
                _merge(merged, name, kinds[name], _read(rule_file.path, name, kinds[name], value))
    missing = [name for name in kinds if name not in merged]
    if missing:
        raise RuleFileError(
            f"no word list {missing[0]!r} in any rule file",
            remedy="restore it in knowledge/data/lexicon.toml",
        )
    return Lexicon(**{name: _freeze(kinds[name], value) for name, value in merged.items()})


def _read(path: str, name: str, kind: str, value: object) -> Any:
    """One file's entries of a list, checked and normalised (lists of strings or pairs)."""
    where = f"word list {name!r}"
    if kind not in _TABLES:
        items = expect_strings(path, where, name, value)
        if kind == TYPES:
            _check_names(path, where, items, EVENT_TYPES, "type")
            return items
        if kind == MODES:
            _check_names(path, where, items, [m.value for m in Mode], "mode")
            return items
        if kind == SECTORS:
            return items
        if kind == PHRASES:
            return [tuple(item.lower().split()) for item in items]
        return [item.lower() for item in items]
    expect(path, where, name, value, dict, "a table")
    assert isinstance(value, dict)
    if kind == MODE_PHRASES:
        _check_names(path, where, list(value), [m.value for m in Mode if m], "mode")
        return [(mode, [tuple(w.lower().split()) for w in expect_strings(path, where, mode, words)])
                for mode, words in value.items()]  # fmt: skip
    for key, item in value.items():
        if kind == COUNTS:
            expect(path, where, key, item, int, "a whole number")
        else:
            expect(path, where, key, item, str, "a string")
    return [(key.lower(), item) for key, item in value.items()]


def _check_names(path: str, where: str, items: list[str], known: Iterable[str], what: str) -> None:
    from .rule_files import unknown

    names = list(known)
    for item in items:
        if item not in names:
            raise unknown(path, where, item, names, what)


def _merge(merged: dict[str, Any], name: str, kind: str, items: list[Any]) -> None:
    if kind == MODE_PHRASES:
        table = merged.setdefault(name, {})
        for mode, phrases in items:
            table.setdefault(mode, []).extend(phrases)
    elif kind in _TABLES:
        table = merged.setdefault(name, {})
        for key, value in items:
            table.setdefault(key, value)  # a key given before keeps its value
    else:
        merged.setdefault(name, []).extend(items)


def _freeze(kind: str, value: Any) -> Any:
    if kind in (WORDS, TYPES, MODES, SECTORS):
        return frozenset(value)
    if kind in (ORDERED, PHRASES):
        return tuple(value)
    if kind == MODE_PHRASES:
        return {mode: tuple(phrases) for mode, phrases in value.items()}
    return dict(value)
