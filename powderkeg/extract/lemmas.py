"""A token's lemma, and guesses from its inflected form when the lemmatizer slips."""

from __future__ import annotations

from spacy.tokens import Token


def lemma_candidates(tok: Token) -> tuple[str, ...]:
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
