"""A seeded, bounded fuzz run over every reader (issue 14): text export, CSV, XLSX, RDF and the
metadata files beside a plan (the sidecar TOML and the organisation table).

Each example mutates a valid input (bytes flipped, inserted, deleted, duplicated or cut; for XLSX,
inside the sheet's XML as well as the zip) and runs the command a user would. Every outcome must be
exit 0, 1 or 2, with no traceback, within a time limit that only proves liveness, and a failed
build must leave nothing behind. Derandomized, so a failure reproduces; about a minute in all.
"""

from __future__ import annotations

import io
import shutil
import signal
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plan2rdf.cli import main

ROOT = Path(__file__).parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"
LIVENESS_SECONDS = 60  # generous: proves a rule finishes, measures nothing
FUZZ = settings(
    max_examples=150, derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


@contextmanager
def alive(seconds: int = LIVENESS_SECONDS) -> Iterator[None]:
    def hang(signum, frame):
        raise AssertionError(f"no answer within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


MUTATION = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "duplicate", "cut"]),
        st.floats(min_value=0, max_value=1),
        st.binary(min_size=1, max_size=64),
        st.integers(min_value=1, max_value=2000),
    ),
    min_size=1,
    max_size=4,
)
HOSTILE = [b" " * 5000, b"\x00", "〇".encode() * 300, b"<ul><li>" * 200, b'"', b"\r\n" * 100, b"\xff\xfe"]


def mutate(data: bytes, steps) -> bytes:
    for kind, where, payload, size in steps:
        at = int(where * len(data))
        if kind == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ payload[0]]) + data[at + 1 :]
        elif kind == "insert":
            data = data[:at] + (HOSTILE[size % len(HOSTILE)] if size % 3 == 0 else payload) + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + size :]
        elif kind == "duplicate":
            data = data[:at] + data[at : at + size] * 3 + data[at:]
        else:
            data = data[:at]
    return data


def run(*args: str):
    with alive():
        result = CliRunner().invoke(main, list(args))
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, f"{args}: {type(result.exception).__name__}: {result.exception}\n{result.output[-2000:]}"
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output
    return result


def plan_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name in ("plan.toml", "organizations.csv"):
        shutil.copy(MINI / name, folder / name)
    return folder


def assert_nothing_half_written(out: Path, result) -> None:
    if result.exit_code != 0 and out.exists():
        assert not [p for p in out.iterdir() if not p.name.startswith(".")], "a failed build wrote files"


@pytest.fixture(scope="module")
def mini_tabular(tmp_path_factory) -> dict[str, bytes]:
    """The mini plan as CSV and XLSX, written by plan2rdf itself."""
    work = tmp_path_factory.mktemp("tabular")
    folder = plan_folder(work)
    shutil.copy(MINI / "plan.txt", folder / "plan.txt")
    run("parse", str(folder / "plan.txt"), "--format", "xlsx", "-o", str(work / "plan.xlsx"))
    run("parse", str(folder / "plan.txt"), "--format", "csv", "-o", str(work / "plan.csv"))
    return {"csv": (work / "plan.csv").read_bytes(), "xlsx": (work / "plan.xlsx").read_bytes()}


@pytest.fixture(scope="module")
def mini_rdf(tmp_path_factory) -> dict[str, bytes]:
    work = tmp_path_factory.mktemp("rdf")
    folder = plan_folder(work)
    shutil.copy(MINI / "plan.txt", folder / "plan.txt")
    run("build", str(folder / "plan.txt"), "--out", str(work / "dist"), "-q")
    files = {p.suffix: p.read_bytes() for p in (work / "dist").iterdir() if not p.name.endswith(".meta.ttl")}
    return {".ttl": files[".ttl"], ".nt": files[".nt"], ".jsonld": files[".jsonld"]}


@FUZZ
@given(steps=MUTATION)
def test_text_exports(tmp_path_factory, steps) -> None:
    work = tmp_path_factory.mktemp("text")
    folder = plan_folder(work)
    (folder / "plan.txt").write_bytes(mutate((MINI / "plan.txt").read_bytes(), steps))
    run("parse", str(folder / "plan.txt"))
    out = work / "out"
    assert_nothing_half_written(out, run("build", str(folder / "plan.txt"), "--out", str(out), "-q"))


@FUZZ
@given(steps=MUTATION)
def test_csv_sheets(tmp_path_factory, mini_tabular, steps) -> None:
    work = tmp_path_factory.mktemp("csv")
    folder = plan_folder(work)
    (folder / "plan.csv").write_bytes(mutate(mini_tabular["csv"], steps))
    run("parse", str(folder / "plan.csv"))


@FUZZ
@given(steps=MUTATION, inside=st.booleans())
def test_xlsx_workbooks(tmp_path_factory, mini_tabular, steps, inside) -> None:
    work = tmp_path_factory.mktemp("xlsx")
    folder = plan_folder(work)
    data = mini_tabular["xlsx"]
    if inside:  # a well-formed zip whose sheet XML is damaged
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                part = source.read(item)
                target.writestr(item, mutate(part, steps) if item.filename.startswith("xl/worksheets/") else part)
        data = buffer.getvalue()
    else:
        data = mutate(data, steps)
    (folder / "plan.xlsx").write_bytes(data)
    run("parse", str(folder / "plan.xlsx"))


@FUZZ
@given(steps=MUTATION, suffix=st.sampled_from([".ttl", ".nt", ".jsonld"]))
def test_rdf_files(tmp_path_factory, mini_rdf, steps, suffix) -> None:
    work = tmp_path_factory.mktemp("rdf-in")
    path = work / f"plan{suffix}"
    path.write_bytes(mutate(mini_rdf[suffix], steps))
    run("validate", str(path))
    run("query", "reposts", "--data", str(path))


@FUZZ
@given(steps=MUTATION, which=st.sampled_from(["plan.toml", "organizations.csv"]))
def test_metadata_files(tmp_path_factory, steps, which) -> None:
    """A mangled sidecar or organisation table beside a good plan: a located error or a build."""
    work = tmp_path_factory.mktemp("meta")
    folder = plan_folder(work)
    shutil.copy(MINI / "plan.txt", folder / "plan.txt")
    (folder / which).write_bytes(mutate((MINI / which).read_bytes(), steps))
    out = work / "dist"
    result = run("build", str(folder / "plan.txt"), "--out", str(out), "-q")
    assert_nothing_half_written(out, result)
