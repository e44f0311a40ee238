"""spaCy components and rules: Article -> Doc -> Event."""

from .nlp import load_nlp

__all__ = ["load_nlp"]
