"""The page models of the site's resources, built from the graph's index: the plan, its measures,
directions, organisations, programmes and themes, and any other resource as a table of its triples."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from plan2rdf.graph.mapping import MEDIA_TYPES
from plan2rdf.rdfio.writers import natural_key
from plan2rdf.site.index import Index, compact, decimal_text, short_name, text_lines
from plan2rdf.site.layout import Layout
from plan2rdf.site.models import (
    BaselineView,
    ChangeLine,
    Count,
    Counts,
    DirectionSummary,
    DirectionView,
    Download,
    EditionSummary,
    GroupView,
    IndicatorView,
    Label,
    MeasureRow,
    MeasureView,
    PlanView,
    PropertyRow,
    Ref,
    ResourceView,
    Revision,
    SourcePlace,
    TargetView,
    ThemeUse,
    UnitLine,
    UnitView,
    Value,
)
from plan2rdf.vocab import ORG, P2R, SCHEMA

# Derived predicates that are not ours (docs/vocabulary.md, "Derived facts").
EXTERNAL_DERIVED = frozenset({SCHEMA.value, SCHEMA.unitText, SKOS.altLabel})
# Sources whose p2r:sourceLine counts a sheet's rows rather than lines of text
SHEET_MEDIA_TYPES = frozenset({MEDIA_TYPES["csv"], MEDIA_TYPES["xlsx"]})


def derived_predicates(ontology: Index) -> frozenset:
    """The predicates whose values we inferred: the ontology's p2r:DerivedProperty terms and a few others."""
    return frozenset(ontology.of_type(P2R.DerivedProperty)) | EXTERNAL_DERIVED


class Views:
    """Builds the page models from the index."""

    def __init__(self, index: Index, layout: Layout, derived_predicates: frozenset, scope: frozenset | None = None):
        self.ix = index
        self.layout = layout
        self.derived_predicates = derived_predicates
        self.prefectures = set(index.of_type(ORG.FormalOrganization))
        self.scope = scope  # the measures of one edition, or None for every measure in the graph

    def scoped(self, plan) -> Views:
        """The same views over one edition's measures only (its counts, charts and lists)."""
        return Views(self.ix, self.layout, self.derived_predicates, frozenset(self.ix.refs(plan, P2R.hasMeasure)))

    def within(self, measures: Iterable) -> list:
        """The measures in scope, in their given order."""
        return [m for m in measures if self.scope is None or m in self.scope]

    def all_measures(self) -> list[URIRef]:
        return self.within(self.ix.of_type(P2R.Measure))

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
        return sorted(self.all_measures(), key=self.measure_key)

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
            or short_name(str(m)),
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
        previous = ix.one(m, PROV.wasRevisionOf)
        later = sorted(ix.subjects(PROV.wasRevisionOf, m), key=lambda x: natural_key(str(x)))
        return MeasureView(
            row=self.row(m),
            summary=tuple(text_lines(ix.text(m, DCTERMS.description))),
            summary_source=ix.text(m, P2R.summarySourceText),
            title_source=ix.text(m, P2R.titleSourceText),
            unit_source=ix.text(m, P2R.unitSourceText),
            units=units,
            reposts=tuple(ix.ref(r) for r in sorted(ix.subjects(P2R.repostOf, m), key=self.measure_key)),
            programme=ix.ref(programme) if programme is not None else None,
            themes=tuple(sorted(themes, key=lambda t: natural_key(t.theme.iri))),
            alt_labels=tuple(str(o) for o in ix.all(m, SKOS.altLabel)),
            indicator=self.indicator(indicator) if isinstance(indicator, URIRef) else None,
            source=self.source_place(plans[0] if plans else None, line) if line is not None else None,
            plan=ix.ref(plans[0]) if plans else None,
            previous=self.revision(previous, previous, m) if previous is not None else None,
            next=self.revision(later[0], m, later[0]) if later else None,
        )

    def source_place(self, plan, line) -> SourcePlace:
        """The measure's line, and whether it counts a spreadsheet's rows (of which sheet): from the
        plan's source file (``prov:wasDerivedFrom``), its media type and ``p2r:sourceSheet``."""
        source = self.ix.one(plan, PROV.wasDerivedFrom) if plan is not None else None
        if source is None:
            return SourcePlace(str(line))
        sheet = self.ix.text(source, P2R.sourceSheet, None)
        media = self.ix.text(source, DCTERMS.format, None)
        return SourcePlace(str(line), rows=bool(sheet) or media in SHEET_MEDIA_TYPES, sheet=sheet or None)

    # editions ----------------------------------------------------------------------------------

    def revision(self, other, older, newer) -> Revision:
        """``other`` (the measure in the previous or next edition) and the changes from older to newer."""
        plans = self.ix.subjects(P2R.hasMeasure, other)
        return Revision(
            measure=self.ix.ref(other),
            identifier=self.ix.text(other, DCTERMS.identifier, None) or short_name(str(other)),
            edition=self.ix.ref(plans[0]) if plans else None,
            changes=tuple(self.changes(older, newer)),
        )

    def changes(self, older, newer) -> list[ChangeLine]:
        """The fields that differ between two editions of a measure, in the plans' own words; the
        values read from the target items (derived) beside them."""
        fields = (
            (Label("名称", "Name"), False, lambda m: (self.ix.text(m, DCTERMS.title) or "",)),
            (Label("担当", "Responsible"), False, lambda m: tuple(self.ix.label(u).ja for u in self.unit_order(m))),
            (Label("指標・目標（原文）", "Indicator as published"), False, self.indicator_text),
            (Label("目標値", "Target values"), True, self.target_values),
        )
        lines = []
        for label, derived, read in fields:
            before, after = read(older), read(newer)
            if before != after:
                lines.append(ChangeLine(label, before, after, derived))
        return lines

    def edition(self, plan) -> EditionSummary:
        """An edition's counts for the list of editions (target items counted on the originals)."""
        ix = self.ix
        measures = ix.refs(plan, P2R.hasMeasure)
        originals = [m for m in measures if not self.is_repost(m)]
        targets = [t for m in originals for i in ix.refs(m, P2R.hasIndicator) for t in ix.refs(i, P2R.hasTarget)]
        temporal = ix.one(plan, DCTERMS.temporal)
        return EditionSummary(
            ref=ix.ref(plan),
            fiscal_year=ix.ref(temporal) if temporal is not None else None,
            measures=len(measures),
            new=sum(1 for m in measures if str(ix.one(m, P2R.isNew)) == "true"),
            reposts=len(measures) - len(originals),
            targets=len(targets),
            valued=sum(1 for t in targets if ix.one(t, SCHEMA.value) is not None),
        )

    def unit_order(self, m) -> list[URIRef]:
        return sorted(self.ix.refs(m, P2R.responsibleUnit), key=lambda u: natural_key(str(u)))

    def indicator_text(self, m) -> tuple[str, ...]:
        indicator = self.ix.one(m, P2R.hasIndicator)
        return tuple(text_lines(self.ix.text(indicator, P2R.sourceText))) if indicator is not None else ()

    def target_values(self, m) -> tuple[str, ...]:
        indicator = self.ix.one(m, P2R.hasIndicator)
        if indicator is None:
            return ()
        values = []
        for t in sorted(self.ix.refs(indicator, P2R.hasTarget), key=lambda t: natural_key(str(t))):
            value = self.ix.one(t, SCHEMA.value)
            unit = self.ix.text(t, SCHEMA.unitText, None) or self.ix.text(t, SCHEMA.unitText) or ""
            if value is not None:
                label = self.ix.text(t, P2R.valueLabel) or ""
                values.append(f"{label} {decimal_text(str(value))}{unit}".strip())
        return tuple(values)

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
            lines=tuple(text_lines(ix.text(indicator, DCTERMS.description))),
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
            value=decimal_text(str(value)) if value is not None else None,
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
            value=decimal_text(str(value)) if value is not None else None,
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
        for m in self.all_measures():
            for dept in self.departments_of(m):
                result[dept].add(m)
        return result

    def directions(self) -> list[URIRef]:
        found = {self.ix.one(m, P2R.direction) for m in self.all_measures()} - {None}
        for scheme in self.ix.of_type(SKOS.ConceptScheme):
            if self.ix.subjects(P2R.directionScheme, scheme):
                found.update(self.ix.refs(scheme, SKOS.hasTopConcept))
        return sorted(
            found, key=lambda d: (natural_key(self.ix.text(d, SKOS.notation, None) or ""), natural_key(str(d)))
        )

    def direction_summary(self, d) -> DirectionSummary:
        measures = self.within(self.ix.subjects(P2R.direction, d))
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
        measures = self.within(self.ix.subjects(P2R.direction, d))
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
                by_child[child] = set(self.within(ix.subjects(P2R.responsibleUnit, child))) | {
                    m for d in ix.subjects(ORG.unitOf, child) for m in self.within(ix.subjects(P2R.responsibleUnit, d))
                }
            else:
                by_child[child] = set(self.within(ix.subjects(P2R.responsibleUnit, child)))
        own = set(self.within(ix.subjects(P2R.responsibleUnit, u)))
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
            measures = self.within(ix.subjects(P2R.programme, g))
        elif kind == "theme":
            measures = self.within(ix.subjects(P2R.theme, g))
            for assignment in ix.subjects(P2R.assignedTheme, g):
                for m in self.within(ix.subjects(P2R.themeAssignment, assignment)):
                    evidence[str(m)] = self.theme_use(assignment, g)
            for rule in sorted(ix.subjects(P2R.assigns, g), key=lambda r: natural_key(str(r))):
                fields = tuple(str(o) for o in ix.all(rule, P2R.field))
                rules.append((ix.ref(rule), ix.text(rule, P2R.pattern, None) or "", fields))
        else:  # a concept scheme: its concepts and how many measures each has
            measures = []
            concepts = set(ix.subjects(SKOS.inScheme, g)) | set(ix.refs(g, SKOS.hasTopConcept))
            members = self.counted(
                {c: set(self.within([*ix.subjects(P2R.direction, c), *ix.subjects(P2R.theme, c)])) for c in concepts},
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

    def plan(self, p, downloads: Sequence[Download], editions: Sequence[EditionSummary] = ()) -> PlanView:
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
            editions=tuple(editions),
        )

    # any resource ----------------------------------------------------------------------------

    def value(self, o) -> Value:
        if isinstance(o, URIRef):
            return Value(self.ix.label(o).ja if o in self.ix.out else compact(str(o)), iri=str(o))
        if isinstance(o, Literal):
            datatype = compact(str(o.datatype)) if o.datatype and o.datatype != XSD.string else None
            return Value(str(o), lang=o.language, datatype=datatype)
        return Value(str(o))

    def resource(self, s, ontology: Index | None) -> ResourceView:
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


def anchor_of(iri: str, owner: str) -> str:
    """The id of a part on its owner's page: ``…/1-2/target/1`` on ``…/1-2`` → ``target-1``."""
    rest = iri[len(owner) :].strip("/") if iri.startswith(owner + "/") else short_name(iri)
    return re.sub(r"[^A-Za-z0-9_-]+", "-", rest) or "part"
