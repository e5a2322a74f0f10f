from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "photonix.web"
    label = "web"
