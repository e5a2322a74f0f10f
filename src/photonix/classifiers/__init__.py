"""AI tagging: the classifier plug-in interface, its registry and the built-in classifiers."""
