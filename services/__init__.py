"""Use cases the command line, the web app and the worker share: submit, process, correct."""
