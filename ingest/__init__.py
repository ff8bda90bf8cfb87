"""Adapters that bring documents in or run the queue: worker, hot folders, mailbox, the CLI."""
