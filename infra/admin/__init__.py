"""The admin CLI (`bin/portal`): organisations, users, licenses and dead letters."""
