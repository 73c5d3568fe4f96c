"""The charts of the site: a department × direction heat map, bars of measures per department and a
department–direction network. Geometry is computed here (deterministically); the SVG templates draw it."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from rdflib import URIRef
from rdflib.namespace import SKOS

from plan2rdf.site.models import (
    Bar,
    BarChart,
    ChartCell,
    Charts,
    ChartText,
    Edge,
    EditionSummary,
    HeatMap,
    Network,
    Node,
)
from plan2rdf.site.views import Views
from plan2rdf.vocab import P2R

_PALETTE = ("#f4f7fb", "#d2e3f3", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def _fmt(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float) -> float:
    """An estimate of a label's width: wide (CJK) characters one em, others 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else 0.6 * size for ch in text)


def _shade(count: int, top: int) -> tuple[str, str]:
    if count == 0:
        return _PALETTE[0], "#5a6570"
    step = 1 + min(len(_PALETTE) - 2, (count - 1) * (len(_PALETTE) - 1) // max(top, 1))
    return _PALETTE[step], "#ffffff" if step >= 4 else "#1b2733"


WIDTH = 1120  # the page's width (main is 72rem less its padding): the charts fill it


def wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (breaking anywhere, as Japanese may)."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def charts(views: Views, plan: URIRef | None = None, folder: str = "charts") -> Charts:
    """The charts of the measures ``views`` sees (one edition's, when scoped)."""
    ix = views.ix
    departments = views.counted(views.by_department())
    directions = [ix.ref(d) for d in views.directions()]
    notations = [ix.text(URIRef(d.iri), SKOS.notation, None) or str(i + 1) for i, d in enumerate(directions)]
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    for m in views.all_measures():
        if views.is_repost(m):
            continue  # as in the canned queries: reposts are not counted twice
        direction = ix.one(m, P2R.direction)
        for dept in views.departments_of(m):
            matrix[(str(dept), str(direction))] += 1
    return Charts(
        heatmap=_heatmap(departments, directions, notations, matrix),
        bars=_bars(departments),
        network=_network(departments, directions, notations, matrix),
        plan=ix.ref(plan) if plan is not None else None,
        folder=folder,
    )


def edition_bars(editions: Sequence[EditionSummary]) -> BarChart:
    """Per edition (newest first): its measures (reposts not counted) and its target items."""
    size, bar_h, gap = 13, 20, 6
    labels = []
    for e in editions:
        name = e.fiscal_year.label.ja if e.fiscal_year is not None else e.ref.label.ja
        labels += [(f"{name} 施策", e.measures - e.reposts, "#3182bd"), (f"{name} 目標項目", e.targets, "#e6842a")]
    left = 12 + max([text_width(text, size) for text, _, _ in labels] + [60])
    span = WIDTH - left - 60
    top_count = max((n for _, n, _ in labels), default=0) or 1
    bars = []
    for i, (text, n, fill) in enumerate(labels):
        y = 12 + i * (bar_h + gap) + (i // 2) * gap * 2  # a little room between editions
        ref = editions[i // 2].ref
        w = span * n / top_count
        label = ChartText(_fmt(left - 8), _fmt(y + bar_h / 2 + size * 0.35), text, "ja", ref.iri, "end")
        value = ChartText(_fmt(left + w + 6), _fmt(y + bar_h / 2 + size * 0.35), str(n), "ja", None, "start")
        bars.append(Bar(label, _fmt(left), _fmt(y), _fmt(w), n, value, ref, fill))
    height = 12 + len(labels) * (bar_h + gap) + len(editions) * gap * 2 + 12
    return BarChart(_fmt(WIDTH), _fmt(height), _fmt(bar_h), tuple(bars), _fmt(left), _fmt(height - 6))


def _heatmap(departments, directions, notations, matrix) -> HeatMap:
    """Departments down the left, directions across the top under their names (wrapped to the
    column), the grid as wide as the page."""
    size, cell_h, gap, line_h = 13, 28, 2, 16
    left = 12 + max([text_width(d.ref.label.ja, size) for d in departments] + [60])
    cell_w = max(44.0, (WIDTH - left - 12) / max(len(directions), 1))
    heads = [wrap(f"{n} {d.label.ja}", cell_w - 10, size) for d, n in zip(directions, notations, strict=True)]
    top = 12 + max((len(h) for h in heads), default=1) * line_h + 8
    top_count = max(matrix.values(), default=0)
    cells, rows, columns = [], [], []
    for j, (d, head) in enumerate(zip(directions, heads, strict=True)):
        y = top - 8 - (len(head) - 1) * line_h
        rest = tuple((str(line_h), line) for line in head[1:])
        columns.append(ChartText(_fmt(left + j * cell_w + cell_w / 2), _fmt(y), head[0], "ja", d.iri, "middle", rest))
    table_rows = []
    for i, dept in enumerate(departments):
        y = top + i * cell_h
        rows.append(
            ChartText(_fmt(left - 8), _fmt(y + cell_h / 2 + size * 0.35), dept.ref.label.ja, "ja", dept.ref.iri, "end")
        )
        counts = []
        for j, d in enumerate(directions):
            n = matrix.get((dept.ref.iri, d.iri), 0)
            counts.append(n)
            fill, ink = _shade(n, top_count)
            title = f"{dept.ref.label.ja} × {notations[j]} {d.label.ja}: {n} 件"
            x = left + j * cell_w
            tx, ty = _fmt(x + (cell_w - gap) / 2), _fmt(y + (cell_h - gap) / 2 + 4.5)
            cells.append(ChartCell(_fmt(x), _fmt(y), tx, ty, n, fill, ink, title, dept.ref.iri))
        table_rows.append((dept.ref, tuple(counts), dept.count))
    scale_y = top + len(departments) * cell_h + 16
    steps = [0, *sorted({max(1, round(top_count * k / 5)) for k in range(1, 6)})] if top_count else [0]
    scale = []
    for k, n in enumerate(steps):
        fill, ink = _shade(n, top_count)
        x = left + k * (44 + gap)
        scale.append((_fmt(x), fill, ink, str(n), _fmt(x + (44 - gap) / 2), _fmt(scale_y + (cell_h - gap) / 2 + 4)))
    return HeatMap(
        width=_fmt(WIDTH),
        height=_fmt(scale_y + cell_h + 12),
        cell_w=_fmt(cell_w - gap),
        cell_h=_fmt(cell_h - gap),
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(cells),
        legend=(),
        scale=tuple(scale),
        scale_y=_fmt(scale_y),
        table_rows=tuple(table_rows),
        table_columns=tuple(directions),
    )


def _bars(departments) -> BarChart:
    size, bar_h, gap = 13, 20, 6
    left = 12 + max([text_width(d.ref.label.ja, size) for d in departments] + [60])
    span = WIDTH - left - 60
    top_count = max((d.count for d in departments), default=0) or 1
    bars = []
    for i, d in enumerate(departments):
        y = 12 + i * (bar_h + gap)
        w = span * d.count / top_count
        label = ChartText(_fmt(left - 8), _fmt(y + bar_h / 2 + size * 0.35), d.ref.label.ja, "ja", d.ref.iri, "end")
        value = ChartText(_fmt(left + w + 6), _fmt(y + bar_h / 2 + size * 0.35), str(d.count), "ja", None, "start")
        bars.append(Bar(label, _fmt(left), _fmt(y), _fmt(w), d.count, value, d.ref))
    height = 12 + len(departments) * (bar_h + gap) + 12
    return BarChart(_fmt(WIDTH), _fmt(height), _fmt(bar_h), tuple(bars), _fmt(left), _fmt(height - 6))


def _network(departments, directions, notations, matrix) -> Network:
    """A bipartite drawing: directions on the right in their order, departments on the left ordered
    by the barycentre of the directions they work in (fewer crossings), ties by count and name."""
    size, row = 13, 24
    index = {d.iri: j for j, d in enumerate(directions)}

    def barycentre(dept) -> float:
        total = sum(matrix.get((dept.ref.iri, d.iri), 0) for d in directions)
        if not total:
            return float(len(directions))
        return sum(index[d.iri] * matrix.get((dept.ref.iri, d.iri), 0) for d in directions) / total

    ordered = sorted(departments, key=lambda d: (round(barycentre(d), 6), -d.count, d.ref.label.ja, d.ref.iri))
    left = 12 + max([text_width(d.ref.label.ja, size) for d in ordered] + [60]) + 12
    widest = max([text_width(f"{n} {d.label.ja}", size) for d, n in zip(directions, notations, strict=True)] + [60])
    right = WIDTH - 12 - widest - 12  # the lines take the width between the two columns of names
    height = 24 + max(len(ordered), 1) * row
    ys_left = {d.ref.iri: 24 + i * row + row / 2 for i, d in enumerate(ordered)}
    step = (height - 24) / max(len(directions), 1)
    ys_right = {d.iri: 24 + j * step + step / 2 for j, d in enumerate(directions)}
    top_count = max(matrix.values(), default=0) or 1
    edges, table = [], []
    for dept in ordered:
        for j, d in enumerate(directions):
            n = matrix.get((dept.ref.iri, d.iri), 0)
            if not n:
                continue
            title = f"{dept.ref.label.ja} — {notations[j]} {d.label.ja}: {n} 件"
            stroke = _fmt(1 + 7 * n / top_count)
            edges.append(
                Edge(_fmt(left), _fmt(ys_left[dept.ref.iri]), _fmt(right), _fmt(ys_right[d.iri]), stroke, title)
            )
            table.append((dept.ref, d, n))
    totals = {d.iri: sum(matrix.get((dept.ref.iri, d.iri), 0) for dept in ordered) for d in directions}
    nodes = []
    for dept in ordered:
        y = ys_left[dept.ref.iri]
        label = ChartText(_fmt(left - 10), _fmt(y + size * 0.35), dept.ref.label.ja, "ja", dept.ref.iri, "end")
        r = _fmt(3 + 6 * (dept.count / (max(d.count for d in ordered) or 1)) ** 0.5)
        nodes.append(Node(_fmt(left), _fmt(y), r, label, dept.ref, f"{dept.ref.label.ja}: {dept.count} 件", "left"))
    for j, d in enumerate(directions):
        y = ys_right[d.iri]
        text = f"{notations[j]} {d.label.ja}"
        label = ChartText(_fmt(right + 12), _fmt(y + size * 0.35), text, "ja", d.iri, "start")
        r = _fmt(4 + 8 * (totals[d.iri] / (max(totals.values(), default=0) or 1)) ** 0.5)
        nodes.append(Node(_fmt(right), _fmt(y), r, label, d, f"{text}: {totals[d.iri]} 件", "right"))
    return Network(_fmt(WIDTH), _fmt(height + 12), tuple(edges), tuple(nodes), tuple(table))
