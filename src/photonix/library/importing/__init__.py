"""Importing: discovery of files (scan, watch, rescan), recording them, and the import tasks."""
