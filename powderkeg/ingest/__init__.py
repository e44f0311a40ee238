"""Files, feeds and web pages in; Article records (or quarantine entries) out."""

from .files import read_paths

__all__ = ["read_paths"]
