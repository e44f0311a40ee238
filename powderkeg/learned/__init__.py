"""A learned event-type layer beside the rule coder.

A linear classifier types each sentence with one PLOVER type and mode (or
``NONE``, no event) from hashed lemma and dependency features and the mean of
the spaCy model's own token vectors (``doc.tensor``). The coder asks it when
its rules find no event in a sentence, and to rank its own candidates when
they disagree (``extract/learned_events.py``).

  features.py   a sentence -> hashed feature ids and its mean token vector
  labels.py     the label space, and what each gold set's labels allow
  model.py      the classifier: load, predict, explain; MODEL_NAME, MODEL_VERSION
  component.py  the spaCy factory ``pk_eventtype`` (doc._.eventtype per sentence)
  corpus.py     the sentences the project wrote for training (corpus/*.toml)
  train.py      the training data, the fit (fixed seed) and the build

``extract/learned_events.py`` is how the coder uses it; ``eval/learned.py`` runs
``make train`` and the cross-fitting that ``make eval`` scores with.
"""
