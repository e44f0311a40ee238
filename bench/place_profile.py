"""Place resolution's share of extraction time, measured with cProfile.

    python bench/place_profile.py [--copies 4]

Runs powderkeg's extraction pipeline (``nlp.pipe`` with every component, as
``powderkeg run`` codes articles) over the demo corpus ``--copies`` times
under cProfile, after one warm-up pass (model and gazetteer loading are not
extraction), and prints the cumulative time of the ``pk_places`` component
(``geocode_doc``: finding the toponyms and resolving them together) against
the whole pass. Issue 13 allows place resolution 15% of extraction time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
from pathlib import Path

from powderkeg import Settings
from powderkeg.extract import load_nlp

DEMO = Path(__file__).resolve().parent.parent / "powderkeg" / "demo" / "corpus"


def share(copies: int) -> tuple[float, float]:
    """(seconds in ``geocode_doc``, seconds of the whole extraction) over ``copies`` of the corpus."""
    settings = Settings()
    nlp = load_nlp(settings)
    texts = [p.read_text("utf-8") for p in sorted(DEMO.glob("*.txt"))]
    for _ in nlp.pipe(texts[:2]):  # warm-up: lazy loads belong to start-up, not to extraction
        pass
    profile = cProfile.Profile()
    profile.enable()
    for _ in nlp.pipe(texts * copies, batch_size=settings.batch_size):
        pass
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    places = sum(
        row[3]  # cumulative time
        for (path, _, func), row in stats.stats.items()  # type: ignore[attr-defined]
        if func == "geocode_doc" and path.endswith("toponyms.py")
    )
    return places, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="passes over the demo corpus")
    args = parser.parse_args()
    places, total = share(args.copies)
    print(
        f"extraction {total:.2f} s, place resolution (geocode_doc) {places:.2f} s: {100 * places / total:.1f}%"
    )


if __name__ == "__main__":
    main()
