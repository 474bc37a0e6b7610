"""sonicguide: brand sonic-identity guides as static sites.

The package has two layers: :mod:`sonicguide.core` holds all domain logic and never imports
MkDocs; :mod:`sonicguide.plugin` and :mod:`sonicguide.config` are the thin MkDocs front end.
"""

__version__ = "0.1.0"
