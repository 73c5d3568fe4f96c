"""An interrupted publish --replace (issue 14): its temporary graph is dropped or named, and stale ones
a killed publish left are removed by the next publish to the same target."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

import servers
from plan2rdf.cli import main
from plan2rdf.publish import Endpoint, named_graphs

oxigraph_server = servers.oxigraph_server

GRAPH = "https://example.org/graph/interrupted"
TRIPLES = "".join(f'<https://example.org/s{i}> <https://example.org/p> "{i}" .\n' for i in range(30))


def update(server: str, text: str) -> None:
    request = urllib.request.Request(
        server + "/update",
        data=urlencode({"update": text}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with urllib.request.urlopen(request, timeout=30):
        pass


def graphs(server: str) -> list[str]:
    return named_graphs(Endpoint.from_url(server), limit=100)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_replace_drops_the_temporary_graph(oxigraph_server: str, tmp_path: Path, signum) -> None:
    data = tmp_path / "data.nt"
    data.write_text(TRIPLES, encoding="utf-8")

    def interrupt_at_the_second_chunk(request: servers.Seen, number: int) -> servers.Reply | None:
        if request.method == "POST" and "graph=" in request.path and TEMPORARY in request.path:
            uploads.append(request.path)
            if len(uploads) == 2:
                os.kill(os.getpid(), signum)  # as Ctrl-C or `kill` would, while the upload runs
                time.sleep(0.5)
        return None

    uploads: list[str] = []
    with servers.scripted_server(interrupt_at_the_second_chunk, upstream=oxigraph_server) as proxy:
        result = CliRunner().invoke(
            main,
            ["publish", str(data), "--endpoint", proxy.url, "--layout", "oxigraph", "--graph", GRAPH,
             "--chunk-triples", "10"],
        )  # fmt: skip
    assert len(uploads) >= 2, "the upload reached its second chunk"
    assert result.exit_code == 2, result.output
    assert f"plan2rdf: error: publishing <{GRAPH}> was interrupted" in result.stderr
    assert f"<{GRAPH}> was not changed" in result.stderr
    assert "the temporary graph <" + GRAPH + "#plan2rdf-tmp-" in result.stderr
    assert "was dropped" in result.stderr
    assert "Aborted!" not in result.output
    assert graphs(oxigraph_server) == [], "nothing left in the store: no temporary graph, no half target"


TEMPORARY = "plan2rdf-tmp-"


def test_the_next_publish_drops_stale_temporary_graphs_of_its_target_only(oxigraph_server: str, tmp_path: Path) -> None:
    two_days_ago = int(time.time()) - 2 * 24 * 3600
    stale = f"{GRAPH}#plan2rdf-tmp-{two_days_ago:010d}-0123456789abcdef"  # a killed publish's
    running = f"{GRAPH}#plan2rdf-tmp-{int(time.time()):010d}-fedcba9876543210"  # one still under way
    other = f"https://example.org/graph/other#plan2rdf-tmp-{two_days_ago:010d}-0123456789abcdef"  # another target's
    for name in (stale, running, other):
        update(oxigraph_server, f"INSERT DATA {{ GRAPH <{name}> {{ <urn:x:s> <urn:x:p> <urn:x:o> }} }}")
    data = tmp_path / "data.nt"
    data.write_text(TRIPLES, encoding="utf-8")
    result = CliRunner().invoke(main, ["publish", str(data), "--endpoint", oxigraph_server, "--graph", GRAPH])
    assert result.exit_code == 0, result.output
    assert f"plan2rdf: note: dropped <{stale}>, a temporary graph an interrupted publish left" in result.stderr
    assert graphs(oxigraph_server) == sorted([GRAPH, running, other])
