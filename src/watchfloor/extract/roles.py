"""Event roles on spaCy's dependency parse (roles-dep-v1): who acts and who receives.

For a trigger (a verb such as "shipped" or a noun such as "deployment"), the actor is the
subject of the event's predicate, the possessor or the nationality adjective of a noun trigger
("North Korea's deployment", "Russian deliveries"), or the subject of the verb the predicate
hangs from when it has none of its own ("has continued to send troops", "was accused of
providing shells"). The recipient is the dative
or a "to"/"into" phrase of the predicate ("sent troops to Russia"). Each role is a token range of
the parse; the rule layer reads the actors named in it, and falls back on word order when the
parse gives none. The functions never look further than the sentence.
"""

from __future__ import annotations

from typing import Any

ROLES_VERSION = "roles-dep-v1"

_SUBJECTS = {"nsubj", "csubj"}
_PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
_RECIPIENT_PREPS = {"to", "into", "toward", "towards"}
_CLIMB = {"xcomp", "conj", "advcl", "pcomp", "acl", "relcl", "prep"}
"""Links from a predicate without a subject of its own to the verb whose subject acts."""
_MAX_CLIMB = 3


def predicate(doc: Any, start: int, end: int) -> Any:
    """The head token of the trigger tokens [start, end): the one whose head lies outside them."""
    for token in doc[start:end]:
        if not start <= token.head.i < end or token.head.i == token.i:
            return token
    return doc[start]


def _span(token: Any) -> tuple[int, int]:
    return int(token.left_edge.i), int(token.right_edge.i) + 1


def actor_span(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    """Tokens naming who acts in the event triggered by [start, end), from the parse; None when
    the parse names nobody (the rule layer then reads word order)."""
    head = predicate(doc, start, end)
    if head.pos_ in {"NOUN", "PROPN"}:
        for child in head.children:
            if child.dep_ == "poss" or (child.dep_ in {"amod", "compound"} and child.ent_type_ == "NORP"):
                return _span(child)
            if child.dep_ == "prep" and child.lower_ in {"by", "from"}:
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return _span(objects[0])
        return None
    token = head
    for _ in range(_MAX_CLIMB + 1):
        children = list(token.children)
        for child in children:
            if child.dep_ in _SUBJECTS and child.pos_ != "PRON":
                return _span(child)
            if child.dep_ in _SUBJECTS:
                return None  # a pronoun: the rule layer resolves it
        passive = [c for c in children if c.dep_ in _PASSIVE_SUBJECTS]
        if passive and token is head:
            return None  # "troops are deployed": what is moved, not who acts; word order decides
        if passive:  # "North Korea was accused of providing": the accused acts
            return _span(passive[0])
        if token.dep_ not in _CLIMB or token.head.i == token.i:
            return None
        token = token.head
        if token.dep_ == "prep":  # "accused of providing": over the preposition to its verb
            token = token.head
    return None


def recipient_span(doc: Any, start: int, end: int) -> tuple[int, int] | None:
    """Tokens naming who receives: the dative, or the object of a "to"/"into" phrase of the
    predicate or of its direct object ("sent troops to Russia"); None when the parse has none."""
    head = predicate(doc, start, end)
    places = [head, *(c for c in head.children if c.dep_ in {"dobj", "obj"})]
    for token in places:
        for child in token.children:
            if child.dep_ == "dative" and child.pos_ in {"PROPN", "NOUN"}:
                return _span(child)
            if child.dep_ in {"prep", "dative"} and child.lower_ in _RECIPIENT_PREPS:
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects:
                    return _span(objects[0])
    return None


__all__ = ["ROLES_VERSION", "actor_span", "predicate", "recipient_span"]
