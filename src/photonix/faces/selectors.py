"""Read queries for faces and people, always scoped to the libraries a user belongs to."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from photonix.core.models import User
from photonix.faces.models import ON_PERSON, UNASSIGNED, Face, Person
from photonix.library import selectors as library_selectors
from photonix.library.models import LibraryMember

#: Roles that may correct faces and people.
EDITING_ROLES = (LibraryMember.Role.OWNER, LibraryMember.Role.EDITOR)


def can_edit(user: User, library_id: int) -> bool:
    return LibraryMember.objects.filter(
        library_id=library_id, user=user, role__in=EDITING_ROLES
    ).exists()


def faces_for(user: User) -> QuerySet[Face]:
    """Faces on the photos of the user's libraries, those in the trash left out."""
    libraries = library_selectors.libraries_for(user).values("pk")
    faces = Face.objects.filter(library__in=libraries, photo__trashed_at__isnull=True)
    return faces.select_related("person")


def best_faces(person_id: int | OuterRef) -> QuerySet[Face]:
    """A person's faces, the one that shows them best first: a face a person confirmed or put on
    them before the machine's guesses (those may be someone else's), then the larger."""
    return (
        Face.objects.filter(
            person_id=person_id, verdict__in=ON_PERSON, photo__trashed_at__isnull=True
        )
        .annotate(guessed=Case(When(verdict=Face.Verdict.AUTO, then=Value(1)), default=Value(0)))
        .order_by("guessed", "-clusterable", "-size", "pk")
    )


def people_for(user: User) -> QuerySet[Person]:
    """People of the user's libraries with their counts and cover face: the one chosen when it is
    still one of theirs, else their best face (:func:`best_faces`)."""
    chosen = Face.objects.filter(
        pk=OuterRef("cover_face_id"),
        person_id=OuterRef("pk"),
        verdict__in=ON_PERSON,
        photo__trashed_at__isnull=True,
    ).values("pk")[:1]
    best = best_faces(OuterRef("pk")).values("pk")[:1]
    # Faces on photos in the trash count for nobody until the photo is restored.
    shown = Q(faces__verdict__in=ON_PERSON, faces__photo__trashed_at__isnull=True)
    return (
        Person.objects.filter(library__in=library_selectors.libraries_for(user).values("pk"))
        .annotate(
            face_count=Count("faces", filter=shown, distinct=True),
            photo_count=Count("faces__photo", filter=shown, distinct=True),
            cover=Coalesce(Subquery(chosen), Subquery(best), output_field=IntegerField()),
            unnamed=Case(When(name="", then=Value(1)), default=Value(0)),
        )
        # Named people by name, then the unnamed groups to review, largest first.
        .order_by("unnamed", "name", "-face_count", "pk")
    )


def person_faces(person: Person) -> QuerySet[Face]:
    return person.faces.filter(verdict__in=ON_PERSON, photo__trashed_at__isnull=True).order_by(
        "photo_id", "pk"
    )


def unassigned_faces(user: User, library_id: int | None = None) -> QuerySet[Face]:
    """Faces on nobody that wait to be named (removed ones too), the clearest first."""
    faces = faces_for(user).filter(person__isnull=True, verdict__in=UNASSIGNED)
    if library_id is not None:
        faces = faces.filter(library_id=library_id)
    return faces.order_by("-clusterable", "-size", "pk")
