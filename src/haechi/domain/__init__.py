"""Pure domain layer: models, vocabularies, errors. Imports no web, database or CLI library."""
