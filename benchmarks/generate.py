"""Synthetic corpora shaped like the bundled plan, for benchmarks.

Each plan is a text export with the bundled plan's shape (five directions, ~128 entries, the same
export scars: repeated header rows, <ul> lists, wrapped division names, reposts), with varied names,
departments and target numbers, and its sidecar metadata and organisation table. The same seed
gives the same corpus.

    python benchmarks/generate.py OUT_DIR --plans 100 [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "fukushima" / "ict-action-plan-2021.txt"
META = ROOT / "data" / "fukushima" / "ict-action-plan-2021.toml"
ORGS = ROOT / "data" / "fukushima" / "organizations.csv"

PLACES = ["みなみ", "きた", "ひがし", "にし", "なか", "やま", "かわ", "うみ", "もり", "さと", "はら", "おか"]
WORDS = ["地域", "防災", "観光", "教育", "福祉", "医療", "農業", "産業", "交通", "環境", "子育て", "文化"]
NUMBER_RE = re.compile(
    r"(?<![0-9,])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?=(?:件|人|名|社|施設|台|本|回|課題|地区|市町村|団体|店舗|業務|PV|%))"
)


def _vary_numbers(text: str, rng: random.Random) -> str:
    def repl(match: re.Match) -> str:
        value = int(match.group(1).replace(",", ""))
        new = max(1, int(value * rng.uniform(0.5, 2.0)))
        return f"{new:,}" if "," in match.group(1) else str(new)

    return NUMBER_RE.sub(repl, text)


VARIANTS = {"推進": "suishin", "企画": "kikaku", "政策": "seisaku", "振興": "shinko"}


def division_variants(rng: random.Random) -> dict[str, tuple[str, str]]:
    """A publisher's own names for about a third of the divisions: 広報課 → 広報推進課 (slug …-suishin)."""
    renames = {}
    for row in ORGS.read_text(encoding="utf-8").splitlines()[1:]:
        _, division, slug, _ = row.split(",", 3)
        if division.endswith(("課", "室")) and rng.random() < 0.3:
            word = rng.choice(sorted(VARIANTS))
            renames[division] = (f"{division[:-1]}{word}{division[-1]}", f"{slug}-{VARIANTS[word]}")
    return renames


def organisation_table(renames: dict[str, tuple[str, str]]) -> str:
    lines = ORGS.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for row in lines[1:]:
        department, division, slug, name_en = row.split(",", 3)
        if division in renames:
            division, slug = renames[division]
        out.append(",".join((department, division, slug, name_en)))
    return "\n".join(out) + "\n"


def _rename_units(cell: str, renames: dict[str, tuple[str, str]]) -> str:
    """The cell with the publisher's own division names; a wrapped name that is renamed is written whole."""
    from plan2rdf.read.cells import parse_responsibility

    parsed = parse_responsibility(cell)
    if parsed is None or not any(d in renames for d in parsed.responsibility.divisions):
        return cell
    r = parsed.responsibility
    return " ".join((r.department, *(renames.get(d, (d,))[0] for d in r.divisions)))


def plan_text(index: int, rng: random.Random, renames: dict[str, tuple[str, str]] | None = None) -> str:
    """One synthetic plan: the bundled plan's lines, names, divisions and numbers varied, the rest kept."""
    # zero-padded: a bare 2097 in the title would read as its fiscal year (plan.fiscal_year check)
    place = f"{PLACES[index % len(PLACES)]}{index:05d}"
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    out = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) == 6 and fields[0].isdigit():
            title = fields[2]
            if not title.startswith("（再掲）") and rng.random() < 0.6:
                # a new name for most entries, so that corpora are not 1,000 copies of one plan
                title = f"{place}{rng.choice(WORDS)}{title}"
            fields[2] = title
            fields[1] = "○" if rng.random() < 0.13 else ""
            fields[4] = _vary_numbers(fields[4], rng)
            if renames:
                fields[5] = _rename_units(fields[5], renames)
            line = "\t".join(fields)
        elif line.startswith("ふくしま ICT データ利活用社会推進 アクションプラン2021"):
            line = line.replace("ふくしま", f"{place}", 1)
        elif line.startswith("「ふくしま ICT データ利活用社会推進アクションプラン2021」"):
            line = line.replace("「ふくしま", f"「{place}", 1)
        out.append(line)
    # reposts must name their retitled originals
    return _fix_reposts("\n".join(out))


def _fix_reposts(text: str) -> str:
    """Point every （再掲） at the current name of its original (found by the old name's tail)."""
    lines = text.split("\n")
    titles = [line.split("\t")[2] for line in lines if len(line.split("\t")) == 6 and line.split("\t")[0].isdigit()]
    for i, line in enumerate(lines):
        fields = line.split("\t")
        if len(fields) == 6 and fields[2].startswith("（再掲）"):
            name = fields[2][len("（再掲）") :]
            current = next((t for t in titles if not t.startswith("（再掲）") and t.endswith(name)), name)
            fields[2] = "（再掲）" + current
            lines[i] = "\t".join(fields)
    return "\n".join(lines)


def generate(out: Path, plans: int, seed: int = 1) -> list[Path]:
    """Write ``plans`` synthetic plans into ``out`` (one folder per publisher, 10 plans each)."""
    rng = random.Random(seed)
    meta = META.read_text(encoding="utf-8")
    written = []
    renames: dict[str, tuple[str, str]] = {}
    for index in range(plans):
        publisher = index // 10
        folder = out / f"pub{publisher:05d}"
        if index % 10 == 0:
            renames = division_variants(rng)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "organizations.csv").write_text(organisation_table(renames), encoding="utf-8")
        text = plan_text(index, rng, renames)
        title = text.split("\n")[2]
        intro = text.split("\n")[4]
        source = folder / f"plan-{index:05d}.txt"
        source.write_text(text, encoding="utf-8")
        side = meta
        side = re.sub(r'series = "[^"]*"', f'series = "bench-{index:05d}"', side)
        side = re.sub(r'^title = "[^"]*"', f'title = "{title}"', side, flags=re.M)
        side = re.sub(r'^description = "[^"]*"', f'description = "{intro}"', side, flags=re.M)
        side = re.sub(r'slug = "fukushima"', f'slug = "pub{publisher:05d}"', side)
        (folder / f"plan-{index:05d}.toml").write_text(side, encoding="utf-8")
        written.append(source)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--plans", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.out, args.plans, args.seed)
    print(f"{len(files)} plans in {args.out}")


if __name__ == "__main__":
    main()
