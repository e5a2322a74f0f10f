from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "photonix.core"
    label = "core"
    verbose_name = "Photonix core"

    def ready(self) -> None:
        from photonix.core import schema  # noqa: F401 - registers the OpenAPI auth extension
