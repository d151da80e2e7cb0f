"""DSTI, the Domestic Service Training Interchange, from Python.

The validator, migrations, JSON Schemas, synthetic records and document digests of the Rust
library ``dsti``. Verdicts, summaries and migration notes are plain dicts and lists, equal to
the JSON lines of the ``dsti`` command-line tool for the same input.

>>> import dsti
>>> v = dsti.Validator()
>>> v.validate({"kind": "person", "schemaVersion": "2.0"})["valid"]
False
"""

from ._dsti import (
    KINDS,
    VERSIONS,
    InputError,
    MigrationRefused,
    ProfileError,
    Validator,
    VerdictIterator,
    __version__,
    document_digest,
    generate,
    migrate,
    schema,
)

__all__ = [
    "KINDS",
    "VERSIONS",
    "InputError",
    "MigrationRefused",
    "ProfileError",
    "Validator",
    "VerdictIterator",
    "__version__",
    "document_digest",
    "generate",
    "migrate",
    "schema",
]
