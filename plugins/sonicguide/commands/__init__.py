"""Sub-commands of the ``sonicguide`` command line, one module each (see :mod:`sonicguide.cli`)."""
