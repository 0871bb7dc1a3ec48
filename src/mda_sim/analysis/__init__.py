"""Analyzers: pure functions over the event log (no simpy, no matplotlib)."""
