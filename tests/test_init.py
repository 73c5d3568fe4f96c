"""`plan2rdf init` (issue 16): the sidecar and organisation table drafted from the plan, never over an
existing file, with what is left to fill in; filled in, the plan builds."""

import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from plan2rdf.cli import main

MINI = Path(__file__).parent / "fixtures" / "mini"
pytest.importorskip("cutlet", reason="plan2rdf init needs the init extra: pip install -e '.[init]'")

# The mini plan's units, in order of first mention, with Hepburn slugs worked out by hand (long vowels
# written ou/uu as cutlet writes them; the suffix one word: 委員会 iinkai, 事務局 jimukyoku).
MINI_TABLE = """department,division,slug,name_en
市民部,,shimin-bu,
市民部,防災対策課,bousai-taisaku-ka,
教育委員会,,kyouiku-iinkai,
教育委員会,図書館,tosho-kan,
総務部,,soumu-bu,
総務部,情報政策課,jouhou-seisaku-ka,
総務部,行政改革課,gyousei-kaikaku-ka,
選挙管理委員会事務局,,senkyo-kanri-iinkai-jimukyoku,
"""


def init(*args):
    return CliRunner().invoke(main, ["init", *map(str, args)])


def test_init_drafts_the_sidecar_from_a_text_export(tmp_path) -> None:
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    result = init(tmp_path / "plan.txt")
    assert result.exit_code == 0, result.output
    side = tomllib.loads((tmp_path / "plan.toml").read_text(encoding="utf-8"))
    assert side["plan"]["title"] == "ミニ市 ICT アクションプラン2022"
    assert side["plan"]["fiscal_year"] == 2022  # from the title's 2022
    assert side["plan"]["edition"] == "2022"
    assert side["directions"] == [
        {"number": 1, "name": "くらし", "subtitle": "ICTでくらしを便利に"},
        {"number": 2, "name": "行政", "subtitle": "デジタル市役所"},
    ]
    assert side["publisher"] == {"name": "〇〇", "name_en": "Example", "slug": "example", "lg_code": "999999",
                                 "area_code": "99999", "base_iri": "https://example.jp/id/"}  # fmt: skip
    assert (tmp_path / "organizations.csv").read_text(encoding="utf-8") == MINI_TABLE


@pytest.mark.parametrize(
    ("lang", "comments"),
    [
        # comments of the drafted sidecar, as written in draft.COMMENTS, beside their key (or key = value)
        ("ja", {"series": "計画のシリーズの IRI の slug", "title": "計画に書かれたとおり",
                "fiscal_year": "表題から見つけました", "base_iri": "年が変わってもリンクが切れません",
                "name = \"くらし\"": "計画に書かれたとおり", "name = \"〇〇\"": "計画の発行者の名前"}),
        ("en", {"series": "IRI slug of the plan series", "title": "as the plan states it",
                "fiscal_year": "found in the title", "base_iri": "so links never break from year to year",
                "name = \"くらし\"": "as the plan names it", "name = \"〇〇\"": "as the plan's publisher signs"}),
    ],
)  # fmt: skip
def test_init_writes_the_sidecar_comments_in_the_language_of_the_run(tmp_path, lang, comments) -> None:
    """A publisher reading the draft in Japanese gets its comments in Japanese; the keys and values stay."""
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    result = CliRunner().invoke(main, ["init", str(tmp_path / "plan.txt"), "--lang", lang])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "plan.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for key, comment in comments.items():
        line = next(t for t in lines if t.startswith(key if " = " in key else f"{key} ="))
        assert "#" in line and comment in line.split("#", 1)[1], (key, line)
    other = "IRI slug of the plan series" if lang == "ja" else "計画のシリーズ"
    assert other not in text
    assert tomllib.loads(text)["plan"]["title"] == "ミニ市 ICT アクションプラン2022"


def test_init_prints_what_is_left_and_parse_reports_the_same_lines(tmp_path) -> None:
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    result = init(tmp_path / "plan.txt")
    toml = (tmp_path / "plan.toml").read_text(encoding="utf-8").splitlines()
    lines = {key: next(i for i, t in enumerate(toml, 1) if t.startswith(f"{key} =")) for key in
             ("series", "name", "name_en", "slug", "lg_code", "area_code", "base_iri")}  # fmt: skip
    listed = [line for line in result.output.splitlines() if line.startswith("  ")]
    for key, table in (("series", "plan"), *((k, "publisher") for k in ("name", "name_en", "slug", "lg_code",
                                                                           "area_code", "base_iri"))):  # fmt: skip
        assert any(f"plan.toml:{lines[key]}: {table}.{key}:" in line for line in listed), key
    assert any("organizations.csv: name_en: the English name of each of the 8 units" in line for line in listed)
    parsed = CliRunner().invoke(main, ["parse", str(tmp_path / "plan.txt")])
    assert parsed.exit_code == 2
    for line in lines.values():
        assert f"plan.toml:{line}: error: " in parsed.stderr
    assert "plan2rdf: 7 errors;" in parsed.stderr  # series, five publisher fields and base_iri


def test_filled_in_the_drafts_build(tmp_path) -> None:
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    assert init(tmp_path / "plan.txt").exit_code == 0
    toml = (tmp_path / "plan.toml").read_text(encoding="utf-8")
    for placeholder, value in (('"example-ict"', '"mini-ict"'), ('"〇〇"', '"ミニ市"'), ('"Example"', '"Mini City"'),
                               ('"example"', '"mini"'), ('"999999"', '"130001"'), ('"99999"', '"13000"'),
                               ('"https://example.jp/id/"', '"https://data.mini.test/id/"')):  # fmt: skip
        toml = toml.replace(placeholder, value)
    (tmp_path / "plan.toml").write_text(toml, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "plan.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr  # every unit is in the drafted table
    ttl = (tmp_path / "out" / "mini-ict-2022.ttl").read_text(encoding="utf-8")
    assert "org/mini/senkyo-kanri-iinkai-jimukyoku" in ttl


def test_init_never_overwrites_and_lists_units_missing_from_an_existing_table(tmp_path) -> None:
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    (tmp_path / "plan.toml").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "organizations.csv").write_text(
        "department,division,slug,name_en\n市民部,,shimin,Citizens\n", encoding="utf-8"
    )
    result = init(tmp_path / "plan.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan.toml").read_text(encoding="utf-8") == "# mine\n"
    assert (tmp_path / "organizations.csv").read_text(encoding="utf-8") == (
        "department,division,slug,name_en\n市民部,,shimin,Citizens\n"
    )
    assert f"kept {tmp_path / 'plan.toml'}" in result.output
    assert "7 units of the plan are not in it; rows to add:" in result.output
    assert "  市民部,防災対策課,bousai-taisaku-ka," in result.output
    assert "Still to fill in" not in result.output  # nothing was drafted
    assert sorted(p.name for p in tmp_path.iterdir()) == ["organizations.csv", "plan.toml", "plan.txt"]


def test_init_on_a_sheet_numbers_unnumbered_directions_and_takes_the_title(tmp_path) -> None:
    (tmp_path / "令和4年度計画.csv").write_text(
        "施策の展開方向,整理番号,新規,施策（事業）名称,取組概要,指標・目標,部局等名 担当課\n"
        "くらし,1,,防災アプリ事業,配信する。,5000件,市民部 防災対策課\n"
        "行政,1,,電子申請事業,オンライン化する。,20件,総務部 情報政策課\n"
        "くらし,2,,見守り事業,見守る。,10件,市民部 防災対策課\n",
        encoding="utf-8",
    )
    result = init(tmp_path / "令和4年度計画.csv")
    assert result.exit_code == 0, result.output
    side = tomllib.loads((tmp_path / "令和4年度計画.toml").read_text(encoding="utf-8"))
    assert side["plan"]["title"] == "〇〇"  # a sheet states no title
    assert side["plan"]["fiscal_year"] == 2022  # 令和4年度 in the file name
    assert side["directions"] == [{"number": 1, "name": "くらし"}, {"number": 2, "name": "行政"}]
    assert "令和4年度計画.toml:8: plan.title:" in result.output


def test_init_without_the_romanizer_says_what_to_install(tmp_path, monkeypatch) -> None:
    (tmp_path / "plan.txt").write_bytes((MINI / "plan.txt").read_bytes())
    monkeypatch.setitem(sys.modules, "cutlet", None)  # import cutlet now raises ImportError
    result = init(tmp_path / "plan.txt")
    assert result.exit_code == 2
    assert "pip install 'plan2rdf[init]'" in result.stderr
    assert not (tmp_path / "plan.toml").exists()


def test_init_on_a_missing_file_is_bad_input(tmp_path) -> None:
    result = init(tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.csv'}: error: no such file" in result.stderr


def test_duplicate_slugs_are_numbered_within_their_scope() -> None:
    from plan2rdf.read.draft import slugs_for

    units = [("A部", ""), ("A部", "B課"), ("C部", ""), ("C部", "B課"), ("C部", "D課")]
    same = {"A部": "x", "B課": "y", "C部": "x", "D課": "y"}
    drafted = slugs_for(units, same.__getitem__)
    # departments share one scope, divisions are scoped by their department
    assert [u.slug for u in drafted] == ["x", "y", "x-2", "y", "y-2"]
