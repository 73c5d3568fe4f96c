"""plan2rdf serve's command line: what to install without the extra, bad input, a build's output served."""

from __future__ import annotations

import json
import sys
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main
from serving import serving


@pytest.mark.parametrize("module", ["starlette", "uvicorn"])
def test_without_the_extra_it_says_what_to_install(monkeypatch, module) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # import fails as when it is not installed
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert f"plan2rdf serve needs {module}: pip install 'plan2rdf[serve]'" in result.output


def test_a_missing_source_is_exit_2_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "plan-2099.xlsx"
    result = CliRunner().invoke(main, ["serve", str(missing)])
    assert result.exit_code == 2
    assert f"{missing}: error: no such file or directory" in result.output
    assert "Traceback" not in result.output


def test_a_base_that_cannot_be_one_is_a_usage_error_before_anything_is_read(tmp_path: Path) -> None:
    """The rules of build's --base-iri (plan2rdf.iri): "https://x.example/id" is 20 characters, the '?' 21st."""
    missing = tmp_path / "plan-2099.xlsx"  # not read: the option is checked first
    result = CliRunner().invoke(main, ["serve", str(missing), "--base-iri", "https://x.example/id?x=1/"])
    assert result.exit_code == 2
    assert "Invalid value for '--base-iri': must not hold a query ('?', at 21)" in result.output
    assert "no such file" not in result.output and "Traceback" not in result.output


def test_serve_is_listed_in_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "serve" in result.output


@pytest.mark.slow
def test_a_builds_output_directory_is_served(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert CliRunner().invoke(main, ["build", "--out", str(out), "--quiet"]).exit_code == 0
    with serving(str(out)) as server:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        status, _, body = server.get("sparql?" + urllib.parse.urlencode({"query": query}))
        assert status == 200
        # the build's data once (one of .ttl/.jsonld/.nt), not its .meta.ttl: the plan's graph alone
        from plan2rdf import pipeline

        expected = str(len(pipeline.bundled_graph()))
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == expected
        status, headers, body = server.get("fukushima-ict/2021/measure/1-6", accept="text/html")
        assert status == 200 and "携帯電話通話エリア広域ネットワーク化事業" in body.decode("utf-8")
        status, headers, _ = server.get("fukushima-ict/2021/measure/1-6", accept="text/turtle")
        assert status == 200 and headers.get_content_type() == "text/turtle"


@pytest.mark.slow
def test_every_edition_is_served_as_plan2rdf_site_renders_them(tmp_path: Path) -> None:
    from test_diff import next_edition

    root = Path(__file__).parents[1]
    first = root / "data" / "fukushima" / "ict-action-plan-2021.txt"
    second = next_edition(tmp_path)
    with serving(str(first), str(second)) as server:
        status, _, body = server.get("index", accept="text/html")
        home = body.decode("utf-8")
        assert status == 200
        # the home lists the editions newest first, as the static site does
        assert home.index("fukushima-ict/2022") < home.index("fukushima-ict/2021")
        for path in ("fukushima-ict/2021/measure/1-6", "fukushima-ict/2022/measure/1-1"):
            status, _, _ = server.get(path, accept="text/html")
            assert status == 200, path
        # 2022's 1-1 continues 2021's 1-2 (next_edition moves it): the page links back to it
        _, _, body = server.get("fukushima-ict/2022/measure/1-1", accept="text/html")
        assert 'rel="prev"' in body.decode("utf-8")
