"""The files to publish: which formats are accepted, checking and scanning them, and chunking them.

Every file is checked and scanned before anything is uploaded. Formats other than N-Triples are
converted to N-Triples with rdflib first; each file is then split into N-Triples requests.
"""

from __future__ import annotations

import gzip
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from plan2rdf.i18n import Text, as_text, join
from plan2rdf.publish.client import Body, bytes_body
from plan2rdf.publish.errors import NOTHING_UPLOADED, PublishError, one_line
from plan2rdf.rdfio.formats import (
    NTRIPLES,
    RdfFormat,
    format_for,
    formats_phrase,
    is_gzipped,
    quad_formats,
    suffix_list,
    triple_formats,
)

# What publish accepts is rdfio's table of formats, each optionally gzipped: formats of triples go to
# the target graph; formats of named graphs (N-Quads, TriG) are split, each graph to its own graph
# (publish.dataset). Help texts and docs are generated from the same table.
ACCEPTED_FORMATS: tuple[RdfFormat, ...] = triple_formats() + quad_formats()
TRIPLE_FORMATS: tuple[RdfFormat, ...] = triple_formats()
NAMED_GRAPH_FORMATS: tuple[RdfFormat, ...] = quad_formats()
REFUSED_FORMATS: tuple[RdfFormat, ...] = ()  # kept for callers of 0.1: nothing is refused any more

_BLOCK = 1 << 20
_STATEMENT = re.compile(rb"(<|_:).*\.(\s*#.*)?$")
_TERMS_WITH_TEXT = re.compile(rb'"(?:[^"\\]|\\.)*"|<[^>]*>')  # N-Triples literals and IRIs


def accepted_formats_text() -> str:
    """The accepted formats' names as a phrase for help text: "N-Triples, Turtle, … or JSON-LD"."""
    return formats_phrase(ACCEPTED_FORMATS)


@dataclass(frozen=True)
class Source:
    label: str  # the file as the user named it
    path: Path  # N-Triples to upload: the file itself, or its conversion
    gzipped: bool
    triples: int
    size: int  # bytes once decompressed
    blank_nodes: bool


def _open_binary(path: Path, gzipped: bool):  # type: ignore[no-untyped-def]
    return gzip.open(path, "rb") if gzipped else path.open("rb")


def prepare(files: Sequence[Path], workdir: Path) -> tuple[list[Source], int]:
    """Check and scan every input once; returns the sources and the number of distinct triples.

    Distinct triples are counted with one 64-bit hash per triple (about 60 bytes each), which is
    what makes the count exact when files overlap; blank nodes are distinct per file, as on upload.
    """
    problems: list[Text] = []
    seen: set[int] = set()
    sources: list[Source] = []
    for index, file in enumerate(files):
        path = Path(file)
        if not path.is_file():
            problems.append(Text(ja=f"{path}: ファイルがありません", en=f"{path}: no such file"))
            continue
        fmt, gzipped = format_for(path), is_gzipped(path)
        if fmt is not None and fmt.quads:  # publish.dataset splits these first: never one target graph
            problems.append(
                Text(
                    ja=f"{path}: 名前付きグラフを含みます。publish.dataset.plan_targets で分けてください",
                    en=f"{path}: holds named graphs: split it with publish.dataset.plan_targets",
                )
            )
            continue
        if fmt is None:
            accepted = suffix_list(ACCEPTED_FORMATS)
            problems.append(
                Text(
                    ja=f"{path}: RDF の形式が分かりません。{accepted}（.gz でも可）にしてください",
                    en=f"{path}: unknown RDF format; use {accepted} (optionally .gz)",
                )
            )
            continue
        upload = path
        if fmt is not NTRIPLES:
            upload = workdir / f"{index}.nt"
            try:
                _convert(path, fmt, upload)
            except PublishError as exc:
                problems.append(exc.whole())
                continue
            gzipped = False
        try:
            sources.append(_scan(index, str(path), upload, gzipped, seen, problems))
        except (OSError, EOFError) as exc:
            problems.append(_cannot_read(path, exc))
    if problems:
        shown = problems[:20]
        if len(problems) > 20:
            shown.append(Text(ja=f"… ほか {len(problems) - 20} 件", en=f"… and {len(problems) - 20} more"))
        raise PublishError(join(shown), NOTHING_UPLOADED)
    return sources, len(seen)


def _convert(path: Path, fmt: RdfFormat, dest: Path) -> None:
    """Any accepted syntax to N-Triples, read by rdfio's loader (offline, errors located)."""
    from plan2rdf.problems import InputError
    from plan2rdf.rdfio.load import load_rdflib

    try:
        graph = load_rdflib([path])
    except InputError as exc:
        raise PublishError(join(_not_valid(path, fmt, p) for p in exc.problems)) from None
    try:
        graph.serialize(destination=str(dest), format="nt", encoding="utf-8")
    except OSError as exc:
        raise PublishError(
            Text(
                ja=f"{path}: {dest.parent} で N-Triples に変換できません: {exc.strerror or exc}",
                en=f"{path}: cannot convert to N-Triples in {dest.parent}: {exc.strerror or exc}",
            )
        ) from None


def split_named_graphs(path: Path, fmt: RdfFormat, workdir: Path) -> list[tuple[str | None, Path]]:
    """A file of named graphs as one N-Triples file per graph (None: its triples outside any graph),
    sorted by graph name; read offline, with rdfio's located errors."""
    from rdflib import Dataset, Graph, URIRef

    from plan2rdf.problems import InputError
    from plan2rdf.rdfio.load import parse_rdflib, read_text

    try:
        dataset = Dataset()
        dataset.parse(data=read_text(path), format=fmt.rdflib, publicID=path.resolve().as_uri())
    except InputError as exc:
        raise PublishError(
            join(Text(f"{path}", f"{path}") + _where(p) + ": " + as_text(p.message).map(one_line) for p in exc.problems)
        ) from None
    except Exception:  # any parser error: rdfio's loader says where
        try:
            parse_rdflib(path, fmt)
        except InputError as exc:
            raise PublishError(join(_not_valid(path, fmt, p) for p in exc.problems)) from None
        raise PublishError(
            Text(ja=f"{path}: {fmt.name} として正しくありません", en=f"{path}: not valid {fmt.name}")
        ) from None
    graphs: dict[str | None, Graph] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(g) if isinstance(g, URIRef) and g != URIRef("urn:x-rdflib:default") else None
        graphs.setdefault(name, Graph()).add((s, p, o))
    parts = []
    for number, name in enumerate(sorted(graphs, key=lambda n: (n is not None, n or ""))):
        dest = workdir / f"{path.stem}-graph-{number}.nt"
        graphs[name].serialize(destination=str(dest), format="nt", encoding="utf-8")
        parts.append((name, dest))
    return parts


def _where(problem) -> Text:
    if problem.line is None:
        return Text("", "")
    return Text(
        ja=f"（{problem.line} 行目" + (f" {problem.column} 列目" if problem.column else "") + "）",
        en=f" at line {problem.line}" + (f", column {problem.column}" if problem.column else ""),
    )


def _not_valid(path: Path, fmt: RdfFormat, problem) -> Text:
    """One located problem of a file that cannot be converted, in the loader's words."""
    where, detail = _where(problem), as_text(problem.message).map(one_line)
    return Text(
        ja=f"{path}: {fmt.name} として正しくありません{where.ja}: {detail.ja}",
        en=f"{path}: not valid {fmt.name}{where.en}: {detail.en}",
    )


def _cannot_read(label: object, reason: object) -> Text:
    return Text(ja=f"{label}: 読み込めません: {reason}", en=f"{label}: cannot read: {reason}")


def _scan(index: int, label: str, path: Path, gzipped: bool, seen: set[int], problems: list[Text]) -> Source:
    triples = size = 0
    blank = False
    with _open_binary(path, gzipped) as stream:
        for lineno, raw in enumerate(stream, 1):
            size += len(raw)
            line = raw.strip()
            if not line or line.startswith(b"#"):
                continue
            # A cheap check that catches Turtle saved as .nt before anything is uploaded; the
            # server validates the rest. A comment may follow the final ".".
            if not _STATEMENT.match(line) and len(problems) < 50:
                problems.append(
                    Text(
                        ja=f"{label}:{lineno}: N-Triples の文ではありません",
                        en=f"{label}:{lineno}: not an N-Triples statement",
                    )
                )
            triples += 1
            if _has_blank_node(line):
                blank = True
                seen.add(hash((index, line)))
            else:
                seen.add(hash(line))
    return Source(label, path, gzipped, triples, size, blank)


def _has_blank_node(line: bytes) -> bool:
    if b"_:" not in line:  # the common case, decided without a regex
        return False
    return b"_:" in _TERMS_WITH_TEXT.sub(b" ", line)  # "_:" inside a literal or an IRI is not a blank node


@dataclass(frozen=True)
class Chunk:
    body: Body
    triples: int
    where: str
    idempotent: bool


def count_chunks(sources: Sequence[Source], size: int) -> int:
    lines = sum(s.triples for s in sources if not s.blank_nodes)
    return math.ceil(lines / size) + sum(1 for s in sources if s.blank_nodes and s.triples)


def split_into_chunks(sources: Sequence[Source], size: int) -> Iterator[Chunk]:
    """N-Triples in requests of ``size`` triples, packing small files together.

    A file with blank nodes goes whole in one request: the server scopes blank node labels to a
    request, so splitting it would turn one blank node into several.
    """
    lines: list[bytes] = []
    spans: list[list] = []  # [label, first line, last line]
    for source in sources:
        if source.blank_nodes:
            if source.triples:
                yield Chunk(_file_body(source), source.triples, source.label, idempotent=False)
            continue
        try:
            stream = _open_binary(source.path, source.gzipped)
        except OSError as exc:
            raise PublishError(_cannot_read(source.label, exc.strerror or exc)) from None
        with stream:
            for lineno, raw in _numbered_lines(stream, source.label):
                line = raw.strip()
                if not line or line.startswith(b"#"):
                    continue
                lines.append(line + b"\n")
                if spans and spans[-1][0] == source.label:
                    spans[-1][2] = lineno
                else:
                    spans.append([source.label, lineno, lineno])
                if len(lines) >= size:
                    yield _lines_chunk(lines, spans)
                    lines, spans = [], []
    if lines:
        yield _lines_chunk(lines, spans)


def _numbered_lines(stream: Iterable[bytes], label: str) -> Iterator[tuple[int, bytes]]:
    """The numbered lines of a file being uploaded, with read errors as PublishError."""
    try:
        yield from enumerate(stream, 1)
    except (OSError, EOFError) as exc:
        raise PublishError(_cannot_read(label, exc)) from None


def _lines_chunk(lines: list[bytes], spans: list[list]) -> Chunk:
    where = "; ".join(f"{label} lines {first}-{last}" for label, first, last in spans)
    # Adding triples without blank nodes twice changes nothing, so a lost answer may be retried.
    return Chunk(bytes_body(b"".join(lines)), len(lines), where, idempotent=True)


def _file_body(source: Source) -> Body:
    def blocks() -> Iterator[bytes]:
        with _open_binary(source.path, source.gzipped) as stream:
            while block := stream.read(_BLOCK):
                yield block

    return lambda: (blocks(), source.size)
