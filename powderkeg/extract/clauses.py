"""Reading the dependency parse: a preposition's object, a clause's subject, the
understood subject of an infinitive, the objects and subjects a verb embeds.

These helpers know spaCy's English labels, not the coder's rules; the few word
lists they consult (message nouns, verbs whose object does not control, prepositions
of circumstance) come from the lexicon they are given.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..knowledge.lexicon import Lexicon

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")


def child(tok: Token, *deps: str) -> Token | None:
    """The first child of ``tok`` with one of ``deps``."""
    for c in tok.children:
        if c.dep_ in deps:
            return c
    return None


def pobj(prep: Token) -> Token | None:
    """The object of a preposition (or one a misparse left stranded after it)."""
    obj = child(prep, "pobj", "pcomp")
    if obj is None and prep.n_lefts + prep.n_rights == 0:
        obj = _stranded_object(prep)
    return obj


def infinitive(verb: Token) -> bool:
    """Whether ``verb`` heads a "to" clause ("to withdraw"): it has the infinitive's "to"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def of_object(noun: Token) -> Token | None:
    """The object of a noun's "of" phrase ("the siege of Sarajevo" -> Sarajevo)."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    return pobj(of) if of is not None else None


def _stranded_object(prep: Token) -> Token | None:
    """The object of a preposition left empty by a reduced relative the parser read as a
    clause ("asylum to five officers holed up in ...": "officers" parsed as the subject of
    "holed"): the subject that starts right after the preposition."""
    doc = prep.doc
    if prep.i + 1 >= len(doc):
        return None
    first = doc[prep.i + 1]
    for tok in (first, *first.ancestors):
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.left_edge.i == prep.i + 1:
            clause = tok.head
            if clause.tag_ in ("VBN", "VBD", "VBG") and clause.i > tok.i:
                return tok
            return None
        if tok.i < prep.i or tok.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM", "DET"):
            return None
    return None


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.dep_ == "acl" and verb.tag_ == "VBN"
    )


def controller(verb: Token, lex: Lexicon, seen: int = 0) -> Token | None:
    """The understood subject of a verb with none of its own."""
    if seen > 6 or verb.head.i == verb.i:
        return None
    head = verb.head
    if (given := _given(verb, lex)) is not None:
        return given
    if verb.dep_ == "xcomp":
        obj = child(head, "dobj")
        if obj is not None and head.lemma_.lower() not in lex.non_controlling_verbs:
            return obj
    if verb.dep_ == "acomp":
        # "Tanzania is prepared to lift": the copula's subject
        return child(head, *SUBJECT_DEPS) or controller(head, lex, seen + 1)
    if verb.dep_ == "acl" and verb.tag_ == "VB":
        # "the alliance's decision to bolster" -> the alliance
        return child(head, "poss")
    if reduced := reduced_relative(verb):
        return reduced
    if (
        verb.dep_ in ("xcomp", "advcl", "conj", "pcomp")
        or (verb.dep_ == "acl" and verb.tag_ in ("VBG", "VBD"))
        or (verb.dep_ == "ccomp" and infinitive(verb))
    ):
        # a "to" clause parsed as a complement ("reviewing whether to deploy") as one parsed
        # as an open complement
        return _clause_subject(verb, head, lex, seen)
    if verb.dep_ == "relcl":
        return verb.head
    return None


def _given(verb: Token, lex: Lexicon) -> Token | None:
    """The one given the time or the means a "to" clause says the use of: the indirect object
    of its verb ("gave the rebels 48 hours to withdraw", "gave Kyiv weapons to defend itself"),
    or of the verb whose ultimatum it says ("issued an ultimatum to Bolivia to withdraw",
    "gave the army an ultimatum to leave")."""
    if not infinitive(verb):
        return None
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in lex.deadline_nouns and verb.head.dep_ == "dobj":
        holders = [verb.head, verb.head.head]  # "an ultimatum to X", "issued ... to X", "gave X ..."
    elif verb.dep_ in ("xcomp", "advcl"):
        holders = [verb.head]
    else:
        return None
    for c in (c for holder in holders for c in holder.children):
        if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN", "PRON"):
            return c
        if c.dep_ in ("dative", "prep") and c.lower_ == "to" and verb.dep_ == "acl":
            return pobj(c)
    return None


def _clause_subject(verb: Token, head: Token, lex: Lexicon, seen: int) -> Token | None:
    """``controller`` for a verb that hangs on a clause or a noun: whoever does that clause."""
    if verb.dep_ == "acl" and head.lemma_.lower() in lex.message_nouns and head.dep_ in ("dobj", "pobj"):
        # "issued a statement demanding": whoever issued it
        owner = head.head.head if head.dep_ == "pobj" else head.head
        return child(owner, *SUBJECT_DEPS) or controller(owner, lex, seen + 1)
    if (
        verb.dep_ == "acl"
        and verb.tag_ == "VBG"
        and head.dep_ == "dobj"
        and head.pos_ == "NOUN"
        and not head.ent_type_
        and head.lemma_.lower() not in lex.people_nouns
    ):
        # "fired 40 rounds killing two": a thing does not act, whoever used it did
        return child(head.head, *SUBJECT_DEPS) or controller(head.head, lex, seen + 1)
    if verb.dep_ == "acl":
        return head
    if verb.dep_ == "pcomp" and head.dep_ == "prep":
        # "accused X of waiting" -> X
        obj = child(head.head, "dobj")
        if obj is not None:
            return obj
        head = head.head
    subj = child(head, *SUBJECT_DEPS)
    if subj is None and verb.dep_ == "xcomp":
        subj = child(head, "nsubjpass")  # "Serbia was forced to withdraw", "is prepared to lift"
    if subj is not None:
        return subj
    if head.dep_ == "relcl":
        return head.head
    return controller(head, lex, seen + 1)


def reduced_relative(verb: Token) -> Token | None:
    """The noun a participle right after it describes, when the parser made the participle a
    clause of its own ("fired at protesters gathered outside": the protesters gathered)."""
    if verb.dep_ != "advcl" or verb.tag_ not in ("VBN", "VBD") or verb.i == 0:
        return None
    if any(c.dep_ in ("mark", "aux", "auxpass", *SUBJECT_DEPS) for c in verb.children):
        return None
    before = verb.doc[verb.i - 1]
    if before.pos_ in ("NOUN", "PROPN") and before.dep_ in ("pobj", "dobj"):
        return before
    return None


def held_in(verb: Token) -> Token | None:
    """The named place an agentless action happened in: "in X" on the verb or on its
    "under" phrase ("put under investigation in X")."""
    heads = [verb] + [pobj(p) for p in verb.children if p.dep_ == "prep" and p.lower_ == "under"]
    for head in heads:
        for prep in head.children if head is not None else ():
            if prep.dep_ == "prep" and prep.lower_ == "in":
                obj = pobj(prep)
                if obj is not None and obj.ent_type_ == "GPE":
                    return obj
    return None


def owner(thing: Token) -> Token | None:
    """Whose a thing is: its possessor, a nationality or name before it, or its "of" phrase."""
    for c in thing.children:
        if c.dep_ == "poss":
            return c
    for c in thing.children:
        if c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE", "ORG")):
            return c
    return of_object(thing)


def up_to_object(verb: Token) -> Token | None:
    """ "kidnapped up to 16 advisers": the parser reads "up" as the verb's particle and the
    counted object as the object of "to"."""
    for prt in verb.children:
        if prt.dep_ in ("prt", "prep", "advmod") and prt.lower_ == "up" and prt.i == verb.i + 1:
            for prep in prt.children:
                if prep.lower_ == "to" and (obj := pobj(prep)) is not None:
                    if any(c.dep_ == "nummod" for c in obj.children):
                        return obj
    return None


def modified(noun: Token) -> Token:
    """What a reduced relative is about: the noun it modifies, or, when that noun
    completes an owned noun ("Kosovo's bid for membership, opposed by Serbia"),
    the owned noun, whose owner is the one acted upon."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("for", "of", "to"):
        owned = prep.head
        if owned.pos_ == "NOUN" and any(c.dep_ == "poss" for c in owned.children):
            return owned
    return noun


def asked(verb: Token) -> list[Token]:
    """Subjects of the clauses saying what a verb (or its "on/for" noun) asks for:
    "demanded that X provide", "insisted on its demands that X grant"."""
    heads = [verb] + [
        obj
        for prep in verb.children
        if prep.dep_ == "prep" and prep.lower_ in ("on", "for")
        for obj in prep.children
        if obj.dep_ == "pobj"
    ]
    out = []
    for head in heads:
        for clause in head.children:
            if clause.dep_ not in ("ccomp", "acl") or clause.pos_ not in ("VERB", "AUX"):
                continue
            if (
                not any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
                and clause.tag_ != "VB"
            ):
                continue
            subj = child(clause, "nsubj")
            if subj is not None and subj.pos_ in ("PROPN", "NOUN"):
                out.append(subj)
    return out


def embedded_subjects(verb: Token) -> list[Token]:
    """Subjects of the clauses a verb reports, nearest first ("warned that ... Russia working to")."""
    queue = [c for c in verb.children if c.dep_ in ("ccomp", "advcl", "xcomp", "prep")]
    out: list[Token] = []
    seen = 0
    while queue and seen < 40:
        tok = queue.pop(0)
        seen += 1
        subj = child(tok, "nsubj")
        if subj is not None and subj.pos_ in ("PROPN", "NOUN") and tok.pos_ in ("VERB", "AUX"):
            out.append(subj)
        queue.extend(
            c
            for c in tok.children
            if c.dep_ in ("ccomp", "advcl", "xcomp", "prep", "pcomp", "pobj", "acl", "dobj")
        )
    return out


def embedded_objects(verb: Token, lex: Lexicon) -> list[Token]:
    """Objects of the actions a verb embeds, nearest first ("threatened to cut ties with Congo")."""
    queue = [
        c
        for c in verb.children
        if c.dep_ in ("xcomp", "ccomp", "dobj", "prep") and c.lower_ not in lex.circumstance_preps
    ]
    out: list[Token] = []
    seen = 0
    while queue and seen < 40:
        tok = queue.pop(0)
        seen += 1
        if tok.dep_ in ("dobj", "pobj", "dative") and tok.pos_ in ("PROPN", "NOUN"):
            out.append(tok)
        # reduced relatives too: "a return to commitments made in an agreement with Belgrade"
        queue.extend(
            c for c in tok.children if c.dep_ in ("xcomp", "ccomp", "dobj", "prep", "pobj", "dative", "acl")
        )
    return out
