from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "photonix.library"

    def ready(self) -> None:
        from photonix.core.services import first_admin_created
        from photonix.library.services import libraries_adopt

        first_admin_created.connect(libraries_adopt, dispatch_uid="library-adopt")
