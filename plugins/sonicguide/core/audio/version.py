"""The analysis version, importable without numpy or scipy (it is part of every cache key)."""

#: Bump whenever a measurement changes, so cached results are recomputed.
ANALYSIS_VERSION = "5"
