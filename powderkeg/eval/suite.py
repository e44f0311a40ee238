"""Every dev set in one run: ``python -m powderkeg.eval.suite SHARED_EVAL_DIR [OUT.json]``.

Runs each kind in ``KINDS`` on its file in the shared eval folder, prints
each report (every figure for the whole set and for its "look" and
"confirm" halves) and writes them all to OUT (default eval-report.json). A kind
whose module is not installed, or whose file is missing, is skipped with a
message rather than failing the run.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from . import KINDS, evaluator
from .dates import DEFAULT_SET as DATES
from .report import Report, format_report

#: report name -> (kind, file); the geocoding sets share the kind ``geo``
DEV_SETS = {
    "seed": ("seed", "seed_gold.json"),
    "seed_brief": ("seed_brief", "seed_brief_gold.json"),
    "plover": ("plover", "plover_gsr.jsonl"),
    "fiveway": ("fiveway", "conflibert_cameo_train.jsonl"),
    "case2021": ("case2021", "case2021_task2_test.jsonl"),
    "petrarch": ("petrarch", "petr_unittest.jsonl"),
    "geo": ("geo", "geo_geovirus.jsonl"),
    "geo_lgl": ("geo", "geo_lgl.jsonl"),
    "geo_geowebnews": ("geo", "geo_geowebnews.jsonl"),
    "actors": ("actors", "ngec_actor_cases.json"),
    "dates": ("dates", DATES),  # the project's own set, packaged (an absolute path: not under the folder)
    "india_police": ("india_police", "india_police_sents.jsonl"),
    "fiveway_lower": ("fiveway_lower", "conflibert_cameo_train.jsonl"),
    "plover_lower": ("plover_lower", "plover_gsr.jsonl"),
}
#: lower-cased kind -> the kind that scores its set as written: its report on the same file is
#: handed over, so the sentences as written are coded once (``eval/messy.py``)
AS_WRITTEN = {"fiveway_lower": "fiveway", "plover_lower": "plover"}


def run(folder: Path, out: Path) -> dict[str, Any]:
    from ..pipeline import Pipeline

    pipeline = Pipeline()
    results: dict[str, Any] = {"reports": {}, "skipped": {}}
    made: dict[tuple[str, Path], Report] = {}
    for label, (kind, name) in DEV_SETS.items():
        path = folder / name
        try:
            evaluate = evaluator(kind) if kind in KINDS else None
        except ModuleNotFoundError as exc:
            evaluate, why = None, f"module {exc.name} not installed"
        else:
            why = "not a registered kind"
        if evaluate is None or not path.exists():
            results["skipped"][label] = why if evaluate is None else f"{path} not found"
            print(f"skip {label}: {results['skipped'][label]}", file=sys.stderr)
            continue
        started = time.perf_counter()
        if kind in AS_WRITTEN:
            made[kind, path] = evaluate(path, pipeline, cased=made.get((AS_WRITTEN[kind], path)))
        else:
            made[kind, path] = evaluate(path, pipeline)
        report = made[kind, path].to_dict()
        report["seconds"] = round(time.perf_counter() - started, 1)
        results["reports"][label] = report
        print(format_report(report) + f"\n  ({report['seconds']} s)\n", flush=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return results


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    folder = Path(args[0] if args else "../shared/eval")
    run(folder, Path(args[1] if len(args) > 1 else "eval-report.json"))


if __name__ == "__main__":
    main()
