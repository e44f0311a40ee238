"""Training the event-type model (``make train``), and cross-fitting: a gold record the
shipped model was trained on is scored by a model that never saw it.

    python -m powderkeg.eval.learned [--eval-dir ../shared/eval] [--out FILE] [--no-dev]

builds ``powderkeg/learned/data/eventtype-1.npz`` from the written corpus and the
development sets (``learned/train.py``), parsed with the configured spaCy model.

The shipped model keeps a digest of every development text it was trained
on. When an evaluation codes such a text, it is coded instead with the model
trained exactly as the shipped one (same corpus, same seed) but without the
text's fold (``train.fold_of``: ``FOLDS`` folds by a hash of the text). The
fold models are built on first need from the development sets the shipped
model names (``meta["eval_dir"]``, relative to the repository, or
``POWDERKEG_EVAL_DIR``) and cached beside the feature cache, keyed by the
shipped model's bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..learned.model import EventTypeModel

REPO = Path(__file__).resolve().parents[2]


def eval_dir(model: EventTypeModel) -> Path:
    given = os.environ.get("POWDERKEG_EVAL_DIR") or model.meta.get("eval_dir") or "../shared/eval"
    path = Path(given)
    return path if path.is_absolute() else (REPO / path).resolve()


_KEYS: dict[int, str] = {}


def _key(model: EventTypeModel) -> str:
    if id(model) not in _KEYS:
        _KEYS[id(model)] = hashlib.sha256(model.to_bytes()).hexdigest()[:16]
    return _KEYS[id(model)]


_FOLDS: dict[str, tuple[EventTypeModel, ...]] = {}


def _fold_models(key: str, model: EventTypeModel) -> tuple[EventTypeModel, ...]:
    from ..extract.nlp import load_base
    from ..learned.train import build, default_cache, training_examples
    from ..settings import Settings

    folds = int(model.meta.get("folds") or 5)
    cache = default_cache().parent / f"eventtype-folds-{key}"
    paths = [cache / f"fold-{j}.npz" for j in range(folds)]
    if all(p.exists() for p in paths):
        return tuple(EventTypeModel.from_bytes(p.read_bytes()) for p in paths)
    where = eval_dir(model)
    if not where.is_dir():
        raise ConfigError(
            f"the event model was trained on development sets and cross-fitting needs them at {where}",
            remedy="set POWDERKEG_EVAL_DIR to the folder of the gold sets, or event_model = 'none'",
        )
    print(
        f"cross-fitting: training {folds} fold models of {model.name} (once; cached in {cache})",
        file=sys.stderr,
    )
    nlp = load_base(Settings())
    examples, _ = training_examples(where)
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for j, path in enumerate(paths):
        fold = build(examples, nlp, default_cache(), exclude_fold=j, folds=folds)
        path.write_bytes(fold.to_bytes())
        out.append(EventTypeModel.from_bytes(path.read_bytes()))
    return tuple(out)


def fold_models(model: EventTypeModel) -> tuple[EventTypeModel, ...]:
    key = _key(model)
    if key not in _FOLDS:
        _FOLDS[key] = _fold_models(key, model)
    return _FOLDS[key]


def groups(nlp, records: list[dict[str, Any]]) -> list[tuple[EventTypeModel, list[int]]] | None:
    """Which records to code with which fold model; None when the pipeline's model saw none."""
    from ..learned.train import fold_of

    typer = nlp.get_pipe("pk_eventtype") if "pk_eventtype" in nlp.pipe_names else None
    model = getattr(typer, "model", None)
    if model is None:
        return None
    seen = [i for i, r in enumerate(records) if model.has_seen(str(r.get("text") or ""))]
    if not seen:
        return None
    folds = fold_models(model)
    by_fold: dict[int, list[int]] = defaultdict(list)
    for i in seen:
        by_fold[fold_of(str(records[i].get("text") or ""), len(folds))].append(i)
    out = [(folds[j], idx) for j, idx in sorted(by_fold.items())]
    rest = sorted(set(range(len(records))) - set(seen))
    if rest:
        out.append((model, rest))
    return out


def train(given: str | None, cache: Path | None) -> tuple[EventTypeModel, list[Any], list[dict]]:
    """The model ``make train`` ships, its examples and their sources: the written corpus and,
    unless ``given`` is None, the development sets in that folder (relative to the repository,
    and recorded so in the model's header, so the bytes do not depend on where it is run)."""
    from ..extract.nlp import load_base
    from ..learned.train import build, training_examples
    from ..settings import Settings

    folder = None if given is None else (Path(given) if Path(given).is_absolute() else REPO / given)
    examples, sources = training_examples(folder)
    model = build(examples, load_base(Settings()), cache)
    model.meta["sources"] = sources
    model.meta["eval_dir"] = given
    return model, examples, sources


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--eval-dir",
        default="../shared/eval",
        help="the development sets (gold JSONL); a relative path is read from the repository",
    )
    parser.add_argument("--no-dev", action="store_true", help="train on the written corpus alone")
    parser.add_argument("--out", default=None, help="default: the packaged artefact")
    args = parser.parse_args(argv)
    from ..learned.train import ARTEFACT, default_cache

    started = time.perf_counter()
    model, examples, sources = train(None if args.no_dev else args.eval_dir, default_cache())
    data = model.to_bytes()
    out = Path(args.out or ARTEFACT)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    seconds = time.perf_counter() - started
    counts = ", ".join(f"{s['name']} {s['examples']}" for s in sources)
    print(
        f"{model.name}: {len(examples)} examples ({counts}), "
        f"{len(data) / 1e6:.2f} MB -> {out} in {seconds:.0f} s; sha256 {hashlib.sha256(data).hexdigest()[:16]}"
    )


if __name__ == "__main__":
    main()
