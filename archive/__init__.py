"""The system of record: configuration, database models, the file store, the audit log."""
