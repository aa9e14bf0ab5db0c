"""Test helpers shared by the suites (never shipped: backend/ does not import them)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository
