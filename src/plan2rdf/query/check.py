"""Checking a query before it runs: SPARQL syntax (with the engine's parser) and the parameter rule."""

from __future__ import annotations

import re
from dataclasses import replace

from plan2rdf.i18n import Text, as_text
from plan2rdf.problems import InputError, Problem
from plan2rdf.query.oxigraph import require_oxigraph
from plan2rdf.query.queryfile import OUTSIDE_WHERE_HINT, CannedQuery, outside_where
from plan2rdf.query.sparqltext import misplaced_parameters, service_as_graph, tokens

_LONG = 160  # characters of an engine's message kept on the one line of a syntax error


def _prefixed_names(text: str) -> tuple[set[str], list[tuple[str, int]]]:
    """(declared prefixes, [(prefix used, its offset), …]) of a query, outside strings and comments."""
    found = tokens(text)
    declared, used = set(), []
    for i, tok in enumerate(found[:-1]):
        after = found[i + 1]
        if tok.kind != "word" or after.text != ":" or after.start != tok.start + len(tok.text):
            continue
        if i > 0 and found[i - 1].kind == "word" and found[i - 1].text.upper() == "PREFIX":
            declared.add(tok.text)
        else:
            used.append((tok.text, tok.start))
    return declared, used


def _undeclared_prefix(text: str, path: str) -> Problem | None:
    """The first prefix used without a declaration (and not one of ours), located, or None."""
    from plan2rdf.vocab import PREFIXES

    declared, used = _prefixed_names(text)
    for name, start in used:
        if name not in declared and name not in PREFIXES:
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            return Problem(
                path,
                Text(
                    ja=f"SPARQL の構文の誤り: 接頭辞 {name}: が宣言されていません",
                    en=f"SPARQL syntax error: undeclared prefix {name}:",
                ),
                line=line,
                column=column,
                hint=Text(
                    ja=f"宣言してください（PREFIX {name}: <…>）。plan2rdf が宣言するのは "
                    f"{', '.join(p + ':' for p in PREFIXES)} です",
                    en=f"declare it (PREFIX {name}: <…>); plan2rdf declares {', '.join(p + ':' for p in PREFIXES)}",
                ),
            )
    return None


def with_prefixes(text: str) -> tuple[str, int]:
    """The query with PREFIX declarations for the project's prefixes it uses without declaring
    (``p2r:``, ``org:``, ``skos:``, ``dcterms:``, ``schema:``, ``time:``, ``rdfs:``, ``xsd:`` …), and the
    number of characters added. They go on the first line, so error lines stay the user's lines."""
    from plan2rdf.vocab import PREFIXES

    declared, used = _prefixed_names(text)
    names = dict.fromkeys(name for name, _ in used if name in PREFIXES and name not in declared)
    added = "".join(f"PREFIX {name}: <{PREFIXES[name]}> " for name in names)
    return added + text, len(added)


def _one_line(message: str) -> str:
    """An engine's message on one line; oxigraph's lists of character classes cut short."""
    message = " ".join(message.split())
    return message if len(message) <= _LONG else message[: _LONG - 1].rstrip(" ,|") + " …"


def _rdflib_syntax_problem(text: str, path: str) -> Problem | None:
    """rdflib's parse error, located by line and column (None when rdflib can parse the text)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepareQuery(text)
    except ParseException as exc:
        near = exc.line.strip()
        message = _one_line(f"{exc.msg} (near {near!r})")
        return Problem(path, syntax_error(message), line=exc.lineno, column=exc.col)
    except Exception as exc:  # rdflib's algebra translation raises plain exceptions
        reason = _one_line(str(exc))  # rdflib's own words
        return Problem(
            path, Text(ja=f"クエリーを評価できません: {reason}", en=f"the query cannot be evaluated: {reason}")
        )
    return None


def check_syntax(text: str, *, path: str = "<query>", engine: str = "rdflib") -> None:
    """Parse a query with the engine's parser; InputError with file, line and column if it fails.

    pyoxigraph reports where its parser gave up (often the end of the text), so its errors are
    located with rdflib's parser when that fails too. The project's prefixes need no declaration
    (:func:`with_prefixes`); the message is one line.
    """
    undeclared = _undeclared_prefix(text, path)
    if undeclared is not None:  # said plainly, located, where engines list character classes
        raise InputError([undeclared])
    full, added = with_prefixes(text)
    try:
        _check_syntax(full, path=path, engine=engine)
    except InputError as exc:
        if not added:
            raise
        # the added declarations are neither the user's columns nor the user's text
        prologue = full[:added]
        raise InputError(
            [
                replace(
                    p,
                    message=as_text(p.message).map(lambda m: m.replace(prologue, "")),
                    column=max(1, p.column - added) if p.line == 1 and isinstance(p.column, int) else p.column,
                )
                for p in exc.problems
            ]
        ) from None


def _check_syntax(text: str, *, path: str, engine: str) -> None:
    if engine == "oxigraph":
        ox = require_oxigraph()
        try:
            ox.Store().query(service_as_graph(text))  # runs it: SERVICE would connect
        except SyntaxError as exc:
            message = _one_line(re.sub(r"^error at \d+:\d+: ", "", str(exc)))
            located = _rdflib_syntax_problem(text, path)
            if located is not None and located.line is not None:
                line, column = located.line, located.column
            else:
                where = re.search(r"at (\d+):(\d+)", str(exc))
                line, column = (int(where.group(1)), int(where.group(2))) if where else (None, None)
            raise InputError([Problem(path, syntax_error(message), line=line, column=column)]) from None
        return
    problem = _rdflib_syntax_problem(text, path)
    if problem is not None:
        raise InputError([problem])


def syntax_error(message: str) -> Text:
    """A SPARQL syntax error in the parser's own words (English), introduced in both languages."""
    return Text(ja=f"SPARQL の構文の誤り: {message}", en=f"SPARQL syntax error: {message}")


def check_query(query: CannedQuery, *, engine: str = "rdflib") -> None:
    """Syntax and the parameter rule (parameters only in the outermost WHERE group)."""
    problems = [
        Problem(
            str(query.path),
            outside_where(var),
            line=line,
            hint=OUTSIDE_WHERE_HINT,
        )
        for var, line in misplaced_parameters(query.text)
    ]
    try:
        check_syntax(query.text, path=str(query.path), engine=engine)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
