"""URL patterns of the tag API, to be added to ``photonix/api/urls.py`` (under ``/api/``)."""

from __future__ import annotations

from django.urls import path

from photonix.classifiers import api

urlpatterns = [
    path("classifiers", api.ClassifierListView.as_view(), name="classifiers"),
    path("photos/<int:photo_id>/tags", api.PhotoTagsView.as_view(), name="photo-tags"),
    path(
        "photos/<int:photo_id>/tags/<int:tag_id>/confirm",
        api.PhotoTagConfirmView.as_view(),
        name="photo-tag-confirm",
    ),
    path(
        "photos/<int:photo_id>/tags/<int:tag_id>/reject",
        api.PhotoTagRejectView.as_view(),
        name="photo-tag-reject",
    ),
    path("libraries/<int:library_id>/tags", api.LibraryTagsView.as_view(), name="library-tags"),
    path(
        "libraries/<int:library_id>/classifiers",
        api.LibraryClassifiersView.as_view(),
        name="library-classifiers",
    ),
    path(
        "libraries/<int:library_id>/events",
        api.LibraryEventsView.as_view(),
        name="library-events",
    ),
    path(
        "libraries/<int:library_id>/events/<int:event_id>",
        api.LibraryEventDetailView.as_view(),
        name="library-event",
    ),
]
