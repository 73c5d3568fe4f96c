"""The one RDF loader: files and directories into an rdflib graph or a pyoxigraph store.

API (every function raises :class:`~plan2rdf.problems.InputError` listing *all* problems of all
the inputs, each located ``file:line:column`` where the parser knows it):

- :func:`expand_paths` ``(paths, *, directories=True) -> list[Path]``: files as given,
  directories as the RDF files in them (recursively, sorted, hidden ones skipped; ``.json`` and
  ``.xml`` only when named), missing paths are problems.
- :func:`load_rdflib` ``(paths, *, input_format=None) -> rdflib.Graph``: the union of every
  file's triples (named graphs of TriG and N-Quads merged), prefixes bound.
- :func:`load_files` ``(paths, *, input_format=None, directories=True, lexical_forms=False,
  locate=False) -> LoadedGraph``: the same graph, the files read, each file's number of triples
  and, per subject, the first file that states it; with ``locate`` the line and column of each
  subject's and (subject, predicate)'s first statement (:mod:`plan2rdf.rdfio.positions`).
- :func:`load_text` ``(text, name, fmt, *, lexical_forms=False, locate=False) -> LoadedGraph``:
  ``load_files`` of one N-Triples or N-Quads document held in memory, named as the file ``name``.
- :func:`load_oxigraph` ``(paths, *, input_format=None, store=None) -> pyoxigraph.Store``: the
  files in a new (or the given) store; triples in the default graph, named graphs kept; blank
  nodes distinct per file, as in rdflib.

``input_format`` is an ``--input-format`` name (:data:`plan2rdf.rdfio.formats.INPUT_FORMAT_NAMES`)
for every file; without it each file's suffix decides (see :mod:`plan2rdf.rdfio.formats`).
Files are UTF-8 (a BOM is allowed), optionally gzipped (``.ttl.gz``). Nothing touches the network:
JSON-LD contexts go through :func:`plan2rdf.rdfio.contexts.offline_document` for both engines.
"""

from __future__ import annotations

import functools
import gzip
import re
import warnings
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plan2rdf.i18n import Text
from plan2rdf.problems import InputError, Problem, shorten
from plan2rdf.rdfio.contexts import offline_document
from plan2rdf.rdfio.formats import (
    JSONLD,
    NQUADS,
    NTRIPLES,
    RDFXML,
    RdfFormat,
    directory_suffixes,
    format_for,
    found_in_directory,
    is_gzipped,
    suffix_list,
)
from plan2rdf.rdfio.xmlguard import entity_problem

# "Parser error at line 2 column 27: reason" / "… between line 3 column 11 and line 4 column 1: reason"
_OXIGRAPH_POSITION = re.compile(
    r"^Parser error (?:at line \d+ column \d+|between line \d+ column \d+ and line \d+ column \d+"
    r"|at line \d+ between columns \d+ and \d+): "
)
_LINE_BASED = (NTRIPLES, NQUADS)


@dataclass
class LoadedGraph:
    """What :func:`load_files` read."""

    graph: Any  # rdflib.Graph
    files: list[Path]
    # The first file in which each subject has triples: where a result's focus node is stated.
    subject_files: dict[str, str] = field(default_factory=dict)
    # How many triples each file holds (an empty file is worth a word).
    triple_counts: dict[str, int] = field(default_factory=dict)
    # (subject IRI, predicate IRI or None) → (file, line, column) of its first statement (``locate``).
    # For one file, this and subject_files are read-only mappings that answer from the file's scan
    # and graph when asked (a corpus part has thousands of keys and ~100 results).
    positions: dict[tuple[str, str | None], tuple[str, int, int]] = field(default_factory=dict)
    # The same per file, for keys stated in several files (``locate``), and the first file of each
    # triple: which file holds the offending statement when several state the subject.
    file_positions: dict[tuple[str, str, str | None], tuple[int, int]] = field(default_factory=dict)
    statement_files: dict[tuple, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Finding files


def _expand(paths: Iterable[Path], directories: bool) -> tuple[list[Path], list[Problem]]:
    files: list[Path] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        if directories and path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and found_in_directory(p)
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                suffixes = ", ".join(directory_suffixes())
                problems.append(
                    Problem(
                        str(path),
                        Text(
                            ja=f"フォルダーに RDF のファイルがありません（{suffixes}）",
                            en=f"the directory has no RDF files ({suffixes})",
                        ),
                    )
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "no such file or directory" if directories else "no such file"))
    return files, problems


def expand_paths(paths: Iterable[Path], *, directories: bool = True) -> list[Path]:
    """Files as given, directories as their RDF files (recursively, sorted, hidden ones skipped)."""
    files, problems = _expand(paths, directories)
    if problems:
        raise InputError(problems)
    return files


def _format_of(path: Path, input_format: str | None) -> RdfFormat:
    fmt = format_for(path, input_format)
    if fmt is None:
        raise InputError(
            [
                Problem(
                    str(path),
                    Text(
                        ja=f"{path.suffix or '拡張子のないファイル'} の RDF の形式が分かりません"
                        f"（拡張子: {suffix_list()}、.gz でも可）",
                        en=f"cannot tell the RDF format of {path.suffix or 'a file without suffix'}: unknown RDF "
                        "format "
                        f"(extensions: {suffix_list()}, optionally .gz)",
                    ),
                    hint=Text(ja="--input-format で形式を指定してください", en="name it with --input-format"),
                )
            ]
        )
    return fmt


def _does_not_parse(reason: str) -> Text:
    """A parser's complaint (its own words, English) introduced in both languages."""
    return Text(ja=f"構文解析できません: {reason}", en=f"does not parse: {reason}")


def read_text(path: Path) -> str:
    """A file's text: decompressed when gzipped, UTF-8 (BOM dropped), or a located InputError."""
    try:
        raw = gzip.decompress(path.read_bytes()) if is_gzipped(path) else path.read_bytes()
    except (gzip.BadGzipFile, EOFError, zlib.error):  # BadGzipFile is an OSError: first
        hint = Text(ja="展開するか、名前から .gz を外してください", en="decompress it, or drop .gz from its name")
        raise InputError(
            [Problem(str(path), Text(ja="gzip のデータではありません", en="is not gzip data"), hint=hint)]
        ) from None
    except OSError as exc:
        reason = exc.strerror or exc
        raise InputError(
            [Problem(str(path), Text(ja=f"読み込めません: {reason}", en=f"cannot be read: {reason}"))]
        ) from None
    return decoded(raw, path)


def decoded(raw: bytes, path: Path) -> str:
    """UTF-8 bytes (a BOM dropped) as text, or an InputError located in ``path``."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            [
                Problem(
                    str(path),
                    Text(ja="UTF-8 のテキストではありません", en="is not UTF-8 text"),
                    line=line,
                    column=column,
                    hint=Text(ja="UTF-8 で保存し直してください", en="save it as UTF-8"),
                )
            ]
        ) from None


def _base(path: Path) -> str:
    """Relative IRIs in a file resolve against the file itself (both engines)."""
    return path.resolve().as_uri()


def _each_file(
    paths: Sequence[Path], input_format: str | None, directories: bool, load: Callable[[Path, RdfFormat], None]
) -> list[Path]:
    """Run ``load`` on every file, gathering every problem; InputError at the end if any."""
    files, problems = _expand(paths, directories)
    for path in files:
        try:
            load(path, _format_of(path, input_format))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return files


# ---------------------------------------------------------------------------------------------
# rdflib


def load_files(
    paths: Sequence[Path],
    *,
    input_format: str | None = None,
    directories: bool = True,
    lexical_forms: bool = False,
    locate: bool = False,
    store: str = "Memory",
) -> LoadedGraph:
    """Parse RDF files into one rdflib graph; see the module docstring.

    With ``lexical_forms`` literals keep the lexical form the file gives (rdflib otherwise rewrites
    ``"01"^^xsd:integer`` to ``"1"`` and ``"yes"^^xsd:boolean`` to ``"false"``): what validation
    needs. With ``locate`` the result has :attr:`LoadedGraph.positions`. ``store``: rdflib's store
    (``SimpleMemory`` is faster to fill and to read, where no SPARQL runs over named graphs).
    """

    loaded = LoadedGraph(_bound(_graph(store)), [])
    # One file of N-Triples or N-Quads: its graph is the graph (no copy, which costs as much as
    # parsing), as it binds no prefixes of its own; and no statement is in another file.
    alone = len(paths) == 1 and Path(paths[0]).is_file()

    read: list[Path] = []

    def load(path: Path, fmt: RdfFormat) -> None:
        text = read_text(path)
        with _lexical_forms_kept() if lexical_forms else nullcontext(), quiet_rdflib():
            part = _parsed_text(path, text, fmt, store)
        read.append(path)
        part = stable_blank_nodes(part, text, fmt, store, prefix="" if len(read) == 1 else f"f{len(read)}")
        _add_part(loaded, path, fmt, text, part, alone=alone and fmt in _LINE_BASED, single=alone, locate=locate)

    loaded.files = _each_file(paths, input_format, directories, load)
    return loaded


def load_text(
    text: str, name: Path, fmt: RdfFormat, *, lexical_forms: bool = False, locate: bool = False, store: str = "Memory"
) -> LoadedGraph:
    """One N-Triples or N-Quads document held in memory, read as :func:`load_files` reads the
    file ``name`` holding it (what problems and positions name): no file written to be read again."""

    if fmt not in _LINE_BASED:
        raise ValueError(f"load_text reads N-Triples or N-Quads, not {fmt.label}")
    loaded = LoadedGraph(_graph(store), [name])
    with _lexical_forms_kept() if lexical_forms else nullcontext(), quiet_rdflib():
        part = _parsed_text(name, text, fmt, store)
    part = stable_blank_nodes(part, text, fmt, store)
    _add_part(loaded, name, fmt, text, part, alone=True, single=True, locate=locate)
    return loaded


def stable_blank_nodes(graph: Any, text: str, fmt: RdfFormat, store: str, *, prefix: str = "") -> Any:
    """``graph`` with its blank nodes labelled ``b1``, ``b2``… (after ``prefix``, which keeps two
    files' apart) in the order the parser gave them: rdflib labels them at random on every run, and
    a report naming one (its focus ``_:b3``) must be the same bytes each time. The graph itself when
    it has none (for N-Triples and N-Quads, known from the text without a look at the graph)."""
    from rdflib import BNode

    if fmt in _LINE_BASED and "_:" not in text:
        return graph
    if not any(type(t) is BNode for triple in graph for t in triple):
        return graph
    labels: dict[Any, BNode] = {}

    def label(term: Any) -> Any:
        if type(term) is not BNode:
            return term
        found = labels.get(term)
        if found is None:
            found = labels[term] = BNode(f"{prefix}b{len(labels) + 1}")
        return found

    relabelled = _graph(store)
    relabelled.addN((label(s), label(p), label(o), relabelled) for s, p, o in graph)
    for name, namespace in graph.namespaces():
        relabelled.bind(name, namespace, override=False)
    return relabelled


def _graph(store: str) -> Any:
    """An empty graph in ``store``; "SimpleMemory" as :class:`~plan2rdf.rdfio.memory.AppendedMemory`,
    which indexes on the first lookup: a file being validated is mostly read whole."""
    from rdflib import Graph

    from plan2rdf.rdfio.memory import AppendedMemory

    return Graph(store=AppendedMemory() if store == "SimpleMemory" else store)


def _bound(graph: Any) -> Any:
    from plan2rdf.vocab import PREFIXES

    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def _add_part(
    loaded: LoadedGraph, path: Path, fmt: RdfFormat, text: str, part: Any, *, alone: bool, single: bool, locate: bool
) -> None:
    """One file's graph into ``loaded``: as the graph itself when it is ``alone`` (the only file,
    line-based), else added; its subjects, its number of triples, and with ``locate`` its positions
    (and, unless it is the ``single`` file, which file states each triple first)."""
    from plan2rdf.rdfio.positions import scan

    name = str(path)
    if single and alone:  # the file states every subject of the graph, which is its own
        loaded.subject_files = _SubjectFiles(part, name)
    else:
        for subject in part.subjects(unique=True):
            loaded.subject_files.setdefault(str(subject), name)
    loaded.triple_counts[name] = len(part)
    if alone:
        loaded.graph = _bound(part)
    else:
        loaded.graph.addN((s, p, o, loaded.graph) for s, p, o in part)
    if not locate:
        return
    if single:  # no other file: each position is this file's (and no statement is in another)
        loaded.positions = _InFile(functools.partial(scan, text, fmt, _base(path)), name)
        return
    found = scan(text, fmt, _base(path))
    for triple in part:
        loaded.statement_files.setdefault(triple, name)
    for key, (line, column) in found.items():
        loaded.positions.setdefault(key, (name, line, column))
        loaded.file_positions[(name, *key)] = (line, column)


class _SubjectFiles(Mapping):
    """``subject_files`` of one file's graph, asked of the graph when a result needs it (a corpus
    part has thousands of subjects and ~100 results)."""

    def __init__(self, graph: Any, name: str):
        self.graph, self.name = graph, name

    def _subject(self, key: str) -> Any:
        from rdflib import BNode, URIRef

        for node in (URIRef(key), BNode(key)):  # str() of a subject: an IRI, or a blank node's label
            if (node, None, None) in self.graph:
                return node
        return None

    def __getitem__(self, key: str) -> str:
        if not isinstance(key, str) or self._subject(key) is None:
            raise KeyError(key)
        return self.name

    def __iter__(self) -> Iterator[str]:
        return (str(s) for s in self.graph.subjects(unique=True))

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _InFile(Mapping):
    """``positions`` of one file: its scan's (line, column) with the file's name, made when asked;
    the file is scanned when first asked (a corpus part whose results are all only counted never is)."""

    def __init__(self, scanned: Callable[[], dict], name: str):
        self.scanned, self.name = scanned, name
        self._found: dict | None = None

    @property
    def found(self) -> dict:
        if self._found is None:
            self._found, self.scanned = self.scanned(), None
        return self._found

    def __getitem__(self, key: tuple) -> tuple[str, int, int]:
        return (self.name, *self.found[key])

    def __contains__(self, key: object) -> bool:
        return key in self.found

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)


def load_rdflib(paths: Sequence[Path], *, input_format: str | None = None, directories: bool = True) -> Any:
    """The files as one rdflib Graph: the union of their triples."""
    return load_files(paths, input_format=input_format, directories=directories).graph


def _guard(path: Path, text: str, fmt: RdfFormat) -> None:
    """Bounds the XML parsers cannot keep themselves: entity expansion in RDF/XML."""
    if fmt is RDFXML and (problem := entity_problem(path, text)):
        raise InputError([problem])


def parse_rdflib(path: Path, fmt: RdfFormat, store: str = "Memory") -> Any:
    """One RDF file as an rdflib Graph (named graphs merged), or a located InputError."""
    return _parsed_text(path, read_text(path), fmt, store)


def _parsed_text(path: Path, text: str, fmt: RdfFormat, store: str = "Memory") -> Any:
    """parse_rdflib of ``path``'s ``text``, read already."""
    _guard(path, text, fmt)
    if fmt is JSONLD:
        import json

        text = json.dumps(offline_document(path, text))  # every context inline: nothing to fetch
    try:
        graph = _oxigraph_lines(text, fmt, store) if fmt in _LINE_BASED else None
        checked = graph is not None  # pyoxigraph refuses what is no IRI; rdflib takes it
        if graph is None:
            graph = _rdflib_graph(text, fmt, _base(path), store, oxigraph=False)
    except Exception as exc:  # every parser has its own exceptions; all mean "does not parse"
        if fmt in _LINE_BASED:
            raise InputError(_bad_lines(path, text, fmt, lambda line: _rdflib_graph(line, fmt, _base(path)))) from None
        raise InputError([_rdflib_problem(path, exc)]) from None
    if not checked and (problems := _bad_iris(path, text, fmt, graph)):
        raise InputError(problems)
    return graph


def _bad_iris(path: Path, text: str, fmt: RdfFormat, graph: Any) -> list[Problem]:
    """IRIs rdflib took although no IRI may hold their characters (a space, ``<``, a control
    character…, written as such or as ``\\u0020``): each once, at the first statement naming it.
    pyoxigraph refuses them, so does the fast SHACL engine, and rdflib writes them back unreadable."""
    from rdflib import Literal, URIRef

    from plan2rdf.iri import iri_problem
    from plan2rdf.rdfio.positions import scan

    found: dict[str, tuple] = {}
    for triple in graph:
        # a literal's datatype is an IRI too ("false"^^<h|tp://…>)
        datatype = triple[2].datatype if type(triple[2]) is Literal else None
        for t in (*triple, datatype) if datatype is not None else triple:
            if type(t) is URIRef and t not in found and iri_problem(t) is not None:
                found[t] = triple
    if not found:
        return []
    where = scan(text, fmt, _base(path))
    problems = []
    for iri, (s, p, _) in sorted(found.items()):
        # the statement naming it: its subject's first, else the first with its predicate, else
        # where the text holds it as written (the scanner reads no IRI with a space in it)
        position = where.get((str(s), None) if s == iri else (str(s), str(p))) or where.get((str(s), None))
        if position is None and (at := text.find(str(iri))) >= 0:
            position = (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at))
        line, column = position or (None, None)
        problem = iri_problem(iri)
        problems.append(
            Problem(
                str(path),
                Text(ja=f"IRI <{shorten(iri)}>：{problem.ja}", en=f"the IRI <{shorten(iri)}> {problem.en}"),
                line=line,
                column=column,
            )
        )
    return problems


@contextmanager
def _lexical_forms_kept() -> Iterator[None]:
    """rdflib rewrites literals while parsing ("01"^^xsd:integer → "1", "yes"^^xsd:boolean → "false"),
    which hides ill-formed literals from validation; its one switch for that is module-wide."""
    import rdflib

    before = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = before


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback (and warns) for each literal it cannot convert to a Python value:
    validation reports those literals itself, once, with their position."""
    import logging

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Parsing weird boolean", UserWarning)
            yield
    finally:
        logger.setLevel(level)


def _rdflib_graph(text: str, fmt: RdfFormat, base: str, store: str = "Memory", *, oxigraph: bool = True) -> Any:
    from rdflib import Dataset

    if fmt not in _LINE_BASED:
        store = "Memory"  # rdflib's other parsers need a context-aware store (JSON-LD's does)
    elif oxigraph and (graph := _oxigraph_lines(text, fmt, store)) is not None:
        return graph
    with quiet_rdflib(), warnings.catch_warnings():  # rdflib's JSON-LD and quad parsers use its deprecated classes
        warnings.simplefilter("ignore", DeprecationWarning)
        if not fmt.quads:
            return _graph(store).parse(data=text, format=fmt.rdflib, publicID=base)
        dataset = Dataset()
        dataset.parse(data=text, format=fmt.rdflib, publicID=base)
        graph = _graph(store)
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            graph.add((s, p, o))
        return graph


# What pyoxigraph reads otherwise than rdflib: "x"^^xsd:string (pyoxigraph cannot tell it from "x"),
# language tags with capitals (pyoxigraph lowers them). Two searches: one regex of both alternatives
# tries each character of the text, where each alone skips to its first character.
_XSD_STRING_IRI = "XMLSchema#string>"
_CAPITAL_TAG = re.compile(r'"@[A-Za-z0-9-]*[A-Z]')


def _oxigraph_lines(text: str, fmt: RdfFormat, store: str) -> Any:
    """N-Triples or N-Quads parsed by pyoxigraph (Rust, a fifth of rdflib's time) into the rdflib
    graph rdflib's parser makes; None where rdflib may read it otherwise or it does not parse
    (rdflib then parses it, for its own graph or message). No base: relative IRIs do not parse."""
    try:
        import pyoxigraph
    except ImportError:
        return None
    if _XSD_STRING_IRI in text or _CAPITAL_TAG.search(text):
        return None
    from rdflib import BNode, Literal, URIRef

    from plan2rdf.rdfio.memory import AppendedMemory

    named, blank = pyoxigraph.NamedNode, pyoxigraph.BlankNode
    terms: dict[Any, Any] = {}  # each term converted once: IRIs repeat on most lines

    def term(t: Any) -> Any:
        found = terms.get(t)
        if found is None:
            if isinstance(t, named):
                found = URIRef(t.value)
            elif isinstance(t, blank):
                found = BNode()
            elif t.language:
                found = Literal(t.value, lang=t.language)
            elif t.datatype.value == _XSD_STRING:
                found = Literal(t.value)
            else:
                found = Literal(t.value, datatype=URIRef(t.datatype.value))
            terms[t] = found
        return found

    graph = _graph(store)
    quads = pyoxigraph.parse(text.encode("utf-8"), format=fmt.oxigraph())
    triples = ((term(q.subject), term(q.predicate), term(q.object)) for q in quads)
    try:
        # the terms are rdflib's already: Graph.addN's checks of each would cost a fifth
        if isinstance(graph.store, AppendedMemory):
            graph.store.extend(triples)  # in one call
        else:
            add = graph.store.add
            for triple in triples:
                add(triple, graph)
    except (SyntaxError, ValueError):
        return None
    return graph


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _first_line(message: str) -> str:
    message = message.strip()
    return message.splitlines()[0] if message else ""


def _rdflib_problem(path: Path, exc: Exception) -> Problem:
    """file:line:column and the reason, from whichever rdflib parser failed."""
    from xml.sax import SAXParseException

    reason = getattr(exc, "_why", None)
    position = getattr(exc, "_i", None)
    if reason is not None and isinstance(position, int):  # rdflib's Turtle/TriG/N3 BadSyntax
        source = getattr(exc, "_str", b"")
        source = source.decode("utf-8", "replace") if isinstance(source, bytes) else str(source)
        before = source[:position]
        line = before.count("\n") + 1
        column = position - (before.rfind("\n") + 1) + 1
        return Problem(str(path), _does_not_parse(reason), line=line, column=column)
    # expat counts columns from 0; editors and every other parser here from 1
    if isinstance(exc, SAXParseException):
        column = exc.getColumnNumber() + 1
        return Problem(str(path), _does_not_parse(exc.getMessage()), line=exc.getLineNumber(), column=column)
    message = str(exc).strip() or type(exc).__name__
    located = re.match(r"^.*?:(\d+):(\d+): (.*)$", message, re.S)  # rdflib's RDF/XML ParserError
    if located:
        line, column = int(located.group(1)), int(located.group(2)) + 1
        return Problem(str(path), _does_not_parse(located.group(3)), line=line, column=column)
    at_line = re.search(r"\bline (\d+)\b", message)
    line = int(at_line.group(1)) if at_line else None
    return Problem(str(path), _does_not_parse(_first_line(message)), line=line)


def _bad_lines(path: Path, text: str, fmt: RdfFormat, parse_line: Callable[[str], Any]) -> list[Problem]:
    """N-Triples and N-Quads are line-based: parse each line alone to name every bad line."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            parse_line(line + "\n")
        except SyntaxError as exc:  # pyoxigraph: the column within the line
            reason = _OXIGRAPH_POSITION.sub("", exc.msg or "")
            problems.append(Problem(str(path), _does_not_parse(reason), line=number, column=exc.offset or 1))
        except Exception as exc:  # rdflib: its line parser gives no column
            reason = _first_line(str(exc)) or type(exc).__name__
            problems.append(Problem(str(path), _does_not_parse(reason), line=number, column=1))
    return problems or [
        Problem(str(path), Text(ja=f"{fmt.label} として構文解析できません", en=f"does not parse as {fmt.label}"))
    ]


# ---------------------------------------------------------------------------------------------
# pyoxigraph


def load_oxigraph(
    paths: Sequence[Path], *, input_format: str | None = None, store: Any = None, directories: bool = True
) -> Any:
    """The files in a pyoxigraph Store (a new one unless ``store`` is given); see the module docstring.

    Each file is added in one transaction: a file that does not parse adds nothing. (Oxigraph
    stores ``xsd:positiveInteger`` and the other derived integer types as ``xsd:integer``.)
    ImportError when pyoxigraph is not installed.
    """
    import pyoxigraph

    target = store if store is not None else pyoxigraph.Store()
    _each_file(paths, input_format, directories, lambda path, fmt: _oxigraph_load(target, path, fmt))
    return target


def _oxigraph_parse(data: bytes, fmt: RdfFormat, base: str) -> Iterator[Any]:
    import pyoxigraph

    # Renamed blank nodes: _:b1 of one file is not _:b1 of another (rdflib's behaviour too).
    return pyoxigraph.parse(data, format=fmt.oxigraph(), base_iri=base, rename_blank_nodes=True)


def _oxigraph_load(store: Any, path: Path, fmt: RdfFormat) -> None:
    """Add one file's quads, parsed by pyoxigraph, to ``store``, or raise a located InputError."""
    import json

    text = read_text(path)
    _guard(path, text, fmt)
    if fmt is JSONLD:
        # pyoxigraph fetches nothing either (it has no loader for remote contexts), but our own
        # context must be inline for it as well.
        data = json.dumps(offline_document(path, text), ensure_ascii=False).encode("utf-8")
    else:
        data = text.encode("utf-8")
    try:
        store.extend(_oxigraph_parse(data, fmt, _base(path)))  # streamed; one transaction
    except SyntaxError as exc:
        reason = _OXIGRAPH_POSITION.sub("", exc.msg or "")
        if fmt in _LINE_BASED:

            def parse_line(line: str) -> list:
                return list(_oxigraph_parse(line.encode("utf-8"), fmt, _base(path)))

            raise InputError(_bad_lines(path, text, fmt, parse_line)) from None
        if exc.lineno and fmt is not JSONLD:
            raise InputError(
                [Problem(str(path), _does_not_parse(reason), line=exc.lineno, column=exc.offset)]
            ) from None
        # pyoxigraph does not locate RDF/XML errors, and its JSON-LD positions are those of the
        # re-written document: rdflib's parser names the line where it can.
        parse_rdflib(path, fmt)
        raise InputError([Problem(str(path), _does_not_parse(reason))]) from None
