"""Corpora at scale: compressed outputs, a corpus validated plan by plan in parallel, the workers.

The parallel validation must give the report of validating the corpus whole: the same results,
each once, located at the same lines of the corpus file, for a problem in one plan's graph and for
one on a node the plans share.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, SKOS, Dataset, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT

from plan2rdf.cli import main
from plan2rdf.problems import InputError, Problem
from plan2rdf.rdfio.formats import NTRIPLES
from plan2rdf.rdfio.positions import scan
from plan2rdf.rdfio.split import (
    Context,
    Own,
    Run,
    as_triple,
    joined,
    numbered_lines,
    split_nquads,
    terms_of_line,
    write_lines,
)
from plan2rdf.validate import LEVELS
from plan2rdf.vocab import ORG, SCHEMA
from plan2rdf.workers import Pool, WorkerError, in_order, run_within
from test_corpus import two_editions

BASE = "https://w3id.org/plan2rdf/id/"
P2R = "https://w3id.org/plan2rdf/ns#"
PLAN_2022_GRAPH = f"<{BASE}fukushima-ict/2022/graph>"


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    return two_editions(tmp_path_factory.mktemp("editions"))


def build(editions: Path, out: Path, *extra: str) -> Path:
    result = CliRunner().invoke(main, ["build", str(editions), "--out", str(out), "--jobs", "2", "--quiet", *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def plain(editions, tmp_path_factory) -> Path:
    return build(editions, tmp_path_factory.mktemp("plain"))


@pytest.fixture(scope="module")
def compressed(editions, tmp_path_factory) -> Path:
    return build(editions, tmp_path_factory.mktemp("compressed"), "--compress")


# --- build --compress -------------------------------------------------------------------------


def test_compress_writes_gzip_files_holding_the_same_bytes(plain, compressed) -> None:
    assert sorted(p.name for p in compressed.iterdir()) == ["catalog.ttl", "corpus.nq.gz", "corpus.trig.gz"]
    for name in ("corpus.nq", "corpus.trig"):
        assert gzip.decompress((compressed / f"{name}.gz").read_bytes()) == (plain / name).read_bytes()


def test_the_compressed_dataset_is_the_plain_one(plain, compressed) -> None:
    for name, fmt in (("corpus.nq", "nquads"), ("corpus.trig", "trig")):
        ours, theirs = Dataset(), Dataset()
        ours.parse(data=gzip.decompress((compressed / f"{name}.gz").read_bytes()).decode("utf-8"), format=fmt)
        theirs.parse(plain / name, format=fmt)
        names = {g.identifier for g in theirs.graphs() if len(g)}
        assert {g.identifier for g in ours.graphs() if len(g)} == names
        assert len(names) == 4  # two plans, shared, links
        for name in names:
            assert isomorphic(ours.graph(name), theirs.graph(name))


def test_the_catalogue_names_the_compressed_files(compressed) -> None:
    from rdflib import Graph

    catalog = Graph().parse(compressed / "catalog.ttl", format="turtle")
    [gz] = set(catalog.objects(None, DCAT.compressFormat))
    assert str(gz) == "https://www.iana.org/assignments/media-types/application/gzip"
    urls = {str(o) for o in catalog.objects(None, DCAT.downloadURL)}
    assert {BASE + "corpus.nq.gz", BASE + "corpus.trig.gz"} <= urls
    assert BASE + "corpus.nq" not in urls
    sizes = {int(o) for o in catalog.objects(None, DCAT.byteSize)}
    assert (compressed / "corpus.nq.gz").stat().st_size in sizes


def test_compressed_output_is_reproducible_and_replaces_the_plain_files(editions, plain, tmp_path) -> None:
    out = build(editions, tmp_path / "out")  # plain first, then compressed into the same folder
    build(editions, out, "--compress")
    assert sorted(p.name for p in out.iterdir()) == ["catalog.ttl", "corpus.nq.gz", "corpus.trig.gz"]
    again = build(editions, tmp_path / "again", "--compress")
    for name in ("corpus.nq.gz", "corpus.trig.gz"):
        assert (out / name).read_bytes() == (again / name).read_bytes()


def test_validate_and_query_read_the_compressed_corpus(compressed) -> None:
    result = CliRunner().invoke(main, ["validate", str(compressed / "corpus.nq.gz"), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "0 violations" in result.output


def test_a_store_is_written_from_the_compressed_corpus(editions, tmp_path) -> None:
    pytest.importorskip("pyoxigraph")
    out, store = tmp_path / "out", tmp_path / "store"
    build(editions, out, "--compress", "--store", str(store))
    plain = tmp_path / "plain"
    build(editions, plain)
    import pyoxigraph

    quads = len(pyoxigraph.Store(str(store / "data")))
    assert quads == sum(1 for line in (plain / "corpus.nq").open(encoding="utf-8") if line.strip())


# --- splitting N-Quads by graph --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "terms"),
    [
        (b"<s> <p> <o> <g> .\n", ("<s>", "<p>", "<o>", "<g>")),
        (b"<s> <p> <o> .\n", ("<s>", "<p>", "<o>", "")),
        (b'_:b <p> "a \\" <x> <y> ." <g> .\n', ("_:b", "<p>", '"a \\" <x> <y> ."', "<g>")),
        (
            b'<s> <p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
            ("<s>", "<p>", '"5"^^<http://www.w3.org/2001/XMLSchema#integer>', ""),
        ),
        (b'<s> <p> "\xe7\xa6\x8f\xe5\xb3\xb6"@ja _:g .', ("<s>", "<p>", '"福島"@ja', "_:g")),
        (b"<s>  \t<p>\t<o> <g> .\n", ("<s>", "<p>\t<o>", "<g>", "")),  # a tab does not end a predicate
        (b'<s> <p> "a\\\\" <g> .\n', ("<s>", "<p>", '"a\\\\"', "<g>")),  # an escaped backslash
        (b'<s> <p> "x"@en-GB\t<g> .\n', ("<s>", "<p>", '"x"@en-GB', "<g>")),
        (b'<s> <p> "x"^^<d\n', None),  # a datatype not closed
        (b"<s> <p>\n", None),  # no object
        (b"# a comment\n", None),
        (b"   \n", None),
    ],
)
def test_the_terms_of_a_line(line: bytes, terms) -> None:
    assert terms_of_line(line) == terms


@pytest.mark.parametrize(
    ("line", "triple"),
    [
        (b"<s> <p> <o> <g> .\n", b"<s> <p> <o> .\n"),
        (b'<s>  <p> "a <g> ." <g> .\n', b'<s>  <p> "a <g> ." .\n'),  # the terms keep their columns
        (b"<s> <p> <o> .\n", b"<s> <p> <o> .\n"),
        (b"# note\n", b"# note\n"),
        (b"nonsense\n", b"nonsense\n"),  # left for the loader to report
    ],
)
def test_a_quad_as_a_triple(line: bytes, triple: bytes) -> None:
    assert as_triple(line) == triple


def test_a_file_split_into_runs_of_each_graph(tmp_path) -> None:
    text = b"<a> <p> <o> <g1> .\n<b> <p> <o> <g1> .\n# note\n<c> <p> <o> <g2> .\n<d> <p> <o> .\n<e> <p> <o> <g1> .\n"
    path = tmp_path / "x.nq"
    path.write_bytes(text)
    split = split_nquads(path)
    # by hand: lines of 19, 19, 7, 19, 14 and 19 bytes; g1 is lines 1-3 (the comment stays in its
    # run) and 6, g2 line 4, the default graph line 5
    assert split.runs == {
        "<g1>": [Run(1, 3, 0, 45), Run(6, 1, 78, 19)],
        "<g2>": [Run(4, 1, 45, 19)],
        "": [Run(5, 1, 64, 14)],
    }
    part = tmp_path / "part.nq"
    lines = [*numbered_lines(path, split.runs["<g2>"] + split.runs["<g1>"]), (5, b"<d> <p> <o> .")]
    assert write_lines(lines, part) == [1, 2, 3, 4, 5, 6]
    assert part.read_bytes() == text


def test_a_plans_runs_are_read_alike_as_corpus_builds_write_them_or_otherwise(tmp_path: Path) -> None:
    path = tmp_path / "corpus.nq"
    # <g1>: lines as corpus builds write them (one regex); <g2>: two spaces on line 3 (a line at a time)
    path.write_bytes(b'<a> <p> <b> <g1> .\n<a> <q> "x y"@en <g1> .\n<c> <p>  <d> <g2> .\n<c> <q> "z" <g2> .\n')
    split = split_nquads(path)
    first, second = Own.read(path, split.runs["<g1>"], "<g1>"), Own.read(path, split.runs["<g2>"], "<g2>")
    assert (first.subjects, first.objects) == ({"<a>"}, {"<b>", '"x y"@en'})
    assert (second.subjects, second.objects) == ({"<c>"}, {"<d>", '"z"'})
    assert first.runs[0][2] == b'<a> <p> <b> .\n<a> <q> "x y"@en .\n'
    assert second.runs[0][2] == b'<c> <p>  <d> .\n<c> <q> "z" .\n'  # the terms at their columns
    # a context line (twice: by subject and by object) joins the plan's lines at its place
    context = [(3, b"<c> <p>  <d> <g2> .\n"), (3, b"<c> <p>  <d> <g2> .\n")]
    assert joined(first, context, triples=True) == (b'<a> <p> <b> .\n<a> <q> "x y"@en .\n<c> <p>  <d> .\n', [1, 2, 3])


def test_a_plans_literals_with_escapes_are_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "corpus.nq"
    # an escaped quote, an escaped backslash before the closing quote, an escaped line end
    path.write_bytes(b'<a> <p> "say \\"hi\\"" <g1> .\n<a> <q> "a\\\\" <g1> .\n<a> <r> "x\\ny"@en <g1> .\n')
    split = split_nquads(path)
    own = Own.read(path, split.runs["<g1>"], "<g1>")
    assert (own.subjects, own.objects) == ({"<a>"}, {'"say \\"hi\\""', '"a\\\\"', '"x\\ny"@en'})
    assert own.runs[0][2] == b'<a> <p> "say \\"hi\\"" .\n<a> <q> "a\\\\" .\n<a> <r> "x\\ny"@en .\n'


def test_n_triples_positions_are_the_same_with_or_without_a_blank_line() -> None:
    text = "<http://x/a> <http://x/p> <http://x/b> .\n<http://x/c> <http://x/q> <http://x/d> .\n"
    # by hand: subjects at column 1, predicates at column 14 (after "<http://x/a> ")
    assert scan(text, NTRIPLES, "") == {
        ("http://x/a", None): (1, 1),
        ("http://x/a", "http://x/p"): (1, 14),
        ("http://x/c", None): (2, 1),
        ("http://x/c", "http://x/q"): (2, 14),
    }
    assert scan(text.replace("\n", "\n\n", 1), NTRIPLES, "")[("http://x/c", "http://x/q")] == (3, 14)


def test_a_plan_uses_the_context_nodes_it_names_and_theirs_and_the_links_about_its_nodes() -> None:
    context = Context()
    for number, line in enumerate(
        [
            b"<unit> <partOf> <dept> <shared> .",
            b'<dept> <label> "D" <shared> .',
            b'<other> <label> "O" <shared> .',
            b"<m2> <revises> <m1> <links> .",
        ],
        start=10,
    ):
        terms = terms_of_line(line)
        context.by_subject.setdefault(terms[0], []).append((number, line))
        context.by_object.setdefault(terms[2], []).append((number, line))
    plan = [(1, b"<m1> <unit> <unit> <g> ."), (2, b'<m1> <title> "t" <g> .')]
    used, subjects = context.used_by(plan)
    # by hand: <unit> (named), then <dept> (named by <unit>); <other> is not used; the link names <m1>
    assert sorted(used) == [(10, b"<unit> <partOf> <dept> <shared> ."), (11, b'<dept> <label> "D" <shared> .'),
                            (13, b"<m2> <revises> <m1> <links> .")]  # fmt: skip
    assert subjects == {"<unit>", "<dept>"}


# --- validate a corpus in parallel ------------------------------------------------------------


def validate_json(path: Path, jobs: int) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "json", "--jobs", str(jobs)])
    report = json.loads(result.stdout)
    report.pop("seconds", None)
    report.pop("started", None)
    return result.exit_code, report


def test_parallel_validation_gives_the_serial_report(plain) -> None:
    code_serial, serial = validate_json(plain / "corpus.nq", 1)
    code_parallel, parallel = validate_json(plain / "corpus.nq", 2)
    assert code_serial == code_parallel == 0
    assert parallel == serial
    assert serial["results"]  # warnings and infos: something to compare


def plant(plain: Path, tmp_path: Path, change) -> tuple[Path, list[str]]:
    lines = (plain / "corpus.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    lines = change(lines)
    path = tmp_path / "corpus.nq"
    path.write_text("".join(lines), encoding="utf-8")
    return path, lines


def test_a_violation_planted_in_one_plan_is_reported_once_at_its_line(plain, tmp_path) -> None:
    where = {}

    def break_an_integer(lines: list[str]) -> list[str]:
        for i, line in enumerate(lines):
            if line.endswith(f"{PLAN_2022_GRAPH} .\n") and "XMLSchema#integer>" in line:
                value = line.split('"')[1]
                lines[i] = line.replace(f'"{value}"^^', '"many"^^', 1)
                where.update(line=i + 1, subject=line.split(" ")[0][1:-1])
                return lines
        raise AssertionError("no integer in the 2022 plan")

    path, _ = plant(plain, tmp_path, break_an_integer)
    code_serial, serial = validate_json(path, 1)
    code_parallel, parallel = validate_json(path, 2)
    assert code_serial == code_parallel == 1
    assert parallel == serial
    violations = [r for r in parallel["results"] if r["severity"] == "violation"]
    assert len(violations) == 1
    [v] = violations
    assert v["focus"] == where["subject"]
    assert v["value"].startswith('"many"^^')
    assert v["line"] == where["line"]
    assert v["column"] == len(f"<{where['subject']}> ") + 1  # the predicate's column, after the subject


def test_a_violation_on_a_shared_node_is_found_with_every_plan_in_view(plain, tmp_path) -> None:
    """A programme (in the graph shared) that no measure of any plan points to any more."""
    chosen = {}

    def orphan_a_programme(lines: list[str]) -> list[str]:
        pointing = [line for line in lines if f"<{P2R}programme>" in line]
        programme = pointing[0].split(" ")[2]
        chosen["iri"] = programme[1:-1]
        return [line for line in lines if f"<{P2R}programme> {programme}" not in line]

    path, _ = plant(plain, tmp_path, orphan_a_programme)
    code_serial, serial = validate_json(path, 1)
    code_parallel, parallel = validate_json(path, 2)
    assert code_serial == code_parallel == 1
    assert parallel == serial
    about = [r for r in parallel["results"] if r["focus"] == chosen["iri"] and r["severity"] == "violation"]
    assert [r["path"] for r in about] == ["^p2r:programme"]


def test_a_report_for_a_format_that_counts_infos_describes_the_rest(plain) -> None:
    """listed="warning" (text, github): the infos about each plan's own nodes are counted, not
    described; those about nodes the editions share are described all the same (merging needs
    them), and every count and every other result is that of the report describing all."""
    from plan2rdf.validate.parallel import validate_corpus_file

    corpus = plain / "corpus.nq"
    data = Dataset(default_union=True)
    data.parse(corpus, format="nquads")
    shared = data.graph(URIRef(f"{BASE}shared"))
    indicator, target, value = URIRef(f"{P2R}Indicator"), URIRef(f"{P2R}hasTarget"), SCHEMA.value
    # by hand, from the shapes: an indicator without a target that has a value (Indicator-measurable),
    # a unit without an English label (OrganizationalUnit-prefLabel-en): an info each
    unmeasured = {
        i
        for i in data.subjects(RDF.type, indicator)
        if not any((t, value, None) in data for t in data.objects(i, target))
    }
    unnamed = {
        str(u)
        for u in shared.subjects(RDF.type, ORG.OrganizationalUnit)
        if not any(label.language == "en" for label in shared.objects(u, SKOS.prefLabel))
    }
    assert unmeasured and unnamed
    every = validate_corpus_file([corpus], jobs=2)
    counting = validate_corpus_file([corpus], jobs=2, listed="warning")
    assert counting.unlisted == {"info": len(unmeasured)}
    assert {r.focus for r in counting.results if r.severity == "info"} == unnamed
    assert [r for r in counting.results if r.severity != "info"] == [r for r in every.results if r.severity != "info"]
    assert [r for r in counting.results if r.focus in unnamed] == [r for r in every.results if r.focus in unnamed]
    assert [counting.count(s) for s in LEVELS] == [every.count(s) for s in LEVELS]
    assert every.count("info") == len(unmeasured) + len(unnamed)


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--format", "github"),
        ("--format", "json", "--min-severity", "warning"),
        ("--fail-on", "info", "--lang", "ja"),
    ],
)
def test_a_format_that_counts_infos_prints_the_serial_report(plain, tmp_path, args) -> None:
    """--jobs 2 counts the infos it does not show; --jobs 1 describes every result: the same bytes."""

    def orphan_a_programme(lines: list[str]) -> list[str]:  # a violation on a shared node
        programme = next(line for line in lines if f"<{P2R}programme>" in line).split(" ")[2]
        return [line for line in lines if f"<{P2R}programme> {programme}" not in line]

    planted, _ = plant(plain, tmp_path, orphan_a_programme)
    for corpus in (plain / "corpus.nq", planted):
        serial, parallel = (CliRunner().invoke(main, ["validate", str(corpus), "--jobs", jobs, *args]) for jobs in "12")
        assert (parallel.exit_code, parallel.stdout) == (serial.exit_code, serial.stdout)


def test_a_syntax_error_is_located_in_the_corpus_file(plain, tmp_path) -> None:
    def break_a_line(lines: list[str]) -> list[str]:
        i = next(i for i, line in enumerate(lines) if line.endswith(f"{PLAN_2022_GRAPH} .\n"))
        lines[i] = "<oops> this is not N-Quads\n"
        chosen["line"] = i + 1
        return lines

    chosen: dict = {}
    path, _ = plant(plain, tmp_path, break_a_line)
    messages = []
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["validate", str(path), "--jobs", jobs])
        assert result.exit_code == 2, result.output
        assert f"{path}:{chosen['line']}:1: error: does not parse" in result.output
        messages.append(result.output)
    assert messages[0] == messages[1]  # the N-Quads parser's own words, both ways


# --- workers ----------------------------------------------------------------------------------


def _problem() -> None:
    raise InputError([Problem("x.ttl", "broken", line=3)])


def _failure() -> None:
    raise ValueError("nope")


def _slow() -> None:
    time.sleep(30)


def _square(n: int) -> int:
    return n * n


class Late(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"late after {seconds}")


def test_a_worker_gives_back_its_result_problems_and_failures() -> None:
    assert run_within(lambda: 42, 30, Late) == 42
    with pytest.raises(InputError) as problems:
        run_within(_problem, 30, Late)
    assert [(p.path, p.line) for p in problems.value.problems] == [("x.ttl", 3)]
    with pytest.raises(WorkerError, match="ValueError: nope"):
        run_within(_failure, 30, Late)


def test_a_worker_past_its_deadline_is_stopped() -> None:
    started = time.perf_counter()
    with pytest.raises(Late, match=r"late after 0\.5"):
        run_within(_slow, 0.5, Late)
    assert time.perf_counter() - started < 10


def test_in_order_keeps_the_order_of_the_items() -> None:
    assert list(in_order(_square, range(7), jobs=2)) == [0, 1, 4, 9, 16, 25, 36]
    assert list(in_order(_square, [3], jobs=2)) == [9]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_pool_maps_more_than_once_in_order(jobs) -> None:
    with Pool(jobs) as pool:  # a corpus build reads the sidecars, then builds the plans
        assert list(pool.in_order(_square, range(5), chunksize=2)) == [0, 1, 4, 9, 16]
        assert list(pool.in_order(_square, [7, 2, 5], chunksize=2)) == [49, 4, 25]


# --- the graph of a corpus plan ---------------------------------------------------------------


def test_a_corpus_plans_graph_is_indexed_when_first_looked_up() -> None:
    from rdflib import Literal, URIRef

    from plan2rdf.graph.mapping import new_graph

    a, p, q = URIRef("http://ex.org/a"), URIRef("http://ex.org/p"), URIRef("http://ex.org/q")
    graph = new_graph("SimpleMemory")
    for triple in [(a, p, Literal("x")), (a, q, a), (a, p, Literal("x"))]:  # one twice
        graph.add(triple)
    assert len(graph) == 2
    assert list(graph) == [(a, p, Literal("x")), (a, q, a)]  # as added, once each
    assert list(graph.objects(a, p)) == [Literal("x")]  # the first lookup indexes it
    graph.add((a, p, Literal("y")))
    graph.remove((a, q, None))
    assert set(graph) == {(a, p, Literal("x")), (a, p, Literal("y"))}
    assert len(graph) == 2
