"""Resolution: one entity per real-world actor, every merge with its evidence, merges undoable."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.assess.evidence_builder import EvidenceBuilder
from watchfloor.assess.review import Decision, audit_log, review
from watchfloor.graph.resolve import list_merges, resolve, root_of
from watchfloor.model.ids import stable_id
from watchfloor.service.screening import index_from_store
from watchfloor.store import Store
from watchfloor.store.models import Entity, Mention, Provenance

TEXT = (
    "Pyongyang denied the report. North Korea has shipped shells to Russia aboard the Angara, "
    "officials said, and Kim Jong Un inspected the port."
)


def _mention(session: Session, doc: str, text: str, label: str) -> Mention:
    start = TEXT.index(text)
    row = Mention(
        id=stable_id("mention", doc, start),
        document_id=doc,
        entity_id=None,
        label=label,
        text=text,
        start=start,
        end=start + len(text),
    )
    session.add(row)
    session.flush()
    return row


def _ais(builder: EvidenceBuilder) -> None:
    builder.port_visit(
        273610310,
        "ANGARA",
        "dunai",
        datetime(2024, 10, 1, tzinfo=UTC),
        imo=9179842,
        list_entries=["us_ofac_sdn:37059"],
    )
    # SPARTA IV: no list link from the maritime linker, found by IMO in the screening index.
    builder.port_visit(273445890, "SPARTA IV", "vostochny", datetime(2024, 10, 1, tzinfo=UTC), imo=9743033)


def test_vessels_states_and_people_resolve_with_evidence(listed_store: Store) -> None:
    index = index_from_store(listed_store)
    with listed_store.session() as session:
        builder = EvidenceBuilder(session)
        doc = builder.document(TEXT, date(2024, 10, 2), "Reuters")
        _ais(builder)
        for text, label in (
            ("Pyongyang", "GPE"),
            ("North Korea", "GPE"),
            ("Angara", "VESSEL"),
            ("Kim Jong Un", "PERSON"),
        ):
            _mention(session, doc, text, label)
        report = resolve(session, index)
        assert report.merges_made >= 3
        mentions = {m.text: m for m in session.scalars(select(Mention))}
        # "Pyongyang" and "North Korea" are one state actor.
        assert mentions["Pyongyang"].entity_id == mentions["North Korea"].entity_id
        state = session.get(Entity, mentions["Pyongyang"].entity_id)
        assert state is not None and state.schema == "Country" and state.country == "kp"
        # The AIS vessel, the list entry and the vessel named in the report are one vessel.
        angara_list = stable_id("ent", "list", "us_ofac_sdn:37059")
        ais_angara = stable_id("ent", "vessel", "mmsi", 273610310)
        assert root_of(session, ais_angara) == angara_list
        assert root_of(session, mentions["Angara"].entity_id) == angara_list  # type: ignore[arg-type]
        sparta_ais = stable_id("ent", "vessel", "mmsi", 273445890)
        assert root_of(session, sparta_ais) == stable_id("ent", "list", "us_ofac_sdn:37029")
        # The person named in the report is the listed person.
        assert root_of(session, mentions["Kim Jong Un"].entity_id) == stable_id(  # type: ignore[arg-type]
            "ent", "list", "us_ofac_sdn:20157"
        )
        merges = {m.entity_id: m for m in list_merges(session)}
        angara = merges[ais_angara]
        assert "us_ofac_sdn:37059" in {e.list_entry_key for e in angara.evidence}
        assert any(e.kind == "ais" for e in angara.evidence)
        assert not merges[mentions["Angara"].entity_id].strong  # type: ignore[index]  # name only: weak
        rows = session.scalars(select(Provenance).where(Provenance.subject_kind == "merge")).all()
        assert {r.kind for r in rows} >= {"ais", "list_entry", "document_span"}
        # Resolving again changes nothing.
        again = resolve(session, index)
        assert (again.entities_created, again.merges_made) == (0, 0)


def test_an_undone_merge_stays_undone(listed_store: Store) -> None:
    with listed_store.session() as session:
        _ais(EvidenceBuilder(session))
        resolve(session)
        ais_angara = stable_id("ent", "vessel", "mmsi", 273610310)
        assert session.get(Entity, ais_angara).merged_into is not None  # type: ignore[union-attr]
        outcome = review(session, ais_angara, Decision.REJECT, "different hull: MMSI reused", "analyst-3")
        assert outcome.subject_kind == "merge"
        entity = session.get(Entity, ais_angara)
        assert entity is not None and entity.merged_into is None
        resolve(session)
        assert session.get(Entity, ais_angara).merged_into is None  # type: ignore[union-attr]
        (entry,) = audit_log(session, ais_angara)
        assert (entry.subject_kind, entry.decision, entry.analyst) == ("merge", "reject", "analyst-3")
        assert list_merges(session, include_undone=True)[0].entity_id == ais_angara


def test_a_surname_is_the_one_full_name_of_the_same_report(store: Store) -> None:
    text = "White House spokesperson John Kirby said on Friday. Kirby released images of the port."
    with store.session() as session:
        doc = EvidenceBuilder(session).document(text, date(2023, 10, 13), "Reuters")
        rows = []
        for name in ("John Kirby", "Kirby"):
            start = text.rindex(name) if name == "Kirby" else text.index(name)
            row = Mention(
                id=stable_id("mention", doc, start),
                document_id=doc,
                entity_id=None,
                label="PERSON",
                text=name,
                start=start,
                end=start + len(name),
            )
            session.add(row)
            rows.append(row)
        session.flush()
        resolve(session)
        full, short = rows
        assert root_of(session, short.entity_id) == full.entity_id  # type: ignore[arg-type]
        (view,) = [m for m in list_merges(session) if m.entity_id == short.entity_id]
        assert not view.strong and "same report" in view.rule


def test_screening_is_needed_only_for_new_names_or_vessels(store: Store) -> None:
    from watchfloor.graph.resolve import needs_screening

    with store.session() as session:
        builder = EvidenceBuilder(session)
        doc = builder.document(TEXT, date(2024, 10, 2), "Reuters")
        assert not needs_screening(session)
        _mention(session, doc, "Kim Jong Un", "PERSON")
        assert needs_screening(session)
        resolve(session)
        assert not needs_screening(session)
        _ais(builder)
        assert needs_screening(session)
        resolve(session)
        assert not needs_screening(session)
