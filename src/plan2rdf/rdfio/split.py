"""An N-Quads file split by named graph, as runs of lines, without parsing it into a graph.

A corpus (corpus.nq) is one named graph per plan plus graphs every plan refers to (the shared
resources, the links between editions, the default graph). Validating it plan by plan, in
parallel, needs each plan's lines together with the lines of those context graphs: this module
finds, in one pass over the bytes, where each graph's lines are (first line, count, byte offset,
byte length), reads a plan's runs (:class:`Own`: the lines as written by corpus builds in one
regex, any others a line at a time), indexes the context graphs (:class:`Context`) and joins one
part's lines, in the file's order, into one document (:func:`joined`; :func:`write_lines` writes
them to a file).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """Consecutive lines of one graph: the first line's number (1-based), how many, and where in bytes."""

    line: int
    lines: int
    offset: int
    length: int


@dataclass
class Split:
    """Each graph's runs (``""`` is the default graph), in the order the graphs first appear."""

    path: Path
    runs: dict[str, list[Run]] = field(default_factory=dict)

    def parts(self, is_context) -> tuple[list[str], list[str]]:
        """(the graphs validated one by one, the context graphs every part includes)."""
        context = [g for g in self.runs if is_context(g)]
        return [g for g in self.runs if g not in context], context


def _skip_literal(line: bytes, i: int) -> int:
    """The index after a literal starting at ``line[i] == '"'`` (its language tag or datatype too)."""
    i += 1
    while i < len(line):
        c = line[i]
        if c == 0x5C:  # backslash: the next byte is escaped
            i += 2
            continue
        if c == 0x22:
            break
        i += 1
    i += 1
    if line[i : i + 1] == b"@":
        while i < len(line) and line[i] not in b" \t":
            i += 1
    elif line[i : i + 2] == b"^^":
        i = line.index(b">", i) + 1
    return i


# What _scanned finds, as one regex (a tenth of its time): subject and predicate end at a space,
# the object is a literal (escapes, then a language tag up to white space or a datatype up to
# ">") or runs to white space.
_TERMS = re.compile(
    rb"([^ ]++) [ \t]*+([^ ]++) [ \t]*+"
    rb'("[^"\\]*+(?:\\.[^"\\]*+)*+"(?:@[^ \t]*+|\^\^[^>]*+>|(?!\^\^))|[^" \t][^ \t]*+)',
    re.S,
)


def _spans(text: bytes) -> tuple[int, int, int, int, int]:
    """Where the terms of a stripped N-Quads line end and start: subject end, predicate start and
    end, object start and end (ValueError or IndexError for a line that is not one)."""
    match = _TERMS.match(text)
    if match is None:
        return _scanned(text)
    return match.end(1), match.start(2), match.end(2), match.start(3), match.end(3)


def _scanned(text: bytes) -> tuple[int, int, int, int, int]:
    """_spans, a byte at a time: for the lines the regex does not take (it raises for them)."""
    # subject and predicate hold no white space (IRIs, blank node labels)
    end_s = text.index(b" ")
    i = end_s + 1
    while text[i] in b" \t":
        i += 1
    start_p, end_p = i, text.index(b" ", i)
    i = end_p + 1
    while text[i] in b" \t":
        i += 1
    start_o = i
    if text[i : i + 1] == b'"':
        i = _skip_literal(text, i)
    else:
        while i < len(text) and text[i] not in b" \t":
            i += 1
    return end_s, start_p, end_p, start_o, i


def terms_of_line(line: bytes) -> tuple[str, str, str, str] | None:
    """Subject, predicate, object and graph of one N-Quads line, as written (``""``: the default
    graph); None for a blank or comment line, or one that is not N-Quads (the loader reports it)."""
    text = line.strip()
    if not text or text.startswith(b"#"):
        return None
    try:
        end_s, start_p, end_p, start_o, end_o = _spans(text)
        rest = text[end_o:].strip()
        rest = rest[:-1].strip() if rest.endswith(b".") else rest
        return (
            text[:end_s].decode("utf-8"),
            text[start_p:end_p].decode("utf-8"),
            text[start_o:end_o].decode("utf-8"),
            rest.decode("utf-8"),
        )
    except (ValueError, IndexError):  # UnicodeDecodeError is a ValueError
        return None


def as_triple(line: bytes) -> bytes:
    """An N-Quads line as an N-Triples line, its terms at the same columns (the graph term cut);
    any other line as it is."""
    text = line.rstrip()
    lead = len(text) - len(text.lstrip())
    if not text.strip() or text.lstrip().startswith(b"#"):
        return line
    try:
        end_o = _spans(text[lead:])[4]
    except (ValueError, IndexError):
        return line
    return text[: lead + end_o] + b" .\n"


def graph_of_line(line: bytes) -> str | None:
    """The graph term of one N-Quads line (``""`` for the default graph); None for a blank or comment line."""
    terms = terms_of_line(line)
    return terms[3] if terms else None


def split_nquads(path: Path) -> Split:
    """Where each graph's lines are in an (uncompressed) N-Quads file."""
    split = Split(path)
    current: str | None = None
    suffix = b""
    start = offset = run_offset = 0
    number = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            # The common case, a line of the graph before it, without tokenizing it: it ends with
            # " <graph> ." and three terms come before (two would be a triple naming the graph).
            if suffix and line.endswith(suffix) and len(line[: -len(suffix)].split(None, 2)) == 3:
                offset += len(line)
                continue
            graph = graph_of_line(line)
            if graph is not None and graph != current:
                if current is not None:
                    split.runs[current].append(Run(start, number - start, run_offset, offset - run_offset))
                current, start, run_offset = graph, number, offset
                suffix = f" {graph} .\n".encode() if graph else b""
                split.runs.setdefault(graph, [])
            offset += len(line)
    if current is not None:
        split.runs[current].append(Run(start, number + 1 - start, run_offset, offset - run_offset))
    return split


def numbered_lines(source: Path, runs: list[Run]) -> Iterator[tuple[int, bytes]]:
    """The lines of ``runs`` with their line numbers in ``source`` (each with its line end)."""
    with source.open("rb") as f:
        for run in runs:
            f.seek(run.offset)
            yield from zip(range(run.line, run.line + run.lines), f.read(run.length).splitlines(True), strict=True)


def write_lines(numbered: list[tuple[int, bytes]], target: Path | None, *, triples: bool = False) -> list[int]:
    """Lines into ``target`` in the source's order (as N-Triples with ``triples``: rdflib reads
    those much faster than quads); returns, for each line of ``target`` (index 0 is line 1), its
    line number in the source. With no ``target``, only the numbers."""
    numbered = sorted(set(numbered))
    if target is None:
        return [number for number, _ in numbered]
    with target.open("wb") as out:
        for _, line in numbered:
            line = as_triple(line) if triples else line
            out.write(line if line.endswith(b"\n") else line + b"\n")
    return [number for number, _ in numbered]


def _canonical_lines(graph: str) -> re.Pattern:
    """A line of ``graph`` as corpus builds write it: ``S P O <graph> .``, one space apart (the
    subject and object as the line regex of :func:`terms_of_line` finds them)."""
    # a literal's characters as runs between escapes (one alternation per character is thrice as slow)
    objects = rb'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"(?:@[^ \t\n]*+|\^\^[^>\n]*+>|(?!\^\^))|[^" \t\n][^ \t\n]*+'
    return re.compile(rb"^(?!#)(\S++) \S++ (" + objects + rb") " + re.escape(graph.encode()) + rb" \.$", re.M)


@dataclass
class Own:
    """A plan's runs read: each run's bytes (as N-Triples too), and the subjects and objects its
    lines name, as written."""

    runs: list[tuple[Run, bytes, bytes]] = field(default_factory=list)  # (run, as N-Quads, as N-Triples)
    subjects: set[str] = field(default_factory=set)
    objects: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, source: Path, runs: list[Run], graph: str) -> Own:
        """The runs of ``graph``: a run of canonical lines (what corpus builds write) is read with
        one regex over its bytes; any other a line at a time (:func:`terms_of_line`, :func:`as_triple`)."""
        own, pattern, suffix = cls(), _canonical_lines(graph), f" {graph} .\n".encode()
        with source.open("rb") as f:
            for run in runs:
                f.seek(run.offset)
                data = f.read(run.length)
                found = pattern.findall(data) if data.endswith(b"\n") else []
                if len(found) == run.lines and own.add_terms(found, data):  # every line S P O <graph> .
                    own.runs.append((run, data, data.replace(suffix, b" .\n")))  # each line ends with it
                    continue
                lines = data.splitlines(True)
                if len(lines) != run.lines:
                    raise ValueError(f"{source}: a run of {run.lines} lines has {len(lines)}")
                for terms in filter(None, map(terms_of_line, lines)):
                    own.subjects.add(terms[0])
                    own.objects.add(terms[2])
                quads = b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines)
                triples = b"".join(_ended(as_triple(line)) for line in lines)
                own.runs.append((run, quads, triples))
        return own

    def add_terms(self, found: list[tuple[bytes, bytes]], data: bytes) -> bool:
        """The subjects and objects of a run's lines; False (nothing added) when the run is not
        UTF-8 (:func:`terms_of_line` leaves such lines out)."""
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        self.subjects.update(s.decode("utf-8") for s in {s for s, _ in found})
        self.objects.update(o.decode("utf-8") for o in {o for _, o in found})
        return True


def _ended(line: bytes) -> bytes:
    return line if line.endswith(b"\n") else line + b"\n"


def joined(own: Own, context: list[tuple[int, bytes]], *, triples: bool) -> tuple[bytes, list[int]]:
    """A part's lines (its own runs and the context lines it uses) as one document in the
    source's order, as N-Triples with ``triples``; and each line's number in the source (index 0
    is the document's line 1). What :func:`write_lines` writes, without a file."""
    pieces: list[tuple[int, bytes, range]] = [
        (run.line, as_nt if triples else as_nq, range(run.line, run.line + run.lines)) for run, as_nq, as_nt in own.runs
    ]
    for number, line in dict(sorted(set(context))).items():
        pieces.append((number, _ended(as_triple(line) if triples else line), range(number, number + 1)))
    pieces.sort(key=lambda piece: piece[0])
    return b"".join(piece[1] for piece in pieces), [n for piece in pieces for n in piece[2]]


@dataclass
class Context:
    """The context graphs' lines, indexed: by subject, and by object (for statements about plan
    nodes, such as the links between editions)."""

    by_subject: dict[str, list[tuple[int, bytes]]] = field(default_factory=dict)
    by_object: dict[str, list[tuple[int, bytes]]] = field(default_factory=dict)
    unreadable: list[tuple[int, bytes]] = field(default_factory=list)  # every part has them: the loader says why
    objects: dict[tuple[int, bytes], str] = field(default_factory=dict)  # each readable line's object (read once)

    @classmethod
    def read(cls, source: Path, runs: list[Run]) -> Context:
        context = cls()
        for number, line in numbered_lines(source, runs):
            terms = terms_of_line(line)
            if terms is not None:
                context.by_subject.setdefault(terms[0], []).append((number, line))
                context.by_object.setdefault(terms[2], []).append((number, line))
                context.objects[(number, line)] = terms[2]
            elif line.strip() and not line.strip().startswith(b"#"):
                context.unreadable.append((number, line))
        return context

    def used_by(self, lines: list[tuple[int, bytes]]) -> tuple[list[tuple[int, bytes]], set[str]]:
        """The context lines a plan's ``lines`` use: those about a node the plan names (and, in
        turn, those about the nodes they name), about the plan's own nodes, and those naming
        them; and the context subjects included."""
        parsed = [terms for _, line in lines if (terms := terms_of_line(line))]
        return self.used_by_nodes({terms[0] for terms in parsed}, {terms[2] for terms in parsed})

    def used_by_nodes(self, own: set[str], named: set[str]) -> tuple[list[tuple[int, bytes]], set[str]]:
        """:meth:`used_by` of the lines whose subjects are ``own`` and objects ``named``."""
        used: list[tuple[int, bytes]] = []
        subjects: set[str] = set()
        todo = [node for node in named | own if node in self.by_subject]
        while todo:
            node = todo.pop()
            if node in subjects:
                continue
            subjects.add(node)
            for pair in self.by_subject[node]:
                used.append(pair)
                named_node = self.objects.get(pair) or _object_of(pair[1])
                if named_node in self.by_subject and named_node not in subjects and named_node not in own:
                    todo.append(named_node)
        for node in own:
            used.extend(self.by_object.get(node, ()))
        return used + self.unreadable, subjects


def _object_of(line: bytes) -> str | None:
    terms = terms_of_line(line)
    return terms[2] if terms else None


def inflated(source: Path, work: Path) -> Path:
    """``source`` uncompressed, so its runs can be read by offset: a .nq.gz is inflated once into
    ``work``; anything else is itself. Not gzip data: the loader's located InputError."""
    from plan2rdf.rdfio.formats import is_gzipped

    if not is_gzipped(source):
        return source
    import gzip
    import shutil

    target = work / source.name.removesuffix(".gz")
    try:
        with gzip.open(source, "rb") as f, target.open("wb") as out:
            shutil.copyfileobj(f, out, 1 << 20)
    except (OSError, EOFError):
        from plan2rdf.rdfio.load import read_text

        read_text(source)  # raises the located InputError
        raise
    return target
