"""docs/security.md states the limits the code has: each number in it is checked against its constant."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from plan2rdf.cli import main

DOC = (Path(__file__).parents[1] / "docs" / "security.md").read_text(encoding="utf-8")


def test_the_limits_in_the_document_are_the_code_s() -> None:
    from plan2rdf.problems import QUOTE_LIMIT
    from plan2rdf.publish.client import MAX_DELAY
    from plan2rdf.publish.remote import MAX_ANSWER_BYTES
    from plan2rdf.publish.upload import STALE_AFTER
    from plan2rdf.rdfio.contexts import MAX_JSON_DEPTH
    from plan2rdf.rdfio.xmlguard import MAX_EXPANSION
    from plan2rdf.read.sheet import MAX_COLUMNS, MAX_UNPACKED
    from plan2rdf.serve.endpoint import MAX_BODY

    assert (QUOTE_LIMIT, MAX_COLUMNS, MAX_JSON_DEPTH) == (60, 64, 200)
    assert "cut to 60\ncharacters" in DOC and "beyond the 64th" in DOC and "deeper than 200 levels" in DOC
    assert MAX_UNPACKED == 256 * 1024 * 1024 and "more than 256 MB is refused" in DOC
    assert MAX_EXPANSION == 8 << 20 and "(8 MB, or 4× the file" in DOC
    assert MAX_ANSWER_BYTES == 256 * 1024 * 1024 and "(default 256 MiB)" in DOC
    assert STALE_AFTER == 24 * 3600 and "more than a day old" in DOC
    assert MAX_DELAY == 8.0 and "at most 8 s a pause" in DOC
    assert MAX_BODY == 1_000_000 and "a POSTed query is at most 1 MB" in DOC


def defaults(command: str) -> dict[str, object]:
    return {p.name: p.default for p in main.commands[command].params}


def test_the_defaults_in_the_document_are_the_commands() -> None:
    query = defaults("query")
    assert query["timeout"] == 60 and "(default 60)" in DOC
    flag = next(p for p in main.commands["query"].params if p.name == "allow_service")
    assert flag.is_flag and "`--allow-service` lets it through" in DOC  # off unless given
    serve = defaults("serve")
    assert serve["timeout"] == 10 and "(default 10 s, answered 503)" in DOC
    assert serve["max_rows"] == 10_000 and "(default 10,000)" in DOC
    assert serve["max_concurrent"] == 2 and "(default 2)" in DOC
    assert serve["host"] == "127.0.0.1" and "(default `127.0.0.1`" in DOC
    assert "RISK" in CliRunner().invoke(main, ["query", "--help"]).output  # the option's risk, in its help
