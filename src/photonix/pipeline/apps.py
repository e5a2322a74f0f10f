from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "photonix.pipeline"
    label = "pipeline"

    def ready(self) -> None:
        # Importing the app makes it Celery's current app, so ``shared_task`` and ``.delay()``
        # in any Django process use our broker and result backend.
        import photonix.celery  # noqa: F401
        from photonix.pipeline import dispatch, signals  # noqa: F401 - connects the Celery signal handlers

        dispatch.connect()  # answers what the domain asks for (photonix.core.work)
