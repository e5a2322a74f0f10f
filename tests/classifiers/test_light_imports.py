"""The web process stays light: registering the built-ins imports no ML library."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("onnxruntime", "scipy", "timezonefinder", "reverse_geocode", "torch")


def test_registering_builtins_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from photonix.classifiers import registry\n"
        "names = [c.name for c in registry.all_classifiers()]\n"
        "assert {'object', 'colour', 'place', 'style', 'event'} <= set(names), names\n"
        f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r}])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_plugin_interface_imports_nothing_of_photonix() -> None:
    """Classifiers import the interface; the interface must not lead back to the registry."""
    code = (
        "import sys\n"
        "import photonix.classifiers.interface\n"
        "print(sorted(m for m in sys.modules if m.startswith('photonix.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "['photonix.classifiers', 'photonix.classifiers.interface']"


def test_the_registry_re_exports_the_interface() -> None:
    from photonix.classifiers import interface, registry

    assert registry.Classifier is interface.Classifier
    assert registry.Prediction is interface.Prediction
