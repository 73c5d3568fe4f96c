"""One rule for "the same name" (plan2rdf.text), and the places that depend on it."""

import pytest

from plan2rdf.graph.organizations import load as load_organizations
from plan2rdf.text import name_key, same_name
from plan2rdf.vocab import hashed_slug


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("原子力安全対策課", "原子力安全対策課"),
        ("原子力安全 対策課", "原子力安全対策課"),  # an ASCII space
        ("原子力安全\u3000対策課", "原子力安全対策課"),  # an ideographic space (U+3000)
        (" 原子力安全対策課\n", "原子力安全対策課"),  # around it, and a line break
        ("ＩＣＴ推進課", "ICT推進課"),  # full-width letters to ASCII
        ("Society５．０", "Society5.0"),  # full-width digits and full stop
        ("ｼｽﾃﾑ", "システム"),  # half-width katakana to full-width
        ("ふくしま Society5.0推進事業", "ふくしまSociety5.0推進事業"),
    ],
)
def test_name_key(spelling, key) -> None:
    assert name_key(spelling) == key


def test_same_name() -> None:
    assert same_name("原子力安全 対策課", "原子力安全\u3000対策課")
    assert same_name("ＤＸ推進課", "DX 推進課")
    assert not same_name("原子力安全対策課", "原子力安全課")
    assert not same_name("総務課", "総務部")


def test_hashed_slugs_do_not_change_with_the_spelling() -> None:
    # printf '%s' 原子力安全対策課 | sha256sum → 25d4b8dd25…
    assert hashed_slug("原子力安全対策課") == "x-25d4b8dd25"
    assert hashed_slug("原子力安全 対策課") == hashed_slug("原子力安全\u3000対策課") == hashed_slug("原子力安全対策課")


def test_organisation_lookup_uses_the_same_rule(tmp_path) -> None:
    table = tmp_path / "organizations.csv"
    table.write_text(
        "department,division,slug,name_en\n危機管理部,,kiki-kanri-bu,\n危機管理部,原子力安全対策課,genshiryoku,\n",
        encoding="utf-8",
    )
    orgs = load_organizations(table)
    assert orgs.lookup("危機管理部", "原子力安全\u3000対策課").slug == "genshiryoku"
    assert orgs.lookup("危機 管理部").slug == "kiki-kanri-bu"
    assert orgs.lookup("危機管理部", "原子力対策課") is None
