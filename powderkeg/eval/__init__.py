"""Scoring against gold sets."""
