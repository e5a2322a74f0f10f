"""URL patterns of the tag API, to be added to ``photonix/api/urls.py`` (under ``/api/``)."""

from __future__ import annotations

from django.urls import path

from photonix.classifiers import api, semantic_api

urlpatterns = [
    path("classifiers", api.ClassifierListView.as_view(), name="classifiers"),
    path("search/semantic", semantic_api.SemanticSearchView.as_view(), name="search-semantic"),
    path("smart-search", semantic_api.SmartSearchView.as_view(), name="smart-search"),
    path(
        "photos/<int:photo_id>/similar",
        semantic_api.SimilarPhotosView.as_view(),
        name="photo-similar",
    ),
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
