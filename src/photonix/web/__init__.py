"""Serves the built React app (``web/dist``, produced by ``make ui``) for every non-API path."""
