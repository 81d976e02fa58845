"""The topics that scripts/build_gazetteer.py builds the gazetteer from, one module each.

Topics, one per kind of place (each says what it builds and from which source):
``neighbourhoods``, ``approximate``, ``heritage``, ``areas`` and ``world``.

Shared by the topics: ``entries`` (the one shape of an entry), ``geometry``, ``inputs``
(reading the source files) and ``sources`` (what entries cite, and the table of it).

Imports point one way: the entry point imports the topics, the topics import the shared
modules, and no shared module imports a topic.
"""
