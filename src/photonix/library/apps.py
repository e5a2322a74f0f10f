from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "photonix.library"
    label = "library"
