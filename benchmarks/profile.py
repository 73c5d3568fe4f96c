"""Where the time of a corpus build goes: CPU seconds per plan in each stage, in one process.

    python benchmarks/profile.py CORPUS_DIR [--plans 20]

Stages as a corpus worker runs them: read (text export to records), derive (targets, programmes,
themes), graph (triples into an rdflib Graph), table (the one walk over it: each term once with its
N-Triples text, rdfio.table), validate (the fast pass: the shapes that can fail the build,
pyshacl-turbo from the table and pySHACL from the graph both measured), serialize (the plan's N-Quads
and TriG, as corpus.build.plan_output writes them from the table).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--plans", type=int, default=20)
    args = parser.parse_args()

    from plan2rdf.corpus.build import PlanOutput, expand_sources, plan_output
    from plan2rdf.derive.facts import derive
    from plan2rdf.derive.themes import load as load_themes
    from plan2rdf.graph.mapping import build_graph
    from plan2rdf.pipeline import find_organizations
    from plan2rdf.rdfio.table import TermTable
    from plan2rdf.read.reader import read_plan
    from plan2rdf.resources import path
    from plan2rdf.validate import engine_available, severity_counts
    from plan2rdf.vocab import Iris

    sources = expand_sources([args.corpus])[: args.plans]
    iris = Iris()
    themes = load_themes(path("data", "themes.ttl"), base=iris.base)
    engines = ["turbo", "pyshacl"] if engine_available("turbo") else ["pyshacl"]
    totals: dict[str, float] = {}

    def timed(stage: str, fn):
        start = time.process_time()
        value = fn()
        totals[stage] = totals.get(stage, 0.0) + time.process_time() - start
        return value

    triples = 0
    for source in sources:
        plan = timed("read", lambda s=source: read_plan(s))
        facts = timed("derive", lambda p=plan: derive(p, themes=themes))
        table = find_organizations(plan, None)
        store = "SimpleMemory" if "turbo" in engines else "Memory"
        graph = timed(
            "graph",
            lambda p=plan, f=facts, t=table, m=store: build_graph(p, iris=iris, organizations=t, derived=f, store=m),
        ).graph
        triples += len(graph)
        terms = timed("table", lambda g=graph: TermTable.of(g))
        for engine in engines:
            memory, walked = graph, terms
            if engine == "pyshacl" and store != "Memory":
                memory, walked = build_graph(plan, iris=iris, organizations=table, derived=facts).graph, None
            timed(
                f"validate ({engine})",
                lambda g=memory, e=engine, w=walked: severity_counts(g, engine=e, at_least="violation", table=w),
            )
        output = PlanOutput(source=str(source))
        timed("serialize", lambda p=plan, g=graph, o=output, t=terms: plan_output(p, g, iris=iris, output=o, table=t))
    n = len(sources)
    print(f"{n} plans, {triples / n:.0f} triples per plan; CPU seconds per plan:")
    print("| stage | s per plan |")
    print("| --- | ---: |")
    for stage, seconds in totals.items():
        print(f"| {stage} | {seconds / n:.3f} |")


if __name__ == "__main__":
    main()
