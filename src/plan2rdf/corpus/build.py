"""Corpus builds: many plans into one dataset, streamed (the pipeline reads, validates and hands
each plan's graph here, in parallel workers).

Each plan's own triples (subjects under its ``{series}/{edition}`` IRI) go to its named graph
``{series}/{edition}/graph``; resources that plans share (organisations, directions, programmes,
fiscal years, dates, themes) go once to the graph ``shared``; links between editions
(``prov:wasRevisionOf``, derived) to the graph ``links``. Outputs: ``corpus.nq``, ``corpus.trig``
(``.nq.gz`` and ``.trig.gz`` with ``compress``: each plan's text is compressed in its worker, one
gzip member per plan, which every gzip reader reads as one stream) and ``catalog.ttl`` (a DCAT
catalogue with one dataset per plan, each in its series).

Memory stays bounded by the largest plan: workers return one plan's serialized text at a time,
the writer appends it to temporary files, and the edition index lives in SQLite on disk.
"""

from __future__ import annotations

import glob
import hashlib
import itertools
import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem
from plan2rdf.rdfio.formats import by_name
from plan2rdf.settings import EACH_EDITION_ONCE, BuildSettings
from plan2rdf.vocab import Iris

if TYPE_CHECKING:
    from plan2rdf.rdfio.table import TermTable

SOURCE_SUFFIXES = (".txt", ".xlsx", ".csv")  # preference when one stem has several forms
NOT_PLANS = {"organizations.csv", "template.csv", "template.xlsx"}
GZIP_LEVEL = 3  # a thirteenth of the size, in half the time of gzip's default 6 (a fifteenth)


def output_names(compress: bool) -> tuple[str, str]:
    """The corpus's N-Quads and TriG file names."""
    suffix = ".gz" if compress else ""
    return f"corpus.nq{suffix}", f"corpus.trig{suffix}"


def encoded(text: str, compress: bool) -> bytes:
    """Text as the corpus files hold it: UTF-8, gzip-compressed when the corpus is (:func:`compressed`)."""
    return compressed(text.encode("utf-8"), compress)


def compressed(data: bytes, compress: bool) -> bytes:
    """UTF-8 as the corpus files hold it: gzip-compressed (no timestamp: same input, same bytes) when ``compress``."""
    import gzip

    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0) if compress else data


def expand_sources(arguments: list[str | Path]) -> list[Path]:
    """Files as given; directories searched recursively; globs expanded. Sorted, deduplicated.

    A directory may hold one plan in several forms (``plan.txt`` and ``plan.csv``): the text export
    is taken, then XLSX, then CSV, so each edition is read once.
    """
    found: list[Path] = []
    problems = []
    for argument in arguments:
        text = str(argument)
        path = Path(text)
        if path.is_dir():
            by_stem: dict[Path, Path] = {}
            for candidate in sorted(path.rglob("*")):
                if candidate.suffix.lower() not in SOURCE_SUFFIXES or candidate.name in NOT_PLANS:
                    continue
                stem = candidate.with_suffix("")
                current = by_stem.get(stem)
                rank = SOURCE_SUFFIXES.index(candidate.suffix.lower())
                if current is None or rank < SOURCE_SUFFIXES.index(current.suffix.lower()):
                    by_stem[stem] = candidate
            found.extend(by_stem.values())
        elif any(ch in text for ch in "*?["):
            matches = sorted(Path(m) for m in glob.glob(text, recursive=True))
            if not matches:
                problems.append(
                    Problem(
                        text,
                        Text(ja="パターンに合うファイルがありません", en="the pattern matches no file"),
                        hint=Text(ja="パターンを確かめてください", en="check the pattern"),
                    )
                )
            found.extend(m for m in matches if m.is_file())
        else:
            found.append(path)
    if problems:
        raise InputError(problems)
    unique = sorted(dict.fromkeys(found), key=lambda p: str(p))
    return unique


@dataclass
class PlanOutput:
    source: str
    problems: list[Problem] = field(default_factory=list)
    series: str | None = None
    edition: str | None = None
    measures: int = 0
    triples: int = 0
    nquads: bytes = b""  # encoded(): UTF-8, gzip-compressed when the corpus is
    trig: bytes = b""
    shared: list[str] = field(default_factory=list)  # N-Triples lines without the final " ."
    catalog: dict = field(default_factory=dict)
    index: list[tuple] = field(default_factory=list)  # for edition links
    results: list = field(default_factory=list)  # validation results
    conforms: bool = True


def _is_plan_scoped(subject: str, plan_iri: str) -> bool:
    return subject == plan_iri or subject.startswith(plan_iri + "/")


def plan_output(
    plan, graph, *, iris: Iris, output: PlanOutput, compress: bool = False, table: TermTable | None = None
) -> PlanOutput:
    """One plan's part of the corpus, serialized (in a worker): its own triples as its named graph,
    the shared ones as N-Triples lines, its catalogue entry and its rows for the edition index
    (``table``: the graph's :class:`TermTable`, made here when not given)."""
    from plan2rdf.rdfio.table import TermTable
    from plan2rdf.rdfio.writers import graph_bytes

    info = plan.info
    plan_iri = str(iris.plan(info.series, info.edition))
    output.series, output.edition = info.series, info.edition
    output.measures = len(plan.measures)
    output.triples = len(graph)
    graph_iri = iris.plan_graph(info.series, info.edition)
    table = table if table is not None else TermTable.of(graph)
    texts = table.texts
    own: list[str] = []
    shared: list[str] = []
    # Each subject's graph (own or shared) decided once: a subject has some six triples.
    where: dict[int, list[str]] = {}
    for s, p, o in table.triples:
        lines = where.get(s)
        if lines is None:
            lines = where[s] = own if _is_plan_scoped(str(table.terms[s]), plan_iri) else shared
        lines.append(f"{texts[s]} {texts[p]} {texts[o]}")
    own.sort()
    nquads, trig = graph_bytes(own, graph_iri)
    output.nquads = compressed(nquads, compress)
    output.trig = compressed(b"\n" + trig, compress)
    output.shared = sorted(shared)
    output.catalog = {
        "title": info.title,
        "title_en": info.title_en,
        "fiscal_year": info.fiscal_year,
        "publisher": info.publisher.slug,
        "area_code": info.publisher.area_code,
        "triples": len(own),
        "source": Path(plan.source.path).name,
        "sha256": plan.source.sha256,
        "size": plan.source.size,
        "format": plan.source.format,
    }
    output.index = [
        (m.identifier, m.title, m.responsibility.department, json.dumps(m.responsibility.divisions, ensure_ascii=False))
        for m in plan.measures
        if not m.is_repost
    ]
    return output


@dataclass
class CorpusResult:
    sources: int
    plans: int = 0
    measures: int = 0
    triples: int = 0
    files: list[Path] = field(default_factory=list)
    failures: list[PlanOutput] = field(default_factory=list)  # input errors or non-conforming plans
    warnings: list[Problem] = field(default_factory=list)
    written: bool = False


def write_corpus(
    outputs: Iterable[PlanOutput],
    *,
    sources: int,
    out_dir: Path,
    settings: BuildSettings,
    progress: Callable[[PlanOutput], None] | None = None,
) -> CorpusResult:
    """Every plan's output into one dataset; nothing is written unless every plan is usable and conforms."""
    result = CorpusResult(sources=sources)
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".plan2rdf-corpus-", dir=out_dir))
    try:
        writer = _CorpusWriter(work, result, compress=settings.compress)
        for output in outputs:
            if progress:
                progress(output)
            writer.add(output)
        if result.failures:
            writer.close()
            return result
        writer.finish(settings)
        for name in (*output_names(settings.compress), "catalog.ttl"):
            os.replace(work / name, out_dir / name)
            result.files.append(out_dir / name)
        for stale in output_names(not settings.compress):  # a previous build's other form, now out of date
            (out_dir / stale).unlink(missing_ok=True)
        result.written = True
        return result
    finally:
        for leftover in work.glob("*"):
            leftover.unlink()
        work.rmdir()


class _CorpusWriter:
    """Appends each usable plan to the work folder's files; the shared graphs and catalogue last."""

    def __init__(self, work: Path, result: CorpusResult, *, compress: bool = False):
        self.work, self.result, self.compress = work, result, compress
        self.nq, self.trig = _open_outputs(work, compress)
        self.index = sqlite3.connect(work / "index.sqlite")
        self.index.execute("CREATE TABLE entry (series, edition, year, identifier, title, department, divisions)")
        self.shared: set[str] = set()  # N-Triples lines: each shared resource once
        self.catalog: list[tuple[str, str, dict]] = []
        self.seen: dict[tuple[str, str], str] = {}

    def add(self, output: PlanOutput) -> None:
        result = self.result
        result.warnings.extend(p for p in output.problems if p.severity.value == "warning")
        if not output.conforms or any(p.severity.value == "error" for p in output.problems):
            result.failures.append(output)
            return
        key = (output.series, output.edition)
        if key in self.seen:
            output.problems = [
                Problem(
                    output.source,
                    Text(
                        ja=f"計画 {key[0]}/{key[1]} は {self.seen[key]} からも作られています",
                        en=f"plan {key[0]}/{key[1]} is also built from {self.seen[key]}",
                    ),
                    hint=EACH_EDITION_ONCE,
                )
            ]
            result.failures.append(output)
            return
        self.seen[key] = output.source
        if result.failures:
            return  # nothing will be written: keep checking the rest, skip the writing
        self.nq.write(output.nquads)
        self.trig.write(output.trig)
        self.shared.update(output.shared)
        self.index.executemany(
            "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(key[0], key[1], output.catalog["fiscal_year"], *row) for row in output.index],
        )
        self.catalog.append((key[0], key[1], output.catalog))
        result.plans += 1
        result.measures += output.measures
        result.triples += output.triples

    def close(self) -> None:
        self.nq.close()
        self.trig.close()
        self.index.close()

    def finish(self, settings: BuildSettings) -> None:
        iris = settings.iris
        series = [entry[0] for entry in self.catalog]
        if len(set(series)) < len(series):  # editions to link: their entries looked up, not scanned for
            self.index.execute("CREATE INDEX entry_edition ON entry (series, edition)")
        links = list(_edition_links(self.index, iris))
        _write_shared(self.nq, self.trig, iris, self.shared, links, self.compress)
        self.close()
        files = {self.nq.name: self.nq.digest(), self.trig.name: self.trig.digest()}
        text = _catalog(self.catalog, files, iris=iris, options=settings, epoch=settings.epoch, links=len(links))
        (self.work / "catalog.ttl").write_text(text, encoding="utf-8")


@dataclass(frozen=True)
class Digest:
    """A written file's size and SHA-256, as the catalogue describes its distribution."""

    size: int
    sha256: str


class _HashedFile:
    """A file written once from start to end, hashed as it is written: reading a corpus's
    gigabytes back to hash them was a second of the build's tail, after the last plan."""

    def __init__(self, path: Path):
        self.name = path.name
        self.file: BinaryIO = path.open("wb")
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.hash.update(data)  # hashlib releases the GIL: results keep arriving meanwhile
        self.size += len(data)

    def close(self) -> None:
        self.file.close()

    def digest(self) -> Digest:
        return Digest(self.size, self.hash.hexdigest())


def _open_outputs(work: Path, compress: bool) -> tuple[_HashedFile, _HashedFile]:
    """The N-Quads and TriG files in the work folder, open for appending each plan's graph."""
    nq_name, trig_name = output_names(compress)
    nq = _HashedFile(work / nq_name)
    trig = _HashedFile(work / trig_name)
    header = "# plan2rdf corpus: one named graph per plan, then the graphs shared and links\n"
    trig.write(encoded(header, compress))
    return nq, trig


def _write_shared(nq: _HashedFile, trig: _HashedFile, iris, shared: set[str], links: list, compress: bool) -> None:
    """The graph ``shared`` (resources plans share, each once) and the graph ``links``."""
    from plan2rdf.rdfio.writers import graph_bytes

    for graph_name, lines in ((iris.shared_graph(), sorted(shared)), (iris.links_graph(), sorted(_nt_lines(links)))):
        if lines:
            nquads, block = graph_bytes(lines, graph_name)
            nq.write(compressed(nquads, compress))
            trig.write(compressed(b"\n" + block, compress))


def _nt_lines(triples) -> set[str]:
    from plan2rdf.rdfio.writers import nt_statement

    return {nt_statement(s, p, o) for s, p, o in triples}


def _edition_links(index: sqlite3.Connection, iris) -> Iterator[tuple]:
    """prov:wasRevisionOf from an entry to the entry it continues in the series' previous edition."""
    from rdflib.namespace import PROV

    from plan2rdf.diff import match_entries
    from plan2rdf.model import Measure, Responsibility
    from plan2rdf.read.cells import parse_cell

    empty = parse_cell("")
    editions: dict[str, list[tuple]] = {}
    for series, edition, year in index.execute(
        "SELECT DISTINCT series, edition, year FROM entry ORDER BY series, year, edition"
    ):
        editions.setdefault(series, []).append((edition, year))

    def entries(series: str, edition: str) -> list[Measure]:
        rows = index.execute(
            "SELECT identifier, title, department, divisions FROM entry WHERE series = ? AND edition = ?",
            (series, edition),
        )
        measures = []
        for identifier, title, department, divisions in rows:
            direction, number = (int(x) for x in identifier.split("-"))
            unit = Responsibility("", department, tuple(json.loads(divisions)))
            measures.append(Measure(direction, number, False, title, title, empty, empty, unit))
        return sorted(measures, key=lambda m: (m.direction, m.number))

    for series, ordered in editions.items():
        # only one plan per series and year can be "the previous edition"
        for (old, _), (new, _) in itertools.pairwise(ordered):
            for before, after in match_entries(entries(series, old), entries(series, new)):
                yield (
                    iris.measure(series, new, after.identifier),
                    PROV.wasRevisionOf,
                    iris.measure(series, old, before.identifier),
                )


def _catalog(catalog, files: dict[str, Digest], *, iris, options: BuildSettings, epoch: int | None, links: int) -> str:
    """DCAT: one catalogue, one dataset per plan in a dataset series per plan series."""

    from rdflib import Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, PROV, RDF, VOID, XSD

    DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's DCAT lacks DCAT 3's DatasetSeries, inSeries

    from plan2rdf.graph.dataset import LANGUAGE_JA, build_triples, timestamp
    from plan2rdf.graph.mapping import checksum_triples, en, ja
    from plan2rdf.rdfio.writers import turtle
    from plan2rdf.vocab import P2R, SHAPES_IRI

    triples = []
    add = triples.append
    licence = URIRef(options.license)
    root = iris.catalogue()
    corpus = iris.corpus()
    add((root, RDF.type, DCAT.Catalog))
    add((root, DCTERMS.title, ja("plan2rdf アクションプラン集")))
    add((root, DCTERMS.title, en("plan2rdf action plan corpus")))
    add((root, DCTERMS.license, licence))
    add((root, DCAT.dataset, corpus))
    add((corpus, RDF.type, DCAT.Dataset))
    add((corpus, RDF.type, VOID.Dataset))
    add((corpus, DCTERMS.title, en(f"{len(catalog)} action plans as one knowledge graph")))
    add((corpus, DCTERMS.license, licence))
    add((corpus, DCTERMS.conformsTo, URIRef(SHAPES_IRI)))
    add((corpus, DCTERMS.language, LANGUAGE_JA))
    total = 0
    for series, edition, info in catalog:
        dataset = iris.dataset(series, edition)
        series_iri = iris.editions(series)
        total += info["triples"]
        add((root, DCAT.dataset, dataset))
        add((corpus, VOID.subset, dataset))
        add((series_iri, RDF.type, DCAT.DatasetSeries))
        add((series_iri, DCTERMS.title, ja(f"{info['title']} の各版")))
        add((root, DCAT.dataset, series_iri))
        add((dataset, RDF.type, DCAT.Dataset))
        add((dataset, RDF.type, VOID.Dataset))
        add((dataset, DCAT.inSeries, series_iri))
        add((dataset, DCTERMS.title, ja(info["title"])))
        if info["title_en"]:
            add((dataset, DCTERMS.title, en(info["title_en"])))
        add((dataset, DCTERMS.publisher, iris.publisher(info["publisher"])))
        add((dataset, DCTERMS.temporal, iris.fiscal_year(info["fiscal_year"])))
        if info["area_code"]:
            add((dataset, DCTERMS.spatial, iris.area(info["area_code"])))
        add((dataset, DCTERMS.license, licence))
        add((dataset, VOID.rootResource, iris.plan(series, edition)))
        add((dataset, P2R.namedGraph, iris.plan_graph(series, edition)))
        add((dataset, VOID.triples, Literal(info["triples"], datatype=XSD.integer)))
        source = iris.source(series, edition)
        add((dataset, PROV.wasDerivedFrom, source))
        add((source, RDF.type, PROV.Entity))
        add((source, DCTERMS.title, Literal(info["source"])))
        add((source, DCAT.byteSize, Literal(info["size"], datatype=XSD.integer)))
        triples.extend(checksum_triples(iris, source, info["sha256"]))
    add((corpus, VOID.triples, Literal(total, datatype=XSD.integer)))
    triples.extend(_distributions(files, iris=iris, corpus=corpus, licence=licence))
    build = iris.corpus_build()
    add((corpus, PROV.wasGeneratedBy, build))
    triples.extend(build_triples(build, f"plan2rdf build of {len(catalog)} plans", epoch))
    if epoch is not None:
        add((corpus, DCTERMS.modified, timestamp(epoch)))
    header = f"DCAT catalogue of a plan2rdf corpus build: {len(catalog)} plans, {links} links between editions"
    return turtle(triples, base=iris.base, header=header)


def _distributions(files: dict[str, Digest], *, iris, corpus, licence) -> list[tuple]:
    """The corpus's distributions (N-Quads, TriG; gzipped or not): media type, size, checksum."""
    from rdflib import Literal, Namespace
    from rdflib.namespace import DCTERMS, RDF, XSD

    from plan2rdf.graph.mapping import checksum_triples

    DCAT = Namespace("http://www.w3.org/ns/dcat#")
    triples: list[tuple] = []
    add = triples.append
    for name, digest in sorted(files.items()):
        extension = name.split(".", 1)[1]  # nq, trig, nq.gz, trig.gz
        fmt = by_name(extension.removesuffix(".gz"))
        distribution = iris.corpus_distribution(extension)
        add((corpus, DCAT.distribution, distribution))
        add((distribution, RDF.type, DCAT.Distribution))
        add((distribution, DCTERMS.title, Literal(f"{fmt.label}: {name}")))
        add((distribution, DCAT.mediaType, iris.media_type(fmt.media_type)))
        if extension.endswith(".gz"):
            add((distribution, DCAT.compressFormat, iris.media_type("application/gzip")))
        add((distribution, DCAT.byteSize, Literal(digest.size, datatype=XSD.integer)))
        add((distribution, DCAT.downloadURL, iris.corpus_file(name)))
        add((distribution, DCTERMS.license, licence))
        triples.extend(checksum_triples(iris, distribution, digest.sha256))
    return triples
