"""Technology themes (data/themes.ttl) and the rules that assign them to measures."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
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
class _FieldRules:
    """The rules that read one field, by the literal text every match of each starts with."""

    always: tuple[int, ...]  # indexes into ThemeScheme.rules: rules whose matches may start anyhow
    by_char: dict[str, tuple[tuple[str, int], ...]]  # first character → (leading literal, rule index)
    starts: re.Pattern | None  # any first character of by_char (None: there is none)


def _field_rules(rules: tuple[Rule, ...], name: str) -> _FieldRules:
    always: list[int] = []
    by_char: dict[str, list[tuple[str, int]]] = {}
    for i, rule in enumerate(rules):
        if name not in rule.fields:
            continue
        # Only plain patterns are read: a flag (i, x…) changes what their characters match.
        leads = _leads(rule.pattern.pattern) if rule.pattern.flags == re.UNICODE else None
        if leads is None:
            always.append(i)
        for lead in sorted(leads or ()):
            by_char.setdefault(lead[0], []).append((lead, i))
    starts = re.compile("[" + "".join(re.escape(c) for c in sorted(by_char)) + "]") if by_char else None
    return _FieldRules(tuple(always), {c: tuple(v) for c, v in by_char.items()}, starts)


@dataclass(frozen=True)
class ThemeScheme:
    path: str
    triples: tuple  # the scheme, its concepts and rules, for the graph
    rules: tuple[Rule, ...]
    by_field: dict[str, _FieldRules] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_field", {name: _field_rules(self.rules, name) for name in FIELDS})


_ZERO_WIDTH = ("(?<!", "(?<=", "(?=", "(?!")
_SPECIAL = set("\\.^$*+?{}[]()|")
_QUANTIFIERS = ("?", "*", "+", "{")  # "" (the end) is none of them


def _skip(pattern: str, i: int) -> int:
    """The index after the escape or character class at ``pattern[i]``, or after ``pattern[i]``."""
    if pattern[i] == "\\":
        return i + 2
    if pattern[i] != "[":
        return i + 1
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1  # a ] first in the class is a character of it
    while j < len(pattern) and pattern[j] != "]":
        j += 2 if pattern[j] == "\\" else 1
    return j + 1


def _scan(pattern: str) -> Iterator[tuple[int, str, int]]:
    """Each character outside escapes and classes: its index, itself and the group depth before it."""
    depth, i = 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c in "\\[":
            i = _skip(pattern, i)
            continue
        yield i, c, depth
        depth += (c == "(") - (c == ")")
        i += 1


def _close(pattern: str) -> int | None:
    """The index after the group that opens ``pattern``, or None if it cannot be told."""
    return next((i + 1 for i, c, depth in _scan(pattern) if c == ")" and depth == 1), None)


def _branches(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern``."""
    out, start = [], 0
    for i, c, depth in _scan(pattern):
        if c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
    out.append(pattern[start:])
    return out


def _lead(branch: str) -> set[str] | None:
    """The literal texts a match of one branch starts with (after its lookarounds), or None."""
    while branch.startswith(_ZERO_WIDTH):
        end = _close(branch)
        if end is None:
            return None
        branch = branch[end:]
    if branch.startswith("(?:"):
        end = _close(branch)
        if end is None or branch[end : end + 1] in _QUANTIFIERS:
            return None
        inner = _leads(branch[3 : end - 1])
        return set(inner) if inner is not None else None
    run = 0
    while run < len(branch) and branch[run] not in _SPECIAL:
        run += 1
    if branch[run : run + 1] in _QUANTIFIERS:
        run -= 1  # 「ab?」: the b may be missing
    return {branch[:run]} if run > 0 else None


def _leads(pattern: str) -> frozenset[str] | None:
    """The literal texts every match of ``pattern`` starts with one of (「AI」 or 「人工知能」 for
    ``(?<![A-Za-z])AI(?![A-Za-z])|人工知能``), or None when that cannot be told simply."""
    found: set[str] = set()
    for branch in _branches(pattern):
        lead = _lead(branch)
        if lead is None:
            return None
        found |= lead
    return frozenset(found)


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
    for name, raw in _texts(measure).items():
        text = unicodedata.normalize("NFKC", raw)
        rules = scheme.by_field[name]
        # Most rules match nowhere: a rule is searched only if the text has a literal text that
        # every match of it starts with.
        candidates = set(rules.always)
        for c in set(rules.starts.findall(text)) if rules.starts else ():
            for lead, i in rules.by_char[c]:
                if lead in text:
                    candidates.add(i)
        for i in sorted(candidates):
            rule = scheme.rules[i]
            if hit := rule.pattern.search(text):
                found.append(ThemeMatch(rule.theme, rule.iri, name, hit.group(0)))
    return sorted(found, key=lambda m: (m.theme, m.rule, FIELDS.index(m.field)))
