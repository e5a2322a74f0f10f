"""URLs of faces and people, included under ``/api/`` by ``photonix.api.urls``."""

from django.urls import path

from photonix.faces import api

urlpatterns = [
    path("libraries/<int:library_id>/people", api.LibraryPeopleView.as_view(), name="people"),
    path("people/<int:person_id>", api.PersonView.as_view(), name="person"),
    path("people/<int:person_id>/merge", api.PersonMergeView.as_view(), name="person-merge"),
    path("people/<int:person_id>/faces", api.PersonFacesView.as_view(), name="person-faces"),
    path("people/<int:person_id>/photos", api.PersonPhotosView.as_view(), name="person-photos"),
    path("people/<int:person_id>/crop", api.PersonCropView.as_view(), name="person-crop"),
    path("photos/<int:photo_id>/faces", api.PhotoFacesView.as_view(), name="photo-faces"),
    path("faces", api.FaceListView.as_view(), name="faces"),
    path("faces/<int:face_id>/assign", api.FaceAssignView.as_view(), name="face-assign"),
    path("faces/<int:face_id>/ignore", api.FaceIgnoreView.as_view(), name="face-ignore"),
    path(
        "faces/<int:face_id>/suggestions",
        api.FaceSuggestionsView.as_view(),
        name="face-suggestions",
    ),
    path("faces/<int:face_id>/move", api.FaceMoveView.as_view(), name="face-move"),
    path("faces/<int:face_id>/remove", api.FaceRemoveView.as_view(), name="face-remove"),
    path("faces/<int:face_id>/reject", api.FaceRejectView.as_view(), name="face-reject"),
    path("faces/<int:face_id>/confirm", api.FaceConfirmView.as_view(), name="face-confirm"),
    path("faces/<int:face_id>/crop", api.FaceCropView.as_view(), name="face-crop"),
]
