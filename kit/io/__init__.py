"""Getting articles in and results out: corpus loading and validation, the on-disk annotation cache, exports of
charts and tables, and the worker processes that annotate in parallel. Imports kit.base, kit.arabic and, for
the cache, the corpus reader.
"""


from kit import submodules

__getattr__ = submodules(__name__)
