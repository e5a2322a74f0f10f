"""The project's URLs with the tag API mounted under /api/ (until photonix/api/urls.py has it)."""

from __future__ import annotations

from django.urls import include, path

from photonix.urls import urlpatterns as project

urlpatterns = [path("api/", include("photonix.classifiers.urls")), *project]
