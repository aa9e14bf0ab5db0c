"""Test helpers shared by the suites (never shipped: backend/ does not import them)."""
