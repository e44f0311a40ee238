"""Verb and noun patterns (knowledge/data/patterns.toml) as a lookup by lemma."""

from __future__ import annotations

import functools
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..knowledge.ontology import EVENT_TYPES

_ENTRY = re.compile(r"^(?P<words>[^\[\]]+?)\s*(?:\[(?P<objects>[^\]]*)\])?$")

DEFAULT_TARGET_PREPS = ("against", "on", "at", "upon", "toward", "towards")


@dataclass(frozen=True)
class Pattern:
    type: str
    mode: str
    lemma: str  # head lemma: the verb, or the last word of a noun phrase
    words: tuple[str, ...]  # all words of the trigger ("call", "for") or ("air", "strike")
    objects: tuple[str, ...]  # required object lemmas, if any
    pos: str  # VERB | NOUN
    target_preps: tuple[str, ...]
    reciprocal: bool
    origin: str
    #: the event stands without anyone on the receiving end ("surrendered", "lifted the curfew")
    needs_target: bool | None = None  # None: the coder's default for the type
    #: the event stands without any actor ("weapons were seized", "floods hit")
    needs_actor: bool = True
    #: a noun trigger is an event of itself, with nothing else in the sentence
    #: ("a flood", "a gas leak", "a rape")
    stands_alone: bool = False
    #: the CAMEO code an imported pattern carries (knowledge/cameo_import.py), finer than
    #: its type's; it holds while the coder keeps the type and mode it was given
    cameo: str = ""
    cameo_type: tuple[str, str] = ("", "")
    #: generated from another project's dictionary: the hand-written patterns go first
    generated: bool = False

    @property
    def cameo_code(self) -> str:
        """The pattern's own CAMEO code, unless the coder has since changed what it codes."""
        return self.cameo if (self.type, self.mode) == self.cameo_type else ""

    @property
    def specificity(self) -> int:
        return len(self.words) + (2 if self.objects else 0)

    @property
    def name(self) -> str:
        spec = " ".join(self.words) + (f" [{'|'.join(self.objects)}]" if self.objects else "")
        return f"{self.origin}:{self.type}{'/' + self.mode if self.mode else ''}:{self.pos.lower()}:{spec}"


def lemma_candidates(tok) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """The tagger's lemma, then guesses from the inflected form ("staged" -> "stage"
    when the lemmatizer says "stag"), so a lemmatizer slip does not hide a trigger."""
    low = tok.lower_
    out = [tok.lemma_.lower()]
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""),
                         ("es", ""), ("s", "")):  # fmt: skip
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)] + repl
            if len(stem) > 3 and stem[-1] == stem[-2] and repl == "":
                out.append(stem[:-1])  # "stopped" -> "stop"
            out.append(stem)
    return tuple(dict.fromkeys(out))


class Patterns:
    def __init__(
        self,
        patterns: list[Pattern],
        instruments: dict[str, list[str]] | None = None,
        demands: dict[str, list[str]] | None = None,
        weapons: list[str] | None = None,
        riot_cues: list[str] | None = None,
        private_needs: list[str] | None = None,
        measures: list[str] | None = None,
        crowd_force: list[str] | None = None,
        military_assets: list[str] | None = None,
    ) -> None:
        self.verbs: dict[str, list[Pattern]] = defaultdict(list)
        self.nouns: dict[str, list[Pattern]] = defaultdict(list)
        #: ASSAULT mode -> weapon words (as lemma sequences) that give a plain attack that mode
        self.instruments: dict[str, list[tuple[str, ...]]] = {
            mode: [tuple(w.lower().split()) for w in words] for mode, words in (instruments or {}).items()
        }
        #: "X said Y must do Z" is X asking Y: the modals, and the verbs of saying that carry them
        demands = demands or {}
        self.demand_modals = frozenset(w.lower() for w in demands.get("modals", ()))
        self.demand_speech = frozenset(w.lower() for w in demands.get("speech", ()))
        #: words that make a blast an attack rather than an accident ("a bomb exploded")
        self.weapons = [tuple(w.lower().split()) for w in weapons or ()]
        #: words that make a demonstration violent when they describe it ("a violent protest")
        self.riot_cues = frozenset(w.lower() for w in riot_cues or ())
        #: what a person seeks for themselves ("sought medical treatment"): no request of anyone
        self.private_needs = [tuple(w.lower().split()) for w in private_needs or ()]
        #: non-violent measures: an attack verb they do is the measure ("sanctions targeting X")
        self.measures = [tuple(w.lower().split()) for w in measures or ()]
        #: force used on a crowd: a dispersal or raid with it is repression
        self.crowd_force = [tuple(w.lower().split()) for w in crowd_force or ()]
        #: troops and military hardware: their arrival somewhere is a deployment, not a visit
        self.military_assets = [tuple(w.lower().split()) for w in military_assets or ()]
        self.demand = Pattern(
            "REQUEST", "demand", "", (), (), "VERB", (), False, "builtin:modal", needs_target=True
        )
        #: verb patterns generated from another project's dictionary, by lemma: the coder
        #: tries them only where the hand-written ones find nothing
        self.generated_verbs: dict[str, list[Pattern]] = defaultdict(list)
        for p in patterns:
            if p.generated and p.pos == "VERB":
                self.generated_verbs[p.lemma].append(p)
            else:
                (self.verbs if p.pos == "VERB" else self.nouns)[p.lemma].append(p)
        for table in (self.verbs, self.nouns):
            for options in table.values():
                options.sort(key=lambda p: -p.specificity)
        for options in self.generated_verbs.values():
            # of two imported objects, the longer first ("diplomatic tie" before "tie")
            options.sort(key=lambda p: (-p.specificity, -max((len(o.split()) for o in p.objects), default=0)))

    def __len__(self) -> int:
        tables = (self.verbs, self.nouns, self.generated_verbs)
        return sum(len(options) for table in tables for options in table.values())


def _instruments(text: str, table: str = "instruments") -> dict[str, list[str]]:
    return {key: list(words) for key, words in tomllib.loads(text).get(table, {}).items()}


def _parse(text: str, origin: str) -> list[Pattern]:
    data = tomllib.loads(text)
    out = []
    for i, group in enumerate(data.get("pattern", [])):
        type_ = group.get("type", "")
        if type_ not in EVENT_TYPES:
            raise ConfigError(
                f"{origin}: pattern {i} has unknown type {type_!r}",
                remedy=f"use one of {', '.join(EVENT_TYPES)}",
            )
        preps = tuple(group.get("target_preps", DEFAULT_TARGET_PREPS))
        mode = group.get("mode", "")
        cameo = str(group.get("cameo", ""))
        group_origin = str(group.get("origin", origin))
        generated = bool(group.get("generated", False))
        for pos, key in (("VERB", "verbs"), ("NOUN", "nouns")):
            for raw in group.get(key, []):
                match = _ENTRY.match(raw.strip().lower())
                if not match:
                    raise ConfigError(f"{origin}: cannot read pattern entry {raw!r}")
                words = tuple(match["words"].split())
                if pos == "NOUN":
                    # the tokenizer splits "sit-in" into "sit", "-", "in": match it so
                    words = tuple(w for word in words for w in re.split(r"(-)", word) if w)
                objects = tuple(
                    re.sub(r"\s*-\s*", " - ", o.strip())
                    for o in (match["objects"] or "").split("|")
                    if o.strip()
                )
                # verbs: the head is the first word ("call for"); nouns: the last ("air strike")
                lemma = words[0] if pos == "VERB" else words[-1]
                out.append(
                    Pattern(
                        type_,
                        mode,
                        lemma,
                        words,
                        objects,
                        pos,
                        preps,
                        bool(group.get("reciprocal", False)),
                        group_origin,
                        group.get("needs_target"),
                        bool(group.get("needs_actor", True)),
                        bool(group.get("stands_alone", False)),
                        cameo,
                        (type_, mode),
                        generated,
                    )
                )
    return out


#: pattern files shipped in knowledge/data: the hand-written ones, and those generated
#: from the CAMEO verb dictionary (knowledge/cameo_import.py)
PACKAGED = ("patterns.toml", "cameo_verbs.toml")


@functools.cache
def load_patterns(extra_files: tuple[str, ...] = (), packaged: tuple[str, ...] = PACKAGED) -> Patterns:
    """The patterns of the ``packaged`` files and ``extra_files``; the word lists
    ([instruments], [weapons], ...) of patterns.toml are always loaded."""
    data = resources.files("powderkeg.knowledge").joinpath("data")
    builtin = data.joinpath("patterns.toml").read_text("utf-8")
    patterns: list[Pattern] = []
    for name in packaged:
        if not data.joinpath(name).is_file():
            raise ConfigError(
                f"no packaged pattern file {name!r}", remedy=f"choose from {', '.join(PACKAGED)}"
            )
        text = builtin if name == "patterns.toml" else data.joinpath(name).read_text("utf-8")
        patterns += _parse(text, "builtin" if name == "patterns.toml" else Path(name).stem)
    instruments = _instruments(builtin)
    demands = _instruments(builtin, "modal_demands")
    weapons = _instruments(builtin, "weapons").get("words", [])
    riot_cues = _instruments(builtin, "riot_cues").get("words", [])
    private_needs = _instruments(builtin, "private_needs").get("words", [])
    measures = _instruments(builtin, "measures").get("words", [])
    crowd_force = _instruments(builtin, "crowd_force").get("words", [])
    military_assets = _instruments(builtin, "military_assets").get("words", [])
    for path in extra_files:
        p = Path(path)
        if not p.exists():
            raise ConfigError(f"pattern file {p} not found", remedy="check the `patterns` setting")
        text = p.read_text("utf-8")
        patterns += _parse(text, p.stem)
        for table, found in (
            (instruments, _instruments(text)),
            (demands, _instruments(text, "modal_demands")),
        ):
            for key, words in found.items():
                table.setdefault(key, []).extend(words)
        weapons += _instruments(text, "weapons").get("words", [])
        riot_cues += _instruments(text, "riot_cues").get("words", [])
        private_needs += _instruments(text, "private_needs").get("words", [])
        measures += _instruments(text, "measures").get("words", [])
        crowd_force += _instruments(text, "crowd_force").get("words", [])
        military_assets += _instruments(text, "military_assets").get("words", [])
    return Patterns(
        patterns,
        instruments,
        demands,
        weapons,
        riot_cues,
        private_needs,
        measures,
        crowd_force,
        military_assets,
    )
