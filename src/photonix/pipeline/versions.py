"""Versions of derived data kept by the pipeline. Raise one and "process missing" redoes that
stage everywhere. (The thumbnailer's version lives with its code: ``photonix.media.thumbnails``.)"""

RAW_DEVELOP_VERSION = 1
