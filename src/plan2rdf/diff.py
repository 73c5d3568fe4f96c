"""Differences between two editions of a plan: a changelog a publisher can paste into release notes.

Entries are matched across editions in three passes, most certain first: the same name; then the
same programme and responsible division (a renamed part of a programme); then a similar name
(difflib ratio ≥ 0.75) under the same department. Numbers are not used: plans renumber every year.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from plan2rdf.derive.facts import read_items
from plan2rdf.derive.programmes import programme_name
from plan2rdf.model import Measure, Plan
from plan2rdf.text import name_key, same_name

SIMILAR = 0.75


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, renamed, moved-division, moved-direction, new-flag, target
    old: str | None  # identifier in the old edition
    new: str | None  # identifier in the new edition
    title: str
    before: str | None = None
    after: str | None = None


@dataclass
class PlanDiff:
    old_title: str
    new_title: str
    matched: int = 0
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def _units(m: Measure) -> str:
    r = m.responsibility
    return " ".join((r.department, *r.divisions))


def _targets(m: Measure, fiscal_year: int | None) -> str:
    """The measure's readable targets as one comparable line: value, unit and label."""
    parts = []
    for reading in read_items(m.indicator.items, fiscal_year=fiscal_year):
        for t in reading.targets:
            value = format(t.value.normalize(), "f") if t.value is not None else "?"
            parts.append(f"{t.label or ''} {value}{t.unit or ''}".strip())
    return "; ".join(parts)


def match_entries(old: list[Measure], new: list[Measure]) -> list[tuple[Measure, Measure]]:
    """Pairs (old entry, the new entry that continues it), in the passes the module describes."""
    pairs: list[tuple[Measure, Measure]] = []
    left = list(old)
    right = list(new)

    def take(predicate) -> None:
        for o in list(left):
            candidates = [n for n in right if predicate(o, n)]
            if len(candidates) >= 1:
                # several candidates: the most similar name wins, then the lower number (stable)
                best = max(candidates, key=lambda n: (_ratio(o, n), -n.direction, -n.number))
                pairs.append((o, best))
                left.remove(o)
                right.remove(best)

    take(lambda o, n: same_name(o.title, n.title) and o.responsibility.department == n.responsibility.department)
    take(lambda o, n: same_name(o.title, n.title))
    take(
        lambda o, n: (
            programme_name(o.title) is not None
            and programme_name(o.title) == programme_name(n.title)
            and o.responsibility.divisions == n.responsibility.divisions
        )
    )
    take(lambda o, n: o.responsibility.department == n.responsibility.department and _ratio(o, n) >= SIMILAR)
    return pairs


def _ratio(o: Measure, n: Measure) -> float:
    return difflib.SequenceMatcher(None, name_key(o.title), name_key(n.title)).ratio()


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """What changed from ``old`` to ``new``. Reposts are compared as the entries they repeat."""
    old_entries = [m for m in old.measures if not m.is_repost]
    new_entries = [m for m in new.measures if not m.is_repost]
    pairs = match_entries(old_entries, new_entries)
    result = PlanDiff(old.info.title, new.info.title, matched=len(pairs))
    matched_old = {id(o) for o, _ in pairs}
    matched_new = {id(n) for _, n in pairs}
    for m in new_entries:
        if id(m) not in matched_new:
            result.changes.append(Change("added", None, m.identifier, m.title))
    for m in old_entries:
        if id(m) not in matched_old:
            result.changes.append(Change("removed", m.identifier, None, m.title))
    for o, n in pairs:
        if not same_name(o.title, n.title):
            result.changes.append(Change("renamed", o.identifier, n.identifier, n.title, o.title, n.title))
        if _units(o) != _units(n):
            result.changes.append(Change("moved-division", o.identifier, n.identifier, n.title, _units(o), _units(n)))
        if o.direction != n.direction:
            before = old.direction(o.direction).name
            after = new.direction(n.direction).name
            result.changes.append(
                Change(
                    "moved-direction",
                    o.identifier,
                    n.identifier,
                    n.title,
                    f"{o.direction} {before}",
                    f"{n.direction} {after}",
                )
            )
        if o.is_new != n.is_new:
            result.changes.append(
                Change(
                    "new-flag", o.identifier, n.identifier, n.title, "○" if o.is_new else "", "○" if n.is_new else ""
                )
            )
        before, after = _targets(o, old.info.fiscal_year), _targets(n, new.info.fiscal_year)
        if before != after:
            result.changes.append(Change("target", o.identifier, n.identifier, n.title, before, after))
    order = {k: i for i, k in enumerate(KINDS)}
    result.changes.sort(key=lambda c: (order[c.kind], _sort_id(c.new or c.old)))
    return result


def _sort_id(identifier: str | None) -> tuple[int, int]:
    if not identifier:
        return (0, 0)
    a, b = identifier.split("-")
    return (int(a), int(b))


KINDS = ("added", "removed", "renamed", "moved-direction", "moved-division", "new-flag", "target")
HEADINGS = {
    "added": ("追加された施策", "Added"),
    "removed": ("削除された施策", "Removed"),
    "renamed": ("名称が変わった施策", "Renamed"),
    "moved-direction": ("施策の展開方向が変わった施策", "Moved to another direction"),
    "moved-division": ("担当が変わった施策", "Moved to another department or division"),
    "new-flag": ("新規の印が変わった施策", "New flag changed"),
    "target": ("指標・目標の数値が変わった施策", "Targets changed"),
}


def _line(c: Change) -> str:
    ids = " → ".join(i for i in (c.old, c.new) if i) if c.old != c.new else c.new or ""
    text = f"{ids} 「{c.title}」"
    if c.before is not None or c.after is not None:
        text += f": {c.before or '—'} → {c.after or '—'}"
    return text


def to_text(d: PlanDiff) -> str:
    lines = [f"{d.old_title} → {d.new_title}", f"{d.matched} entries matched, {len(d.changes)} changes", ""]
    for kind in KINDS:
        changes = d.of(kind)
        if not changes:
            continue
        ja, en = HEADINGS[kind]
        lines.append(f"{ja} / {en} ({len(changes)})")
        lines.extend(f"  {_line(c)}" for c in changes)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_markdown(d: PlanDiff) -> str:
    def cell(text: str | None) -> str:
        return (text or "").replace("|", "\\|").replace("\n", " ")

    lines = [
        f"## {cell(d.old_title)} → {cell(d.new_title)}",
        "",
        f"{d.matched} entries matched, {len(d.changes)} changes.",
    ]
    for kind in KINDS:
        changes = d.of(kind)
        if not changes:
            continue
        ja, en = HEADINGS[kind]
        lines += [
            "",
            f"### {ja} / {en}",
            "",
            "| old | new | 施策 | before | after |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {c.old or ''} | {c.new or ''} | {cell(c.title)} | {cell(c.before)} | {cell(c.after)} |" for c in changes
        ]
    return "\n".join(lines) + "\n"


def to_json(d: PlanDiff) -> dict:
    return {
        "old": d.old_title,
        "new": d.new_title,
        "matched": d.matched,
        "changes": [
            {"kind": c.kind, "old": c.old, "new": c.new, "title": c.title, "before": c.before, "after": c.after}
            for c in d.changes
        ],
    }
