"""The ground floor: the vocabulary every layer shares, importing nothing else of watchfloor.

``stance`` (what a speaker does with an event), ``grades`` (the A-F reliability and 1-6 credibility
scales with their meanings), ``schema`` (entity kinds and identifier schemes, named as
FollowTheMoney names them), ``identifiers`` (normalised IMO/MMSI/... values and their check
digits) and ``ids`` (stable, content-derived ids). Nothing is imported here, so importing one
module of the ground floor costs only that module.
"""
