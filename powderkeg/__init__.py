"""powderkeg: news in, coded political events with their evidence out.

>>> from powderkeg import Pipeline, Store
>>> with Store("powderkeg.duckdb") as store:
...     Pipeline().run(["articles/"], store)
"""

from .errors import PowderkegError
from .pipeline import Pipeline, RunSummary
from .records import Actor, Article, Event, Numbers, Place, Quarantined, Sentence
from .settings import Settings
from .store import EventQuery, Store

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Event",
    "EventQuery",
    "Numbers",
    "Pipeline",
    "Place",
    "PowderkegError",
    "Quarantined",
    "RunSummary",
    "Sentence",
    "Settings",
    "Store",
    "__version__",
]
