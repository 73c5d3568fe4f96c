"""Technology themes (data/themes.ttl) and the rules that assign them to measures."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from plan2rdf.i18n import Text
from plan2rdf.model import Measure
from plan2rdf.problems import InputError, Problem

FIELDS = ("title", "summary", "indicator")


@dataclass(frozen=True)
class Rule:
    iri: str
    theme: str  # theme IRI
    pattern: re.Pattern
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ThemeMatch:
    theme: str
    rule: str
    field: str
    text: str  # the matched text, as the measure writes it


@dataclass(frozen=True)
class ThemeScheme:
    path: str
    triples: tuple  # the scheme, its concepts and rules, for the graph
    rules: tuple[Rule, ...]


def load(path: Path, *, base: str) -> ThemeScheme:
    """Read a themes file; its relative IRIs resolve against the graph's base (cached per process)."""
    stat = Path(path).stat()
    return _load(str(path), stat.st_mtime_ns, stat.st_size, base)


@lru_cache(maxsize=8)
def _load(path: str, mtime: int, size: int, base: str) -> ThemeScheme:
    from rdflib import Graph, URIRef

    from plan2rdf.vocab import P2R, Iris

    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=base)
    except Exception as exc:  # rdflib raises many types for bad syntax
        raise InputError(
            [Problem(str(path), Text(ja=f"Turtle として正しくありません: {exc}", en=f"not valid Turtle: {exc}"))]
        ) from None
    iris = Iris(base)

    def rebase(term):
        # The file's @base is the default base; its IRIs move onto the configured base.
        return URIRef(iris.rebase(str(term))) if isinstance(term, URIRef) else term

    triples = tuple(sorted((rebase(s), p, rebase(o)) for s, p, o in graph))
    problems = []
    rules = []
    for rule in sorted(graph.subjects(P2R.pattern, None)):
        theme = graph.value(rule, P2R.assigns)
        pattern = str(graph.value(rule, P2R.pattern))
        fields = tuple(sorted(str(f) for f in graph.objects(rule, P2R.field)))
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            problems.append(
                Problem(
                    str(path),
                    Text(
                        ja=f"規則 <{rule}>: 正規表現が正しくありません: {exc}",
                        en=f"rule <{rule}>: bad regular expression: {exc}",
                    ),
                )
            )
            continue
        unknown = set(fields) - set(FIELDS)
        if theme is None or unknown or not fields:
            problems.append(
                Problem(
                    str(path),
                    Text(
                        ja=f"規則 <{rule}> には p2r:assigns と、{', '.join(FIELDS)} のどれかの p2r:field が必要です",
                        en=f"rule <{rule}> needs p2r:assigns and p2r:field values among {', '.join(FIELDS)}",
                    ),
                )
            )
            continue
        rules.append(Rule(str(rebase(rule)), str(rebase(theme)), compiled, fields))
    if problems:
        raise InputError(problems)
    return ThemeScheme(str(path), triples, tuple(rules))


def _texts(measure: Measure) -> dict[str, str]:
    return {"title": measure.title, "summary": measure.summary.text, "indicator": measure.indicator.text}


def match(measure: Measure, scheme: ThemeScheme) -> list[ThemeMatch]:
    """Every (theme, rule, field) that matches, with the first matched text of each."""
    found = []
    texts = {k: unicodedata.normalize("NFKC", v) for k, v in _texts(measure).items()}
    for rule in scheme.rules:
        for field in rule.fields:
            hit = rule.pattern.search(texts[field])
            if hit:
                found.append(ThemeMatch(rule.theme, rule.iri, field, hit.group(0)))
    return sorted(found, key=lambda m: (m.theme, m.rule, FIELDS.index(m.field)))
