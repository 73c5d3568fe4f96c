"""The optional pyoxigraph engine: imported on first use, with a clear message when it is missing."""

from __future__ import annotations

from typing import Any

from plan2rdf.i18n import Text
from plan2rdf.problems import ActionableError


class EngineMissing(ActionableError):
    """The optional engine is not installed."""


def require_oxigraph() -> Any:
    """The pyoxigraph module; EngineMissing (saying how to install it) when it is not installed."""
    try:
        import pyoxigraph
    except ImportError:
        raise EngineMissing(
            Text(
                ja="oxigraph エンジンには pyoxigraph が必要です: pip install 'plan2rdf[oxigraph]'（または --engine "
                "rdflib）",
                en="the oxigraph engine needs pyoxigraph: pip install 'plan2rdf[oxigraph]' (or use --engine rdflib)",
            )
        ) from None
    return pyoxigraph
