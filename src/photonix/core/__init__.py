"""Core: users, first-run setup, authentication, health. Everything else builds on it."""
