"""Hard-wrapped plain text re-flowed into paragraphs before sentence splitting.

Plain-text news (wire copy, mailing lists, old archives) is often wrapped at a
fixed width, 60 to 80 characters. The layout component (``pk_layout``) starts a
sentence at every line break, which is right for one paragraph per line but
cuts a wrapped sentence in two: "the army shelled the town,\\nofficials say"
loses its attribution and reads as asserted. ``reflow`` turns each line break
that only wraps a paragraph into a space, so the parser sees whole sentences.

A text is hard-wrapped when its longer lines end near one width of at most
``MAX_WIDTH`` characters, mostly inside a sentence. Then a break is a wrap when the line before it
reaches most of that width and the next line goes on with text (not a blank
line, not a list item, not a paragraph's indented first line after a sentence's
end). Blank lines, short lines (headings, datelines, sign-offs), list items and
indented paragraph starts keep their breaks.

The result has the same length as the input, character for character apart
from the breaks, so every offset the coder records points into the original text.
"""

from __future__ import annotations

import re

#: a text whose lines run longer than this is not hard-wrapped (one paragraph per line)
MAX_WIDTH = 100
#: lines shorter than this share of the text's width end a paragraph
FULL_SHARE = 0.6
#: a list item or a quoted line starts a new line of its own
#: how a paragraph (or a sentence) ends
_FINAL = (".", "!", "?", ":", '"', "'", "\u201d", "\u2019", ")")
_ITEM = re.compile(r"^\s*(?:[-*•>]|\d{1,2}[.)])\s")


def wrap_width(lines: list[str]) -> int:
    """The width a text is wrapped at (the 90th percentile of its line lengths), or 0 when it
    is not hard-wrapped: too few lines, lines longer than ``MAX_WIDTH``, or too few lines
    that come near the width."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 3:
        return 0
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > MAX_WIDTH or width < 30 or lengths[-1] > MAX_WIDTH + 20:
        return 0
    full = sum(length >= FULL_SHARE * width for length in lengths)
    if full < 0.5 * len(lengths):
        return 0
    # a wrapped line mostly ends inside a sentence; a paragraph on a line of its own never does
    inside = [
        not line.rstrip().endswith(_FINAL)
        for line, following in zip(lines, lines[1:], strict=False)
        if following.strip() and len(line.rstrip()) >= FULL_SHARE * width
    ]
    return width if inside and sum(inside) >= 0.5 * len(inside) else 0


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _indented_start(line: str, following: str) -> bool:
    """Whether ``following`` opens a paragraph by its indent: it is set in further than the
    line before it, which ends a sentence (wire copy and typed letters mark paragraphs so,
    with no blank line between them)."""
    return _indent(following) > _indent(line) and line.rstrip().endswith(_FINAL)


def reflow(text: str) -> str:
    """``text`` with the line breaks that only wrap a paragraph made spaces (same length)."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    width = wrap_width(lines)
    if not width:
        return text
    out = list(text)
    end = -1
    for line, following in zip(lines, lines[1:], strict=False):
        end += len(line) + 1  # the index of this line's "\n"
        if (
            line.strip()
            and following.strip()
            and len(line.rstrip()) >= FULL_SHARE * width
            and not _ITEM.match(following)
            and not _indented_start(line, following)
        ):
            out[end] = " "
            if line.endswith("\r"):
                out[end - 1] = " "
    return "".join(out)
