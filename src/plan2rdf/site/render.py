"""The site stage: the graph as a static publication site whose URLs mirror the IRIs.

A resource with IRI ``{base}{path}`` is served at ``{path}.html``, with its own description at
``{path}.ttl`` and ``{path}.jsonld``; hosted at the base IRI (with the generated .htaccess or nginx
snippet for content negotiation) every IRI dereferences. Everything on a page is read from the graph
(never from the read stage's records); pages and pictures are jinja2 templates with autoescape.

``render_site`` returns every file as bytes (deterministic: sorted, no timestamps); ``build_site``
writes them, replacing an earlier site in one rename; ``site_of`` does a plan from source to site.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SKOS, TIME, VOID, XSD

from plan2rdf.problems import InputError, Problem
from plan2rdf.rdfio.writers import jsonld, natural_key, turtle
from plan2rdf.version import __version__
from plan2rdf.vocab import CC_BY_4, ORG, P2R, PREFIXES, SCHEMA, SPDX

if TYPE_CHECKING:
    from plan2rdf.model import Plan

# Names at the site's root that are the site's own, not resources: a plan whose IRIs would use one
# of them is refused (see _check_collisions) rather than silently overwritten.
SITE_NAMES = frozenset(
    {"index", "downloads", "queries", "ontology", "charts", "static", "nginx", "context", ".htaccess"}
)
MARKER = ".plan2rdf-site"  # marks a directory this module wrote, so rebuilding may replace it

# Resources that are part of another one (a measure's indicator and targets, a dataset's
# distributions…): their triples are included in the owner's description; they get a page too.
DEPENDENT_TYPES = frozenset(
    {P2R.Indicator, P2R.Target, P2R.Baseline, P2R.ThemeAssignment, P2R.DerivationRule, SPDX.Checksum, DCAT.Distribution}
)
# Derived predicates that are not ours (docs/vocabulary.md, "Derived facts").
EXTERNAL_DERIVED = frozenset({SCHEMA.value, SCHEMA.unitText, SKOS.altLabel})
MEDIA_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "csv": "text/csv",
}
_SEGMENT = r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*"
_PATH_RE = re.compile(rf"^{_SEGMENT}(/{_SEGMENT})*$")
_CONF_PATH_RE = re.compile(r"^/[A-Za-z0-9._~/-]*$")


# ---------------------------------------------------------------------------------------------
# Page models: what a template shows, read from the graph, independent of the page's location.


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
    source_line: str | None
    plan: Ref | None


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
class OntologyView:
    iri: str
    title: Label
    description: Label
    version: str | None
    sections: tuple[tuple[Label, tuple[Term, ...]], ...]


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
    heatmap: HeatMap
    bars: BarChart
    network: Network


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
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(1 for f in self.files if f.kind == "page")

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


# ---------------------------------------------------------------------------------------------
# Reading the graph


def _term_key(term) -> tuple:
    if isinstance(term, URIRef):
        return (0, natural_key(str(term)), "")
    if isinstance(term, Literal):
        return (1, natural_key(str(term)), f"{term.language or ''}|{term.datatype or ''}")
    return (2, (str(term),), "")


class _Index:
    """The graph as dictionaries: subject → predicate → sorted objects, and inbound links."""

    def __init__(self, triples: Iterable[tuple]):
        out: dict = defaultdict(lambda: defaultdict(set))
        inbound: dict = defaultdict(set)
        for s, p, o in triples:
            out[s][p].add(o)
            if isinstance(o, URIRef):
                inbound[o].add((s, p))
        self.out = {s: {p: sorted(objs, key=_term_key) for p, objs in preds.items()} for s, preds in out.items()}
        self.inbound = {
            o: sorted(links, key=lambda sp: (_term_key(sp[1]), _term_key(sp[0]))) for o, links in inbound.items()
        }

    def all(self, s, p) -> list:
        return self.out.get(s, {}).get(p, [])

    def one(self, s, p):
        values = self.all(s, p)
        return values[0] if values else None

    def refs(self, s, p) -> list[URIRef]:
        return [o for o in self.all(s, p) if isinstance(o, URIRef)]

    def has_type(self, s, cls) -> bool:
        return cls in self.out.get(s, {}).get(RDF.type, ())

    def subjects(self, p, o) -> list[URIRef]:
        return [s for s, q in self.inbound.get(o, ()) if q == p]

    def of_type(self, cls) -> list[URIRef]:
        return self.subjects(RDF.type, cls)

    def text(self, s, p, lang: str | None = "ja") -> str | None:
        """The literal in ``lang``; for Japanese, a literal without a language will do."""
        values = [o for o in self.all(s, p) if isinstance(o, Literal)]
        for o in values:
            if o.language == lang:
                return str(o)
        if lang == "ja":
            for o in values:
                if not o.language:
                    return str(o)
        return None

    def label(self, s) -> Label:
        for p in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
            ja, en = self.text(s, p, "ja"), self.text(s, p, "en")
            if ja or en:
                return Label(ja or en or "", en if ja else None)
        for p in (DCTERMS.identifier, TIME.inXSDDate, SKOS.notation):
            text = self.text(s, p, None) or self.text(s, p)
            if text:
                return Label(text)
        return Label(_short(str(s)))

    def ref(self, s) -> Ref:
        return Ref(str(s), self.label(s))


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri.rstrip("/").rsplit("/", 1)[-1] or iri


def compact(iri: str) -> str:
    """A prefixed name where a known namespace fits, else the IRI."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda x: -len(str(x[1]))):
        ns = str(namespace)
        if iri.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _decimal(text: str) -> str:
    """67000 → 67,000 (the value is shown as a number; the verbatim item stays beside it)."""
    try:
        return format(Decimal(text), ",")
    except (InvalidOperation, ValueError):
        return text


# ---------------------------------------------------------------------------------------------
# Layout: which IRI is served where


class Layout:
    """Maps IRIs under the base to site paths, and resolves links relative to a page."""

    def __init__(self, index: _Index, base: str):
        self.base = base
        self.pages: dict[str, str] = {}
        for s in index.out:
            path = self.path_of(str(s)) if isinstance(s, URIRef) else None
            if path is not None:
                self.pages[str(s)] = path
        self.owner: dict[str, str] = {}
        for iri in self.pages:
            if self._is_dependent(index, URIRef(iri)):
                parent = self._ancestor(iri)
                if parent is not None:
                    self.owner[iri] = parent
        self.files: set[str] = set()
        self.site_pages: set[str] = set()

    def path_of(self, iri: str) -> str | None:
        if not iri.startswith(self.base) or len(iri) == len(self.base):
            return None
        path = iri[len(self.base) :]
        return path if _PATH_RE.match(path) else None

    @staticmethod
    def _is_dependent(index: _Index, s: URIRef) -> bool:
        types = set(index.all(s, RDF.type))
        return bool(types & DEPENDENT_TYPES) or bool(index.all(s, VOID["class"]) or index.all(s, VOID.property))

    def _ancestor(self, iri: str) -> str | None:
        path = iri
        while "/" in path[len(self.base) :]:
            path = path.rsplit("/", 1)[0]
            if path in self.pages:
                return path
        return None

    def top_owner(self, iri: str) -> str:
        while iri in self.owner:
            iri = self.owner[iri]
        return iri

    def href(self, page: str, target: str) -> str:
        """``target`` (a site file path) relative to the page at ``page`` (a site path + .html).

        Both are clean relative paths, so this is posixpath.relpath without its normalisation
        (which dominated rendering time: every page has hundreds of links)."""
        here = page.split("/")[:-1]
        there = target.split("/")
        common = 0
        while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
            common += 1
        return "/".join([".."] * (len(here) - common) + there[common:])

    def url(self, page: str, iri: str) -> str:
        if iri in self.pages:
            return self.href(page, self.pages[iri] + ".html")
        path = self.path_of(iri)
        if path is not None and path in self.files:
            return self.href(page, path)
        if iri.startswith(str(P2R)):
            return self.href(page, "ontology.html") + "#" + iri[len(str(P2R)) :]
        return iri


# ---------------------------------------------------------------------------------------------
# Views


class _Views:
    """Builds the page models from the index."""

    def __init__(self, index: _Index, layout: Layout, derived_predicates: frozenset):
        self.ix = index
        self.layout = layout
        self.derived_predicates = derived_predicates
        self.prefectures = set(index.of_type(ORG.FormalOrganization))

    # organisations ---------------------------------------------------------------------------

    def is_department(self, unit) -> bool:
        parent = self.ix.one(unit, ORG.unitOf)
        return parent is None or parent in self.prefectures

    def departments_of(self, measure) -> dict[URIRef, list[URIRef]]:
        """Department → its divisions named by the measure (none when the department itself is)."""
        result: dict[URIRef, list[URIRef]] = {}
        for unit in self.ix.refs(measure, P2R.responsibleUnit):
            if self.is_department(unit):
                result.setdefault(unit, [])
            else:
                result.setdefault(self.ix.one(unit, ORG.unitOf), []).append(unit)
        return result

    # measures --------------------------------------------------------------------------------

    def measures(self) -> list[URIRef]:
        return sorted(self.ix.of_type(P2R.Measure), key=self.measure_key)

    def measure_key(self, m) -> tuple:
        direction = self.ix.one(m, P2R.direction)
        notation = self.ix.text(direction, SKOS.notation, None) if direction is not None else None
        number = self.ix.one(m, P2R.entryNumber)
        return (
            natural_key(notation or ""),
            int(number) if number is not None and str(number).isdigit() else 0,
            natural_key(str(m)),
        )

    def is_repost(self, m) -> bool:
        return self.ix.one(m, P2R.repostOf) is not None

    def row(self, m) -> MeasureRow:
        direction = self.ix.one(m, P2R.direction)
        original = self.ix.one(m, P2R.repostOf)
        return MeasureRow(
            iri=str(m),
            identifier=self.ix.text(m, DCTERMS.identifier, None)
            or self.ix.text(m, DCTERMS.identifier)
            or _short(str(m)),
            title=self.ix.text(m, DCTERMS.title) or "",
            is_new=str(self.ix.one(m, P2R.isNew)) == "true",
            direction=self.ix.ref(direction) if direction is not None else None,
            repost_of=self.ix.ref(original) if original is not None else None,
            units=tuple(self.ix.ref(u) for u in self.ix.refs(m, P2R.responsibleUnit)),
        )

    def measure(self, m) -> MeasureView:
        ix = self.ix
        units = tuple(
            UnitLine(ix.ref(dept), tuple(ix.ref(d) for d in divisions))
            for dept, divisions in sorted(self.departments_of(m).items(), key=lambda kv: natural_key(str(kv[0])))
        )
        themes = []
        for assignment in ix.refs(m, P2R.themeAssignment):
            theme = ix.one(assignment, P2R.assignedTheme)
            if theme is None:
                continue
            themes.append(self.theme_use(assignment, theme))
        assigned = {t.theme.iri for t in themes}
        for theme in ix.refs(m, P2R.theme):  # a theme without its assignment record still shows
            if str(theme) not in assigned:
                themes.append(ThemeUse(ix.ref(theme), (), (), ()))
        indicator = ix.one(m, P2R.hasIndicator)
        programme = ix.one(m, P2R.programme)
        line = ix.one(m, P2R.sourceLine)
        plans = ix.subjects(P2R.hasMeasure, m)
        return MeasureView(
            row=self.row(m),
            summary=tuple(_lines(ix.text(m, DCTERMS.description))),
            summary_source=ix.text(m, P2R.summarySourceText),
            title_source=ix.text(m, P2R.titleSourceText),
            unit_source=ix.text(m, P2R.unitSourceText),
            units=units,
            reposts=tuple(ix.ref(r) for r in sorted(ix.subjects(P2R.repostOf, m), key=self.measure_key)),
            programme=ix.ref(programme) if programme is not None else None,
            themes=tuple(sorted(themes, key=lambda t: natural_key(t.theme.iri))),
            alt_labels=tuple(str(o) for o in ix.all(m, SKOS.altLabel)),
            indicator=self.indicator(indicator) if isinstance(indicator, URIRef) else None,
            source_line=str(line) if line is not None else None,
            plan=ix.ref(plans[0]) if plans else None,
        )

    def theme_use(self, assignment, theme) -> ThemeUse:
        ix = self.ix
        return ThemeUse(
            theme=ix.ref(theme),
            fields=tuple(str(o) for o in ix.all(assignment, P2R.matchedField)),
            texts=tuple(str(o) for o in ix.all(assignment, P2R.matchedText)),
            rules=tuple(ix.ref(r) for r in ix.refs(assignment, P2R.derivedBy)),
        )

    def indicator(self, indicator) -> IndicatorView:
        ix = self.ix
        targets = sorted(ix.refs(indicator, P2R.hasTarget), key=lambda t: natural_key(str(t)))
        owner = self.layout.top_owner(str(indicator))
        return IndicatorView(
            iri=str(indicator),
            source_text=ix.text(indicator, P2R.sourceText) or "",
            lines=tuple(_lines(ix.text(indicator, DCTERMS.description))),
            targets=tuple(self.target(t, owner) for t in targets),
        )

    def target(self, t, owner: str) -> TargetView:
        ix = self.ix
        value = ix.one(t, SCHEMA.value)
        period = ix.one(t, P2R.targetPeriod)
        number = str(t).rsplit("/", 1)[-1]
        return TargetView(
            iri=str(t),
            anchor=anchor_of(str(t), owner),
            number=number,
            text=ix.text(t, RDFS.label) or "",
            value=_decimal(str(value)) if value is not None else None,
            unit=ix.text(t, SCHEMA.unitText, None) or ix.text(t, SCHEMA.unitText),
            qualifiers=tuple(str(o) for o in ix.all(t, P2R.qualifier)),
            value_label=ix.text(t, P2R.valueLabel),
            period=ix.ref(period) if period is not None else None,
            baselines=tuple(
                self.baseline(b) for b in sorted(ix.refs(t, P2R.baseline), key=lambda b: natural_key(str(b)))
            ),
        )

    def baseline(self, b) -> BaselineView:
        ix = self.ix
        value = ix.one(b, SCHEMA.value)
        as_of = ix.one(b, P2R.asOf)
        return BaselineView(
            iri=str(b),
            value=_decimal(str(value)) if value is not None else None,
            unit=ix.text(b, SCHEMA.unitText, None) or ix.text(b, SCHEMA.unitText),
            qualifiers=tuple(str(o) for o in ix.all(b, P2R.qualifier)),
            value_label=ix.text(b, P2R.valueLabel),
            as_of=ix.ref(as_of) if as_of is not None else None,
        )

    # groups ----------------------------------------------------------------------------------

    def rows(self, measures: Iterable) -> tuple[MeasureRow, ...]:
        return tuple(self.row(m) for m in sorted(set(measures), key=self.measure_key))

    def counted(self, items: Mapping[URIRef, set], *, by_count: bool = True) -> tuple[Count, ...]:
        """Resources with how many original measures (reposts left out) each has."""
        counts = [(k, sum(1 for m in v if not self.is_repost(m))) for k, v in items.items()]
        if by_count:
            counts.sort(key=lambda kc: (-kc[1], self.ix.label(kc[0]).ja, natural_key(str(kc[0]))))
        else:
            counts.sort(key=lambda kc: natural_key(str(kc[0])))
        return tuple(Count(self.ix.ref(k), c) for k, c in counts)

    def by_department(self) -> dict[URIRef, set]:
        result: dict[URIRef, set] = defaultdict(set)
        for m in self.ix.of_type(P2R.Measure):
            for dept in self.departments_of(m):
                result[dept].add(m)
        return result

    def directions(self) -> list[URIRef]:
        found = {self.ix.one(m, P2R.direction) for m in self.ix.of_type(P2R.Measure)} - {None}
        for scheme in self.ix.of_type(SKOS.ConceptScheme):
            if self.ix.subjects(P2R.directionScheme, scheme):
                found.update(self.ix.refs(scheme, SKOS.hasTopConcept))
        return sorted(
            found, key=lambda d: (natural_key(self.ix.text(d, SKOS.notation, None) or ""), natural_key(str(d)))
        )

    def direction_summary(self, d) -> DirectionSummary:
        measures = self.ix.subjects(P2R.direction, d)
        reposts = sum(1 for m in measures if self.is_repost(m))
        return DirectionSummary(
            ref=self.ix.ref(d),
            notation=self.ix.text(d, SKOS.notation, None) or "",
            definition=self.ix.text(d, SKOS.definition),
            entries=len(measures),
            originals=len(measures) - reposts,
            new=sum(1 for m in measures if str(self.ix.one(m, P2R.isNew)) == "true"),
            reposts=reposts,
        )

    def direction(self, d) -> DirectionView:
        measures = self.ix.subjects(P2R.direction, d)
        per_dept: dict[URIRef, set] = defaultdict(set)
        for m in measures:
            for dept in self.departments_of(m):
                per_dept[dept].add(m)
        scheme = self.ix.one(d, SKOS.inScheme)
        return DirectionView(
            ref=self.ix.ref(d),
            notation=self.ix.text(d, SKOS.notation, None) or "",
            definition=self.ix.text(d, SKOS.definition),
            scheme=self.ix.ref(scheme) if scheme is not None else None,
            measures=self.rows(measures),
            departments=self.counted(per_dept),
        )

    def unit(self, u) -> UnitView:
        ix = self.ix
        if u in self.prefectures:
            kind = "prefecture"
        elif self.is_department(u):
            kind = "department"
        else:
            kind = "division"
        children = ix.subjects(ORG.unitOf, u)
        by_child: dict[URIRef, set] = {}
        for child in children:
            if kind == "prefecture":
                by_child[child] = {m for m in ix.subjects(P2R.responsibleUnit, child)} | {
                    m for d in ix.subjects(ORG.unitOf, child) for m in ix.subjects(P2R.responsibleUnit, d)
                }
            else:
                by_child[child] = set(ix.subjects(P2R.responsibleUnit, child))
        own = set(ix.subjects(P2R.responsibleUnit, u))
        if kind == "department":
            own |= {m for ms in by_child.values() for m in ms}
        parent = ix.one(u, ORG.unitOf)
        spatial = ix.one(u, DCTERMS.spatial)
        return UnitView(
            ref=ix.ref(u),
            kind=kind,
            parent=ix.ref(parent) if parent is not None else None,
            identifier=ix.text(u, ORG.identifier, None) or ix.text(u, ORG.identifier),
            spatial=str(spatial) if spatial is not None else None,
            children=self.counted(by_child),
            measures=self.rows(own) if kind != "prefecture" else (),
        )

    def group(self, g, kind: str) -> GroupView:
        ix = self.ix
        evidence: dict[str, ThemeUse] = {}
        rules: list[tuple[Ref, str, tuple[str, ...]]] = []
        members: tuple[Count, ...] = ()
        if kind == "programme":
            measures = ix.subjects(P2R.programme, g)
        elif kind == "theme":
            measures = ix.subjects(P2R.theme, g)
            for assignment in ix.subjects(P2R.assignedTheme, g):
                for m in ix.subjects(P2R.themeAssignment, assignment):
                    evidence[str(m)] = self.theme_use(assignment, g)
            for rule in sorted(ix.subjects(P2R.assigns, g), key=lambda r: natural_key(str(r))):
                fields = tuple(str(o) for o in ix.all(rule, P2R.field))
                rules.append((ix.ref(rule), ix.text(rule, P2R.pattern, None) or "", fields))
        else:  # a concept scheme: its concepts and how many measures each has
            measures = []
            concepts = set(ix.subjects(SKOS.inScheme, g)) | set(ix.refs(g, SKOS.hasTopConcept))
            members = self.counted(
                {c: set(ix.subjects(P2R.direction, c)) | set(ix.subjects(P2R.theme, c)) for c in concepts},
                by_count=False,
            )
        description = ix.text(g, DCTERMS.description) or ix.text(g, SKOS.definition)
        notation = ix.text(g, SKOS.notation, None)
        return GroupView(
            ref=ix.ref(g),
            kind=kind,
            notation=notation,
            description=description,
            derived_by=tuple(ix.ref(r) for r in ix.refs(g, P2R.derivedBy)),
            rules=tuple(rules),
            members=members,
            measures=self.rows(measures),
            evidence=evidence,
        )

    # the plan --------------------------------------------------------------------------------

    def plan(self, p, downloads: Sequence[Download]) -> PlanView:
        ix = self.ix
        measures = ix.refs(p, P2R.hasMeasure)
        originals = [m for m in measures if not self.is_repost(m)]
        departments = self.by_department()
        divisions = {u for m in measures for u in ix.refs(m, P2R.responsibleUnit) if not self.is_department(u)}
        programmes: dict[URIRef, set] = defaultdict(set)
        themes: dict[URIRef, set] = defaultdict(set)
        for m in measures:
            for g in ix.refs(m, P2R.programme):
                programmes[g].add(m)
            for t in ix.refs(m, P2R.theme):
                themes[t].add(m)
        publisher, temporal = ix.one(p, DCTERMS.publisher), ix.one(p, DCTERMS.temporal)
        based_on, scheme = ix.one(p, P2R.basedOn), ix.one(p, P2R.directionScheme)
        return PlanView(
            iri=str(p),
            title=ix.label(p),
            description=ix.text(p, DCTERMS.description),
            publisher=ix.ref(publisher) if publisher is not None else None,
            temporal=ix.ref(temporal) if temporal is not None else None,
            based_on=ix.ref(based_on) if based_on is not None else None,
            scheme=ix.ref(scheme) if scheme is not None else None,
            counts=Counts(
                measures=len(measures),
                originals=len(originals),
                new=sum(1 for m in measures if str(ix.one(m, P2R.isNew)) == "true"),
                reposts=len(measures) - len(originals),
                departments=len(departments),
                divisions=len(divisions),
                programmes=len(programmes),
                themes=len(themes),
            ),
            directions=tuple(self.direction_summary(d) for d in self.directions()),
            departments=self.counted(departments),
            programmes=self.counted(programmes),
            themes=self.counted(themes),
            downloads=tuple(downloads),
        )

    # any resource ----------------------------------------------------------------------------

    def value(self, o) -> Value:
        if isinstance(o, URIRef):
            return Value(self.ix.label(o).ja if o in self.ix.out else compact(str(o)), iri=str(o))
        if isinstance(o, Literal):
            datatype = compact(str(o.datatype)) if o.datatype and o.datatype != XSD.string else None
            return Value(str(o), lang=o.language, datatype=datatype)
        return Value(str(o))

    def resource(self, s, ontology: _Index | None) -> ResourceView:
        ix = self.ix
        rows = []
        for p in sorted((p for p in ix.out.get(s, {}) if p != RDF.type), key=lambda p: compact(str(p))):
            label = ontology.label(p) if ontology is not None and p in ontology.out else None
            rows.append(
                PropertyRow(
                    predicate=str(p),
                    name=compact(str(p)),
                    label=label,
                    derived=p in self.derived_predicates,
                    values=tuple(self.value(o) for o in ix.all(s, p)),
                )
            )
        owner = self.layout.top_owner(str(s))
        return ResourceView(
            ref=ix.ref(s),
            types=tuple(self.value(t) for t in ix.all(s, RDF.type)),
            properties=tuple(rows),
            inbound=tuple((compact(str(p)), ix.ref(subject)) for subject, p in ix.inbound.get(s, ())),
            part_of=ix.ref(URIRef(owner)) if owner != str(s) else None,
            derived=bool(ix.all(s, P2R.derivedBy)),
        )


def _lines(text: str | None) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def anchor_of(iri: str, owner: str) -> str:
    """The id of a part on its owner's page: ``…/1-2/target/1`` on ``…/1-2`` → ``target-1``."""
    rest = iri[len(owner) :].strip("/") if iri.startswith(owner + "/") else _short(iri)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", rest) or "part"


# ---------------------------------------------------------------------------------------------
# Charts: geometry computed here (deterministically), drawn by the SVG templates


_PALETTE = ("#f4f7fb", "#d2e3f3", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def _fmt(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float) -> float:
    """An estimate of a label's width: wide (CJK) characters one em, others 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6 * size for ch in text)


def _shade(count: int, top: int) -> tuple[str, str]:
    if count == 0:
        return _PALETTE[0], "#5a6570"
    step = 1 + min(len(_PALETTE) - 2, (count - 1) * (len(_PALETTE) - 1) // max(top, 1))
    return _PALETTE[step], "#ffffff" if step >= 4 else "#1b2733"


def charts(views: _Views) -> Charts:
    ix = views.ix
    departments = views.counted(views.by_department())
    directions = [ix.ref(d) for d in views.directions()]
    notations = [ix.text(URIRef(d.iri), SKOS.notation, None) or str(i + 1) for i, d in enumerate(directions)]
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    for m in ix.of_type(P2R.Measure):
        if views.is_repost(m):
            continue  # as in the canned queries: reposts are not counted twice
        direction = ix.one(m, P2R.direction)
        for dept in views.departments_of(m):
            matrix[(str(dept), str(direction))] += 1
    return Charts(
        heatmap=_heatmap(departments, directions, notations, matrix),
        bars=_bars(departments),
        network=_network(departments, directions, notations, matrix),
    )


def _heatmap(departments, directions, notations, matrix) -> HeatMap:
    size, cell_w, cell_h, gap = 13, 44, 26, 2
    left = 12 + max([text_width(d.ref.label.ja, size) for d in departments] + [60])
    top = 44
    top_count = max(matrix.values(), default=0)
    cells, rows, columns = [], [], []
    for j, (d, notation) in enumerate(zip(directions, notations, strict=True)):
        columns.append(ChartText(_fmt(left + j * cell_w + cell_w / 2), _fmt(top - 10), notation, "ja", d.iri, "middle"))
    table_rows = []
    for i, dept in enumerate(departments):
        y = top + i * cell_h
        rows.append(
            ChartText(_fmt(left - 8), _fmt(y + cell_h / 2 + size * 0.35), dept.ref.label.ja, "ja", dept.ref.iri, "end")
        )
        counts = []
        for j, d in enumerate(directions):
            n = matrix.get((dept.ref.iri, d.iri), 0)
            counts.append(n)
            fill, ink = _shade(n, top_count)
            title = f"{dept.ref.label.ja} × {notations[j]} {d.label.ja}: {n} 件"
            x = left + j * cell_w
            tx, ty = _fmt(x + (cell_w - gap) / 2), _fmt(y + (cell_h - gap) / 2 + 4.5)
            cells.append(ChartCell(_fmt(x), _fmt(y), tx, ty, n, fill, ink, title, dept.ref.iri))
        table_rows.append((dept.ref, tuple(counts), dept.count))
    bottom = top + len(departments) * cell_h + 24
    legend = []
    for j, (d, notation) in enumerate(zip(directions, notations, strict=True)):
        label = f"{notation} {d.label.ja}" + (f" ({d.label.en})" if d.label.en else "")
        legend.append(ChartText("12", _fmt(bottom + j * 20), label, "ja", d.iri))
    scale_y = bottom + len(directions) * 20 + 10
    steps = [0, *sorted({max(1, round(top_count * k / 5)) for k in range(1, 6)})] if top_count else [0]
    scale = []
    for k, n in enumerate(steps):
        fill, ink = _shade(n, top_count)
        x = 12 + k * (cell_w + gap)
        scale.append((_fmt(x), fill, ink, str(n), _fmt(x + (cell_w - gap) / 2), _fmt(scale_y + (cell_h - gap) / 2 + 4)))
    width = max(left + len(directions) * cell_w + 12, 12 + len(steps) * (cell_w + gap) + 12)
    width = max([width] + [12 + text_width(t.text, 12) + 12 for t in legend])
    return HeatMap(
        width=_fmt(width),
        height=_fmt(scale_y + cell_h + 12),
        cell_w=_fmt(cell_w - gap),
        cell_h=_fmt(cell_h - gap),
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(cells),
        legend=tuple(legend),
        scale=tuple(scale),
        scale_y=_fmt(scale_y),
        table_rows=tuple(table_rows),
        table_columns=tuple(directions),
    )


def _bars(departments) -> BarChart:
    size, bar_h, gap = 13, 20, 6
    left = 12 + max([text_width(d.ref.label.ja, size) for d in departments] + [60])
    span = 360
    top_count = max((d.count for d in departments), default=0) or 1
    bars = []
    for i, d in enumerate(departments):
        y = 12 + i * (bar_h + gap)
        w = span * d.count / top_count
        label = ChartText(_fmt(left - 8), _fmt(y + bar_h / 2 + size * 0.35), d.ref.label.ja, "ja", d.ref.iri, "end")
        value = ChartText(_fmt(left + w + 6), _fmt(y + bar_h / 2 + size * 0.35), str(d.count), "ja", None, "start")
        bars.append(Bar(label, _fmt(left), _fmt(y), _fmt(w), d.count, value, d.ref))
    height = 12 + len(departments) * (bar_h + gap) + 12
    return BarChart(_fmt(left + span + 48), _fmt(height), _fmt(bar_h), tuple(bars), _fmt(left), _fmt(height - 6))


def _network(departments, directions, notations, matrix) -> Network:
    """A bipartite drawing: directions on the right in their order, departments on the left ordered
    by the barycentre of the directions they work in (fewer crossings), ties by count and name."""
    size, row = 13, 24
    index = {d.iri: j for j, d in enumerate(directions)}

    def barycentre(dept) -> float:
        total = sum(matrix.get((dept.ref.iri, d.iri), 0) for d in directions)
        if not total:
            return float(len(directions))
        return sum(index[d.iri] * matrix.get((dept.ref.iri, d.iri), 0) for d in directions) / total

    ordered = sorted(departments, key=lambda d: (round(barycentre(d), 6), -d.count, d.ref.label.ja, d.ref.iri))
    left = 12 + max([text_width(d.ref.label.ja, size) for d in ordered] + [60]) + 12
    right = left + 320
    height = 24 + max(len(ordered), 1) * row
    ys_left = {d.ref.iri: 24 + i * row + row / 2 for i, d in enumerate(ordered)}
    step = (height - 24) / max(len(directions), 1)
    ys_right = {d.iri: 24 + j * step + step / 2 for j, d in enumerate(directions)}
    top_count = max(matrix.values(), default=0) or 1
    edges, table = [], []
    for dept in ordered:
        for j, d in enumerate(directions):
            n = matrix.get((dept.ref.iri, d.iri), 0)
            if not n:
                continue
            title = f"{dept.ref.label.ja} — {notations[j]} {d.label.ja}: {n} 件"
            stroke = _fmt(1 + 7 * n / top_count)
            edges.append(
                Edge(_fmt(left), _fmt(ys_left[dept.ref.iri]), _fmt(right), _fmt(ys_right[d.iri]), stroke, title)
            )
            table.append((dept.ref, d, n))
    totals = {d.iri: sum(matrix.get((dept.ref.iri, d.iri), 0) for dept in ordered) for d in directions}
    nodes = []
    for dept in ordered:
        y = ys_left[dept.ref.iri]
        label = ChartText(_fmt(left - 10), _fmt(y + size * 0.35), dept.ref.label.ja, "ja", dept.ref.iri, "end")
        r = _fmt(3 + 6 * (dept.count / (max(d.count for d in ordered) or 1)) ** 0.5)
        nodes.append(Node(_fmt(left), _fmt(y), r, label, dept.ref, f"{dept.ref.label.ja}: {dept.count} 件", "left"))
    widest = 0.0
    for j, d in enumerate(directions):
        y = ys_right[d.iri]
        text = f"{notations[j]} {d.label.ja}"
        widest = max(widest, text_width(text, size))
        label = ChartText(_fmt(right + 12), _fmt(y + size * 0.35), text, "ja", d.iri, "start")
        r = _fmt(4 + 8 * (totals[d.iri] / (max(totals.values(), default=0) or 1)) ** 0.5)
        nodes.append(Node(_fmt(right), _fmt(y), r, label, d, f"{text}: {totals[d.iri]} 件", "right"))
    return Network(_fmt(right + 12 + widest + 12), _fmt(height + 12), tuple(edges), tuple(nodes), tuple(table))


# ---------------------------------------------------------------------------------------------
# The ontology and the query catalogue


def ontology_view(graph: Graph) -> OntologyView:
    """Classes, properties and named rules of the plan2rdf ontology with their ja/en labels."""
    ix = _Index(graph)
    ns = str(P2R)
    onto = next(iter(ix.of_type(OWL.Ontology)), URIRef(ns.rstrip("#")))
    derived = set(ix.of_type(P2R.DerivedProperty))

    def term(s, kind: str) -> Term:
        relations = []
        for p, name in (
            (RDFS.subClassOf, "rdfs:subClassOf"),
            (RDFS.subPropertyOf, "rdfs:subPropertyOf"),
            (RDFS.domain, "rdfs:domain"),
            (RDFS.range, "rdfs:range"),
            (RDF.type, "rdf:type"),
        ):
            values = tuple(Value(compact(str(o)), iri=str(o)) for o in ix.refs(s, p) if not str(o).startswith(str(OWL)))
            if values:
                relations.append((name, values))
        return Term(
            local=str(s)[len(ns) :],
            name=compact(str(s)),
            kind=kind,
            label=Label(ix.text(s, RDFS.label) or "", ix.text(s, RDFS.label, "en")),
            comment=Label(ix.text(s, RDFS.comment) or "", ix.text(s, RDFS.comment, "en")),
            derived=s in derived,
            relations=tuple(relations),
        )

    def ours(cls) -> list[URIRef]:
        return sorted((s for s in ix.of_type(cls) if str(s).startswith(ns)), key=lambda s: str(s).lower())

    classes = ours(OWL.Class)
    objects = ours(OWL.ObjectProperty)
    datatypes = [s for s in ours(OWL.DatatypeProperty) if s not in objects]
    seen = set(classes) | set(objects) | set(datatypes)
    individuals = [s for s in sorted((s for s in ix.out if str(s).startswith(ns)), key=str) if s not in seen]
    return OntologyView(
        iri=str(onto),
        title=Label(ix.text(onto, DCTERMS.title) or ns, ix.text(onto, DCTERMS.title, "en")),
        description=Label(ix.text(onto, DCTERMS.description) or "", ix.text(onto, DCTERMS.description, "en")),
        version=ix.text(onto, OWL.versionInfo, None),
        sections=(
            (Label("クラス", "Classes"), tuple(term(s, "class") for s in classes)),
            (Label("オブジェクト・プロパティ", "Object properties"), tuple(term(s, "object") for s in objects)),
            (Label("データ・プロパティ", "Datatype properties"), tuple(term(s, "datatype") for s in datatypes)),
            (
                Label("個体（推定規則）", "Individuals (derivation rules)"),
                tuple(term(s, "individual") for s in individuals),
            ),
        ),
    )


def query_tables(graph: Graph) -> tuple[list[QueryTable], list[str]]:
    """Every canned query run on the graph, through plan2rdf.query.engine's public API.

    A query that fails is shown with its error (and reported as a warning) rather than dropped.
    """
    try:
        from plan2rdf.query.catalogue import load_catalogue
        from plan2rdf.query.engine import EngineMissing, bind, cell, load_oxigraph, oxigraph_engine, rdflib_engine, run
    except ImportError as exc:  # the catalogue is optional for the site
        return [], [f"the query catalogue is not available: {exc}"]
    try:
        catalogue = load_catalogue(check=None)  # syntax is checked by the query tests; rdflib parses once here
    except InputError as exc:
        return [], [p.format() for p in exc.problems]
    except FileNotFoundError as exc:
        return [], [f"the query catalogue is not available: {exc}"]
    # pyoxigraph (the optional extra) runs the catalogue in ~0.2 s; rdflib takes ~9 s on the bundled
    # plan. Both engines return the same rows (the query tests check that).
    try:
        engine = oxigraph_engine(load_oxigraph(graph=graph))
    except EngineMissing:
        engine = rdflib_engine(graph)
    tables, warnings = [], []
    for q in catalogue:
        params = tuple((p.name, p.default or "", p.meaning) for p in q.parameters)
        header: tuple[str, ...] = ()
        rows: tuple[tuple[Value, ...], ...] = ()
        error = None
        try:
            bind(q, {})
            result = run(q, engine)
            header = tuple(result.columns)
            rows = tuple(
                tuple(
                    Value(cell(t), iri=str(t) if isinstance(t, URIRef) else None, lang=getattr(t, "language", None))
                    for t in r
                )
                for r in result.rows
            )
        except Exception as exc:  # rdflib raises many kinds of errors; the page says which
            error = f"{type(exc).__name__}: {exc}".splitlines()[0]
            warnings.append(f"{q.path.name}: the query failed on the site's graph: {error}")
        tables.append(
            QueryTable(
                name=q.name,
                title=Label(q.title_ja or q.name, q.title_en or None),
                description=q.description,
                tags=tuple(q.tags),
                sparql=q.body,
                file=q.path.name,
                parameters=params,
                columns=tuple((c.name, c.meaning) for c in q.columns),
                header=header,
                rows=rows,
                error=error,
            )
        )
    return tables, warnings


# ---------------------------------------------------------------------------------------------
# Rendering


def script_json(text: str):
    """JSON for a <script> element: ``<``, ``>`` and ``&`` as \\u escapes, so no ``</script>`` or
    ``<!--`` can appear inside it (JSON readers decode the escapes back)."""
    from markupsafe import Markup

    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("plan2rdf", "templates"),
        autoescape=True,  # every template, HTML and SVG alike
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    env.filters["decimal"] = _decimal
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


def _measures_csv(views: _Views) -> bytes:
    """The measures as a table (one row per listing, reposts included and marked)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["identifier", "iri", "title", "is_new", "direction", "direction_label", "repost_of",
         "departments", "divisions", "programme", "themes", "indicator"]
    )  # fmt: skip
    ix = views.ix
    for m in views.measures():
        row = views.row(m)
        departments = views.departments_of(m)
        indicator = ix.one(m, P2R.hasIndicator)
        programme = ix.one(m, P2R.programme)
        writer.writerow(
            [
                row.identifier,
                row.iri,
                row.title,
                "true" if row.is_new else "false",
                ix.text(URIRef(row.direction.iri), SKOS.notation, None) if row.direction else "",
                row.direction.label.ja if row.direction else "",
                ix.text(URIRef(row.repost_of.iri), DCTERMS.identifier, None) if row.repost_of else "",
                "; ".join(ix.label(d).ja for d in departments),
                "; ".join(ix.label(u).ja for divs in departments.values() for u in divs),
                ix.label(programme).ja if programme is not None else "",
                "; ".join(ix.label(t).ja for t in ix.refs(m, P2R.theme)),
                ix.text(indicator, DCTERMS.description) or "" if indicator is not None else "",
            ]
        )
    return buffer.getvalue().encode("utf-8")


def base_iri_problem(base: str) -> str | None:
    """Why ``base`` cannot be a site's base IRI, or None: the site mirrors IRIs as paths, and the
    server configurations take the base's path as it is."""
    split = urlsplit(base)
    if split.scheme not in ("http", "https") or not split.netloc:
        return "must be an absolute http(s) IRI"
    if split.query or split.fragment or base.endswith("#"):
        return "the site mirrors IRIs as paths: use a base ending in '/', without '?' or '#'"
    if not _CONF_PATH_RE.match(split.path or "/") or re.search(r"[\s<>\"{}|\\^`]", base):
        return "use only letters, digits and . _ ~ - / in the base IRI's path"
    return None


def _conneg_path(base: str) -> str:
    problem = base_iri_problem(base)
    if problem:
        raise InputError([Problem(base, problem, hint="--base-iri")])
    return urlsplit(base).path or "/"


def _check_collisions(layout: Layout) -> list[Problem]:
    problems = []
    for iri, path in sorted(layout.pages.items()):
        if path.split("/", 1)[0] in SITE_NAMES:
            problems.append(
                Problem(
                    iri,
                    f"the IRI would be served at {path}.html, where the site keeps a page of its own",
                    hint="choose another series slug (plan.series in the plan's .toml)",
                )
            )
    return problems


def render_site(
    graph: Graph,
    *,
    base_iri: str,
    downloads: Mapping[str, bytes] | None = None,
    queries: Sequence[QueryTable] = (),
) -> dict[str, bytes]:
    """Every file of the site, as bytes, keyed by its path in the site.

    ``graph`` has exactly one ``p2r:ActionPlan``; ``downloads`` (file name → bytes) are placed beside
    the plan's page, where ``dcat:downloadURL`` says they are; a CSV of the measures is added.
    """
    return _render(graph, base_iri=base_iri, downloads=downloads, queries=queries)[0]


def _render(
    graph: Graph,
    *,
    base_iri: str,
    downloads: Mapping[str, bytes] | None,
    queries: Sequence[QueryTable],
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The files and the kind of each ("page", "rdf", "download", "static", "config")."""
    from plan2rdf import resources

    if not base_iri.endswith("/"):
        raise ValueError("the site mirrors IRIs as paths: the base IRI must end with '/'")
    ontology = Graph().parse(resources.path("ontology", "plan2rdf.ttl"), format="turtle")
    context = json.loads(resources.read_text("ontology", "context.jsonld"))
    ix = _Index(graph)
    layout = Layout(ix, base_iri)
    plans = ix.of_type(P2R.ActionPlan)
    if len(plans) != 1:
        raise InputError([Problem("<graph>", f"the graph has {len(plans)} action plans; a site shows exactly one")])
    plan = plans[0]
    if str(plan) not in layout.pages:
        raise InputError(
            [Problem(str(plan), f"the plan's IRI is not under the base {base_iri}", hint="use --base-iri")]
        )
    problems = _check_collisions(layout)
    if problems:
        raise InputError(problems)
    onto_ix = _Index(ontology)
    derived = frozenset(onto_ix.of_type(P2R.DerivedProperty)) | EXTERNAL_DERIVED
    views = _Views(ix, layout, derived)
    files: dict[str, bytes] = {}
    kinds: dict[str, str] = {}

    # downloads: the build's files and the CSV, beside the plan's page (as dcat:downloadURL says)
    folder = layout.pages[str(plan)]
    stem = folder.replace("/", "-")
    payload = dict(downloads or {})
    payload[f"{stem}-measures.csv"] = _measures_csv(views)
    download_list = []
    for name in sorted(payload, key=natural_key):
        content = payload[name]
        path = f"{folder}/{name}"
        files[path] = content
        layout.files.add(path)
        ext = name.rsplit(".", 1)[-1]
        kind = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "csv": "CSV"}.get(ext, ext)
        title = (
            Label(f"データセットのメタデータ（{kind}）", f"Dataset metadata ({kind})")
            if ".meta." in name
            else (
                Label("施策の一覧（CSV）", "Measures (CSV)")
                if ext == "csv"
                else Label(f"知識グラフ（{kind}）", f"Knowledge graph ({kind})")
            )
        )
        download_list.append(
            Download(
                name,
                path,
                title,
                MEDIA_TYPES.get(ext, "application/octet-stream"),
                len(content),
                hashlib.sha256(content).hexdigest(),
            )
        )
    onto_bytes = resources.path("ontology", "plan2rdf.ttl").read_bytes()
    context_bytes = resources.path("ontology", "context.jsonld").read_bytes()
    for path, content, title, media in (
        ("ontology.ttl", onto_bytes, Label("語彙（オントロジー）", "Ontology"), "text/turtle"),
        ("context.jsonld", context_bytes, Label("JSON-LD コンテキスト", "JSON-LD context"), "application/ld+json"),
    ):
        files[path] = content
        layout.files.add(path)
        download_list.append(Download(path, path, title, media, len(content), hashlib.sha256(content).hexdigest()))

    pages: list[Page] = []
    plan_view = views.plan(plan, download_list)
    chart_models = charts(views)
    site_title = plan_view.title

    def resource_page(iri: URIRef, template: str, data: Any) -> Page:
        return Page(layout.pages[str(iri)], template, ix.label(iri), data, resource=str(iri))

    for s in sorted((URIRef(i) for i in layout.pages), key=lambda s: natural_key(str(s))):
        if s == plan:
            pages.append(Page(layout.pages[str(s)], "home.html", plan_view.title, plan_view, resource=str(s)))
        elif ix.has_type(s, P2R.Measure):
            pages.append(resource_page(s, "measure.html", views.measure(s)))
        elif ix.has_type(s, ORG.OrganizationalUnit) or ix.has_type(s, ORG.FormalOrganization):
            pages.append(resource_page(s, "unit.html", views.unit(s)))
        elif ix.has_type(s, SKOS.Concept) and str(s) in {d.ref.iri for d in plan_view.directions}:
            pages.append(resource_page(s, "direction.html", views.direction(s)))
        elif ix.has_type(s, SKOS.Concept):
            pages.append(resource_page(s, "group.html", views.group(s, "theme")))
        elif ix.has_type(s, P2R.Programme):
            pages.append(resource_page(s, "group.html", views.group(s, "programme")))
        elif ix.has_type(s, SKOS.ConceptScheme):
            pages.append(resource_page(s, "group.html", views.group(s, "scheme")))
        else:
            pages.append(resource_page(s, "resource.html", views.resource(s, onto_ix)))
    pages.append(Page("index", "home.html", plan_view.title, plan_view, resource=str(plan)))
    pages.append(Page("charts", "charts.html", Label("図表", "Charts"), chart_models))
    pages.append(Page("downloads", "downloads.html", Label("ダウンロード", "Downloads"), plan_view))
    pages.append(Page("ontology", "ontology.html", Label("語彙", "Vocabulary"), ontology_view(ontology)))
    queries = [_labelled(table, ix) for table in queries]
    pages.append(Page("queries", "queries.html", Label("問い合わせの一覧", "Query catalogue"), tuple(queries)))
    for table in queries:
        pages.append(Page(f"queries/{table.name}", "query.html", table.title, table))
    layout.site_pages = {p.path for p in pages}

    # each resource's own description: its triples and those of its parts (indicator, targets…)
    described: dict[str, list] = defaultdict(list)
    for s, preds in ix.out.items():
        key = str(s)
        if key in layout.pages:
            owner = layout.top_owner(key)
            for p, objs in preds.items():
                for o in objs:
                    described[owner].append((s, p, o))
                    if owner != key:
                        described[key].append((s, p, o))
    for page in pages:
        if page.resource is not None and page.path == layout.pages[page.resource]:
            triples = described[page.resource]
            page.jsonld = jsonld(triples, dict(context), base=base_iri)
            files[f"{page.path}.jsonld"] = page.jsonld.encode("utf-8")
            files[f"{page.path}.ttl"] = turtle(triples, base=base_iri).encode("utf-8")
        elif page.resource is not None:
            page.jsonld = jsonld(described[page.resource], dict(context), base=base_iri)

    env = _environment()
    nav = _navigation(ix, plan, plan_view)
    for page in pages:
        files[f"{page.path}.html"] = _render_page(env, page, layout, nav, site_title, chart_models, base_iri).encode(
            "utf-8"
        )
    for name in ("heatmap", "bars", "network"):
        path = f"charts/{name}.svg"
        template = env.get_template(f"{name}.svg")
        files[path] = template.render(
            chart=getattr(chart_models, "heatmap" if name == "heatmap" else name),
            url=lambda iri, _p=path: layout.url(_p, iri),
            standalone=True,
            prefix=name,
        ).encode("utf-8")
    for name in ("site.css", "favicon.svg"):
        files[f"static/{name}"] = _static(name)
    conneg = {"base": base_iri, "path": _conneg_path(base_iri), "version": __version__}
    files[".htaccess"] = env.get_template("htaccess.conf").render(**conneg).encode("utf-8")
    files["nginx.conf"] = env.get_template("nginx.conf").render(**conneg).encode("utf-8")
    for path in files:
        if path in layout.files:
            kinds[path] = "download"
        elif path.endswith(".html"):
            kinds[path] = "page"
        elif path in (".htaccess", "nginx.conf"):
            kinds[path] = "config"
        elif path.startswith(("static/", "charts/")):
            kinds[path] = "static"
        else:
            kinds[path] = "rdf"
    return files, kinds


def _labelled(table: QueryTable, ix: _Index) -> QueryTable:
    """Result cells that are IRIs of the graph show the resource's label (and link to its page)."""
    from dataclasses import replace

    def label(v: Value) -> Value:
        if v.iri is None or URIRef(v.iri) not in ix.out:
            return v
        return replace(v, text=ix.label(URIRef(v.iri)).ja)

    return replace(table, rows=tuple(tuple(label(v) for v in row) for row in table.rows))


def _static(name: str) -> bytes:
    from plan2rdf import resources

    return resources.static(name)


@dataclass(frozen=True)
class _Nav:
    items: tuple[tuple[str, Label], ...]  # (site path of the page, its name)


def _navigation(ix: _Index, plan, view: PlanView) -> _Nav:
    items: list[tuple[str, Label]] = [("index", Label("ホーム", "Home"))]
    if view.scheme is not None:
        items.append((view.scheme.iri, Label("施策の展開方向", "Directions")))
    if view.publisher is not None:
        items.append((view.publisher.iri, Label("部局", "Departments")))
    themes = {s for t in ix.of_type(SKOS.Concept) for s in ix.refs(t, SKOS.inScheme) if ix.subjects(P2R.theme, t)}
    for scheme in sorted(themes, key=str):
        items.append((str(scheme), Label("技術テーマ", "Themes")))
    items += [
        ("charts", Label("図表", "Charts")),
        ("queries", Label("問い合わせ", "Queries")),
        ("ontology", Label("語彙", "Vocabulary")),
        ("downloads", Label("ダウンロード", "Downloads")),
    ]
    return _Nav(tuple(items))


def _render_page(env, page: Page, layout: Layout, nav: _Nav, site_title: Label, chart_models: Charts, base: str) -> str:
    here = f"{page.path}.html"

    def url(iri: str) -> str:
        return layout.url(here, iri)

    def link(target: str) -> str:
        """One of the site's own pages (by its path) or files, or a resource (by its IRI)."""
        if target.startswith(("http://", "https://")):
            return url(target)
        return layout.href(here, f"{target}.html" if target in layout.site_pages else target)

    alternates = None
    if page.resource is not None and page.resource in layout.pages:
        own = layout.pages[page.resource]
        alternates = {ext: layout.href(here, f"{own}.{ext}") for ext in ("ttl", "jsonld")}
    return env.get_template(page.template).render(
        page=page,
        data=page.data,
        url=url,
        link=link,
        nav=nav,
        here=page.path,
        site_title=site_title,
        charts=chart_models,
        alternates=alternates,
        iri=page.resource,
        base=base,
        version=__version__,
        compact=compact,
    )


# ---------------------------------------------------------------------------------------------
# Writing


def write_tree(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write the site into a fresh directory beside ``out_dir``, then swap it in.

    A directory that holds something other than an earlier site is never replaced.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).is_file())):
        raise InputError(
            [
                Problem(
                    str(out_dir),
                    "exists and is not a site written by plan2rdf",
                    hint="choose a new or empty --out directory",
                )
            ]
        )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".new", dir=out_dir.parent))
    try:
        os.chmod(fresh, 0o755)  # readable by a web server, unlike mkdtemp's 0700
        for path, content in sorted(files.items()):
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (fresh / MARKER).write_text(f"plan2rdf {__version__} site\n", encoding="utf-8")
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
            os.rmdir(old)
            out_dir.rename(old)
            fresh.rename(out_dir)
            shutil.rmtree(old)
        else:
            fresh.rename(out_dir)
    finally:
        if fresh.exists():
            shutil.rmtree(fresh)


def build_site(
    graph: Graph,
    *,
    out_dir: Path,
    base_iri: str,
    downloads: Mapping[str, bytes] | None = None,
    queries: Sequence[QueryTable] = (),
    warnings: Sequence[str] = (),
) -> SiteReport:
    """Render the site of the graph's plan and write it to ``out_dir``; returns what was written."""
    started = time.perf_counter()
    files, kinds = _render(graph, base_iri=base_iri, downloads=downloads, queries=queries)
    write_tree(out_dir, files)
    report = SiteReport(out_dir=Path(out_dir), warnings=list(warnings))
    report.files = [SiteFile(path, len(content), kinds[path]) for path, content in sorted(files.items())]
    report.resources = sum(1 for kind in kinds.values() if kind == "rdf") // 2
    report.seconds = time.perf_counter() - started
    return report


def site_of(
    plan: Plan,
    *,
    out_dir: Path,
    base_iri: str | None = None,
    license: str = CC_BY_4,
    organizations: Path | None = None,
    themes: Path | None = None,
    epoch: int | None = None,
) -> SiteReport:
    """A plan's site: its graph as `build` makes it, the build's files as downloads, the queries run."""
    from plan2rdf.pipeline import graph_of, render
    from plan2rdf.vocab import Iris

    started = time.perf_counter()
    iris = Iris(base_iri) if base_iri else Iris()
    _conneg_path(iris.base)  # before any work: a base the site cannot mirror is an input error
    result = graph_of(plan, base_iri=iris.base, organizations=organizations, themes=themes)
    files = render(plan, result.graph, iris=iris, license=license, epoch=epoch)
    site_graph = Graph()
    for triple in result.graph:
        site_graph.add(triple)
    meta = next((content for name, content in files.items() if name.endswith(".meta.ttl")), None)
    if meta is not None:
        site_graph.parse(data=meta.decode("utf-8"), format="turtle")  # the dataset's DCAT/VoID/PROV pages
    tables, warnings = query_tables(result.graph)
    report = build_site(
        site_graph,
        out_dir=out_dir,
        base_iri=iris.base,
        downloads=files,
        queries=tables,
        warnings=[p.format() for p in result.warnings] + warnings,
    )
    report.seconds = time.perf_counter() - started
    return report


__all__ = [
    "Layout",
    "QueryTable",
    "SiteFile",
    "SiteReport",
    "base_iri_problem",
    "build_site",
    "ontology_view",
    "query_tables",
    "render_site",
    "script_json",
    "site_of",
    "write_tree",
]
