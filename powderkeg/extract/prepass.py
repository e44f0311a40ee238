"""The cheap pass: which sentences of a tokenized article can hold an event.

Before the tagger, parser and NER run, each article is split into sentences by
its tokens alone (``segments``: a line break, or a full stop, question or
exclamation mark before the next word) and each sentence asked whether it can
hold an event (``Gate.keep``), by the lexicon alone:

- a **trigger**: a word one of whose possible lemmas (the form itself, the
  spaCy lemmatizer's exceptions and suffix rules for every part of speech, and
  ``lemmas.lemma_candidates``' guesses) heads a pattern (``patterns.toml``, and
  the patterns generated from the CAMEO verb dictionary), with the pattern's
  other words and, if it names objects, one of them somewhere in the sentence:
  what ``triggers.TriggerFinder`` needs, looser (anywhere, any lemma);
- a **demand**: a verb of saying and a modal ("said Serbia must ...");
- the **learned layer's own cheap score**: the event-type model (``learned/``)
  read on the words alone (``Gate.learned_score``: its bias and the weights of
  each word's possible lemmas, at their most favourable to an event type, less
  those of no event) reaches ``LEARNED_FLOOR``, so that the sentences it would
  type where the rules find no trigger are still parsed for it.

Sentences before a kept one in its paragraph are kept too when that one has a
pronoun (``Gate.with_context``): the actor memory reads pronouns from the
paragraph's parsed subjects and names. Actor names and numbers alone never make
an event in this coder, so they keep no sentence by themselves.

A sentence with none of these cannot give the rule coder a trigger whatever
its parse. Those sentences are not parsed (``pipe_kept``); they stay in the Doc
with their tokens, for offsets and sentence order, and code nothing.
"""

from __future__ import annotations

import functools
import warnings
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc, Token

from ..geocode.doctext import doc_text, keep_text
from ..knowledge.rules import Rules, load_rules
from ..learned.labels import NONE
from .components import summary_heading
from .lemmas import guesses

if TYPE_CHECKING:
    from spacy.language import Language

    from ..learned.model import EventTypeModel

#: the least cheap score (logits of an event type over no event) that keeps a sentence for the
#: event-type model; on the look halves of plover, fiveway, case2021 and india_police every
#: sentence without a trigger that the model fills scores above it (grid -1.5 .. 0.5)
LEARNED_FLOOR = 0.5
#: what ends a sentence when the next word starts
_FINAL = frozenset({".", "!", "?", "...", "\u2026"})
_CLOSE = frozenset({'"', "'", "\u201d", "\u2019", ")", "]"})


def segments(doc: Doc, words: tuple[list[str], list[bool]] | None = None) -> list[tuple[int, int]]:
    """The token ranges of ``doc``'s sentences as its tokens alone tell them: a new one
    after a line break (as ``pk_layout`` reads one) and after a sentence's final mark
    (with its closing quotes) before a word, unless the mark ends an abbreviation the
    tokenizer left apart ("k.p.s." in lower-cased text). ``words``: the tokens' texts and
    spaces (``_words``), if already read."""
    texts, spaces = words if words is not None else _words(doc)
    blank = [t.isspace() for t in texts]  # Token.is_space
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(texts)):
        if blank[i]:
            continue
        newline = blank[i - 1] and "\n" in texts[i - 1]  # a token's own whitespace is one space at most
        if not newline:
            j = i - 1
            while j > start and (texts[j] in _CLOSE or blank[j]):
                j -= 1
            newline = (
                texts[j] in _FINAL
                and spaces[i - 1]
                and not (texts[j] == "." and j > 0 and _abbreviation(texts[j - 1]))
            )
        if newline and i > start:
            out.append((start, i))
            start = i
    if texts:
        out.append((start, len(texts)))
    return out


def _abbreviation(word: str) -> bool:
    """A word a full stop after it may only abbreviate ("k.p.s", "u.s", a lone initial)."""
    return "." in word or (len(word) == 1 and word.isalpha())


class Gate:
    """Whether a run of tokens can hold an event (see the module docstring)."""

    def __init__(self, rules: Rules, lemma_tables: Any = None, learned_floor: float = LEARNED_FLOOR) -> None:
        self.learned_floor = learned_floor
        self._exc: dict[str, set[str]] = {}
        self._rules: list[tuple[str, str]] = []
        if lemma_tables is not None:
            for table in lemma_tables.get_table("lemma_exc").values():
                for form, lemmas in table.items():
                    self._exc.setdefault(form, set()).update(lemmas)
            rules_table = lemma_tables.get_table("lemma_rules")
            self._rules = sorted({(old, new) for rs in rules_table.values() for old, new in rs if old})
        patterns = rules.patterns
        # head lemma -> the other words and objects each of its patterns needs
        self.heads: dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]] = {}
        for p in patterns:
            others = p.words[1:] if p.pos == "VERB" else p.words[:-1]
            needs = (tuple(others), p.object_words)
            self.heads.setdefault(p.lemma, []).append(needs)
        #: a "Key Takeaways"-style heading (``pk_layout``'s, read again on the joined Doc)
        self.summary = summary_heading(rules.lexicon.summary_headings)
        lex = rules.lexicon
        self.pronouns = frozenset(
            lex.person_pronouns | lex.group_pronouns | lex.thing_pronouns | lex.possessives
        )
        self.speech = frozenset(rules.lexicon.demand_speech_verbs)
        self.modals = frozenset(rules.lexicon.demand_modals)
        self._learned: dict[int, tuple[np.ndarray, Any]] = {}

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 - one gate per pipeline, kept for its life
    def forms(self, low: str) -> frozenset[str]:
        """Every lemma a word written ``low`` could have."""
        out = {low, *self._exc.get(low, ())}
        for old, new in self._rules:
            if low.endswith(old) and len(low) > len(old):
                out.add(low[: -len(old)] + new)
        out.update(guesses(low))
        return frozenset(out)

    @functools.lru_cache(maxsize=200_000)  # noqa: B019 - as ``forms``
    def heads_of(self, low: str) -> tuple[str, ...]:
        """The lemmas among ``forms(low)`` that head a pattern, in the order the set of them
        iterates (read once per word, not once per sentence it is in)."""
        return tuple(self.forms(low) & self.heads.keys())

    def keep(self, tokens: Iterable[Token], model: EventTypeModel | None = None) -> bool:
        """Whether these tokens (one sentence) can hold an event."""
        return bool(self.reasons(tokens, model, first=True))

    def reasons(
        self, tokens: Iterable[Token], model: EventTypeModel | None = None, first: bool = False
    ) -> list[str]:
        """Why the sentence is kept: ``trigger:LEMMA``, ``demand:LEMMA``, ``learned`` (with
        ``first``, only the first found); [] when it is skipped."""
        toks = list(tokens)
        return self.word_reasons([t.text for t in toks], [bool(t.whitespace_) for t in toks], model, first)

    def word_reasons(
        self, texts: Sequence[str], spaces: Sequence[bool], model: EventTypeModel | None, first: bool = False
    ) -> list[str]:
        """``reasons`` of the sentence whose tokens are ``texts``, each followed by a space or
        not (``spaces``): what pipe_kept reads from arrays, making no Token."""
        kept = [i for i, t in enumerate(texts) if not t.isspace()]
        words, after = [texts[i] for i in kept], [spaces[i] for i in kept]
        lows = [w.lower() for w in words]  # Token.lower_
        forms: set[str] = set(lows)
        read = list(lows)
        for i in range(2, len(words)):  # a compound the tokenizer split ("lathi-charged")
            if words[i - 1] == "-" and not after[i - 2] and not after[i - 1]:
                read.append(f"{lows[i - 2]}-{lows[i]}")
        per_word = [self.forms(low) for low in read]
        for f in per_word:
            forms |= f
        out: list[str] = []
        for low in read:
            for lemma in self.heads_of(low):
                if any(_present(others, objects, forms) for others, objects in self.heads[lemma]):
                    out.append(f"trigger:{lemma}")
                    if first:
                        return out
        if self.modals.intersection(lows):
            said = forms & self.speech
            if said:
                out.append(f"demand:{min(said)}")
                if first:
                    return out
        if model is not None and self.learned_score(per_word, model) >= self.learned_floor:
            out.append("learned")
        return out

    def kept(
        self, doc: Doc, segs: Sequence[tuple[int, int]], model: EventTypeModel | None, words: Any = None
    ) -> list[bool]:
        """Whether each sentence ``segs`` of ``doc`` is parsed: ``keep``, ``with_context``, read
        from the tokens' texts and spaces (``words``, ``_words(doc)`` if not given)."""
        texts, spaces = words if words is not None else _words(doc)
        keep = [bool(self.word_reasons(texts[a:b], spaces[a:b], model, first=True)) for a, b in segs]
        return self.with_context(doc, segs, keep, texts)

    def with_context(
        self, doc: Doc, segs: Sequence[tuple[int, int]], keep: list[bool], texts: Sequence[str] | None = None
    ) -> list[bool]:
        """``keep``, with the sentences between a kept one that has a pronoun and the kept
        one before it in its paragraph (no line break between them) kept too: the actor
        memory reads what a pronoun stands for from the paragraph's parsed subjects and
        names, the latest first (``actor_memory.Memory``). ``texts``: the tokens' texts, if read."""
        if texts is None:
            texts = _words(doc)[0]
        out = list(keep)
        wanted = False
        for i in range(len(segs) - 1, -1, -1):
            a, b = segs[i]
            if keep[i]:
                wanted = False  # the gap before a pronoun ends at the kept sentence before it
            elif wanted:
                out[i] = True
            if keep[i] and any(t.lower() in self.pronouns for t in texts[a:b]):
                wanted = True
            if a and "\n" in texts[a - 1]:  # a token's own whitespace holds no line break
                wanted = False  # the sentence starts a paragraph: those before are another's
        return out

    def learned_score(self, per_word: Sequence[frozenset[str]], model: EventTypeModel) -> float:
        """An optimistic reading of the event-type model on the words alone: for its likeliest
        event label, the bias and each word's ``w:`` weight (of the word's possible lemmas, the
        one that favours the label most, when it favours it at all) less those of no event.
        Features of the parse and the tensor are left out; the threshold leaves room for them."""
        table = self._learned_table(model)
        if table is None:
            return float("-inf")
        base, gain = table
        total = base.copy()
        for lemmas in per_word:
            total += gain(lemmas)
        return float(total.max())

    def _learned_table(self, model: EventTypeModel) -> tuple[np.ndarray, Any] | None:
        """The model's bias less no event's, and a cached lookup of what a word adds: of its
        possible lemmas' weights less no event's, the greatest for each label, or nothing."""
        key = id(model)
        if key not in self._learned:
            if NONE not in model.labels:
                return None
            none = model.labels.index(NONE)
            events = [i for i in range(len(model.labels)) if i != none]
            base = (model.bias[events] - model.bias[none]).astype(np.float32)

            @functools.lru_cache(maxsize=100_000)
            def gains(form: str) -> np.ndarray:
                row = model.feature_weights("w:" + form)
                return (row[events] - row[none]).astype(np.float32)

            @functools.lru_cache(maxsize=100_000)
            def gain(lemmas: frozenset[str]) -> np.ndarray:
                found = np.maximum(np.max([gains(f) for f in lemmas], axis=0), 0.0)
                found.flags.writeable = False  # shared by every sentence with the word
                return found

            self._learned[key] = (base, gain)
            weakref.finalize(model, self._learned.pop, key, None)
        return self._learned[key]


def _present(others: Sequence[str], objects: Sequence[Sequence[str]], forms: set[str]) -> bool:
    return forms.issuperset(others) and (not objects or any(forms.issuperset(obj) for obj in objects))


_gates: weakref.WeakKeyDictionary[Any, Gate] = weakref.WeakKeyDictionary()


def gate_for(nlp: Language) -> Gate:
    """The gate of ``nlp``'s own rules (those ``pk_events`` codes with), built once."""
    gate = _gates.get(nlp)
    if gate is None:
        config = nlp.get_pipe_config("pk_events") if "pk_events" in nlp.pipe_names else {}
        rules = load_rules(
            config.get("knowledge_dir", ""),
            tuple(config.get("pattern_files", ())),
            *((tuple(config["packaged_patterns"]),) if "packaged_patterns" in config else ()),
        )
        lemmatizer: Any = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        tables = getattr(lemmatizer, "lookups", None)
        gate = _gates[nlp] = Gate(rules, tables)
    return gate


def event_model(nlp: Language) -> EventTypeModel | None:
    """The event-type model ``nlp`` runs now (cross-fitting swaps it)."""
    typer = nlp.get_pipe("pk_eventtype") if "pk_eventtype" in nlp.pipe_names else None
    return getattr(typer, "model", None)


# -- parsing only the sentences kept ------------------------------------------------

#: the components that run on the kept sentences alone; those from here on see the whole article
FIRST_WHOLE = "pk_mentions"


def pipe_kept(nlp: Language, batch: Sequence[tuple[Doc, Any]], batch_size: int) -> Iterator[tuple[Doc, Any]]:
    """``nlp.pipe(batch, as_tuples=True)`` that parses only the sentences the gate keeps.

    An article whose sentences are all kept goes through the pipeline as it is. Otherwise
    each run of kept sentences is a Doc of its own for the tagger, parser and NER (the
    tokens and their whitespace as they were), each run of skipped ones a Doc of tokens
    whose sentences are the cheap pass's; they are joined back into one Doc with the
    article's text, so every offset is the article's, and the components from
    ``FIRST_WHOLE`` on (mentions, places, the event-type model, the coder) read the whole
    article. ``doc._.skipped`` holds the first token of each skipped sentence.
    """
    gate, model = gate_for(nlp), event_model(nlp)
    names = nlp.pipe_names
    cut = names.index(FIRST_WHOLE) if FIRST_WHOLE in names else len(names)
    early, late = nlp.pipeline[:cut], nlp.pipeline[cut:]
    plans: list[tuple[list[tuple[int, int, bool]], list[int], list[str], list[bool]] | None] = []
    pieces: list[Doc] = []
    head: list[Any] = list(Doc._get_array_attrs())
    for doc, _ in batch:
        words, spaces = _words(doc)
        segs = segments(doc, (words, spaces))
        keep = gate.kept(doc, segs, model, (words, spaces))
        if all(keep):
            plans.append(None)
            pieces.append(doc)
            continue
        runs: list[tuple[int, int, bool]] = []
        for (a, b), kept in zip(segs, keep, strict=True):
            if runs and runs[-1][2] == kept:
                runs[-1] = (runs[-1][0], b, kept)
            else:
                runs.append((a, b, kept))
        plans.append((runs, [a for (a, _), kept in zip(segs, keep, strict=True) if not kept], words, spaces))
        array = doc.to_array(head)
        pieces.extend(_piece(doc, a, b, words, spaces, head, array) for a, b, kept in runs if kept)
    parsed = iter(_through(early, pieces, batch_size))
    joined = []
    for (doc, _), plan in zip(batch, plans, strict=True):
        if plan is None:
            joined.append(next(parsed))
            continue
        runs, skipped, words, spaces = plan
        parts = [next(parsed) if kept else None for _, _, kept in runs]
        width = next((p.tensor.shape[1] for p in parts if p is not None and p.tensor.ndim == 2), 0)
        for i, (a, b, kept) in enumerate(runs):
            if not kept:
                starts = [s - a for s in skipped if a <= s < b]
                parts[i] = _unparsed(doc, a, b, starts, width, words[a:b], spaces[a:b])
        whole = _join([p for p in parts if p is not None], words, spaces)
        whole._.published = doc._.published
        whole._.lower_cased = doc._.lower_cased  # truecase.py's reading of the whole text
        keep_text(whole, doc_text(doc))  # the same words and spaces
        match = gate.summary.search(doc_text(whole))
        whole._.summary_start = match.start() if match else -1
        whole._.skipped = frozenset(skipped)
        joined.append(whole)
    yield from zip(_through(late, joined, batch_size), (c for _, c in batch), strict=True)


def _through(components: Sequence[tuple[str, Any]], docs: Iterable[Doc], batch_size: int) -> Iterator[Doc]:
    for _, proc in components:
        docs = proc.pipe(docs, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, docs)
    return iter(docs)


def _words(doc: Doc) -> tuple[list[str], list[bool]]:
    """The texts of ``doc``'s tokens and whether each is followed by a space (no Token made)."""
    strings = doc.vocab.strings
    table = doc.to_array([ORTH, SPACY]).reshape(len(doc), 2)
    return [strings[orth] for orth in table[:, 0].tolist()], table[:, 1].astype(bool).tolist()


def _piece(
    doc: Doc, start: int, end: int, words: list[str], spaces: list[bool], head: list[Any], array: Any
) -> Doc:
    """``doc[start:end].as_doc()`` of a Doc not yet annotated, without making a Token (or the
    span's vector, which nothing reads): the same words, spaces and array attributes. Its
    text is kept on it (``keep_text``: its words, each with its space), so the components
    that read it (``pk_layout``) need not join a Token per word to get it."""
    piece = Doc(doc.vocab, words=words[start:end], spaces=spaces[start:end])
    if end > start:
        piece.from_array(head, array[start:end])
    piece.tensor = doc.tensor[start:end]
    pairs = zip(words[start:end], spaces[start:end], strict=True)
    keep_text(piece, "".join([w + " " if s else w for w, s in pairs]))
    return piece


def _join(parts: list[Doc], words: list[str], spaces: list[bool]) -> Doc:
    """``Doc.from_docs(parts, ensure_whitespace=False)`` for parts that together are the tokens
    ``words``: the same arrays and tensor, without making a Token. Parts with spans, or with
    extension values of their own tokens or spans, go through ``Doc.from_docs``."""
    if any(p.spans or any(key[2] is not None for key in p.user_data if len(key) == 4) for p in parts):
        with warnings.catch_warnings():  # W101: the pieces' own extensions are set again by the caller
            warnings.simplefilter("ignore", UserWarning)
            return Doc.from_docs(parts, ensure_whitespace=False)
    attrs: list[Any] = list(Doc._get_array_attrs())
    if SPACY not in attrs:
        attrs.append(SPACY)
    whole = Doc(parts[0].vocab, words=words, spaces=spaces)
    concat: Any = np.concatenate([p.to_array(attrs) for p in parts])
    whole.from_array(attrs, concat)
    if any(len(p) for p in parts):
        whole.tensor = np.vstack([np.asarray(p.tensor) for p in parts if len(p)])
    return whole


def _unparsed(
    doc: Doc, start: int, end: int, starts: Sequence[int], width: int, words: list[str], spaces: list[bool]
) -> Doc:
    """The tokens ``doc[start:end]`` (their ``words`` and ``spaces``) as a Doc whose sentences
    begin at ``starts`` (each sentence a flat tree on its first token), with a zero tensor
    ``width`` wide."""
    heads, deps = [], []
    root = 0
    bounds = set(starts)
    for i in range(end - start):
        if i in bounds:
            root = i
        heads.append(root)
        deps.append("ROOT" if i == root else "dep")
    out = Doc(doc.vocab, words=words, spaces=spaces, heads=heads, deps=deps)
    if width:
        out.tensor = np.zeros((len(out), width), dtype=np.float32)
    return out
