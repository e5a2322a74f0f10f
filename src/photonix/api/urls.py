from django.urls import include, path

from photonix.albums import api as albums_api
from photonix.albums import public as share_public
from photonix.core import accounts
from photonix.core import api as core_api
from photonix.library import api as library_api
from photonix.library.browse import api as browse_api
from photonix.library.browse import stacks_api
from photonix.library.importing import api as importing_api
from photonix.library.importing import upload_api
from photonix.pipeline import api as pipeline_api
from photonix.web import downloads, serving

urlpatterns = [
    path("health", core_api.HealthView.as_view(), name="health"),
    path("setup", core_api.SetupView.as_view(), name="setup"),
    path("auth/session", core_api.SessionView.as_view(), name="auth-session"),
    path("auth/login", core_api.LoginView.as_view(), name="auth-login"),
    path("auth/logout", core_api.LogoutView.as_view(), name="auth-logout"),
    path("auth/password", accounts.PasswordChangeView.as_view(), name="auth-password"),
    path(
        "auth/confirm-password",
        accounts.PasswordConfirmView.as_view(),
        name="auth-confirm-password",
    ),
    path("settings/map", core_api.MapSettingsView.as_view(), name="settings-map"),
    path("users", accounts.UserListView.as_view(), name="users"),
    path("users/<int:user_id>", accounts.UserDetailView.as_view(), name="user"),
    path("users/<int:user_id>/password", accounts.UserPasswordView.as_view(), name="user-password"),
    path("tokens", accounts.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:token_id>", accounts.TokenDetailView.as_view(), name="token"),
    path("libraries", library_api.LibraryListView.as_view(), name="libraries"),
    path("server/folders", library_api.ServerFoldersView.as_view(), name="server-folders"),
    path("libraries/<int:library_id>", library_api.LibraryDetailView.as_view(), name="library"),
    path(
        "libraries/<int:library_id>/folders",
        library_api.LibraryFoldersView.as_view(),
        name="library-folders",
    ),
    path(
        "libraries/<int:library_id>/folders/<int:folder_id>",
        library_api.LibraryFolderView.as_view(),
        name="library-folder",
    ),
    path(
        "libraries/<int:library_id>/scan",
        importing_api.LibraryScanView.as_view(),
        name="library-scan",
    ),
    path(
        "libraries/<int:library_id>/errors",
        importing_api.LibraryErrorsView.as_view(),
        name="library-errors",
    ),
    path(
        "libraries/<int:library_id>/upload",
        upload_api.LibraryUploadView.as_view(),
        name="library-upload",
    ),
    path(
        "libraries/<int:library_id>/upload/check",
        upload_api.LibraryUploadCheckView.as_view(),
        name="library-upload-check",
    ),
    path("uploads/tus", upload_api.TusCreateView.as_view(), name="uploads-tus"),
    path("uploads/tus/<str:upload_key>", upload_api.TusUploadView.as_view(), name="upload-tus"),
    path(
        "libraries/<int:library_id>/members",
        library_api.LibraryMembersView.as_view(),
        name="library-members",
    ),
    path(
        "libraries/<int:library_id>/members/<int:user_id>",
        library_api.LibraryMemberView.as_view(),
        name="library-member",
    ),
    path("photos", browse_api.PhotoListView.as_view(), name="photos"),
    path("photos/bulk", browse_api.PhotoBulkView.as_view(), name="photos-bulk"),
    path("trash", browse_api.TrashView.as_view(), name="trash"),
    path("trash/restore", browse_api.TrashRestoreView.as_view(), name="trash-restore"),
    path("trash/empty", browse_api.TrashEmptyView.as_view(), name="trash-empty"),
    path("photos/<int:photo_id>", browse_api.PhotoDetailView.as_view(), name="photo"),
    path(
        "photos/<int:photo_id>/preferred",
        browse_api.PhotoPreferredView.as_view(),
        name="photo-preferred",
    ),
    path("duplicates", stacks_api.DuplicatesView.as_view(), name="duplicates"),
    path("stacks", stacks_api.StackListView.as_view(), name="stacks"),
    path("stacks/<int:cover_id>", stacks_api.StackDetailView.as_view(), name="stack"),
    path("timeline", browse_api.TimelineView.as_view(), name="timeline"),
    path("timeline/months", browse_api.TimelineMonthsView.as_view(), name="timeline-months"),
    path("timeline/facets", browse_api.TimelineFacetsView.as_view(), name="timeline-facets"),
    path("search", browse_api.SearchView.as_view(), name="search"),
    path("search/suggest", browse_api.SearchSuggestView.as_view(), name="search-suggest"),
    path("map", browse_api.MapView.as_view(), name="map"),
    path(
        "files/<int:file_id>/metadata",
        browse_api.FileMetadataView.as_view(),
        name="file-metadata",
    ),
    path("jobs/summary", pipeline_api.JobSummaryView.as_view(), name="jobs-summary"),
    path("jobs", pipeline_api.JobListView.as_view(), name="jobs"),
    path("jobs/<int:job_id>/retry", pipeline_api.JobRetryView.as_view(), name="job-retry"),
    path("jobs/retry-failed", pipeline_api.JobRetryFailedView.as_view(), name="jobs-retry-failed"),
    path("jobs/dismiss", pipeline_api.JobDismissView.as_view(), name="jobs-dismiss"),
    path(
        "pipeline/process-missing",
        pipeline_api.ProcessMissingView.as_view(),
        name="pipeline-process-missing",
    ),
    path("pipeline/reprocess", pipeline_api.ReprocessView.as_view(), name="pipeline-reprocess"),
    path("pipeline/queues", pipeline_api.QueueStateView.as_view(), name="pipeline-queues"),
    path(
        "photos/<int:photo_id>/thumbnail/<str:size>",
        serving.ThumbnailView.as_view(),
        name="photo-thumbnail",
    ),
    path("files/<int:file_id>/original", serving.OriginalView.as_view(), name="file-original"),
    path("albums", albums_api.AlbumListView.as_view(), name="albums"),
    path("albums/<int:album_id>", albums_api.AlbumDetailView.as_view(), name="album"),
    path("albums/<int:album_id>/photos", albums_api.AlbumPhotosView.as_view(), name="album-photos"),
    path(
        "albums/<int:album_id>/photos/remove",
        albums_api.AlbumPhotosRemoveView.as_view(),
        name="album-photos-remove",
    ),
    path(
        "albums/<int:album_id>/reorder",
        albums_api.AlbumReorderView.as_view(),
        name="album-reorder",
    ),
    path(
        "albums/<int:album_id>/members",
        albums_api.AlbumMembersView.as_view(),
        name="album-members",
    ),
    path(
        "albums/<int:album_id>/members/<int:user_id>",
        albums_api.AlbumMemberView.as_view(),
        name="album-member",
    ),
    path(
        "albums/<int:album_id>/candidates",
        albums_api.AlbumCandidatesView.as_view(),
        name="album-candidates",
    ),
    path("shares", albums_api.ShareListView.as_view(), name="shares"),
    path("shares/<int:share_id>", albums_api.ShareDetailView.as_view(), name="share-link"),
    # Public share links: no account, the token is the credential (photonix.albums.public).
    path("share/<str:token>", share_public.ShareInfoView.as_view(), name="share"),
    path("share/<str:token>/unlock", share_public.ShareUnlockView.as_view(), name="share-unlock"),
    path("share/<str:token>/photos", share_public.SharePhotosView.as_view(), name="share-photos"),
    path(
        "share/<str:token>/photos/<int:photo_id>",
        share_public.SharePhotoView.as_view(),
        name="share-photo",
    ),
    path(
        "share/<str:token>/photos/<int:photo_id>/thumbnail/<str:size>",
        share_public.ShareThumbnailView.as_view(),
        name="share-thumbnail",
    ),
    path(
        "share/<str:token>/photos/<int:photo_id>/original",
        share_public.ShareOriginalView.as_view(),
        name="share-original",
    ),
    path(
        "share/<str:token>/download",
        share_public.ShareDownloadView.as_view(),
        name="share-download",
    ),
    path("downloads", downloads.DownloadListView.as_view(), name="downloads"),
    path("downloads/<str:key>", downloads.DownloadView.as_view(), name="download"),
    path("", include("photonix.classifiers.urls")),
    path("", include("photonix.faces.urls")),
]
