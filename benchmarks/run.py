"""Corpus build benchmark: plan2rdf against the naive pipeline and the parsing floor, side by side.

    python benchmarks/run.py --sizes 1,10,100,1000,5000 --naive-limit 100 --runs 3 --jobs 2  (writes RESULTS.md)

For each corpus size (synthetic plans shaped like the bundled one, benchmarks/generate.py) it runs,
in one session, as separate processes:

- plan2rdf: ``plan2rdf build DIR --corpus --jobs N --quiet`` (read + derive + graph + validate +
  serialize, TriG and N-Quads, DCAT catalogue); from ``--compress-from`` plans on (default 5,000)
  with ``--compress`` (corpus.nq.gz, corpus.trig.gz);
- floor: pyoxigraph only parsing the N-Quads that plan2rdf produced (benchmarks/floor.py);
- both the median of ``--runs`` runs (default 1) for corpora up to ``--runs-limit`` plans (1,000);
- validate: ``plan2rdf validate corpus.nq --jobs N`` (plan by plan in parallel), up to
  ``--validate-limit`` plans (default 1,000);
- naive: every plan into one rdflib Graph, one pyshacl run over it, rdflib's Turtle and N-Triples
  serializers (benchmarks/naive.py), up to ``--naive-limit`` plans;

then, for the largest corpus of at most 1,000 plans: the build once more with ``--store DIR``
(timed apart from the main build) and every canned query answered from that store
(``plan2rdf query NAME --store DIR``, the median of ``--query-runs``, each stopped at ``--query-timeout``),
and each query once more on an in-memory store of the same quads (benchmarks/memory_queries.py);

and, once: ``plan2rdf build`` of the bundled plan and ``plan2rdf --help`` (wall time, the median of
a few runs). It prints wall time, peak memory (the summed RSS of the process tree, sampled every
20 ms), quads per second, output size, the ratios naive/plan2rdf and plan2rdf/floor, the growth
exponent of each pipeline (slope of log time over log plans), the issue's goals as met or not with
the numbers, and the profile table (benchmarks/profile.py); it writes all of it to ``--write``
(benchmarks/RESULTS.md) with the machine it ran on. The figures are measurements, never test
assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


@dataclass
class Run:
    name: str
    plans: int
    seconds: float | None  # None: did not finish within the timeout
    peak_mb: float
    triples: int | None = None
    note: str = ""
    output_mb: float | None = None  # corpus.nq + corpus.trig (gzipped when note is "gz")
    rows: int | None = None  # a query's answer, in rows (in memory)


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, ()))
        try:
            with open(f"/proc/{current}/status", encoding="ascii", errors="replace") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def measure(command: list[str], *, timeout: float, cwd: Path) -> tuple[float | None, float, str]:
    """Wall seconds (None on timeout), peak tree RSS in MB, and the last lines of output."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    deadline = start + timeout
    while process.poll() is None:
        peak = max(peak, _tree_rss_kb(process.pid))
        if time.perf_counter() > deadline:
            for child in _descendants(process.pid):
                _kill(child)
            process.kill()
            process.wait()
            return None, peak / 1024, f"killed after {timeout:.0f} s"
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-3000:]}")
    return seconds, peak / 1024, output.strip().splitlines()[-1] if output.strip() else ""


def measure_median(
    command: list[str], *, runs: int, timeout: float, cwd: Path, fresh: Path | None = None
) -> tuple[float | None, float, str]:
    """:func:`measure` ``runs`` times, ``fresh`` removed before each: the median wall time (None if
    any run did not finish), the highest peak, the last run's output. One run of a 50-second build
    on a shared machine varies by a fifth from the next; the median of three does not follow one
    slow run."""
    walls, peaks, last = [], [], ""
    for _ in range(runs):
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)
        seconds, peak, last = measure(command, timeout=timeout, cwd=cwd)
        peaks.append(peak)
        if seconds is None:
            return None, max(peaks), last
        walls.append(seconds)
    return sorted(walls)[len(walls) // 2], max(peaks), last


def _descendants(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
                        found.extend(_descendants(int(entry)))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, 9)


def growth(runs: list[Run], smallest: int = 2) -> float | None:
    """Least-squares slope of log(seconds) over log(plans), from ``smallest`` plans on: 1.0 is linear."""
    points = [(math.log(r.plans), math.log(r.seconds)) for r in runs if r.seconds and r.plans >= smallest]
    if len(points) < 2:
        return None
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else None


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kb = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} cores ({cpu}), {memory} RAM, Python {platform.python_version()}, {platform.system()}"


def median_wall(command: list[str], *, times: int, cwd: Path) -> float:
    """The median wall time of ``times`` runs of a short command (the first also warms the caches)."""
    walls = []
    for _ in range(times):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - start)
    return sorted(walls)[len(walls) // 2]


# The yardstick: pure Python, no library, no disk. Two 2-core machines of one kind ran the same build
# 1.7x apart; its time, in RESULTS.md's machine line, lets two runs be compared.
YARDSTICK = "s = 0\nfor i in range(20_000_000):\n    s += i\n"


def yardstick_run() -> Run:
    """The median wall time of three runs of the yardstick, each in a new interpreter."""
    seconds = median_wall([sys.executable, "-c", YARDSTICK], times=3, cwd=ROOT)
    print(f"yardstick: {seconds:.2f} s", flush=True)
    return Run("yardstick", 1, seconds, 0.0)


def compile_package() -> None:
    """Write plan2rdf's bytecode, as installing a wheel does: an editable install under
    PYTHONDONTWRITEBYTECODE (set on some machines) would otherwise compile every module in every
    process, 0.1 s of each one-plan build measured here, which no installed user pays."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("plan2rdf")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def one_plan_runs(plan2rdf: list[str], work: Path) -> list[Run]:
    """`plan2rdf build` of the bundled plan and `plan2rdf --help`: what one user waits for."""
    build = median_wall([*plan2rdf, "build", "--out", str(work / "one"), "--quiet"], times=5, cwd=ROOT)
    help_ = median_wall([*plan2rdf, "--help"], times=7, cwd=ROOT)
    print(f"one plan: {build:.2f} s; --help: {help_:.3f} s", flush=True)
    return [Run("one plan", 1, build, 0.0), Run("help", 1, help_, 0.0)]


def count_quads(nq: Path) -> int:
    opener = gzip.open if nq.suffix == ".gz" else open
    with opener(nq, "rt", encoding="utf-8") as f:
        return sum(1 for line in f if line.strip())


def corpus_runs(size: int, work: Path, plan2rdf: list[str], args) -> list[Run]:
    """plan2rdf, the floor, validate and the naive pipeline on one corpus size."""
    from generate import generate

    corpus = work / f"corpus-{size}"
    if not corpus.exists():
        generate(corpus, size)
    out = work / f"out-{size}"
    compress = size >= args.compress_from
    command = [*plan2rdf, "build", str(corpus), "--corpus", "--out", str(out), "--jobs", str(args.jobs), "--quiet"]
    runs_of = args.runs if size <= args.runs_limit else 1
    if compress:
        command.append("--compress")
    seconds, peak, _ = measure_median(command, runs=runs_of, timeout=args.timeout, cwd=ROOT, fresh=out)
    runs = []
    nq = out / ("corpus.nq.gz" if compress else "corpus.nq")
    triples = count_quads(nq) if seconds else None
    size_mb = sum(f.stat().st_size for f in out.glob("corpus.*")) / 1e6 if seconds else None
    runs.append(Run("plan2rdf", size, seconds, peak, triples, "gz" if compress else "", size_mb))
    print(f"plan2rdf {size:>6} plans: {seconds or 'DNF'} s, {peak:.0f} MB, {triples} quads, {size_mb} MB", flush=True)
    if seconds:
        f_seconds, f_peak, f_last = measure_median(
            [sys.executable, str(HERE / "floor.py"), str(nq)], runs=runs_of, timeout=args.timeout, cwd=ROOT
        )
        runs.append(Run("floor", size, f_seconds, f_peak, triples))
        print(f"floor    {size:>6} plans: {f_seconds:.2f} s, {f_peak:.0f} MB ({f_last})", flush=True)
    if seconds and size <= args.validate_limit:
        check = [*plan2rdf, "validate", str(nq), "--jobs", str(args.jobs), "--min-severity", "violation"]
        v_seconds, v_peak, v_last = measure(check, timeout=args.timeout, cwd=ROOT)
        runs.append(Run("validate", size, v_seconds, v_peak, triples, v_last if v_seconds is None else ""))
        print(f"validate {size:>6} plans: {v_seconds or 'DNF'} s, {v_peak:.0f} MB", flush=True)
    if size <= args.naive_limit:
        naive = [sys.executable, str(HERE / "naive.py"), str(corpus), str(work / f"naive-{size}")]
        n_seconds, n_peak, n_last = measure(naive, timeout=args.timeout, cwd=ROOT)
        runs.append(Run("naive", size, n_seconds, n_peak, triples, n_last if n_seconds is None else ""))
        shown = f"{n_seconds:.2f} s" if n_seconds else f"DNF ({n_last})"
        print(f"naive    {size:>6} plans: {shown}, {n_peak:.0f} MB", flush=True)
    if size >= 1000:  # gigabytes: the numbers are kept, the files are not
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(work / f"naive-{size}", ignore_errors=True)
    return runs


def query_names() -> list[str]:
    """The canned queries (sparql/*.rq), by the name `plan2rdf query` takes."""
    return sorted(path.stem for path in (ROOT / "sparql").glob("*.rq"))


def median_of(command: list[str], *, times: int, timeout: float) -> float | None:
    """The median wall time of ``times`` runs; None when a run fails or takes longer than ``timeout``
    (the rest are then not run)."""
    walls = []
    for _ in range(times):
        start = time.perf_counter()
        try:
            done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  timeout=timeout + 30)  # fmt: skip
        except subprocess.TimeoutExpired:
            return None
        if done.returncode != 0:
            return None
        walls.append(time.perf_counter() - start)
    return sorted(walls)[len(walls) // 2]


def store_runs(size: int, work: Path, plan2rdf: list[str], args) -> list[Run]:
    """The corpus built once more with ``--store DIR`` (timed apart from the main build), then every
    canned query answered from the store (`plan2rdf query NAME --store DIR`, median of 3)."""
    corpus, out, store = work / f"corpus-{size}", work / f"store-out-{size}", work / f"store-{size}"
    command = [*plan2rdf, "build", str(corpus), "--corpus", "--out", str(out), "--store", str(store),
               "--jobs", str(args.jobs), "--quiet"]  # fmt: skip
    seconds, peak, last = measure(command, timeout=args.timeout, cwd=ROOT)
    runs = [Run("build with store", size, seconds, peak, note=last if seconds is None else "")]
    print(f"build with store {size:>6} plans: {seconds or 'DNF'} s, {peak:.0f} MB", flush=True)
    if seconds:
        for name in query_names():
            query = [*plan2rdf, "query", name, "--store", str(store), "--format", "csv",
                     "--timeout", str(args.query_timeout)]  # fmt: skip
            wall = median_of(query, times=args.query_runs, timeout=args.query_timeout)
            runs.append(Run(f"query {name}", size, wall, 0.0, note="" if wall else f"> {args.query_timeout:g} s"))
            print(f"query {name:<40} {f'{wall:.2f} s' if wall else 'DNF'}", flush=True)
        runs += memory_query_runs(size, out / "corpus.nq", args.query_timeout)
    if size >= 1000:  # gigabytes: the numbers are kept, the files are not
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(store, ignore_errors=True)
    return runs


def memory_query_runs(size: int, corpus: Path, timeout: float) -> list[Run]:
    """Every canned query on an in-memory store of the same quads (benchmarks/memory_queries.py), in one
    process that loads the corpus once; a query over ``timeout`` is a DNF, and the rest run in a new one."""
    import selectors

    runs: list[Run] = []
    left = query_names()
    while left:
        process = subprocess.Popen([sys.executable, str(HERE / "memory_queries.py"), str(corpus), *left],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
        watch = selectors.DefaultSelector()
        watch.register(process.stdout, selectors.EVENT_READ)
        deadline = time.perf_counter() + 600  # the load
        while left:
            if not watch.select(max(0.0, deadline - time.perf_counter())):
                runs.append(Run(f"memory {left.pop(0)}", size, None, 0.0, note=f"> {timeout:g} s"))
                break
            line = process.stdout.readline().split()
            if not line:  # the process ended early
                runs += [Run(f"memory {name}", size, None, 0.0, note="failed") for name in left]
                left = []
            elif line[0] != "loaded":
                rows = int(line[2]) if len(line) > 2 else None
                runs.append(Run(f"memory {line[0]}", size, float(line[1]), 0.0, rows=rows))
                left.remove(line[0])
            deadline = time.perf_counter() + timeout + 1
        process.kill()
        process.wait()
    for r in runs:
        print(f"memory {r.name.removeprefix('memory '):<40} {f'{r.seconds:.2f} s' if r.seconds else 'DNF'}")
    return runs


def store_lines(runs: list[Run], runs_of: int) -> list[str]:
    """The store's build and query times as a table (nothing when no store was measured)."""
    built = next((r for r in runs if r.name == "build with store"), None)
    if built is None:
        return []
    main_build = next((r for r in runs if r.name == "plan2rdf" and r.plans == built.plans), None)
    lines = [
        f"## Queries on the store ({built.plans:,} plans)",
        "",
        f"`plan2rdf build … --corpus --store DIR`: {f'{built.seconds:.2f} s' if built.seconds else 'DNF'}"
        + (f" (the build without the store: {main_build.seconds:.2f} s)" if main_build and main_build.seconds else "")
        + f", {built.peak_mb:.0f} MB. `plan2rdf query NAME --store DIR --format csv`, wall time"
        + (f", median of {runs_of} runs:" if runs_of > 1 else ", one run each:"),
        "",
    ]
    memory = {r.name.removeprefix("memory "): r for r in runs if r.name.startswith("memory ")}
    counted = any(r.rows is not None for r in memory.values())  # runs.json of older runs has no rows
    header = ["query", "store s", "in memory s", *(["rows"] if counted else [])]
    lines += ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]

    def shown(r: Run | None) -> str:
        return "—" if r is None else f"{r.seconds:.2f}" if r.seconds else f"DNF ({r.note})"

    for r in runs:
        if r.name.startswith("query "):
            name = r.name.removeprefix("query ")
            held = memory.get(name)
            cells = [name, shown(r), shown(held)]
            if counted:
                cells.append("—" if held is None or held.rows is None else f"{held.rows:,}")
            lines.append("| " + " | ".join(cells) + " |")
    return [
        *lines,
        "",
        "*store*: the whole command, a new process each time; *in memory*: the same query evaluated on a "
        "pyoxigraph store held in memory, loaded once (benchmarks/memory_queries.py), what is left when "
        "neither the process nor the disk is counted"
        + ("; *rows*: the answer's rows, one per edition and department, unit, theme or target." if counted else "."),
        "",
    ]


PROFILE_TEXT = (
    "\n## Where the time goes\n\n"
    "`python benchmarks/profile.py` on 20 plans of the largest corpus, in one process: CPU seconds per plan "
    "in each stage of a corpus worker. Reading, deriving, building the graph, its term table (the one walk "
    "over the graph that validating and serializing share) and serializing are pure Python (rdflib); "
    "validation runs pyshacl-turbo (Rust) with the shapes compiled once per worker, and pySHACL is shown "
    "for comparison. The parsing floor is one streaming parser in Rust.\n\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10,100", help="corpus sizes in plans, comma-separated")
    parser.add_argument("--naive-limit", type=int, default=100, help="largest corpus the naive pipeline is given")
    parser.add_argument("--validate-limit", type=int, default=1000, help="largest corpus `plan2rdf validate` is given")
    parser.add_argument("--compress-from", type=int, default=5000, help="corpora this large are built --compress")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is stopped")
    parser.add_argument("--query-timeout", type=float, default=60, help="seconds a query on the store may take")
    parser.add_argument("--query-runs", type=int, default=3, help="runs of each query on the store (their median)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each build and floor (their median)")
    parser.add_argument("--runs-limit", type=int, default=1000, help="largest corpus measured --runs times")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--work", type=Path, help="where corpora are generated (default: a temporary folder)")
    parser.add_argument("--write", "--results", dest="results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--render", type=Path, help="only write RESULTS.md again from a run's runs.json")
    args = parser.parse_args()
    if args.render:
        runs = [Run(**r) for r in json.loads(args.render.read_text(encoding="utf-8"))]
        sizes = sorted({r.plans for r in runs if r.name == "plan2rdf"})
        args.sizes = ",".join(str(n) for n in sizes)
        report = render(runs, sizes, args)
        previous = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
        if "## Where the time goes" in previous:
            report += "\n## Where the time goes" + previous.split("## Where the time goes", 1)[1]
        args.results.write_text(report, encoding="utf-8")
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="plan2rdf-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    plan2rdf = [sys.executable, "-m", "plan2rdf"]
    compile_package()
    runs = [yardstick_run(), *one_plan_runs(plan2rdf, work)]
    for size in sizes:
        runs += corpus_runs(size, work, plan2rdf, args)
        (work / "runs.json").write_text(json.dumps([r.__dict__ for r in runs], indent=2), encoding="utf-8")
    stored = [s for s in sizes if s <= 1000]
    if stored:  # the largest corpus of at most 1,000 plans, once more with its store
        runs += store_runs(max(stored), work, plan2rdf, args)
        (work / "runs.json").write_text(json.dumps([r.__dict__ for r in runs], indent=2), encoding="utf-8")
    report = render(runs, sizes, args)
    profile = subprocess.run(
        [sys.executable, str(HERE / "profile.py"), str(work / f"corpus-{max(sizes)}"), "--plans", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    report += PROFILE_TEXT + profile
    args.results.write_text(report, encoding="utf-8")
    print(report)


def render(runs: list[Run], sizes: list[int], args) -> str:
    def get(name: str, size: int) -> Run | None:
        return next((r for r in runs if r.name == name and r.plans == size), None)

    def secs(r: Run | None) -> str:
        if r is None:
            return "—"
        return f"{r.seconds:.2f}" if r.seconds is not None else f"DNF ({r.note})"

    yardstick = get("yardstick", 1)
    speed = (
        f"; a pure-Python loop of 20 M additions (the yardstick, to compare machines) takes {yardstick.seconds:.2f} s"
        if yardstick and yardstick.seconds
        else ""
    )
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}{speed}. Command: `python benchmarks/run.py --sizes {args.sizes} "
        f"--naive-limit {args.naive_limit} --runs {args.runs} --jobs {args.jobs} --query-runs {args.query_runs} "
        f"--query-timeout {args.query_timeout:g}`. All runs in one session, side by side; "
        f"corpora of {args.compress_from:,} plans or more are built with `--compress`.",
        "",
        "| plans | quads | plan2rdf s | plan2rdf MB | quads/s | output MB | validate s | naive s | naive MB | "
        "naive / plan2rdf | floor s | plan2rdf / floor |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        ours, naive, floor, check = (get(n, size) for n in ("plan2rdf", "naive", "floor", "validate"))
        if ours is None:
            continue
        rate = f"{ours.triples / ours.seconds:,.0f}" if ours.seconds and ours.triples else "—"
        ratio_naive = f"{naive.seconds / ours.seconds:.1f}×" if naive and naive.seconds and ours.seconds else "—"
        ratio_floor = f"{ours.seconds / floor.seconds:.1f}×" if floor and floor.seconds and ours.seconds else "—"
        naive_mb = f"{naive.peak_mb:.0f}" if naive else "—"
        output = f"{ours.output_mb:,.0f}{' (gz)' if ours.note == 'gz' else ''}" if ours.output_mb else "—"
        lines.append(
            f"| {size:,} | {ours.triples or 0:,} | {secs(ours)} | {ours.peak_mb:.0f} | {rate} | {output} | "
            f"{secs(check)} | {secs(naive)} | {naive_mb} | {ratio_naive} | {secs(floor)} | {ratio_floor} |"
        )
    lines.append("")
    one, help_ = get("one plan", 1), get("help", 1)
    if one and help_:
        lines.append(f"- one plan (`plan2rdf build` of the bundled plan, median of 5): {one.seconds:.2f} s wall; "
                     f"`plan2rdf --help`: {help_.seconds:.3f} s")  # fmt: skip
    for name in ("plan2rdf", "naive", "floor"):
        slope = growth([r for r in runs if r.name == name])
        if slope is not None:
            lines.append(f"- growth exponent of {name}: {slope:.2f} (1.00 is linear in the number of plans)")
    lines.append("")
    lines += store_lines(runs, args.query_runs)
    lines += goals(runs)
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def goals(runs: list[Run]) -> list[str]:
    """Issue #20's goals on a 2-core machine, against what this run measured."""
    by = {(r.name, r.plans): r for r in runs if r.seconds}
    lines = ["## Goals (issue #20)", "", "| goal | measured | |", "| --- | --- | --- |"]
    big, floor, check = by.get(("plan2rdf", 1000)), by.get(("floor", 1000)), by.get(("validate", 1000))
    if big:
        lines.append(
            f"| 1. 1,000 plans built and validated in ≤ 60 s | {big.seconds:.1f} s | {_met(big.seconds <= 60)} |"
        )
        lines.append(f"| 1. peak memory < 1 GiB | {big.peak_mb:.0f} MB | {_met(big.peak_mb < 1024)} |")
    if big and floor:
        ratio = big.seconds / floor.seconds
        lines.append(f"| 1. ≤ 8× the parsing floor | {ratio:.1f}× ({floor.seconds:.1f} s floor) | {_met(ratio <= 8)} |")
    equal = "tests/test_engines.py (every shapes fixture, the bundled plan)"
    lines.append(f"| 1. verdicts identical to pySHACL's | {equal} | tested, not timed |")
    national = by.get(("plan2rdf", 5000))
    if national:
        output = f"{national.output_mb:,.0f} MB{' gzipped' if national.note == 'gz' else ''}"
        lines.append(f"| 2. 5,000 plans in < 1 GiB | {national.seconds:.0f} s, {national.peak_mb:.0f} MB, {output} | "
                     f"{_met(national.peak_mb < 1024)} |")  # fmt: skip
        slope = growth([r for r in runs if r.name == "plan2rdf"], smallest=100)
        if slope is not None:
            lines.append(f"| 2. growth exponent ≤ 1.05 (100 to 5,000 plans) | {slope:.4f} | {_met(slope <= 1.05)} |")
    one, help_ = by.get(("one plan", 1)), by.get(("help", 1))
    if one:
        lines.append(
            f"| 3. one plan (`plan2rdf build`) ≤ 0.8 s wall | {one.seconds:.2f} s | {_met(one.seconds <= 0.8)} |"
        )
    if help_:
        lines.append(f"| 3. `plan2rdf --help` ≤ 0.1 s | {help_.seconds:.3f} s | {_met(help_.seconds <= 0.1)} |")
    queries = [r for r in runs if r.name.startswith("query ")]
    if queries:
        plans = queries[0].plans
        slowest = max(queries, key=lambda r: math.inf if r.seconds is None else r.seconds)
        shown = f"{slowest.seconds:.2f} s" if slowest.seconds else f"DNF ({slowest.note})"
        ok = all(r.seconds is not None and r.seconds <= 1 for r in queries) and plans >= 1000
        lines.append(f"| 4. every canned query on the store ≤ 1 s | slowest at {plans:,} plans: "
                     f"{slowest.name.removeprefix('query ')}, {shown} | {_met(ok)} |")  # fmt: skip
    if check:
        lines.append(f"| 5. `plan2rdf validate corpus.nq` of 1,000 plans ≤ 60 s | {check.seconds:.1f} s | "
                     f"{_met(check.seconds <= 60)} |")  # fmt: skip
    lines.append("")
    missed = sorted({line.split(".", 1)[0].strip("| ") for line in lines if line.endswith("**not met** |")})
    if missed:
        lines += ["### Why the goals not met are not met", ""]
        lines += [f"- {goal}. {NOT_MET[goal]}" for goal in missed if goal in NOT_MET]
        lines.append("")
    return lines


# What profiling (benchmarks/profile.py, cProfile, valgrind) showed about each goal when it was missed.
NOT_MET = {
    "1": "What does not grow with the corpus weighs more at 1,000 plans than at 5,000 (see the floor column): "
    "the first plan's result comes about 1.8 s after the start (imports, and the shapes compiled in each worker), "
    "and the main process receives, writes and hashes the 1.8 GB of N-Quads and TriG (about 5 s of CPU, "
    "measured on a loaded machine) on the same two cores as the two workers. A worker's plan is about "
    "half pyshacl-turbo's native run (the shapes' own cost, about 25 ms) and half Python making and "
    "writing rdflib terms (read, derive, graph, serialize: see the profile); a graph built without rdflib "
    "terms is the next step. Handing pyshacl-turbo the plan's N-Triples text instead of the graph (its "
    "own parser, no Python term conversion) was measured and saves nothing (37 ms a plan against 36 ms); "
    "one walk over the graph for the checks, pyshacl-turbo's term records and the writer (rdfio.table) "
    "saves about 5 ms a plan. The machine is noisy: the same 1,000-plan build took from 85 to 106 s of "
    "CPU in one hour, so a ratio this close to 8× is within the noise of one run. Machines of one kind "
    "differ more: the same build code took 36.9 s, 7.4× the floor, in the run committed as 0e30684, and "
    "61.9 s, 9.3×, on the machine of the run after it (the first with the yardstick: 1.7 s), where the "
    "profile's Python stages took 1.5 to 2.7 times as long and the Rust floor only 1.3 times.",
    "2": "The 100-plan build is relatively the fastest per plan; in one worker, the CPU per plan rises by a "
    "fifth over its first few hundred plans, not yet explained (the heap stays flat). The run committed "
    "as 0e30684 measured 0.99 on another machine of the same kind.",
    "4": "Oxigraph's optimizer has no statistics: it joins by nested loops, one index lookup per row and join "
    "step, and these queries visit every one of the 128,000 measures; on the on-disk store a lookup costs "
    "tens of microseconds (RocksDB; compacting the store after its load, as `build --store` does, cut "
    "that to a third). The in-memory column is the same evaluation without the disk and the process. The "
    "answers also grow with the corpus (one row per edition and department, unit or theme). Hash joins "
    "(one subquery per property) would scan each property once, but rdflib joins subqueries pair by pair, "
    "quadratic in their rows, and each canned query is one text that every engine runs. Measured by hand "
    "on the 1,000-plan store: the 134,000 measures joined to their units take 0.8 s by lookups and 0.26 s "
    "as two subqueries, a third, where these queries would need a twentieth. Virtuoso 7.2 (bulk-loaded, "
    "2.7 GB of buffers, queried through `--endpoint`) was no faster on 01 to 06 (3.9 to 30 s) and did not "
    "answer 07 within 60 s. Looking up each plan's year after the counting, not once per measure, cut 01 "
    "to a third and six others by a fifth to a third (in memory, 1,000 plans); a query's time per lookup "
    "still doubles from 100 to 1,000 plans, and the union of the named graphs queried as the default "
    "graph is no faster than the default graph itself. What the answers weigh, measured by hand on the "
    "same 1,000-plan corpus in memory (the evaluation and its rows iterated, nothing converted or "
    "written): only 08, 09, 12, 01 and 06 take under a second (0.09 to 0.80 s) even without a disk or a "
    "process; 02, 03, 11, 13 and 15 answer 65,000 to 90,000 rows each (03's answer is 8.9 MB of CSV, "
    "15's 18 MB, whose writing alone takes 0.3 and 0.6 s; every synthetic plan is of 2021, so 15's "
    "default year selects every target), and 14 answers 4,000 rows but reads every "
    "title and summary for its keyword (5.2 s: Oxigraph has no text index). A second per query on this "
    "corpus needs an engine that plans joins from statistics and a text index, or answers a tenth the "
    "size (a year, a publisher, LIMIT): not the store goal 4 names on two cores.",
    "5": "`validate` describes every result, infos included (about 90 a plan, which the report counts): "
    "parsing into rdflib with positions, the engine and describing take most of each part. The same code "
    "took 40.5 s in the run committed as 0e30684, on a faster machine (see goal 1).",
}


if __name__ == "__main__":
    main()
