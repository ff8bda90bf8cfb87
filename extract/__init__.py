"""Extraction: pure functions from document bytes to fields. No database, Celery or Flask."""
