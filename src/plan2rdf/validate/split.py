"""An N-Quads file split by named graph, as runs of lines, without parsing it into a graph.

A corpus (corpus.nq) is one named graph per plan plus graphs every plan refers to (the shared
resources, the links between editions, the default graph). Validating it plan by plan, in
parallel, needs each plan's lines together with the lines of those context graphs: this module
finds, in one pass over the bytes, where each graph's lines are (first line, count, byte offset,
byte length), and writes one part's lines, in the file's order, to a file of its own.
"""

from __future__ import annotations

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


def terms_of_line(line: bytes) -> tuple[str, str, str, str] | None:
    """Subject, predicate, object and graph of one N-Quads line, as written (``""``: the default
    graph); None for a blank or comment line. The line is taken as well-formed: the loader
    reports those that are not."""
    text = line.strip()
    if not text or text.startswith(b"#"):
        return None
    # subject and predicate hold no white space (IRIs, blank node labels)
    end_s = text.index(b" ")
    i = end_s + 1
    while text[i : i + 1] in (b" ", b"\t"):
        i += 1
    start_p, end_p = i, text.index(b" ", i)
    i = end_p + 1
    while text[i : i + 1] in (b" ", b"\t"):
        i += 1
    start_o = i
    if text[i : i + 1] == b'"':
        i = _skip_literal(text, i)
    else:
        while i < len(text) and text[i] not in b" \t":
            i += 1
    rest = text[i:].strip()
    rest = rest[:-1].strip() if rest.endswith(b".") else rest
    return (
        text[:end_s].decode("utf-8"),
        text[start_p:end_p].decode("utf-8"),
        text[start_o:i].decode("utf-8"),
        rest.decode("utf-8"),
    )


def graph_of_line(line: bytes) -> str | None:
    """The graph term of one N-Quads line (``""`` for the default graph); None for a blank or comment line."""
    terms = terms_of_line(line)
    return terms[3] if terms else None


def split_nquads(path: Path) -> Split:
    """Where each graph's lines are in an (uncompressed) N-Quads file."""
    split = Split(path)
    current: str | None = None
    start = offset = run_offset = 0
    number = 0
    with path.open("rb") as f:
        for number, line in enumerate(f, start=1):
            graph = graph_of_line(line)
            if graph is not None and graph != current:
                if current is not None:
                    split.runs[current].append(Run(start, number - start, run_offset, offset - run_offset))
                current, start, run_offset = graph, number, offset
                split.runs.setdefault(graph, [])
            offset += len(line)
    if current is not None:
        split.runs[current].append(Run(start, number + 1 - start, run_offset, offset - run_offset))
    return split


def write_part(source: Path, runs: list[Run], target: Path, extra: list[tuple[int, bytes]] = ()) -> list[int]:
    """The lines of ``runs`` and the ``extra`` (line number, line) into ``target``, in the source's
    order; returns, for each line of ``target`` (index 0 is line 1), its line number in ``source``."""
    numbered: list[tuple[int, bytes]] = list(extra)
    with source.open("rb") as f:
        for run in runs:
            f.seek(run.offset)
            numbered.extend(
                zip(range(run.line, run.line + run.lines), f.read(run.length).splitlines(True), strict=True)
            )
    numbered.sort(key=lambda pair: pair[0])
    with target.open("wb") as out:
        for _, line in numbered:
            out.write(line if line.endswith(b"\n") else line + b"\n")
    return [number for number, _ in numbered]


def subjects_of(source: Path, runs: list[Run]) -> frozenset[str]:
    """The subjects of the lines of ``runs``, as written (``<iri>``, ``_:label``)."""
    found = set()
    with source.open("rb") as f:
        for run in runs:
            f.seek(run.offset)
            for line in f.read(run.length).splitlines():
                terms = terms_of_line(line)
                if terms:
                    found.add(terms[0])
    return frozenset(found)


def incoming(source: Path, runs: list[Run], subjects: frozenset[str]) -> list[tuple[int, bytes]]:
    """The lines of ``runs`` around the nodes that point at one of ``subjects``: every line about
    a node that points at them (``^p2r:programme``: the measure, its type, identifier, title,
    source line), about a node that points at those (the plan), and about what that node points
    to in ``runs`` (the plan's source and its file name). What a shape on ``subjects`` may look at
    from the other side, and what describes a result about them."""
    by_subject: dict[str, list[tuple[int, bytes]]] = {}
    pointing: dict[str, set[str]] = {}  # object -> the subjects that point at it
    with source.open("rb") as f:
        for run in runs:
            f.seek(run.offset)
            numbered = zip(range(run.line, run.line + run.lines), f.read(run.length).splitlines(), strict=True)
            for number, line in numbered:
                terms = terms_of_line(line)
                if terms is not None:
                    by_subject.setdefault(terms[0], []).append((number, line))
                    pointing.setdefault(terms[2], set()).add(terms[0])
    first = {node for target in subjects for node in pointing.get(target, ())}
    second = {node for target in first for node in pointing.get(target, ())}
    below = {terms_of_line(line)[2] for node in second for _, line in by_subject[node]} & by_subject.keys()
    return sorted({pair for node in first | second | below for pair in by_subject[node]})
