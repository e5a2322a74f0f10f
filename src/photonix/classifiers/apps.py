from django.apps import AppConfig


class ClassifiersConfig(AppConfig):
    name = "photonix.classifiers"
    label = "classifiers"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_delete

        from photonix.classifiers.models import PhotoEmbedding
        from photonix.classifiers.vectors import load_sqlite_vec, on_embedding_deleted

        connection_created.connect(load_sqlite_vec, dispatch_uid="photonix-sqlite-vec")
        post_delete.connect(
            on_embedding_deleted, sender=PhotoEmbedding, dispatch_uid="photonix-vector-delete"
        )
