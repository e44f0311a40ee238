"""The actor knowledge base: countries, ethnic groups, organisations, sectors, people.

Everything is read from TSV files in ``data/`` (and from a user folder given
by the ``knowledge_dir`` setting, whose rows are added to the built-in ones).
A ``Knowledge`` object answers: which entries does this phrase name?
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .tables import read_rows, split_list


@dataclass(frozen=True)
class Entry:
    """What a known term denotes."""

    kind: str  # country | capital | ethnic | org | person
    code: str  # ISO3 for country/capital/ethnic, org code, or person name
    country: str = ""
    org: str = ""
    sector: str = ""
    name: str = ""
    role: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    homelands: tuple[str, ...] = ()
    org_kind: str = ""

    def holds_on(self, day: dt.date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


_UNFOLDED = str.maketrans({"đ": "dj", "Đ": "Dj", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "ß": "ss"})


def ascii_fold(text: str) -> str:
    """``text`` without diacritics ("Đukanović" -> "Djukanovic")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNFOLDED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class Knowledge:
    """Terms -> entries, and sector nouns -> sector codes."""

    def __init__(self, extra_dir: str = "") -> None:
        self.terms: dict[str, list[Entry]] = defaultdict(list)
        self.forms: dict[str, set[str]] = defaultdict(set)  # lower-case key -> spellings
        self.sectors: dict[str, str] = {}
        self.sector_codes: dict[str, str] = {}  # our codes and other schemes' codes -> our code
        self.countries: dict[str, str] = {}  # ISO3 -> name
        self.orgs: dict[str, Entry] = {}
        self.extra_dir = extra_dir  # the user's knowledge folder, "" for none
        self._load(extra_dir)

    def _add(self, term: str, entry: Entry) -> None:
        # "Nauseda" for "Nausėda", "Dacic" for "Dačić": news often drops the diacritics
        for form in {term, ascii_fold(term)}:
            key = form.lower()
            self.forms[key].add(form)
            if entry not in self.terms[key]:
                self.terms[key].append(entry)

    def _load(self, extra: str) -> None:
        for row in read_rows("countries.tsv", extra):
            iso3 = row.get("iso3", "")
            if not iso3:
                continue
            self.countries[iso3] = row.get("name", iso3)
            country = Entry("country", iso3, country=iso3, name=row.get("name", ""))
            for term in [row.get("name", ""), *split_list(row.get("aliases", ""))]:
                if term:
                    self._add(term, country)
            for term in split_list(row.get("adjectives", "")) + split_list(row.get("demonyms", "")):
                self._add(term, country)
            capital = Entry("capital", iso3, country=iso3, sector="GOV", name=row.get("name", ""))
            for term in split_list(row.get("capitals", "")):
                self._add(term, capital)
        for row in read_rows("ethnic_groups.tsv", extra):
            homelands = tuple(split_list(row.get("homelands", "")))
            entry = Entry(
                "ethnic",
                row.get("default_country", ""),
                country=row.get("default_country", ""),
                homelands=homelands,
            )
            for term in split_list(row.get("term", "")):
                # an ethnic group term that is also a country adjective keeps both readings
                self._add(term, entry)
        for row in read_rows("organisations.tsv", extra):
            code = row.get("code", "")
            if not code:
                continue
            top = row.get("parent", "") or code
            entry = Entry(
                "org",
                code,
                country=row.get("country", ""),
                org=top,
                sector=row.get("sector", ""),
                name=row.get("name", code),
                org_kind=row.get("kind", ""),
            )
            self.orgs[code] = entry
            for term in [code, row.get("name", ""), *split_list(row.get("aliases", ""))]:
                if term:
                    self._add(term, entry)
        # a parent's parent: KFOR -> NATO is enough for one level; resolve chains
        for code, entry in list(self.orgs.items()):
            top, seen = entry.org, {code}
            while top in self.orgs and self.orgs[top].org != top and top not in seen:
                seen.add(top)
                top = self.orgs[top].org
            if top != entry.org:
                self.orgs[code] = Entry(**{**entry.__dict__, "org": top})
        for row in read_rows("people.tsv", extra):
            name = row.get("name", "")
            if not name:
                continue
            entry = Entry(
                "person",
                name,
                country=row.get("country", ""),
                org=row.get("org", ""),
                sector=row.get("sector", "") or "GOV",
                name=name,
                role=row.get("role", ""),
                start=_date(row.get("start", "")),
                end=_date(row.get("end", "")),
            )
            for term in [name, *split_list(row.get("aliases", ""))]:
                self._add(term, entry)
        for row in read_rows("sector_codes.tsv", extra):
            code = row.get("code", "")
            for alias in [code, *split_list(row.get("aliases", ""))]:
                if alias:
                    self.sector_codes.setdefault(alias, code)
        for row in read_rows("sectors.tsv", extra):
            term = row.get("term", "").lower()
            if term and row.get("sector"):
                self.sectors.setdefault(term, row["sector"])

    def lookup(self, term: str) -> list[Entry]:
        return self.terms.get(term.lower(), [])

    def sector_of(self, *terms: str) -> str:
        for term in terms:
            code = self.sectors.get(term.lower())
            if code:
                return code
        return ""

    def person(self, entries: list[Entry], day: dt.date | None) -> Entry | None:
        """The person entry among ``entries`` whose role holds on ``day`` (else the latest).

        When ``day`` is after the end of every role, the latest role comes back
        with sector ELI: a former president is no longer the government.
        """
        people = [e for e in entries if e.kind == "person"]
        if not people:
            return None
        current = [e for e in people if e.holds_on(day)]
        pool = current or people
        best = max(pool, key=lambda e: e.start or dt.date.min)
        if not current and day is not None and all(e.end is not None and e.end < day for e in people):
            # out of every office by then: a former official is an elite (CAMEO's ELI)
            return replace(best, sector="ELI", role=f"former {best.role}".strip())
        return best

    @functools.cached_property
    def _deletions(self) -> dict[str, set[str]]:
        """One-letter deletions of each one-word country name -> the names (for misspellings)."""
        out: dict[str, set[str]] = {}
        for term, entries in self.terms.items():
            if (
                len(term) < MISSPELT_MIN - 1
                or not term.isalpha()
                or not any(e.kind == "country" for e in entries)
            ):
                continue
            for variant in {term, *_deleted(term)}:
                out.setdefault(variant, set()).add(term)
        return out

    def misspelt_country(self, word: str) -> list[Entry]:
        """The country entries a one-word name one edit away from a country name stands for
        ("Afganistan", "Quatar"), when exactly one country is that near; else []."""
        low = word.lower()
        if len(low) < MISSPELT_MIN or not low.isalpha() or low in self.terms:
            return []
        near = {t for v in {low, *_deleted(low)} for t in self._deletions.get(v, ()) if _one_edit(low, t)}
        countries = {e.country for t in near for e in self.terms[t] if e.kind == "country"}
        if len(countries) != 1:
            return []
        return [e for t in sorted(near) for e in self.terms[t] if e.kind == "country"][:1]

    def match_terms(self) -> Iterator[str]:
        return iter(self.terms)


#: shortest misspelt name read as a country ("Quatar"); shorter ones are too often other words
MISSPELT_MIN = 6


def _deleted(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one insertion, deletion, substitution or swap of
    neighbours, with the same first letter."""
    if a == b or a[:1] != b[:1] or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = sorted((a, b), key=len)
    # a letter added at the end is an ending, not a slip ("Persian", "Americas")
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_) - 1))
