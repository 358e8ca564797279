"""Scoring (watchfloor-name-v1) on the issue's examples and the reviewer-facing explanation."""

from __future__ import annotations

from watchfloor.model.schema import IdScheme, Schema
from watchfloor.screen import ALGORITHM, DEFAULT_THRESHOLD, Query, ScreenIndex, screen, screen_full
from watchfloor.screen.score import Outcome, PairHow, imo_check
from watchfloor.sources.lists.records import Identifier

KIM_JONG_UN = "us_ofac_sdn:20157"


def test_hangul_query_finds_kim_jong_un_first(full_index: ScreenIndex) -> None:
    matches = screen(Query("김정은"), full_index)
    assert matches[0].key == KIM_JONG_UN
    assert matches[0].match
    name = matches[0].explanation.name
    assert name is not None
    assert {(p.query, p.listed) for p in name.pairs} == {("gim", "kim"), ("jeong", "jong"), ("eun", "un")}
    assert {p.how for p in name.pairs} == {PairHow.SPELLING}


def test_mccune_reischauer_query_finds_kim_jong_un_first(full_index: ScreenIndex) -> None:
    for query in ("Kim Chong-un", "Kim Chŏng-ŭn", "Jong Un Kim", "KIM Jongun"):
        matches = screen(Query(query, schema=Schema.PERSON), full_index)
        assert matches[0].key == KIM_JONG_UN, (query, matches[0].caption)
        assert matches[0].match


def test_kim_jong_nam_with_his_birth_date_is_not_kim_jong_un(full_index: ScreenIndex) -> None:
    matches = screen(Query("Kim Jong Nam", birth_date="1971-05-10"), full_index, limit=50)
    assert not [m for m in matches if m.key == KIM_JONG_UN and m.match]


def test_a_birth_date_conflict_is_explained_and_lowers_the_score(full_index: ScreenIndex) -> None:
    plain = screen(Query("Kim Jong Un"), full_index)[0]
    conflicting = screen(Query("Kim Jong Un", birth_date="1950-03-03"), full_index, limit=30)
    same = next(m for m in conflicting if m.key == plain.key)
    assert same.score < plain.score
    dob = next(f for f in same.explanation.fields if f.field == "birth_date")
    assert dob.outcome is Outcome.CONFLICT
    assert dob.contribution < 0
    assert "1984" in dob.detail


def test_vessel_by_imo_alone_and_invalid_imo_reported(full_index: ScreenIndex) -> None:
    result = screen_full(
        Query(schema=Schema.VESSEL, identifiers=[Identifier(IdScheme.IMO, "9179842")]), full_index
    )
    assert result.matches and result.matches[0].caption == "ANGARA"
    assert result.matches[0].match
    assert result.identifier_checks[0].valid
    wrong = screen_full(
        Query(schema=Schema.VESSEL, identifiers=[Identifier(IdScheme.IMO, "9179843")]), full_index
    )
    assert not wrong.identifier_checks[0].valid
    assert "check digit" in wrong.identifier_checks[0].reason
    assert not any(m.match for m in wrong.matches)


def test_imo_check_digit() -> None:
    assert imo_check("IMO 9179842").valid
    assert not imo_check("9179843").valid
    assert not imo_check("917984").valid


def test_a_person_never_matches_a_vessel(full_index: ScreenIndex) -> None:
    assert screen(Query("Angara", schema=Schema.VESSEL), full_index)[0].schema == "Vessel"
    assert all(m.schema == "Person" for m in screen(Query("Angara", schema=Schema.PERSON), full_index))


def test_cyrillic_and_transliterations_find_the_same_person(full_index: ScreenIndex) -> None:
    for query in ("Сергей Кужугетович Шойгу", "Sergej Shojgu", "Sergei Shoigu", "Shoygu Sergey"):
        top = screen(Query(query, schema=Schema.PERSON), full_index)[0]
        assert "SHOIGU" in top.caption.upper(), (query, top.caption)
        assert top.match, query


def test_explanation_carries_algorithm_threshold_and_summary(full_index: ScreenIndex) -> None:
    top = screen(Query("Vladimir Putin", birth_date="1952-10-07", countries=["Russia"]), full_index)[0]
    assert "PUTIN" in top.caption.upper()
    assert top.explanation.algorithm == ALGORITHM
    assert top.explanation.threshold == DEFAULT_THRESHOLD
    assert top.explanation.summary.startswith("match:")
    assert top.explanation.name is not None and top.explanation.name.unmatched_list in ([], ["vladimirovich"])


def test_typos_reorderings_and_initials(full_index: ScreenIndex) -> None:
    assert screen(Query("Shoigu Sergei"), full_index)[0].match
    assert "SHOIGU" in screen(Query("Sergei Shoygu"), full_index)[0].caption.upper()
    top = screen(Query("S. K. Shoigu", schema=Schema.PERSON), full_index)[0]
    assert "SHOIGU" in top.caption.upper()


def test_an_ordinary_name_raises_no_match(full_index: ScreenIndex) -> None:
    for name in ("Patricia Lucas Wheeler", "Ingeborg Abrahamsen", "김민준"):
        assert not any(m.match for m in screen(Query(name), full_index)), name


def test_a_date_one_slip_away_is_partial_not_conflict(full_index: ScreenIndex) -> None:
    """The UN lists him born 1974-01-31; yente's treated positives shift dates like this."""
    name = "ABDUL ROSYID RIDHO BA'ASYIR"
    exact = next(
        m for m in screen(Query(name, birth_date="1974-01-31"), full_index) if m.key == "un_sc:QDi.305"
    )
    slip = next(
        m for m in screen(Query(name, birth_date="1974-01-30"), full_index) if m.key == "un_sc:QDi.305"
    )
    assert slip.match
    outcome = {f.field: f.outcome for f in slip.explanation.fields}
    assert outcome["birth_date"] is Outcome.PARTIAL
    assert {f.field: f.outcome for f in exact.explanation.fields}["birth_date"] is Outcome.AGREE
    exact_dob = next(f for f in exact.explanation.fields if f.field == "birth_date")
    slip_dob = next(f for f in slip.explanation.fields if f.field == "birth_date")
    assert exact_dob.contribution > slip_dob.contribution == 0.0


def test_nationality_and_gender_conflicts_are_explained(full_index: ScreenIndex) -> None:
    plain = screen(Query("Sergei Kuzhugetovich Shoigu", schema=Schema.PERSON), full_index)[0]
    other = screen(
        Query("Sergei Kuzhugetovich Shoigu", schema=Schema.PERSON, countries=["Brazil"], gender="female"),
        full_index,
        limit=20,
    )
    same = next(m for m in other if m.key == plain.key)
    fields = {f.field: f for f in same.explanation.fields}
    assert fields["country"].outcome is Outcome.CONFLICT
    assert same.score < plain.score


def test_legal_forms_weigh_little_and_numbers_tell_vessels_apart(full_index: ScreenIndex) -> None:
    top = screen(Query("Sakhalin Shipping Company"), full_index)[0]
    assert top.caption == "PUBLIC JOINT STOCK COMPANY SAKHALIN SHIPPING COMPANY" and top.match
    assert screen(Query("PJSC Sakhalin Shipping", schema=Schema.COMPANY), full_index)[0].key == top.key
    sparta = screen(Query("Sparta IV", schema=Schema.VESSEL), full_index)
    assert sparta[0].caption == "SPARTA IV"
    assert not [m for m in sparta if m.caption == "SPARTA II" and m.match]
    # rigour's legal-form table rewrites "Yu" (a Korean surname) for organisations only
    assert screen(Query("Yu Chol U"), full_index)[0].caption == "YU CHOL U"


def test_mmsi_and_passport_numbers_find_their_entries(full_index: ScreenIndex) -> None:
    by_mmsi = screen_full(Query.for_vessel(mmsi="572469210"), full_index)
    assert by_mmsi.identifier_checks[0].valid
    assert by_mmsi.matches[0].caption == "ARTAVIL" and by_mmsi.matches[0].match
    short = screen_full(Query.for_vessel(mmsi="57246921"), full_index)
    assert not short.identifier_checks[0].valid and "9 digits" in short.identifier_checks[0].reason
    passport = [Identifier(IdScheme.PASSPORT, "381420754")]
    by_passport = screen(Query("Paek Chang Ho", schema=Schema.PERSON, identifiers=passport), full_index)
    # the UN lists his passport as a passport, the UK the same number as a national id: both agree
    by_key = {m.key: m for m in by_passport}
    for key in ("un_sc:KPi.006", "gb_uk:DPR0250"):
        fields = {f.field: f for f in by_key[key].explanation.fields}
        assert fields["passport"].outcome is Outcome.AGREE and by_key[key].score >= 0.99
    assert (
        "as national_id"
        in {f.field: f for f in by_key["gb_uk:DPR0250"].explanation.fields}["passport"].detail
    )
