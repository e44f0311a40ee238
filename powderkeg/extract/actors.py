"""A noun phrase in the parse -> Actor (country, organisation, sector, person).

Resolution looks at the phrase's own words first (``Kosovo's defence minister
Ejup Maqedonci`` -> XKX, GOV), then at what the article said before:
pronouns ("he"), short names ("Kurti", "Cavoli"), and definite descriptions
("the alliance", "the mission", "the crowds") take the attributes of the
latest compatible actor. A ``Memory`` lives for one article.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from ..geocode.gazetteer import Gazetteer
from ..knowledge.actors import Entry, Knowledge
from ..records import Actor

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
PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "them", "their"}
THING_PRONOUNS = {"it"}
#: nouns that refer back to an organisation of a kind ("the alliance" -> NATO)
ORG_KIND_NOUNS = {
    "alliance": "alliance",
    "mission": "mission",
    "bloc": "igo",
    "union": "igo",
    "organisation": "igo",
    "organization": "igo",
    "force": "mission",
    "body": "igo",
    "party": "party",
    "group": "armed_group",
    "movement": "party",
}
#: nouns that refer back to a country ("the country" -> the latest country)
COUNTRY_NOUNS = {"country", "nation", "state", "republic", "government", "authorities", "regime"}
PERSON_TITLES = {
    "president",
    "minister",
    "premier",
    "pm",
    "chancellor",
    "general",
    "commander",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "king",
    "queen",
    "prince",
    "mayor",
    "governor",
    "senator",
    "leader",
    "chief",
    "head",
    "official",
    "director",
    "colonel",
    "admiral",
    "lieutenant",
    "captain",
    "sergeant",
    "representative",
    "deputy",
    "speaker",
    "mr",
    "mrs",
    "ms",
    "dr",
}
#: person-like sectors (a title or role word)
NOT_ACTOR_LEMMAS = {
    "area",
    "region",
    "border",
    "town",
    "city",
    "village",
    "building",
    "road",
    "majority",
    "territory",
    "capital",
    "street",
    "exercise",
    "drill",
    "language",
}
#: things whose nationality word names no actor at all ("the Russian language")
LANGUAGE_WORDS = {"language", "dialect"}


#: heads that say little by themselves: a modifier or an organisation says more
GENERIC_HEADS = {"force", "forces", "unit", "member", "men", "man", "gunman", "gunmen", "group", "leader"}
#: heads whose "of" phrase names the actor ("members of SANDF", "Minister of Defence")
OF_HEADS = {
    "minister", "ministry", "commander", "force", "forces", "member", "members", "office",
    "government", "authorities", "administration",
}  # fmt: skip
#: prepositions that place a group ("students throughout Indonesia")
LOCATING_PREPS = ("in", "throughout", "across", "inside")
#: verbs of people leaving a place, whose object or "from" phrase says where they are from
FLEEING_VERBS = {"flee", "escape", "leave"}
#: prefixes of a stance, not a nationality ("pro-Western", "anti-Serb")
STANCE_PREFIXES = ("pro-", "anti-")
#: nouns for actors known by their relation to another ("its partners", "Serbia's allies")
RELATION_NOUNS = {
    "partner",
    "ally",
    "neighbor",
    "neighbour",
    "rival",
    "counterpart",
    "enemy",
    "foe",
    "friend",
}
#: sectors whose members belong to a country, which the article's focus supplies when nothing else does
DOMESTIC_SECTORS = {
    "GOV", "MIL", "COP", "REB", "JUD", "LEG", "OPP", "PTY", "PRO", "CVL", "LAB", "EDU", "AGR", "HLH", "MED",
    "BUS", "ELI",
}  # fmt: skip
#: second halves of a compound that names where a thing comes from, not who acts ("Russian-made")
MADE_WORDS = {"made", "built", "manufactured", "designed", "supplied", "produced"}
#: populated places this large are known well enough to name their country's actors
CITY_POPULATION = 50_000
#: ... and this large when the article names their country
NAMED_TOWN_POPULATION = 10_000

PlaceCountry = Callable[[str], str]


def city_country(name: str, gazetteer: Gazetteer) -> str:
    """ISO3 of the town ``name`` when the gazetteer knows it as a sizeable place, or of the
    first-level area (state, province) of that name when no town has it, else ''."""
    # administrative areas count their towns' people: "Shanghai" the municipality is not a rival town
    candidates = gazetteer.candidates(name)
    towns = [c for c in candidates if not c.feature.startswith("ADM")]
    best = max(towns, key=lambda c: c.population, default=None)
    if best is None:
        # no town of that name: a state or province ("West Darfur State", "Sindh")
        states = [c for c in candidates if c.feature == "ADM1"]
        best = max(states, key=lambda c: c.population, default=None)
        return best.country if best is not None else ""
    if best.feature.startswith(("PCL", "SEA", "RGN", "CONT")):
        return ""
    return best.country if best.population >= CITY_POPULATION else ""


@dataclass
class Memory:
    """Actors already seen in the article, newest last."""

    actors: list[Actor] = field(default_factory=list)
    people: dict[str, Actor] = field(default_factory=dict)  # surname/last token -> actor
    kinds: dict[str, str] = field(default_factory=dict)  # org code -> org kind
    orgs: dict[str, int] = field(default_factory=dict)  # org code -> position last seen

    def remember(self, actor: Actor, person: bool = False, org_code: str = "") -> None:
        self.actors.append(actor)
        if org_code:
            self.orgs[org_code] = len(self.actors)
        if person and actor.name:
            for part in {actor.name.split()[-1].lower(), actor.name.lower()}:
                self.people[part] = actor

    def latest(self, test) -> Actor | None:  # type: ignore[no-untyped-def]
        for actor in reversed(self.actors):
            if test(actor):
                return actor
        return None


def _stance_word(tok: Token) -> bool:
    """A name that says what an actor is for or against, not what it is ("pro-Iranian"),
    or where a thing was made ("Russian-made rockets")."""
    low = tok.lower_
    if low.startswith(STANCE_PREFIXES):
        return True
    doc = tok.doc
    if (
        tok.i + 2 < len(doc)
        and doc[tok.i + 1].text == "-"
        and not tok.whitespace_
        and doc[tok.i + 2].lower_ in MADE_WORDS
    ):
        return True
    return (
        tok.i >= 2
        and doc[tok.i - 1].text == "-"
        and not doc[tok.i - 2].whitespace_
        and doc[tok.i - 2].lower_ in ("pro", "anti")
    )


class ActorResolver:
    def __init__(
        self,
        doc: Doc,
        kb: Knowledge,
        day: dt.date | None,
        gazetteer: Gazetteer,
        places: PlaceCountry | None = None,
    ) -> None:
        self.doc, self.kb, self.day, self.gazetteer = doc, kb, day, gazetteer
        self.text = doc.text  # Doc.text joins every token: build it once per article
        self.places = places if places is not None else self._town_country
        self.mentions = doc._.mentions or {}
        self.memory = Memory()
        self.people_tokens: set[int] = set()
        self.related: dict[int, Actor | None] = {}  # "its neighbour", read once per mention
        self.sectors: dict[tuple[int, ...], str] = {}  # phrase -> sector code
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
                    and (tok.lemma_.lower() in PERSON_TITLES | OF_HEADS or self._titled_name(tok))
                ):
                    out.append(child)
                    stack.append(child)
                elif child.dep_ == "pobj" and tok.dep_ == "prep":
                    out.append(child)
                    stack.append(child)
        # "KFOR troops": a compound head may itself be the name ("troops" is the head)
        return sorted(out, key=lambda t: t.i)

    @staticmethod
    def _titled_name(tok: Token) -> bool:
        """A name after a title ("King Hussein of Jordan"): its "of" phrase says whose he is."""
        return tok.pos_ == "PROPN" and any(
            c.dep_ == "compound" and c.lemma_.lower() in PERSON_TITLES for c in tok.children
        )

    def resolve_group(self, head: Token | None) -> list[tuple[Actor, Token]]:
        """The actors a head names, following conjunctions ("EU and US envoys")."""
        if head is None:
            return []
        out = []
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
            if actor is not None and actor.country and not actor.org:
                found += self._conjoined_nationalities(tok, actor)
            for a in found:
                if all(a.key != b.key or a.sector != b.sector for b, _ in out):
                    out.append((a, tok))
        return out

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
        if head.pos_ == "PRON" or head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return self._pronoun(head)
        tokens = self.phrase(head)
        if head.lemma_.lower() in NOT_ACTOR_LEMMAS and not self.mention(head):
            return None
        if self.owned_thing(head):
            return None  # "President Reagan's statement" is not an actor; its owner may be
        if head.i not in self.related:
            self.related[head.i] = self._related(head)
        if (related := self.related[head.i]) is not None:
            return self._remember(related, person=False)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        text = self.text[start:end]
        entries = self._entries(tokens)
        if not entries and self._bare_thing(head):
            return None  # "all official contact", "military aid": a thing a sector word describes
        person = self.kb.person([e for e in entries if e.kind == "person"], self.day)
        orgs = [e for e in entries if e.kind == "org"]
        head_entries = self.mention(head)
        countries = [e for e in entries if e.kind in ("country", "capital", "ethnic")]
        sector = self._sector(head, tokens)
        org = next((e for e in orgs if e in head_entries), orgs[0] if orgs else None)
        country = ""
        name = ""
        if person is not None:
            country, name = person.country, person.name
            # a role that holds on the day is better evidence than a title word ("Colonel-General")
            if person.holds_on(self.day) or not sector or sector == "GOV":
                sector = person.sector
            if person.org and not org:
                org = self.kb.orgs.get(person.org)
        explicit = self._country(countries, tokens, head)
        if explicit:
            country = explicit
        name_head = self._name_head(head) if person is None else None
        if name_head is not None:
            name = self._person_name(name_head)
        if org is not None:
            country = country or org.country
            if org.sector and (not sector or head.lemma_.lower() in GENERIC_HEADS):
                sector = org.sector  # "Boko Haram gunmen" are Boko Haram's, "the FDLR force" rebels
        if not country and person is None and name_head is None:
            country = self._place_country(head, tokens)
        if not country and not org and person is None and name_head is None and sector:
            country = self._located_in(head)  # people placed somewhere, not "tensions in Bosnia"
        if not sector:
            capital = next((e for e in countries if e.kind == "capital"), None)
            sector = capital.sector if capital else ""
        if name_head is not None:
            known = self.memory.people.get(name.split()[-1].lower())
            if known is not None:
                country = country or known.country
                sector = sector or known.sector
                org = org or (self.kb.orgs.get(known.org) if known.org else None)
            sector = sector or "GOV"
            if not country and not org:
                country = self.clear_focus
        elif person is None and not org and not country and head.pos_ == "PROPN":
            known = self.memory.people.get(head.lower_)
            if known is not None:
                return self._remember(replace(known, text=text, span=(start, end)), person=False)
        if not country and not org and not name and head.pos_ != "PROPN":
            country, org_code = self._antecedent(head, sector)
            org = self.kb.orgs.get(org_code) if org_code else None
            if not country and not org and sector in DOMESTIC_SECTORS:
                # "opposition leaders", "prisoners", "the police": of the country the article is about
                country = self.clear_focus
        if not (country or org or sector or name):
            return None
        if org is not None and not name and person is None:
            name = org.name
        # national bodies (Kosovo Police, Srpska Lista) are known by country and name, not org
        international = org is not None and not org.country
        actor = Actor(
            text=text,
            country=country,
            org=org.org if international else "",
            sector=sector,
            name=name,
            span=(start, end),
        )
        is_person = bool(name) and (person is not None or name_head is not None)
        if org is not None:
            self.memory.kinds[org.code] = org.org_kind
        return self._remember(actor, person=is_person, org_code=org.code if org else "")

    # -- helpers -------------------------------------------------------------

    def _bare_thing(self, head: Token) -> bool:
        """A common noun that names no kind of actor by itself."""
        if head.pos_ != "NOUN" or self.mention(head):
            return False
        lemma = head.lemma_.lower()
        if _kind_noun(lemma):
            return False
        if lemma in PERSON_TITLES or any(
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
        if _kind_noun(lemma):
            return False
        return not self._sector(head, [head])

    def _related(self, head: Token) -> Actor | None:
        """ "its neighbour", "Serbia's rival": one other country, the one named last before
        the phrase that is not the owner's ("protested to Albania, accusing its neighbour")."""
        if head.lemma_.lower() not in RELATION_NOUNS or head.tag_ != "NN":
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
            if _stance_word(tok):
                continue  # "pro-Iranian Hizbollah" is not Iranian, "anti-American protesters" not American
            for e in self.mention(tok):
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
                    if prep.dep_ == "prep" and prep.lower_ in ("of", *LOCATING_PREPS)
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
        for tok in tokens:
            if tok.pos_ != "PROPN" or tok is head or self.mention(tok):
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
        preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in (*LOCATING_PREPS, "from")]
        for fled in head.children:
            if fled.dep_ != "acl" or fled.lemma_.lower() not in FLEEING_VERBS:
                continue
            # "refugees fleeing the civil war in Liberia", "families fleeing Mosul"
            for obj in fled.children:
                if obj.dep_ != "dobj":
                    continue
                if country := self.names_country(obj):
                    return country
                preps += [c for c in obj.children if c.dep_ == "prep" and c.lower_ in LOCATING_PREPS]
            preps += [c for c in fled.children if c.dep_ == "prep" and c.lower_ in (*LOCATING_PREPS, "from")]
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
        inside = {t.i for t in tokens}
        words = [t for t in sorted(tokens, key=lambda t: -t.i) if t.dep_ != "det" and t.pos_ != "PRON"]
        words.sort(key=lambda t: t is not head)  # the head's own words first, then modifiers right to left
        generic = ""
        for tok in words:
            for n in (3, 2, 1):
                first = tok.i - n + 1
                if first < 0 or any(i not in inside for i in range(first, tok.i + 1)):
                    continue
                span = self.doc[first : tok.i + 1]
                lowered = " ".join(t.lower_ for t in span)
                lemmas = " ".join([*(t.lower_ for t in span[:-1]), tok.lemma_.lower()])
                found = self.kb.sector_of(lowered, lemmas, lowered.replace(" - ", "-"))
                if not found:
                    continue
                if tok is head and tok.lemma_.lower() in GENERIC_HEADS and n == 1:
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
        return any(t.lemma_.lower() in PERSON_TITLES for t in head.lefts)

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
            title = prev.lower_.rstrip(".") in PERSON_TITLES or self.kb.sector_of(prev.lower_)
            named = any(e.kind in ("country", "capital", "org") for e in self.mention(prev))
            if not (joined or (prev.pos_ == "PROPN" and not title and not named)):
                break
            first -= 1
        while first < head.i and self.doc[first].text == "-":
            first += 1
        return self.doc[first : head.i + 1].text

    def _antecedent(self, head: Token, sector: str) -> tuple[str, str]:
        """Country and org for a description with neither ("the alliance", "the crowds")."""
        lemma = head.lemma_.lower()
        kind = ORG_KIND_NOUNS.get(lemma)
        if kind:
            for code, _ in sorted(self.memory.orgs.items(), key=lambda kv: -kv[1]):
                if self.memory.kinds.get(code) == kind or (kind == "igo" and self.memory.kinds.get(code)):
                    org = self.kb.orgs.get(code)
                    return (org.country if org else ""), code
        if lemma in COUNTRY_NOUNS and head.tag_ != "NNS":
            actor = self.memory.latest(lambda a: bool(a.country) and not a.org)
            return (actor.country if actor else self.focus), ""
        if sector and not any(c.dep_ == "nummod" for c in head.children):
            # "the five governments" are several: no one earlier actor stands for them
            actor = self.memory.latest(lambda a: a.sector == sector and bool(a.country or a.org))
            if actor is not None:
                return actor.country, actor.org
        return "", ""

    def _pronoun(self, head: Token) -> Actor | None:
        low = head.lower_
        subject = _binder(head)
        if subject is not None:
            # "fundamentalists continued their hunger strike": the clause's own subject
            bound = self.resolve(subject)
            if bound is not None and (bound.country or bound.org):
                return replace(bound, text=head.text, span=(head.idx, head.idx + len(head)))
        if low in PERSON_PRONOUNS:
            actor = self.memory.latest(
                lambda a: bool(a.name) and a.name in {p.name for p in self.memory.people.values()}
            )
        elif low in GROUP_PRONOUNS:
            actor = self.memory.latest(lambda a: bool(a.country or a.org) and not a.name)
        elif low in THING_PRONOUNS | {"its"}:
            actor = self.memory.latest(lambda a: bool(a.country or a.org) and not a.name)
        else:
            return None
        if actor is None:
            return None
        span = (head.idx, head.idx + len(head))
        return replace(actor, text=head.text, span=span)


def _kind_noun(lemma: str) -> bool:
    """Whether a common noun names a kind of actor ("country", "ally", "alliance", "side")."""
    return (
        lemma in COUNTRY_NOUNS | RELATION_NOUNS
        or lemma in ORG_KIND_NOUNS
        or lemma in GENERIC_HEADS | OF_HEADS
    )


#: possessive pronouns that a clause's subject binds ("X continued their strike", "its forces")
POSSESSIVES = {"its", "their", "his", "her"}


def _binder(pronoun: Token) -> Token | None:
    """The subject of the clause a possessive pronoun stands in, when it owns the verb's
    object ("the committee completed its investigation" -> the committee)."""
    if pronoun.dep_ != "poss" or pronoun.lower_ not in POSSESSIVES:
        return None
    owned = pronoun.head
    verb = owned.head
    if owned.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    elif owned.dep_ != "dobj":
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("NOUN", "PROPN") or subject.i > pronoun.i:
        return None
    if (
        pronoun.lower_ in ("his", "her")
        and subject.pos_ != "PROPN"
        and subject.lemma_.lower() not in PERSON_TITLES
    ):
        return None
    return subject
