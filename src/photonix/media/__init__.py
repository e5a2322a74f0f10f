"""Pure image code: decoding, orientation, colour, thumbnails, EXIF parsing.

Nothing in this package imports Django, so it can be tested and benchmarked on its own.
"""
