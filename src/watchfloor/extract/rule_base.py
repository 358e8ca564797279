"""The per-document index the rule layer works on: actors named, groups, pronouns, quotes.

:class:`DocIndex` holds what every rule needs about one parsed report (actor entities and their
groups, speakers named so far, quotation regions, clause edges); the attribution rules
(``claim_rules.py``) and the event rules (``events.py``) build on it. Also the records shared by
them: :class:`ReportContext`, :class:`ActorGroup`, :class:`Attribution`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from watchfloor.extract.attribution import speaker_of, verb_of
from watchfloor.extract.matching import TokenView
from watchfloor.extract.ontology import (
    EventType,
)
from watchfloor.extract.records import DateRange, Event, Mention
from watchfloor.extract.vocab import (
    ACTOR_LABELS,
    Cue,
)
from watchfloor.model.stance import Stance

if TYPE_CHECKING:
    from watchfloor.extract.events import RuleLayer

RULES_VERSION = "rules-v2"
CREDIBILITY_VERSION = "credibility-v1"

BOUNDARY_WORDS = {"without", "while", "whereas", "but", "although", "where", "because"}
PRONOUNS_STATE = {"it", "its", "they", "their", "them"}
PRONOUNS_PERSON = {"he", "his", "she", "her", "him"}
PRONOUNS_SPEAKER = {"we", "our", "us"}
ROLE_PREPS = {"to", "for", "into", "in", "with", "from", "toward", "towards", "against"}
NP_POS = {"DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"}
NP_LINKS = {"of", "and", "about", "on", "-", "or", "than"}
PLACE_TAILS = {
    "border",
    "region",
    "oblast",
    "province",
    "area",
    "front",
    "frontline",
    "city",
    "port",
    "krai",
}
SPEAKER_POS = {"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART", "PRON", "CCONJ", "PUNCT"}
BE_FORMS = {"is", "are", "was", "were", "been", "being", "be"}
FLAG_WORDS = frozenset({"flagged", "owned", "registered", "based", "controlled", "operated"})
NOT_ACCUSED_IN_OBJECT = frozenset({"countermeasure", "denial", "aid", "consult"})
"""Types whose object may name a wrong without the event being charged as one ("blocking illegal
exchanges" is a countermeasure, not an accusation)."""
OPEN_QUOTES = {"“", "«", '"'}
CLOSE_QUOTES = {"”", "»", '"'}


@dataclass(frozen=True)
class ReportContext:
    """What the rule layer needs to know about the report besides its text."""

    document: str
    published: date | None
    source: str | None
    reliability: str = "F"


@dataclass
class ActorGroup:
    """Actors named together ("Pyongyang and Moscow"), with their token range."""

    ids: list[str]
    start: int
    end: int
    text: str


@dataclass
class Attribution:
    """Who says a stretch of a sentence, and where their own words (not the claim) lie."""

    speaker: str
    speaker_actor: str | None
    speaker_state: str | None
    stance: Stance
    cue_start: int
    cue_end: int
    region: tuple[int, int]
    """Token range of the attribution itself (speaker, verb, audience, date): not the claim."""
    named: bool = True
    basis: str | None = None
    audience: list[str] = field(default_factory=list)
    date: DateRange | None = None
    statement: str | None = None


class DocIndex:
    """Per-document indexes shared by the attribution and the event rules."""

    def __init__(self, layer: RuleLayer, doc: Any, context: ReportContext) -> None:
        self.layer = layer
        self.doc = doc
        self.context = context
        self.gaz = layer.gazetteer
        self.view = TokenView(doc)
        self.ents = list(doc.ents)
        self.ent_starts = [ent.start for ent in self.ents]
        self.actor_at: dict[int, Any] = {}
        self.actor_ents: list[Any] = []
        self._actor_ids: dict[int, str | None] = {}
        for ent in self.ents:
            actor = self._actor_id(ent)
            self._actor_ids[ent.start] = actor
            if actor is not None:
                self.actor_ents.append(ent)
                for i in range(ent.start, ent.end):
                    self.actor_at[i] = ent
        self.actor_starts = [ent.start for ent in self.actor_ents]
        self._group_cache: dict[tuple[int, int, tuple[int, int] | None], list[ActorGroup]] = {}
        self._head_nouns: dict[str, str] | None = None
        self.cues: dict[str, list[tuple[Cue, int, int]]] = {}
        for kind, matcher in layer.cue_matchers.items():
            found = [(layer.cue_index[key], s, e) for key, s, e in matcher.find(self.view, 0, len(doc))]
            self.cues[kind] = sorted(found, key=lambda item: (item[1], -item[2]))
        self.quote_of = self._quote_regions()
        self.last_person: str | None = None
        self.named_speakers: list[tuple[int, str, str | None, str | None]] = self._named_speakers()
        self.named_starts = [item[0] for item in self.named_speakers]
        self.last_group: ActorGroup | None = None
        self.last_event: dict[EventType, Event] = {}

    # --- entities and actors -----------------------------------------------------------------

    def _actor_id(self, ent: Any) -> str | None:
        """The actor (state or institution) an entity stands for; None for places and things."""
        if ent.label_ not in ACTOR_LABELS or not ent.ent_id_:
            return None
        actor = self.gaz.actors.get(ent.ent_id_)
        if actor is None or actor.kind in {"place", "port", "weapon", "vessel"}:
            return None
        return self.gaz.state_of(actor.id)

    def _ents_in(self, start: int, end: int) -> list[Any]:
        """Entities starting in tokens [start, end) (doc.ents is rebuilt on every access: read once)."""
        return self.ents[
            bisect.bisect_left(self.ent_starts, start) : bisect.bisect_left(self.ent_starts, end)
        ]

    def mentions(self) -> list[Mention]:
        return [
            Mention(ent.text, ent.label_, ent.start_char, ent.end_char, ent.ent_id_ or None)
            for ent in self.ents
        ]

    def _groups(self, start: int, end: int, exclude: tuple[int, int] | None = None) -> list[ActorGroup]:
        """Actor groups in tokens [start, end): mentions joined by and/commas count as one group."""
        key = (start, end, exclude)
        cached = self._group_cache.get(key)
        if cached is not None:
            return [ActorGroup(list(g.ids), g.start, g.end, g.text) for g in cached]
        groups: list[ActorGroup] = []
        lo = bisect.bisect_left(self.actor_starts, start)
        for ent in self.actor_ents[lo:]:
            if ent.start >= end:
                break
            if exclude and exclude[0] <= ent.start < exclude[1]:
                continue
            actor = self._actor_ids[ent.start]
            if groups and self._joined(groups[-1].end, ent.start):
                group = groups[-1]
                if actor and actor not in group.ids:
                    group.ids.append(actor)
                group.end = ent.end
                group.text = self.doc[group.start : group.end].text
            else:
                groups.append(ActorGroup([actor] if actor else [], ent.start, ent.end, ent.text))
        self._group_cache[key] = groups
        return [ActorGroup(list(g.ids), g.start, g.end, g.text) for g in groups]

    def _joined(self, left_end: int, right_start: int) -> bool:
        if right_start - left_end > 6:
            return False
        view = self.view
        between = [
            view.lower[i]
            for i in range(left_end, right_start)
            if not (view.ent_type[i] == "" and (view.pos[i] == "PROPN" or view.lower[i] == "-"))
        ]
        return between in ([], ["and"], [","], [",", "and"], ["or"])

    def _pronoun(self, token: Any, speaker_state: str | None) -> list[str] | None:
        low = token.lower_
        if low in PRONOUNS_SPEAKER:
            return [speaker_state] if speaker_state else None
        if low in PRONOUNS_PERSON and self.last_person:
            state = self.gaz.state_of(self.last_person)
            return [state] if state else None
        if low in PRONOUNS_STATE:
            groups = self._groups(token.sent.start, token.i)
            if groups and groups[-1].ids:
                return list(groups[-1].ids)
            if self.last_group and self.last_group.ids:
                return list(self.last_group.ids)
        return None

    def _named_speakers(self) -> list[tuple[int, str, str | None, str | None]]:
        """Every named person who speaks, in text order: what a later "He said" refers to."""
        found: list[tuple[int, str, str | None, str | None]] = []
        for _cue, start, end in self.cues["reporting"]:
            verb = verb_of(self.doc[start:end])
            speaker = speaker_of(verb) if verb is not None else None
            if speaker is None or speaker.span is None:
                continue
            lo, hi = speaker.span
            if hi - lo == 1 and self.doc[lo].pos_ == "PRON":
                continue
            if not any(ent.label_ == "PERSON" for ent in self._ents_in(lo, hi)):
                continue
            text, actor, state = self._speaker_record(lo, hi, None)
            found.append((lo, text, actor, state))
        found.sort(key=lambda item: item[0])
        return found

    def _last_speaker(self, before: int) -> tuple[int, str, str | None, str | None] | None:
        at = bisect.bisect_left(self.named_starts, before)
        return self.named_speakers[at - 1] if at else None

    # --- quotes and sentences ------------------------------------------------------------------

    def _quote_regions(self) -> dict[int, tuple[int, int]]:
        """Token index -> (open, close) of the quotation it lies in (never across paragraphs)."""
        regions: dict[int, tuple[int, int]] = {}
        text = self.doc.text
        if not any(q in text for q in OPEN_QUOTES | CLOSE_QUOTES):
            return regions
        open_at: int | None = None
        lower, ws = self.view.lower, self.view.space_after
        for i, word in enumerate(lower):
            if "\n" in word and not word.strip():
                open_at = None
            elif word in OPEN_QUOTES and open_at is None and (word != '"' or not ws[i]):
                open_at = i
            elif word in CLOSE_QUOTES and open_at is not None:
                for k in range(open_at, i + 1):
                    regions[k] = (open_at, i)
                open_at = None
        return regions

    def _clause(self, sent: Any, start: int, end: int) -> tuple[int, int]:
        doc = self.doc
        left = start
        while left > sent.start and not self._boundary(doc[left - 1]):
            left -= 1
        if left > sent.start and doc[left - 1].lower_ in BOUNDARY_WORDS:
            left -= 1  # "without admitting ...": the word belongs to its clause
        right = end
        while right < sent.end and not self._boundary(doc[right]):
            right += 1
        return left, right

    def _boundary(self, token: Any) -> bool:
        return token.text in {",", ";", ":", "—", "–"} or token.lower_ in BOUNDARY_WORDS

    def _with_head_noun(self, text: str | None) -> str | None:
        """An actor adjective with the nouns it modifies: "Russian" -> "Russian officials"."""
        if not text:
            return text
        if self._head_nouns is None:  # one scan per document: every NORP group with its nouns
            self._head_nouns = {}
            for group in self._groups(0, len(self.doc)):
                if group.text not in self._head_nouns and self.doc[group.end - 1].ent_type_ == "NORP":
                    end = group.end
                    while end < len(self.doc) and self.doc[end].pos_ == "NOUN":
                        end += 1
                    self._head_nouns[group.text] = str(self.doc[group.start : end].text)
        return self._head_nouns.get(text, text)

    def _object_of(self, head: Any) -> bool:
        if head.pos_ == "ADP":
            return True
        if head.pos_ == "VERB":
            return not any(s <= head.i < e for _c, s, e in self.cues["reporting"])
        return False

    def _speaker_record(self, start: int, end: int, sent: Any | None) -> tuple[str, str | None, str | None]:
        span = self.doc[start:end]
        text = span.text.strip(" ,")
        actor: str | None = None
        state: str | None = None
        known = [ent.ent_id_ for ent in self._ents_in(start, end) if ent.ent_id_ in self.gaz.actors]
        persons = [k for k in known if self.gaz.actors[k].kind == "person"]
        actor = persons[0] if persons else (known[0] if known else None)
        ids = [g.ids for g in self._groups(start, end)]
        flat = [i for group in ids for i in group]
        if actor is not None:
            state = self.gaz.state_of(actor)
        elif flat:
            state = flat[0]
        if len(span) == 1 and span[0].lower_ in PRONOUNS_PERSON:
            named = self._last_speaker(start)  # "He said ...": the last person named as speaking
            if named is not None:
                _at, name, actor, state = named
                text = f"{text} ({self.gaz.actors[actor].name if actor else name})"
            elif self.last_person:
                actor = self.last_person
                state = self.gaz.state_of(actor)
                text = f"{text} ({self.gaz.actors[actor].name})"
        return text, actor, state
