"""A brief as Markdown, HTML or JSON.

Every sentence ends with its citation marks [n]; the numbered citations list each event's
evidence sentences with article, locator and character span; the sources are the articles
behind the cited events. JSON is ``Brief.to_json()``: the same, machine-readable, with every
derivation and the full records of the cited events.
"""

from __future__ import annotations

import html

from .model import SECTION_TITLES, Brief, Sentence

FORMATS = ("md", "html", "json")


def render(brief: Brief, fmt: str = "md") -> str:
    if fmt == "json":
        return brief.to_json() + "\n"
    if fmt == "html":
        return to_html(brief)
    return to_markdown(brief)


def _marks(s: Sentence, numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[c]}]" for c in s.cites if c in numbers)


def _title(brief: Brief) -> str:
    scope = brief.scope
    when = f", {scope['since']} to {scope['until']}" if scope.get("since") else ""
    return f"Situation brief: {scope['label']}{when}"


def to_markdown(brief: Brief) -> str:
    numbers = brief.numbering()
    lines = [f"# {_title(brief)}", ""]
    for s in brief.sections.get("headline", ()):
        lines += [f"## {s.text} {_marks(s, numbers)}", ""]
    for name in ("takeaways", "happened", "why", "watch"):
        sentences = brief.sections.get(name, ())
        if not sentences:
            continue
        lines += [f"### {SECTION_TITLES[name]}", ""]
        lines += [f"- {s.text} {_marks(s, numbers)}" for s in sentences]
        lines.append("")
    lines += ["### Evidence", ""]
    for cid, n in numbers.items():
        c = brief.citations[cid]
        kind = c.record.get("type", "") + (f"/{c.record['mode']}" if c.record.get("mode") else "")
        lines.append(f"{n}. `{cid}` {kind}, {c.record.get('factuality', '')}")
        for e in c.evidence:
            lines.append(f'   - "{e.sentence}" ({e.title or e.article_id}, {e.url}, chars {e.start}-{e.end})')
    lines += ["", "### Sources", ""]
    for src in brief.sources():
        when = f", {src.published}" if src.published else ", undated"
        lines.append(f"- {src.title or src.article_id} ({src.outlet}{when}) {src.url}")
    if brief.notes:
        lines += ["", "### Notes", ""] + [f"- {n}" for n in brief.notes]
    lines.append("")
    lines.append(f"_Written by powderkeg ({brief.generator}); every sentence passed the grounding check._")
    return "\n".join(lines) + "\n"


def to_html(brief: Brief) -> str:
    numbers = brief.numbering()
    e = html.escape

    def cites(s: Sentence) -> str:
        return "".join(f'<a href="#c{numbers[c]}">[{numbers[c]}]</a>' for c in s.cites if c in numbers)

    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{e(_title(brief))}</title>",
        "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.45}"
        "a{text-decoration:none}.ev{color:#444;font-size:.9em}</style></head><body>",
        f"<h1>{e(_title(brief))}</h1>",
    ]
    for s in brief.sections.get("headline", ()):
        parts.append(f"<h2>{e(s.text)} {cites(s)}</h2>")
    for name in ("takeaways", "happened", "why", "watch"):
        sentences = brief.sections.get(name, ())
        if sentences:
            parts.append(f"<h3>{e(SECTION_TITLES[name])}</h3><ul>")
            parts += [f"<li>{e(s.text)} {cites(s)}</li>" for s in sentences]
            parts.append("</ul>")
    parts.append("<h3>Evidence</h3><ol>")
    for cid, n in numbers.items():
        c = brief.citations[cid]
        items = "".join(
            f"<li class='ev'>&ldquo;{e(x.sentence)}&rdquo; (<a href='{e(x.url)}'>{e(x.title or x.article_id)}</a>,"
            f" chars {x.start}&ndash;{x.end})</li>"
            for x in c.evidence
        )
        parts.append(
            f"<li id='c{n}'><code>{e(cid)}</code> {e(c.record.get('type', ''))}<ul>{items}</ul></li>"
        )
    parts.append("</ol><h3>Sources</h3><ul>")
    for src in brief.sources():
        parts.append(
            f"<li><a href='{e(src.url)}'>{e(src.title or src.article_id)}</a> ({e(src.outlet)}, {e(src.published or 'undated')})</li>"
        )
    parts.append("</ul>")
    if brief.notes:
        parts.append("<h3>Notes</h3><ul>" + "".join(f"<li>{e(n)}</li>" for n in brief.notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
