"""The derive stage: what rules read from the records (targets, periods, programmes, themes)."""

from plan2rdf.derive.facts import Derived, ItemReading, derive, read_items
from plan2rdf.derive.programmes import Programme, abbreviation, programme_name
from plan2rdf.derive.targets import TargetItem, parse_items, parse_number
from plan2rdf.derive.themes import ThemeScheme
from plan2rdf.derive.themes import load as load_themes

__all__ = [
    "Derived",
    "ItemReading",
    "Programme",
    "TargetItem",
    "ThemeScheme",
    "abbreviation",
    "derive",
    "load_themes",
    "parse_items",
    "parse_number",
    "programme_name",
    "read_items",
]
