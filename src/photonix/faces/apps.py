from django.apps import AppConfig


class FacesConfig(AppConfig):
    name = "photonix.faces"
    label = "faces"
    verbose_name = "Faces and people"
