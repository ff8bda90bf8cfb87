"""Getting documents in: sources (CLI, upload, folders, mail), the queue and its tasks."""
