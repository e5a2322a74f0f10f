"""Browsing and editing photos: the timeline, filters, search, facets, map, export and edits."""
