"""Entity schemata: FollowTheMoney decides which can match; COUNTRY is never a listed schema."""

from __future__ import annotations

from watchfloor.model.schema import LISTED_SCHEMAS, Schema, can_match, ftm_schema_name


def test_ftm_decides_which_schemata_can_match() -> None:
    assert can_match(Schema.COMPANY, Schema.LEGAL_ENTITY)
    assert can_match(Schema.VESSEL, Schema.VESSEL)
    assert not can_match(Schema.VESSEL, Schema.PERSON)
    assert not can_match(Schema.PERSON, Schema.COMPANY)


def test_country_is_a_graph_schema_exported_as_a_public_body() -> None:
    assert Schema.COUNTRY not in LISTED_SCHEMAS
    assert set(LISTED_SCHEMAS) | {Schema.COUNTRY} == set(Schema)
    assert ftm_schema_name(Schema.COUNTRY) == "PublicBody"
    assert ftm_schema_name(Schema.VESSEL) == "Vessel"
