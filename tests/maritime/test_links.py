"""Sanctions links of vessels: strong on identifiers (also IMOs only written in remarks), weak on name."""

from __future__ import annotations

from watchfloor.maritime.links import VesselListIndex, vessel_links
from watchfloor.model.schema import IdScheme, Schema
from watchfloor.sources.lists.records import Identifier, ListEntry, ListSource


def entry(
    entry_id: str, caption: str, remarks: str | None = None, ids: list[Identifier] | None = None
) -> ListEntry:
    from watchfloor.sources.lists.records import EntryName

    return ListEntry(
        source=ListSource.US_OFAC_SDN,
        entry_id=entry_id,
        schema=Schema.VESSEL,
        caption=caption,
        names=[EntryName(caption)],
        identifiers=ids or [],
        remarks=remarks,
    )


def test_imo_in_remarks_mmsi_and_name_links() -> None:
    index = VesselListIndex.build(
        [
            entry(
                "1",
                "ANGARA",
                remarks="Vessel Registration Identification IMO 9179842; Linked To: M LEASING LLC.",
            ),
            entry("2", "OTHER SHIP", ids=[Identifier(IdScheme.MMSI, "273 610 310")]),
        ]
    )
    same_ship = vessel_links(273000001, {"imo": {"9179842"}, "name": {"ANGARA"}, "call_sign": set()}, index)
    assert [(link.entry_key, link.matched_on, link.strong) for link in same_ship] == [
        ("us_ofac_sdn:1", "imo", True)
    ]
    namesake = vessel_links(273000002, {"imo": {"9999990"}, "name": {"angara"}, "call_sign": set()}, index)
    assert [(link.entry_key, link.matched_on, link.strong) for link in namesake] == [
        ("us_ofac_sdn:1", "name", False)
    ]
    by_mmsi = vessel_links(273610310, None, index)
    assert [(link.entry_key, link.matched_on) for link in by_mmsi] == [("us_ofac_sdn:2", "mmsi")]


def test_real_ofac_list_links_the_four_ships_by_imo(ofac_entries: list[ListEntry]) -> None:
    index = VesselListIndex.build(ofac_entries)
    for imo, caption in (
        ("9179842", "ANGARA"),
        ("9161003", "LADY R"),
        ("9358010", "MAIA-1"),
        ("9743033", "SPARTA IV"),
    ):
        links = vessel_links(1, {"imo": {imo}, "name": set(), "call_sign": set()}, index)
        assert [(link.caption, link.strong) for link in links] == [(caption, True)]
