from django.apps import AppConfig


class ClassifiersConfig(AppConfig):
    name = "photonix.classifiers"
    label = "classifiers"
