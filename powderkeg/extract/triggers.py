"""Finding triggers: the words of a sentence that a pattern (``knowledge/data/patterns.toml``) reads as an event.

A verb matches a pattern whose head lemma it has (or a guess from its form,
``lemmas.lemma_candidates``), whose other words stand near it ("call for"),
and, for a pattern with objects ("use [tear gas]"), whose object names one. A
noun matches by its lemma and the words before it ("air strike"); the object of
a verb that is itself a trigger is that verb's, not an event of its own. "X
said Y must do Z" is a demand: ``DEMAND``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from spacy.symbols import NOUN, PROPN, VERB
from spacy.tokens import Span, Token

from ..knowledge.lexicon import Lexicon
from ..knowledge.ontology import EventType, Mode
from ..knowledge.patterns import Pattern, Patterns
from .columns import C_DEP, C_POS, key, rows
from .lemmas import lemma_candidates

#: the column value of the dependency label "compound" (columns.py)
_COMPOUND = key("compound")
#: "X said Y must do Z": the pattern of a demand a verb of saying makes (see ``modal_demands``)
DEMAND = Pattern(
    EventType.REQUEST.value,
    Mode.DEMAND.value,
    "",
    (),
    (),
    "VERB",
    (),
    False,
    "builtin:modal",
    needs_target=True,
)


def phrase(head: Token) -> list[Token]:
    """A noun phrase less what its prepositions attach ("tear gas and water cannons", not
    "... in clashes with protesters"; "a series", not "... of rapes"): the events these
    name are their own."""
    out, todo = [], [head]
    while todo:
        tok = todo.pop()
        out.append(tok)
        todo.extend(c for c in tok.children if c.dep_ not in ("prep", "acl", "relcl"))
    return out


def event_subject(verb: Token, nouns: dict[int, Pattern]) -> int | None:
    """The index of an event noun that is the verb's subject (or its passive's agent)."""
    for c in verb.children:
        if c.dep_ == "nsubj" and c.i in nouns:
            return c.i
        if c.dep_ == "nsubj":
            # "torrential rains and floods hit the coast": any of the subjects
            for conj in c.conjuncts:
                if conj.i in nouns:
                    return conj.i
        if c.dep_ == "agent":
            for g in c.children:
                if g.i in nouns:
                    return g.i
    return None


class TriggerFinder:
    def __init__(self, patterns: Patterns, lex: Lexicon) -> None:
        self.patterns, self.lex = patterns, lex
        self.weighing = _weighing_options(patterns.generated_verbs, lex.weighing_object_verbs)

    def find(
        self, sent: Span, generated: bool = False, read: dict[int, dict[object, Any]] | None = None
    ) -> list[tuple[Token, Pattern]]:
        """The sentence's triggers with their patterns: verbs, then modal demands, then nouns;
        with ``generated``, the verbs of the patterns generated from the CAMEO dictionary.
        ``read``: what ``verb_matches`` read of each verb (by index), kept by the caller for
        the sentence's second call (the generated patterns) to read no verb again."""
        found = []
        used_objects: set[int] = set()
        verbs = self.patterns.generated_verbs if generated else self.patterns.verbs
        weighs = self.lex.weighing_object_verbs if generated else frozenset()
        doc, table = sent.doc, rows(sent)  # only the words picked become Tokens
        for k, row in enumerate(table):
            if row[C_POS] == VERB:
                tok = doc[sent.start + k]
                lemma = next((w for w in lemma_candidates(tok) if w in verbs or w in weighs), "")
                options = verbs.get(lemma, [])
                if lemma in weighs:
                    options = self.weighing + [p for p in options if not p.objects]
                # what verb_matches reads of this verb, for all its patterns
                seen: dict[object, Any] = {} if read is None else read.setdefault(tok.i, {})
                for p in options:
                    if not verb_matches(tok, p, seen):
                        continue
                    objects = _object_phrases(p, seen)
                    if objects and all(self._other_event(words, p) for words in objects):
                        continue  # "joined the air strikes": "strike" is the pattern's, an air strike not
                    found.append((tok, p))
                    used_objects.update(t.i for c in tok.children if c.dep_ == "dobj" for t in phrase(c))
                    # "went on hunger strike": the object is the pattern's wherever it hangs
                    used_objects.update(t.i for words in objects for t in words)
                    break
        if generated:
            return found
        found.extend(self.modal_demands(sent, {t.i for t, _ in found}, table))
        for k, row in enumerate(table):
            if row[C_POS] not in (NOUN, PROPN) or sent.start + k in used_objects or row[C_DEP] == _COMPOUND:
                continue
            tok = doc[sent.start + k]
            nouns = self.patterns.nouns
            options = nouns.get(tok.lemma_.lower()) or nouns.get(tok.lower_) or []
            if not options or any(
                c.dep_ == "compound" and c.lower_ in self.lex.document_compounds for c in tok.children
            ):
                continue  # "a press release" is a document, not a release
            for p in options:
                if noun_matches(tok, p):
                    found.append((tok, p))
                    break
        return found

    def _other_event(self, words_of: list[Token], p: Pattern) -> bool:
        """Whether the object phrase ``words_of`` names by a longer noun an event that neither
        the verb's pattern nor the object word itself reads ("joined the air strikes": the
        pattern's "strike" is a walkout, an air strike an attack; "suspended humanitarian
        aid" is aid still): a word of it matched, not the object the pattern names."""
        heads = {obj[-1] for obj in p.object_words}
        for t in words_of:
            forms = {*_forms(t), t.lower_}
            if not forms & heads:
                continue
            own = {q.type for form in forms for q in self.patterns.nouns.get(form, ()) if len(q.words) == 1}
            for q in self.patterns.nouns.get(t.lemma_.lower(), ()):
                if len(q.words) > 1 and q.type != p.type and q.type not in own and noun_matches(t, q):
                    return True
        return False

    def modal_demands(
        self, sent: Span, taken: set[int], table: list[list[int]] | None = None
    ) -> list[tuple[Token, Pattern]]:
        """ "The minister said Serbia must withdraw": a verb of saying whose clause tells
        someone what they must do asks them to (REQUEST, the clause's subject the target).
        ``table``: the sentence's ``columns.rows``, if read."""
        out = []
        for k, row in enumerate(table if table is not None else rows(sent)):
            if row[C_POS] != VERB or sent.start + k in taken:
                continue
            tok = sent.doc[sent.start + k]
            if tok.lemma_.lower() not in self.lex.demand_speech_verbs:
                continue
            for clause in tok.children:
                if (
                    clause.dep_ == "ccomp"
                    and any(c.dep_ == "aux" and c.lower_ in self.lex.demand_modals for c in clause.children)
                    and any(c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN") for c in clause.children)
                ):
                    out.append((tok, replace(DEMAND, lemma=tok.lemma_.lower(), words=(tok.lemma_.lower(),))))
                    break
        return out


def _weighing_options(verbs: dict[str, list[Pattern]], weighing: frozenset[str]) -> list[Pattern]:
    """The imported patterns of every verb that weighs an act, for each of them: the CAMEO
    dictionary lists "consider [military]" but not "mull [military]", and a weighed act is
    one meaning whichever verb weighs it (extract/factuality.py ``weighing``); the longest
    objects first, as ``Patterns`` orders one verb's."""
    options = [p for lemma in sorted(weighing) for p in verbs.get(lemma, ()) if p.objects]
    return sorted(options, key=lambda p: (-p.specificity, -max(len(o.split()) for o in p.objects)))


def verb_matches(tok: Token, p: Pattern, seen: dict[object, Any] | None = None) -> bool:
    """Whether the verb ``tok`` has the pattern's other words near it and, if the pattern
    names objects, one of them in what it acts on. ``seen`` (empty at first, then passed again
    for the same verb) keeps what was read of the verb, so its next patterns need not read it."""
    seen = {} if seen is None else seen
    if "near" not in seen:
        seen["near"] = _near(tok)
    near, args, obliques = seen["near"]
    if not near.issuperset(p.words[1:]):
        return False
    if not p.objects:
        return True
    if p.generated not in seen:
        seen[p.generated] = _acted_on(tok, args, obliques, p.generated)
    words = seen[p.generated]
    return any(words.issuperset(obj) for obj in p.object_words)


def _object_phrases(p: Pattern, seen: dict[object, Any]) -> list[list[Token]]:
    """The phrases in which the verb's pattern found its object: its arguments, and the
    objects of the pattern's own prepositions ("went on [hunger strike]", "took part in
    [a rally]"; not "in protest" beside "staged [protest]"); only a phrase that holds an
    object word: "in Paris" beside it is not the object."""
    out = []
    _, args, obliques = seen["near"]
    own = [o for o in obliques if o.head.lower_ in p.words[1:]]
    for arg in (*args, *own) if p.objects else ():
        words_of = phrase(arg)
        if _object_in(words_of, p):
            out.append(words_of)
    return out


def _object_in(words_of: list[Token], p: Pattern) -> bool:
    words = {w for t in words_of for w in (*_forms(t), t.lower_)}
    return any(words.issuperset(obj) for obj in p.object_words)


def _forms(t: Token) -> tuple[str, ...]:
    """The forms of a word an object is matched on (the form's own stems too for a noun:
    the lemmatizer reads "bases" as "basis")."""
    return lemma_candidates(t) if t.pos_ == "NOUN" else (t.lemma_.lower(),)


def _near(tok: Token) -> tuple[set[str], list[Token], list[Token]]:
    """The words near the verb ``tok``, its arguments and the objects of its prepositions."""
    near: set[str] = set()
    args: list[Token] = []
    obliques: list[Token] = []
    for c in tok.children:
        if c.dep_ == "prep" and any(g.dep_ == "pobj" and g.ent_type_ in ("DATE", "TIME") for g in c.children):
            continue  # "police were called on Friday": when, not a particle of the verb
        near.update((c.lemma_.lower(), c.lower_))
        if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "dative"):
            args.append(c)
        elif c.dep_ == "npadvmod" and any(g.dep_ == "dative" for g in tok.children):
            args.append(c)  # "gave the rebels 48 hours": the second object, parsed as a measure
        if c.dep_ in ("advcl", "ccomp", "xcomp"):
            # "called for the generals to face trial": the parser makes "for" the clause's mark
            near.update(g.lower_ for g in c.children if g.dep_ == "mark" and g.i < c.i)
        if c.dep_ in ("prep", "prt"):
            for grand in c.children:
                near.update((grand.lemma_.lower(), grand.lower_))
                if grand.dep_ == "pobj":
                    obliques.append(grand)
    return near, args, obliques


def _acted_on(tok: Token, args: list[Token], obliques: list[Token], generated: bool) -> set[str]:
    """The words of what the verb ``tok`` acts on (``generated``: as an imported pattern reads it)."""
    words: set[str] = set()
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        # "mortar shells fired into homes", "dozens of shells fired": the noun the participle acts on
        heads = [tok.head, *(g for c in tok.head.children if c.lower_ == "of" for g in c.children)]
        for t in (*heads, *(c for h in heads for c in h.children if c.dep_ == "compound")):
            words.update((*lemma_candidates(t), t.lower_))
    # what the verb acts on is its object, all of it; a prepositional phrase less
    # what hangs on it in turn ("seized guns after a raid in the area" took no area).
    # An imported pattern names the head of what the verb acts on ("{ARMS SHIPMENT}"),
    # not anything said about it further down
    phrases = [phrase(arg) if generated else list(arg.subtree) for arg in args]
    phrases += [phrase(arg) for arg in obliques]
    for words_of in phrases:
        for t in words_of:
            words.update(_forms(t))
            words.add(t.lower_)
    return words


def noun_matches(tok: Token, p: Pattern) -> bool:
    """Whether the words before the noun ``tok`` are the pattern's ("air" before "strike")."""
    if len(p.words) == 1:
        return True
    before = [t.lemma_.lower() for t in tok.doc[max(tok.i - len(p.words) + 1, 0) : tok.i]]
    return before == list(p.words[:-1])
