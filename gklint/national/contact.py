"""Placeholder plugin module (being written)."""

from __future__ import annotations

from gklint import hookimpl


@hookimpl
def gklint_rules() -> list:
    return []
