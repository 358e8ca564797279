"""Sanctions list readers: official formats to :class:`ListEntry` records."""
