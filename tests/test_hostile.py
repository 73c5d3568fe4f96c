"""Hostile and broken input (issue 14): one build per output directory, nothing left half-done."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

from plan2rdf.cli import main

ROOT = Path(__file__).parents[1]
BUNDLED = ROOT / "data" / "fukushima" / "ict-action-plan-2021.txt"

HOLD_LOCK = textwrap.dedent(
    """
    import sys, time
    from plan2rdf import atomic
    with atomic.exclusive(sys.argv[1]):
        print("locked", flush=True)
        sys.stdin.readline()  # hold the directory until the test says so
    """
)


def test_a_second_build_into_the_same_directory_stops_with_a_clear_message(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = CliRunner().invoke(main, ["build", str(BUNDLED), "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert f"another plan2rdf build is writing into {out}" in result.stderr
        assert "Traceback" not in result.output
        assert not list(out.glob("*.ttl")), "the refused build wrote nothing"
    finally:
        holder.communicate("\n", timeout=30)
    # once the other build is done, the same command works
    result = CliRunner().invoke(main, ["build", str(BUNDLED), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("fukushima-ict-2021.*")) == [
        "fukushima-ict-2021.jsonld",
        "fukushima-ict-2021.meta.ttl",
        "fukushima-ict-2021.nt",
        "fukushima-ict-2021.ttl",
    ]


def test_a_corpus_build_removes_staging_folders_a_killed_build_left(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    stale = out / ".plan2rdf-corpus-k1ll3d"  # as mkdtemp names them; kill -9 runs no clean-up
    stale.mkdir(parents=True)
    (stale / "corpus.nq").write_text("<a:s> <a:p> <a:o> <a:g> .\n", encoding="utf-8")
    other = out / "notes"  # not ours: left alone
    other.mkdir()
    result = CliRunner().invoke(main, ["build", str(BUNDLED), "--corpus", "--out", str(out), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert other.is_dir()
    assert not [p for p in out.iterdir() if p.name.startswith(".plan2rdf-corpus-")]
    assert {"corpus.nq", "corpus.trig", "catalog.ttl"} <= {p.name for p in out.iterdir()}
