"""The citations (GK4) family's data: built and validated once at load time (``gklint_validate_data``)."""

from __future__ import annotations

from gklint import hookimpl
from gklint.data import StandardData
from gklint.national.citations.registry import registry


@hookimpl
def gklint_validate_data(data: StandardData) -> list[str]:
    """Validate this family's data once at load time; return the data keys it owns."""
    registry(data)
    return ["citations", "citation_issuers", "citation_patterns"]
