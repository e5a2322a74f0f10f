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
from photonix.faces.models import ON_PERSON, Face, Person
from photonix.library import selectors as library_selectors
from photonix.library.models import LibraryMember

#: Roles that may correct faces and people.
EDITING_ROLES = (LibraryMember.Role.OWNER, LibraryMember.Role.EDITOR)


def can_edit(user: User, library_id: int) -> bool:
    return LibraryMember.objects.filter(
        library_id=library_id, user=user, role__in=EDITING_ROLES
    ).exists()


def faces_for(user: User) -> QuerySet[Face]:
    libraries = library_selectors.libraries_for(user).values("pk")
    return Face.objects.filter(library__in=libraries).select_related("person")


def people_for(user: User) -> QuerySet[Person]:
    """People of the user's libraries with their counts and cover face (best face when unset)."""
    best = (
        Face.objects.filter(person=OuterRef("pk"), verdict__in=ON_PERSON)
        .order_by("-clusterable", "verdict", "-size", "pk")
        .values("pk")[:1]
    )
    shown = Q(faces__verdict__in=ON_PERSON)
    return (
        Person.objects.filter(library__in=library_selectors.libraries_for(user).values("pk"))
        .annotate(
            face_count=Count("faces", filter=shown, distinct=True),
            photo_count=Count("faces__photo", filter=shown, distinct=True),
            cover=Coalesce("cover_face_id", Subquery(best), output_field=IntegerField()),
            unnamed=Case(When(name="", then=Value(1)), default=Value(0)),
        )
        # Named people by name, then the unnamed groups to review, largest first.
        .order_by("unnamed", "name", "-face_count", "pk")
    )


def person_faces(person: Person) -> QuerySet[Face]:
    return person.faces.filter(verdict__in=ON_PERSON).order_by("photo_id", "pk")
