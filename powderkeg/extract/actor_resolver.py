"""A noun phrase in the parse -> Actor (country, organisation, sector, person).

Resolution looks at the phrase's own words first (``Kosovo's defence minister
Ejup Maqedonci`` -> XKX, GOV), then at what the article said before:
pronouns ("he"), short names ("Kurti", "Cavoli"), and definite descriptions
("the alliance", "the mission", "the crowds") take the attributes of the
latest compatible actor (``actor_memory.py``); a town's name gives its country
(``actor_places.py``). A ``Memory`` lives for one article.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from ..geocode.admin import ADMIN_WORDS
from ..geocode.doctext import doc_text
from ..geocode.gazetteer import Gazetteer
from ..geocode.places import places_at
from ..geocode.resolve import Resolved
from ..knowledge.known_actors import Entry, Knowledge
from ..knowledge.lexicon import Lexicon
from ..knowledge.rules import load_rules
from ..records import Actor
from . import clauses
from .actor_memory import Memory, binder, kind_noun
from .actor_places import NAMED_TOWN_POPULATION, PlaceCountry, city_country

PHRASE_DEPS = {
    "compound",
    "amod",
    "poss",
    "nmod",
    "appos",
    "nummod",
    "flat",
    "det",
    "case",
    "quantmod",
    "npadvmod",
}


@dataclass
class _Reading:
    """What a phrase says of the actor it names, as resolution goes on."""

    country: str = ""
    org: Entry | None = None
    sector: str = ""
    name: str = ""
    person: Entry | None = None  # a known person's role on the day
    name_head: Token | None = None  # the token naming a person the knowledge base does not know

    def copy(self) -> _Reading:
        """A copy to fill in (``dataclasses.replace`` does the same at a few times the cost)."""
        return _Reading(self.country, self.org, self.sector, self.name, self.person, self.name_head)


def _stance_word(tok: Token, lex: Lexicon) -> bool:
    """A name that says what an actor is for or against, not what it is ("pro-Iranian"),
    or where a thing was made ("Russian-made rockets")."""
    low = tok.lower_
    if low.startswith(lex.stance_prefixes):
        return True
    doc = tok.doc
    if (
        tok.i + 2 < len(doc)
        and doc[tok.i + 1].text == "-"
        and not tok.whitespace_
        and doc[tok.i + 2].lower_ in lex.made_words
    ):
        return True
    return (
        tok.i >= 2
        and doc[tok.i - 1].text == "-"
        and not doc[tok.i - 2].whitespace_
        and doc[tok.i - 2].lower_ in {p.rstrip("-") for p in lex.stance_prefixes}
    )


class ActorResolver:
    def __init__(
        self,
        doc: Doc,
        kb: Knowledge,
        day: dt.date | None,
        gazetteer: Gazetteer,
        places: PlaceCountry | None = None,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.doc, self.kb, self.day, self.gazetteer = doc, kb, day, gazetteer
        #: the word lists; by default the rules of the knowledge base's own folder
        self.lex = lexicon if lexicon is not None else load_rules(kb.extra_dir).lexicon
        self.text = doc_text(doc)  # Doc.text joins every token: build it once per article
        self.places = places if places is not None else self._town_country
        self.mentions = doc._.mentions or {}
        #: a text written in lower case, whose names have no capitals to tell them by
        self.lowered = bool(doc._.lower_cased)
        self.memory = Memory()
        self.people_tokens: set[int] = set()
        self.antecedents: dict[int, Actor] = {}  # pronoun -> the actor it stands for, as named
        self.related: dict[int, Actor | None] = {}  # "its neighbour", read once per mention
        self.sectors: dict[tuple[int, ...], str] = {}  # phrase -> sector code
        self._phrases: dict[int, list[Token] | None] = {}  # head -> its phrase (``_phrase_of``)
        self._readings: dict[int, _Reading | None] = {}  # head -> its own words' reading
        self.focus, self.clear_focus = self._focus_country()

    @functools.cached_property
    def named_countries(self) -> set[str]:
        """The countries the article names by name."""
        return {e.country for m in self.mentions.values() for e in m.entries if e.kind == "country"}

    def _town_country(self, name: str) -> str:
        """The country of a town: of the towns with that name, one in a country the article
        names ("Tripoli" beside "Lebanese" is Lebanon's), else ``city_country``'s."""
        towns = [
            c
            for c in self.gazetteer.candidates(name)
            if c.country in self.named_countries
            and c.feature.startswith("PPL")
            and c.population >= NAMED_TOWN_POPULATION
        ]
        best = max(towns, key=lambda c: c.population, default=None)
        return best.country if best is not None else city_country(name, self.gazetteer)

    def _focus_country(self) -> tuple[str, str]:
        """The country the article names most, and the same when it names no other (the one
        to give actors that nothing else places)."""
        counts: dict[str, float] = {}
        national: dict[str, float] = {}
        named: set[str] = set()
        seen = set()
        for mention in self.mentions.values():
            if id(mention) in seen:
                continue
            seen.add(id(mention))
            if self.doc[mention.start].ent_type_ in ("MONEY", "PERCENT", "QUANTITY"):
                continue  # "US $50 million" is a currency, not a place
            # a word that also names an ethnic group ("Albanian") says less about where things happen
            weight = 0.5 if any(e.kind == "ethnic" for e in mention.entries) else 1.0
            # the article's reading of a capital's name, where it read it as another place
            # ("Paris, Texas"): that place's country
            here = self._resolved_at(mention.start, mention.end)
            elsewhere = next(
                (
                    here.place.country
                    for e in mention.entries
                    if e.kind == "capital" and here is not None and here.place.country not in ("", e.country)
                ),
                "",
            )
            if elsewhere:
                counts[elsewhere] = counts.get(elsewhere, 0.0) + weight
                named.add(elsewhere)
                continue
            for e in mention.entries:
                if e.kind in ("country", "capital"):
                    counts[e.country] = counts.get(e.country, 0.0) + weight
                    break
            else:
                for e in mention.entries:
                    if e.kind == "org" and e.country:
                        national[e.country] = national.get(e.country, 0.0) + 1
                        break
            named.update(e.country for e in mention.entries if e.country and e.kind != "ethnic")
        # no country named: a national organisation says which ("lift the ban on the FIS")
        counts = counts or national
        if not counts:
            return "", ""
        top = max(counts, key=counts.__getitem__)  # ties: the first named
        # "Kosovo Police" names Kosovo too
        return top, top if named <= {top} else ""

    def _resolved_at(self, start: int, end: int) -> Resolved | None:
        """The article's resolved place (``doc._.places``) over tokens [start, end), if any."""
        if not self.doc.has_extension("places") or not self.doc._.places or end <= start:
            return None
        return places_at(
            self.doc._.places, self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1])
        )

    # -- phrases -------------------------------------------------------------

    def phrase(self, head: Token) -> list[Token]:
        """The head and the modifiers that name it (no relative clauses, no other PPs)."""
        out = [head]
        stack = [head]
        while stack:
            tok = stack.pop()
            for child in tok.children:
                if child.dep_ in PHRASE_DEPS or (
                    child.dep_ == "prep"
                    and child.lower_ in ("of", "for")
                    and (
                        tok.lemma_.lower() in self.lex.person_titles | self.lex.of_heads
                        or self._titled_name(tok)
                    )
                ):
                    out.append(child)
                    stack.append(child)
                elif child.dep_ == "pobj" and tok.dep_ == "prep":
                    out.append(child)
                    stack.append(child)
        # "KFOR troops": a compound head may itself be the name ("troops" is the head)
        return sorted(out, key=lambda t: t.i)

    def _titled_name(self, tok: Token) -> bool:
        """A name after a title ("King Hussein of Jordan"): its "of" phrase says whose he is."""
        return tok.pos_ == "PROPN" and any(
            c.dep_ == "compound" and c.lemma_.lower() in self.lex.person_titles for c in tok.children
        )

    def resolve_group(self, head: Token | None) -> list[tuple[Actor, Token]]:
        """The actors a head names, following conjunctions ("EU and US envoys")."""
        if head is None:
            return []
        out: list[tuple[Actor, Token]] = []
        for tok in [head, *[c for c in head.conjuncts if c.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]]:
            actor = self.resolve(tok)
            if actor is None and tok is not head:
                # "leaders and hundreds of demonstrators": the group the conjunct counts
                group = next(
                    (g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children
                     if g.dep_ == "pobj"),
                    None,
                )  # fmt: skip
                actor = self.resolve(group) if group is not None else None
            if (
                actor is not None
                and out
                and tok is not head
                and not (actor.country or actor.org or actor.name)
                and tok.pos_ == "NOUN"
                and not any(c.dep_ in ("amod", "compound", "poss", "det") for c in tok.children)
            ):
                # "Israeli helicopters and tanks": a bare noun shares the first one's nationality
                actor = replace(actor, country=out[0][0].country)
            found = [actor] if actor is not None else []
            if actor is not None and tok.lower_ in self.lex.group_pronouns:
                found = self._companions(tok, actor)
            elif actor is not None and actor.country and not actor.org:
                found += self._conjoined_nationalities(tok, actor)
            for a in found:
                if all(a.key != b.key or a.sector != b.sector for b, _ in out):
                    out.append((a, tok))
        return out

    def _companions(self, pronoun: Token, actor: Actor) -> list[Actor]:
        """ "they" for a coordinated phrase ("Serbia and Hungary signed a deal; they also
        agreed ...") stands for every actor of it; else for ``actor`` alone."""
        before = self.antecedents.get(pronoun.i)
        head = self._head_of(before) if before is not None else None
        if head is None or not head.conjuncts or head.i >= pronoun.i:
            return [actor]
        while head.dep_ == "conj":
            head = head.head  # the first of them, so they keep the order they were named in
        span = (pronoun.idx, pronoun.idx + len(pronoun))
        return [replace(a, text=pronoun.text, span=span) for a, _ in self.resolve_group(head)] or [actor]

    def _conjoined_nationalities(self, head: Token, actor: Actor) -> list[Actor]:
        """ "French and Egyptian warships", "US and British forces": one actor per nationality."""
        out = []
        for mod in head.children:
            if mod.dep_ not in ("amod", "compound", "nmod"):
                continue
            for other in mod.conjuncts:
                country = self.names_country(other)
                if country and country != actor.country:
                    out.append(replace(actor, country=country))
        return out

    def resolve(self, head: Token) -> Actor | None:
        low = head.lower_
        if head.pos_ == "PRON" or low in self.lex.person_pronouns or low in self.lex.group_pronouns:
            return self._pronoun(head)
        tokens = self._phrase_of(head)
        if tokens is None:
            return None
        if head.i not in self.related:
            self.related[head.i] = self._related(head)
        if (related := self.related[head.i]) is not None:
            return self._remember(related, person=False)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        own = self._own_reading(head, tokens)
        if own is None:
            return None  # "all official contact", "military aid": a thing a sector word describes
        found = own.copy()  # filled in below from the memory: the cached reading stays as read
        if (known := self._known_from_before(head, found)) is not None:
            return self._remember(replace(known, text=self.text[start:end], span=(start, end)), person=False)
        if self._unknown_body(head, tokens, found):
            actor = Actor(
                text=self.text[start:end],
                org="NGO",
                sector=found.sector or "NGO",
                name=" ".join(t.text for t in tokens if t.dep_ != "det"),
                span=(start, end),
            )
            return self._remember(actor, person=False)
        if not found.country and not found.org and not found.name and head.pos_ != "PROPN":
            country, org_code = self.memory.antecedent(head, found.sector, self.lex, self.kb, self.focus)
            found.country, found.org = country, self.kb.orgs.get(org_code) if org_code else None
            if (
                not found.country
                and not found.org
                and found.sector in self.lex.domestic_sectors
                and head.lemma_.lower() not in self.lex.outsider_nouns
            ):
                # "opposition leaders", "prisoners", "the police": of the country the article is
                # about; settlers or mercenaries come from elsewhere, whoever they act on
                found.country = self.clear_focus
        if not (found.country or found.org or found.sector or found.name):
            return None
        return self._actor(found, self.text[start:end], (start, end))

    # -- what a phrase's own words say, read once per head -------------------------------
    #
    # ``resolve`` is asked about the same head again and again (each subject first, then
    # as a source or target), and each time it reads the memory and adds to it. What the
    # phrase's own words say does not depend on the memory: it reads only the Doc, the
    # article's mentions, its focus country and day, the knowledge base and the towns'
    # countries (``places``, a function of the name), none of which change while an article
    # is coded. So that part is read once per head and kept for the article (at most one
    # entry per token of the Doc, dropped with the resolver); the memory is read and
    # written on every call exactly as before (tests/test_actor_reading_cache.py).

    def _phrase_of(self, head: Token) -> list[Token] | None:
        """``phrase(head)``, or None when its own words say it is no actor: a word that never
        names one ("not_actor_lemmas") or a possessed thing ("President Reagan's statement";
        its owner may be one). Read once per head (see above)."""
        if head.i not in self._phrases:
            self._phrases[head.i] = self._read_phrase_of(head)
        return self._phrases[head.i]

    def _read_phrase_of(self, head: Token) -> list[Token] | None:
        if head.lemma_.lower() in self.lex.not_actor_lemmas and not self.mention(head):
            return None
        if self.owned_thing(head):
            return None
        return self.phrase(head)

    def _own_reading(self, head: Token, tokens: list[Token]) -> _Reading | None:
        """What the words of ``head``'s phrase (``tokens``) say of the actor, or None for a
        thing a sector word describes (``_bare_thing``). Read once per head (see above):
        the caller copies it before filling it in from the memory."""
        if head.i not in self._readings:
            entries = self._entries(tokens)
            bare = not entries and self._bare_thing(head)
            self._readings[head.i] = None if bare else self._read_phrase(head, tokens, entries)
        return self._readings[head.i]

    def _read_phrase(self, head: Token, tokens: list[Token], entries: list[Entry]) -> _Reading:
        """What the phrase's own words say: a person, an organisation, a country, a sector."""
        person = self.kb.person([e for e in entries if e.kind == "person"], self.day)
        orgs = [e for e in entries if e.kind == "org"]
        head_entries = self.mention(head)
        countries = [e for e in entries if e.kind in ("country", "capital", "ethnic")]
        found = _Reading(sector=self._sector(head, tokens), person=person)
        found.org = next((e for e in orgs if e in head_entries), orgs[0] if orgs else None)
        if person is not None:
            found.country, found.name = person.country, person.name
            # a role that holds on the day is better evidence than a title word ("Colonel-General")
            if person.holds_on(self.day) or not found.sector or found.sector == "GOV":
                found.sector = person.sector
            if person.org and not found.org:
                found.org = self.kb.orgs.get(person.org)
        explicit = self._country(countries, tokens, head)
        if explicit:
            found.country = explicit
        found.name_head = self._name_head(head) if person is None else None
        if found.name_head is not None:
            found.name = self._person_name(found.name_head)
        org = found.org
        if org is not None:
            found.country = found.country or org.country
            if org.sector and (not found.sector or head.lemma_.lower() in self.lex.generic_heads):
                found.sector = org.sector  # "Boko Haram gunmen" are Boko Haram's, "the FDLR force" rebels
        unnamed = person is None and found.name_head is None
        if not found.country and unnamed:
            found.country = self._place_country(head, tokens)
        if not found.country and not org and unnamed and found.sector:
            found.country = self._located_in(head)  # people placed somewhere, not "tensions in Bosnia"
        if not found.sector:
            capital = next((e for e in countries if e.kind == "capital"), None)
            found.sector = capital.sector if capital else ""
        return found

    def _unknown_body(self, head: Token, tokens: list[Token], found: _Reading) -> bool:
        """A named body the knowledge base does not know, with no country in its name ("the
        Third World Water Forum", "the Association of African Jurists"): an organisation, which
        CAMEO codes NGO, never a person. The name's last word says so (``body_names``)."""
        if found.country or found.org or found.person is not None or found.name_head is not None:
            return False
        last = tokens[-1] if tokens[-1].pos_ == "PROPN" else head
        named = [t for t in tokens if t.pos_ == "PROPN" and t.text[:1].isupper()]
        # "the Association of African Jurists": the name goes on after "of"
        named += [
            t
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for t in prep.children
            if t.dep_ == "pobj" and t.pos_ == "PROPN"
        ]
        return (
            head.pos_ == "PROPN"
            and len(named) >= 2
            and (head.lower_ in self.lex.body_names or last.lower_ in self.lex.body_names)
        )

    def _town_word(self, tok: Token) -> bool:
        """A word that names a sizeable town or a state (``places``)."""
        return tok.is_alpha and not tok.is_stop and len(tok.text) > 3 and bool(self.places(tok.text))

    def _area_country(self, area: Token) -> str:
        """The country of an area named with its kind's word ("in Sindh province", "in sindh
        province", "in Zamfara state"): the words before the word name it, capitals or not."""
        names = [
            t for t in area.lefts if t.dep_ in ("compound", "amod", "nmod") and t.is_alpha and not t.is_stop
        ]
        if not names:
            return ""
        if country := next(filter(None, map(self.names_country, names)), ""):
            return country
        name = self.doc[names[0].i : area.i].text
        return self.places(name) if len(name) > 3 else ""

    def _known_from_before(self, head: Token, found: _Reading) -> Actor | None:
        """A name the article gave in full before: its person's attributes fill the gaps in
        ``found`` (a titled name), or it is that person again (a bare proper noun)."""
        if found.name_head is not None:
            known = self.memory.people.get(found.name.split()[-1].lower())
            if known is not None:
                found.country = found.country or known.country
                found.sector = found.sector or known.sector
                found.org = found.org or (self.kb.orgs.get(known.org) if known.org else None)
            # a person the knowledge base does not know is placed only by a cue in the text (a
            # nationality in the phrase, the name given in full before, the one country their
            # paragraph names), never by the article's focus; no office unless a title says so
            if not found.country and not found.org:
                found.country = self._paragraph_country(head)
        elif found.person is None and not found.org and not found.country and head.pos_ == "PROPN":
            return self.memory.people.get(head.lower_)
        return None

    def _paragraph_country(self, head: Token) -> str:
        """The one country ``head``'s paragraph names, or its national organisations do."""
        start = self.text.rfind("\n", 0, head.idx) + 1
        end = self.text.find("\n", head.idx)
        end = len(self.text) if end < 0 else end
        entries = [e for i, m in self.mentions.items() if start <= self.doc[i].idx < end for e in m.entries]
        # the countries named, else those of the national organisations named ("the FIS")
        named = {e.country for e in entries if e.kind in ("country", "capital") and e.country}
        named = named or {e.country for e in entries if e.kind == "org" and e.country}
        return named.pop() if len(named) == 1 else ""

    def _actor(self, found: _Reading, text: str, span: tuple[int, int]) -> Actor:
        """The actor ``found`` describes, remembered for what comes later."""
        org, name = found.org, found.name
        if org is not None and not name and found.person is None:
            name = org.name
        # national bodies (Kosovo Police, Srpska Lista) are known by country and name, not org
        international = org is not None and not org.country
        actor = Actor(
            text=text,
            country=found.country,
            org=org.org if org is not None and international else "",
            sector=found.sector,
            name=name,
            span=span,
        )
        is_person = bool(name) and (found.person is not None or found.name_head is not None)
        if org is not None:
            self.memory.kinds[org.code] = org.org_kind
        return self._remember(actor, person=is_person, org_code=org.code if org else "")

    # -- helpers -------------------------------------------------------------

    def _bare_thing(self, head: Token) -> bool:
        """A common noun that names no kind of actor by itself."""
        if head.pos_ != "NOUN" or self.mention(head):
            return False
        lemma = head.lemma_.lower()
        if kind_noun(lemma, self.lex):
            return False
        if lemma in self.lex.person_titles or any(
            c.dep_ == "compound" or (c.dep_ == "prep" and c.lower_ == "of") for c in head.children
        ):
            return False  # "gang confederations", "residence of the President" may name one
        for n in (1, 2, 3):  # "secret services": a known phrase ending at the head
            span = self.doc[max(head.i - n + 1, 0) : head.i + 1]
            lowered = " ".join(t.lower_ for t in span)
            lemmas = " ".join([*(t.lower_ for t in span[:-1]), lemma])
            if self.kb.sector_of(lowered, lemmas, lowered.replace(" - ", "-")):
                return False
        return True

    def owned_thing(self, head: Token) -> bool:
        """A possessed common noun that names no actor by itself ("Reagan's statement")."""
        if head.pos_ != "NOUN" or self.mention(head) or not any(c.dep_ == "poss" for c in head.children):
            return False
        if any(c.dep_ == "compound" and self.mention(c) for c in head.children):
            return False  # "bin Laden's al-Qaeda network" is the network, a named group
        lemma = head.lemma_.lower()
        if kind_noun(lemma, self.lex):
            return False
        return not self._sector(head, [head])

    def _related(self, head: Token) -> Actor | None:
        """ "its neighbour", "Serbia's rival": one other country, the one named last before
        the phrase that is not the owner's ("protested to Albania, accusing its neighbour")."""
        if head.lemma_.lower() not in self.lex.relation_nouns or head.tag_ != "NN":
            return None
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if owner is None:
            return None
        if owner.pos_ == "PRON":
            found = self._pronoun(owner)
            owned = found.country if found is not None else ""
        else:
            owned = self._country(self._entries([owner]), [owner])
        if not owned:
            return None
        for i in range(owner.i - 1, -1, -1):
            other = self.names_country(self.doc[i])
            if other and other != owned:
                start, end = owner.idx, head.idx + len(head)
                return Actor(text=self.text[start:end], country=other, span=(start, end))
        return None

    def _remember(self, actor: Actor, person: bool, org_code: str = "") -> Actor:
        self.memory.remember(actor, person=person, org_code=org_code)
        return actor

    def names_actor(self, name: str) -> bool:
        """Whether ``name`` is an organisation, person or group rather than a place."""
        return any(e.kind in ("org", "person", "ethnic") for e in self.kb.lookup(name))

    def mention(self, tok: Token) -> tuple[Entry, ...]:
        m = self.mentions.get(tok.i)
        return m.entries if m else ()

    def _entries(self, tokens: list[Token]) -> list[Entry]:
        out: list[Entry] = []
        for tok in tokens:
            entries = self.mention(tok)
            if not entries or _stance_word(tok, self.lex):
                continue  # "pro-Iranian Hizbollah" is not Iranian, "anti-American protesters" not American
            for e in entries:
                if e not in out:
                    out.append(e)
        return out

    def _country(self, entries: list[Entry], tokens: list[Token], head: Token | None = None) -> str:
        if not entries:
            return ""
        ethnic_qualifier = any(t.lower_ == "ethnic" for t in tokens)
        if head is not None:
            own = self.mention(head)
            if head.pos_ == "PROPN" and own and all(e.kind == "country" for e in own):
                # "the United States, a Saudi-owned weekly reports": a country's name is its own
                return own[0].country
            ethnic = next((e for e in own if e.kind == "ethnic"), None)
            if ethnic is not None:
                # "Bosnian Serbs", "Albanians of southern Serbia": a group is coded where it lives
                places = [
                    obj
                    for prep in head.children
                    if prep.dep_ == "prep" and prep.lower_ in ("of", *self.lex.locating_preps)
                    for obj in prep.children
                    if obj.dep_ == "pobj"
                ]
                where = [
                    e.country
                    for t in [*tokens, *places]
                    if t.i != head.i
                    for e in self.mention(t)
                    if e.kind in ("country", "capital") and e.country != ethnic.country
                ]
                if where:
                    return where[-1]
        # prefer the possessor / nationality word nearest the head (the last one)
        for e in reversed(entries):
            if e.kind == "ethnic" and (ethnic_qualifier or not any(x.kind == "country" for x in entries)):
                if self.focus and self.focus in e.homelands:
                    return self.focus
                return e.country
        for e in reversed(entries):
            if e.kind in ("country", "capital"):
                if ethnic_qualifier:
                    ethnic = next((x for x in self.kb.lookup(e.name) if x.kind == "ethnic"), None)
                    if ethnic and self.focus in ethnic.homelands:
                        return self.focus
                return e.country
        return ""

    def _place_country(self, head: Token, tokens: list[Token]) -> str:
        """The country of a town naming the actor ("Shanghai authorities", "Oxford University")."""
        names: list[list[Token]] = []
        # in a lower-cased text no capital marks a town's name: a body's ("the lahore traders
        # association") is read as one when the gazetteer knows it, as ordinary phrases name no place
        body = self.lowered and head.lower_ in self.lex.body_names
        for tok in tokens:
            named = tok.pos_ == "PROPN" or (body and tok.i < head.i and self._town_word(tok))
            if not named or tok is head or self.mention(tok):
                continue
            if names and names[-1][-1].i == tok.i - 1:
                names[-1].append(tok)
            else:
                names.append([tok])
        for run in names:
            # the longest leading part that is a town: "Santa Marta Self Defense Forces"
            for last in range(len(run) - 1, -1, -1):
                name = self.doc[run[0].i : run[last].i + 1].text
                country = self.places(name) if len(name) > 3 else ""
                if country:
                    return country
        return ""

    def _located_in(self, head: Token) -> str:
        """The country of the place a group is said to be in or to come from ("opposition groups
        in Zimbabwe", "students throughout Indonesia", "a missionary from Calgary", "refugees
        fleeing Liberia")."""
        preps = [
            c for c in head.children if c.dep_ == "prep" and c.lower_ in (*self.lex.locating_preps, "from")
        ]
        for fled in head.children:
            if fled.dep_ != "acl" or fled.lemma_.lower() not in self.lex.fleeing_verbs:
                continue
            # "refugees fleeing the civil war in Liberia", "families fleeing Mosul"
            for obj in fled.children:
                if obj.dep_ != "dobj":
                    continue
                if country := self.names_country(obj):
                    return country
                preps += [c for c in obj.children if c.dep_ == "prep" and c.lower_ in self.lex.locating_preps]
            preps += [
                c
                for c in fled.children
                if c.dep_ == "prep" and c.lower_ in (*self.lex.locating_preps, "from")
            ]
        for prep in preps:
            for obj in prep.children:
                if obj.dep_ != "pobj":
                    continue
                for e in self.mention(obj):
                    if e.kind == "capital" and obj.pos_ == "PROPN":
                        # a place here, not a government: "militias in Tripoli" beside "Lebanese"
                        return self._town_country(obj.text) or e.country
                    if e.kind in ("country", "capital"):
                        return e.country
                if obj.pos_ == "PROPN" and not self.mention(obj):
                    return self.places(obj.text) if len(obj.text) > 3 else ""
                if obj.lower_ in ADMIN_WORDS and (country := self._area_country(obj)):
                    return country
        return ""

    def names_country(self, tok: Token) -> str:
        """The country a token's mention names (a country's or a capital's name), else ''."""
        return next((e.country for e in self.mention(tok) if e.kind in ("country", "capital")), "")

    def _sector(self, head: Token, tokens: list[Token]) -> str:
        # the same phrase is asked about again and again (subjects first, then as roles)
        key = (head.i, *(t.i for t in tokens))
        if key not in self.sectors:
            self.sectors[key] = self._phrase_sector(head, tokens)
        return self.sectors[key]

    def _phrase_sector(self, head: Token, tokens: list[Token]) -> str:
        lower = {t.i: t.lower_ for t in tokens}  # each word's form, read once (no slice of the Doc)
        words = [t for t in sorted(tokens, key=lambda t: -t.i) if t.dep_ != "det" and t.pos_ != "PRON"]
        words.sort(key=lambda t: t is not head)  # the head's own words first, then modifiers right to left
        generic = ""
        for tok in words:
            lemma = tok.lemma_.lower()
            for n in (3, 2, 1):
                first = tok.i - n + 1
                if first < 0 or any(i not in lower for i in range(first, tok.i + 1)):
                    continue
                forms = [lower[i] for i in range(first, tok.i + 1)]
                lowered = " ".join(forms)
                lemmas = " ".join([*forms[:-1], lemma])
                found = self.kb.sector_of(lowered, lemmas, lowered.replace(" - ", "-"))
                if not found:
                    continue
                if tok is head and lemma in self.lex.generic_heads and n == 1:
                    # "rebel forces", "Jewish community leader": the modifier says more (a known
                    # phrase ending at the head, "opposition forces", says it already)
                    generic = found
                    break
                if generic == "MIL" and found == "GOV":
                    return generic  # "government forces" are the military
                return found
        return generic

    def _is_person_name(self, head: Token) -> bool:
        if head.pos_ != "PROPN" or any(e.kind != "person" for e in self.mention(head)):
            return False
        if head.ent_type_ == "PERSON":
            return True
        return any(t.lemma_.lower() in self.lex.person_titles for t in head.lefts)

    def _name_head(self, head: Token) -> Token | None:
        """The token naming a person in the phrase: the head, or its apposition."""
        if self._is_person_name(head):
            return head
        for child in head.children:
            if child.dep_ == "appos" and self._is_person_name(child):
                return child
        return None

    def _person_name(self, head: Token) -> str:
        """The name ending at ``head``: adjacent proper nouns and hyphens, without titles."""
        first = head.i
        while first > 0:
            prev = self.doc[first - 1]
            joined = prev.text == "-" and not prev.whitespace_
            title = prev.lower_.rstrip(".") in self.lex.person_titles or self.kb.sector_of(prev.lower_)
            named = any(e.kind in ("country", "capital", "org") for e in self.mention(prev))
            if not (joined or (prev.pos_ == "PROPN" and not title and not named)):
                break
            first -= 1
        while first < head.i and self.doc[first].text == "-":
            first += 1
        return self.doc[first : head.i + 1].text

    def _harm(self, verb: Token) -> bool:
        return verb.pos_ == "VERB" and verb.lemma_.lower() in self.lex.thing_harm_verbs

    def _reporter(self, pronoun: Token) -> Actor | None:
        """The country or organisation that says what "it" did, in the same sentence."""
        for verb in pronoun.head.ancestors:
            subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.pos_ in ("PROPN", "NOUN"):
                actor = self.resolve(subject)
                if actor is not None and (actor.country or actor.org) and not actor.name:
                    return replace(actor, text=pronoun.text, span=(pronoun.idx, pronoun.idx + len(pronoun)))
                return None
        return None

    def _head_of(self, actor: Actor) -> Token | None:
        """The token that heads an actor's phrase in the article, when it has a span."""
        if actor.span is None:
            return None
        span = self.doc.char_span(*actor.span, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    def _speaker(self, pronoun: Token) -> Actor | None:
        """The one who reports what a pronoun does, when they agree: the subject of the
        verb of speech whose clause holds it ("Serbia said it would close the border",
        "the minister said he would resign"); None when none agrees."""
        verb = pronoun.head
        while verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            verb = verb.head  # "said it would talk and it would not fight"
        if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in self.lex.reporting_verbs:
            return None
        subject = clauses.child(verb.head, "nsubj")
        if subject is None or subject.i > pronoun.i or subject.pos_ not in ("PROPN", "NOUN"):
            return None
        actor = self.resolve(subject)
        if actor is None:
            return None
        # "the minister said he ...": a titled speaker is a person though unnamed
        titled = (
            pronoun.lower_ in self.lex.person_pronouns and subject.lemma_.lower() in self.lex.person_titles
        )
        return actor if titled or self.memory.agrees(actor, pronoun.lower_, self.lex) else None

    def _may_be_many(self, actor: Actor) -> bool:
        """Whether "they" can stand for ``actor``: not when its phrase is a singular noun that
        names one person ("the governor", "a soldier"); a country, an organisation or a
        collective noun ("the police", "the government") may be "they"."""
        head = self._head_of(actor)
        if head is None or head.tag_ != "NN":
            return True
        lemma = head.lemma_.lower()
        return lemma not in self.lex.one_person_nouns and lemma not in self.lex.person_titles

    def _previous_sentence(self, pronoun: Token) -> int | None:
        """Where the sentence before a subject pronoun's starts (its own, when it is the
        first), for ``Memory.referent``; None for a pronoun that is no subject."""
        if pronoun.dep_ not in ("nsubj", "nsubjpass"):
            return None
        start = pronoun.sent.start
        return self.doc[start - 1].sent.start_char if start > 0 else pronoun.sent.start_char

    def _named_together(self, pronoun: Token, since: int) -> Actor | None:
        """For a subject "they": the first of the people named together as the subject of its
        sentence or the one before ("Biden, Blinken and Austin met in Washington. They ..."),
        with the country all of them share ("" when they do not share one); None when no such
        people are named there. A person alone is never "they" (``Memory.agrees``)."""
        start = self._previous_sentence(pronoun)
        if pronoun.lower_ not in self.lex.group_pronouns or start is None:
            return None
        people = {p.name for p in self.memory.people.values()}
        first = self.memory.latest(
            lambda a: (
                a.span is not None
                and a.span[0] < pronoun.idx
                and a.span in self.memory.subjects
                and a.name in people
            ),
            max(since, start),
        )
        head = self._head_of(first) if first is not None else None
        if first is None or head is None or not head.conjuncts:
            return None
        group = [self.resolve(tok) for tok in (head, *head.conjuncts)]
        countries = {a.country if a is not None else "" for a in group}
        return replace(first, country=countries.pop() if len(countries) == 1 else "")

    def _pronoun(self, head: Token) -> Actor | None:
        low = head.lower_
        subject = binder(head, self.lex)
        if subject is not None:
            # "fundamentalists continued their hunger strike": the clause's own subject
            bound = self.resolve(subject)
            if bound is not None and (bound.country or bound.org):
                return replace(bound, text=head.text, span=(head.idx, head.idx + len(head)))
        if low in self.lex.thing_pronouns and head.dep_ == "nsubj" and self._harm(head.head):
            # "It killed 800 people": a thing (a storm, a war, a bomb) more often than a state;
            # only a reporter's own "it" acts ("Israel said it killed two gunmen")
            return self._reporter(head)
        actor = self._speaker(head)
        since = self.text.rfind("\n", 0, head.idx) + 1
        people = self._named_together(head, since) if actor is None else None
        if people is not None:
            # "Biden, Blinken and Austin met ... They": the people themselves, of one country;
            # of several, no one of them, nor anyone named after them
            actor = people if people.country else None
        elif actor is None:
            # a pronoun stands for an actor of its own paragraph, named before it
            actor = self.memory.referent(
                low,
                self.lex,
                since,
                before=head.idx,
                subject_since=self._previous_sentence(head),
                many=self._may_be_many,
            )
        if actor is None:
            return None
        self.antecedents[head.i] = actor
        span = (head.idx, head.idx + len(head))
        return replace(actor, text=head.text, span=span)
