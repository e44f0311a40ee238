"""The language-model backend's plumbing, behind the checker, with deterministic stand-ins.

What is tested: the prompt holds only the cited evidence and the draft; every rewritten sentence
goes through the checker; invented names, numbers and claims are rejected and the template's
sentence is kept (or, strict, the brief fails); a faithful rewrite is kept. What is not tested
here: a real GGUF model through llama-cpp-python, which is not installed by `make test` (it
compiles llama.cpp) and for which no registry package ships a model.
"""

from __future__ import annotations

import re

import pytest

from powderkeg.brief.check import check
from powderkeg.brief.llm import LlamaCppGenerator, prompt_for, rewrite
from powderkeg.brief.phrase import Writer, event_clause
from powderkeg.errors import ConfigError, UngroundedBrief

from .brief_helpers import brief, citation, report

EVENT = citation(
    "F1",
    [
        report(
            "a", "Rebels attacked a convoy near Stonebridge on Tuesday, killing two drivers.",
            rule="builtin:ASSAULT:verb:attack|verb", source=[{"text": "Rebels"}], target=[{"text": "a convoy"}],
            spans={"numbers.killed": "two drivers"}, numbers={"killed": 2},
        )
    ],
    place={"name": "Stonebridge", "country": None},
    numbers={"killed": {"min": 2, "max": 2, "by_report": {"a": 2}}},
)  # fmt: skip
OTHER = citation(
    "F2", [report("b", "Talks in Harbourtown were postponed.")], type="CONSULT", quad_class=1, score=1.0
)


def _brief():
    w = Writer("happened")
    event_clause(w, EVENT)
    return brief([w.sentence()], [EVENT, OTHER])


class Inventor:
    """Adds a name, a number and a claim that no evidence holds."""

    name = "inventor"

    def generate(self, prompt: str) -> str:
        draft = prompt.rsplit("Draft: ", 1)[1].split("\n")[0]
        return draft.rstrip(".") + ", and 14 Sylvanian soldiers were wounded."


class Faithful:
    """Says the draft in other words that the evidence supports."""

    name = "faithful"

    def generate(self, prompt: str) -> str:
        draft = prompt.rsplit("Draft: ", 1)[1].split("\n")[0]
        return re.sub(r"^Rebels attacked a convoy", "A convoy was attacked by Rebels", draft)


def test_the_prompt_holds_only_the_cited_evidence():
    b = _brief()
    prompt = prompt_for(b.sentences[0], b.citations)
    assert "Stonebridge on Tuesday" in prompt and "Harbourtown" not in prompt
    assert prompt.rstrip().endswith("Rewritten:")


def test_invented_facts_are_rejected_and_the_template_kept():
    b = _brief()
    out = rewrite(b, Inventor())
    assert out.sentences[0].text == b.sentences[0].text
    assert check(out).ok
    assert out.notes and all(t in out.notes[0] for t in ("'14'", "'Sylvanian'", "'wounded'"))
    with pytest.raises(UngroundedBrief) as exc:
        rewrite(b, Inventor(), strict=True)
    assert "Sylvanian" in str(exc.value)


def test_a_faithful_rewrite_is_kept():
    out = rewrite(_brief(), Faithful())
    assert out.sentences[0].text.startswith("A convoy was attacked by Rebels")
    assert out.generator == "templates+faithful" and not out.notes and check(out).ok


def test_the_llama_cpp_backend_says_how_to_install_it(tmp_path):
    model = tmp_path / "m.gguf"
    with pytest.raises(ConfigError, match="not found"):
        LlamaCppGenerator(model)
    model.write_bytes(b"GGUF")
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        with pytest.raises(ConfigError, match=r"powderkeg\[llm\]"):
            LlamaCppGenerator(model)
    else:
        pytest.skip("llama-cpp-python is installed; this checks the message when it is not")


def test_the_llama_cpp_backend_reads_its_completion():
    class Completion:  # llama_cpp.Llama's create_completion answer, for a run without the library
        def create_completion(self, prompt, **kw):
            assert kw["temperature"] == 0.0 and kw["stop"] == ["\n"]
            return {"choices": [{"text": " Rebels attacked a convoy near Stonebridge.\n"}]}

    generator = LlamaCppGenerator("x.gguf", llama=Completion())
    out = rewrite(_brief(), generator)
    assert out.sentences[0].text == "Rebels attacked a convoy near Stonebridge."
    assert out.generator == "templates+llama-cpp:x.gguf" and check(out).ok
