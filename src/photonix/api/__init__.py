"""The HTTP API: one URL map for every feature's views, and the committed OpenAPI file."""
