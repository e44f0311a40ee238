"""Photo captions and credit lines: read, but never taken for the article's news.

Pages and wire copy often open with a photo's caption ("FILE PHOTO: Soldiers
patrol ...", "A soldier stands guard near the site ... (Reuters/Jane Roe)"),
whose event, in the first sentence, would otherwise win the main-event choice
(primary.py, criterion "the earliest sentence") over the report's own lead;
a file photo's event is not even today's news. A line (a paragraph: captions
stand on lines of their own) is a caption when it carries one of the marks
news sites and agencies put on pictures:

- a leading label: "FILE PHOTO:", "PHOTO:", "Pictured:", "IMAGE -", AP's
  "FILE - In this ... photo";
- "In this (file) photo ..." at its start;
- a photo credit at its end: in parentheses with a slash or a picture word
  ("(Reuters/Jane Roe)", "(AP Photo/John Doe)", "(Photo: Jane Roe)"), or an
  agency in capitals with a slash ("REUTERS/Jane Roe/File Photo", "AFP/Getty Images");
- a credit line of its own ("Photo credit: ...", "Credit: ...", "Courtesy of ...").

Events read in such a line keep a ``caption`` span (the mark's characters) as
evidence, and rank after the text's own events (primary.py).
"""

from __future__ import annotations

import re

#: picture words that make a parenthesised credit or a label
_PICTURE = r"photo(?:graph)?s?|pictures?|pic|images?|video(?:\s+grab)?|screen\s?(?:shot|grab)|footage|credit|courtesy"

_LABEL = re.compile(
    rf"^\s*(?:FILE\s+(?:{_PICTURE})|FILE|{_PICTURE}|pictured|caption)\s*(?::|[-\u2013\u2014]\s)",
    re.I,
)
_IN_THIS = re.compile(
    rf"^\s*(?:FILE\s*[-\u2013\u2014:]\s*)?in\s+this\s+(?:[^,.;]{{0,40}}\s)?(?:file\s+)?(?:{_PICTURE})\b", re.I
)
_PARENTHESISED = re.compile(r"\(([^()]{2,100})\)\s*[.]?\s*$")
#: inside parentheses: a picture word that ends the credit or leads its name ("(AP Photo)",
#: "(Photo: Jane Roe)", "(File photo by ...)"), or two capitalised names around a slash
_CREDIT = re.compile(rf"(?i:\b(?:{_PICTURE})\b\s*(?::|by\b|/|$))|[A-Z][\w.-]*\s?/\s?[A-Z]")
#: "REUTERS/Jane Roe", "AFP/Getty Images", "EPA-EFE/John Doe/File Photo" at the line's end:
#: an agency in capitals, a slash, then capitalised names (not "UN/OCHA")
_NAME = r"[A-Z][a-z][\w.'\u2019-]*"
_AGENCY_SLASH = re.compile(rf"\b[A-Z][A-Z-]+(?:\s[A-Z][A-Z-]+)*\s?/\s?{_NAME}(?:[ /]{_NAME})*\s*[.]?\s*$")
_CREDIT_LINE = re.compile(
    rf"^\s*(?:(?:{_PICTURE})(?:\s+credits?)?\s*(?::|by\b)|credits?\s*:|courtesy\s+of\b)", re.I
)


def caption_mark(line: str) -> tuple[int, int] | None:
    """The characters of ``line`` that make it a photo caption or credit line (offsets into
    ``line``), or None when it is the text's own."""
    if not line.strip():
        return None
    for pattern in (_LABEL, _IN_THIS, _CREDIT_LINE):
        found = pattern.match(line)
        if found:
            return found.start(), found.end()
    found = _PARENTHESISED.search(line)
    if found and _CREDIT.search(found.group(1).strip()):
        return found.start(), found.end()
    found = _AGENCY_SLASH.search(line)
    if found and found.start() > 0:
        return found.start(), found.end()
    return None


def caption_marks(text: str) -> list[tuple[int, int, tuple[int, int]]]:
    """Each caption line of ``text`` as (line start, line end, the mark's span), offsets into ``text``."""
    out = []
    start = 0
    for line in text.split("\n"):
        mark = caption_mark(line)
        if mark is not None:
            out.append((start, start + len(line), (start + mark[0], start + mark[1])))
        start += len(line) + 1
    return out


def caption_of(marks: list[tuple[int, int, tuple[int, int]]], offset: int) -> tuple[int, int] | None:
    """The mark of the caption line holding character ``offset``, if any."""
    for start, end, mark in marks:
        if start <= offset <= end:
            return mark
    return None
