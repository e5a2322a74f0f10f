"""People of a library and the faces found on its photos.

A face's ``verdict`` says who decided: ``auto`` (the machine) or a person — ``confirmed`` (this is
them), ``moved`` (put on this person by hand), ``removed`` (taken off a person: not them; left
unassigned and listed among the unnamed faces to review), ``ignored`` (a face nobody will name,
a stranger: kept and shown unnamed, out of the review list), ``rejected`` (not a face). Unassigned
faces (``auto`` with no person, ``removed``) wait among the unnamed faces a person can name from
the People page or the viewer. Reprocessing and re-clustering never change a face with a human
verdict, and never merge or dissolve a person a human acted on (``confirmed``).
"""

from __future__ import annotations

from django.db import models

from photonix.library.models import Library, Photo


class Person(models.Model):
    """Someone who appears on photos of one library. Without a name it is an "unnamed" group."""

    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=200, blank=True, default="")
    cover_face = models.ForeignKey(
        "Face", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: a person named, merged into or corrected this person: clustering never dissolves it
    confirmed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["library", "name"], name="person_library_name")]

    def __str__(self) -> str:
        return self.name or f"Unnamed person {self.pk}"


class Face(models.Model):
    """A face on a photo: a box as fractions of the displayed (upright) image, and whose it is."""

    class Verdict(models.TextChoices):
        AUTO = "auto"
        CONFIRMED = "confirmed"
        MOVED = "moved"
        REMOVED = "removed"
        REJECTED = "rejected"
        IGNORED = "ignored"

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="faces")
    library = models.ForeignKey(Library, on_delete=models.CASCADE, related_name="faces")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="faces"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices, default=Verdict.AUTO)
    x = models.FloatField(help_text="Left edge, fraction of the displayed width.")
    y = models.FloatField(help_text="Top edge, fraction of the displayed height.")
    width = models.FloatField()
    height = models.FloatField()
    confidence = models.FloatField(default=1.0)
    size = models.PositiveIntegerField(default=0, help_text="Shorter side in preview pixels.")
    sharpness = models.FloatField(default=0.0)
    #: False: too small or blurry — kept and shown, never grouped automatically
    clusterable = models.BooleanField(default=True)
    #: 128 little-endian float32 (dlib ResNet), or null when not clusterable
    embedding = models.BinaryField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0, help_text="Face recognizer version.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["library", "person"], name="face_library_person"),
            models.Index(fields=["person", "verdict"], name="face_person_verdict"),
        ]

    def __str__(self) -> str:
        return f"Face {self.pk} on photo {self.photo_id} ({self.verdict})"

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.width, self.height)


HUMAN_VERDICTS = (
    Face.Verdict.CONFIRMED,
    Face.Verdict.MOVED,
    Face.Verdict.REMOVED,
    Face.Verdict.REJECTED,
    Face.Verdict.IGNORED,
)
#: Faces that show their person (and may stand for them when a new face is matched).
ON_PERSON = (Face.Verdict.AUTO, Face.Verdict.CONFIRMED, Face.Verdict.MOVED)
#: Faces on nobody that wait for a person to name them (the "Unnamed faces" to review).
UNASSIGNED = (Face.Verdict.AUTO, Face.Verdict.REMOVED)
