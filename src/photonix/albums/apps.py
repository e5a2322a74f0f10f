from django.apps import AppConfig


class AlbumsConfig(AppConfig):
    name = "photonix.albums"
    label = "albums"
