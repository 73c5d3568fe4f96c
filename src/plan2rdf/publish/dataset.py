"""What goes into which graph: files, files of named graphs, and a build's output directory.

A file of triples goes to the one target graph (``--graph``, else the default graph). A file of named
graphs (N-Quads, TriG: a corpus build's corpus.nq) keeps its graphs: each named graph goes to the
graph of the same name, its triples outside any graph to the target graph. A build's output
directory is its data (a single build's ``.nt``; a corpus build's ``corpus.nq``) plus its DCAT/VoID
metadata (``.meta.ttl``; ``catalog.ttl``), which goes to a graph of its own: ``meta_graph``, else the
graph named by what the metadata describes (the corpus's ``dcat:Catalog``, a single build's dataset).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plan2rdf.i18n import Text, join
from plan2rdf.publish.errors import DEFAULT_GRAPH, NOTHING_UPLOADED, PublishError
from plan2rdf.rdfio.formats import format_for

if TYPE_CHECKING:
    from plan2rdf.publish.upload import PublishReport

CORPUS_DATA = ("corpus.nq", "corpus.trig")  # either holds the whole corpus: the first found is sent
CORPUS_METADATA = "catalog.ttl"
META_SUFFIX = ".meta.ttl"
_DCAT = "http://www.w3.org/ns/dcat#"
_VOID = "http://rdfs.org/ns/void#"


@dataclass
class GraphTarget:
    """The files that go into one graph (None: the target graph of the command) and what they are."""

    graph: str | None
    files: list[Path] = field(default_factory=list)
    metadata: bool = False


def build_outputs(directory: Path) -> tuple[list[Path], list[Path]]:
    """A build's output directory as (data files, metadata files); PublishError if it is none."""
    for name in CORPUS_DATA:
        if (directory / name).is_file():
            meta = directory / CORPUS_METADATA
            return [directory / name], [meta] if meta.is_file() else []
    data = sorted(p for p in directory.glob("*.nt") if p.is_file())
    meta = sorted(p for p in directory.glob("*" + META_SUFFIX) if p.is_file())
    if not data:
        raise PublishError(
            Text(
                ja=f"{directory}: build の出力フォルダーではありません（corpus.nq、corpus.trig、.nt "
                "のファイルがありません）",
                en=f"{directory}: not a build's output directory (no corpus.nq, corpus.trig or .nt file)",
            ),
            Text(
                ja="`plan2rdf build` の --out のフォルダーか、公開するファイルを指定してください",
                en="give the --out directory of `plan2rdf build`, or the files to publish",
            ),
        )
    return data, meta


def plan_targets(files: list[Path], *, workdir: Path, meta_graph: str | None = None) -> list[GraphTarget]:
    """The graphs to publish and the N-Triples or other triple files for each, in a stable order.

    Files of named graphs are split into one N-Triples file per graph in ``workdir``. Every file is
    read before anything is sent; problems are reported together.
    """
    from plan2rdf.publish.sources import split_named_graphs

    targets: dict[str | None, GraphTarget] = {}
    metadata: list[Path] = []
    problems: list[Text] = []

    def add(graph: str | None, path: Path) -> None:
        targets.setdefault(graph, GraphTarget(graph)).files.append(path)

    for given in files:
        paths = [given]
        if given.is_dir():
            try:
                paths, meta = build_outputs(given)
            except PublishError as exc:
                problems.append(exc.whole())
                continue
            metadata += meta
        for path in paths:
            fmt = format_for(path)
            if fmt is None or not fmt.quads or not path.is_file():
                add(None, path)  # sources.prepare reports a missing or unknown file with the others
                continue
            try:
                for graph, part in split_named_graphs(path, fmt, workdir):
                    add(graph, part)
            except PublishError as exc:
                problems.append(exc.whole())
    if problems:
        raise PublishError(join(problems), NOTHING_UPLOADED)
    result = list(targets.values())
    if metadata:
        name = meta_graph or described_graph(metadata)
        if name in targets:
            raise PublishError(
                Text(
                    ja=f"メタデータのグラフ <{name}> がデータのグラフでもあります",
                    en=f"the metadata graph <{name}> is also a data graph",
                ),
                Text(ja="別の --meta-graph IRI を指定してください", en="give another --meta-graph IRI"),
            )
        result.append(GraphTarget(name, metadata, metadata=True))
    return result


def described_graph(metadata: list[Path]) -> str:
    """The graph for a build's metadata: named by the dcat:Catalog it describes, else its one dataset."""
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    graph = Graph()
    for path in metadata:
        graph.parse(path, format="turtle")
    for kind in (URIRef(_DCAT + "Catalog"), URIRef(_VOID + "Dataset")):
        found = sorted({str(s) for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)})
        if len(found) == 1:
            return found[0]
    files = ", ".join(p.name for p in metadata)
    raise PublishError(
        Text(
            ja=f"{files}: メタデータがどのグラフのものか分かりません",
            en=f"{files}: cannot tell which graph the metadata belongs to",
        ),
        Text(ja="--meta-graph IRI を指定してください", en="give --meta-graph IRI"),
    )


def publish_all(
    files: list[Path],
    *,
    graph: str | None,
    meta_graph: str | None = None,
    **options: Any,
) -> list[PublishReport]:
    """Publish files and build directories, each graph on its own (``publish`` per graph: replaced
    atomically and verified one by one); one PublishReport per graph, in order.

    ``graph`` is the target of triples outside named graphs; ``options`` are :func:`publish`'s.
    """
    import tempfile

    from plan2rdf.publish.upload import publish

    with tempfile.TemporaryDirectory(prefix="plan2rdf-graphs-") as work:
        targets = plan_targets(files, workdir=Path(work), meta_graph=meta_graph)
        if graph is not None and all(t.graph is not None for t in targets):
            raise PublishError(
                Text(
                    ja=f"--graph <{graph}> には何も入りません。"
                    "入力のトリプルはすべてそれぞれの名前付きグラフにあります",
                    en=f"--graph <{graph}> would receive nothing: every triple of the input is in a named graph of its "
                    "own",
                ),
                Text(
                    ja="--graph を外してください。名前付きグラフはそれぞれその名前のグラフに公開されます",
                    en="leave out --graph: each named graph is published to the graph of its name",
                ),
            )
        names = [t.graph for t in targets if t.graph is not None]
        if graph in names:
            raise PublishError(
                Text(
                    ja=f"<{graph}> は入力の名前付きグラフでもあります",
                    en=f"<{graph}> is also a named graph of the input",
                ),
                Text(ja="別の --graph IRI を指定してください", en="give another --graph IRI"),
            )
        reports: list[PublishReport] = []
        for target in targets:
            try:
                reports.append(publish(target.files, graph=target.graph or graph, **options))
            except PublishError as exc:
                if not reports:
                    raise
                done = join((f"<{r.graph}>" if r.graph else DEFAULT_GRAPH for r in reports), ", ", ja_sep="、")
                published = Text(ja="公開済み: ", en="already published: ") + done
                raise PublishError(
                    exc.message, join([h for h in (exc.hint, published) if h], "; ", ja_sep="。")
                ) from None
        return reports
