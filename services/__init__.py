"""Use cases shared by the command line, the web pages and the API."""
