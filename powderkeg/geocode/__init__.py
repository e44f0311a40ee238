"""Place mentions -> Place records, and the choice of an event's location."""

from .gazetteer import Gazetteer
from .locate import event_place

__all__ = ["Gazetteer", "event_place"]
