"""Use cases shared by the command line, the web app and the API (reconcile, ledger, disputes)."""
