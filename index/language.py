"""An article's language, as an ISO 639-1 code: what its feed says, checked against its text.

Feeds declare a language (RSS ``<language>``, Atom ``xml:lang``, JSON Feed ``language``) for
all their entries, and often wrongly: a German blog with a template's "en-us", a multilingual
feed with one declaration. The text decides when it can: py3langid (a small offline model in
its wheel, imported on the first call) is asked about the title and text, and overrides the
declaration when the text is long enough and the model is sure. The search index stems each
article by this value; the entity extraction reads the same stored value.

Two costs shaped this module, because it runs on every entry of every refresh, on each parse
worker process. py3langid's model unpacks (LZMA) to about 75 MB of arrays and lists, which
took 1.9 s and ~90 MB in every process that asked: the unpacked arrays are written once to a
cache directory and memory-mapped from there, so a process pays a few milliseconds and only
the pages its texts touch, shared with the other processes through the page cache. And one
detection costs 0.2-0.5 ms: ``feed_languages`` asks about a spread sample of a feed's
entries, and about every entry only when the sample disagrees with what the feed says.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_CODE_RE = re.compile(r"[A-Za-z]{2,3}")
# ISO 639-2/3 codes feeds use instead of the two-letter ones, and old or variant codes
_ALIASES = {
    "eng": "en", "deu": "de", "ger": "de", "rus": "ru", "urd": "ur", "fas": "fa", "per": "fa",
    "ara": "ar", "fra": "fr", "fre": "fr", "spa": "es", "ita": "it", "por": "pt", "nld": "nl",
    "dut": "nl", "slk": "sk", "slo": "sk", "ces": "cs", "cze": "cs", "pol": "pl", "ukr": "uk",
    "tur": "tr", "swe": "sv", "nor": "no", "nob": "no", "nb": "no", "nn": "no", "dan": "da",
    "fin": "fi", "ell": "el", "gre": "el", "heb": "he", "iw": "he", "in": "id", "ji": "yi",
}  # fmt: skip
MIN_DETECT_CHARS = 40  # less text than this: the detector is guessing
OVERRIDE_CONFIDENCE = 0.95  # the detector must be this sure to overrule a declaration
ADOPT_CONFIDENCE = 0.5  # ... and this sure to give a language where none was declared
SAMPLE_CHARS = 600  # the detector reads this much (as sure as 2,000 characters, a third the cost)
_HEAD_CHARS = SAMPLE_CHARS * 2  # the most of a text its sample is made from
_LETTERS_FIRST = 64  # letters are counted in this many characters of a sample first

_lock = threading.Lock()
_identifier: Any = None


def normalise(code: object) -> str | None:
    """A declared language as a two-letter lowercase code: "en-US" -> "en"; None if unreadable."""
    if not isinstance(code, str):
        return None
    head = re.split(r"[-_\s]", code.strip(), maxsplit=1)[0]
    if not _CODE_RE.fullmatch(head):
        return None
    head = head.lower()
    head = _ALIASES.get(head, head)
    return head if len(head) == 2 else None


def _model() -> Any:
    global _identifier
    with _lock:
        if _identifier is None:
            _identifier = _mapped_model() or _unpacked_model()
        return _identifier


def release_model() -> None:
    """Forget the model (its mapping goes with the last reference): a refresh calls this
    when its entries are parsed, so indexing afterwards does not carry the pages."""
    global _identifier
    with _lock:
        _identifier = None


def _unpacked_model() -> Any:
    """py3langid's own way: the whole model unpacked into this process (~90 MB, ~1.9 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _cache_dir() -> Path:
    """Where the unpacked model is kept: a per-user cache, one directory per model file."""
    import py3langid
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    packed = Path(MODEL_DIR) / MODEL_FILE
    stat = packed.stat()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    version = getattr(py3langid, "__version__", "0")
    return Path(base) / "newsreader" / f"langid-{version}-{stat.st_size}-{int(stat.st_mtime)}"


_ARRAYS = ("ptc", "pc", "nextmove", "row", "out")


def _write_cache(target: Path) -> None:
    """Unpack py3langid's model into ``target`` as plain .npy files (atomically: a temporary
    directory renamed into place, so a process never maps a half-written file)."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, out = load_model(Path(MODEL_DIR) / MODEL_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".langid-", dir=target.parent))
    try:
        arrays = {
            "ptc": np.asarray(ptc),
            "pc": np.asarray(pc, dtype=np.float32),
            "nextmove": np.frombuffer(
                nextmove, dtype=np.uint32 if nextmove.itemsize == 4 else np.uint16
            ),
            "row": np.frombuffer(row, dtype=np.uint32 if row.itemsize == 4 else np.uint16),
            "out": np.asarray(out, dtype=np.int32),
        }
        for name, arr in arrays.items():
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
        (tmp / "classes.json").write_text(json.dumps(list(classes)), encoding="utf-8")
        try:
            os.replace(tmp, target)
        except OSError:  # another process got there first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _mapped_model() -> Any:
    """py3langid's identifier over memory-mapped arrays from the cache (written on first
    use), or None where the cache cannot be had (then the model is unpacked in memory)."""
    try:
        import numpy as np

        target = _cache_dir()
        if not (target / "classes.json").exists():
            _write_cache(target)
        arrays = {
            n: np.load(target / f"{n}.npy", mmap_mode="r", allow_pickle=False) for n in _ARRAYS
        }
        classes = json.loads((target / "classes.json").read_text(encoding="utf-8"))
        # the DFA walk indexes these once per byte: a memoryview gives plain ints, as the
        # stdlib arrays py3langid builds do, where a numpy array would give numpy scalars
        nextmove = memoryview(arrays["nextmove"])
        row = memoryview(arrays["row"])
        out = memoryview(arrays["out"])
        if len(row) != len(out) or arrays["ptc"].shape != (arrays["ptc"].shape[0], len(classes)):
            return None
        identifier = _windowed_identifier()(
            # a plain array over the same mapping (no copy): indexing a memmap runs its
            # Python __getitem__ and makes a new memmap at every detection
            np.asarray(arrays["ptc"]),
            np.array(arrays["pc"]),
            classes,
            nextmove,
            out,
            norm_probs=True,
            tk_row=row,
        )
        identifier.use_windows(
            arrays["nextmove"], arrays["row"], arrays["out"], _cached_depth(target, arrays)
        )
        return identifier
    except Exception:  # no writable cache, an odd model: the in-memory way still works
        return None


# The detector's automaton reaches no state deeper than this many bytes from its start
# (checked when a model is mapped): the state after any byte is then the state reached
# from the start over the last _WINDOW bytes alone.
_WINDOW = 6


def _windowed_identifier() -> type:
    """py3langid's LanguageIdentifier, with its walk of the byte automaton done on arrays.

    py3langid walks its automaton (Aho-Corasick over the model's 1-6 byte features) one
    byte at a time in Python, ~1 us a byte: most of a detection. Its states are suffixes of
    the text at most _WINDOW bytes long, so the state after byte ``j`` is the state the walk
    reaches from the start over bytes ``j-5 .. j``: six array lookups over all positions at
    once give every state. The features counted, their counts and their order (the
    Counter's, first seen first, which fixes the order of the scores' sum) are py3langid's.
    """
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    class WindowedIdentifier(LanguageIdentifier):
        __slots__ = ("_steps",)

        def use_windows(self, nextmove: Any, row: Any, out: Any, depth: int) -> None:
            """Walk by windows when no state is deeper than _WINDOW bytes."""
            if depth <= _WINDOW:
                rowbase = np.asarray(row).astype(np.int64) << 8
                self._steps = (np.asarray(nextmove), rowbase, np.asarray(out))

        def _raw_score(self, text: bytes) -> Any:
            steps = getattr(self, "_steps", None)
            if steps is None:
                return super()._raw_score(text)
            visits = window_visits(steps, text)
            if visits:
                return self._sparse_score(visits, self.nb_ptc)
            return super()._raw_score(b"")

    return WindowedIdentifier


def window_visits(steps: tuple[Any, Any, Any], text: bytes) -> Counter[int]:
    """py3langid's ``visit_counts`` (features met, how often, first met first) from the
    states of all positions at once; ``steps``: (next move, row base, output) arrays."""
    import numpy as np

    nextmove, rowbase, out = steps
    data = np.frombuffer(text, dtype=np.uint8).astype(np.int64)
    n = len(data)
    state = np.zeros(n, dtype=np.int64)
    # step k moves position j by byte j - (5 - k): a position near the start skips the
    # steps before its first byte, and so starts from the start state
    for k in range(max(0, _WINDOW - n), _WINDOW):
        off = _WINDOW - 1 - k
        state[off:] = nextmove[rowbase[state[off:]] + data[: n - off]]
    features = out[state]
    # Counter over the list in text order: py3langid's own count (first met first)
    return Counter(features[features >= 0].tolist())


def _cached_depth(target: Path, arrays: dict[str, Any]) -> int:
    """The automaton's depth, found once (it reads every page of the table) and kept beside
    the cached model."""
    import numpy as np

    kept = target / "depth.json"
    try:
        return int(json.loads(kept.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        pass
    depth = _automaton_depth(arrays["nextmove"], np.asarray(arrays["row"]).astype(np.int64) << 8)
    try:
        tmp = target / f".depth-{os.getpid()}"
        tmp.write_text(json.dumps(depth), encoding="utf-8")
        os.replace(tmp, kept)
    except OSError:
        pass
    return depth


def _automaton_depth(nextmove: Any, rowbase: Any) -> int:
    """The most bytes any state of the automaton is from its start (breadth first)."""
    import numpy as np

    depth = np.full(len(rowbase), -1, dtype=np.int64)
    depth[0] = 0
    frontier = np.zeros(1, dtype=np.int64)
    steps = 0
    while len(frontier):
        reached = np.unique(nextmove[(rowbase[frontier][:, None] + np.arange(256)).ravel()])
        frontier = reached[depth[reached] < 0]
        if len(frontier):
            steps += 1
            depth[frontier] = steps
    return steps


def detect(text: str) -> tuple[str | None, float]:
    """(language, confidence 0-1) of ``text``; (None, 0.0) for too little text."""
    sample = _sample(text)
    if sample is None:
        return None, 0.0
    try:
        lang, prob = _model().classify(sample)
    except Exception:  # a detector problem must never stop a refresh
        return None, 0.0
    return normalise(str(lang)), float(prob)


def _sample(text: str) -> str | None:
    """The first SAMPLE_CHARS of ``text`` with its whitespace folded, or None when it holds
    too few letters for the detector to be more than guessing."""
    # fold only the head: the text may be a whole article
    sample = " ".join(text[:_HEAD_CHARS].split())[:SAMPLE_CHARS]
    if len(sample) < MIN_DETECT_CHARS:
        return None
    # letters enough in the first few dozen characters settle it (most texts), without
    # testing all SAMPLE_CHARS of them
    if sum(map(str.isalpha, sample[:_LETTERS_FIRST])) >= MIN_DETECT_CHARS:
        return sample
    return sample if sum(map(str.isalpha, sample)) >= MIN_DETECT_CHARS else None


def article_language(declared: object, title: str, text: str) -> str | None:
    """The article's language: the detector's when sure (or when nothing was declared and it
    is fairly sure), else the feed's declaration, else None."""
    return _decide(normalise(declared), *detect(f"{title}\n{text}"))


def _decide(stated: str | None, found: str | None, confidence: float) -> str | None:
    if found is None:
        return stated
    if stated is None:
        return found if confidence >= ADOPT_CONFIDENCE else None
    if found != stated and confidence >= OVERRIDE_CONFIDENCE:
        return found
    return stated


def feed_languages(entries: Sequence[tuple[object, str, str]]) -> list[str | None]:
    """``article_language`` of each (declared, title, text) of one feed, asking the detector
    about a sample when it can.

    Entries are taken in groups by what they declare (most feeds: one group). A group's
    sample is spread over it (first, last and evenly between, ``4 + n // 12`` of the entries
    with text enough to detect). When the whole sample comes out as one language — the
    group's declaration, or any one language when it declares none — the sample's most
    common words stand for that language, and every other entry is only checked for them:
    one whose share of them is under half the sample's lowest share (a German entry among
    English ones has a few per cent where English has a third) is asked about on its own.
    When the sample disagrees, every entry of the group is asked about. The saving: a
    50-entry feed in one language costs 8 detections and 42 word counts, not 50 detections.
    """
    out: list[str | None] = [None] * len(entries)
    groups: dict[str | None, list[int]] = {}
    for i, (declared, _, _) in enumerate(entries):
        groups.setdefault(normalise(declared), []).append(i)
    for lang, members in groups.items():
        # (title, text) as one string, cut to what a sample is made from: not a copy of
        # every whole article
        texts = {i: f"{entries[i][1]}\n{entries[i][2][:_HEAD_CHARS]}" for i in members}
        samples = {i: _sample(texts[i]) for i in members}
        detectable = [i for i in members if samples[i] is not None]
        picked = _spread(detectable, 4 + len(members) // 12)
        verdicts = {i: _decide(lang, *detect(texts[i])) for i in picked}
        agreed = set(verdicts.values())
        common = agreed.pop() if len(agreed) == 1 else None
        words: frozenset[str] = frozenset()
        floor = 0.0
        if common is not None and (lang is None or common == lang):
            words = _common_words([samples[i] or "" for i in picked])
            floor = min(_share(samples[i] or "", words) for i in picked) / 2
        for i in members:
            sample = samples[i]
            if i in verdicts:
                out[i] = verdicts[i]
            elif sample is None:
                out[i] = lang  # too little text: what it declares (as article_language)
            elif floor >= MIN_COMMON_SHARE and _share(sample, words) >= floor:
                out[i] = common  # it reads like the sample
            else:
                out[i] = _decide(lang, *detect(texts[i]))
    return out


MIN_COMMON_SHARE = 0.05  # a sample whose common words are rarer says little (no spaces: CJK)
_COMMON_WORDS = 24
_WORD_RE = re.compile(r"\w+")


def _words(sample: str) -> list[str]:
    return _WORD_RE.findall(sample.lower())


def _common_words(samples: list[str]) -> frozenset[str]:
    """The most frequent words of a sample of texts in one language (its function words:
    "the", "of", "and" for English; "der", "und" for German)."""
    counts: dict[str, int] = {}
    for sample in samples:
        for word in _words(sample):
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    return frozenset(w for w, _ in ranked[:_COMMON_WORDS])


def _share(sample: str, words: frozenset[str]) -> float:
    # counted by map in C, not a generator in Python: every entry of every feed comes here
    found = _words(sample)
    return sum(map(words.__contains__, found)) / len(found) if found else 0.0


def _spread(items: list[int], k: int) -> list[int]:
    """``k`` of ``items``, first and last included, evenly between (all when few)."""
    if len(items) <= k:
        return list(items)
    step = (len(items) - 1) / (k - 1)
    return sorted({items[math.floor(j * step + 0.5)] for j in range(k)})
