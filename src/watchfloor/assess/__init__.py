"""Assessment: grading, independent corroboration, indicators, the stage ladder, alerts, review."""
