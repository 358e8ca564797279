"""The evidence graph: one entity per real-world actor across reports, lists and AIS."""
