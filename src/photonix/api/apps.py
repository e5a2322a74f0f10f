from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "photonix.api"
    label = "api"
