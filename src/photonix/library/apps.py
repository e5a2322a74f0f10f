from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "photonix.library"

    def ready(self) -> None:
        from photonix.core.services import first_admin_created
        from photonix.library.browse import terms
        from photonix.library.importing import tasks  # noqa: F401 - see below
        from photonix.library.services import libraries_adopt

        # The import tasks are registered in every process, not only in workers (where Celery
        # imports them itself): the process that sends one by name records its job as queued
        # only for a task it knows (pipeline.signals).

        first_admin_created.connect(libraries_adopt, dispatch_uid="library-adopt")
        terms.connect()  # the search index follows names as they change
