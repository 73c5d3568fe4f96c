"""Typed records of an action plan, as read from any source format.

Records compare equal when they say the same thing, whatever format they were read from:
source locations (line or row numbers) are kept for messages but excluded from comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plan2rdf.problems import Problem


@dataclass(frozen=True)
class Cell:
    """One table cell: verbatim as published, its clean text (no markup) and its items."""

    verbatim: str
    text: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Responsibility:
    """The 部局等名 担当課 cell: one department and zero or more divisions."""

    verbatim: str
    department: str
    divisions: tuple[str, ...]


@dataclass(frozen=True)
class Direction:
    """A 施策の展開方向: number, name and its ～…～ subtitle."""

    number: int
    name: str
    subtitle: str | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Note:
    """A cell of a column no ``[columns]`` key names, kept verbatim with its header (予算額: 1,200千円).
    ``number`` is the column's position among the sheet's unnamed columns, from 1."""

    number: int
    header: str
    text: str


@dataclass(frozen=True)
class Measure:
    """One entry (施策) of the plan. ``number`` is its 整理番号 within the direction, or, where the
    sheet numbers entries its own way (「1-(2)-3」, given in ``given_identifier``), its position there."""

    direction: int
    number: int
    is_new: bool
    title: str
    title_verbatim: str
    summary: Cell
    indicator: Cell
    responsibility: Responsibility
    repost_of: str | None = None
    line: int | None = field(default=None, compare=False)
    given_identifier: str | None = None  # the sheet's own number, verbatim, when not 1, 2, 3…
    notes: tuple[Note, ...] = ()

    @property
    def identifier(self) -> str:
        """The public identifier: ``direction-number`` (``1-6``), or the sheet's own (``1-(2)-3``)."""
        return self.given_identifier or f"{self.direction}-{self.number}"

    @property
    def is_repost(self) -> bool:
        return self.repost_of is not None


@dataclass(frozen=True)
class Publisher:
    name: str
    name_en: str | None = None
    slug: str | None = None
    lg_code: str | None = None
    area_code: str | None = None
    base_iri: str | None = None  # where the publisher hosts its IRIs (sidecar [publisher] base_iri)


@dataclass(frozen=True)
class PlanInfo:
    """Edition metadata: partly from the source itself, partly from its sidecar file."""

    title: str
    description: str | None = None
    title_en: str | None = None
    series: str | None = None
    edition: str | None = None
    fiscal_year: int | None = None
    parent_plan: str | None = None
    parent_plan_en: str | None = None
    landing_page: str | None = None
    download_url: str | None = None
    issued: str | None = None
    publisher: Publisher | None = None
    direction_names_en: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Source:
    """The file a plan was read from."""

    path: str
    format: str
    encoding: str | None
    sha256: str
    size: int
    sheet: str | None = None  # the worksheet read, for an XLSX workbook (a CSV has none)


@dataclass(frozen=True)
class Plan:
    info: PlanInfo
    directions: tuple[Direction, ...]
    measures: tuple[Measure, ...]
    source: Source | None = field(default=None, compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    def measure(self, identifier: str) -> Measure:
        for m in self.measures:
            if m.identifier == identifier:
                return m
        raise KeyError(identifier)

    def direction(self, number: int) -> Direction:
        for d in self.directions:
            if d.number == number:
                return d
        raise KeyError(number)
