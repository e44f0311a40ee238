"""DuckDB schema, writes and queries."""

from .duckdb import Counts, EventQuery, Store

__all__ = ["Counts", "EventQuery", "Store"]
