"""The analysis module: word forms, and importing it changes nothing in Whoosh."""

from __future__ import annotations

import subprocess
import sys

_PATCH_MARKS = """
from whoosh.codec.whoosh3 import W3FieldWriter, W3PerDocReader
from whoosh.writing import PostingPool
marks = [
    getattr(W3FieldWriter.add_postings, "_bulk", False),
    getattr(W3PerDocReader.doc_field_length, "_tabled", False),
    getattr(W3PerDocReader.has_column, "_cached", False),
    getattr(PostingPool.add, "_lean", False),
    getattr(PostingPool._write_run, "_chunked", False),
]
print(sum(map(bool, marks)))
"""


def _patched_after(imports: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", imports + "\n" + _PATCH_MARKS],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def test_importing_the_search_modules_patches_nothing_in_whoosh() -> None:
    assert _patched_after("import newsreader.index.search.analysis") == 0
    every = "\n".join(
        f"import newsreader.index.search.{m}"
        for m in ("analysis", "schema", "query", "engine", "highlight", "suggest", "index")
    )
    assert _patched_after(every) == 0


def test_opening_an_index_installs_the_fast_paths(tmp_path: object) -> None:
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from newsreader.index.search.index import SearchIndex\n"
        f"SearchIndex.open(Path({str(tmp_path)!r}) / 'ix').close()\n"
    )
    assert _patched_after(code) == 5
