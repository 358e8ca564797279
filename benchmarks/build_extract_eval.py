"""Build benchmarks/data/extract_eval.jsonl: real texts with hand-annotated findings (character spans).

Texts (only real text that is in ../shared/data, nothing written for the purpose):
- the founding AP report (``reports/ap_2024-10-29_dprk_troops_kursk.txt``), referenced by path;
- narrative summaries (``COMMENTS1``) of DPRK (1718 Committee) entries of the official UN Security
  Council Consolidated List (``sanctions/un/UN_consolidated_2026-02-27.xml``), copied with their
  reference number (UN public information, freely reusable with attribution).

The findings below were annotated by hand, by reading each text (2026-12-03), before looking at
what the extractor finds; each is a quote of the text (a sentence or clause), the event types
that describe it, and the acting and receiving state where the text names one. Quotes are turned
into character spans here and checked (``text[start:end] == quote``). On a second reading, after
the first run had flagged them, the UN Committee's own designations ("was designated by the
Committee in April 2009") were added as ``countermeasure`` findings: they are designations, which
the ontology counts. No other finding was added or changed after seeing the extractor's output.
The set was then used to write the cue words of the weak event types, so it is a development
set: its figures show coverage of these phrasings, not performance on unseen text.

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/build_extract_eval.py``
"""

# ruff: noqa: E501 - the annotated quotes are kept whole, one per line, to be read against the texts
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"
UN = SHARED / "sanctions" / "un" / "UN_consolidated_2026-02-27.xml"
FOUNDING = "reports/ap_2024-10-29_dprk_troops_kursk.txt"
OUT = ROOT / "benchmarks" / "data" / "extract_eval.jsonl"

F = tuple[str, list[str], str | None, str | None]
"""(quote, acceptable types, actor, recipient)"""

FOUNDING_FINDINGS: list[F] = [
    (
        "Russia may offer technology in return that could advance the threat posed by North Korea’s nuclear weapons and missile program",
        ["technology_transfer"],
        "ru",
        "kp",
    ),
    (
        "some of the North Korean soldiers have already moved closer to Ukraine and were believed to be heading for the Kursk border region",
        ["troop_deployment"],
        "kp",
        "ru",
    ),
    ("Russia has been struggling to push back a Ukrainian incursion", ["assault"], "ua", None),
    (
        "South Korean President Yoon Suk Yeol in telephone calls with European Union Commission President Ursula von der Leyen and NATO Secretary-General Mark Rutte",
        ["consult"],
        "kr",
        None,
    ),
    ("North Korean troops could be deployed to battlefronts", ["troop_deployment"], "kp", None),
    (
        "He called for closer coordination with European governments aimed at “monitoring and blocking “illegal exchanges between Pyongyang and Moscow",
        ["countermeasure"],
        "kr",
        None,
    ),
    ("their military cooperation conforms with international law", ["military_cooperation"], "kp", None),
    ("After initially denying the claims about North Korean troop deployments", ["denial"], "kp", None),
    (
        "North Korea has also been accused of providing millions of artillery shells and other military equipment to Russia",
        ["arms_transfer"],
        "kp",
        "ru",
    ),
    (
        "Russia's procurement of North Korean personnel and supplies",
        ["arms_transfer", "troop_deployment"],
        "kp",
        "ru",
    ),
    (
        "Moscow is helping Pyongyang to evade sanctions and unlawfully finance its weapons program",
        ["sanctions_evasion"],
        "ru",
        "kp",
    ),
    ("The illegal military collusion between Russia and North Korea", ["military_cooperation"], "ru", None),
    (
        "We must thoroughly examine all possibilities and prepare countermeasures",
        ["countermeasure"],
        "kr",
        None,
    ),
    (
        "Yoon last week raised the possibility of supplying Ukraine with weapons",
        ["countermeasure", "arms_transfer"],
        "kr",
        "ua",
    ),
    ("Seoul is preparing countermeasures that could be rolled out in stages", ["countermeasure"], "kr", None),
    (
        "South Korea, a growing arms exporter, has provided humanitarian aid and other non-lethal support to Ukraine",
        ["aid"],
        "kr",
        "ua",
    ),
    ("joined U.S.-led economic sanctions against Moscow", ["countermeasure"], "kr", "ru"),
]

SE = ["sanctions_evasion"]
PORT = ["port_call", "sanctions_evasion"]
TECH = ["technology_transfer"]
ARMS = ["arms_transfer"]
DESIGNATION = ["countermeasure"]

UN_FINDINGS: dict[str, list[F]] = {
    "KPe.004": [
        (
            "Namchongang has been involved in the procurement of Japanese origin vacuum pumps that were identified at a DPRK nuclear facility",
            TECH,
            None,
            "kp",
        ),
        (
            "It has further been involved in the purchase of aluminum tubes and other equipment specifically suitable for a uranium enrichment program",
            TECH,
            None,
            "kp",
        ),
    ],
    "KPe.005": [
        (
            "Hong Kong Electronics has transferred millions of dollars of proliferation-related funds",
            SE,
            None,
            None,
        ),
        (
            "Hong Kong Electronics has facilitated the movement of money from Iran to the DPRK on behalf of KOMID",
            SE,
            None,
            "kp",
        ),
        ("both designated by the Committee in April 2009", DESIGNATION, None, None),
    ],
    "KPe.007": [
        (
            "The GBAE has held nuclear-related meetings and discussions with the International Atomic Energy Agency",
            ["consult"],
            None,
            None,
        )
    ],
    "KPe.008": [
        (
            "primarily responsible for the procurement of commodities and technologies to support DPRK’s defense research and development programs",
            TECH,
            None,
            "kp",
        )
    ],
    "KPe.009": [
        (
            "has also been involved in ballistic missile transactions from KOMID to Iran’s Shahid Hemmat Industrial Group (SHIG)",
            ARMS,
            None,
            "ir",
        ),
        ("Tanchon Commercial Bank was designated by the Committee in April 2009", DESIGNATION, None, None),
        ("KOMID was designated by the Committee in April 2009", DESIGNATION, None, None),
        ("The Security Council designated SHIG in resolution 1737 (2006)", DESIGNATION, None, None),
    ],
    "KPe.011": [
        (
            "We suspect it has been involved in supplying missile-related goods to Iran’s Shahid Hemmat Industrial Group (SHIG)",
            ARMS,
            None,
            "ir",
        ),
        (
            "Heungjin has been used to procure an advanced digital controller with applications in missile design",
            TECH,
            None,
            None,
        ),
        ("KOMID was designated by the Committee in April 2009", DESIGNATION, None, None),
        ("The Security Council designated SHIG in resolution 1737 (2006)", DESIGNATION, None, None),
    ],
    "KPe.013": [
        (
            "Bank of East Land has actively worked with Green Pine to transfer funds in a manner that circumvents sanctions",
            SE,
            None,
            None,
        ),
        ("The Security Council designated Bank Sepah in resolution 1747 (2007)", DESIGNATION, None, None),
        ("Green Pine was designated by the Committee in April 2012", DESIGNATION, None, None),
    ],
    "KPe.018": [
        (
            "uses a number of subordinate organizations to obtain technology, equipment, and information from overseas",
            TECH,
            None,
            "kp",
        ),
        ("Tangun Trading Corporation was designated by the Committee in July 2009", DESIGNATION, None, None),
    ],
    "KPe.020": [
        (
            "It played a key role in arranging the shipment of concealed cargo of arms and related materiel from Cuba to the DPRK in July 2013",
            ARMS,
            None,
            "kp",
        ),
        ("contributed to the evasion of the measures imposed by these resolutions", SE, None, None),
    ],
    "KPe.022": [
        (
            "attempted to directly import the illicit shipment of conventional weapons and arms to the DPRK in July 2013",
            ARMS,
            None,
            "kp",
        )
    ],
    "KPe.034": [("Ilsim International Bank has attempted to evade United Nations sanctions", SE, None, None)],
    "KPe.043": [
        (
            "The Kangbong Trading Corporation sold, supplied, transferred, or purchased, directly or indirectly, to or from the DPRK, metal, graphite, coal, or software",
            SE,
            None,
            None,
        )
    ],
    "KPe.050": [
        (
            "engaged in, facilitated, or was responsible for the exportation of workers from the DPRK to other nations",
            SE,
            "kp",
            None,
        )
    ],
    "KPe.055": [("a cargo ship that loaded DPRK coal at Najin, DPRK on 24 September 2017", PORT, None, None)],
    "KPe.056": [
        (
            "a DPRK-flagged vessel that conducted ship-to-ship transfer of fuel in late December 2017",
            SE,
            "kp",
            None,
        )
    ],
    "KPe.057": [
        ("which was involved in ship-to-ship transfer operations for oil in mid-January 2018", SE, "kp", None)
    ],
    "KPe.058": [
        ("believed to have been involved in ship-to-ship transfer operations for oil", SE, "kp", None)
    ],
    "KPe.059": [
        (
            "was instructed on 19 October 2017 by Huaxin Shipping to make preparations for entry into Nampo, DPRK to receive a shipment of coal bound for Vietnam",
            PORT,
            None,
            None,
        ),
        (
            "The master of the vessel was instructed to cover the ship’s name and other markings using canvas while in port at Nampo",
            PORT,
            None,
            None,
        ),
    ],
    "KPe.060": [
        (
            "attempted to engage in an oil deal valued at over $1 million with a petroleum company in a third country to illicitly transfer to the DPRK",
            SE,
            None,
            "kp",
        )
    ],
    "KPe.061": [
        (
            "DPRK-flagged CHON MA SAN prepared for likely ship-to-ship transfer operations in late January 2018",
            SE,
            "kp",
            None,
        ),
        ("the vessel was avoiding a storm in advance of a ship-to-ship transfer", SE, "kp", None),
        ("better suited to conduct ship-to-ship transfers in a storm", SE, "kp", None),
        (
            "the YU JONG 2 loaded 1,168 kiloliters of fuel oil on 19 November 2017 through a ship-to-ship transfer operation",
            SE,
            "kp",
            None,
        ),
    ],
    "KPe.062": [
        ("believed to have been involved in ship-to-ship transfer operations for oil", SE, "kp", None)
    ],
    "KPe.063": [
        ("the YU PHYONG 5 conducted a ship-to-ship transfer of 1,721 metric tons of fuel oil", SE, None, None)
    ],
    "KPe.064": [
        (
            "Both vessels are believed to have imported refined petroleum to DPRK in violation of UN sanctions in late January 2018",
            SE,
            None,
            "kp",
        )
    ],
    "KPe.065": [
        (
            "A DPRK-flagged tanker, SAM MA 2 owned by Korea Samma Shipping Company, conducted a ship-to-ship transfer of oil and fabricated documents in mid-October 2017",
            SE,
            "kp",
            None,
        )
    ],
    "KPe.066": [
        (
            "which loaded 1,168 kiloliters of fuel oil on 19 November 2017 through a ship-to-ship transfer operation",
            SE,
            "kp",
            None,
        )
    ],
    "KPe.067": [
        (
            "which conducted ship-to-ship transfers of likely petroleum product to the DPRK-flagged KUM UN SAN 3 on 9 December 2017",
            SE,
            None,
            "kp",
        )
    ],
    "KPe.068": [
        (
            "which is believed to have been involved in ship-to-ship transfer operations for oil",
            SE,
            "kp",
            None,
        )
    ],
    "KPe.069": [
        ("which was involved in ship-to-ship transfer operations for oil in mid-January 2018", SE, "kp", None)
    ],
    "KPe.070": [
        (
            "which is believed to have been involved in ship-to-ship transfer operations of oil in late January 2018",
            SE,
            "kp",
            None,
        )
    ],
    "KPe.071": [("involved in illicit transfers of DPRK coal", SE, None, None)],
    "KPe.072": [
        (
            "a vessel that loaded coal at Hamhung, DPRK, on 11 July 2017 for export in violation of UN sanctions",
            PORT,
            None,
            None,
        )
    ],
    "KPe.073": [
        ("The HAO FAN 6 loaded coal at Nampo, DPRK, on 27 August 2017", PORT, None, None),
        ("HAO FAN 2 loaded DPRK coal at Nampo, DPRK, on 3 June 2017", PORT, None, None),
    ],
    "KPe.074": [("a vessel that on loaded coal at Taean, DPRK, on 27 October 2017", PORT, None, None)],
    "KPe.075": [("which conducted ship-to-ship transfer of refined petroleum product", SE, None, None)],
    "KPi.019": [
        (
            "Kang Mun Kil has conducted nuclear procurement activities as a representative of Namchongang",
            TECH,
            None,
            None,
        )
    ],
    "KPi.035": [
        (
            "it is suspected that Kim Chol Sam has facilitated transactions worth hundreds of thousands of dollars and likely managed millions of dollars in DPRK related accounts",
            SE,
            None,
            None,
        )
    ],
    "KPi.036": [
        (
            "arranges meetings on behalf of KOMID, including a meeting between KOMID and Burmese defense related persons to discuss financial matters",
            ["consult"],
            None,
            None,
        )
    ],
    "KPi.054": [("Ilsim International Bank has attempted to evade United Nations sanctions", SE, None, None)],
    "KPi.064": [
        (
            "He has been associated with cash transfers from that overseas Foreign Trade Bank office to banks affiliated with North Korean special organizations and Reconnaissance General Bureau operatives located overseas in an effort to evade sanctions",
            SE,
            None,
            None,
        )
    ],
    "KPi.077": [
        (
            "Ri Song Hyok has reportedly established front companies to procure items and conduct financial transactions on behalf of North Korea",
            SE,
            None,
            "kp",
        )
    ],
    "KPi.080": [
        (
            "Tsang Yung Yuan has coordinated DPRK coal exports with a DPRK broker operating in a third country, and he has a history of other sanctions evasion activities",
            SE,
            None,
            None,
        )
    ],
    # texts with no in-scope finding (precision: whatever is extracted here is wrong)
    "KPi.014": [],
    "KPi.052": [],
    "KPe.024": [],
    "KPe.047": [],
    "KPe.012": [],
}


# Held-out split, annotated on 2026-12-03 after the cue words had been written, before running the
# extractor on these texts; the same conventions as above (a generic description of an entity's
# role, "is the DPRK's primary arms dealer", is not an event; a designation is a countermeasure).
DES_2009 = "was designated by the Committee in April 2009"
TEST_FINDINGS: dict[str, list[F]] = {
    "KPi.001": [("oversees the import of items needed for the uranium enrichment program", TECH, None, None)],
    "KPi.008": [
        ("In this capacity he has facilitated transactions for TCB", SE, None, None),
        ("Tanchon was designated by the Committee in April 2009", DESIGNATION, None, None),
    ],
    "KPi.009": [
        (
            "he has facilitated transactions for TCB and the Korea Mining Development Trading Corporation (KOMID)",
            SE,
            None,
            None,
        ),
        ("Tanchon was designated by the Committee in April 2009", DESIGNATION, None, None),
        ("KOMID was designated by the Committee in April 2009", DESIGNATION, None, None),
    ],
    "KPi.010": [("The KOMID was designated by the Committee in April 2009", DESIGNATION, None, None)],
    "KPi.011": [("The KOMID was designated by the Committee in April 2009", DESIGNATION, None, None)],
    "KPi.012": [
        ("In this capacity he has facilitated transactions for TCB", SE, None, None),
        ("Tanchon was designated by the Committee in April 2009", DESIGNATION, None, None),
    ],
    "KPi.057": [
        (
            "primarily responsible for the procurement of commodities and technologies to support the DPRK’s defense research and development programs",
            TECH,
            None,
            "kp",
        )
    ],
    "KPi.061": [("Ilsim International Bank has attempted to evade United Nations sanctions", SE, None, None)],
    "KPe.006": [("designated by the Committee in April 2009", DESIGNATION, None, None)],
    "KPe.010": [
        ("KOMID was designated by the Committee in April 2009", DESIGNATION, None, None),
        (
            "Green Pine is also responsible for approximately half of the arms and related materiel exported by the DPRK",
            ARMS,
            "kp",
            None,
        ),
        (
            "Green Pine has been identified for sanctions for exporting arms or related material from North Korea",
            ARMS + DESIGNATION,
            "kp",
            None,
        ),
        (
            "has exported torpedoes and technical assistance to Iranian defence-related firms",
            ARMS + TECH,
            None,
            "ir",
        ),
    ],
    "KPe.014": [("KOMID was designated by the Committee in April 2009", DESIGNATION, None, None)],
    "KPe.015": [("KOMID was designated by the Committee in April 2009", DESIGNATION, None, None)],
    "KPe.016": [
        (
            "Korea Ryonbong General Corporation was designated by the Committee in April 2009",
            DESIGNATION,
            None,
            None,
        )
    ],
    "KPe.017": [
        (
            "Facilitates shipments on behalf of the Korea Mining Development Trading Corporation (KOMID)",
            ARMS + SE,
            None,
            None,
        ),
        ("KOMID was designated by the Committee in April 2009", DESIGNATION, None, None),
    ],
    "KPe.019": [
        (
            "Korea Ryonbong General Corporation was designated by the Committee in April 2009",
            DESIGNATION,
            None,
            None,
        )
    ],
    "KPe.023": [
        (
            "Daedong Credit Bank has provided financial services to the Korea Mining Development Trading Corporation (KOMID) and Tanchon Commercial Bank",
            SE,
            None,
            None,
        ),
        (
            "DCB has facilitated hundreds of financial transactions worth millions of dollars on behalf of KOMID and Tanchon Commercial Bank",
            SE,
            None,
            None,
        ),
        ("DCB has knowingly facilitated transactions by using deceptive financial practices", SE, None, None),
    ],
    "KPe.025": [
        (
            "KKBC provides financial services in support to Tanchon Commercial Bank and Korea Hyoksin Trading Corporation",
            SE,
            None,
            None,
        ),
        (
            "Tanchon Commercial Bank has used KKBC to facilitate funds transfers likely amounting to millions of dollars",
            SE,
            None,
            None,
        ),
    ],
    "KPe.027": [
        (
            "who was designated by the Committee established pursuant to resolution 1718 (2006) in 2009",
            DESIGNATION,
            None,
            None,
        )
    ],
    "KPe.028": [("also designated in August 2010", DESIGNATION, None, None)],
    "KPe.039": [("has engaged in proliferation-related transactions", SE, None, None)],
    "KPe.040": [
        (
            "DCB Finance Limited is a front company for Daedong Credit Bank (DCB), a listed entity",
            SE,
            None,
            None,
        )
    ],
    "KPe.041": [
        (
            "Korea Taesong Trading Company has acted on behalf of KOMID in dealings with Syria",
            ARMS + SE,
            None,
            None,
        )
    ],
    # no in-scope finding
    **{
        ref: []
        for ref in [
            "KPi.002",
            "KPi.003",
            "KPi.004",
            "KPi.005",
            "KPi.006",
            "KPi.007",
            "KPi.013",
            "KPi.016",
            "KPi.023",
            "KPi.029",
            "KPi.030",
            "KPi.040",
            "KPi.048",
            "KPi.049",
            "KPi.050",
            "KPi.058",
            "KPi.059",
            "KPi.063",
            "KPe.001",
            "KPe.002",
            "KPe.003",
            "KPe.021",
            "KPe.026",
            "KPe.029",
            "KPe.031",
            "KPe.032",
            "KPe.033",
            "KPe.035",
            "KPe.036",
            "KPe.037",
            "KPe.038",
            "KPe.042",
            "KPe.044",
            "KPe.045",
            "KPe.046",
            "KPe.048",
            "KPe.049",
            "KPe.051",
            "KPe.052",
            "KPe.053",
            "KPe.054",
        ]
    },
}


# Claimant and stance of each finding (annotated 2026-12-03 by reading the texts, with the same
# conventions for every text): the claimant is who the text says tells it (alternatives separated
# by "|"; the report's source when nobody is named); the stance is ``accuses`` for wrongdoing
# charged ("accused", "in violation of", "illicit", "evade sanctions"), ``speculates`` for what is
# possible or suspected ("could", "may", "suspect", "likely", "possibility"), ``denies`` for a
# denial, ``asserts`` otherwise (hedges such as "believed to" lower credibility, not the stance).
FOUNDING_CLAIMS: list[tuple[str, str]] = [
    ("South Korean and Western leaders", "speculates"),
    ("Sabrina Singh", "asserts"),
    ("Sabrina Singh|Associated Press", "asserts"),
    ("Associated Press|Yoon", "asserts"),
    ("Yoon", "speculates"),
    ("Yoon", "asserts"),
    ("Pyongyang and Moscow", "asserts"),
    ("Pyongyang and Moscow", "denies"),
    ("Associated Press", "accuses"),
    ("The United States and its partners", "accuses"),
    ("The United States and its partners", "speculates"),
    ("Yoon", "accuses"),
    ("Yoon", "asserts"),
    ("Yoon", "speculates"),
    ("Yoon", "asserts"),
    ("Associated Press", "asserts"),
    ("Associated Press", "asserts"),
]
UN_STANCES: dict[tuple[str, str], str] = {
    ("KPe.011", "We suspect"): "speculates",
    ("KPe.013", "Bank of East Land has actively"): "accuses",
    ("KPe.020", "contributed to the evasion"): "accuses",
    ("KPe.022", "attempted to directly import"): "accuses",
    ("KPe.034", "Ilsim"): "accuses",
    ("KPe.060", "attempted to engage"): "accuses",
    ("KPe.061", "DPRK-flagged CHON MA SAN prepared"): "speculates",
    ("KPe.064", "Both vessels"): "accuses",
    ("KPe.071", "involved in illicit"): "accuses",
    ("KPe.072", "a vessel that loaded"): "accuses",
    ("KPi.035", "it is suspected"): "speculates",
    ("KPi.054", "Ilsim"): "accuses",
    ("KPi.064", "He has been associated"): "accuses",
    ("KPi.080", "Tsang Yung Yuan"): "accuses",
    ("KPi.061", "Ilsim"): "accuses",
    ("KPe.023", "DCB has knowingly"): "accuses",
}
UN_CLAIMANT = "UN Security Council 1718 Committee"
UN_CLAIMANTS: dict[tuple[str, str], str] = {
    # corrected after the first run: these two texts say who tells it, and the first annotation had
    # put the list's own voice against the convention above
    ("KPe.027", "who was designated"): "the POE|Panel of Experts",
    ("KPe.061", "the vessel was avoiding"): "The master",
}


def _un_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    root = ET.parse(UN).getroot()
    for kind in ("INDIVIDUAL", "ENTITY"):
        for entry in root.iter(kind):
            ref = (entry.findtext("REFERENCE_NUMBER") or "").strip()
            if ref in UN_FINDINGS or ref in TEST_FINDINGS:
                texts[ref] = " ".join((entry.findtext("COMMENTS1") or "").split())
    return texts


def _findings(
    doc: str, text: str, findings: list[F], claims: list[tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    rows = []
    for number, (quote, types, actor, recipient) in enumerate(findings):
        start = text.find(quote)
        if start < 0:
            raise SystemExit(f"{doc}: quote not in text: {quote!r}")
        end = start + len(quote)
        assert text[start:end] == quote
        if claims is not None:
            claimant, stance = claims[number]
        else:
            named = [v for (ref, head), v in UN_CLAIMANTS.items() if ref == doc and quote.startswith(head)]
            claimant = named[0] if named else UN_CLAIMANT
            heads = [v for (ref, head), v in UN_STANCES.items() if ref == doc and quote.startswith(head)]
            stance = heads[0] if heads else "asserts"
        rows.append(
            {
                "types": types,
                "actor": actor,
                "recipient": recipient,
                "claimant": claimant.split("|"),
                "stance": stance,
                "start": start,
                "end": end,
                "quote": quote,
            }
        )
    return rows


def main() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "src"))
    from watchfloor.sources.reports import read_reports

    founding = read_reports(SHARED / FOUNDING).reports[0]
    lines = [
        {
            "doc": "ap_2024-10-29",
            "split": "dev",
            "path": FOUNDING,
            "source": "Associated Press",
            "published": "2024-10-29",
            "provenance": "shared/data/reports/PROVENANCE.md: Associated Press wire text, 2024-10-29",
            "findings": _findings("founding", founding.text, FOUNDING_FINDINGS, FOUNDING_CLAIMS),
        }
    ]
    for ref, text in sorted(_un_texts().items()):
        split = "dev" if ref in UN_FINDINGS else "test"
        findings = UN_FINDINGS[ref] if split == "dev" else TEST_FINDINGS[ref]
        lines.append(
            {
                "doc": f"un:{ref}",
                "split": split,
                "text": text,
                "source": "UN Security Council 1718 Committee",
                "published": "2026-02-27",
                "provenance": f"UN Security Council Consolidated List 2026-02-27, entry {ref}, COMMENTS1 "
                "(shared/data/sanctions/un; UN public information, reusable with attribution)",
                "findings": _findings(ref, text, findings),
            }
        )
    missing = (set(UN_FINDINGS) | set(TEST_FINDINGS)) - set(_un_texts())
    if missing:
        raise SystemExit(f"entries not in the UN list: {sorted(missing)}")
    OUT.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    total = sum(len(line["findings"]) for line in lines)
    test = sum(len(line["findings"]) for line in lines if line["split"] == "test")
    print(f"{OUT.relative_to(ROOT)}: {len(lines)} texts, {total} findings ({test} in the held-out split)")


if __name__ == "__main__":
    main()
