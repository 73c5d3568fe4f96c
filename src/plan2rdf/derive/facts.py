"""The derive stage: what the plan implies but does not state, read by rules from its text.

Targets (numbers, units, qualifiers, periods, baselines) come from targets.py, programmes and
abbreviations from programmes.py, technology themes from themes.py. The graph marks all of it
as derived (docs/vocabulary.md, "Derived facts").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plan2rdf.derive.programmes import Programme, abbreviation, programmes
from plan2rdf.derive.targets import TargetItem, parse_items
from plan2rdf.derive.themes import ThemeMatch, ThemeScheme, match
from plan2rdf.model import Plan


@dataclass(frozen=True)
class ItemReading:
    """What the rules read from one item of an indicator."""

    number: int  # the item's position in its cell, from 1
    text: str
    targets: tuple[TargetItem, ...]
    baselines: tuple[TargetItem, ...]


@dataclass(frozen=True)
class Derived:
    items: dict[str, tuple[ItemReading, ...]] = field(default_factory=dict)
    programmes: tuple[Programme, ...] = ()
    abbreviations: dict[str, str] = field(default_factory=dict)
    themes: dict[str, tuple[ThemeMatch, ...]] = field(default_factory=dict)
    theme_scheme: ThemeScheme | None = None


def read_items(items: tuple[str, ...], *, fiscal_year: int | None) -> tuple[ItemReading, ...]:
    readings = []
    for n, text in enumerate(items, 1):
        found = parse_items([text], plan_fiscal_year=fiscal_year)
        readings.append(
            ItemReading(
                number=n,
                text=text,
                # a milestone (no number, a period) is a target too: 「令和6年度を目安に…」 → FY2024
                targets=tuple(t for t in found if t.role == "target" and (t.value is not None or t.period)),
                baselines=tuple(t for t in found if t.role == "baseline" and t.value is not None),
            )
        )
    return tuple(readings)


def derive(plan: Plan, *, themes: ThemeScheme | None = None) -> Derived:
    """Everything the rules read from ``plan``."""
    fy = plan.info.fiscal_year
    return Derived(
        items={m.identifier: read_items(m.indicator.items, fiscal_year=fy) for m in plan.measures},
        programmes=tuple(programmes(plan)),
        abbreviations={m.identifier: a for m in plan.measures if (a := abbreviation(m.title))},
        themes={m.identifier: tuple(match(m, themes)) for m in plan.measures} if themes else {},
        theme_scheme=themes,
    )
