"""Search index: derived from the archive, rebuildable at any time (`stmt reindex`)."""
