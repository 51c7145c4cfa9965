"""Words, shingles and MinHash: the estimates follow the true overlap, the same everywhere."""

from __future__ import annotations

import random
from typing import Any

import pytest
from newsreader.index.stories import minhash
from newsreader.index.stories.shingles import shingle_hashes, words


def test_words_fold_case_accents_and_figures() -> None:
    assert words("The Café said 1,200 people") == ["the", "cafe", "said", "1200", "people"]
    assert words("day 3") != words("day 9")
    assert words("1200 people") == words("1,200 people") == words("1.200 people")
    assert words("Mosul’s") == words("Mosul's") == ["mosul", "s"]
    assert words("Zürich Ærø") == ["zurich", "ærø"]


def test_reformatted_figures_keep_the_shingles() -> None:
    left = "About 1,200 people left, the ministry said on Monday after the storm."
    right = "About 1200 people left, the ministry said on Monday after the storm."
    assert shingle_hashes(left).tolist() == shingle_hashes(right).tolist()
    assert len(shingle_hashes(left)) == len(words(left)) - 4


def test_estimate_follows_jaccard() -> None:
    rng = random.Random(5)
    base = [rng.getrandbits(32) for _ in range(400)]
    for keep in (1.0, 0.8, 0.5, 0.2, 0.0):
        other = base[: int(400 * keep)] + [
            rng.getrandbits(32) for _ in range(400 - int(400 * keep))
        ]
        a, b = set(base), set(other)
        true = len(a & b) / len(a | b)
        estimate = minhash.similarity(minhash.signature(a), minhash.signature(b))
        assert abs(estimate - true) < 0.12, (keep, true, estimate)


def test_signature_is_fixed_across_processes() -> None:
    """Signatures are stored: the same text must give the same bytes in any process."""
    sig = minhash.signature(shingle_hashes("one two three four five six seven eight"))
    assert len(sig) == minhash.SLOTS * 4
    # pinned: a change here means every stored signature is stale (bump SKETCH_VERSION)
    assert sig[:8].hex() == _PINNED


def test_band_keys_are_per_band() -> None:
    import numpy as np

    kept = np.zeros((2, minhash.SLOTS), dtype=np.uint16)  # every slot equal: bands still differ
    kept[1, 0] = 1  # one slot changed: only its band's key changes
    keys = minhash.band_keys(kept)
    assert keys.shape == (2, minhash.BANDS) and keys.dtype == np.uint32
    assert len(set(keys[0].tolist())) == minhash.BANDS
    assert keys[0, 0] != keys[1, 0] and (keys[0, 1:] == keys[1, 1:]).all()


_PINNED = "fa449cbfb3bed35d"


class _Counted:
    """Stands in for a compiled expression or a builtin, counting its calls."""

    def __init__(self, real: Any, name: str = "sub") -> None:
        self.real, self.name, self.calls = real, name, 0

    def __getattr__(self, name: str) -> Any:
        if name != self.name:
            return getattr(self.real, name)

        def counted(*args: Any) -> Any:
            self.calls += 1
            return getattr(self.real, name)(*args)

        return counted

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return self.real(*args)


def test_a_number_glued_to_a_word_is_cut_only_where_there_is_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The expression that ends a word at its leading number ("5th": "5", "th") is tried
    at every place of a text (~90 µs an article): it runs only on a text where a digit is
    followed by a letter, and cuts the same words."""
    from newsreader.index.stories import shingles

    spy = _Counted(shingles._NUMBER_THEN_LETTER)
    monkeypatch.setattr(shingles, "_NUMBER_THEN_LETTER", spy)
    plain = "On 14 November the “council” met — 1,200 people came, said Zoë."
    assert shingles.words(plain) == [
        "on", "14", "november", "the", "council", "met", "1200", "people", "came", "said",
        "zoe",
    ]  # fmt: skip
    assert spy.calls == 0
    assert shingles.words("the 5th and 1990s, not a5b") == [
        "the", "5", "th", "and", "1990", "s", "not", "a5b",
    ]  # fmt: skip
    assert spy.calls == 1


def test_known_words_are_hashed_without_a_set_of_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A word's hash is kept between articles; when every word of a text is known, they
    are looked up at once (no set of the text's words made first, ~25 µs an article)."""
    from newsreader.index.stories import shingles

    tokens = shingles.word_tokens("seven known words of a wire story")
    first = shingles.token_hashes(tokens)  # now known
    spy = _Counted(set)
    monkeypatch.setattr(shingles, "set", spy, raising=False)
    assert shingles.token_hashes(tokens).tolist() == first.tolist()
    assert spy.calls == 0
    assert shingles.token_hashes([*tokens, b"unheardof"]).tolist()[:-1] == first.tolist()
    assert spy.calls == 1
