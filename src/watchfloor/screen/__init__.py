"""The screening engine: an index over list entries, candidate generation, and scoring with
explanations: ``watchfloor-name-v1`` (:mod:`.score`, the default) and the feature-based
``watchfloor-name-v2`` (:mod:`.score_v2`, weights in ``name_v2.yaml``), chosen by ``algorithm``."""

from watchfloor.screen.index import ScreenIndex
from watchfloor.screen.score import (
    ALGORITHM,
    DEFAULT_THRESHOLD,
    Match,
    Query,
    ScreenResult,
    screen,
    screen_full,
)

__all__ = [
    "ALGORITHM",
    "DEFAULT_THRESHOLD",
    "Match",
    "Query",
    "ScreenIndex",
    "ScreenResult",
    "screen",
    "screen_full",
]
