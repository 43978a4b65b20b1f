"""gklint: a compliance linter for 政府信息公开工作年度报告.

The public plugin API: :data:`hookimpl`, :data:`API_VERSION`, the model
(:mod:`gklint.model`), findings (:mod:`gklint.findings`) and rules
(:mod:`gklint.rule`).  For programs (a CMS with a Python side): :func:`lint_text`,
:func:`lint_path`, :func:`publishable` and the reusable :class:`Linter`
(see ``docs/integration.md``).  Importing :mod:`gklint` is cheap; heavy modules load
on first use.
"""

from __future__ import annotations

from typing import Any

import pluggy

from gklint._version import __version__

#: Major version of the plugin API (hooks, model, findings, data-file schema).
API_VERSION = "1"

hookimpl = pluggy.HookimplMarker("gklint")
"""Marker for hook implementations in gklint plugins."""

__all__ = ["API_VERSION", "Linter", "__version__", "hookimpl", "lint_path", "lint_text", "publishable"]


def __getattr__(name: str) -> Any:
    if name in ("Linter", "lint_path", "lint_text", "publishable"):
        from gklint import api

        return getattr(api, name)
    raise AttributeError(name)
