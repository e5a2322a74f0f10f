"""Photonix: a self-hosted photo manager."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("photonix")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
