"""Licenses: who sees which, signed files, public lookup, check-in, expiry reminders."""
