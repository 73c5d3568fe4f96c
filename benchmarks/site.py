"""How long `plan2rdf site` takes: the bundled plan (or SOURCE) from source to a written site.

    python benchmarks/site.py [SOURCE] [--runs 3]

Each run reads the plan, makes its graph, the build's files and their metadata, runs the canned
queries, renders every page and writes the tree (plan2rdf.pipeline.build_site). Wall-clock seconds per run
(the site test used to assert < 30 s; measured ~3 s on a 2-core machine).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, nargs="?")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from plan2rdf import pipeline
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import bundled_plan

    source = args.source or bundled_plan()
    seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            start = time.perf_counter()
            report = pipeline.build_site(read_plan(source), out_dir=Path(tmp) / "site")
            seconds.append(time.perf_counter() - start)
            print(f"run {run + 1}: {seconds[-1]:.2f} s ({report.seconds:.2f} s after reading)")
    print(f"{source.name}: {report.pages} pages, {len(report.files)} files, {report.size / 1e6:.1f} MB")
    print(f"seconds: min {min(seconds):.2f}, median {statistics.median(seconds):.2f}")


if __name__ == "__main__":
    main()
