"""Knowledge as data: countries, organisations, people, sectors, patterns, ontology."""

from .actors import Knowledge

__all__ = ["Knowledge"]
