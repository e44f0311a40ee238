"""Peak memory of `powderkeg run` on huge inputs, each in its own child process.

    python bench/memory.py [--chars 200000] [--gib 1.0]

Four runs, each into a fresh DuckDB file, each figure the child's peak resident set (from
``wait4``, so one child's peak never hides another's):

  baseline   a one-paragraph article: what the process costs before any input is large
  long       one article of ``--chars`` characters (sentences of the demo corpus with their
             figures varied, so it codes into many events, and fusion has chains to merge)
  big-text   a ``--gib`` GiB .txt file of real bytes: quarantined (E104) for its size
  big-jsonl  a ``--gib`` GiB .jsonl file whose first line is the whole file less a good
             record on the last line: that line quarantined, the record stored

The large files are written to a temporary folder and removed afterwards. Targets (issue 15):
long under 1 GB, big-text and big-jsonl under 300 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "powderkeg" / "demo" / "corpus"
MIB = 1 << 20


def sentences() -> list[str]:
    out = []
    for path in sorted(DEMO.glob("*.txt")):
        body = path.read_text("utf-8").split("---")[-1]
        out += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) >= 6]
    return out


def long_article(chars: int, rng: random.Random) -> str:
    pool = sentences()
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        picked = [re.sub(r"\b\d+\b", lambda _: str(rng.randint(2, 900)), s) for s in rng.sample(pool, 5)]
        paragraphs.append(" ".join(picked))
        size += len(paragraphs[-1]) + 2
    return "---\ntitle: One long report\npublished: 2023-09-25\n---\n" + "\n\n".join(paragraphs)[:chars]


def write_big(path: Path, size: int, tail: bytes = b"") -> None:
    block = b"Serbian police arrested protesters in Zvecan on Monday, officials said. " * (MIB // 72)
    with path.open("wb") as fh:
        written = 0
        while written < size - len(tail):
            chunk = block[: size - len(tail) - written]
            fh.write(chunk)
            written += len(chunk)
        fh.write(tail)


def peak_mb(target: Path, folder: Path) -> tuple[float, int, str]:
    db = folder / f"{target.stem}.duckdb"
    command = [sys.executable, "-m", "powderkeg", "run", str(target), "--db", str(db)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    rows = re.findall(r"(  new|events added|quarantined)\s*\S\s*(\d+)", output)
    summary = ", ".join(f"{label.strip()} {n}" for label, n in rows) or output[-300:]
    return usage.ru_maxrss / 1024, child.returncode, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--gib", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = Path(tempfile.mkdtemp(prefix="pk-memory-"))
    try:
        size = int(args.gib * (1 << 30))
        inputs = {
            "baseline": folder / "baseline.txt",
            "long": folder / "long.txt",
            "big-text": folder / "big.txt",
            "big-jsonl": folder / "big.jsonl",
        }
        inputs["baseline"].write_text(long_article(600, rng), "utf-8")
        inputs["long"].write_text(long_article(args.chars, rng), "utf-8")
        write_big(inputs["big-text"], size)
        good = b'\n{"id": "last", "text": "Serbian police arrested 12 protesters in Zvecan on Monday."}\n'
        write_big(inputs["big-jsonl"], size, tail=good)
        for name, path in inputs.items():
            mb, code, summary = peak_mb(path, folder)
            print(
                f"{name:10} {path.stat().st_size:>14,} bytes  exit {code}  peak RSS {mb:7.0f} MB  {summary}"
            )
            for leftover in (folder / f"{path.stem}.duckdb", folder / f"{path.stem}.duckdb.wal"):
                leftover.unlink(missing_ok=True)
            if name.startswith("big"):
                path.unlink()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
