"""The ground floor: reading and validating the data files under kit/data (lexicons), decoding bytes (encodings)
and the integer-code helpers every table uses (codes). Imports only the standard library, numpy and pandas.
"""


from kit import submodules

__getattr__ = submodules(__name__)
