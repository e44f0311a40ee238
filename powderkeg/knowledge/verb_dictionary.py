"""Read a PETRARCH (or TABARI-style) CAMEO verb dictionary into plain records.

The format is PETRARCH's (``PETRreader.read_verb_dictionary`` documents it;
the dictionaries are in openeventdata/petrarch2, MIT):

* comments: ``#`` to the end of a line, ``<!-- ... -->`` (also over lines);
* a synset: a line ``&NAME`` followed by ``+word`` or ``+multi_word`` lines
  (a trailing ``_`` stops PETRARCH adding a plural); a member may name another
  synset (``+&TIETYPES``);
* a verb block: a header ``--- NAME [code] ---``, then one verb per line,
  ``VERB {irregular forms} [own code]``; a multi-word verb marks its verb
  word with ``+`` (``+CALL_OFF``, ``RE_+ARREST``). A verb without its own code
  takes the block's; ``---`` is the null code (the verb alone is no event);
* patterns of the block, one per line: ``- [words before] * [words after]
  [code]  # VERB where it was found``. ``*`` is the verb; ``( ... )`` a
  prepositional phrase, ``{ ... }`` a noun phrase (its last word the head),
  ``&NAME`` a synset, ``$``/``+`` the source/target, ``^`` skips a phrase,
  ``%`` a compound actor; ``_`` joins words that must be consecutive.
  Codes are ``[code]``, ``[source code:target code]`` (an event each way),
  or ``[---]``;
* ``~`` lines (transformations) and anything after them are not patterns.

This module only reads; ``cameo_import`` decides what the records mean for
powderkeg's patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

#: how deep one synset may name another before the reader stops (a cycle)
MAX_SYNSET_DEPTH = 4
_CODE = re.compile(r"\[([^\]]*)\]")
_TOKEN = re.compile(r"[(){}]|[^\s(){}]+")


@dataclass(frozen=True)
class Element:
    """One word or marker of a pattern.

    ``kind``: ``word`` (its text lower-case, ``_``-joined words split),
    ``synset`` (text is the name, ``&`` included), ``source`` (``$``),
    ``target`` (``+``), ``skip`` (``^``) or ``compound`` (``%``). ``group``
    numbers the ``( ... )`` phrase the element sits in (0: none) and
    ``noun_phrase`` whether it sits in ``{ ... }``.
    """

    kind: str
    text: str
    group: int = 0
    noun_phrase: bool = False


@dataclass(frozen=True)
class VerbPattern:
    before: tuple[Element, ...]  # what comes before the verb (its subject side)
    after: tuple[Element, ...]  # what comes after it
    code: str  # as written inside [...]: "0874", "042:043", ":173", "---"
    line: int
    found_with: str = ""  # the verb named in the comment, where the pattern was found


@dataclass(frozen=True)
class Verb:
    words: tuple[str, ...]  # lower-case, in order ("call", "off")
    head: int  # index of the verb word in ``words``
    code: str  # its own code, or the block's
    line: int
    own_code: bool = False  # the code is written on the verb's own line
    irregular: tuple[str, ...] = ()  # the forms written in {...}, as names ("CALLED_OFF")

    @property
    def name(self) -> str:
        """As the dictionary's comments name a verb: "CALL_OFF"."""
        return "_".join(self.words).upper()

    @property
    def names(self) -> frozenset[str]:
        """Every form a comment may name the verb by: its name, its irregular forms and
        the regular ones PETRARCH makes (-s, -ed, -ing) of its verb word."""
        head = self.words[self.head]
        regular = {
            head + ("es" if head.endswith(("s", "x", "z")) else "s"),
            head + ("d" if head.endswith("e") else "ed"),
            (head[:-1] if head.endswith("e") else head) + "ing",
        }
        if head.endswith("y"):
            regular.add(head[:-1] + "ies")
            regular.add(head[:-1] + "ied")
        forms = {"_".join((*self.words[: self.head], f, *self.words[self.head + 1 :])) for f in regular}
        return frozenset({self.name, *self.irregular, *(f.upper() for f in forms)})


@dataclass
class VerbBlock:
    name: str
    code: str
    line: int
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[VerbPattern] = field(default_factory=list)


@dataclass
class VerbDictionary:
    synsets: dict[str, list[str]] = field(default_factory=dict)  # "&NAME" -> raw members
    blocks: list[VerbBlock] = field(default_factory=list)
    #: lines the reader did not understand: (line number, text)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    def expand(self, name: str, depth: int = 0) -> list[tuple[str, ...]]:
        """The phrases a synset stands for, as lower-case word tuples.

        An unknown synset stands for nothing (PETRARCH skips patterns that use
        one). PETRARCH adds regular plurals of the members; powderkeg matches
        lemmas, so the singular is enough.
        """
        members = self.synsets.get(
            name, self.synsets.get(name.rstrip("_") if name.endswith("_") else name + "_")
        )
        if members is None or depth > MAX_SYNSET_DEPTH:
            return []
        out: list[tuple[str, ...]] = []
        for raw in members:
            if raw.startswith("&"):
                out.extend(self.expand(raw.split()[0].upper(), depth + 1))
                continue
            words = tuple(w for w in re.split(r"[\s_]+", raw.lower()) if w)
            if words:
                out.append(words)
        return list(dict.fromkeys(out))


def _strip_comments(text: str) -> list[tuple[int, str, str, bool]]:
    """(line number, content, comment, blank) for every line, with ``<!-- -->`` removed;
    ``blank``: the line was empty as written (a line holding only a comment is not)."""
    out = []
    in_xml = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_xml:
            if "-->" not in line:
                out.append((number, "", "", False))
                continue
            line = line.split("-->", 1)[1]
            in_xml = False
        while "<!--" in line:
            head, _, rest = line.partition("<!--")
            if "-->" in rest:
                line = head + rest.split("-->", 1)[1]
            else:
                line, in_xml = head, True
        content, _, comment = line.partition("#")
        out.append((number, content.rstrip(), comment.strip(), not raw.strip()))
    return out


def _verb(content: str, block_code: str, number: int) -> Verb | None:
    codes = _CODE.findall(content)
    body = _CODE.sub(" ", content)
    irregular = tuple(
        form.replace("+", "").upper()
        for braces in re.findall(r"\{([^}]*)\}", body)
        for form in braces.split()
    )
    words_written = re.sub(r"\{[^}]*\}", " ", body).split()  # irregular forms: the lemma will do
    if not words_written:
        return None
    raw = words_written[0]
    parts = [p for p in raw.split("_") if p]
    head = next((i for i, p in enumerate(parts) if p.startswith("+")), 0)
    words = tuple(p.lstrip("+").lower() for p in parts)
    if not all(words):
        return None
    return Verb(words, head, codes[0].strip() if codes else block_code, number, bool(codes), irregular)


def parse_pattern(body: str, number: int, found_with: str = "") -> VerbPattern | None:
    """One ``- ... * ... [code]`` line (the leading ``-`` already removed)."""
    codes = _CODE.findall(body)
    if not codes:
        return None
    body = _CODE.sub(" ", body)
    # TABARI joins the verb to its neighbours: "IN_*", "*_OUT"
    body = re.sub(r"_?\*_?", " * ", body)
    tokens = _TOKEN.findall(body)
    if tokens.count("*") != 1:
        return None
    sides: list[list[Element]] = [[], []]
    side = 0
    group = 0
    groups = 0
    noun_phrase = False
    for token in tokens:
        if token == "*":
            side = 1
        elif token == "(":
            groups += 1
            group = groups
        elif token == ")":
            group = 0
        elif token == "{":
            noun_phrase = True
        elif token == "}":
            noun_phrase = False
        else:
            # "_" joins words ("NEW_&TIETYPES_RELATIONS"); a trailing one is part of a name
            for part in (p for p in re.split(r"_(?=.)", token) if p.strip("_")):
                sides[side].append(_element(part, group, noun_phrase))
    return VerbPattern(tuple(sides[0]), tuple(sides[1]), codes[0].strip(), number, found_with)


def _element(part: str, group: int, noun_phrase: bool) -> Element:
    marker = {"$": "source", "+": "target", "^": "skip", "%": "compound"}
    if part in marker:
        return Element(marker[part], part, group, noun_phrase)
    if part.startswith("&"):
        return Element("synset", part.upper(), group, noun_phrase)
    return Element("word", part.lower().rstrip("_"), group, noun_phrase)


def parse(text: str) -> VerbDictionary:
    out = VerbDictionary()
    synset: str | None = None
    block: VerbBlock | None = None
    for number, content, comment, blank in _strip_comments(text):
        line = content.strip()
        if not line:
            if blank:
                synset = None  # a blank line ends a synset's members
            continue
        if line.startswith("~"):
            break  # transformations: the verb patterns are over
        if line.startswith("---"):
            codes = _CODE.findall(line)
            name = _CODE.sub(" ", line).replace("-", " ").split()
            block = VerbBlock(name[0] if name else "", codes[0].strip() if codes else "---", number)
            out.blocks.append(block)
            synset = None
        elif line.startswith("&"):
            synset = line.split()[0].upper()
            out.synsets.setdefault(synset, [])
        elif line.startswith("+") and synset is not None:
            out.synsets[synset].append(line[1:].strip())
        elif line.startswith("-"):
            found = comment.split()[0].upper().lstrip("+") if comment.split() else ""
            found = found.replace("_+", "_") if re.fullmatch(r"[A-Z][A-Z_+-]*", found) else ""
            pattern = parse_pattern(line[1:], number, found)
            if pattern is None or block is None:
                out.skipped.append((number, line))
            else:
                block.patterns.append(pattern)
        elif block is not None:
            verb = _verb(line, block.code, number)
            if verb is None:
                out.skipped.append((number, line))
            else:
                block.verbs.append(verb)
        else:
            out.skipped.append((number, line))
    return out


def expansions(elements: tuple[Element, ...], dictionary: VerbDictionary) -> list[tuple[Element, ...]]:
    """Every way to write ``elements`` with each synset replaced by one of its phrases."""
    options: list[list[tuple[Element, ...]]] = []
    for el in elements:
        if el.kind == "synset":
            phrases = dictionary.expand(el.text)
            if not phrases:
                return []
            options.append(
                [tuple(Element("word", w, el.group, el.noun_phrase) for w in phrase) for phrase in phrases]
            )
        else:
            options.append([(el,)])
    return [tuple(e for part in combo for e in part) for combo in product(*options)]
