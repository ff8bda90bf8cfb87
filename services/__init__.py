"""Use cases the command line, the web app and the API share."""
