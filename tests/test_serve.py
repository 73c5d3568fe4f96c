"""plan2rdf serve on a real loopback port: the canned queries live, the SPARQL 1.1 Protocol for real
clients (SPARQLWrapper, `plan2rdf query --endpoint`), content negotiation, and what it refuses."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from plan2rdf.cli import main
from serving import serving

pytestmark = pytest.mark.slow
EXPECTED = sorted((Path(__file__).parent / "queries").glob("*.csv"))  # worked out by hand (see test_queries)
MEASURE = "fukushima-ict/2021/measure/1-6"
MEASURE_IRI = URIRef("https://w3id.org/plan2rdf/id/" + MEASURE)
DCTERMS = "http://purl.org/dc/terms/"


@pytest.fixture(scope="module")
def server():
    # --lang en: the messages to a client that names no language of ours, whatever the test's locale
    with serving("--timeout", "3", "--max-rows", "3000", "--max-concurrent", "2", "--lang", "en") as served:
        yield served


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The bundled plan built by the CLI: what `plan2rdf query --data` reads locally."""
    out = tmp_path_factory.mktemp("dist")
    result = CliRunner().invoke(main, ["build", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "fukushima-ict-2021.ttl"


def catalogue():
    from plan2rdf.query import load_catalogue

    return list(load_catalogue(check=None))


def read_expected(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    params = dict(
        line.removeprefix("# params:").strip().split("=", 1) for line in lines if line.startswith("# params:")
    )
    rows = list(csv.reader(io.StringIO("\n".join(line for line in lines if not line.startswith("#")))))
    return path.name.split(".")[0], params, rows[0], rows[1:]


# --- the canned queries, live ---------------------------------------------------------------------


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name)
def test_query_page_csv_has_the_rows_worked_out_by_hand(server, path: Path) -> None:
    name, params, columns, rows = read_expected(path)
    status, headers, body = server.get(f"queries/{name}?" + urllib.parse.urlencode({**params, "format": "csv"}))
    assert status == 200, body
    assert headers.get_content_type() == "text/csv"
    got = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    index = [got[0].index(c) for c in columns]
    assert [[row[i] for i in index] for row in got[1:]] == rows


def test_query_page_shows_the_form_the_question_and_the_sparql(server) -> None:
    status, headers, body = server.get("queries/measures-of-unit?unit=" + urllib.parse.quote("教育庁"))
    page = body.decode("utf-8")
    assert status == 200 and headers.get_content_type() == "text/html"
    assert "部局・課の施策一覧" in page and "Measures of a department or division" in page
    assert 'name="unit" value="教育庁"' in page
    assert "?_unit_ja" in page  # the SPARQL text
    assert page.count("<tr>") - 1 >= 18  # the 18 rows of measures-of-unit.kyoiku-cho.csv (+ the head)
    assert 'href="?unit=%E6%95%99%E8%82%B2%E5%BA%81&amp;format=csv"' in page


def test_query_page_json_is_what_the_cli_prints(server, built) -> None:
    status, _, body = server.get("queries/measures-of-unit?unit=" + urllib.parse.quote("教育庁") + "&format=json")
    assert status == 200
    local = CliRunner().invoke(
        main, ["query", "measures-of-unit", "--data", str(built), "--param", "unit=教育庁", "--format", "json"]
    )
    assert local.exit_code == 0, local.output
    assert json.loads(body) == json.loads(local.output)


@pytest.mark.parametrize(
    "path, message",
    [
        ("targets-in-fiscal-year?year=R5", "year: 'R5' is not an xsd:gYear"),
        ("measures-of-unit?nope=1", "measures-of-unit has no parameter nope"),
    ],
    ids=["wrong type", "unknown parameter"],
)
def test_bad_parameters_are_a_400_with_the_clis_message(server, path, message) -> None:
    status, _, body = server.get(f"queries/{path}&format=csv")
    assert status == 400 and message in body.decode("utf-8")
    status, _, body = server.get(f"queries/{path}")  # the page shows the message beside the form
    assert status == 400 and message.replace("'", "&#39;") in body.decode("utf-8")


def test_an_unknown_query_is_404(server) -> None:
    assert server.get("queries/no-such-query")[0] == 404


# --- SPARQL 1.1 Protocol with real clients ----------------------------------------------------------


def local_rows(name: str, built: Path, extra: tuple[str, ...] = ()) -> list[dict]:
    result = CliRunner().invoke(main, ["query", name, "--data", str(built), "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["results"]["bindings"]


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_query_endpoint_gets_the_rows_the_cli_gets_locally(server, built, query) -> None:
    remote = CliRunner().invoke(main, ["query", query.name, "--endpoint", server.url + "sparql", "--format", "json"])
    assert remote.exit_code == 0, remote.output
    rows = json.loads(remote.output)["results"]["bindings"]
    assert rows, f"{query.name} answers nothing"
    assert rows == local_rows(query.name, built)


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_sparqlwrapper_gets_the_rows_the_cli_gets_locally(server, built, query) -> None:
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    from plan2rdf.query import bind, canonical, inline_bindings
    from plan2rdf.query.results import to_json

    client = SPARQLWrapper(server.url + "sparql")
    client.setQuery(inline_bindings(query.text, bind(query, {})))
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    document = client.query().convert()
    columns = document["head"]["vars"]

    def term(value):  # SPARQL JSON → rdflib, numbers canonical as the CLI prints them
        if value is None:
            return None
        if value["type"] == "uri":
            return URIRef(value["value"])
        return canonical(Literal(value["value"], lang=value.get("xml:lang"), datatype=value.get("datatype")))

    from plan2rdf.query import Result

    rows = [tuple(term(b.get(c)) for c in columns) for b in document["results"]["bindings"]]
    assert to_json(Result(columns, rows))["results"]["bindings"] == local_rows(query.name, built)


QUERY = f"SELECT ?title WHERE {{ <{MEASURE_IRI}> <{DCTERMS}title> ?title }}"
TITLE = "携帯電話通話エリア広域ネットワーク化事業"  # entry 1-6 in the bundled plan's source


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        (None, "application/sparql-results+json"),
    ],
)
def test_results_formats_by_accept(server, accept, media) -> None:
    status, headers, body = server.get("sparql?" + urllib.parse.urlencode({"query": QUERY}), accept=accept)
    assert status == 200 and headers.get_content_type() == media
    text = body.decode("utf-8")
    if media.endswith("json"):
        assert json.loads(text)["results"]["bindings"] == [{"title": {"type": "literal", "value": TITLE,
                                                                       "xml:lang": "ja"}}]  # fmt: skip
    elif media.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        literal = ElementTree.fromstring(body).find("r:results/r:result/r:binding/r:literal", ns)
        assert literal.text == TITLE and literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    elif media == "text/csv":
        assert text == f"title\r\n{TITLE}\r\n"
    else:
        assert text == f'?title\n"{TITLE}"@ja\n'


def test_post_body_and_ask_and_construct(server) -> None:
    status, _, body = server.get(
        "sparql", data=f"ASK {{ <{MEASURE_IRI}> ?p ?o }}".encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 200 and json.loads(body)["boolean"] is True
    construct = f"CONSTRUCT {{ <{MEASURE_IRI}> <{DCTERMS}title> ?t }} WHERE {{ <{MEASURE_IRI}> <{DCTERMS}title> ?t }}"
    status, headers, body = server.get("sparql?" + urllib.parse.urlencode({"query": construct}), accept="text/turtle")
    assert status == 200 and headers.get_content_type() == "text/turtle"
    expected = Graph().add((MEASURE_IRI, URIRef(DCTERMS + "title"), Literal(TITLE, lang="ja")))
    assert isomorphic(Graph().parse(data=body.decode("utf-8"), format="turtle"), expected)


# --- refused ----------------------------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(server) -> str:
    status, _, body = server.get("sparql?" + urllib.parse.urlencode({"query": COUNT}))
    assert status == 200
    return json.loads(body)["results"]["bindings"][0]["n"]["value"]


@pytest.mark.parametrize(
    "how",
    ["form update=", "application/sparql-update", "GET update=", "update as query="],
)
def test_updates_are_refused_and_change_nothing(server, how) -> None:
    before = count(server)
    update = f'INSERT DATA {{ <{MEASURE_IRI}> <{DCTERMS}title> "x" }}'
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    if how == "form update=":
        status, _, body = server.get("sparql", data=urllib.parse.urlencode({"update": update}).encode(), headers=form)
    elif how == "application/sparql-update":
        status, _, body = server.get("sparql", data=update.encode(), headers={"Content-Type": how})
    elif how == "GET update=":
        status, _, body = server.get("sparql?" + urllib.parse.urlencode({"update": update}))
    else:
        status, _, body = server.get("sparql", data=urllib.parse.urlencode({"query": update}).encode(), headers=form)
    assert status == 403
    assert "read-only" in body.decode("utf-8")
    assert count(server) == before


def test_service_is_refused_but_a_prefixed_name_service_is_not(server) -> None:
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, _, body = server.get("sparql?" + urllib.parse.urlencode({"query": query}))
    assert status == 400 and "SERVICE is refused" in body.decode("utf-8")
    harmless = 'PREFIX ex: <http://example.org/> SELECT ?x WHERE { ?x ex:service "SERVICE" } # SERVICE'
    status, _, body = server.get("sparql?" + urllib.parse.urlencode({"query": harmless}))
    assert status == 200, body


def test_a_bad_query_is_a_400_with_a_readable_message(server) -> None:
    status, headers, body = server.get("sparql?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x"}))
    assert status == 400 and headers.get_content_type() == "text/plain"
    assert "does not parse" in body.decode("utf-8")


def test_too_many_rows_is_refused(server) -> None:
    status, _, body = server.get("sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 400 and "more than 3000 rows" in body.decode("utf-8")


@pytest.fixture(scope="module")
def triples() -> str:
    """How many triples the bundled plan's graph has, as rdflib counts them."""
    from plan2rdf import pipeline

    return str(len(pipeline.bundled_graph()))


def test_a_query_past_the_time_limit_is_stopped_and_the_server_goes_on(server, triples) -> None:
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # (~5000 triples)³ solutions
    started = time.monotonic()
    status, _, body = server.get("sparql?" + urllib.parse.urlencode({"query": endless}))
    assert status == 503 and "longer than 3 s" in body.decode("utf-8")
    assert time.monotonic() - started < 10
    assert count(server) == triples  # the other worker answers; the killed one is being replaced
    time.sleep(1)
    assert count(server) == triples


# --- content negotiation ------------------------------------------------------------------------------


def graph_of(body: bytes, fmt: str) -> Graph:
    return Graph().parse(data=body.decode("utf-8"), format=fmt, publicID=str(MEASURE_IRI))


@pytest.mark.parametrize(
    "path, accept, media",
    [
        (MEASURE, "text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        (MEASURE, "*/*", "text/html"),
        (MEASURE, None, "text/html"),
        (MEASURE, "text/turtle", "text/turtle"),
        (MEASURE, "application/ld+json", "application/ld+json"),
        (MEASURE, "application/n-triples", "application/n-triples"),
        (MEASURE, "application/ld+json, text/turtle;q=0.5", "application/ld+json"),
        (MEASURE, "text/html;q=0.1, text/turtle", "text/turtle"),
        (MEASURE + ".ttl", "text/html", "text/turtle"),
        (MEASURE + ".jsonld", None, "application/ld+json"),
        (MEASURE + ".html", "text/turtle", "text/html"),
    ],
)
def test_content_negotiation(server, path, accept, media) -> None:
    status, headers, body = server.get(path, accept=accept)
    assert status == 200 and headers.get_content_type() == media
    if media == "text/html":
        assert TITLE in body.decode("utf-8")
        return
    fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}[media]
    graph = graph_of(body, fmt)
    assert (MEASURE_IRI, URIRef(DCTERMS + "identifier"), Literal("1-6")) in graph
    assert (MEASURE_IRI, URIRef(DCTERMS + "title"), Literal(TITLE, lang="ja")) in graph


def test_every_rdf_format_says_the_same(server) -> None:
    ttl = graph_of(server.get(MEASURE, accept="text/turtle")[2], "turtle")
    assert isomorphic(ttl, graph_of(server.get(MEASURE, accept="application/ld+json")[2], "json-ld"))
    assert isomorphic(ttl, graph_of(server.get(MEASURE, accept="application/n-triples")[2], "nt"))
    assert server.get(MEASURE, accept="text/turtle")[1]["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),  # no header: the server's language (--lang)
        ("", "en"),
        ("ja", "ja"),
        ("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja"),  # a Japanese browser
        ("ja-jp", "ja"),  # ranges are case-insensitive, and ja-JP falls back to ja
        ("en-US,en;q=0.9,ja;q=0.8", "en"),
        ("fr-FR, fr;q=0.9", "en"),  # neither: the server's
        ("fr, ja;q=0.3", "ja"),
        ("en;q=0.5, ja;q=0.5", "en"),  # a tie: the one listed first
        ("ja;q=0, en", "en"),  # q=0: not acceptable
        ("en;q=x, ja;q=0.1", "ja"),  # a bad q counts as 0
        ("*", "en"),
        ("zh-Hant-TW", "en"),
    ],
)
def test_choose_language_follows_accept_language(header, lang) -> None:
    from plan2rdf.serve.negotiate import choose_language

    assert choose_language(header, ("ja", "en"), "en") == lang
    if header in (None, "", "*", "fr-FR, fr;q=0.9", "zh-Hant-TW"):
        assert choose_language(header, ("ja", "en"), "ja") == "ja"  # the default decides


@pytest.mark.parametrize(
    ("request_path", "status", "ja", "en"),
    [
        ("no/such/thing", 404, "見つかりません: /no/such/thing", "not found: /no/such/thing"),
        ("queries/no-such-query", 404, "そのような問い合わせはありません: no-such-query",
         "no such query: no-such-query"),
        ("sparql?update=DROP%20ALL", 403, "読み取り専用", "read-only"),
        ("sparql?query=", 400, "クエリーが空です。query=…", "the query is empty: send it as query=…"),
        ("queries/measures-of-unit?format=xml", 400, "format は csv か json です", "format must be csv or json"),
        ("queries/targets-in-fiscal-year?year=R5&format=csv", 400, "R5", "year: 'R5' is not an xsd:gYear"),
        ("sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D", 400,
         "答えが 3000 行（サーバーの上限）を超えます", "the query answers more than 3000 rows (the server's limit)"),
    ],
)  # fmt: skip
def test_error_answers_are_in_the_language_the_client_accepts(server, request_path, status, ja, en) -> None:
    for header, lang, expected, other in (("ja-JP,ja;q=0.9", "ja", ja, en), ("en-GB", "en", en, ja)):
        got, headers, body = server.get(request_path, headers={"Accept-Language": header})
        text = body.decode("utf-8")
        assert got == status, text
        assert expected in text and (other in expected or other not in text), (header, text)
        assert headers["Content-Language"] == lang
        assert "Accept-Language" in headers["Vary"]


def test_an_error_shown_on_a_query_page_is_in_the_clients_language(server) -> None:
    _, _, body = server.get("queries/no-such-query", headers={"Accept-Language": "ja"})
    assert "そのような問い合わせはありません" in body.decode("utf-8")
    status, _, body = server.get("editor?query=SELECT%20%3Fx%20WHERE%20%7B%20%3Fx", headers={"Accept-Language": "ja"})
    assert status == 400 and "クエリーを解析または評価できません" in body.decode("utf-8")


def test_a_refusal_for_the_media_type_varies_on_both_headers(server) -> None:
    status, headers, body = server.get(MEASURE, accept="image/png", headers={"Accept-Language": "ja"})
    assert status == 406
    assert headers["Vary"] == "Accept, Accept-Language"
    assert body.decode("utf-8").startswith(f"受け付けられる形式がありません: /{MEASURE} は text/html, ")


@pytest.mark.parametrize("path", ["no/such/thing", "../../etc/passwd", "%2e%2e/pyproject.toml", "nginx.conf.orig"])
def test_nothing_else_is_served(server, path) -> None:
    assert server.get(path)[0] == 404


def test_home_and_site_pages(server) -> None:
    status, headers, body = server.get("")
    assert status == 200 and headers.get_content_type() == "text/html"
    assert server.get("static/site.css")[1].get_content_type() == "text/css"
    status, _, body = server.get("queries")
    assert status == 200 and "measures-of-unit" in body.decode("utf-8")
