"""Shared fixtures of the extraction tests: the spaCy pipeline is loaded once per session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from watchfloor.extract.events import RuleLayer
from watchfloor.extract.pipeline import shared_pipeline
from watchfloor.extract.records import Extraction

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def nlp() -> Any:
    return shared_pipeline()


@pytest.fixture(scope="session")
def rules(nlp: Any) -> RuleLayer:
    return RuleLayer(nlp.vocab)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of fixture reports and their expected extraction."""
    return FIXTURES


@pytest.fixture(scope="session")
def signature_of() -> Callable[[Extraction], list[dict[str, Any]]]:
    """The function that turns an extraction into the compact form of expected.yaml."""
    return signature


def signature(extraction: Extraction) -> list[dict[str, Any]]:
    """The extraction in the compact form the expected files hold (one dict per event)."""
    rows = []
    for event in extraction.events:
        rows.append(
            {
                "event": event.summary,
                "date": [
                    event.date.start.isoformat() if event.date and event.date.start else None,
                    event.date.end.isoformat() if event.date and event.date.end else None,
                ],
                "spans": [[span.start, span.end] for span in event.spans],
                "claims": [
                    [
                        claim.speaker,
                        claim.stance.value,
                        claim.credibility,
                        claim.claim_date.start.isoformat()
                        if claim.claim_date and claim.claim_date.start
                        else None,
                        claim.claim_date.end.isoformat()
                        if claim.claim_date and claim.claim_date.end
                        else None,
                        claim.span.start,
                    ]
                    for claim in event.claims
                ],
            }
        )
    return rows
