"""A query's result as text: an aligned table, SPARQL 1.1 CSV/TSV and JSON results, or Markdown."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plan2rdf.query.engines import Result
from plan2rdf.query.parameters import XSD

if TYPE_CHECKING:
    from rdflib.term import Node

FORMATS = ("table", "csv", "tsv", "json", "markdown")


def cell(term: Node | None) -> str:
    """The plain text of a term, as in SPARQL CSV results (no language tags or datatypes)."""
    return "" if term is None else str(term)


def width(text: str) -> int:
    """Columns a text takes in a terminal: wide and full-width characters take two."""
    return sum(
        2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1 for ch in text
    )


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * (size - width(text))
    return gap + text if right else text + gap


def _is_number(term: Node | None) -> bool:
    from rdflib import Literal

    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype).removeprefix(XSD) in (
        "integer", "decimal", "double", "float", "long", "int", "nonNegativeInteger", "positiveInteger",
    )  # fmt: skip


def _one_line(text: str) -> str:
    return text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


def format_text_table(
    columns: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool] = (), count: bool = True
) -> str:
    """An aligned text table of strings; wide (CJK) characters count two columns."""
    rows = [[_one_line(c) for c in row] for row in rows]
    sizes = [max([width(c)] + [width(r[i]) for r in rows]) for i, c in enumerate(columns)]
    align = list(right) + [False] * (len(columns) - len(right))
    lines = ["  ".join(_pad(c, sizes[i]) for i, c in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(_pad(c, sizes[i], align[i]) for i, c in enumerate(row)).rstrip() for row in rows]
    if count:
        lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def format_table(result: Result) -> str:
    """The result as an aligned text table; numbers are right-aligned."""
    numeric = [
        bool(result.rows) and all(_is_number(r[i]) or r[i] is None for r in result.rows)
        for i in range(len(result.columns))
    ]
    rows = [[cell(t) for t in row] for row in result.rows]
    return format_text_table(result.columns, rows, right=numeric)


def format_csv(result: Result, delimiter: str = ",") -> str:
    """SPARQL 1.1 CSV results (plain values); with a tab delimiter, TSV cells are made one line."""
    buffer = io.StringIO()
    if delimiter == "\t":
        buffer.write("\t".join(result.columns) + "\n")
        for row in result.rows:
            buffer.write("\t".join(_one_line(cell(t)) for t in row) + "\n")
        return buffer.getvalue()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows([cell(t) for t in row] for row in result.rows)
    return buffer.getvalue()


def _json_term(term: Node) -> dict[str, str]:
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        value: dict[str, str] = {"type": "literal", "value": str(term)}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype is not None:
            value["datatype"] = str(term.datatype)
        return value
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


def to_json(result: Result) -> dict[str, Any]:
    """The SPARQL 1.1 Query Results JSON Format."""
    bindings = [
        {c: _json_term(t) for c, t in zip(result.columns, row, strict=True) if t is not None} for row in result.rows
    ]
    return {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}


def format_json(result: Result) -> str:
    return json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n"


def markdown_cell(text: str) -> str:
    """Text safe in one cell of a Markdown table: one line, backslashes and bars escaped."""
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def format_markdown(result: Result, limit: int | None = None) -> str:
    """A GitHub-flavoured Markdown table (the first ``limit`` rows, then how many were left out)."""
    rows = result.rows if limit is None else result.rows[:limit]
    lines = ["| " + " | ".join(result.columns) + " |", "|" + "|".join(" --- " for _ in result.columns) + "|"]
    lines += ["| " + " | ".join(markdown_cell(cell(t)) for t in row) + " |" for row in rows]
    if limit is not None and len(result.rows) > limit:
        lines.append(f"\n… {len(result.rows) - limit} more rows ({len(result.rows)} in all)")
    elif not result.rows:
        lines.append("\n(no rows)")
    return "\n".join(lines) + "\n"


def format_result(result: Result, fmt: str) -> str:
    if fmt == "table":
        return format_table(result)
    if fmt == "csv":
        return format_csv(result)
    if fmt == "tsv":
        return format_csv(result, "\t")
    if fmt == "json":
        return format_json(result)
    if fmt == "markdown":
        return format_markdown(result)
    raise ValueError(f"unknown format {fmt!r}")
