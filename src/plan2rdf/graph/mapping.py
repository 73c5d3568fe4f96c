"""The graph stage: records into RDF, following the vocabulary contract (docs/vocabulary.md).

``plan_triples`` yields the triples of one plan; ``build_graph`` collects them into an rdflib
Graph. No blank nodes: everything a user may link to or query for has an IRI (URI policy).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdflib_namespaces

from plan2rdf.i18n import Text
from plan2rdf.model import Measure, Plan

if TYPE_CHECKING:
    from plan2rdf.derive.facts import Derived
from plan2rdf.graph.organizations import OrgTable
from plan2rdf.problems import Collector, InputError, Problem
from plan2rdf.rdfio.memory import AppendedMemory
from plan2rdf.vocab import ORG, P2R, PREFIXES, RESERVED_SEGMENTS, SCHEMA, SPDX, Iris, KeptTerms, hashed_slug

# Terms made once (vocab.KeptTerms): the mapping names them thousands of times a plan
_ns = rdflib_namespaces
DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, TIME, XSD = map(
    KeptTerms, (_ns.DCAT, _ns.DCTERMS, _ns.PROV, _ns.RDF, _ns.RDFS, _ns.SKOS, _ns.TIME, _ns.XSD)
)

Triple = tuple[URIRef, URIRef, object]

MEDIA_TYPES = {
    "text": "text/plain",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class GraphResult:
    graph: Graph
    warnings: list[Problem] = field(default_factory=list)


@lru_cache(maxsize=None, typed=True)  # typed: 1 and True are equal keys otherwise
def literal(value, datatype: URIRef | None = None, lang: str | None = None) -> Literal:
    """A literal, made once per plan: a plan repeats its numbers, units, division names, and a
    title is often its own verbatim text; rdflib's Literal() takes longer than the rest of the
    triple. :func:`build_graph` empties the memo for each plan."""
    if datatype is None and isinstance(value, str):
        # A text's lexical form is the text: rdflib's normalising (a search for the Python type
        # among its mappings) gives it back unchanged, at a third of a literal's cost.
        return Literal(value, lang=lang, normalize=False)
    return Literal(value, lang=lang, datatype=datatype)


def ja(text: str) -> Literal:
    return literal(text, None, "ja")


def en(text: str) -> Literal:
    return literal(text, None, "en")


def new_graph(store: str = "Memory") -> Graph:
    # "SimpleMemory" (no named-graph bookkeeping) adds triples twice as fast and is read faster by
    # pyshacl-turbo; corpus builds use it (as AppendedMemory: indexed when first looked up).
    # pySHACL and rdflib's SPARQL need the context-aware "Memory".
    graph = Graph(store=AppendedMemory() if store == "SimpleMemory" else store)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def check_metadata(plan: Plan) -> None:
    """What the graph needs beyond the records: IRI slugs and the publisher."""
    where = plan.source.path if plan.source else "<plan>"
    sidecar = f"{where.rsplit('.', 1)[0]}.toml"
    out = Collector(where)
    info = plan.info
    if not info.series:
        out.error(
            Text(ja="計画にシリーズの slug がありません", en="the plan has no series slug"),
            hint=Text(
                ja=f'{sidecar} に plan.series を書いてください（例: "fukushima-ict"）',
                en=f'set plan.series (e.g. "fukushima-ict") in {sidecar}',
            ),
        )
    elif info.series in RESERVED_SEGMENTS:
        out.error(
            Text(ja=f"plan.series {info.series!r} は予約されています", en=f"plan.series {info.series!r} is reserved"),
            hint=Text(ja=f"{sidecar} で別の slug を選んでください", en=f"choose another slug in {sidecar}"),
        )
    if not info.edition:
        out.error(
            Text(ja="計画に版の slug がありません", en="the plan has no edition slug"),
            hint=Text(
                ja=f'{sidecar} に plan.edition を書いてください（例: "2021"）',
                en=f'set plan.edition (e.g. "2021") in {sidecar}',
            ),
        )
    if info.publisher is None or not info.publisher.slug:
        out.error(
            Text(ja="計画に公開者がありません", en="the plan has no publisher"),
            hint=Text(
                ja=f"{sidecar} の [publisher] に name と slug を書いてください",
                en=f"set [publisher] name and slug in {sidecar}",
            ),
        )
    if info.fiscal_year is None:
        out.error(
            Text(ja="計画の年度が分かりません", en="the plan's fiscal year is unknown"),
            # read/ takes it from the title only when the title names one year (sidecar.fiscal_year_from_title)
            hint=Text(
                ja=f"{sidecar} に plan.fiscal_year を書いてください（表題に年度がないか、"
                "ちがう年度が二つ以上あると、表題からは決められません）",
                en=f"set plan.fiscal_year in {sidecar} "
                "(a title naming no year, or two different years, does not tell it)",
            ),
        )
    out.raise_if_errors()


def fiscal_year_label_ja(year: int) -> str:
    from plan2rdf.derive.wareki import fiscal_year

    return fiscal_year(year).label_ja


def fiscal_year_triples(iris: Iris, year: int) -> Iterator[Triple]:
    """A fiscal year (4月–3月) as an OWL-Time interval shared by every plan that names it."""
    fy = iris.fiscal_year(year)
    yield fy, RDF.type, TIME.ProperInterval
    yield fy, RDFS.label, ja(fiscal_year_label_ja(year))
    yield fy, RDFS.label, en(f"FY{year}")
    for prop, iso in ((TIME.hasBeginning, f"{year}-04-01"), (TIME.hasEnd, f"{year + 1}-03-31")):
        instant = iris.date(iso)
        yield fy, prop, instant
        yield instant, RDF.type, TIME.Instant
        yield instant, TIME.inXSDDate, literal(iso, XSD.date)


def plan_triples(
    plan: Plan, *, iris: Iris, organizations: OrgTable | None, out: Collector, derived: Derived | None = None
) -> Iterator[Triple]:
    """Every triple of one plan. Unknown organisation units are reported to ``out`` as warnings."""
    yield from publisher_triples(plan, iris=iris)
    yield from plan_resource_triples(plan, iris=iris)
    yield from direction_triples(plan, iris=iris)
    units = Units(iris, plan.info.publisher.slug, organizations, out)
    for m in plan.measures:
        yield from measure_triples(plan, m, iris=iris, units=units, derived=derived)
    if derived is not None:
        yield from derived_triples(plan, derived, iris=iris)


def publisher_triples(plan: Plan, *, iris: Iris) -> Iterator[Triple]:
    """The publishing government: names, 全国地方公共団体コード and area."""
    publisher = plan.info.publisher
    prefecture = iris.publisher(publisher.slug)
    yield prefecture, RDF.type, ORG.FormalOrganization
    yield prefecture, SKOS.prefLabel, ja(publisher.name)
    if publisher.name_en:
        yield prefecture, SKOS.prefLabel, en(publisher.name_en)
    if publisher.lg_code:
        yield prefecture, ORG.identifier, literal(publisher.lg_code)
    if publisher.area_code:
        yield prefecture, DCTERMS.spatial, Iris.area(publisher.area_code)


def plan_resource_triples(plan: Plan, *, iris: Iris) -> Iterator[Triple]:
    """The plan edition itself, its fiscal year, its parent plan and the source it was read from."""
    info = plan.info
    series, edition = info.series, info.edition
    plan_iri = iris.plan(series, edition)
    prefecture = iris.publisher(info.publisher.slug)
    yield plan_iri, RDF.type, P2R.ActionPlan
    yield plan_iri, DCTERMS.title, ja(info.title)
    if info.title_en:
        yield plan_iri, DCTERMS.title, en(info.title_en)
    if info.description:
        yield plan_iri, DCTERMS.description, ja(info.description)
    yield plan_iri, DCTERMS.publisher, prefecture
    yield plan_iri, P2R.fiscalYear, literal(str(info.fiscal_year), XSD.gYear)
    yield plan_iri, DCTERMS.temporal, iris.fiscal_year(info.fiscal_year)
    yield from fiscal_year_triples(iris, info.fiscal_year)
    yield plan_iri, P2R.directionScheme, iris.direction_scheme(series)
    if info.landing_page:
        yield plan_iri, RDFS.seeAlso, URIRef(info.landing_page)
    if info.issued:
        yield plan_iri, DCTERMS.issued, literal(info.issued, XSD.date)
    if info.parent_plan:
        parent = iris.series(series)
        yield plan_iri, P2R.basedOn, parent
        yield parent, RDF.type, P2R.Plan
        yield parent, DCTERMS.title, ja(info.parent_plan)
        if info.parent_plan_en:
            yield parent, DCTERMS.title, en(info.parent_plan_en)
        yield parent, DCTERMS.publisher, prefecture
    if plan.source is not None:
        source = iris.source(series, edition)
        yield plan_iri, PROV.wasDerivedFrom, source
        yield from source_triples(iris, source, plan)


def direction_triples(plan: Plan, *, iris: Iris) -> Iterator[Triple]:
    """The directions (施策の展開方向) as one SKOS concept scheme of the series."""
    series = plan.info.series
    scheme = iris.direction_scheme(series)
    names_en = dict(plan.info.direction_names_en)
    yield scheme, RDF.type, SKOS.ConceptScheme
    yield scheme, SKOS.prefLabel, ja("施策の展開方向")
    yield scheme, SKOS.prefLabel, en("Policy directions")
    for d in plan.directions:
        concept = iris.direction(series, d.number)
        yield scheme, SKOS.hasTopConcept, concept
        yield concept, RDF.type, SKOS.Concept
        yield concept, SKOS.inScheme, scheme
        yield concept, SKOS.topConceptOf, scheme
        yield concept, SKOS.notation, literal(str(d.number))
        yield concept, SKOS.prefLabel, ja(d.name)
        if d.number in names_en:
            yield concept, SKOS.prefLabel, en(names_en[d.number])
        if d.subtitle:
            yield concept, SKOS.definition, ja(d.subtitle)


@dataclass
class Units:
    """The plan's organisation units, described once each, the first time an entry names them."""

    iris: Iris
    publisher: str  # the publisher's slug
    organizations: OrgTable | None
    out: Collector
    slugs: dict[str, str] = field(default_factory=dict)  # department name → its slug
    iris_of: dict[tuple[str, str], URIRef] = field(default_factory=dict)

    def iri(self, department: str, division: str = "") -> URIRef:
        """The unit's IRI; :meth:`triples` must have described it."""
        return self.iris_of[(department, division)]

    def triples(self, department: str, division: str, line: int | None) -> Iterator[Triple]:
        """The department's (and division's) triples, unless already given."""
        if (department, "") not in self.iris_of:
            slug, name_en = _unit_slug(self.organizations, department, "", self.out, line)
            self.slugs[department] = slug
            iri = self.iris_of[(department, "")] = self.iris.department(self.publisher, slug)
            yield from self._described(iri, department, name_en, self.iris.publisher(self.publisher))
        if division and (department, division) not in self.iris_of:
            slug, name_en = _unit_slug(self.organizations, department, division, self.out, line)
            iri = self.iris.division(self.publisher, self.slugs[department], slug)
            self.iris_of[(department, division)] = iri
            yield from self._described(iri, division, name_en, self.iris_of[(department, "")])

    @staticmethod
    def _described(iri: URIRef, name: str, name_en: str | None, parent: URIRef) -> Iterator[Triple]:
        yield iri, RDF.type, ORG.OrganizationalUnit
        yield iri, SKOS.prefLabel, ja(name)
        if name_en:
            yield iri, SKOS.prefLabel, en(name_en)
        yield iri, ORG.unitOf, parent


def measure_triples(plan: Plan, m: Measure, *, iris: Iris, units: Units, derived: Derived | None) -> Iterator[Triple]:
    """One entry: its texts, direction, responsible units, repost link and indicator."""
    series, edition = plan.info.series, plan.info.edition
    iri = iris.measure(series, edition, m.identifier)
    yield iris.plan(series, edition), P2R.hasMeasure, iri
    yield iri, RDF.type, P2R.Measure
    yield iri, DCTERMS.identifier, literal(m.identifier)
    yield iri, P2R.entryNumber, literal(m.number, XSD.integer)
    yield iri, DCTERMS.title, ja(m.title)
    yield iri, P2R.titleSourceText, ja(m.title_verbatim)
    if m.summary.text:
        yield iri, DCTERMS.description, ja(m.summary.text)
    if m.summary.verbatim:
        yield iri, P2R.summarySourceText, ja(m.summary.verbatim)
    yield iri, P2R.isNew, literal(m.is_new)
    yield iri, P2R.direction, iris.direction(series, m.direction)
    r = m.responsibility
    yield iri, P2R.unitSourceText, ja(r.verbatim)
    yield from units.triples(r.department, "", m.line)
    for division in r.divisions:
        yield from units.triples(r.department, division, m.line)
        yield iri, P2R.responsibleUnit, units.iri(r.department, division)
    if not r.divisions:
        yield iri, P2R.responsibleUnit, units.iri(r.department)
    if m.repost_of:
        yield iri, P2R.repostOf, iris.measure(series, edition, m.repost_of)
    if m.line is not None:
        yield iri, P2R.sourceLine, literal(m.line, XSD.integer)
    for note in m.notes:  # a column no [columns] key names: its header and the cell, verbatim
        node = iris.note(iri, note.number)
        yield iri, P2R.columnNote, node
        yield node, RDF.type, P2R.ColumnNote
        yield node, P2R.columnHeader, ja(note.header)
        yield node, P2R.sourceText, ja(note.text)
    if m.indicator.verbatim.strip():
        yield from indicator_triples(plan, m, iri, iris=iris, derived=derived)


def indicator_triples(
    plan: Plan, m: Measure, measure: URIRef, *, iris: Iris, derived: Derived | None
) -> Iterator[Triple]:
    """An entry's 指標・目標 cell: the verbatim text and one target per item (with what was read)."""
    indicator = iris.indicator(plan.info.series, plan.info.edition, m.identifier)
    yield measure, P2R.hasIndicator, indicator
    yield indicator, RDF.type, P2R.Indicator
    yield indicator, P2R.sourceText, ja(m.indicator.verbatim)
    if m.indicator.text:
        yield indicator, DCTERMS.description, ja(m.indicator.text)
    readings = derived.items.get(m.identifier) if derived else None
    for n, item in enumerate(m.indicator.items, 1):
        reading = readings[n - 1] if readings else None
        yield from target_triples(iris, plan, m.identifier, indicator, n, item, reading)


def source_triples(iris: Iris, source: URIRef, plan: Plan) -> Iterator[Triple]:
    name = plan.source.path.replace("\\", "/").rsplit("/", 1)[-1]
    yield source, RDF.type, PROV.Entity
    yield source, DCTERMS.title, literal(name)
    yield source, DCTERMS.format, literal(MEDIA_TYPES[plan.source.format])
    yield (
        source,
        DCAT.byteSize,
        literal(plan.source.size, XSD.integer),
    )
    if plan.source.sheet:  # where a measure's p2r:sourceLine counts rows
        yield source, P2R.sourceSheet, literal(plan.source.sheet)
    yield from checksum_triples(iris, source, plan.source.sha256)


def checksum_triples(iris: Iris, resource: URIRef, sha256: str) -> Iterator[Triple]:
    checksum = iris.checksum(resource)
    yield resource, SPDX.checksum, checksum
    yield checksum, RDF.type, SPDX.Checksum
    yield checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256
    yield checksum, SPDX.checksumValue, literal(sha256, XSD.hexBinary)


def period_triples(iris: Iris, period) -> tuple[URIRef, list[Triple]]:
    """An interval for a wareki Period: ``fy/{year}`` for fiscal years, ``period/…`` otherwise."""
    if period.kind == "fiscal-year":
        return iris.fiscal_year(period.fiscal_year), list(fiscal_year_triples(iris, period.fiscal_year))
    start, end = period.start.isoformat(), period.end.isoformat()
    interval = iris.period(start, end)
    triples: list[Triple] = [
        (interval, RDF.type, TIME.ProperInterval),
        (interval, RDFS.label, ja(period.label_ja)),
        (interval, RDFS.label, en(period.label_en)),
    ]
    for prop, iso in ((TIME.hasBeginning, start), (TIME.hasEnd, end)):
        instant = iris.date(iso)
        triples += [(interval, prop, instant), (instant, RDF.type, TIME.Instant)]
        triples.append((instant, TIME.inXSDDate, literal(iso, XSD.date)))
    return interval, triples


def _reading_triples(iris: Iris, node: URIRef, reading) -> Iterator[Triple]:
    """The derived facts of one value: number, unit, qualifiers, what it counts, its period."""
    if reading.value is not None:  # a milestone has a period only
        # not memoised: Decimal('1.0') == Decimal('1'), as keys too, yet their lexical forms differ
        yield node, SCHEMA.value, Literal(reading.value, datatype=XSD.decimal)
    if reading.unit:
        yield node, SCHEMA.unitText, literal(reading.unit)
    for qualifier in reading.qualifiers:
        yield node, P2R.qualifier, ja(qualifier)
    if reading.label:
        yield node, P2R.valueLabel, ja(reading.label)


def target_triples(iris: Iris, plan: Plan, identifier: str, indicator, n: int, item: str, reading) -> Iterator[Triple]:
    """Item n of an indicator: one target, or one per value when the item holds several."""
    info = plan.info
    values = reading.targets if reading else ()
    keys = [None] if len(values) <= 1 else list(range(1, len(values) + 1))
    nodes = []
    for k, value in zip(keys, values or (None,), strict=True):
        target = iris.target(info.series, info.edition, identifier, n, k)
        nodes.append(target)
        yield indicator, P2R.hasTarget, target
        yield target, RDF.type, P2R.Target
        yield target, RDFS.label, ja(item)
        yield target, P2R.itemNumber, literal(n, XSD.integer)
        if value is not None:
            yield from _reading_triples(iris, target, value)
            if value.period is not None:
                interval, triples = period_triples(iris, value.period)
                yield target, P2R.targetPeriod, interval
                yield from triples
    baselines = reading.baselines if reading else ()
    for k, value in enumerate(baselines, 1):
        baseline = iris.baseline(nodes[0], None if len(baselines) == 1 else k)
        yield nodes[0], P2R.baseline, baseline
        yield baseline, RDF.type, P2R.Baseline
        yield baseline, P2R.derivedBy, P2R.TargetReadingRule
        yield from _reading_triples(iris, baseline, value)
        if value.as_of is not None:
            if value.as_of.kind == "day":
                instant = iris.date(value.as_of.start.isoformat())
                yield baseline, P2R.asOf, instant
                yield instant, RDF.type, TIME.Instant
                yield instant, TIME.inXSDDate, literal(value.as_of.start.isoformat(), XSD.date)
            else:
                interval, triples = period_triples(iris, value.as_of)
                yield baseline, P2R.asOf, interval
                yield from triples


def derived_triples(plan: Plan, derived: Derived, *, iris: Iris) -> Iterator[Triple]:
    """Programmes, abbreviations and themes: each resource says which rule made it."""
    info = plan.info
    for programme in derived.programmes:
        iri = iris.programme(info.series, hashed_slug(programme.title))
        yield iri, RDF.type, P2R.Programme
        yield iri, DCTERMS.title, ja(programme.title)
        yield iri, P2R.derivedBy, P2R.ProgrammeRule
        for member in programme.members:
            yield iris.measure(info.series, info.edition, member), P2R.programme, iri
    for identifier, name in derived.abbreviations.items():
        yield iris.measure(info.series, info.edition, identifier), SKOS.altLabel, ja(name)
    if derived.theme_scheme is not None:
        yield from derived.theme_scheme.triples
    for identifier, matches in derived.themes.items():
        measure = iris.measure(info.series, info.edition, identifier)
        for theme in sorted({m.theme for m in matches}):
            theme_iri = URIRef(theme)
            assignment = iris.theme_assignment(measure, theme.rstrip("/").rsplit("/", 1)[-1])
            yield measure, P2R.theme, theme_iri
            yield measure, P2R.themeAssignment, assignment
            yield assignment, RDF.type, P2R.ThemeAssignment
            yield assignment, P2R.assignedTheme, theme_iri
            for hit in (m for m in matches if m.theme == theme):
                yield assignment, P2R.derivedBy, URIRef(hit.rule)
                yield assignment, P2R.matchedField, literal(hit.field)
                yield assignment, P2R.matchedText, ja(hit.text)


def _unit_slug(
    table: OrgTable | None, department: str, division: str, out: Collector, line: int | None
) -> tuple[str, str | None]:
    found = table.lookup(department, division) if table else None
    if found:
        return found.slug, found.name_en
    name = f"{department} {division}".strip()
    if table is not None:
        out.warn(
            Text(
                ja=f"「{name}」 が組織の表にありません。IRI には名前のダイジェストを使います",
                en=f"「{name}」 is not in the organisation table; its IRI uses a digest of the name",
            ),
            line=line,
            hint=Text(
                ja=f"{table.path} に ASCII の slug と英語名を付けて加えてください",
                en=f"add it to {table.path} with an ASCII slug and its English name",
            ),
        )
    return hashed_slug(division or department), None


def build_graph(
    plan: Plan,
    *,
    iris: Iris | None = None,
    organizations: OrgTable | None = None,
    derived: Derived | None = None,
    store: str = "Memory",
) -> GraphResult:
    """The plan's graph; with ``derived``, also what the rules read from it (marked as derived).
    Raises InputError when the metadata the IRIs need is missing."""
    check_metadata(plan)
    literal.cache_clear()  # a memo per plan: another plan's texts are not this one's
    out = Collector(plan.source.path if plan.source else "<plan>")
    graph = new_graph(store)
    triples = plan_triples(plan, iris=iris or Iris(), organizations=organizations, out=out, derived=derived)
    if isinstance(graph.store, AppendedMemory):
        graph.store.extend(triples)
    else:
        for triple in triples:
            graph.add(triple)
    # one warning per unit, however many entries name it
    seen: set[str] = set()
    warnings = []
    for w in out.warnings:
        if w.message not in seen:
            seen.add(w.message)
            warnings.append(w)
    if out.errors:
        raise InputError(out.problems)
    return GraphResult(graph, warnings)
