"""Knowledge as data: countries, organisations, people, sectors, patterns, ontology."""

from .known_actors import Knowledge

__all__ = ["Knowledge"]
