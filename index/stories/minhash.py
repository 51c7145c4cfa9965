"""MinHash signatures and LSH bands: near-duplicate candidates without comparing all pairs.

A signature holds ``SLOTS`` minimum hash values over a text's shingles; the share of
equal slots in two signatures estimates the Jaccard similarity of their shingle sets.
It is made by one-permutation hashing: each shingle is hashed once, the top bits pick its
slot and the low bits compete for that slot's minimum, which costs one pass over the
shingles instead of one per hash function (about 60x faster than 128 hash functions in
numpy on our texts). A slot no shingle fell into takes the value of the next filled slot
to its right, shifted by the distance (rotation densification), so short texts still
compare fairly.

The first ``BANDS * ROWS`` slots are cut into ``BANDS`` bands of ``ROWS`` slots; two texts
that agree on a whole band land in the same bucket, and only articles sharing a bucket are
compared (grouping bands the signatures of the articles dated near the new ones in memory). With 32 bands of 3 a pair with Jaccard 0.4 shares a bucket with probability
0.88, at 0.5 0.986, at 0.2 0.23 (and is then compared on all 128 slots). Signatures are kept in the store, so the hashing is fixed:
change anything here and bump ``SKETCH_VERSION`` (every stored signature is then rebuilt).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

SLOTS = 128
SIGNATURE_BYTES = SLOTS * 4
BANDS = 32
ROWS = 3
SKETCH_VERSION = 1
_SLOT_SHIFT = 64 - 7  # the top 7 bits of a 64-bit hash pick one of 128 slots
_MIX = 0x9E3779B97F4A7C15  # a 64-bit odd constant (the golden ratio), for the hash mix
_MASK32 = 0xFFFFFFFF
_EMPTY = 1 << 40  # above every 32-bit value: marks a slot no shingle fell into
assert 1 << (64 - _SLOT_SHIFT) == SLOTS
assert ROWS <= 3  # a band's slots and its number fit one 64-bit word (``band_keys``)


@functools.cache
def _slot_tables() -> tuple[np.ndarray, np.ndarray]:
    """Each slot's smallest combined value (slot << 32), and the slot numbers."""
    import numpy as np

    numbers = np.arange(SLOTS, dtype=np.uint64)
    return numbers << np.uint64(32), numbers


def signature(hashes: np.ndarray | Iterable[int]) -> bytes:
    """The signature of a set of 32-bit shingle hashes, as bytes for the store (repeated
    hashes change nothing: a slot keeps a minimum)."""
    import numpy as np

    if isinstance(hashes, np.ndarray):
        values = hashes.astype(np.uint64, copy=True)
    else:
        values = np.fromiter(hashes, dtype=np.uint64)
    if values.size == 0:
        raise ValueError("a signature needs at least one shingle")
    return _signature(values)[0]


def signature_and_count(values: np.ndarray) -> tuple[bytes, int]:
    """The signature of shingle hashes (uint64, repeats allowed; the array is reused) and
    about how many distinct hashes there were (two may share a slot and a low half)."""
    return _signature(values)


def _signature(values: np.ndarray) -> tuple[bytes, int]:
    import numpy as np

    mix = np.uint64(_MIX)
    values *= mix  # wraps modulo 2**64: a multiplicative hash
    values ^= values >> np.uint64(29)
    values *= mix
    # slot in the top bits, the competing value in the low 32: sorted, each slot's first
    # entry is its minimum
    slot_bits = np.uint64(_SLOT_SHIFT)
    combined = ((values >> slot_bits) << np.uint64(32)) | (values & np.uint64(_MASK32))
    combined.sort()
    distinct = int(np.count_nonzero(combined[1:] != combined[:-1])) + 1
    starts, numbers = _slot_tables()
    firsts = np.searchsorted(combined, starts)
    firsts[firsts >= combined.size] = combined.size - 1
    found = combined[firsts]
    filled = (found >> np.uint64(32)) == numbers
    sig = found & np.uint64(_MASK32)
    if not filled.all():
        have = np.flatnonzero(filled)
        holes = np.flatnonzero(~filled)
        # the next filled slot to the right, wrapping round, shifted by the distance
        source = have[np.searchsorted(have, holes) % have.size]
        distance = (source - holes) % SLOTS
        sig[holes] = (sig[source] + distance.astype(np.uint64) * np.uint64(0x61C88647)) & np.uint64(
            _MASK32
        )
    return sig.astype("<u4").tobytes(), distinct


def similarity(left: bytes, right: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    import numpy as np

    a = np.frombuffer(left, dtype="<u4")
    b = np.frombuffer(right, dtype="<u4")
    if a.shape != b.shape or a.size == 0:
        return 0.0
    return float(np.count_nonzero(a == b)) / a.size


def band_keys(kept: np.ndarray) -> np.ndarray:
    """One 32-bit key per band of each kept signature: (n, SLOTS) uint16 in, (n, BANDS)
    uint32 out. A band's ``ROWS`` 16-bit slots and its number fit one 64-bit integer
    exactly; a multiplicative hash keeps its top 32 bits. Two bands that differ then share
    a key by chance about once per batch, and such a pair is only scored on its signatures
    and dropped. (Band keys are made afresh every batch, never stored, so this may change.)
    The words are built in place in one array: a temporary array per slot took about
    twice the time."""
    import numpy as np

    # slot j at bit 16 j, the band's number at 48: built in one array, shifted in place
    rows = kept[:, : BANDS * ROWS].reshape(kept.shape[0], BANDS, ROWS)
    packed = rows[:, :, ROWS - 1].astype(np.uint64)
    for column in range(ROWS - 2, -1, -1):
        packed <<= np.uint64(16)
        packed |= rows[:, :, column]
    packed |= np.arange(1, BANDS + 1, dtype=np.uint64) << np.uint64(16 * ROWS)
    packed *= np.uint64(_MIX)
    packed >>= np.uint64(32)
    keys: np.ndarray = packed.astype(np.uint32)
    return keys
