"""Readers: parse one input format into typed records. Readers never touch the store."""
