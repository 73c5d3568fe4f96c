"""The canned SPARQL catalogue (sparql/*.rq) and `plan2rdf queries` / `plan2rdf query`.

Every query is checked against a table worked out by hand from the plan's text (tests/queries/,
each file says how), on both engines; parameters are bound as terms, never pasted; a broken
query is an error at load time with its file and line; docs/queries.md is generated from the
catalogue and must be up to date.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import plan2rdf.query as Q
from plan2rdf import pipeline
from plan2rdf.cli import main
from plan2rdf.problems import InputError
from plan2rdf.query import Parameter, load_catalogue, misplaced_parameters, parse_query_file

ROOT = Path(__file__).parents[1]
SPARQL = ROOT / "sparql"
EXPECTED = Path(__file__).parent / "queries"
ENGINES = ("rdflib", "oxigraph")
QUERY_FILES = sorted(SPARQL.glob("*.rq"))

# The 14 questions of issue 6, each answered by at least one query.
QUESTIONS = {
    1: ("measures-per-department", "measures-per-division"),
    2: ("department-direction-matrix",),
    3: ("departments-in-several-directions",),
    4: ("departments-per-direction",),
    5: ("new-measures",),
    6: ("joint-measures",),
    7: ("reposts",),
    8: ("measures-of-unit",),
    9: ("target-share",),
    10: ("targets-by-unit",),
    11: ("programmes",),
    12: ("themes-by-department",),
    13: ("keyword-search",),
    14: ("targets-in-fiscal-year",),
}


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(check="rdflib")


@pytest.fixture(scope="module")
def graph():
    return pipeline.bundled_graph()


@pytest.fixture(scope="module")
def engines(graph):
    return {"rdflib": Q.rdflib_engine(graph), "oxigraph": Q.oxigraph_engine(Q.load_oxigraph(graph=graph))}


def cells(result: Q.Result) -> list[list[str]]:
    return [[Q.cell(t) for t in row] for row in result.rows]


# --- the catalogue and its headers (datasette's test_docs is the model) --------------------------------


def test_the_catalogue_answers_the_issues_questions(catalogue) -> None:
    names = [q.name for q in catalogue]
    assert len(names) == len(set(names)) >= 14
    for question, answers in QUESTIONS.items():
        for name in answers:
            assert name in names, f"question {question}: no query {name}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_every_query_file_has_a_complete_header(path: Path) -> None:
    q = parse_query_file(path)
    assert re.fullmatch(r"\d\d-[a-z0-9-]+\.rq", path.name), "name files NN-name.rq"
    assert q.title_ja and not q.title_ja.isascii(), "summary: <Japanese title> / <English title>"
    assert q.title_en and q.title_en.isascii()
    assert len(q.description) > 40 and q.description.rstrip().endswith((".", "?")), "description: the question"
    assert q.tags, "tags: a list"
    assert q.columns, "columns: every projected variable with its meaning"
    for c in q.columns:
        assert len(c.meaning) > 5, f"column {c.name} needs a meaning"
    for p in q.parameters:
        assert p.meaning, f"parameter {p.name} needs a meaning"
        # a required parameter needs a default, so that the query runs as it is; an optional one
        # (?__name) is left unbound without a value, and filters nothing
        assert p.default is not None or not p.required, f"parameter {p.name} needs a default (#+ defaults:)"
    assert "ORDER BY" in q.body, "every query orders its rows"
    assert not misplaced_parameters(q.text)
    for prefix in re.findall(r"PREFIX (\w+):", q.body):
        assert prefix in {"p2r", "org", "skos", "dcterms", "schema", "time", "rdfs", "xsd", "prov"}, prefix


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_columns_are_the_projected_variables_in_order(path: Path, engines) -> None:
    q = parse_query_file(path)
    result = Q.run(q, engines["oxigraph"])
    assert result.columns == [c.name for c in q.columns]


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_japanese_labels_only(path: Path) -> None:
    body = parse_query_file(path).body
    for var in re.findall(r"(?:skos:prefLabel|rdfs:label|dcterms:title|p2r:valueLabel) (\?\w+)", body):
        if var.startswith("?_"):
            continue  # a parameter, bound to a @ja literal
        assert f'FILTER (lang({var}) = "ja")' in body, f"{var} is not restricted to Japanese"


def test_the_header_is_yaml_that_grlc_reads_alike() -> None:
    yaml = pytest.importorskip("yaml")
    for path in QUERY_FILES:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load("\n".join(line[2:] for line in text.splitlines() if line.startswith("#+")))
        q = parse_query_file(path)
        assert data["summary"] == f"{q.title_ja} / {q.title_en}"
        assert [next(iter(c)) for c in data["columns"]] == [c.name for c in q.columns]


# --- expected tables, worked out by hand ---------------------------------------------------------------


def expected_files() -> list[Path]:
    return sorted(EXPECTED.glob("*.csv"))


def read_expected(path: Path) -> tuple[str, dict[str, str], list[str], list[list[str]]]:
    """(query name, params, compared columns, rows) of an expected table."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    comments = [line for line in lines if line.startswith("#")]
    assert any("Derived by hand" in line for line in comments), f"{path.name}: say how it was derived"
    params = {}
    for line in comments:
        if line.startswith("# params:"):
            key, _, value = line.removeprefix("# params:").strip().partition("=")
            params[key] = value
    rows = list(csv.reader(io.StringIO("\n".join(line for line in lines if not line.startswith("#")))))
    return path.name.split(".")[0], params, rows[0], rows[1:]


def test_every_query_has_an_expected_table(catalogue) -> None:
    covered = {read_expected(p)[0] for p in expected_files()}
    assert {q.name for q in catalogue} <= covered


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", expected_files(), ids=lambda p: p.name)
def test_expected_table(path: Path, engine: str, catalogue, engines) -> None:
    name, params, columns, rows = read_expected(path)
    q = catalogue.get(name)
    assert q is not None, f"{path.name}: no query {name}"
    result = Q.run(q, engines[engine], params)
    assert set(columns) <= set(result.columns), f"{path.name}: unknown columns"
    index = [result.columns.index(c) for c in columns]
    got = [[row[i] for i in index] for row in cells(result)]
    assert got == rows


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_both_engines_return_the_same_rows(path: Path, engines) -> None:
    q = parse_query_file(path)
    rdflib_result = Q.run(q, engines["rdflib"])
    assert rdflib_result.rows, f"{q.name} returns nothing on the bundled plan"
    assert rdflib_result == Q.run(q, engines["oxigraph"])


def test_the_order_does_not_depend_on_how_the_graph_was_stored(graph, engines, catalogue) -> None:
    """ORDER BY orders totally: the same rows come back from a graph filled in another order."""
    from rdflib import Graph

    triples = sorted(graph, key=lambda t: tuple(str(x) for x in t), reverse=True)
    random.Random(6).shuffle(triples)
    shuffled = Graph()
    for t in triples:
        shuffled.add(t)
    again = Q.rdflib_engine(shuffled)
    for q in catalogue:
        assert Q.run(q, again) == Q.run(q, engines["oxigraph"]), q.name


# --- a corpus of two editions -------------------------------------------------------------------------

EDITIONS = EXPECTED / "editions"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """corpus.nq of two editions: the bundled 2021 plan and test_diff's hand-edited 2022 edition."""
    from plan2rdf.resources import bundled_plan
    from test_diff import next_edition

    sources = tmp_path_factory.mktemp("editions")
    for suffix in (".txt", ".toml"):
        (sources / f"ict-action-plan-2021{suffix}").write_bytes(bundled_plan().with_suffix(suffix).read_bytes())
    next_edition(sources)
    out = tmp_path_factory.mktemp("corpus")
    result = CliRunner().invoke(main, ["build", str(sources), "--out", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "corpus.nq"


@pytest.fixture(scope="module")
def corpus_engines(corpus):
    dataset = Q.load_rdflib([corpus])
    return {"rdflib": Q.rdflib_engine(dataset), "oxigraph": Q.oxigraph_engine(Q.load_oxigraph([corpus]))}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("path", sorted(EDITIONS.glob("*.csv")), ids=lambda p: p.name)
def test_expected_table_on_two_editions(path: Path, engine: str, catalogue, corpus_engines) -> None:
    name, params, columns, rows = read_expected(path)
    result = Q.run(catalogue.get(name), corpus_engines[engine], params)
    index = [result.columns.index(c) for c in columns]
    assert [[row[i] for i in index] for row in cells(result)] == rows


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_each_edition_of_a_corpus_answers_as_it_does_alone(path: Path, corpus_engines, engines) -> None:
    """No query adds editions together: the corpus's 2021 rows are the rows of the 2021 plan alone."""
    q = parse_query_file(path)
    assert q.columns[0].name == "edition"
    alone = Q.run(q, engines["oxigraph"])
    together = Q.run(q, corpus_engines["oxigraph"])
    assert {Q.cell(row[0]) for row in together.rows} == {"2021", "2022"}
    assert [row for row in together.rows if Q.cell(row[0]) == "2021"] == alone.rows
    assert Q.run(q, corpus_engines["rdflib"]) == together


@pytest.fixture(scope="module")
def two_publishers(tmp_path_factory) -> dict:
    """A corpus of the bundled plan and the mini plan made a 2021 edition: two publishers, each with
    an entry 1-2 in 2021."""
    from plan2rdf.resources import bundled_plan

    sources = tmp_path_factory.mktemp("publishers")
    (sources / "fukushima").mkdir()
    (sources / "mini").mkdir()
    for name in ("ict-action-plan-2021.txt", "ict-action-plan-2021.toml", "organizations.csv"):
        (sources / "fukushima" / name).write_bytes((bundled_plan().parent / name).read_bytes())
    mini = Path(__file__).parent / "fixtures" / "mini"
    for name in ("plan.txt", "plan.toml"):
        (sources / "mini" / name).write_text((mini / name).read_text("utf-8").replace("2022", "2021"), "utf-8")
    (sources / "mini" / "organizations.csv").write_bytes((mini / "organizations.csv").read_bytes())
    out = tmp_path_factory.mktemp("corpus")
    result = CliRunner().invoke(main, ["build", str(sources), "--out", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    corpus = [out / "corpus.nq"]
    alone = tmp_path_factory.mktemp("mini-alone")
    result = CliRunner().invoke(main, ["build", str(sources / "mini" / "plan.txt"), "--out", str(alone), "--quiet"])
    assert result.exit_code == 0, result.output
    return {
        "rdflib": Q.rdflib_engine(Q.load_rdflib(corpus)),
        "oxigraph": Q.oxigraph_engine(Q.load_oxigraph(corpus)),
        "mini alone": Q.oxigraph_engine(Q.load_oxigraph([alone / "mini-ict-2021.ttl"])),
    }


# Entry 1-2 of each plan, read from the sources: the bundled plan's two items (as target-history.csv),
# then the mini plan's one (「図書館システム」, 貸出 年間12万冊); plan IRIs sort fukushima-ict before mini-ict.
FUKUSHIMA_1_2 = [
    ["2021", "1-2", "フェイスブックページへの「いいね！」数 67,000件"],
    ["2021", "1-2", "Instagram フォロワー 16,000件"],
]
MINI_1_2 = [["2021", "1-2", "貸出 年間12万冊"]]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(
    ("params", "rows"),
    [
        ({}, FUKUSHIMA_1_2 + MINI_1_2),  # a number and a year name every publisher's entry
        ({"publisher": "福島県"}, FUKUSHIMA_1_2),
        ({"publisher": "ミニ市"}, MINI_1_2),
        ({"publisher": "会津若松市"}, []),
    ],
)
def test_target_history_names_one_publishers_measure(two_publishers, catalogue, engine, params, rows) -> None:
    result = Q.run(catalogue.get("target-history"), two_publishers[engine], params)
    index = [result.columns.index(c) for c in ("edition", "identifier", "target")]
    assert [[row[i] for i in index] for row in cells(result)] == rows


PLAN_OF = {  # the plan IRIs of vocabulary.md's table, under the default base
    "fukushima": "https://w3id.org/plan2rdf/id/fukushima-ict/2021",
    "mini": "https://w3id.org/plan2rdf/id/mini-ict/2021",
}


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_each_plan_of_a_corpus_of_publishers_answers_as_it_does_alone(path: Path, two_publishers, engines) -> None:
    """Two publishers' plans of one year: the column plan tells their rows apart, and each plan's rows
    are exactly the rows of that plan alone (the same department names, 総務部 and 選挙管理委員会事務局,
    are two rows, not one)."""
    q = parse_query_file(path)
    assert [c.name for c in q.columns[:2]] == ["edition", "plan"]
    together = Q.run(q, two_publishers["oxigraph"])
    assert {Q.cell(row[1]) for row in together.rows} <= set(PLAN_OF.values())
    alone = {"fukushima": Q.run(q, engines["oxigraph"]), "mini": Q.run(q, two_publishers["mini alone"])}
    for name, result in alone.items():
        assert [row for row in together.rows if Q.cell(row[1]) == PLAN_OF[name]] == result.rows, name
    assert Q.run(q, two_publishers["rdflib"]) == together


def test_the_matrix_follows_the_directions_of_the_plan() -> None:
    """Two directions give two cells per department, not five with phantom zeros (or a sixth lost)."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF, SKOS, XSD

    p2r, org, ex = "https://w3id.org/plan2rdf/ns#", "http://www.w3.org/ns/org#", "https://example.org/"
    g = Graph()
    plan, pref, dept = URIRef(ex + "plan"), URIRef(ex + "org"), URIRef(ex + "org/dept")
    g.add((plan, URIRef(p2r + "fiscalYear"), Literal("2030", datatype=XSD.gYear)))
    g.add((pref, RDF.type, URIRef(org + "FormalOrganization")))
    g.add((dept, URIRef(org + "unitOf"), pref))
    g.add((dept, SKOS.prefLabel, Literal("部", lang="ja")))
    directions = (("一", 2), ("二", 0), ("三", 0), ("四", 0), ("五", 0), ("六", 1))  # 3-5: no entry filed there
    for number, (direction, measures) in enumerate(directions, 1):
        d = URIRef(f"{ex}direction/{number}")
        g.add((d, SKOS.notation, Literal(str(number))))
        g.add((d, SKOS.prefLabel, Literal(direction, lang="ja")))
        for k in range(measures or (1 if number == 2 else 0)):  # direction 2: one repost, nothing counted
            m = URIRef(f"{ex}m/{number}-{k}")
            g.add((plan, URIRef(p2r + "hasMeasure"), m))
            g.add((m, URIRef(p2r + "direction"), d))
            g.add((m, URIRef(p2r + "responsibleUnit"), dept))
            if not measures:
                g.add((m, URIRef(p2r + "repostOf"), URIRef(ex + "m/1-0")))
    q = load_catalogue(check=None).get("department-direction-matrix")
    for run in (Q.rdflib_engine(g), Q.oxigraph_engine(Q.load_oxigraph(graph=g))):
        assert cells(Q.run(q, run)) == [
            ["2030", "https://example.org/plan", "部", "1", "一", "2", "3"],
            ["2030", "https://example.org/plan", "部", "2", "二", "0", "3"],
            ["2030", "https://example.org/plan", "部", "6", "六", "1", "3"],
        ]


# --- parameters ----------------------------------------------------------------------------------------

NASTY = [
    '"} } SELECT * WHERE { ?s ?p ?o } #',
    'AI" || true || "',
    "AI'} UNION { ?m ?p ?o",
    '\\"}\n}',
    "}",
    'AI" ) ) } #\n',
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("value", NASTY)
def test_a_parameter_cannot_change_the_query(value: str, engine: str, catalogue, engines) -> None:
    keyword = catalogue.get("keyword-search")
    assert Q.run(keyword, engines[engine], {"keyword": value}).rows == []
    unit = catalogue.get("measures-of-unit")
    assert Q.run(unit, engines[engine], {"unit": value}).rows == []


def _mini_graph(title: str):
    """One measure whose name holds the characters a pasted parameter would break on."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

    p2r, org = "https://w3id.org/plan2rdf/ns#", "http://www.w3.org/ns/org#"
    ex = "https://example.org/"
    g = Graph()
    m, d, pref, dept = URIRef(ex + "m/1-1"), URIRef(ex + "d/1"), URIRef(ex + "org"), URIRef(ex + "org/dept")
    g.add((m, RDF.type, URIRef(p2r + "Measure")))
    g.add((m, DCTERMS.identifier, Literal("1-1")))
    g.add((m, DCTERMS.title, Literal(title, lang="ja")))
    g.add((m, URIRef(p2r + "entryNumber"), Literal(1, datatype=XSD.positiveInteger)))
    g.add((m, URIRef(p2r + "isNew"), Literal(False)))
    g.add((m, URIRef(p2r + "direction"), d))
    g.add((d, SKOS.notation, Literal("1")))
    g.add((m, URIRef(p2r + "responsibleUnit"), dept))
    g.add((dept, URIRef(org + "unitOf"), pref))
    g.add((dept, SKOS.prefLabel, Literal(title, lang="ja")))
    g.add((dept, RDF.type, URIRef(org + "OrganizationalUnit")))
    g.add((pref, RDF.type, URIRef(org + "FormalOrganization")))
    plan = URIRef(ex + "plan")
    g.add((plan, URIRef(p2r + "hasMeasure"), m))
    g.add((plan, URIRef(p2r + "fiscalYear"), Literal("2021", datatype=XSD.gYear)))
    return g


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("value", NASTY)
def test_a_parameter_is_matched_as_data(value: str, engine: str, catalogue) -> None:
    g = _mini_graph(f"before {value} after")
    run = Q.rdflib_engine(g) if engine == "rdflib" else Q.oxigraph_engine(Q.load_oxigraph(graph=g))
    found = Q.run(catalogue.get("keyword-search"), run, {"keyword": value})
    row = ["2021", "https://example.org/plan", f"before {value} after", "1-1", f"before {value} after", "true"]
    row += ["false", "false"]
    assert cells(found) == [row]
    found = Q.run(catalogue.get("measures-of-unit"), run, {"unit": f"before {value} after"})
    assert [r[2] for r in cells(found)] == ["1-1"]


def test_inline_bindings_escape_every_special_character() -> None:
    from rdflib import Literal, URIRef

    text = "SELECT ?x WHERE {\n  ?x ?p ?_v .\n}\n"
    out = Q.inline_bindings(text, {"_v": Literal('a"b\\c\n}', lang="ja"), "_w": URIRef("https://example.org/x")})
    assert out.startswith('SELECT ?x WHERE {\n  VALUES (?_v ?_w) { ("a\\"b\\\\c\\n}"@ja <https://example.org/x>) }')
    Q.check_syntax(out, engine="rdflib")
    Q.check_syntax(out, engine="oxigraph")
    with pytest.raises(Q.ParameterError):
        Q.sparql_term(URIRef("https://example.org/a> } <b"))


def test_parameters_are_typed(catalogue) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    year = catalogue.get("targets-in-fiscal-year").parameter("year")
    assert year.type_label() == "xsd:gYear" and year.variable == "_year_xsd_gYear"
    assert Q.to_term(year, "2023") == Literal("2023", datatype=XSD.gYear)
    for bad in ("令和5", "2023-04-01", "23", '2023"'):
        with pytest.raises(Q.ParameterError):
            Q.to_term(year, bad)
    unit = catalogue.get("measures-of-unit").parameter("unit")
    assert Q.to_term(unit, "教育庁") == Literal("教育庁", lang="ja")
    iri = Parameter("thing", "_thing_iri", "iri")
    assert Q.to_term(iri, "https://example.org/a") == URIRef("https://example.org/a")
    for bad in ("not an iri", "https://example.org/a>b", "relative/path"):
        with pytest.raises(Q.ParameterError):
            Q.to_term(iri, bad)
    # RFC 3987's grammar, as for every IRI a user gives (plan2rdf.iri): "https://example.org/" is 20 characters
    with pytest.raises(Q.ParameterError, match="'%' not followed by two hex digits \\(at 21\\)"):
        Q.to_term(iri, "https://example.org/%zz")
    with pytest.raises(Q.ParameterError, match="second '#' \\(at 24\\)"):
        Q.to_term(iri, "https://example.org/a#b#")
    with pytest.raises(Q.ParameterError, match="no parameter colour"):
        Q.bind(catalogue.get("reposts"), {"colour": "red"})


# --- broken queries fail loudly, with file and line -------------------------------------------------------

BROKEN = """#+ summary: 壊れた / Broken
#+ description: A query with a syntax error on line 10, to see it reported with its line.
#+ tags:
#+   - test
#+ columns:
#+   - m: a measure

SELECT ?m WHERE {
  ?m a ?type .
  FILTER (?m = )
}
ORDER BY ?m
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_broken_shipped_query_makes_the_catalogue_fail(tmp_path: Path, engine: str) -> None:
    shutil.copy(SPARQL / "08-reposts.rq", tmp_path / "08-reposts.rq")
    (tmp_path / "99-broken.rq").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalogue(tmp_path, check=engine)
    [problem] = caught.value.problems
    assert problem.path.endswith("99-broken.rq")
    assert problem.line == 10
    assert "syntax error" in str(problem.message)


def test_the_shipped_catalogue_parses_on_both_engines() -> None:
    for engine in ENGINES:
        assert len(load_catalogue(check=engine)) == len(QUERY_FILES)


def test_header_problems_are_all_reported(tmp_path: Path) -> None:
    bad = tmp_path / "01-bad.rq"
    bad.write_text(
        "#+ summary: only English\n#+ colour: red\n#+ columns:\n#+   - x: something\n"
        "#+ defaults:\n#+   - nothing: 1\n"
        "SELECT ?x WHERE { ?x ?p ?o OPTIONAL { ?x ?q ?_k } } ORDER BY ?x\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_catalogue(tmp_path, check="rdflib")
    messages = "\n".join(p.format() for p in caught.value.problems)
    for part in (
        "summary must be '<Japanese title> / <English title>'",
        "unknown decorator 'colour'",
        "the header has no 'description'",
        "the header has no 'tags'",
        "parameter 'k' has no meaning",
        "defaults names 'nothing'",
        "parameter ?_k is used outside the outermost WHERE group",
    ):
        assert part in messages


# --- the command line ---------------------------------------------------------------------------------


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_queries_lists_the_catalogue() -> None:
    result = invoke("queries")
    assert result.exit_code == 0, result.output
    for path in QUERY_FILES:
        q = parse_query_file(path)
        assert q.name in result.output and q.title_ja in result.output and q.title_en in result.output
    assert "unit=デジタル変革課 (literal@ja)" in result.output
    assert "publisher (literal@ja, optional)" in result.output  # an optional parameter has no default
    listed = json.loads(invoke("queries", "--format", "json").output)
    assert [q["name"] for q in listed] == [parse_query_file(p).name for p in QUERY_FILES]
    history = next(q for q in listed if q["name"] == "target-history")
    assert [(p["name"], p["default"], p["required"]) for p in history["parameters"]] == [
        ("identifier", "1-2", True),
        ("year", "2021", True),
        ("publisher", None, False),
    ]


def test_query_by_name_and_by_file_give_the_expected_csv() -> None:
    _, _, columns, rows = read_expected(EXPECTED / "reposts.csv")
    for target in ("reposts", str(SPARQL / "08-reposts.rq")):
        result = invoke("query", target, "--format", "csv")
        assert result.exit_code == 0, result.output
        assert list(csv.reader(io.StringIO(result.output))) == [columns, *rows]


def test_query_with_parameters_on_oxigraph() -> None:
    _, _, columns, rows = read_expected(EXPECTED / "measures-of-unit.kyoiku-cho.csv")
    result = invoke("query", "measures-of-unit", "--param", "unit=教育庁", "--engine", "oxigraph", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert [line.split("\t") for line in result.output.splitlines()] == [columns, *rows]


def test_json_is_the_sparql_results_format() -> None:
    data = json.loads(invoke("query", "reposts", "--format", "json").output)
    assert data["head"]["vars"] == [
        "edition",
        "plan",
        "identifier",
        "direction",
        "original",
        "original_direction",
        "title",
    ]
    assert data["results"]["bindings"][0]["plan"] == {
        "type": "uri",
        "value": "https://w3id.org/plan2rdf/id/fukushima-ict/2021",
    }
    first = data["results"]["bindings"][0]
    assert first["identifier"] == {"type": "literal", "value": "3-3"}
    assert first["direction"] == {"type": "literal", "value": "産業振興・地域活性化", "xml:lang": "ja"}
    count = json.loads(invoke("query", "measures-per-department", "--format", "json").output)["results"]["bindings"][0]
    assert count["measures"] == {
        "type": "literal",
        "value": "17",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }


def test_table_is_aligned_for_japanese_text() -> None:
    lines = invoke("query", "reposts").output.splitlines()
    _, rule, *rows, footer = lines
    assert footer == "(2 rows)"
    starts = [m.start() for m in re.finditer(r"(?<=  )-", rule)]
    for line in rows:  # every column starts at the same display column
        for start in starts:
            prefix = Q.width(line[: _index_at_width(line, start)])
            assert prefix == start and line[_index_at_width(line, start) - 1] == " "
    assert Q.width("福島") == 4 and Q.width("AI") == 2


def _index_at_width(text: str, columns: int) -> int:
    used = 0
    for i, ch in enumerate(text):
        if used >= columns:
            return i
        used += Q.width(ch)
    return len(text)


def test_markdown_format() -> None:
    output = invoke("query", "joint-measures", "--format", "markdown").output
    assert output.splitlines()[0] == "| edition | plan | identifier | title | divisions | department | division |"
    plan = "https://w3id.org/plan2rdf/id/fukushima-ict/2021"
    assert f"| 2021 | {plan} | 2-30 | 情報発信事業 | 2 | 警察本部 | 生活安全企画課 |" in output


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "trig"])
def test_data_files_give_the_same_rows(tmp_path: Path, graph, fmt: str) -> None:
    suffix = {"turtle": "ttl", "nt": "nt", "json-ld": "jsonld", "trig": "trig"}[fmt]
    path = tmp_path / f"plan.{suffix}"
    if fmt == "trig":  # the triples in a named graph: N-Triples lines are TriG inside a graph block
        path.write_text("<https://example.org/graph> {\n" + graph.serialize(format="nt") + "}\n", encoding="utf-8")
    else:
        graph.serialize(path, format=fmt, encoding="utf-8")
    expected = invoke("query", "department-direction-matrix", "--format", "csv").output
    for engine, data in (("rdflib", path), ("oxigraph", tmp_path)):  # a file, and a directory
        result = invoke(
            "query", "department-direction-matrix", "--data", str(data), "--engine", engine, "--format", "csv"
        )
        assert result.exit_code == 0, result.output
        assert result.output == expected, (engine, data)


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?m WHERE {\n  ?m a\n}\n", encoding="utf-8")
    cases = [
        (["query", str(broken)], f"{broken}:"),
        (["query", "no-such-query"], "no such query"),
        (["query", "reposts", "--param", "colour=red"], "no parameter colour"),
        (["query", "keyword-search", "--param", "keyword"], "is not NAME=VALUE"),
        (["query", "targets-in-fiscal-year", "--param", "year=R5"], "not an xsd:gYear"),
        (["query", "reposts", "--data", str(tmp_path / "missing.ttl")], "no such file"),
        (["query", "reposts", "--data", str(broken)], "cannot tell the RDF format"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
    lines = CliRunner().invoke(main, ["query", str(broken)]).output
    assert re.search(rf"{re.escape(str(broken))}:[23](:\d+)?: error: SPARQL syntax error", lines)


def test_missing_oxigraph_is_a_clear_usage_error(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyoxigraph", None)
    result = CliRunner().invoke(main, ["query", "reposts", "--engine", "oxigraph"])
    assert result.exit_code == 2
    assert "pip install 'plan2rdf[oxigraph]'" in result.output
    assert "--engine rdflib" in result.output  # the way out without the extra


def test_missing_oxigraph_for_a_store_offers_no_other_engine(monkeypatch, tmp_path: Path) -> None:
    """A store is read by Oxigraph only: the message must not suggest --engine rdflib."""
    monkeypatch.setitem(sys.modules, "pyoxigraph", None)
    result = CliRunner().invoke(main, ["query", "reposts", "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert "reading a --store needs pyoxigraph: pip install 'plan2rdf[oxigraph]'" in result.output
    assert "--engine rdflib" not in result.output
    assert "Traceback" not in result.output


# --- docs/queries.md ----------------------------------------------------------------------------------


def test_docs_queries_md_is_up_to_date(catalogue, engines) -> None:
    """Regenerate with: plan2rdf queries --markdown -o docs/queries.md"""
    generated = Q.catalogue_markdown(catalogue, engines["oxigraph"])
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == generated
    for q in catalogue:
        assert q.description in generated and q.body in generated


def test_the_command_writes_the_same_docs(tmp_path: Path) -> None:
    out = tmp_path / "queries.md"
    assert invoke("queries", "--markdown", "--engine", "oxigraph", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted((ROOT / "sparql").glob("*.rq")), ids=lambda p: p.stem)
def test_sparqlwrapper_reads_every_canned_query_as_a_query(path: Path) -> None:
    """SPARQLWrapper strips only every other comment line, then takes the first word like ADD or
    DROP as the query's form and sends the query as an update: comments must not start such words."""
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper").SPARQLWrapper
    client = SPARQLWrapper("http://127.0.0.1:9/sparql")
    client.setQuery(path.read_text(encoding="utf-8"))
    assert client.queryType == "SELECT"
