"""Domain logic of sonicguide: pure functions, data in, data out. Never imports MkDocs."""
