"""The rule layer: events and claims from a parsed report (rules-v2).

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

Every event and claim keeps the character span of the sentence it rests on. The rules are split
by role: the per-document indexes in ``rule_base.py``, attribution and claims in
``claim_rules.py``, roles on the dependency parse in ``roles.py``, merging in ``merging.py``; this
module holds the event rules (triggers, roles, object, place, date) and :class:`RuleLayer`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from watchfloor.extract.claim_rules import ClaimRules
from watchfloor.extract.dates import resolve
from watchfloor.extract.matching import PhraseMatcher
from watchfloor.extract.merging import merge_events, merge_into, same_event
from watchfloor.extract.ontology import (
    EventType,
    ObjectFrom,
    ObjectMode,
    Role,
)
from watchfloor.extract.records import DateRange, Event, Mention, TextSpan
from watchfloor.extract.roles import actor_span, predicate, recipient_span
from watchfloor.extract.rule_base import (
    FLAG_WORDS,
    NP_LINKS,
    NP_POS,
    PLACE_TAILS,
    PRONOUNS_PERSON,
    PRONOUNS_SPEAKER,
    PRONOUNS_STATE,
    ROLE_PREPS,
    RULES_VERSION,
    Attribution,
    ReportContext,
)
from watchfloor.extract.vocab import (
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


class _DocRules(ClaimRules):
    """The rules applied to one document: events, over the attribution rules and indexes."""

    def run(self) -> tuple[list[Mention], list[Event]]:
        candidates: list[Event] = []
        sentences = [s for s in self.doc.sents if not s.text.isspace()]
        trailing = [self._trailing_attribution(s) for s in sentences]
        for number, sent in enumerate(sentences):
            quoted = self._quote_attribution(sent, sentences, trailing, number)
            candidates.extend(self._sentence_events(sent, trailing[number] or quoted))
            self._remember(sent)
        return self.mentions(), merge_events(candidates)

    # --- events --------------------------------------------------------------------------------------

    def _triggers(self, sent: Any) -> list[tuple[EventType, Trigger, int, int]]:
        found = []
        for key, start, end in self.layer.trigger_matcher.find(self.view, sent.start, sent.end):
            event_type, trigger = self.layer.triggers[key]
            found.append((event_type, trigger, start, end))
        return found

    def _sentence_events(self, sent: Any, trailing: Attribution | None) -> list[Event]:
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

    def _event(
        self,
        sent: Any,
        event_type: EventType,
        trigger: Trigger,
        start: int,
        end: int,
        attribution: Attribution | None,
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
            while k > clause[0] and doc[k - 1].pos_ in NP_POS | {"PROPN"} | {"PUNCT"} - {"PUNCT"}:
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
                found = self._parsed_role(actor_span(doc, start, end), sent, exclude)
                found = found or self._before(sent, start, exclude, speaker_state)
                if found:
                    return found
            if role is Role.POSSESSOR and start - 2 >= sent.start and doc[start - 1].text in {"'s", "’s"}:
                ent = self.actor_at.get(start - 2)
                actor = self._actor_id(ent) if ent is not None else None
                if actor:
                    return [actor], str(ent.text) if ent is not None else None
            if role is Role.TO:
                found = self._parsed_role(recipient_span(doc, start, end), sent, exclude)
                if found:
                    return found
            if role in {Role.TO, Role.AFTER, Role.BETWEEN}:
                groups = [g for g in self._groups(end, clause[1], exclude) if g.ids]
                for group in groups:
                    prev = doc[group.start - 1].lower_ if group.start > 0 else ""
                    prev2 = doc[group.start - 2].lower_ if group.start > 1 else ""
                    if role is Role.TO and (prev in ROLE_PREPS or (prev2 in ROLE_PREPS and prev == "the")):
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

    def _parsed_role(
        self, span: tuple[int, int] | None, sent: Any, exclude: tuple[int, int] | None
    ) -> tuple[list[str], str] | None:
        """The first actor group named in a role's tokens from the parse (``extract/roles.py``)."""
        if span is None or span[0] < sent.start or span[1] > sent.end:
            return None
        groups = [g for g in self._groups(span[0], span[1], exclude) if g.ids]
        head = predicate(self.doc, span[0], span[1])
        named = [head.i, *(c.i for c in head.children if c.dep_ == "appos")]
        aside = [(c.left_edge.i, c.right_edge.i + 1) for c in head.children if c.dep_ in {"relcl", "acl"}]
        # the group holding the phrase's head, then its apposition ("North Korea's Foreign Minister
        # Choe Son Hui": Choe acts), then one outside its relative clauses ("the
        # government, which Russia courted"), nearest the predicate first
        groups.sort(
            key=lambda g: (
                not any(g.start <= i < g.end for i in named),
                any(a <= g.start < b for a, b in aside),
                -g.start,
            )
        )
        return (groups[0].ids, groups[0].text) if groups else None

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
            if token.pos_ == "PRON" and token.lower_ in PRONOUNS_STATE | PRONOUNS_PERSON | PRONOUNS_SPEAKER:
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
        if k + 1 < limit and doc[k].text == "-" and doc[k + 1].lower_ in FLAG_WORDS:
            k += 2
        for _ in range(3):  # "DPRK oil products tanker"
            if k < limit and doc[k].lower_ in self.layer.ontology.agent_nouns:
                return True
            if k >= limit or doc[k].pos_ not in {"NOUN", "ADJ", "PROPN"} or doc[k].ent_type_:
                return False
            k += 1
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
            while right < sent.end and doc[right].lower_ in PLACE_TAILS:
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
                doc[j].pos_ in NP_POS
                or (doc[j].lower_ in NP_LINKS and j + 1 < sent.end and doc[j + 1].pos_ in NP_POS)
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


__all__ = ["RULES_VERSION", "ReportContext", "RuleLayer", "merge_events", "merge_into", "same_event"]
