"""The rule layer: events and claims from a parsed report (rules-v1).

Transparent rules over spaCy's tokens, tags and entities, driven by the YAML vocabularies:

1. triggers from ``ontology.yaml`` mark candidate events in each sentence;
2. roles (source, target), object, place and date are read around the trigger by the strategies
   the ontology names (``before``, ``to``, ``between`` ...), with pronouns resolved to the last
   actors named and persons standing for their state;
3. each candidate gets a claim: the speaker from a reporting verb (``X said``, ``X told ... that``,
   ``according to X``, a quote's trailing attribution), else the report's source; the stance from
   cue words (denies > accuses > speculates > asserts); hedges lower credibility (credibility-v1);
4. candidates that tell the same event (type, actors, object, place, time) are merged into one
   event with several claims (:func:`merge_events`).

Every event and claim keeps the character span of the sentence it rests on.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from watchfloor.extract.attribution import ACTUAL, Modality, modality, speaker_of, verb_of
from watchfloor.extract.dates import resolve
from watchfloor.extract.event_identity import EventKey, same_event_keys
from watchfloor.extract.matching import PhraseMatcher, TokenView
from watchfloor.extract.ontology import STANCE_STRENGTH, EventType, ObjectFrom, ObjectMode, Role
from watchfloor.extract.records import Claim, DateRange, Event, Mention, TextSpan
from watchfloor.extract.vocab import (
    ACTOR_LABELS,
    Cue,
    Cues,
    Gazetteer,
    Ontology,
    Trigger,
    configured_cues,
    configured_gazetteer,
    configured_ontology,
)
from watchfloor.model.ids import stable_id
from watchfloor.model.stance import Stance

RULES_VERSION = "rules-v2"
CREDIBILITY_VERSION = "credibility-v1"

_BOUNDARY_WORDS = {"without", "while", "whereas", "but", "although", "where", "because"}
_PRONOUNS_STATE = {"it", "its", "they", "their", "them"}
_PRONOUNS_PERSON = {"he", "his", "she", "her", "him"}
_PRONOUNS_SPEAKER = {"we", "our", "us"}
_ROLE_PREPS = {"to", "for", "into", "in", "with", "from", "toward", "towards", "against"}
_NP_POS = {"DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"}
_NP_LINKS = {"of", "and", "about", "on", "-", "or", "than"}
_PLACE_TAILS = {
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
_SPEAKER_POS = {"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART", "PRON", "CCONJ", "PUNCT"}
_BE_FORMS = {"is", "are", "was", "were", "been", "being", "be"}
_FLAG_WORDS = frozenset({"flagged", "owned", "registered", "based", "controlled", "operated"})
_NOT_ACCUSED_IN_OBJECT = frozenset({"countermeasure", "denial", "aid", "consult"})
"""Types whose object may name a wrong without the event being charged as one ("blocking illegal
exchanges" is a countermeasure, not an accusation)."""
_OPEN_QUOTES = {"“", "«", '"'}
_CLOSE_QUOTES = {"”", "»", '"'}


@dataclass(frozen=True)
class ReportContext:
    """What the rule layer needs to know about the report besides its text."""

    document: str
    published: date | None
    source: str | None
    reliability: str = "F"


@dataclass
class _Group:
    """Actors named together ("Pyongyang and Moscow"), with their token range."""

    ids: list[str]
    start: int
    end: int
    text: str


@dataclass
class _Attribution:
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


class RuleLayer:
    """Compiled matchers for the ontology triggers and claim cues, bound to a spaCy vocab."""

    def __init__(
        self,
        vocab: Any,
        ontology: Ontology | None = None,
        cues: Cues | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.ontology = ontology or configured_ontology()
        self.cues = cues or configured_cues()
        self.gazetteer = gazetteer or configured_gazetteer()
        self.triggers: dict[str, tuple[EventType, Trigger]] = {}
        self.trigger_matcher = PhraseMatcher()
        for rule in self.ontology.rules.values():
            for number, trigger in enumerate(rule.triggers):
                key = f"{rule.type.value}#{number}"
                self.triggers[key] = (rule.type, trigger)
                self.trigger_matcher.add(key, trigger.pattern)
        self.cue_index: dict[str, Cue] = {}
        self.cue_matchers: dict[str, PhraseMatcher] = {}
        for kind, group in (
            ("reporting", self.cues.reporting),
            ("stance", self.cues.stance),
            ("hedge", self.cues.hedges),
        ):
            matcher = PhraseMatcher()
            for number, cue in enumerate(group):
                key = f"{kind}#{number}"
                self.cue_index[key] = cue
                matcher.add(key, cue.pattern)
            self.cue_matchers[kind] = matcher

    def extract(self, doc: Any, context: ReportContext) -> tuple[list[Mention], list[Event]]:
        """Mentions and (merged) events of one parsed report."""
        return _DocRules(self, doc, context).run()


class _DocRules:
    """The rules applied to one document (holds per-document indexes)."""

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
        self._group_cache: dict[tuple[int, int, tuple[int, int] | None], list[_Group]] = {}
        self.cues: dict[str, list[tuple[Cue, int, int]]] = {}
        for kind, matcher in layer.cue_matchers.items():
            found = [(layer.cue_index[key], s, e) for key, s, e in matcher.find(self.view, 0, len(doc))]
            self.cues[kind] = sorted(found, key=lambda item: (item[1], -item[2]))
        self.quote_of = self._quote_regions()
        self.last_person: str | None = None
        self.named_speakers: list[tuple[int, str, str | None, str | None]] = self._named_speakers()
        self.named_starts = [item[0] for item in self.named_speakers]
        self.last_group: _Group | None = None
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

    def _groups(self, start: int, end: int, exclude: tuple[int, int] | None = None) -> list[_Group]:
        """Actor groups in tokens [start, end): mentions joined by and/commas count as one group."""
        key = (start, end, exclude)
        cached = self._group_cache.get(key)
        if cached is not None:
            return [_Group(list(g.ids), g.start, g.end, g.text) for g in cached]
        groups: list[_Group] = []
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
                groups.append(_Group([actor] if actor else [], ent.start, ent.end, ent.text))
        self._group_cache[key] = groups
        return [_Group(list(g.ids), g.start, g.end, g.text) for g in groups]

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
        if low in _PRONOUNS_SPEAKER:
            return [speaker_state] if speaker_state else None
        if low in _PRONOUNS_PERSON and self.last_person:
            state = self.gaz.state_of(self.last_person)
            return [state] if state else None
        if low in _PRONOUNS_STATE:
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
        if not any(q in text for q in _OPEN_QUOTES | _CLOSE_QUOTES):
            return regions
        open_at: int | None = None
        lower, ws = self.view.lower, self.view.space_after
        for i, word in enumerate(lower):
            if "\n" in word and not word.strip():
                open_at = None
            elif word in _OPEN_QUOTES and open_at is None and (word != '"' or not ws[i]):
                open_at = i
            elif word in _CLOSE_QUOTES and open_at is not None:
                for k in range(open_at, i + 1):
                    regions[k] = (open_at, i)
                open_at = None
        return regions

    def run(self) -> tuple[list[Mention], list[Event]]:
        candidates: list[Event] = []
        sentences = [s for s in self.doc.sents if not s.text.isspace()]
        trailing = [self._trailing_attribution(s) for s in sentences]
        for number, sent in enumerate(sentences):
            quoted = self._quote_attribution(sent, sentences, trailing, number)
            candidates.extend(self._sentence_events(sent, trailing[number] or quoted))
            self._remember(sent)
        return self.mentions(), merge_events(candidates)

    def _remember(self, sent: Any) -> None:
        for ent in self._ents_in(sent.start, sent.end):
            if ent.label_ == "PERSON" and ent.ent_id_ in self.gaz.actors:
                self.last_person = ent.ent_id_  # the first person named: usually the subject
                break
        groups = [g for g in self._groups(sent.start, sent.end) if g.ids]
        if groups:
            self.last_group = groups[0]

    def _quote_attribution(
        self, sent: Any, sentences: Sequence[Any], trailing: Sequence[_Attribution | None], number: int
    ) -> _Attribution | None:
        """A sentence inside a quotation closed later takes the attribution after the quote."""
        region = self.quote_of.get(sent.start) or self.quote_of.get(sent.start + 1)
        if region is None or region[1] < sent.end:
            return None
        for later in range(number + 1, len(sentences)):
            if sentences[later].start <= region[1] < sentences[later].end:
                found = trailing[later]
                if found is not None:
                    quote = self.doc[region[0] + 1 : region[1]].text.strip(" ,")
                    return _Attribution(**{**found.__dict__, "statement": quote})
                return None
        return None

    # --- attribution -------------------------------------------------------------------------------

    def _reporting_in(self, sent: Any) -> list[tuple[Cue, int, int]]:
        return [c for c in self.cues["reporting"] if sent.start <= c[1] < sent.end]

    def _speaker_before(self, sent: Any, cue_start: int) -> tuple[int, int] | None:
        """Token range of the noun phrase that says: right before the verb, else at clause start."""
        if cue_start > sent.start and self.doc[cue_start - 1].lower_ in _PRONOUNS_PERSON:
            return cue_start - 1, cue_start
        i = cue_start - 1
        while i >= sent.start and (
            (self.doc[i].pos_ in {"AUX", "ADV"} and self.doc[i].ent_type_ not in ACTOR_LABELS)
            or self.doc[i].ent_type_ == "DATE"
        ):
            i -= 1
        end = i + 1
        while i >= sent.start and self._speakerish(self.doc[i]):
            i -= 1
        start = i + 1
        while start < end and self.doc[start].pos_ in {"PUNCT", "CCONJ"}:
            start += 1
        has_noun = any(t.pos_ in {"NOUN", "PROPN"} or t.ent_type_ for t in self.doc[start:end])
        if start < end and has_noun and (i < sent.start or self.doc[i].pos_ != "ADP"):
            return start, end
        # the verb is far from its subject ("X in calls with Y on Monday shared ..."): clause start
        j = sent.start
        while j < cue_start and (self.doc[j].pos_ == "PUNCT" or self.doc[j].lower_ in _BOUNDARY_WORDS):
            j += 1
        k = j
        while (
            k < cue_start
            and self._speakerish(self.doc[k])
            and self.doc[k].pos_ not in {"PUNCT"}
            and self.doc[k].ent_type_ != "DATE"
        ):
            k += 1
        if k > j and any(t.pos_ in {"NOUN", "PROPN"} for t in self.doc[j:k]):
            return j, k
        return None

    def _speakerish(self, token: Any) -> bool:
        if token.ent_type_ in ACTOR_LABELS or token.ent_type_ == "NORP":
            return True
        if token.pos_ == "PUNCT":
            return token.text in {"-", "’s", "'s"}
        if token.pos_ == "PRON":
            return token.lower_ in {"its", "their", "his", "her", "our"}
        return token.pos_ in _SPEAKER_POS

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
        if len(span) == 1 and span[0].lower_ in _PRONOUNS_PERSON:
            named = self._last_speaker(start)  # "He said ...": the last person named as speaking
            if named is not None:
                _at, name, actor, state = named
                text = f"{text} ({self.gaz.actors[actor].name if actor else name})"
            elif self.last_person:
                actor = self.last_person
                state = self.gaz.state_of(actor)
                text = f"{text} ({self.gaz.actors[actor].name})"
        return text, actor, state

    def _leading_attribution(self, sent: Any, cue: Cue, cue_start: int, cue_end: int) -> _Attribution | None:
        doc = self.doc
        assert cue.stance is not None
        speaker_span: tuple[int, int] | None = None
        verb = verb_of(doc[cue_start:cue_end])
        parsed = speaker_of(verb) if verb is not None else None
        if parsed is not None and parsed.how == "passive-unnamed":
            # "X has been accused of ...": X is the accused, and nobody is named as accusing
            return self._reporter(cue.stance, cue_start, cue_end, (cue_start, cue_start))
        if parsed is not None and parsed.span is not None and self._usable_speaker(parsed.span, sent):
            speaker_span = parsed.span
        before = {t.lower_ for t in doc[max(sent.start, cue_start - 3) : cue_start]}
        if speaker_span is not None:
            pass
        elif doc[cue_start].tag_ == "VBN" and before & _BE_FORMS:
            # passive ("X has been accused of ..."): the speaker is the agent after "by", if named
            agents = [
                g
                for g in self._groups(cue_end, min(cue_end + 6, sent.end))
                if doc[g.start - 1].lower_ == "by"
            ]
            if not agents:
                return self._reporter(cue.stance, cue_start, cue_end, (cue_start, cue_start))
            speaker_span = (agents[0].start, agents[0].end)
        elif cue_start > sent.start and doc[cue_start - 1].text == "," and doc[cue_start].tag_ == "VBG":
            groups = [g for g in self._groups(sent.start, cue_start) if g.ids]
            if groups:
                speaker_span = (groups[-1].start, groups[-1].end)
        elif cue_start > sent.start + 1 and doc[cue_start - 1].lower_ == "and":
            earlier = [c for c in self._reporting_in(sent) if c[2] <= cue_start]
            if earlier and earlier[0][1] != cue_start:
                speaker_span = self._speaker_before(sent, earlier[0][1])
        if speaker_span is None:
            speaker_span = self._speaker_before(sent, cue_start)
        if speaker_span is None:
            if cue.stance is Stance.ACCUSES:  # passive accusation: nobody named
                return self._reporter(cue.stance, cue_start, cue_end, (cue_start, cue_end))
            return None
        text, actor, state = self._speaker_record(*speaker_span, sent)
        end = cue_end
        for k in range(cue_end, min(cue_end + 14, sent.end)):
            if doc[k].lower_ == "that" and doc[k].pos_ == "SCONJ":
                end = k + 1
                break
        if doc[cue_start].lower_ == "told" and cue_end < sent.end and doc[cue_end].pos_ == "NOUN":
            end = max(end, cue_end + 1)
        region = (speaker_span[0], max(end, cue_end))
        return self._attribution(
            text, actor, state, cue.stance, cue_start, cue_end, region, sent, speaker_span
        )

    def _usable_speaker(self, span: tuple[int, int], sent: Any) -> bool:
        """A parsed speaker inside the sentence that names somebody (a noun, a name or a pronoun)."""
        lo, hi = span
        if lo < sent.start or hi > sent.end:
            return False
        tokens = self.doc[lo:hi]
        if any(t.text in _OPEN_QUOTES | _CLOSE_QUOTES for t in tokens):
            return False
        return any(t.pos_ in {"NOUN", "PROPN"} or t.ent_type_ or t.lower_ in _PRONOUNS_PERSON for t in tokens)

    def _attribution(
        self,
        text: str,
        actor: str | None,
        state: str | None,
        stance: Stance,
        cue_start: int,
        cue_end: int,
        region: tuple[int, int],
        sent: Any,
        speaker_span: tuple[int, int],
    ) -> _Attribution:
        doc = self.doc
        audience: list[str] = []
        for ent in self._ents_in(region[0], region[1]):
            if speaker_span[0] <= ent.start < speaker_span[1]:
                continue
            if ent.label_ == "PERSON":
                person = self.gaz.actors.get(ent.ent_id_)
                office = self.gaz.actors.get(person.affiliation or "") if person else None
                audience.append(f"{ent.text} ({office.name})" if office else ent.text)
        if doc[cue_start].lower_ in {"told", "tell", "tells"} and cue_end < sent.end:
            nxt = doc[cue_end]
            if nxt.pos_ == "NOUN" and nxt.ent_type_ == "":
                audience.append(nxt.text)
        basis = doc[cue_start + 1 : cue_end].text if cue_end - cue_start > 1 else None
        when: DateRange | None = None
        for ent in self._ents_in(region[0], region[1]):
            if ent.label_ == "DATE":
                when = resolve(ent.text, self.context.published)
                if when:
                    break
        statement = None
        if region[1] < sent.end and doc[region[1] - 1].lower_ == "that":
            stop = region[1]
            while stop < sent.end and doc[stop].lower_ not in _BOUNDARY_WORDS:
                stop += 1
            statement = doc[region[1] : stop].text.rstrip(' .,”"')
        return _Attribution(
            speaker=text,
            speaker_actor=actor,
            speaker_state=state,
            stance=stance,
            cue_start=cue_start,
            cue_end=cue_end,
            region=region,
            basis=basis,
            audience=audience,
            date=when,
            statement=statement,
        )

    def _reporter(
        self, stance: Stance, cue_start: int, cue_end: int, region: tuple[int, int]
    ) -> _Attribution:
        return _Attribution(
            speaker=self.context.source or "the report",
            speaker_actor=None,
            speaker_state=None,
            stance=stance,
            cue_start=cue_start,
            cue_end=cue_end,
            region=region,
            named=False,
        )

    def _trailing_attribution(self, sent: Any) -> _Attribution | None:
        """``..., X said (in a statement) (on Tuesday).`` after a quote or a comma."""
        doc = self.doc
        for cue, start, end in reversed(self._reporting_in(sent)):
            if cue.stance is not Stance.ASSERTS or start < sent.start + 2:
                continue
            k = start - 1
            while k > sent.start and self._speakerish(doc[k]) and doc[k].text not in {",", "”", '"'}:
                k -= 1
            if doc[k].text not in {",", "”", '"'} or k + 1 >= start:
                continue
            if any(t.lower_ == "that" for t in doc[end : sent.end]):
                continue
            text, actor, state = self._speaker_record(k + 1, start, sent)
            region = (k + 1, sent.end)
            found = self._attribution(
                text, actor, state, cue.stance, start, end, region, sent, (k + 1, start)
            )
            found.statement = doc[sent.start : k].text.strip(' “”",')
            return found
        for i, token in enumerate(sent):
            if token.lower_ == "according" and i + 1 < len(sent) and sent[i + 1].lower_ == "to":
                start = sent.start + i + 2
                end = start
                while end < sent.end and self._speakerish(doc[end]) and doc[end].text != ",":
                    end += 1
                if end > start:
                    text, actor, state = self._speaker_record(start, end, sent)
                    return self._attribution(
                        text,
                        actor,
                        state,
                        Stance.ASSERTS,
                        sent.start + i,
                        end,
                        (sent.start + i, end),
                        sent,
                        (start, end),
                    )
        return None

    def _governing(self, sent: Any, trigger_start: int, trailing: _Attribution | None) -> _Attribution | None:
        """The attribution a trigger falls under: the nearest reporting cue before it, else trailing."""
        before = [c for c in self._reporting_in(sent) if c[2] <= trigger_start]
        for cue, start, end in reversed(before):
            if trailing is not None and start >= trailing.region[0]:
                continue
            found = self._leading_attribution(sent, cue, start, end)
            if found is not None and not found.named and trailing is not None:
                return _Attribution(**{**trailing.__dict__, "stance": found.stance})
            if found is not None:
                return found
        if trailing is not None and not trailing.region[0] <= trigger_start < trailing.region[1]:
            return trailing  # "..., X said." and "According to X, ..." govern the whole sentence
        return None

    # --- events --------------------------------------------------------------------------------------

    def _triggers(self, sent: Any) -> list[tuple[EventType, Trigger, int, int]]:
        found = []
        for key, start, end in self.layer.trigger_matcher.find(self.view, sent.start, sent.end):
            event_type, trigger = self.layer.triggers[key]
            found.append((event_type, trigger, start, end))
        return found

    def _sentence_events(self, sent: Any, trailing: _Attribution | None) -> list[Event]:
        events: list[Event] = []
        denials: list[tuple[int, int, list[str], str]] = []
        for event_type, trigger, start, end in self._triggers(sent):
            attribution = self._governing(sent, start, trailing)
            event = self._event(sent, event_type, trigger, start, end, attribution, denials)
            if event is None:
                continue
            earlier = self.last_event.get(event.type)
            definite = start > sent.start and self.doc[start - 1].lower_ in {"the", "these", "those"}
            if not event.source_actors and definite and earlier is not None:
                # "the troops were moved ...": the definite noun phrase takes up the last such event
                event.source_actors = list(earlier.source_actors)
                event.source_text = earlier.source_text
                event.target_actors = event.target_actors or list(earlier.target_actors)
            if event.source_actors:
                self.last_event[event.type] = event
            events.append(event)
        return events

    def _clause(self, sent: Any, start: int, end: int) -> tuple[int, int]:
        doc = self.doc
        left = start
        while left > sent.start and not self._boundary(doc[left - 1]):
            left -= 1
        if left > sent.start and doc[left - 1].lower_ in _BOUNDARY_WORDS:
            left -= 1  # "without admitting ...": the word belongs to its clause
        right = end
        while right < sent.end and not self._boundary(doc[right]):
            right += 1
        return left, right

    def _boundary(self, token: Any) -> bool:
        return token.text in {",", ";", ":", "—", "–"} or token.lower_ in _BOUNDARY_WORDS

    def _event(
        self,
        sent: Any,
        event_type: EventType,
        trigger: Trigger,
        start: int,
        end: int,
        attribution: _Attribution | None,
        denials: list[tuple[int, int, list[str], str]],
    ) -> Event | None:
        doc = self.doc
        rule = self.layer.ontology.rules[event_type]
        exclude = attribution.region if attribution else None
        clause = self._clause(sent, start, end)
        place, place_state = self._place(sent, start, clause)
        speaker_state = attribution.speaker_state if attribution else None
        sources, source_text = self._role(
            trigger.source, sent, start, end, clause, exclude, place_state, speaker_state
        )
        targets, target_text = self._role(
            trigger.target, sent, start, end, clause, exclude, place_state, speaker_state
        )
        if (
            not sources
            and attribution is not None
            and attribution.speaker_state
            and attribution.named
            and attribution.cue_end <= start
            and (start == attribution.cue_end or doc[attribution.cue_end].lower_ in {"of", "to"})
        ):  # "Yoon raised the possibility of supplying ...": the speaker is the one acting
            sources, source_text = [attribution.speaker_state], attribution.speaker
        passive = end < sent.end and doc[end].lower_ == "by" and doc[end - 1].tag_ == "VBN"
        if passive and event_type is not EventType.DENIAL:
            agents = [g for g in self._groups(end, min(end + 6, sent.end), exclude) if g.ids]
            if agents:  # "missiles supplied by North Korea": the agent follows "by"
                targets, target_text = [t for t in sources if t not in agents[0].ids], source_text
                sources, source_text = agents[0].ids, agents[0].text
        targets = [t for t in targets if t not in sources]
        obj, obj_start, obj_end = self._object(
            rule.object_mode, trigger.object_from, sent, start, end, clause, targets
        )
        if passive and rule.object_mode is not ObjectMode.NONE:
            k = start
            while k > clause[0] and doc[k - 1].pos_ in _NP_POS | {"PROPN"} | {"PUNCT"} - {"PUNCT"}:
                k -= 1
            if k < start:
                obj, obj_start, obj_end = doc[k:start].text, k, start
        if rule.object_terms and not (
            obj and any(w.lower() in rule.object_terms for w in obj.replace("-", " ").split() + obj.split())
        ):
            weapons = [
                e
                for e in self._ents_in(obj_start, max(obj_end, obj_start + 1))
                if e.ent_id_ in self.gaz.actors and self.gaz.actors[e.ent_id_].kind == "weapon"
            ]
            if not weapons:  # a named weapon system ("Pantsir systems") is materiel too
                return None
        if rule.watched_source and sources and not set(sources) & self.layer.ontology.watched:
            if rule.fallback is None:
                return None
            event_type = rule.fallback
            rule = self.layer.ontology.rules[event_type]
        span = TextSpan(sent.start_char, sent.end_char, sent.text)
        claim = self._claim(
            sent,
            event_type,
            start,
            end,
            clause,
            attribution,
            sources,
            source_text,
            denials,
            span,
            (obj_start, obj_end),
        )
        if event_type is EventType.DENIAL:
            denials.append((start, (clause[1] if obj else end), sources, source_text or ""))
        when = self._event_date(sent, clause, exclude, claim.claim_date)
        event_id = stable_id("event", event_type, sorted(sources), sorted(targets), obj, place, span.start)
        return Event(
            id=event_id,
            type=event_type,
            plover=rule.plover,
            source_actors=sources,
            target_actors=targets,
            object=obj,
            place=place,
            date=when,
            trigger=doc[start:end].text,
            spans=[span],
            claims=[claim],
            source_text=source_text,
            target_text=target_text,
        )

    def _role(
        self,
        roles: Iterable[Role],
        sent: Any,
        start: int,
        end: int,
        clause: tuple[int, int],
        exclude: tuple[int, int] | None,
        place_state: str | None,
        speaker_state: str | None,
    ) -> tuple[list[str], str | None]:
        doc = self.doc
        for role in roles:
            if role is Role.PLACE and place_state:
                return [place_state], None
            if role is Role.INSIDE:
                groups = [g for g in self._groups(start, end, exclude) if g.ids]
                if groups:
                    return groups[0].ids, groups[0].text
            if role is Role.BEFORE:
                found = self._before(sent, start, exclude, speaker_state)
                if found:
                    return found
            if role is Role.POSSESSOR and start - 2 >= sent.start and doc[start - 1].text in {"'s", "’s"}:
                ent = self.actor_at.get(start - 2)
                actor = self._actor_id(ent) if ent is not None else None
                if actor:
                    return [actor], str(ent.text) if ent is not None else None
            if role in {Role.TO, Role.AFTER, Role.BETWEEN}:
                groups = [g for g in self._groups(end, clause[1], exclude) if g.ids]
                for group in groups:
                    prev = doc[group.start - 1].lower_ if group.start > 0 else ""
                    prev2 = doc[group.start - 2].lower_ if group.start > 1 else ""
                    if role is Role.TO and (prev in _ROLE_PREPS or (prev2 in _ROLE_PREPS and prev == "the")):
                        return group.ids, group.text
                    if role is Role.BETWEEN and prev == "between" and len(group.ids) > 1:
                        return group.ids, group.text
                    if role is Role.AFTER and prev != "between":
                        return group.ids, group.text
            if role is Role.AFTER_CLAUSE and clause[1] < sent.end:
                groups = [g for g in self._groups(clause[1], sent.end, exclude) if g.ids]
                if groups:
                    return groups[0].ids, groups[0].text
        return [], None

    def _before(
        self, sent: Any, start: int, exclude: tuple[int, int] | None, speaker_state: str | None
    ) -> tuple[list[str], str] | None:
        doc = self.doc
        adjacent = self.actor_at.get(start - 1)
        if adjacent is not None and self._actor_id(adjacent) and adjacent.label_ == "NORP":
            return [str(self._actor_id(adjacent))], adjacent.text  # "North Korean troop deployments"
        i = start - 1
        while i >= sent.start:
            token = doc[i]
            if exclude and exclude[0] <= i < exclude[1]:
                break
            if token.text == ";":
                break
            ent = self.actor_at.get(i)
            if ent is not None and self._actor_id(ent):
                groups = self._groups(sent.start, ent.end, exclude)
                group = groups[-1] if groups else None
                first = group.start if group else ent.start
                head = doc[first - 1] if first > sent.start else None
                if head is not None and self._object_of(head) and not self._flags_agent(ent.end, sent.end):
                    i = first - 1  # an object of a preposition or verb is not the one acting
                    continue
                if group and group.ids:
                    return group.ids, group.text
            if (
                token.pos_ == "PRON"
                and token.lower_ in _PRONOUNS_STATE | _PRONOUNS_PERSON | _PRONOUNS_SPEAKER
            ):
                resolved = self._pronoun(token, speaker_state)
                if resolved:
                    return resolved, token.text
            i -= 1
        return None

    def _flags_agent(self, end: int, limit: int) -> bool:
        """An actor naming the state of a ship or firm ("owner of DPRK tanker X, which ..."): the
        ship or firm acts, so its state does, even inside a prepositional phrase."""
        doc = self.doc
        k = end
        if k + 1 < limit and doc[k].text == "-" and doc[k + 1].lower_ in _FLAG_WORDS:
            k += 2
        for _ in range(3):  # "DPRK oil products tanker"
            if k < limit and doc[k].lower_ in self.layer.ontology.agent_nouns:
                return True
            if k >= limit or doc[k].pos_ not in {"NOUN", "ADJ", "PROPN"} or doc[k].ent_type_:
                return False
            k += 1
        return False

    def _with_head_noun(self, text: str | None) -> str | None:
        """An actor adjective with the nouns it modifies: "Russian" -> "Russian officials"."""
        if not text:
            return text
        for group in self._groups(0, len(self.doc)):  # cached: one scan per document
            if group.text == text and self.doc[group.end - 1].ent_type_ == "NORP":
                end = group.end
                while end < len(self.doc) and self.doc[end].pos_ == "NOUN":
                    end += 1
                return str(self.doc[group.start : end].text)
        return text

    def _object_of(self, head: Any) -> bool:
        if head.pos_ == "ADP":
            return True
        if head.pos_ == "VERB":
            return not any(s <= head.i < e for _c, s, e in self.cues["reporting"])
        return False

    def _place(self, sent: Any, start: int, clause: tuple[int, int]) -> tuple[str | None, str | None]:
        """The first gazetteer place in the clause (after the trigger first), with its state."""
        doc = self.doc
        ents = [e for e in self._ents_in(sent.start, sent.end) if e.ent_id_ in self.gaz.actors]
        ents = [e for e in ents if self.gaz.actors[e.ent_id_].kind in {"place", "port"}]
        ents.sort(key=lambda e: (e.start < start, abs(e.start - start)))
        for ent in ents:
            if not clause[0] <= ent.start < clause[1] + 8:
                continue
            left, right = ent.start, ent.end
            while right < sent.end and doc[right].lower_ in _PLACE_TAILS:
                right += 1
            if left > sent.start and doc[left - 1].lower_ == "the":
                left -= 1
            return doc[left:right].text, self.gaz.actors[ent.ent_id_].affiliation
        return None, None

    def _object(
        self,
        mode: ObjectMode,
        object_from: ObjectFrom,
        sent: Any,
        start: int,
        end: int,
        clause: tuple[int, int],
        targets: list[str],
    ) -> tuple[str | None, int, int]:
        doc = self.doc
        if mode is ObjectMode.NONE:
            return None, start, start
        i = start
        if object_from is ObjectFrom.AFTER:
            i = end
        elif object_from is ObjectFrom.VERB and doc[start].pos_ in {"VERB", "AUX"}:
            i = start + 1
            while i < end and doc[i].pos_ in {"ADP", "PART", "ADV"}:
                i += 1
        else:
            while i > clause[0] and doc[i - 1].pos_ in {"ADJ"} and doc[i - 1].ent_type_ == "":
                i -= 1
        if i < sent.end and i in self.actor_at and self._actor_id(self.actor_at[i]) in targets:
            i = self.actor_at[i].end
            if i < sent.end and doc[i].lower_ in {"with", "to"}:
                i += 1
        while i < sent.end and doc[i].lower_ == "to" and doc[i].pos_ == "PART":
            i += 1
        if i < sent.end and doc[i].lower_ == "that" and doc[i].pos_ == "SCONJ":
            i += 1  # "denied that Pyongyang had sent troops": the object is the clause
            mode = ObjectMode.CLAUSE
        if mode is ObjectMode.CLAUSE:
            j = clause[1]
            while j > i and doc[j - 1].is_punct:
                j -= 1
            text = doc[i:j].text
        else:
            j = max(i, end if object_from is not ObjectFrom.VERB else i)
            if object_from is ObjectFrom.START:
                j = end
            while j < sent.end and (
                doc[j].pos_ in _NP_POS
                or (doc[j].lower_ in _NP_LINKS and j + 1 < sent.end and doc[j + 1].pos_ in _NP_POS)
            ):
                if doc[j].pos_ == "PART" and doc[j].lower_ not in {"'s", "’s"}:
                    break
                j += 1
            text = doc[i:j].text
        text = text.strip(' ,.“”"').strip()
        return (text or None), i, j

    def _event_date(
        self,
        sent: Any,
        clause: tuple[int, int],
        exclude: tuple[int, int] | None,
        claim_date: DateRange | None,
    ) -> DateRange | None:
        for ent in self._ents_in(sent.start, sent.end):
            if ent.label_ != "DATE" or (exclude and exclude[0] <= ent.start < exclude[1]):
                continue
            if clause[0] <= ent.start < clause[1]:
                found = resolve(ent.text, self.context.published)
                if found:
                    return found
        for token in self.doc[clause[0] : clause[1]]:
            if token.lower_ in {"initially", "earlier", "previously"}:
                return resolve(token.text, self.context.published)
        if claim_date is not None and claim_date.end is not None:
            return DateRange(None, claim_date.end, "", "before")
        return None

    # --- claims ------------------------------------------------------------------------------------------

    def _claim(
        self,
        sent: Any,
        event_type: EventType,
        start: int,
        end: int,
        clause: tuple[int, int],
        attribution: _Attribution | None,
        sources: list[str],
        source_text: str | None,
        denials: list[tuple[int, int, list[str], str]],
        span: TextSpan,
        object_span: tuple[int, int],
    ) -> Claim:
        window_start = clause[0]
        if attribution is not None and attribution.cue_end <= start:
            window_start = max(window_start, attribution.cue_start)
        window_end = clause[1]
        later = [s for _c, s, _e in self.cues["reporting"] if end <= s < window_end]
        if later:
            window_end = later[0]
        window = (window_start, window_end)
        speaker = attribution.speaker if attribution else self.context.source or "the report"
        speaker_actor = attribution.speaker_actor if attribution else None
        speaker_state = attribution.speaker_state if attribution else None
        stance = Stance.ASSERTS
        reasons: list[str] = []
        cue_stance = attribution.stance if attribution else Stance.ASSERTS
        found = [
            (cue, s)
            for cue, s, e in self.cues["stance"]
            if window[0] <= s < window[1]
            and (
                not object_span[0] <= s < object_span[1]
                or start <= s < end  # the trigger's own words ("illicit transfers", "in violation of")
                or (cue.stance is Stance.ACCUSES and event_type not in _NOT_ACCUSED_IN_OBJECT)
            )
        ]
        denier = next((d for d in denials if d[0] < start <= d[1]), None)
        if event_type is EventType.DENIAL:
            stance = Stance.DENIES
            if attribution is None or not attribution.named:
                speaker, speaker_actor, speaker_state = (
                    self._with_head_noun(source_text) or speaker,
                    None,
                    sources[0] if sources else None,
                )
            reasons.append("denial event")
        elif denier is not None:
            stance = Stance.DENIES
            speaker, speaker_actor, speaker_state = denier[3], None, denier[2][0] if denier[2] else None
            reasons.append("inside what is denied")
        elif cue_stance is not Stance.ASSERTS and (attribution is None or attribution.cue_end <= start + 1):
            stance = cue_stance
            reasons.append(
                f"reporting cue {self.doc[attribution.cue_start : attribution.cue_end].text!r}"
                if attribution
                else ""
            )
        if stance is not Stance.DENIES:
            for cue, s in found:
                if stance is not Stance.ASSERTS and cue.stance is not Stance.DENIES:
                    continue  # a reporting cue's own stance (accused, raised suspicions) governs
                if cue.stance and STANCE_STRENGTH[cue.stance] > STANCE_STRENGTH[stance]:
                    stance = cue.stance
                    reasons.append(f"cue {self.doc[s].text!r}")
        told = self._modality(start, attribution)
        if told.kind != "actual" and event_type is not EventType.DENIAL:
            if stance is Stance.ASSERTS:
                stance = Stance.SPECULATES
            reasons.append(f"told as {told.kind} ({told.cue!r})")
        hedges = sorted(
            {self.doc[s:e].text for cue, s, e in self.cues["hedge"] if window[0] <= s < window[1]},
        )
        penalty = sum(cue.penalty for cue, s, e in self.cues["hedge"] if window[0] <= s < window[1])
        base = self.layer.cues.base_credibility[stance]
        credibility = min(5, base + penalty)
        explanation = [f"{CREDIBILITY_VERSION}: base {base} for a claim that {stance.value}"]
        explanation += [f"hedge {h!r}" for h in hedges]
        if penalty:
            explanation.append(f"+{penalty} for hedging, capped at 5 -> {credibility}")
        if attribution is not None and not attribution.named:
            explanation.append("no speaker named: the report's own claim")
        claim_date = attribution.date if attribution and attribution.date else None
        if claim_date is None and self.context.published:
            claim_date = DateRange(self.context.published, self.context.published, "", "report")
        return Claim(
            speaker=speaker,
            speaker_actor=speaker_actor,
            speaker_state=speaker_state,
            stance=stance,
            hedges=hedges,
            credibility=credibility,
            credibility_explanation=[r for r in explanation if r] + [r for r in reasons if r],
            claim_date=claim_date,
            span=span,
            statement=attribution.statement if attribution else None,
            audience=list(attribution.audience) if attribution else [],
            basis=attribution.basis if attribution else None,
            reported_by=self.context.source,
            reliability=self.context.reliability,
            document=self.context.document,
            modality=told.kind if event_type is not EventType.DENIAL else "actual",
        )

    def _modality(self, start: int, attribution: _Attribution | None) -> Modality:
        """Whether the event at ``start`` is told as future or hypothetical (on the parse)."""
        words = self.layer.cues.modality
        if not words:
            return ACTUAL
        stop = verb_of(self.doc[attribution.cue_start : attribution.cue_end]) if attribution else None
        return modality(
            self.doc[start],
            words.get("future", frozenset()),
            words.get("hypothetical", frozenset()),
            words.get("planning", frozenset()),
            stop,
        )


# --- deduplication -----------------------------------------------------------------------------------


def same_event(a: Event, b: Event) -> bool:
    """Whether two candidates tell the same event: the one rule shared with the graph
    (:func:`watchfloor.extract.event_identity.same_event_keys`)."""
    return same_event_keys(_identity(a), _identity(b))


def _identity(event: Event) -> EventKey:
    start, end = (event.date.start, event.date.end) if event.date else (None, None)
    return EventKey.of(
        event.id, event.type.value, event.source_actors, event.target_actors, event.object, event.place,
        start, end,
    )  # fmt: skip


def merge_into(kept: Event, other: Event) -> None:
    """Fold ``other`` into ``kept``: spans and claims added, missing slots filled."""
    for span in other.spans:
        if span not in kept.spans:
            kept.spans.append(span)
    for claim in other.claims:
        duplicate = any(c.speaker == claim.speaker and c.span == claim.span for c in kept.claims)
        if not duplicate:
            kept.claims.append(claim)
    for actor in other.source_actors:
        if actor not in kept.source_actors:
            kept.source_actors.append(actor)
    if not kept.target_actors:
        kept.target_actors, kept.target_text = list(other.target_actors), other.target_text
    kept.place = kept.place or other.place
    kept.object = kept.object or other.object
    if kept.date is None or (kept.date.basis != "text" and other.date and other.date.basis == "text"):
        kept.date = other.date


def merge_events(events: Iterable[Event]) -> list[Event]:
    """Merge candidates that tell the same event (:func:`same_event`), keeping first-seen order."""
    merged: list[Event] = []
    for event in events:
        for kept in merged:
            if same_event(kept, event):
                merge_into(kept, event)
                break
        else:
            merged.append(event)
    return merged
