"""Versions of derived data kept by the pipeline. Raise one and "process missing" redoes that
stage everywhere. (The thumbnailer's version lives with its code: ``photonix.media.thumbnails``.)"""

#: 2: RAWs whose white level LibRaw misreads (film-scanner NEFs) are no longer developed into
#: white, and the method used is recorded on the file (``PhotoFile.raw_method``).
#: 3: the developed picture's size is recorded as the file's and the photo's size (it was the
#: metadata's, or for a large RAW the half-size develop's).
RAW_DEVELOP_VERSION = 3
