"""Patrol assets: patrol patterns (pure geometry; the engine moves the assets)."""
