"""Faces and people: detection, embeddings, grouping per library, and human corrections."""
