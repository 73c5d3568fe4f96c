"""Differences between two editions of a plan: a changelog a publisher can paste into release notes.

Entries are matched across editions in passes, most certain first: the same name (in the same
department, then anywhere); then the same programme and responsible division (a renamed part of a
programme); then a similar name (difflib ratio ≥ 0.75) under the same department. Numbers are not
used: plans renumber every year. A （再掲） repost is matched to the repost of the entry its original
continues as (in the same direction first), and reports only what its original's changes do not say.

A division whose entries all moved to one division the old edition did not have, while the old name
is gone, was renamed: that is reported once, with its entries, not as a move of each entry. Targets
are compared in the plan's own words, item by item; each changed item carries the values read from it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from plan2rdf.derive.programmes import programme_name
from plan2rdf.derive.targets import TargetItem, parse_items
from plan2rdf.model import Measure, Plan
from plan2rdf.text import name_key, same_name

SIMILAR = 0.75
Unit = tuple[str, str]  # (department, division); division "" where the entry names none


@dataclass(frozen=True)
class Item:
    """One item of an indicator in the plan's words, and the values the rules read from it."""

    text: str
    values: tuple[str, ...] = ()  # e.g. "3000000件", "1200000件 令和5年度", "令和6年度" (a milestone)


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    old: str | None  # identifier in the old edition
    new: str | None  # identifier in the new edition
    title: str
    before: str | None = None
    after: str | None = None
    aspect: str | None = None  # repost-changed: which change (moved-direction, moved-division, new-flag, target)
    repost_of: tuple[str | None, str | None] | None = None  # reposts: the original's identifier, old and new
    entries: tuple[tuple[str, str], ...] = ()  # renamed-division: (old, new) identifier of each entry
    before_items: tuple[Item, ...] = ()  # targets: the items that changed, in the plan's words
    after_items: tuple[Item, ...] = ()


@dataclass
class PlanDiff:
    old_title: str
    new_title: str
    matched: int = 0
    reposts_matched: int = 0
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


def _units(m: Measure) -> str:
    r = m.responsibility
    return " ".join((r.department, *r.divisions))


def _unit_set(m: Measure) -> tuple[Unit, ...]:
    r = m.responsibility
    return tuple((r.department, d) for d in r.divisions) or ((r.department, ""),)


def _unit_name(unit: Unit) -> str:
    return " ".join(part for part in unit if part)


def _number(value) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value.normalize())


def _value_text(t: TargetItem) -> str:
    """A value read from an item, as a reader checks it against the item: 3000000件, 令和5年度."""
    parts = [f"{_number(t.value)}{t.unit or ''}"] if t.value is not None else []
    if t.period is not None:
        parts.append(t.period.label_ja)
    if t.role == "baseline":
        parts = ["現在値", *parts] + ([f"{t.as_of.label_ja}現在"] if t.as_of else [])
    return " ".join(parts)


def _item(text: str, fiscal_year: int | None) -> Item:
    read = [t for t in parse_items([text], plan_fiscal_year=fiscal_year) if t.value is not None or t.period]
    return Item(text, tuple(_value_text(t) for t in read))


def _item_changes(o: Measure, n: Measure, old_fy: int | None, new_fy: int | None):
    """The items only the old entry has and those only the new one has (the same words, spelt
    with other spaces or widths, are the same item; so is an item only moved in the cell)."""
    old_keys = {name_key(i) for i in o.indicator.items}
    new_keys = {name_key(i) for i in n.indicator.items}
    gone = tuple(_item(i, old_fy) for i in o.indicator.items if name_key(i) not in new_keys)
    came = tuple(_item(i, new_fy) for i in n.indicator.items if name_key(i) not in old_keys)
    return gone, came


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


def match_reposts(old: list[Measure], new: list[Measure], originals: dict[str, str]) -> list[tuple[Measure, Measure]]:
    """Pairs of reposts: a new repost of the entry the old repost's original continues as
    (``originals``: old identifier → new), in the same direction first."""
    pairs = []
    right = list(new)
    for r in old:
        continued = originals.get(r.repost_of or "")
        candidates = [x for x in right if continued is not None and x.repost_of == continued]
        if candidates:
            best = min(candidates, key=lambda x: (x.direction != r.direction, x.direction, x.number))
            pairs.append((r, best))
            right.remove(best)
    return pairs


def division_renames(pairs: list[tuple[Measure, Measure]], old: Plan, new: Plan) -> dict[Unit, Unit]:
    """Old unit → new unit, for each division renamed: its old name is gone from the new edition,
    the new name is not in the old one, and every entry of it went there."""
    old_units = {u for m in old.measures for u in _unit_set(m)}
    new_units = {u for m in new.measures for u in _unit_set(m)}
    candidates: dict[Unit, set[Unit | None]] = {}
    for o, n in pairs:
        before, after = _unit_set(o), _unit_set(n)
        gone = [u for u in before if u not in after]
        came = [u for u in after if u not in before]
        for u in gone:
            candidates.setdefault(u, set()).add(came[0] if len(gone) == len(came) == 1 else None)
    renames = {}
    for unit, targets in candidates.items():
        (target,) = targets if len(targets) == 1 else (None,)
        if target is not None and unit not in new_units and target not in old_units:
            renames[unit] = target
    return renames


@dataclass(frozen=True)
class _Aspect:
    kind: str
    before: str | None
    after: str | None
    before_items: tuple[Item, ...] = ()
    after_items: tuple[Item, ...] = ()


def _aspects(o: Measure, n: Measure, old: Plan, new: Plan, renames: dict[Unit, Unit]) -> list[_Aspect]:
    """What changed from ``o`` to ``n`` besides the name: direction, division, new flag, targets."""
    found = []
    if o.direction != n.direction:
        before, after = old.direction(o.direction).name, new.direction(n.direction).name
        found.append(_Aspect("moved-direction", f"{o.direction} {before}", f"{n.direction} {after}"))
    if {renames.get(u, u) for u in _unit_set(o)} != set(_unit_set(n)):
        found.append(_Aspect("moved-division", _units(o), _units(n)))
    if o.is_new != n.is_new:
        found.append(_Aspect("new-flag", "○" if o.is_new else "", "○" if n.is_new else ""))
    gone, came = _item_changes(o, n, old.info.fiscal_year, new.info.fiscal_year)
    if gone or came:
        found.append(_Aspect("target", _joined(gone), _joined(came), gone, came))
    return found


def _joined(items: tuple[Item, ...]) -> str | None:
    return " / ".join(i.text for i in items) or None


def _entry_changes(pairs, old: Plan, new: Plan, renames) -> list[Change]:
    changes = []
    for o, n in pairs:
        if not same_name(o.title, n.title):
            changes.append(Change("renamed", o.identifier, n.identifier, n.title, o.title, n.title))
        for a in _aspects(o, n, old, new, renames):
            changes.append(
                Change(a.kind, o.identifier, n.identifier, n.title, a.before, a.after,
                       before_items=a.before_items, after_items=a.after_items)
            )  # fmt: skip
    return changes


def _repost_changes(repost_pairs, pairs, old: Plan, new: Plan, renames) -> list[Change]:
    """Reposts added, removed, and changed in what their original's changes do not say."""
    originals = {o.identifier: n for o, n in pairs}
    back = {n.identifier: o.identifier for o, n in pairs}
    changes = []
    paired_old = {id(r) for r, _ in repost_pairs}
    paired_new = {id(x) for _, x in repost_pairs}
    for x in new.measures:
        if x.is_repost and id(x) not in paired_new:
            changes.append(
                Change("repost-added", None, x.identifier, x.title, repost_of=(back.get(x.repost_of), x.repost_of))
            )
    for r in old.measures:
        if r.is_repost and id(r) not in paired_old:
            continued = originals.get(r.repost_of)
            of = (r.repost_of, continued.identifier if continued else None)
            changes.append(Change("repost-removed", r.identifier, None, r.title, repost_of=of))
    for r, x in repost_pairs:
        original_old, original_new = old.measure(r.repost_of), new.measure(x.repost_of)
        said = {(a.kind, a.before, a.after) for a in _aspects(original_old, original_new, old, new, renames)}
        for a in _aspects(r, x, old, new, renames):
            if (a.kind, a.before, a.after) in said and a.kind != "moved-direction":
                continue  # the original's change, repeated in its repost: said once, on the original
            changes.append(
                Change("repost-changed", r.identifier, x.identifier, x.title, a.before, a.after, aspect=a.kind,
                       repost_of=(r.repost_of, x.repost_of), before_items=a.before_items, after_items=a.after_items)
            )  # fmt: skip
    return changes


def diff_plans(old: Plan, new: Plan) -> PlanDiff:
    """What changed from ``old`` to ``new``: entries, divisions, reposts (see the module's text)."""
    old_entries = [m for m in old.measures if not m.is_repost]
    new_entries = [m for m in new.measures if not m.is_repost]
    pairs = match_entries(old_entries, new_entries)
    originals = {o.identifier: n.identifier for o, n in pairs}
    repost_pairs = match_reposts(
        [m for m in old.measures if m.is_repost], [m for m in new.measures if m.is_repost], originals
    )
    result = PlanDiff(old.info.title, new.info.title, matched=len(pairs), reposts_matched=len(repost_pairs))
    matched_old = {id(o) for o, _ in pairs}
    matched_new = {id(n) for _, n in pairs}
    for m in new_entries:
        if id(m) not in matched_new:
            result.changes.append(Change("added", None, m.identifier, m.title))
    for m in old_entries:
        if id(m) not in matched_old:
            result.changes.append(Change("removed", m.identifier, None, m.title))
    renames = division_renames(pairs + repost_pairs, old, new)
    for before, after in renames.items():
        entries = tuple((o.identifier, n.identifier) for o, n in pairs + repost_pairs if before in _unit_set(o))
        entries = tuple(sorted(entries, key=lambda e: _sort_id(e[1])))
        name = _unit_name(after)
        result.changes.append(Change("renamed-division", None, None, name, _unit_name(before), name, entries=entries))
    result.changes += _entry_changes(pairs, old, new, renames)
    result.changes += _repost_changes(repost_pairs, pairs, old, new, renames)
    order = {k: i for i, k in enumerate(KINDS)}
    result.changes.sort(key=lambda c: (order[c.kind], _sort_id(c.new or c.old), c.before or ""))
    return result


def _sort_id(identifier: str | None) -> tuple[int, int]:
    if not identifier:
        return (0, 0)
    a, b = identifier.split("-")
    return (int(a), int(b))


KINDS = (
    "added", "removed", "renamed", "moved-direction", "renamed-division", "moved-division", "new-flag", "target",
    "repost-added", "repost-removed", "repost-changed",
)  # fmt: skip
HEADINGS = {
    "added": ("追加された施策", "Added"),
    "removed": ("削除された施策", "Removed"),
    "renamed": ("名称が変わった施策", "Renamed"),
    "moved-direction": ("施策の展開方向が変わった施策", "Moved to another direction"),
    "renamed-division": ("名称が変わった担当", "Renamed departments and divisions"),
    "moved-division": ("担当が変わった施策", "Moved to another department or division"),
    "new-flag": ("新規の印が変わった施策", "New flag changed"),
    "target": ("指標・目標が変わった施策", "Targets changed"),
    "repost-added": ("追加された再掲", "Reposts added"),
    "repost-removed": ("削除された再掲", "Reposts removed"),
    "repost-changed": ("変わった再掲", "Reposts changed"),
}
ASPECTS = {"moved-direction": "施策の展開方向", "moved-division": "担当", "new-flag": "新規", "target": "指標・目標"}


def _ids(old: str | None, new: str | None) -> str:
    return " → ".join(i for i in (old, new) if i) if old != new else new or ""


def _item_line(item: Item) -> str:
    return f"{item.text} [{'; '.join(item.values)}]" if item.values else item.text


def _subject(c: Change) -> str:
    """Who a change is about: identifiers and title, or the division and its entries."""
    if c.kind == "renamed-division":
        return ", ".join(_ids(o, n) for o, n in c.entries)
    text = f"{_ids(c.old, c.new)} 「{c.title}」"
    if c.repost_of is not None:
        text += f" (再掲 of {_ids(*c.repost_of)})"
    return text


def _text_lines(c: Change) -> list[str]:
    if c.kind == "renamed-division":
        return [f"  {c.before} → {c.after}: {_subject(c)}"]
    head = f"  {_subject(c)}"
    if c.aspect is not None:
        head += f" {ASPECTS[c.aspect]}"
    if c.before_items or c.after_items:
        return [
            head,
            *(f"    - {_item_line(i)}" for i in c.before_items),
            *(f"    + {_item_line(i)}" for i in c.after_items),
        ]
    if c.before is not None or c.after is not None:
        head += f": {c.before or '—'} → {c.after or '—'}"
    return [head]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _summary(d: PlanDiff) -> str:
    matched = f"{_count(d.matched, 'entry', 'entries')} and {_count(d.reposts_matched, 'repost', 'reposts')} matched"
    return f"{matched}, {_count(len(d.changes), 'change', 'changes')}"


def to_text(d: PlanDiff) -> str:
    lines = [
        f"{d.old_title} → {d.new_title}",
        f"{_summary(d)}",
        "",
    ]
    for kind in KINDS:
        changes = d.of(kind)
        if not changes:
            continue
        ja, en = HEADINGS[kind]
        lines.append(f"{ja} / {en} ({len(changes)})")
        for c in changes:
            lines.extend(_text_lines(c))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _markdown_row(c: Change) -> str:
    what = _subject(c) if c.kind == "renamed-division" else c.title
    if c.repost_of is not None:
        what += f" (再掲 of {_ids(*c.repost_of)})"
    before, after = _cell(c.before), _cell(c.after)
    if c.before_items or c.after_items:
        before = "<br>".join(_cell(_item_line(i)) for i in c.before_items)
        after = "<br>".join(_cell(_item_line(i)) for i in c.after_items)
    if c.aspect is not None:
        before, after = f"{ASPECTS[c.aspect]}: {before}", f"{ASPECTS[c.aspect]}: {after}"
    return f"| {c.old or ''} | {c.new or ''} | {_cell(what)} | {before} | {after} |"


def to_markdown(d: PlanDiff) -> str:
    lines = [
        f"## {_cell(d.old_title)} → {_cell(d.new_title)}",
        "",
        f"{_summary(d)}.",
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
        lines += [_markdown_row(c) for c in changes]
    return "\n".join(lines) + "\n"


def _json_change(c: Change) -> dict:
    """Every change has kind, old, new, title, before and after; the other keys where they apply."""
    out: dict = {"kind": c.kind, "old": c.old, "new": c.new, "title": c.title, "before": c.before, "after": c.after}
    if c.aspect is not None:
        out["aspect"] = c.aspect
    if c.repost_of is not None:
        out["repost_of"] = {"old": c.repost_of[0], "new": c.repost_of[1]}
    if c.kind == "renamed-division":
        out["entries"] = [{"old": o, "new": n} for o, n in c.entries]
    if c.before_items or c.after_items:
        out["before_items"] = [{"text": i.text, "values": list(i.values)} for i in c.before_items]
        out["after_items"] = [{"text": i.text, "values": list(i.values)} for i in c.after_items]
    return out


def to_json(d: PlanDiff) -> dict:
    return {
        "old": d.old_title,
        "new": d.new_title,
        "matched": d.matched,
        "reposts_matched": d.reposts_matched,
        "changes": [_json_change(c) for c in d.changes],
    }
