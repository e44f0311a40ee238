"""A corpus of hostile documents and files, as a careless or hostile source sends them (issue 15).

    python tests/fuzz_corpus.py OUT [--seed 15] [--scale 1] [--long 120]

``generate(folder)`` writes, deterministically for a seed, a little over 2,000 documents (each
text or HTML file is one, each non-blank JSONL line one; ``scale`` times as many of the small
classes) plus files a folder walk must skip:

- dates no calendar arithmetic survives: ``published:`` 9999-12-01, 0001-01-01, 1899, next
  year; in the text "December 1, 9999", "January 1, 0001", "May 0000";
- figures no count can be: "killed 2147483648", a 400-digit number, "3,000,000,000 people";
- names and text that are not clean Unicode: file names that are not UTF-8, lone surrogates
  in JSONL (text, title, id), U+2028/U+2029/U+0085 inside JSON strings, RTL overrides;
- JSON the parser refuses: an integer of 5,000 digits, arrays nested 100,000 deep, cut-off
  lines, non-objects, text that is no string, a BOM, CRLF line ends, a bad byte in one line;
- encodings and binary: UTF-16 with and without a BOM, NUL bytes late in a file, control
  characters, a multi-byte character cut in half, random bytes under every extension;
- sizes: empty and blank files, one to four words, a file just over ``max_bytes`` (sparse),
  a 10,000-character word, one long article of many events (once: the heavy class; ``long``
  paragraphs of six sentences, 120 by default, about 50,000 characters: `make fuzz` writes
  400, about 170,000);
- HTML: broken, script only, 3,000 nested divs, an entity expansion ("billion laughs");
- rich markup in titles and text ("[/oops]"), hidden files and folders, unsupported
  extensions, a named pipe, a dangling symbolic link and a link loop.

Most documents are small, so coding them is quick; the heavy classes appear once each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from pathlib import Path

SENTENCES = [
    "Serbian police arrested {n} protesters in Zvecan on {day}.",
    "Kosovo accused Serbia of provocation after {n} officers were injured near Banjska.",
    "NATO sent {n} more troops to KFOR on {day}, officials said.",
    "Gunmen killed {n} people in Leposavic, the ministry said on {day}.",
    "The EU envoy met Serbian and Kosovo leaders in Brussels on {day}.",
    "Thousands of demonstrators marched in Pristina against the government.",
    "Serbia deployed troops near the border with Kosovo, the prime minister said.",
    "{n} KFOR soldiers were wounded in clashes with Serb protesters in North Mitrovica.",
]
DAYS = [
    "Monday", "Sunday", "May 29, 2023", "December 1, 9999", "January 1, 0001", "May 0000",
    "1 September 2023", "last week", "yesterday", "2023-02-30", "the 32nd of May",
]  # fmt: skip
FIGURES = ["3", "12", "2147483648", "9" * 400, "3,000,000,000", "1e999", "-5", "0", "dozens", "4.5"]
PUBLISHED = [
    "2023-05-30", "9999-12-01", "0001-01-01", "1899-12-31", "2999-01-01", "not a date", "2023-02-30",
    "20230530", "Mon, 29 May 2023 10:00:00 +0000", "",
]  # fmt: skip
#: entries under skip/ that a folder walk passes over: 2 hidden, 3 unsupported, 3 not regular files
SKIPPED = 8
MARKUP = ["[/oops]", "[bold]x[/bold]", "[/x]", "[link=http://evil.test]y[/link]", "[deadbeef]"]
WEIRD = ["\u202e", "\u200b", "\ufeff", "e\u0301", "\U0001f4a5", "\u0085", "\u2028", "\x0b"]


def _text(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        line = rng.choice(SENTENCES).format(n=rng.choice(FIGURES), day=rng.choice(DAYS))
        if rng.random() < 0.2:
            line = line.replace(" ", f" {rng.choice(MARKUP + WEIRD)} ", 1)
        out.append(line)
    return " ".join(out)


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


def generate(
    folder: str | os.PathLike[str],
    seed: int = 15,
    max_bytes: int = 5_000_000,
    scale: int = 1,
    long: int = 120,
) -> int:
    """Write the corpus under ``folder``; return how many documents it holds (not counting skipped files)."""
    root = Path(folder)
    rng = random.Random(seed)
    documents = 0

    # -- text files with front matter: dates, figures, markup, weird characters (600) --
    for i in range(600 * scale):
        title = rng.choice(["Report", "Zvecan", *MARKUP])
        head = f"---\ntitle: {title} {i}\npublished: {rng.choice(PUBLISHED)}\nsource: {rng.choice(MARKUP)}\n---\n"
        body = _text(rng, rng.randint(1, 3))
        _write(root / "text" / f"{i:04d}.txt", head + body)
        documents += 1

    # -- JSONL: one file of good and hostile records, one line each (700) --
    lines: list[bytes] = []
    for i in range(700 * scale):
        kind = i % 14
        text = _text(rng, rng.randint(1, 2))
        record: object = {"id": i, "text": text, "published": rng.choice(PUBLISHED)}
        if kind == 0:
            line = json.dumps({"id": i, "text": text + " \ud800"}).encode()  # a lone surrogate, escaped
        elif kind == 1:
            line = json.dumps({"id": "\udc00", "title": "t\ud800", "text": text}).encode()
        elif kind == 2:
            line = json.dumps(
                {"id": i, "text": text.replace(" ", rng.choice(["\u2028", "\u2029", "\u0085"]), 2)},
                ensure_ascii=False,
            ).encode()
        elif kind == 3:
            line = b'{"id": ' + str(i).encode() + b', "n": ' + b"7" * 5000 + b', "text": "x y z w v"}'
        elif kind == 4:
            line = json.dumps(record)[: rng.randint(1, 40)].encode()  # cut off
        elif kind == 5:
            line = rng.choice(
                [b"[1, 2]", b"42", b'"text"', b"null", b"{}", b'{"text": 5}', b'{"text": ["a"]}']
            )
        elif kind == 6:
            line = json.dumps(record).encode().replace(b"text", b"te\xffxt", 1)  # a bad byte
        elif kind == 7:
            line = json.dumps({"id": i, "text": " ".join(text.split()[: rng.randint(0, 4)])}).encode()
        elif kind == 8:
            line = json.dumps(record).encode() + b"\r"  # a CRLF line end
        elif kind == 9:
            line = json.dumps({**record, "title": rng.choice(MARKUP), "url": "http://x.test/[/x]"}).encode()
        elif kind == 10:
            line = json.dumps(
                {"id": i, "text": text, "date": rng.choice(PUBLISHED), "source": {"a": 1}}
            ).encode()
        elif kind == 11:
            line = json.dumps({"id": i, "text": text}).encode() + b" trailing"
        elif kind == 12:
            line = json.dumps({"id": i, "text": "\x01\x02\x03 " * 20 + text}).encode()
        else:
            line = json.dumps(record, ensure_ascii=False).encode()
        lines.append(line)
    _write(root / "records.jsonl", b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n\n  \n")
    documents += 700 * scale
    _write(root / "deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n")  # once: 200 KB
    documents += 1

    # -- random bytes under every extension (700 files; a .jsonl one holds a document per line) --
    for i in range(700 * scale):
        suffix = [".txt", ".html", ".jsonl", ".htm", ".text"][i % 5]
        size = rng.choice([0, 1, 7, 64, 300, 2000])
        data = bytes(rng.randrange(256) for _ in range(size))
        if i % 7 == 0:
            data = data.replace(b"\n", b" ")  # one line
        path = root / "random" / f"{i:04d}{suffix}"
        _write(path, data)
        if suffix == ".jsonl":
            documents += max(sum(1 for line in data.split(b"\n") if line.strip()), 0)
        else:
            documents += 1

    # -- encodings and binary --
    sample = _text(rng, 2)
    cases = {
        "utf16-le.txt": sample.encode("utf-16-le"),
        "utf16-be.txt": sample.encode("utf-16-be"),
        "utf16-bom.txt": sample.encode("utf-16"),
        "utf32.txt": sample.encode("utf-32"),
        "late-nul.txt": (sample + " ").encode() * 300 + b"\x00\x00",
        "control.txt": bytes(range(1, 32)) * 50,
        "cut.txt": (sample + " Zve\u010dan").encode()[:-1],
        "latin1.txt": ("Kosovo police arrested a man in Zve\u010dan on Monday " * 3).encode("cp1250"),
        "empty.txt": b"",
        "blank.txt": b" \n\t\r\n ",
        "one-word.txt": b"Serbia",
        "four-words.txt": b"Serbia deployed troops today",
        "long-word.txt": b"x" * 10_000 + b" " + sample.encode(),
        "cr-only.txt": sample.replace(". ", ".\r").encode(),
        "front-matter-open.txt": b"---\ntitle: never closed\npublished: 9999-12-01\n" + sample.encode(),
    }
    for name, data in cases.items():
        _write(root / "enc" / name, data)
        documents += 1
    with (root / "enc" / "over-max.txt").open("wb") as fh:
        fh.truncate(max_bytes + 1)  # sparse: over the limit without using the disk
    documents += 1

    # -- HTML --
    pages = {
        "broken.html": "<html><head><title>x</title></head><body><script>",
        "script-only.html": "<html><body><script>var a = 1;</script></body></html>",
        "nested.html": "<html><body>"
        + "<div>" * 3000
        + f"<p>{sample}</p>"
        + "</div>" * 3000
        + "</body></html>",
        "laughs.html": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;'
        '&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c; &c;</p></body></html>',
        "markup.html": f"<html><head><title>[/oops] {MARKUP[3]}</title></head><body><article><p>{sample}</p>"
        f"<p>{_text(rng, 3)}</p></article></body></html>",
        "no-markup.htm": sample,
    }
    for name, page in pages.items():
        _write(root / "html" / name, page)
        documents += 1

    # -- names that are not UTF-8, and one long article of many events (the heavy class, once) --
    odd = os.fsencode(root / "names")
    os.makedirs(odd, exist_ok=True)
    for i, raw in enumerate([b"caf\xe9", b"\xff\xfe", b"ok-\x80-\xc3", b"[bold]x[bold]"]):
        with open(odd + b"/" + raw + f"-{i}.txt".encode(), "wb") as fh:
            fh.write(_text(rng, 2).encode())
        documents += 1
    article = "\n\n".join(_text(rng, 6) for _ in range(long))
    _write(root / "long" / "long-article.txt", "---\npublished: 2023-09-25\n---\n" + article)
    documents += 1

    # -- what a folder walk skips: hidden, unsupported, special --
    skip = root / "skip"
    _write(skip / ".hidden.txt", sample)
    _write(skip / ".git" / "HEAD.txt", sample)
    _write(skip / "photo.jpg", b"\xff\xd8\xff\xe0")
    _write(skip / "notes.docx", b"PK\x03\x04")
    _write(skip / "README", sample)
    os.mkfifo(skip / "pipe.txt")
    os.symlink(skip / "nowhere.txt", skip / "dangling.txt")
    os.symlink(skip, skip / "loop")
    return documents


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--long", type=int, default=120)
    args = parser.parse_args()
    print(f"{generate(args.out, args.seed, scale=args.scale, long=args.long)} documents under {args.out}")
