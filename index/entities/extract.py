"""Named entities: a spaCy extractor run per paragraph, then document-level clean-up.

spaCy is imported only inside ``load_nlp`` so nothing on the app's start-up path pays for
it. Each language with a model (``languages.MODELS``) has its own extractor, loaded on
first use; the model runs on each line of the title and text separately (no entity can
cross a line), with just the components named-entity recognition needs; ``rules`` then
cleans the spans and makes them consistent across the whole article. English wire copy is
read in a copy of the same length (``wirecopy``: lines in capitals in the article's own
casing, tokenised punctuation closed up); the mentions quote the article as written.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from ..errors import ModelMissingError
from ..models import Mention
from .gazetteer import Gazetteer, load_gazetteer
from .languages import (
    DEFAULT_LANGUAGE,
    GAZETTEER_LANGUAGES,
    MODELS,
    ONTONOTES_LABELS,
    entity_language,
    install_hint,
    installed_package,
    language_name,
)
from .rules import RawSpan, resolve_document
from .status import ENTITY_VERSION as ENTITY_VERSION  # where it is read cheaply
from .wirecopy import close_up, restore_case

if TYPE_CHECKING:
    from spacy.language import Language

# The English model's packages and labels (kept under these names for the benchmarks).
MODEL_PACKAGES = MODELS[DEFAULT_LANGUAGE].packages
LABELS = ONTONOTES_LABELS
# Components NER does not need; tok2vec is kept only if the NER listens to it.
UNNEEDED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer")


class Extractor(Protocol):
    def extract_batch(
        self, docs: Sequence[tuple[str, str]]
    ) -> list[tuple[list[Mention], list[Mention]]]:
        """docs are (title, text); returns (title_mentions, text_mentions) per doc."""
        ...


def model_available(language: str | None = DEFAULT_LANGUAGE) -> bool:
    """Whether spaCy and the language's model are installed; cheap, imports nothing."""
    return installed_package(language) is not None


def missing_message(language: str | None = DEFAULT_LANGUAGE) -> str:
    name = language_name(language)
    return f"named entities need spaCy's {name} model; run: {install_hint(language)}"


def paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line of ``text`` that holds a word; entities never cross one."""
    offset = 0
    for line in text.split("\n"):
        if any(c.isalnum() for c in line):
            yield offset, line
        offset += len(line) + 1


def spacy_spans(
    doc: Any, offset: int, field: int, labels: Mapping[str, str] = LABELS
) -> Iterator[RawSpan]:
    """A spaCy doc's entities with our labels, moved into field offsets."""
    for ent in doc.ents:
        label = labels.get(ent.label_)
        if label is not None:
            yield RawSpan(field, offset + ent.start_char, offset + ent.end_char, label)


class SpacyExtractor:
    """Runs a spaCy NER pipeline over paragraphs with ``nlp.pipe``, then the rules."""

    def __init__(
        self,
        nlp: Language,
        gazetteer: Gazetteer | None = None,
        batch_size: int = 256,
        *,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.batch_size = batch_size
        self.language = language
        model = MODELS.get(language)
        labels = model.labels if model is not None else LABELS
        cued = model.cued_labels if model is not None else {}
        # The model's labels and those only the rules classify (dropped there if no cue).
        self.labels: Mapping[str, str] = {**labels, **cued}

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
            out[i].extend(spacy_spans(doc, offset, field, self.labels))
        return out

    def extract_batch(
        self, docs: Sequence[tuple[str, str]]
    ) -> list[tuple[list[Mention], list[Mention]]]:
        results: list[tuple[list[Mention], list[Mention]]] = []
        # The model and the rules read lines in capitals in the article's own casing; the
        # mentions quote the article as written (the copy keeps every offset).
        cased: list[tuple[str, str]] = []
        read: list[tuple[str, str]] = []
        for doc in docs:
            restored = restore_case(doc, self.gazetteer) if self.language == "en" else None
            case = doc if restored is None else (restored[0], restored[1])
            closed = close_up(case) if self.language == "en" else None
            cased.append(case)
            read.append(case if closed is None else (closed[0], closed[1]))
        for doc, case, fields, raw in zip(docs, cased, read, self.raw_spans(read), strict=True):
            title_mentions, text_mentions = resolve_document(
                fields, raw, self.gazetteer, language=self.language, surfaces=doc, layout=case
            )
            results.append((title_mentions, text_mentions))
        return results


def model_package(language: str | None = DEFAULT_LANGUAGE) -> str:
    """The import name of the language's installed model; ModelMissingError if none is."""
    package = installed_package(language)
    if package is None:
        raise ModelMissingError(missing_message(language))
    return package


def load_nlp(package: str | None = None, language: str | None = DEFAULT_LANGUAGE) -> Language:
    """The model with only the components NER needs."""
    name = package or model_package(language)
    try:
        module = importlib.import_module(name)
        nlp: Language = module.load(exclude=list(UNNEEDED))
    except (ImportError, OSError) as exc:
        raise ModelMissingError(f"{missing_message(language)} ({exc})") from exc
    if "tok2vec" in nlp.pipe_names and "ner" not in getattr(
        nlp.get_pipe("tok2vec"), "listening_components", ()
    ):
        nlp.remove_pipe("tok2vec")
    return nlp


@lru_cache(maxsize=len(MODELS))
def load_extractor(language: str | None = DEFAULT_LANGUAGE) -> Extractor:
    """The shared spaCy extractor of a language; raises ModelMissingError naming the
    install command."""
    code = entity_language(language)
    if code not in MODELS and code in GAZETTEER_LANGUAGES:
        from .gazetteer_names import GazetteerExtractor

        return GazetteerExtractor(load_gazetteer(), code)
    return SpacyExtractor(load_nlp(language=code), load_gazetteer(), language=code)


def extract_text(
    text: str, extractor: Extractor | None = None, language: str | None = DEFAULT_LANGUAGE
) -> list[Mention]:
    """The entities of one free text (as for ``newsreader extract``)."""
    return (extractor or load_extractor(language)).extract_batch([("", text)])[0][1]
