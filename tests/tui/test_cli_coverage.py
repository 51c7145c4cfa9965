"""`show` lists other coverage of the same event; `entities --trend` counts per day."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from coverage_fixtures import QUAKE, trend_library
from newsreader.index.library import Library
from newsreader.index.times import utcnow


def _setup(data_dir: Path) -> dict[str, str]:
    lib = Library.open(data_dir)
    try:
        ids = trend_library(lib.store, utcnow())
        lib.group_stories()
        return ids
    finally:
        lib.close()


def test_show_json_lists_other_coverage(cli, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(data_dir)
    res = cli("show", ids["quake-herald"], "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    found = doc["other_coverage"]
    assert {c["id"] for c in found} == {ids["quake-wire"], ids["quake-times"]}
    assert set(found[0]) == {
        "id",
        "title",
        "feed",
        "published",
        "shared_entities",
        "entity_score",
        "text_score",
        "score",
    }
    assert "AFAD" in found[0]["shared_entities"]
    # the wire report's copy in a fourth paper is another source, not other coverage
    wire = json.loads(cli("show", ids["quake-wire"], "--json").out)
    assert [s["id"] for s in wire["other_sources"]] == [ids["quake-mirror"]]
    assert ids["quake-mirror"] not in {c["id"] for c in wire["other_coverage"]}


def test_show_text_has_other_coverage_under_the_article(cli, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(data_dir)
    out = cli("show", ids["quake-times"]).out
    assert out.index("Other coverage (2):") > out.index(QUAKE[2].text[:40])
    assert "Herald: Survivors pulled from rubble after Turkey quake" in out
    assert "Other coverage" not in cli("show", ids["metro"]).out


def test_entities_trend_json(cli, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    _setup(data_dir)
    res = cli("entities", "--trend", "--json")
    assert res.code == 0, res.err
    doc = json.loads(res.out)
    today = utcnow().date()
    assert doc["since"] == (today - timedelta(days=29)).isoformat()
    by_name = {e["canonical"]: e for e in doc["entities"]}
    izmir = by_name["Izmir"]
    assert len(izmir["days"]) == 30 and izmir["days"][-1]["day"] == today.isoformat()
    assert izmir["total"] == 4 and izmir["rising"] is True
    assert izmir["query"] == 'place:"Izmir"'
    assert by_name["Turkey"]["rising"] is False
    assert {e["canonical"] for e in doc["rising"]} == {"AFAD", "Izmir", "Bayrakli"}


def test_entities_trend_since_and_text(cli, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    ids = _setup(data_dir)
    since = (utcnow().date() - timedelta(days=2)).isoformat()
    doc = json.loads(cli("entities", "--trend", "--since", since, "--json").out)
    assert all(len(e["days"]) == 3 for e in doc["entities"])
    assert "Iran" in {e["canonical"] for e in doc["entities"]}
    mine = json.loads(cli("entities", ids["metro"], "--trend", "--json").out)
    assert {e["canonical"] for e in mine["entities"]} == {
        "Izmir",
        "Tunc Soyer",
        "Turkey",
        "Bursa",
        "Antalya",
    }
    text = cli("entities", "--trend").out
    assert "rising this week:" in text and "Izmir (Place): 4 articles" in text
    bad = cli("entities", "--trend", "--since", "soon")
    assert bad.code == 1 and "--since" in bad.err
