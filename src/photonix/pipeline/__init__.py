"""The processing pipeline: Celery app wiring, queues and routing, task signals.

Every step of a photo's life is a Celery task; this package decides which queue each runs on and
records what happens to it. Nothing here polls a table for work.
"""
