"""Knowledge as data: countries, organisations, people, sectors, patterns, ontology."""

from .known_actors import Knowledge
from .rules import Rules, load_rules

__all__ = ["Knowledge", "Rules", "load_rules"]
