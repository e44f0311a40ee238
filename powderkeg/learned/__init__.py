"""A learned event-type layer beside the rule coder.

A linear classifier types each sentence with one PLOVER type and mode (or
``NONE``, no event) from hashed lemma and dependency features and the mean of
the spaCy model's own token vectors (``doc.tensor``). The coder asks it when
its rules find no event in a sentence, and to rank its own candidates when
they disagree (see ``extract/coder.py`` and ``extract/primary.py``).

  features.py   a sentence -> hashed feature ids and its mean token vector
  labels.py     the label space, and what each gold set's labels allow
  model.py      the classifier: load, predict, explain; MODEL_NAME, MODEL_VERSION
  component.py  the spaCy factory ``pk_eventtype`` (doc._.eventtype per sentence)
  corpus.py     the sentences the project wrote for training (corpus/*.toml)
  train.py      ``make train``: data, training with a fixed seed, k-fold cross-fitting
"""
