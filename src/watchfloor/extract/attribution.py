"""Attribution and modality on spaCy's dependency parse (attribution-dep-v1).

The rule layer asks three questions of the parse, each answered from the tree rather than from
word order, so that long sentences and unseen phrasings do not attach the wrong speaker:

- who says it: the subject of the speech verb (``nsubj``, through ``conj``/``xcomp`` chains to the
  verb that has one), the agent of a passive one (``was accused by X``), the object of
  ``according to X``; a passive speech verb without an agent names nobody (``North Korea has been
  accused of ...`` is the report's own claim, never North Korea's);
- what span is the speaker: the subject's head with its compounds, modifiers and possessors, not
  its prepositional phrases (``Yoon in telephone calls with ...`` is ``Yoon``);
- whether the event happened: an event verb governed by ``will``/``would``/``could``, by ``if``,
  or by a verb of planning is future or hypothetical, kept apart from what happened.

Functions take spaCy tokens and return token indexes; they hold no state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ATTRIBUTION_VERSION = "attribution-dep-v1"

_SUBJECTS = {"nsubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_PHRASE_DEPS = {"compound", "amod", "poss", "case", "det", "nummod", "flat", "nmod", "punct", "quantmod"}
_COORD = {"cc", "conj"}


@dataclass(frozen=True)
class Modality:
    """Whether an event is told as having happened (``actual``), ``future`` or ``hypothetical``."""

    kind: str
    cue: str | None = None


ACTUAL = Modality("actual")


def verb_of(tokens: Iterable[Any]) -> Any | None:
    """The verb of a cue's tokens (``told``, ``shared``), else its first token."""
    tokens = list(tokens)
    for token in tokens:
        if token.pos_ in {"VERB", "AUX"}:
            return token
    return tokens[0] if tokens else None


def is_passive(verb: Any) -> bool:
    """A passive verb: it has a passive subject or a passive auxiliary."""
    return any(child.dep_ in _PASSIVE_SUBJECTS | {"auxpass"} for child in verb.children)


def agent_of(verb: Any) -> Any | None:
    """The head of ``by X`` on a passive verb (``accused by the United States`` -> States)."""
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def subject_of(verb: Any, depth: int = 0) -> Any | None:
    """The subject of a verb; a coordinated or complement verb takes its head's (``X said and added``)."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return child
    if depth < 3 and verb.dep_ in {"conj", "xcomp"} and verb.head is not verb:
        if verb.dep_ == "conj" and is_passive(verb.head):
            return None
        return subject_of(verb.head, depth + 1)
    return None


def phrase(head: Any, coordinated: bool = True) -> tuple[int, int]:
    """Token range of a noun phrase: the head with compounds, modifiers and possessors.

    Prepositional phrases, relative clauses and appositions are left out; coordinated heads
    (``Seoul and Washington``) are kept when ``coordinated``.
    """
    keep = {head.i}
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            inner = child.dep_ in _PHRASE_DEPS or (coordinated and child.dep_ in _COORD)
            of_phrase = child.dep_ == "prep" and child.lower_ == "of" and child.i > head.i
            of_object = token.dep_ == "prep" and token.lower_ == "of" and child.dep_ == "pobj"
            if inner or of_phrase or of_object:
                if child.dep_ == "punct" and child.text not in {"-", "'s", "’s"}:
                    continue
                keep.add(child.i)
                stack.append(child)
    start, end = min(keep), max(keep) + 1
    # the phrase must be contiguous: cut at the first gap on either side of the head
    lo = head.i
    while lo - 1 >= start and lo - 1 in keep:
        lo -= 1
    hi = head.i + 1
    while hi < end and hi in keep:
        hi += 1
    return lo, hi


@dataclass(frozen=True)
class Speaker:
    """Who a speech verb names: a token range, or nobody (a passive without agent)."""

    span: tuple[int, int] | None
    how: str
    """``subject``, ``agent``, ``according-to`` or ``passive-unnamed``."""


def speaker_of(verb: Any) -> Speaker | None:
    """The speaker of a speech verb from the parse; None when the parse does not say."""
    if is_passive(verb):
        agent = agent_of(verb)
        if agent is not None:
            return Speaker(phrase(agent), "agent")
        return Speaker(None, "passive-unnamed")
    subject = subject_of(verb)
    if subject is None:
        return None
    if subject.lower_ in {"that", "which", "who"} and subject.dep_ == "nsubj":
        head = verb.head if verb.dep_ == "relcl" else None
        if head is None:
            return None
        subject = head
    return Speaker(phrase(subject), "subject")


def according_to(sent: Any) -> tuple[int, int, int] | None:
    """``according to X``: (index of "according", start, end of X) or None."""
    for token in sent:
        if token.lower_ != "according":
            continue
        for prep in token.children:
            if prep.lower_ == "to":
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        start, end = phrase(obj)
                        return token.i, start, end
        nxt = token.nbor(1) if token.i + 1 < sent.end else None
        if nxt is not None and nxt.lower_ == "to":
            for obj in nxt.children:
                if obj.dep_ == "pobj":
                    start, end = phrase(obj)
                    return token.i, start, end
    return None


def event_verb(token: Any) -> Any:
    """The verb an event trigger hangs on: itself when a verb, else the nearest verbal ancestor."""
    current = token
    for _ in range(4):
        if current.pos_ in {"VERB", "AUX"}:
            return current
        if current.head is current:
            break
        current = current.head
    return token


def modality(
    trigger: Any,
    future: frozenset[str],
    hypothetical: frozenset[str],
    planning: frozenset[str],
    stop: Any | None = None,
) -> Modality:
    """Future or hypothetical when the event's verb (or a verb above it, up to ``stop``, the
    speech verb) carries a future or conditional auxiliary, an ``if`` clause, or a verb of
    planning; ``actual`` otherwise."""
    verb = event_verb(trigger)
    for token in (trigger, verb):
        for child in token.children:
            if child.dep_ == "amod" and child.lower_ in hypothetical:
                return Modality("hypothetical", child.text)
            if child.dep_ == "amod" and child.lower_ in future:
                return Modality("future", child.text)
    current = verb
    for _ in range(4):
        if stop is not None and current.i == stop.i:
            break
        for child in current.children:
            low = child.lower_
            if child.dep_ in {"aux", "auxpass"} and low in future:
                return Modality("future", child.text)
            if child.dep_ in {"aux", "auxpass"} and low in hypothetical:
                return Modality("hypothetical", child.text)
            if child.dep_ == "mark" and low in hypothetical:
                return Modality("hypothetical", child.text)
        if current.dep_ == "xcomp" and current.head.lower_ in planning:
            return Modality("future", f"{current.head.text} to")
        if current.dep_ not in {"xcomp", "conj"}:
            break
        if current.head is current:
            break
        current = current.head
    return ACTUAL
