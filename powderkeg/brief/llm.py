"""An optional local language model that rewrites the template sentences, behind the same checker.

``LlamaCppGenerator`` runs a GGUF file the user supplies through llama-cpp-python
(``pip install 'powderkeg[llm]'``); nothing is downloaded. Each sentence is rewritten from a
prompt that holds only that sentence's cited evidence sentences and the template's draft
(itself computed from those events). The rewritten sentence keeps the draft's citations and
derivations and is checked like any other: a number, name or claim word that is neither in the
cited evidence nor a verified derivation of the cited events rejects it, and the template's
sentence stays (``strict`` makes any rejection fail the whole brief instead). What was
rejected, and why, is in the brief's notes.

Any object with a ``name`` and ``generate(prompt) -> str`` is a ``Generator``: the tests use a
deterministic stand-in that invents facts, to show that the checker throws them out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from ..errors import ConfigError, UngroundedBrief
from .check import check_sentence
from .model import SECTIONS, Brief, Citation, Sentence

PROMPT = """You rewrite one sentence of a situation brief so that it reads well.
Use only facts stated in the evidence below. Do not add names, numbers, dates or places that are
not in the evidence or the draft. Answer with the rewritten sentence only.

Evidence:
{evidence}

Draft: {draft}
Rewritten:"""


class Generator(Protocol):
    name: str

    def generate(self, prompt: str) -> str: ...


def prompt_for(sentence: Sentence, citations: dict[str, Citation]) -> str:
    """The prompt for one sentence: its cited evidence sentences and its draft, nothing else."""
    lines = []
    for cid in sentence.cites:
        for e in citations[cid].evidence if cid in citations else ():
            lines.append(f"- {e.sentence}")
    return PROMPT.format(evidence="\n".join(dict.fromkeys(lines)), draft=sentence.text)


def rewrite(brief: Brief, generator: Generator, strict: bool = False) -> Brief:
    """Every sentence rewritten by ``generator`` where the rewrite passes the checker."""
    notes = list(brief.notes)
    sections: dict[str, tuple[Sentence, ...]] = {}
    rejected: list[str] = []
    for name in SECTIONS:
        out = []
        for s in brief.sections.get(name, ()):
            text = " ".join(generator.generate(prompt_for(s, brief.citations)).split())
            candidate = Sentence(text, s.cites, s.derivations, s.section)
            problems, _ = check_sentence(candidate, brief.citations, brief.params) if text else ([], {})
            if text and not problems:
                out.append(candidate)
                continue
            why = "; ".join(f"{p.token!r} ({p.kind})" for p in problems) or "empty answer"
            rejected += [str(p) for p in problems]
            notes.append(
                f"{generator.name} rewrite rejected by the checker ({why}); the template sentence is kept"
            )
            out.append(s)
        sections[name] = tuple(out)
    if strict and rejected:
        raise UngroundedBrief(
            f"{generator.name} wrote unsupported tokens; the brief is not written", problems=rejected
        )
    result = brief.with_sections(sections, f"templates+{generator.name}")
    return Brief(
        result.scope, result.sections, result.citations, result.params, result.generator, tuple(notes)
    )


class LlamaCppGenerator:
    """A GGUF model run by llama-cpp-python, greedy (temperature 0, fixed seed): the same prompt
    gives the same sentence."""

    def __init__(
        self, model_path: str | Path, n_ctx: int = 2048, max_tokens: int = 120, llama: Any = None
    ) -> None:
        self.name = f"llama-cpp:{Path(model_path).name}"
        self.max_tokens = max_tokens
        if llama is not None:
            self.llama = llama
            return
        if not Path(model_path).is_file():
            raise ConfigError(f"GGUF model {model_path} not found", remedy="give the path of a GGUF file")
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ConfigError(
                "the language-model backend needs llama-cpp-python",
                remedy="pip install 'powderkeg[llm]'",
            ) from None
        self.llama = Llama(model_path=str(model_path), n_ctx=n_ctx, seed=0, verbose=False)

    def generate(self, prompt: str) -> str:
        out = self.llama.create_completion(prompt, max_tokens=self.max_tokens, temperature=0.0, stop=["\n"])
        return str(out["choices"][0]["text"]).strip()
