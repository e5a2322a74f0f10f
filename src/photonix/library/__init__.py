"""The library, in three parts: libraries, their folders and members (this package's modules);
``importing`` (discovery, watching and recording of files); ``browse`` (timeline, filters,
search, facets, map, edits and export). Importing and browsing build on the first part and not
on each other (see docs/architecture.md)."""
