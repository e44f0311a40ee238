"""docs/codebook.md is what `powderkeg codebook` generates from the data files: never stale."""

from __future__ import annotations

from pathlib import Path

from powderkeg.cli.codebook import render
from powderkeg.knowledge.ontology import EVENT_TYPES, type_modes
from powderkeg.records import FACTUALITY

CODEBOOK = Path(__file__).resolve().parent.parent / "docs" / "codebook.md"


def test_the_codebook_is_not_stale():
    assert CODEBOOK.read_text("utf-8") == render(), (
        "docs/codebook.md is stale: run `powderkeg codebook --out docs/codebook.md` and commit it"
    )


def test_the_codebook_covers_every_type_mode_sector_and_factuality():
    text = render()
    for type_ in EVENT_TYPES:
        assert f"| `{type_}` |  |" in text
        for mode in type_modes()[type_]:
            assert f"| `{type_}` | `{mode}` |" in text
    for value in FACTUALITY:
        assert f"| `{value}` |" in text
    sectors = Path(__file__).resolve().parent.parent / "powderkeg" / "knowledge" / "data" / "sector_codes.tsv"
    codes = [ln.split("\t")[0] for ln in sectors.read_text("utf-8").splitlines()[1:] if ln and ln[0] != "#"]
    assert all(f"| `{c}` |" in text for c in codes if c != "code")
