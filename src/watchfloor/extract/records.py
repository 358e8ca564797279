"""The records extraction produces: mentions, claims and events, each pointing into the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from watchfloor.extract.ontology import EventType, Plover
from watchfloor.model.stance import Stance


@dataclass(frozen=True)
class TextSpan:
    """A character span of a report's text (``text[start:end] == quote``)."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class DateRange:
    """A date or a date range resolved against the report date, with the words it came from."""

    start: date | None
    end: date | None
    text: str
    basis: str
    """``text`` (a time expression), ``report`` (the report date stood in) or ``before`` (an
    open range ending at the claim or report date)."""


@dataclass(frozen=True)
class Mention:
    """A named entity in the report, linked to a gazetteer actor where one matches."""

    text: str
    label: str
    start: int
    end: int
    actor: str | None = None
    """Gazetteer id (``kp``, ``sabrina-singh``)."""


@dataclass
class Claim:
    """Somebody telling of an event in one report: who, how (stance), how sure, when, where."""

    speaker: str
    """As written (``Pentagon spokesperson Sabrina Singh``), or the report's source when no one is named."""
    speaker_actor: str | None
    speaker_state: str | None
    stance: Stance
    hedges: list[str]
    credibility: int
    """Admiralty information credibility 1-6, after hedging (credibility-v1)."""
    credibility_explanation: list[str]
    claim_date: DateRange | None
    span: TextSpan
    """The sentence(s) the claim rests on."""
    statement: str | None = None
    """What is said, where the report gives it as a ``that`` clause or a quote."""
    audience: list[str] = field(default_factory=list)
    basis: str | None = None
    """What the speaker shared or cited (``South Korean intelligence assessments``)."""
    reported_by: str | None = None
    """The report's source (publisher)."""
    reliability: str = "F"
    """Admiralty source reliability of the report's source."""
    document: str | None = None
    """The report's content hash."""
    modality: str = "actual"
    """``actual`` (told as having happened), ``future`` or ``hypothetical`` (attribution-dep-v1)."""


@dataclass
class Event:
    """Who did what to whom, when and where, with every claim that tells it."""

    id: str
    type: EventType
    plover: Plover
    source_actors: list[str]
    target_actors: list[str]
    object: str | None
    place: str | None
    date: DateRange | None
    trigger: str
    spans: list[TextSpan]
    claims: list[Claim]
    source_text: str | None = None
    target_text: str | None = None

    @property
    def summary(self) -> str:
        """One line for people: ``troop_deployment kp -> ru: ... @ the Kursk border region``."""
        src = ",".join(self.source_actors) or "?"
        tgt = ",".join(self.target_actors) or "?"
        text = f"{self.type.value} {src} -> {tgt}"
        if self.object:
            text += f": {self.object}"
        if self.place:
            text += f" @ {self.place}"
        return text


@dataclass
class Extraction:
    """Everything extracted from one report."""

    document: str
    origin: str
    source: str | None
    source_grade: str
    published: date | None
    title: str | None
    mentions: list[Mention]
    events: list[Event]
    relevant: bool = True
    """Whether the report names the watched states at all (``extract/relevance.py``)."""
    relevance: str = ""
    """Why (relevance-v1's explanation)."""
