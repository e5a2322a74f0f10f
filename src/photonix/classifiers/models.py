"""Per-library classifier switches. Every classifier is on unless a library switches it off."""

from __future__ import annotations

from django.db import models

from photonix.library.models import Library


class ClassifierSwitch(models.Model):
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="classifiers")
    name = models.CharField(max_length=60)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "name"], name="classifier_switch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} in {self.library_id}: {'on' if self.enabled else 'off'}"


def disabled_for(library_id: int) -> set[str]:
    return set(
        ClassifierSwitch.objects.filter(library_id=library_id, enabled=False).values_list(
            "name", flat=True
        )
    )


class Tag(models.Model):
    """A word photos can be found by, of one type (object, colour, place, style, event, …)."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="tags")
    type = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["library", "type", "name"], name="tag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.name}"


class PhotoTag(models.Model):
    """A tag on a photo, by a classifier (``source`` is its name) or by a person.

    A classifier that runs again replaces only its own ``auto`` tags. A person's decisions —
    ``added``, ``confirmed``, ``rejected`` — are never touched by reprocessing, and a rejected tag
    is not put back.
    """

    class Verdict(models.TextChoices):
        AUTO = "auto"
        ADDED = "added"
        CONFIRMED = "confirmed"
        REJECTED = "rejected"

    photo = models.ForeignKey("library.Photo", on_delete=models.CASCADE, related_name="photo_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="photo_tags")
    source = models.CharField(max_length=60)
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.AUTO)
    confidence = models.FloatField(default=1.0)
    significance = models.FloatField(default=1.0)
    box = models.JSONField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["photo", "source"], name="phototag_photo_source"),
            # Covering indexes, so no row is read from the table: "does this photo carry one of
            # these tags" (the tag filters), and the tag facet's counts, which read the index
            # in (tag, photo) order and so need no sort for their distinct photos.
            models.Index(fields=["photo", "verdict", "tag"], name="phototag_photo_verdict_tag"),
            models.Index(fields=["tag", "photo", "verdict"], name="phototag_tag_photo_verdict"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} on {self.photo_id} ({self.source}, {self.verdict})"


class CalendarEvent(models.Model):
    """A date a library's people named (a birthday, an anniversary) for the event classifier."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="calendar_events")
    name = models.CharField(max_length=200)
    date = models.DateField(help_text="The day; for a yearly event, the first year it counts.")
    yearly = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["library", "name", "date"], name="calendar_event_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.date.isoformat()}{' (yearly)' if self.yearly else ''}"


class PhotoEmbedding(models.Model):
    """What a photo shows, as a vector of an image-text model (smart search).

    One per photo and model. ``vector`` holds the L2-normalised float32 values; the vector index
    (sqlite-vec or pgvector, :mod:`photonix.classifiers.vectors`) is kept beside it, keyed by
    this row's id.
    """

    photo = models.ForeignKey("library.Photo", on_delete=models.CASCADE, related_name="embeddings")
    model = models.CharField(max_length=100)
    version = models.PositiveIntegerField(default=1)
    dim = models.PositiveIntegerField()
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["photo", "model"], name="photo_embedding_unique")
        ]
        indexes = [models.Index(fields=["model", "dim"], name="photo_embedding_model_dim")]

    def __str__(self) -> str:
        return f"{self.model} v{self.version} of {self.photo_id} ({self.dim}-d)"
