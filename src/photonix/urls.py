from django.contrib import admin
from django.urls import include, path, re_path

from photonix.web.views import spa_index

urlpatterns = [
    path("api/", include("photonix.api.urls")),
    path("admin/", admin.site.urls),
    # Everything else is a page of the single-page app (but never /api/ or /static/).
    re_path(r"^(?!api/|static/|admin/)(?P<path>.*)$", spa_index, name="spa"),
]
