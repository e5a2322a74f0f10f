"""Library import: libraries and their folders, discovery (scan, watch, rescan) and recording."""
