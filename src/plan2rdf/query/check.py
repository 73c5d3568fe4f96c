"""Checking a query before it runs: SPARQL syntax (with the engine's parser) and the parameter rule."""

from __future__ import annotations

import re

from plan2rdf.problems import InputError, Problem
from plan2rdf.query.oxigraph import require_oxigraph
from plan2rdf.query.queryfile import CannedQuery
from plan2rdf.query.sparqltext import misplaced_parameters


def _rdflib_syntax_problem(text: str, path: str) -> Problem | None:
    """rdflib's parse error, located by line and column (None when rdflib can parse the text)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseException as exc:
        near = exc.line.strip()
        return Problem(path, f"SPARQL syntax error: {exc.msg} (near {near!r})", line=exc.lineno, column=exc.col)
    except Exception as exc:  # rdflib's algebra translation raises plain exceptions
        return Problem(path, f"the query cannot be evaluated: {exc}")
    return None


def check_syntax(text: str, *, path: str = "<query>", engine: str = "rdflib") -> None:
    """Parse a query with the engine's parser; InputError with file, line and column if it fails.

    pyoxigraph reports where its parser gave up (often the end of the text), so its errors are
    located with rdflib's parser when that fails too.
    """
    if engine == "oxigraph":
        ox = require_oxigraph()
        try:
            ox.Store().query(text)
        except SyntaxError as exc:
            message = re.sub(r"^error at \d+:\d+: ", "", str(exc))
            located = _rdflib_syntax_problem(text, path)
            if located is not None and located.line is not None:
                line, column = located.line, located.column
            else:
                where = re.search(r"at (\d+):(\d+)", str(exc))
                line, column = (int(where.group(1)), int(where.group(2))) if where else (None, None)
            raise InputError([Problem(path, f"SPARQL syntax error: {message}", line=line, column=column)]) from None
        return
    problem = _rdflib_syntax_problem(text, path)
    if problem is not None:
        raise InputError([problem])


def check_query(query: CannedQuery, *, engine: str = "rdflib") -> None:
    """Syntax and the parameter rule (parameters only in the outermost WHERE group)."""
    problems = [
        Problem(
            str(query.path),
            f"parameter {var} is used outside the outermost WHERE group",
            line=line,
            hint="use it directly in the WHERE group (not in OPTIONAL, UNION or a subquery): engines bind it alike",
        )
        for var, line in misplaced_parameters(query.text)
    ]
    try:
        check_syntax(query.text, path=str(query.path), engine=engine)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
