"""DuckDB schema, writes and queries."""

from .duckdb import Counts, Store
from .filters import EventQuery, Filters

__all__ = ["Counts", "EventQuery", "Filters", "Store"]
