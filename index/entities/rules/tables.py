"""Sports copy's tables, where the shape of a line says what its names are.

Agency sports copy prints results, standings and line-ups as lines with no sentence around
them, and the model, reading them as sentences, runs names into scores ("CLEVELAND 6") or
calls a club a town. Here a line's shape decides:

- a result, ``Name 2 Name 1`` (a bracket after a score, such as the scorers, and a bracket
  at the end, such as "( 10 innings )", allowed): both names are teams;
- a standings row, a name and three figures or more (``Stuttgart 6 5 1 0 17 4 16``,
  ``NEW YORK 76 55 .580 -``): a team, unless most rows of its table start with a known
  given name (a table of players);
- a team and a dash before a list of names (``Norway - Terje Haugen ; Per Halvorsen ,``;
  ``Hamburg - Jens Roth ( 80th )``): a line-up or the scorers, every name in it a person;
- a name before a country in brackets (``Anders Lindqvist ( Sweden )``): a player, the
  country a place;
- a headline's topic before its dash (``GOLF - ``): no name.

A team is an organisation, or a place when it is a country's (the national team: a country
standing for its team, as for its government). The labels found so are fixed: the votes
give them to every mention of the entity and the gazetteer does not overrule them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..gazetteer import Gazetteer, PlaceKind
from .lexicon import NAME_PARTICLES
from .names import head_vote
from .spans import ORG, PERSON, PLACE, Span, entity_key

_TOKEN = re.compile(r"\S+")
_SCORE = re.compile(r"\d{1,3}")
# A standings figure: games, points, goals, a percentage (".580"), a gap ("14 1/2", "-").
_FIGURE = re.compile(r"[+-]?\d+(?:[.,:/-]\d+)*|\d+\.|[.,]\d+|-")  # "6." a rank
_YEAR_IN_NAME = re.compile(r"\d{4}")  # "1860 Munich"
_INITIAL = re.compile(r"[A-Z]\.")  # "N. Hussain"
_MIN_FIGURES = 3
_MAX_NAME_WORDS = 5
# Words that may follow a player's country in a row ("X ( Sweden ) beat Y ( Peru ) 6-3").
_RESULT_WORDS = frozenset({"beat", "bt", "and", "v", "vs", "d.", "def"})
_MIN_LINE_UP = 3  # names in a list after "Team -" that make it a line-up
# The nations of the United Kingdom field national teams of their own, though no gazetteer
# lists them as countries.
_ARTICLES = frozenset({"The", "A", "An"})
_HOME_NATIONS = frozenset({"england", "scotland", "wales", "northern ireland"})
_DOTTED_COUNTRY = re.compile(r"(?:[A-Z]\.){2,3}")  # "U.S.", "U.A.E."
_COUNTRY_CODE = re.compile(r"[A-Z]{3}")  # "( GBR )"

# A headline's topic: one or two words before " - " ("SOCCER - ", "RUGBY UNION - ").
_SLUG = re.compile(r"([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?) - ")

# Cheap tests a line must pass before its tokens are read: a result's name, short score and
# the next name or a bracket; a row's three figures at its end; a bracket spaced as the
# wire spaces it ("( Sweden )"), which the bracket rules read token by token.
_RESULT_GATE = re.compile(r"[A-Z0-9]\S* (?:\S+ ){0,4}?\d{1,3} (?:\(|[A-Z0-9])")
_ROW_GATE = re.compile(r"(?: (?:[+-]?\d+(?:[.,:/-]\d+)*|\d+\.|[.,]\d+|-)){3}\s*$")
_ROW_TAIL = 48  # a row's last three figures fit in this many characters
_SPACED_BRACKET = "( "
_DIGIT = re.compile(r"\d")

Token = tuple[int, int, str]  # (start, end, text) in the line
Found = tuple[int, int, str]  # (start, end, label) in the field


def _tokens(line: str) -> list[Token]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(line)]


def _is_name(tokens: Sequence[Token]) -> bool:
    """A club's, a country's or a person's name: capitalised words, a year before one
    ("1860 Munich"), short lowercase particles inside ("Sporting de Gijon")."""
    if not 0 < len(tokens) <= _MAX_NAME_WORDS:
        return False
    words = [t[2] for t in tokens]
    if not words[-1][:1].isupper():
        return False
    first = words[0]
    if not (first[:1].isupper() or (_YEAR_IN_NAME.fullmatch(first) and len(words) > 1)):
        return False
    for w in words[1:-1]:
        if not (w[:1].isupper() or w in NAME_PARTICLES or w in ("of", "and", "&")):
            return False
    return all(any(c.isalpha() for c in w) for w in words if not _YEAR_IN_NAME.fullmatch(w))


def _close_bracket(tokens: Sequence[Token], i: int) -> int:
    """The index after the ")" closing the "(" at ``i``; ``len(tokens)`` if none does."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j][2] == "(":
            depth += 1
        elif tokens[j][2] == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return len(tokens)


def _result(tokens: Sequence[Token]) -> tuple[list[Token], list[tuple[int, int]]] | None:
    """The two teams' (first, last) tokens and the bracketed groups of a result line."""
    teams: list[Token] = []
    brackets: list[tuple[int, int]] = []
    i = 0
    for _ in range(2):
        j = i
        while j < len(tokens) and not _SCORE.fullmatch(tokens[j][2]) and tokens[j][2] != "(":
            j += 1
        if j == i or j >= len(tokens) or not _SCORE.fullmatch(tokens[j][2]):
            return None
        if not _is_name(tokens[i:j]):
            return None
        teams.append((tokens[i][0], tokens[j - 1][1], ""))
        j += 1
        if j < len(tokens) and tokens[j][2] == "(":
            end = _close_bracket(tokens, j)
            brackets.append((j, end))
            j = end
        i = j
    if i < len(tokens) and tokens[i][2] not in ("(", ".", ","):
        return None
    return teams, brackets


def _standings_name(tokens: Sequence[Token]) -> Token | None:
    """The name of a standings row: a name, then only figures, three or more."""
    j = len(tokens)
    while j > 0 and _FIGURE.fullmatch(tokens[j - 1][2]):
        j -= 1
    if len(tokens) - j < _MIN_FIGURES or not _is_name(tokens[:j]):
        return None
    return (tokens[0][0], tokens[j - 1][1], tokens[0][2])


def _person_runs(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """(start, end) of each run of capitalised words (particles inside) among ``tokens``."""
    runs: list[tuple[int, int]] = []
    start = end = -1
    for k, (a, b, w) in enumerate(tokens):
        capital = w[:1].isupper() and any(c.islower() for c in w)
        followed = k + 1 < len(tokens) and tokens[k + 1][2][:1].isupper()
        particle = w in NAME_PARTICLES and followed
        if capital or (particle and start >= 0) or (_INITIAL.fullmatch(w) and followed):
            if start < 0:
                start = a
            end = b
        else:
            if start >= 0:
                runs.append((start, end))
            start = -1
    if start >= 0:
        runs.append((start, end))
    return runs


def _team_label(name: str, gazetteer: Gazetteer | None) -> str:
    if name.casefold() in _HOME_NATIONS:
        return PLACE
    if gazetteer is not None and gazetteer.kind(name) == PlaceKind.COUNTRY:
        return PLACE
    return ORG


def _is_country(name: str, gazetteer: Gazetteer | None, *, in_row: bool) -> bool:
    """A country's name, "U.S.", or in a row of figures a three-letter code ("( GBR ) 10.05";
    in prose "( COB )" is an acronym)."""
    if _DOTTED_COUNTRY.fullmatch(name) or (in_row and _COUNTRY_CODE.fullmatch(name)):
        return True
    if name.casefold() in _HOME_NATIONS:
        return True
    return gazetteer is not None and gazetteer.kind(name) in (PlaceKind.COUNTRY, PlaceKind.REGION)


def _line_up(
    line: str, tokens: Sequence[Token], teams: set[str], gazetteer: Gazetteer | None
) -> list[Found]:
    """A team before " - " and the people after it, segment by segment ("Hamburg - Jens
    Roth ( 80th ) . Karlsruhe - …")."""
    found: list[Found] = []
    starts = [0] + [
        k + 1 for k, t in enumerate(tokens) if t[2] in (".", ":") and k + 1 < len(tokens)
    ]
    ends = [*starts[1:], len(tokens)]
    for s, e in zip(starts, ends, strict=True):
        seg = tokens[s:e]
        dash = next((k for k, t in enumerate(seg) if t[2] in ("-", "–", "—")), None)
        if dash is None or not _is_name(seg[:dash]):
            continue
        team = line[seg[0][0] : seg[dash - 1][1]]
        people = _person_runs(seg[dash + 1 :])
        known_team = entity_key(team) in teams or _team_label(team, gazetteer) == PLACE
        if not people or not (known_team or len(people) >= _MIN_LINE_UP):
            continue
        found.append((seg[0][0], seg[dash - 1][1], _team_label(team, gazetteer)))
        found.extend((a, b, PERSON) for a, b in people)
    return found


def _countries_in_brackets(
    line: str, tokens: Sequence[Token], gazetteer: Gazetteer | None
) -> list[Found]:
    """``Name ( Country )``: the name a player's, the country a place."""
    found: list[Found] = []
    for k in range(1, len(tokens) - 2):
        if tokens[k][2] != "(":
            continue
        close = _close_bracket(tokens, k)
        inner = tokens[k + 1 : close - 1]
        if not inner or close - k > _MAX_NAME_WORDS + 2:
            continue
        country = line[inner[0][0] : inner[-1][1]]
        after = tokens[close][2] if close < len(tokens) else ""
        if not _is_country(country, gazetteer, in_row=bool(_FIGURE.fullmatch(after))):
            continue
        if after[:1].islower() and after not in _RESULT_WORDS:
            continue  # "Toyota Motor ( Japan ) rose": prose, not a row of players
        j = k
        while (
            j > 0
            and j > k - 4
            and (
                (tokens[j - 1][2][:1].isupper() and any(c.islower() for c in tokens[j - 1][2]))
                or (tokens[j - 1][2] in NAME_PARTICLES and j < k)
            )
        ):
            j -= 1
        while j < k and (tokens[j][2] in NAME_PARTICLES or tokens[j][2] in _ARTICLES):
            j += 1
        if j == k:
            continue
        name = line[tokens[j][0] : tokens[k - 1][1]]
        if (gazetteer is not None and gazetteer.kind(name) is not None) or head_vote(
            name, PERSON
        ) not in (None, PERSON):
            continue
        found.append((tokens[j][0], tokens[k - 1][1], PERSON))
        found.append((inner[0][0], inner[-1][1], PLACE))
    return found


def _scored_brackets(
    line: str, tokens: Sequence[Token], gazetteer: Gazetteer | None
) -> list[Found]:
    """A team's score and, in brackets, its players' ("Essex 312 ( N. Hussain 104 ,
    R. Irani 58 ; D. Gough 4-71 )", "Leeds 2 ( Whitcombe 14 , Harrop 71 )"): every item in
    the brackets a name and figures."""
    found: list[Found] = []
    for k in range(2, len(tokens)):
        if tokens[k][2] != "(" or not _FIGURE.fullmatch(tokens[k - 1][2]):
            continue
        j = k - 1
        while j > 0 and (_FIGURE.fullmatch(tokens[j - 1][2]) or tokens[j - 1][2] == "and"):
            j -= 1
        i = j
        while i > 0 and i > j - _MAX_NAME_WORDS and tokens[i - 1][2][:1].isupper():
            i -= 1
        if i == j or not _is_name(tokens[i:j]):
            continue
        close = _close_bracket(tokens, k)
        items: list[list[Token]] = [[]]
        for t in tokens[k + 1 : close - 1]:
            if t[2] in (",", ";"):
                items.append([])
            else:
                items[-1].append(t)
        people: list[tuple[int, int]] = []
        for item in items:
            runs = _person_runs(item)
            if not runs or runs[0][0] != item[0][0]:
                break
            after = [t for t in item if t[0] >= runs[0][1]]
            if not after or not _FIGURE.fullmatch(after[0][2]):
                break
            people.append(runs[0])
        else:
            if people:
                name = line[tokens[i][0] : tokens[j - 1][1]]
                found.append((tokens[i][0], tokens[j - 1][1], _team_label(name, gazetteer)))
                found.extend((a, b, PERSON) for a, b in people)
    return found


def _player_rows(tokens: Sequence[Token]) -> list[Found]:
    """In a line that names players with their countries, the others of its items of the
    same shape, a name between figures ("138 Sean Fahey 71 67 , Bernd Kramer ( Germany )
    68 70"): players whose country the table's heading gives."""
    found: list[Found] = []
    items: list[list[Token]] = [[]]
    for t in tokens:
        if t[2] == ",":
            items.append([])
        else:
            items[-1].append(t)
    for item in items:
        i = 0
        while i < len(item) and _FIGURE.fullmatch(item[i][2]):
            i += 1
        j = i
        while j < len(item) and item[j][2] != "(" and not _FIGURE.fullmatch(item[j][2]):
            j += 1
        rest = item[j:]
        if rest and rest[0][2] == "(":
            rest = rest[_close_bracket(rest, 0) :]
        if (
            j - i >= 2
            and rest
            and all(_FIGURE.fullmatch(r[2]) for r in rest)
            and _is_name(item[i:j])
            and len(_person_runs(item[i:j])) == 1
        ):
            found.append((item[i][0], item[j - 1][1], PERSON))
    return found


def headline_slug(
    fields: Sequence[str], spans: list[Span], gazetteer: Gazetteer | None
) -> list[Span]:
    """A wire headline's topic before its dash ("ATHLETICS - KIPROP BREAKS RECORD") is no
    name, unless it is a known place ("BOSNIA - ..."): mentions in it go."""
    m = _SLUG.match(fields[0]) if fields else None
    if m is None or (gazetteer is not None and gazetteer.kind(m.group(1)) is not None):
        return spans
    end = m.end(1)
    return [s for s in spans if not (s.field == 0 and s.start < end)]


def table_names(
    fields: Sequence[str], spans: list[Span], gazetteer: Gazetteer | None
) -> list[Span]:
    """Teams, players and countries where a line's shape says what they are; their labels
    fixed. Model spans they overlap go, and so do the other words of results and rows."""
    text = fields[1] if len(fields) > 1 else ""
    if not text or _DIGIT.search(text) is None:
        return spans
    found: list[tuple[int, int, str]] = []
    table_lines: list[tuple[int, int]] = []
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    # Only lines a cheap pattern lets through are split into tokens (prose rarely is).
    token_cache: dict[int, list[Token]] = {}

    def tokens_of(n: int) -> list[Token]:
        if n not in token_cache:
            token_cache[n] = _tokens(lines[n][1])
        return token_cache[n]

    # Results and standings first: they say which names are teams.
    teams: set[str] = set()
    block: list[tuple[int, Token, int]] = []  # standings rows: (line offset, name, length)

    def close_block() -> None:
        players = sum(
            1
            for off, (a, b, first), _length in block
            if gazetteer is not None
            and " " in text[off + a : off + b]
            and gazetteer.is_given_name(first)
        )
        if block and players * 2 <= len(block):
            for off, (a, b, _first), length in block:
                name = text[off + a : off + b]
                found.append((off + a, off + b, _team_label(name, gazetteer)))
                teams.add(entity_key(name))
                table_lines.append((off, off + length))
        block.clear()

    for n, (off, line) in enumerate(lines):
        result = _result(tokens_of(n)) if _RESULT_GATE.match(line) else None
        if result is not None:
            close_block()
            team_spans, brackets = result
            table_lines.append((off, off + len(line)))
            for a, b, _w in team_spans:
                found.append((off + a, off + b, _team_label(line[a:b], gazetteer)))
                teams.add(entity_key(line[a:b]))
            for i, j in brackets:
                runs = _person_runs(tokens_of(n)[i:j])
                found.extend((off + a, off + b, PERSON) for a, b in runs)
            continue
        tail = line.rstrip()[-1:]
        row = (
            _standings_name(tokens_of(n))
            if (tail.isdigit() or tail == "-")
            and _ROW_GATE.search(line, max(0, len(line) - _ROW_TAIL))
            else None
        )
        if row is not None:
            block.append((off, row, len(line)))
            continue
        close_block()
    close_block()
    bracketed = [_SPACED_BRACKET in line for _, line in lines]
    countries = [
        _countries_in_brackets(line, tokens_of(n), gazetteer) if bracketed[n] else []
        for n, (_, line) in enumerate(lines)
    ]
    for n, (off, line) in enumerate(lines):
        # A row without a country among rows with theirs ("6. Neil Ashcombe 355,010").
        if not countries[n] and any(countries[max(0, n - 1) : n + 2]):
            found.extend((off + a, off + b, lab) for a, b, lab in _player_rows(tokens_of(n)))
        if bracketed[n]:
            players = list(countries[n])
            if players:
                players += _player_rows(tokens_of(n))
            players += _scored_brackets(line, tokens_of(n), gazetteer)
            found.extend((off + a, off + b, lab) for a, b, lab in players)
        if " - " in line or " – " in line:
            found.extend(
                (off + a, off + b, lab)
                for a, b, lab in _line_up(line, tokens_of(n), teams, gazetteer)
            )
    if not found and not table_lines:
        return spans
    found.sort(key=lambda f: (f[0], -f[1]))
    kept: list[Span] = []
    for s in spans:
        if s.field != 1:
            kept.append(s)
            continue
        if any(a <= s.start and s.end <= b for a, b in table_lines):
            continue  # a result's or a row's other words ("Halftime 0-1", "( OT )", "6 5")
        if any(s.start < b and a < s.end for a, b, _ in found):
            continue
        kept.append(s)
    added: list[Span] = []
    last_end = -1
    for a, b, label in found:
        if a < last_end:
            continue
        added.append(Span(1, a, b, label, label, weight=3, person_cue=label == PERSON, fixed=True))
        last_end = b
    return kept + added
