"""What every feature stands on: settings, errors, the table, storage, validation, HTTP."""
