"""The catalogue described: as data for `plan2rdf queries`, and as docs/queries.md with sample results."""

from __future__ import annotations

from typing import Any

from plan2rdf.query.catalogue import Catalogue
from plan2rdf.query.engines import Engine, run
from plan2rdf.query.results import format_markdown, markdown_cell

SAMPLE_ROWS = 8

_DOC_INTRO = """\
# Canned queries

<!-- Generated from sparql/*.rq by `plan2rdf queries --markdown -o docs/queries.md`; do not edit. -->

These SPARQL queries answer questions researchers ask across departments. Run one with
`plan2rdf query NAME` (the bundled plan's graph, built in memory) or on your own files with
`--data FILE…`; `--param name=value` sets a parameter, `--format` chooses table, csv, tsv, json
(SPARQL 1.1 results) or markdown, and `--engine oxigraph` uses pyoxigraph (`pip install
'plan2rdf[oxigraph]'`). Every query returns the same rows on both engines, in a total order.

Each file starts with a header in [grlc](https://github.com/CLARIAH/grlc)'s decorator syntax, so the
folder can also be served by grlc as a Web API:

- `#+ summary: <Japanese title> / <English title>`
- `#+ description:` the question the query answers
- `#+ tags:` a list, `#+ columns:` a list of `- name: meaning` (every projected variable, in order)
- `#+ parameters:` a list of `- name: meaning`, `#+ defaults:` a list of `- name: value` (grlc)

Parameters follow grlc's variable convention: `?_name` (a string), `?_name_ja` (a literal in
Japanese), `?_name_iri`, `?_name_integer`, `?_name_xsd_gYear`… They are bound as RDF terms, never
pasted into the text, and may only be used directly in the outermost WHERE group.

Conventions shared by the queries:

- **Editions**: every query has an `edition` column first, the plan's fiscal year
  (`p2r:fiscalYear`, e.g. `2021`), then a `plan` column, the plan edition's IRI, and counts per plan
  (the plan a measure is `p2r:hasMeasure` of). Organisations, directions, programmes and themes are
  shared by all editions of a corpus, so a count without the plan would add the years together, and
  without the `plan` column two publishers' rows of one year (both have a 総務部) would look the same.
  On a corpus, each plan's rows are exactly the rows of that plan alone (tested on the bundled plan
  with an edited 2022 edition, and with another publisher's plan of 2021); `target-history` follows
  one measure through the editions by the `prov:wasRevisionOf` links of corpus builds.
- **The same rows on every engine** (rdflib, pyoxigraph, the Oxigraph server, Virtuoso 7):
  percentages use decimal arithmetic (`100.0 * …`: Virtuoso divides integers as integers); a row
  that a property path could repeat is made unique by an explicit `DISTINCT` (Virtuoso returns a `+`
  path once per path); computed booleans are written as `xsd:boolean` literals
  (`STRDT(IF(…, "true", "false"), xsd:boolean)`: Virtuoso answers a boolean expression with 1 or 0);
  integer columns from stored data are cast to `xsd:integer` (a store may keep
  `xsd:positiveInteger` or not). Each query says why in its comments.
- **Remote**: `plan2rdf query NAME --endpoint URL --graph IRI` runs a query on a SPARQL store; the
  graphs named are the query's default graph (see [publishing](publishing.md)).
- **Department of a measure**: the responsible unit itself when it is directly `org:unitOf` the
  prefecture (a department named without a division, such as 選挙管理委員会事務局), otherwise the
  unit's `org:unitOf`.
- **Reposts** （再掲） are left out of every count and list of measures, so nothing is counted twice
  (query `reposts` lists them), with `OPTIONAL { ?m p2r:repostOf ?original } FILTER
  (!BOUND(?original))`. Negation is engine-sensitive (design guide §5); measured side by side on the
  bundled plan replicated as many editions (`measures-per-department`):

  | form | rdflib, 250k triples | pyoxigraph, 1M triples |
  | --- | --- | --- |
  | `OPTIONAL` + `!BOUND` (used) | 5.3 s | 0.10 s |
  | `FILTER NOT EXISTS` | 6.0 s | 0.15 s |
  | `MINUS` | 24.8 s (quadratic) | 0.03 s |

  Other positive patterns keep rdflib fast: the department is found in one basic graph pattern
  (a property path, no `UNION`), `?m a p2r:Measure` is left out where another property says it
  (rdflib would evaluate that triple first), subqueries that are joined are `SELECT DISTINCT` (rdflib
  then evaluates each once), and an `OPTIONAL` always starts from a bound variable.
- **Labels** are the Japanese ones (`FILTER (lang(?label) = "ja")`); order is by counts, then by
  direction and entry number, then by label and IRI, so every result has one order.
- **Derived facts** (targets' values, units and periods, programmes, themes) are read from the plan's
  text by rules; see [the vocabulary](vocabulary.md#derived-facts-what-we-read-into-the-plan).
"""


def catalogue_markdown(catalogue: Catalogue, engine: Engine, *, sample_rows: int = SAMPLE_ROWS) -> str:
    """docs/queries.md: every query with its question, parameters, columns, SPARQL and sample result."""
    parts = [_DOC_INTRO, "\n## Contents\n"]
    for q in catalogue:
        parts.append(f"- [`{q.name}`](#{q.name}): {q.title_ja} / {q.title_en}")
    for q in catalogue:
        parts.append(f'\n<a id="{q.name}"></a>\n\n## `{q.name}`: {q.title_ja} / {q.title_en}\n')
        parts.append(f"{q.description}\n")
        parts.append(f"File: [sparql/{q.path.name}](../sparql/{q.path.name}) · tags: {', '.join(q.tags)}\n")
        if q.parameters:
            parts.append("| parameter | type | default | meaning |\n| --- | --- | --- | --- |")
            for p in q.parameters:
                default = p.default if p.default is not None else ("" if p.required else "none (optional)")
                parts.append(
                    f"| `{p.name}` | {p.type_label()} | {markdown_cell(default)} | {markdown_cell(p.meaning)} |"
                )
            parts.append("")
        parts.append("| column | meaning |\n| --- | --- |")
        parts += [f"| `{c.name}` | {markdown_cell(c.meaning)} |" for c in q.columns]
        parts.append(f"\n```sparql\n{q.body}```\n")
        result = run(q, engine)
        shown = min(sample_rows, len(result.rows))
        command = f"`plan2rdf query {q.name} --format markdown`"
        parts.append(f"Result on the bundled plan ({command}), first {shown} of {len(result.rows)} rows:\n")
        parts.append(format_markdown(result, limit=sample_rows))
    return "\n".join(parts).rstrip() + "\n"


def catalogue_listing(catalogue: Catalogue) -> list[dict[str, Any]]:
    """The catalogue as data, for `plan2rdf queries`."""
    return [
        {
            "name": q.name,
            "title_ja": q.title_ja,
            "title_en": q.title_en,
            "parameters": [
                {
                    "name": p.name,
                    "type": p.type_label(),
                    "default": p.default,
                    "required": p.required,
                    "meaning": p.meaning,
                }
                for p in q.parameters
            ],
            "file": q.path.name,
        }
        for q in catalogue
    ]
