"""Import CAMEO/Phoenix (TABARI, PETRARCH) actor and agent dictionaries as knowledge files.

Actor dictionaries (``Phoenix.Countries.actors.txt``, ``PETR.Validate.actors.txt``)
list an entry per line, ``NAME_ [CODE]``, with synonyms on ``+NAME`` lines and
codes, possibly dated, on indented lines: ``[IGOUNO >20070101]``,
``[KORGOVBUS 2004017-20061201]``. Codes are a three-letter country (or IGO)
followed by three-letter sector and organisation codes.

* An entry with dated codes is a person: one ``people.tsv`` row per dated role.
* An undated entry is a named body: an ``organisations.tsv`` row with its
  country and sector (``IGOUNO`` -> international organisation ``UNO``).
* An agent dictionary (``Phoenix.agents.txt``: ``FARMER [~AGR]``, with
  ``!PERSON! = MAN, MEN`` macros) gives ``sectors.tsv`` rows.

Rows are appended to the files in a user knowledge folder (the
``knowledge_dir`` setting), which the knowledge base adds to its built-in data.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
CODE = re.compile(r"\[([^\]]+)\]")
#: Phoenix codes that differ from ISO 3166 alpha-3
COUNTRY_FIX = {"KSV": "XKX", "KOS": "XKX", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS", "BUR": "MMR"}
HEADERS = {
    "people.tsv": "name\taliases\tcountry\torg\tsector\trole\tstart\tend",
    "organisations.tsv": "code\tname\taliases\tparent\tkind\tsector\tcountry",
    "sectors.tsv": "term\tsector\tnote",
}


@dataclass
class Entry:
    name: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


#: Phoenix IGO codes that differ from ours (organisations.tsv)
ORG_FIX = {"UNO": "UN", "NAT": "NATO", "EUR": "EU"}
SMALL_WORDS = {"of", "the", "and", "for", "to", "in", "on", "de", "al", "el", "la", "le", "du", "des"}


def _word(word: str) -> str:
    """Phoenix writes names in capitals: keep short acronyms ("UN", "EU"), title-case the rest."""
    if word.lower() in SMALL_WORDS:
        return word.lower()
    if len(word.strip(".")) <= 3 and word.isupper():
        return word
    return word.title()


def _phrase(raw: str) -> str:
    raw = raw.split("#", 1)[0].strip().lstrip("+")
    words = raw.replace("_", " ").split()
    if not words:
        return ""
    phrase = " ".join(_word(w) for w in words)
    return phrase[0].upper() + phrase[1:]


#: two-digit years below this are 20xx, the others 19xx. The Phoenix dictionaries' six-digit
#: dates run from 1931 to 2014 with none between (Python's %y pivot, 69, made Zahir Shah's
#: 1932-1933 role 2032-2033 and 2,055 of the 26,110 roles of Phoenix.Countries end before they start)
CENTURY_PIVOT = 30


def _date(raw: str) -> str:
    """``yyyymmdd`` or ``yymmdd`` as an ISO date ("" when it is neither)."""
    raw = raw.strip()
    if not raw.isdigit() or len(raw) not in (6, 8):
        return ""
    if len(raw) == 6:
        year = int(raw[:2])
        raw = f"{2000 + year if year < CENTURY_PIVOT else 1900 + year}{raw[2:]}"
    try:
        return dt.datetime.strptime(raw, "%Y%m%d").date().isoformat()
    except ValueError:
        return ""


def parse_actors(text: str) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    for line in text.splitlines():
        body = line.split("#", 1)[0]
        if not body.strip() or body.lstrip().startswith("<!--"):
            continue
        codes = CODE.findall(body)
        head = CODE.sub("", body)
        if body[:1] in " \t" and not head.strip():
            if current is not None:
                current.codes += codes
            continue
        if head.strip().startswith("+"):
            if current is not None and _phrase(head):
                current.synonyms.append(_phrase(head))
            if current is not None:
                current.codes += codes
            continue
        current = Entry(_phrase(head), codes=codes)
        if current.name:
            entries.append(current)
    return entries


def _split_code(code: str) -> tuple[str, str, str, str, str]:
    """(country, org, sector, start, end) of one code like ``IGOUNO >20070101``."""
    parts = code.split()
    main = parts[0].lstrip("~")
    start = end = ""
    for p in parts[1:]:
        if p.startswith(">"):
            start = _date(p[1:])
        elif p.startswith("<"):
            end = _date(p[1:])
        elif "-" in p:
            a, _, b = p.partition("-")
            start, end = _date(a), _date(b)
            if start and end and start > end and len(a) == 6:  # a two-digit year a century early
                start = f"{int(start[:4]) - 100}{start[4:]}"
    country, rest = main[:3], main[3:]
    if country == "IGO":
        return "", ORG_FIX.get(rest[:3], rest[:3]), "IGO", start, end
    return COUNTRY_FIX.get(country, country), "", rest[:3], start, end


def actor_rows(entries: list[Entry]) -> tuple[list[str], list[str]]:
    """(people.tsv rows, organisations.tsv rows)."""
    people, orgs = [], []
    for e in entries:
        aliases = "|".join(dict.fromkeys(s for s in e.synonyms if s and s != e.name))
        dated = [c for c in e.codes if len(c.split()) > 1]
        if dated:
            for code in dated:
                country, org, sector, start, end = _split_code(code)
                if start and end and start > end:
                    log.warning("%s: the role [%s] ends before it starts, as the file has it", e.name, code)
                people.append("\t".join([e.name, aliases, country, org, sector or "GOV", "", start, end]))
        elif e.codes:
            country, org, sector, _, _ = _split_code(e.codes[0])
            code = "PHX:" + re.sub(r"\W+", "_", e.name.upper())[:40]
            orgs.append("\t".join([code, e.name, aliases, org, "phoenix", sector, country]))
    return people, orgs


def agent_rows(text: str) -> list[str]:
    macros: dict[str, list[str]] = {}
    rows = []
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        macro = re.match(r"^(![A-Z]+!)\s*=\s*(.+)$", body)
        if macro:
            macros[macro.group(1)] = [w.strip() for w in macro.group(2).split(",") if w.strip()]
            continue
        codes = CODE.findall(body)
        if not codes:
            continue
        term = CODE.sub("", body).strip()
        sector = codes[0].lstrip("~")[:3]
        forms = [term]
        for name, words in macros.items():
            if name in term:
                forms = [term.replace(name, "_" + w) for w in words]
        for form in forms:
            phrase = " ".join(form.replace("_", " ").split()).lower()
            if phrase and sector.isalpha():
                rows.append(f"{phrase}\t{sector}\tphoenix")
    return rows


def import_file(path: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Append the dictionary's rows to the knowledge files in ``out_dir``; returns rows per file."""
    text = Path(path).read_text("utf-8", errors="replace")
    is_agents = bool(re.search(r"^\S[^\n\[]*\[~[A-Z]{3}\]", text, re.M))
    if is_agents:
        written = {"sectors.tsv": agent_rows(text)}
    else:
        people, orgs = actor_rows(parse_actors(text))
        written = {"people.tsv": people, "organisations.tsv": orgs}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in written.items():
        target = out / name
        new = not target.exists()
        with target.open("a", encoding="utf-8") as fh:
            if new:
                fh.write(f"# imported from {Path(path).name} by `powderkeg actors import`\n{HEADERS[name]}\n")
            fh.writelines(row + "\n" for row in rows)
    return {k: len(v) for k, v in written.items()}
