"""Sharing with partners: STIX 2.1 and FollowTheMoney out and in, TLP enforcement, TAXII 2.1."""
