"""Attribution rules on one document: who tells each stretch of a sentence, and the claim made.

Speakers from reporting verbs before or after the claim (``X said``, ``according to X``, a quote
with its speaker after it, ``He said`` resolved to the last named speaker), stance from cue words,
hedges and modality (``attribution.py`` reads the dependency parse), credibility-v1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from watchfloor.extract.attribution import ACTUAL, Modality, modality, speaker_of, verb_of
from watchfloor.extract.dates import resolve
from watchfloor.extract.ontology import (
    STANCE_STRENGTH,
    EventType,
)
from watchfloor.extract.records import Claim, DateRange, TextSpan
from watchfloor.extract.rule_base import (
    BE_FORMS,
    BOUNDARY_WORDS,
    CLOSE_QUOTES,
    CREDIBILITY_VERSION,
    NOT_ACCUSED_IN_OBJECT,
    OPEN_QUOTES,
    PRONOUNS_PERSON,
    SPEAKER_POS,
    Attribution,
    DocIndex,
)
from watchfloor.extract.vocab import (
    ACTOR_LABELS,
    Cue,
)
from watchfloor.model.stance import Stance


class ClaimRules(DocIndex):
    """Attribution and claims over a :class:`DocIndex`."""

    def _remember(self, sent: Any) -> None:
        for ent in self._ents_in(sent.start, sent.end):
            if ent.label_ == "PERSON" and ent.ent_id_ in self.gaz.actors:
                self.last_person = ent.ent_id_  # the first person named: usually the subject
                break
        groups = [g for g in self._groups(sent.start, sent.end) if g.ids]
        if groups:
            self.last_group = groups[0]

    def _quote_attribution(
        self, sent: Any, sentences: Sequence[Any], trailing: Sequence[Attribution | None], number: int
    ) -> Attribution | None:
        """A sentence inside a quotation closed later takes the attribution after the quote."""
        region = self.quote_of.get(sent.start) or self.quote_of.get(sent.start + 1)
        if region is None or region[1] < sent.end:
            return None
        for later in range(number + 1, len(sentences)):
            if sentences[later].start <= region[1] < sentences[later].end:
                found = trailing[later]
                if found is not None:
                    quote = self.doc[region[0] + 1 : region[1]].text.strip(" ,")
                    return Attribution(**{**found.__dict__, "statement": quote})
                return None
        return None

    # --- attribution -------------------------------------------------------------------------------

    def _reporting_in(self, sent: Any) -> list[tuple[Cue, int, int]]:
        return [c for c in self.cues["reporting"] if sent.start <= c[1] < sent.end]

    def _speaker_before(self, sent: Any, cue_start: int) -> tuple[int, int] | None:
        """Token range of the noun phrase that says: right before the verb, else at clause start."""
        if cue_start > sent.start and self.doc[cue_start - 1].lower_ in PRONOUNS_PERSON:
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
        while j < cue_start and (self.doc[j].pos_ == "PUNCT" or self.doc[j].lower_ in BOUNDARY_WORDS):
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
        return token.pos_ in SPEAKER_POS

    def _leading_attribution(self, sent: Any, cue: Cue, cue_start: int, cue_end: int) -> Attribution | None:
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
        elif doc[cue_start].tag_ == "VBN" and before & BE_FORMS:
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
        if any(t.text in OPEN_QUOTES | CLOSE_QUOTES for t in tokens):
            return False
        return any(t.pos_ in {"NOUN", "PROPN"} or t.ent_type_ or t.lower_ in PRONOUNS_PERSON for t in tokens)

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
    ) -> Attribution:
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
            while stop < sent.end and doc[stop].lower_ not in BOUNDARY_WORDS:
                stop += 1
            statement = doc[region[1] : stop].text.rstrip(' .,”"')
        return Attribution(
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

    def _reporter(self, stance: Stance, cue_start: int, cue_end: int, region: tuple[int, int]) -> Attribution:
        return Attribution(
            speaker=self.context.source or "the report",
            speaker_actor=None,
            speaker_state=None,
            stance=stance,
            cue_start=cue_start,
            cue_end=cue_end,
            region=region,
            named=False,
        )

    def _trailing_attribution(self, sent: Any) -> Attribution | None:
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

    def _governing(self, sent: Any, trigger_start: int, trailing: Attribution | None) -> Attribution | None:
        """The attribution a trigger falls under: the nearest reporting cue before it, else trailing."""
        before = [c for c in self._reporting_in(sent) if c[2] <= trigger_start]
        for cue, start, end in reversed(before):
            if trailing is not None and start >= trailing.region[0]:
                continue
            found = self._leading_attribution(sent, cue, start, end)
            if found is not None and not found.named and trailing is not None:
                return Attribution(**{**trailing.__dict__, "stance": found.stance})
            if found is not None:
                return found
        if trailing is not None and not trailing.region[0] <= trigger_start < trailing.region[1]:
            return trailing  # "..., X said." and "According to X, ..." govern the whole sentence
        return None

    # --- claims ------------------------------------------------------------------------------------------

    def _claim(
        self,
        sent: Any,
        event_type: EventType,
        start: int,
        end: int,
        clause: tuple[int, int],
        attribution: Attribution | None,
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
                or (cue.stance is Stance.ACCUSES and event_type not in NOT_ACCUSED_IN_OBJECT)
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

    def _modality(self, start: int, attribution: Attribution | None) -> Modality:
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
