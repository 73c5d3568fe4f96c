"""The optional pyoxigraph engine: imported on first use, with a clear message when it is missing."""

from __future__ import annotations

from typing import Any

from plan2rdf.i18n import Text
from plan2rdf.problems import ActionableError


class EngineMissing(ActionableError):
    """The optional engine is not installed."""


ENGINE_NEEDS = Text(
    ja="oxigraph エンジンには pyoxigraph が必要です: pip install 'plan2rdf[oxigraph]'（または --engine rdflib）",
    en="the oxigraph engine needs pyoxigraph: pip install 'plan2rdf[oxigraph]' (or use --engine rdflib)",
)
# A store is only ever read by Oxigraph: no other engine can stand in for it.
STORE_NEEDS = Text(
    ja="--store のストアを読むには pyoxigraph が必要です: pip install 'plan2rdf[oxigraph]'",
    en="reading a --store needs pyoxigraph: pip install 'plan2rdf[oxigraph]'",
)


def require_oxigraph(*, store: bool = False) -> Any:
    """The pyoxigraph module; EngineMissing (saying how to install it) when it is not installed.
    ``store``: it is wanted to read a store, for which ``--engine rdflib`` is no way out."""
    try:
        import pyoxigraph
    except ImportError:
        raise EngineMissing(STORE_NEEDS if store else ENGINE_NEEDS) from None
    return pyoxigraph
