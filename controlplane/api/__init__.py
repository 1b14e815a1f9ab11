"""API machinery: the verbs every writer goes through (defaults, validation, metadata, errors)."""
