"""The page models: what a template shows, read from the graph, independent of the page's location.

Frozen dataclasses built by ``views`` and ``charts``; the templates turn an IRI into a URL relative
to their own page. ``Page``, ``SiteFile`` and ``SiteReport`` say what the site is made of.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan2rdf.i18n import Text


@dataclass(frozen=True)
class Label:
    ja: str
    en: str | None = None


@dataclass(frozen=True)
class Ref:
    """A link to a resource: the template turns ``iri`` into a URL relative to its own page."""

    iri: str
    label: Label


@dataclass(frozen=True)
class Value:
    """One object of a triple as shown: a link (``iri``) or a literal with its language."""

    text: str
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None


@dataclass(frozen=True)
class Count:
    ref: Ref
    count: int


@dataclass(frozen=True)
class MeasureRow:
    iri: str
    identifier: str
    title: str
    is_new: bool
    direction: Ref | None
    repost_of: Ref | None
    units: tuple[Ref, ...]


@dataclass(frozen=True)
class BaselineView:
    iri: str
    value: str | None
    unit: str | None
    qualifiers: tuple[str, ...]
    value_label: str | None
    as_of: Ref | None


@dataclass(frozen=True)
class TargetView:
    iri: str
    anchor: str
    number: str
    text: str  # the item's verbatim text: the plan's words
    value: str | None  # everything below is derived
    unit: str | None
    qualifiers: tuple[str, ...]
    value_label: str | None
    period: Ref | None
    baselines: tuple[BaselineView, ...]


@dataclass(frozen=True)
class IndicatorView:
    iri: str
    source_text: str
    lines: tuple[str, ...]
    targets: tuple[TargetView, ...]


@dataclass(frozen=True)
class UnitLine:
    department: Ref
    divisions: tuple[Ref, ...]


@dataclass(frozen=True)
class ThemeUse:
    theme: Ref
    fields: tuple[str, ...]
    texts: tuple[str, ...]
    rules: tuple[Ref, ...]


@dataclass(frozen=True)
class ChangeLine:
    """One field of a measure as it was in the older edition and as it is in the newer one."""

    field: Label
    before: tuple[str, ...]
    after: tuple[str, ...]
    derived: bool = False


@dataclass(frozen=True)
class Revision:
    """The same measure in the previous or the next edition (``prov:wasRevisionOf``, derived) and
    what changed from the older of the two to the newer."""

    measure: Ref
    identifier: str
    edition: Ref | None
    changes: tuple[ChangeLine, ...]


@dataclass(frozen=True)
class SourcePlace:
    """Where a measure was read: a line of a text export, a row of a CSV file or of a named sheet."""

    line: str
    rows: bool = False  # a spreadsheet's row (CSV, XLSX), not a line of text
    sheet: str | None = None  # the worksheet, for a workbook


@dataclass(frozen=True)
class MeasureView:
    row: MeasureRow
    summary: tuple[str, ...]
    summary_source: str | None
    title_source: str | None
    unit_source: str | None
    units: tuple[UnitLine, ...]
    reposts: tuple[Ref, ...]
    programme: Ref | None
    themes: tuple[ThemeUse, ...]
    alt_labels: tuple[str, ...]
    indicator: IndicatorView | None
    source: SourcePlace | None
    plan: Ref | None
    previous: Revision | None = None
    next: Revision | None = None


@dataclass(frozen=True)
class EditionSummary:
    """One edition as the site's home lists it."""

    ref: Ref
    fiscal_year: Ref | None
    measures: int
    new: int
    reposts: int
    targets: int
    valued: int  # target items with a value read from them (derived)


@dataclass(frozen=True)
class PerEdition:
    """A shared resource's page (department, division, direction, theme…): one model per edition
    that has measures in it, newest first; ``single`` when the site shows one edition."""

    first: Any
    editions: tuple[tuple[Ref, Any], ...]
    single: bool


@dataclass(frozen=True)
class DirectionSummary:
    ref: Ref
    notation: str
    definition: str | None
    entries: int
    originals: int
    new: int
    reposts: int


@dataclass(frozen=True)
class Counts:
    measures: int
    originals: int
    new: int
    reposts: int
    departments: int
    divisions: int
    programmes: int
    themes: int


@dataclass(frozen=True)
class Download:
    name: str
    path: str  # site path
    title: Label
    media_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class PlanView:
    iri: str
    title: Label
    description: str | None
    publisher: Ref | None
    temporal: Ref | None
    based_on: Ref | None
    scheme: Ref | None
    counts: Counts
    directions: tuple[DirectionSummary, ...]
    departments: tuple[Count, ...]
    programmes: tuple[Count, ...]
    themes: tuple[Count, ...]
    downloads: tuple[Download, ...]
    editions: tuple[EditionSummary, ...] = ()  # every edition of the site, newest first
    charts: Any = None  # the edition's Charts


@dataclass(frozen=True)
class SiteHome:
    """The site's home: its editions, newest first, and a chart of their measures and targets."""

    title: Label
    editions: tuple[EditionSummary, ...]
    chart: Any  # a BarChart
    latest: PlanView


@dataclass(frozen=True)
class DownloadsView:
    editions: tuple[tuple[Ref, tuple[Download, ...]], ...]  # newest first
    vocabulary: tuple[Download, ...]
    charts: tuple[str, ...]  # site paths of the standalone SVG charts


@dataclass(frozen=True)
class DirectionView:
    ref: Ref
    notation: str
    definition: str | None
    scheme: Ref | None
    measures: tuple[MeasureRow, ...]
    departments: tuple[Count, ...]


@dataclass(frozen=True)
class UnitView:
    ref: Ref
    kind: str  # "prefecture", "department" or "division"
    parent: Ref | None
    identifier: str | None
    spatial: str | None
    children: tuple[Count, ...]
    measures: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class GroupView:
    """A programme or theme (or a concept scheme): what it is and the measures in it."""

    ref: Ref
    kind: str
    notation: str | None
    description: str | None
    derived_by: tuple[Ref, ...]
    rules: tuple[tuple[Ref, str, tuple[str, ...]], ...]  # theme rules: (rule, pattern, fields)
    members: tuple[Count, ...]  # a scheme's concepts and their measures
    measures: tuple[MeasureRow, ...]
    evidence: Mapping[str, ThemeUse]  # measure IRI → why it has the theme


@dataclass(frozen=True)
class PropertyRow:
    predicate: str
    name: str  # compact name (p2r:hasTarget)
    label: Label | None
    derived: bool
    values: tuple[Value, ...]


@dataclass(frozen=True)
class ResourceView:
    ref: Ref
    types: tuple[Value, ...]
    properties: tuple[PropertyRow, ...]
    inbound: tuple[tuple[str, Ref], ...]  # (compact predicate, subject)
    part_of: Ref | None
    derived: bool


@dataclass(frozen=True)
class Term:
    local: str
    name: str
    kind: str
    label: Label
    comment: Label
    derived: bool
    relations: tuple[tuple[str, tuple[Value, ...]], ...]


@dataclass(frozen=True)
class AlignmentRow:
    """One mapping of a term of the graph to IMI 共通語彙基盤: ``dcterms:title`` skos:closeMatch ``ic:名称``."""

    term: Value
    relation: str  # the SKOS mapping property, prefixed: skos:closeMatch, skos:exactMatch…
    imi_term: Value
    comment: Label
    imi_version: str


@dataclass(frozen=True)
class OntologyView:
    iri: str
    title: Label
    description: Label
    version: str | None
    sections: tuple[tuple[Label, tuple[Term, ...]], ...]
    alignment: tuple[AlignmentRow, ...] = ()


@dataclass(frozen=True)
class QueryTable:
    """One canned query as the catalogue page shows it (see ``query_tables``)."""

    name: str
    title: Label
    description: str
    tags: tuple[str, ...]
    sparql: str
    file: str
    parameters: tuple[tuple[str, str, str], ...]  # (name, value used, meaning)
    columns: tuple[tuple[str, str], ...]  # (name, meaning)
    header: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    error: str | None = None


@dataclass(frozen=True)
class ChartCell:
    x: str
    y: str
    tx: str  # where the count is written
    ty: str
    count: int
    fill: str
    ink: str
    title: str
    href_iri: str


@dataclass(frozen=True)
class ChartText:
    x: str
    y: str
    text: str
    lang: str = "ja"
    iri: str | None = None
    anchor: str = "start"
    lines: tuple[tuple[str, str], ...] = ()  # a wrapped label: (dy, text) of each line after the first


@dataclass(frozen=True)
class HeatMap:
    width: str
    height: str
    cell_w: str
    cell_h: str
    rows: tuple[ChartText, ...]
    columns: tuple[ChartText, ...]
    cells: tuple[ChartCell, ...]
    legend: tuple[ChartText, ...]
    scale: tuple[tuple[str, str, str, str, str, str], ...]  # (x, fill, ink, label, text x, text y)
    scale_y: str
    table_rows: tuple[tuple[Ref, tuple[int, ...], int], ...]
    table_columns: tuple[Ref, ...]


@dataclass(frozen=True)
class Bar:
    label: ChartText
    x: str
    y: str
    width: str
    count: int
    value: ChartText
    ref: Ref
    fill: str = "#3182bd"


@dataclass(frozen=True)
class BarChart:
    width: str
    height: str
    bar_h: str
    bars: tuple[Bar, ...]
    axis_x: str
    axis_y2: str


@dataclass(frozen=True)
class Edge:
    x1: str
    y1: str
    x2: str
    y2: str
    stroke: str
    title: str


@dataclass(frozen=True)
class Node:
    cx: str
    cy: str
    r: str
    label: ChartText
    ref: Ref
    title: str
    side: str


@dataclass(frozen=True)
class Network:
    width: str
    height: str
    edges: tuple[Edge, ...]
    nodes: tuple[Node, ...]
    table: tuple[tuple[Ref, Ref, int], ...]


@dataclass(frozen=True)
class Charts:
    """One edition's charts; ``plan`` is its IRI and ``folder`` where its standalone SVGs are."""

    heatmap: HeatMap
    bars: BarChart
    network: Network
    plan: Ref | None = None
    folder: str = "charts"


@dataclass(frozen=True)
class SiteCharts:
    """The site's charts: measures and targets per edition, then each edition's own, newest first."""

    editions: BarChart
    per_edition: tuple[Charts, ...]


@dataclass
class Page:
    path: str  # site path without ".html"
    template: str
    title: Label
    data: Any
    resource: str | None = None  # the IRI the page describes: JSON-LD embedded, .ttl/.jsonld beside
    jsonld: str | None = None


@dataclass(frozen=True)
class SiteFile:
    path: str
    size: int
    kind: str  # "page", "rdf", "download", "static", "config"


@dataclass
class SiteReport:
    """What ``build_site`` wrote."""

    out_dir: Path
    files: list[SiteFile] = field(default_factory=list)
    resources: int = 0
    warnings: list[Text] = field(default_factory=list)  # in both languages: the CLI prints one
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(1 for f in self.files if f.kind == "page")

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class Nav:
    """The navigation bar of every page."""

    items: tuple[tuple[str, Label], ...]  # (site path of the page or IRI of a resource, its name)


@dataclass(frozen=True)
class SiteEdition:
    """An edition a site was built from, as its marker file records it."""

    plan: str  # the plan's site path, e.g. fukushima-ict/2021
    source: str  # the source file as given to `plan2rdf site` (may be empty)
