"""The charts of the site: a department × direction heat map, bars of measures per department and a
department–direction network. Geometry is computed here (deterministically); the SVG templates draw it."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from rdflib import URIRef
from rdflib.namespace import SKOS

from plan2rdf.site.models import Bar, BarChart, ChartCell, Charts, ChartText, Edge, HeatMap, Network, Node
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


def charts(views: Views) -> Charts:
    ix = views.ix
    departments = views.counted(views.by_department())
    directions = [ix.ref(d) for d in views.directions()]
    notations = [ix.text(URIRef(d.iri), SKOS.notation, None) or str(i + 1) for i, d in enumerate(directions)]
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    for m in ix.of_type(P2R.Measure):
        if views.is_repost(m):
            continue  # as in the canned queries: reposts are not counted twice
        direction = ix.one(m, P2R.direction)
        for dept in views.departments_of(m):
            matrix[(str(dept), str(direction))] += 1
    return Charts(
        heatmap=_heatmap(departments, directions, notations, matrix),
        bars=_bars(departments),
        network=_network(departments, directions, notations, matrix),
    )


def _heatmap(departments, directions, notations, matrix) -> HeatMap:
    size, cell_w, cell_h, gap = 13, 44, 26, 2
    left = 12 + max([text_width(d.ref.label.ja, size) for d in departments] + [60])
    top = 44
    top_count = max(matrix.values(), default=0)
    cells, rows, columns = [], [], []
    for j, (d, notation) in enumerate(zip(directions, notations, strict=True)):
        columns.append(ChartText(_fmt(left + j * cell_w + cell_w / 2), _fmt(top - 10), notation, "ja", d.iri, "middle"))
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
    bottom = top + len(departments) * cell_h + 24
    legend = []
    for j, (d, notation) in enumerate(zip(directions, notations, strict=True)):
        label = f"{notation} {d.label.ja}" + (f" ({d.label.en})" if d.label.en else "")
        legend.append(ChartText("12", _fmt(bottom + j * 20), label, "ja", d.iri))
    scale_y = bottom + len(directions) * 20 + 10
    steps = [0, *sorted({max(1, round(top_count * k / 5)) for k in range(1, 6)})] if top_count else [0]
    scale = []
    for k, n in enumerate(steps):
        fill, ink = _shade(n, top_count)
        x = 12 + k * (cell_w + gap)
        scale.append((_fmt(x), fill, ink, str(n), _fmt(x + (cell_w - gap) / 2), _fmt(scale_y + (cell_h - gap) / 2 + 4)))
    width = max(left + len(directions) * cell_w + 12, 12 + len(steps) * (cell_w + gap) + 12)
    width = max([width] + [12 + text_width(t.text, 12) + 12 for t in legend])
    return HeatMap(
        width=_fmt(width),
        height=_fmt(scale_y + cell_h + 12),
        cell_w=_fmt(cell_w - gap),
        cell_h=_fmt(cell_h - gap),
        rows=tuple(rows),
        columns=tuple(columns),
        cells=tuple(cells),
        legend=tuple(legend),
        scale=tuple(scale),
        scale_y=_fmt(scale_y),
        table_rows=tuple(table_rows),
        table_columns=tuple(directions),
    )


def _bars(departments) -> BarChart:
    size, bar_h, gap = 13, 20, 6
    left = 12 + max([text_width(d.ref.label.ja, size) for d in departments] + [60])
    span = 360
    top_count = max((d.count for d in departments), default=0) or 1
    bars = []
    for i, d in enumerate(departments):
        y = 12 + i * (bar_h + gap)
        w = span * d.count / top_count
        label = ChartText(_fmt(left - 8), _fmt(y + bar_h / 2 + size * 0.35), d.ref.label.ja, "ja", d.ref.iri, "end")
        value = ChartText(_fmt(left + w + 6), _fmt(y + bar_h / 2 + size * 0.35), str(d.count), "ja", None, "start")
        bars.append(Bar(label, _fmt(left), _fmt(y), _fmt(w), d.count, value, d.ref))
    height = 12 + len(departments) * (bar_h + gap) + 12
    return BarChart(_fmt(left + span + 48), _fmt(height), _fmt(bar_h), tuple(bars), _fmt(left), _fmt(height - 6))


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
    right = left + 320
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
    widest = 0.0
    for j, d in enumerate(directions):
        y = ys_right[d.iri]
        text = f"{notations[j]} {d.label.ja}"
        widest = max(widest, text_width(text, size))
        label = ChartText(_fmt(right + 12), _fmt(y + size * 0.35), text, "ja", d.iri, "start")
        r = _fmt(4 + 8 * (totals[d.iri] / (max(totals.values(), default=0) or 1)) ** 0.5)
        nodes.append(Node(_fmt(right), _fmt(y), r, label, d, f"{text}: {totals[d.iri]} 件", "right"))
    return Network(_fmt(right + 12 + widest + 12), _fmt(height + 12), tuple(edges), tuple(nodes), tuple(table))
