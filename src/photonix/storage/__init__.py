"""Where the files Photonix derives from photos live, and how they are written, deleted and
served (:mod:`photonix.storage.derived`, :mod:`photonix.storage.serving`).

It sits below the domain and the pipeline: it takes ids, sizes and versions, never model
instances, and imports nothing from the apps that use it.
"""
