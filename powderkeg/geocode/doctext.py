"""A Doc's text, built once per Doc.

``Doc.text`` joins every token's text and whitespace, making a Token for each, on every
call; several components read an article's whole text. ``doc_text`` keeps it on the Doc
(the extension ``pk_text``) the first time, or takes it from whoever made the Doc from a
string (``keep_text``). A Doc's text never changes (retokenizing keeps it), and spaCy
copies a Doc-level extension value only with the whole Doc (``Doc.copy``, serialising),
never onto a Doc made of a part of it (``Span.as_doc``, ``Doc.from_docs``).
"""

from __future__ import annotations

from spacy.tokens import Doc

if not Doc.has_extension("pk_text"):
    Doc.set_extension("pk_text", default=None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, built at most once."""
    text = doc._.pk_text
    if text is None:
        text = doc._.pk_text = doc.text
    return str(text)


def keep_text(doc: Doc, text: str) -> None:
    """Note that ``doc``'s text is ``text`` (the string it was made from, or its tokens' own)."""
    doc._.pk_text = text
