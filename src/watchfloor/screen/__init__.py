"""The screening engine: an index over list entries, candidate generation, and scoring
(``watchfloor-name-v1``) with explanations."""

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
