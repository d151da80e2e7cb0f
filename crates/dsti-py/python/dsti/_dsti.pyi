"""Type stubs of the extension module ``dsti._dsti`` (re-exported by ``dsti``)."""

import datetime
import os
from typing import IO, Any, Dict, Iterator, List, Literal, Optional, Tuple, Union

__version__: str
KINDS: Tuple[str, ...]
"""The record kinds of the standard (``"person"``, ``"course"``, …)."""
VERSIONS: Tuple[str, ...]
"""The versions of the standard, oldest first (``"1.0"``, ``"2.0"``, …)."""

Record = Union[Dict[str, Any], str, bytes, bytearray]
"""One record: a dict, or the str or bytes of its JSON."""
Profile = Union[str, "os.PathLike[str]", Dict[str, Any], None]
"""A profile: a path to its JSON file, a dict, or None for the default profile."""
Now = Union[str, datetime.datetime, None]
"""An RFC 3339 str or an aware datetime; None for the clock."""
Lang = Literal["en", "zh"]

Verdict = Dict[str, Any]
"""``{"index", "line", "kind", "id", "valid", "issues": [{"code", "severity", "path",
"message"}]}`` — a line of ``dsti validate --format ndjson``; a batch envelope's verdict is
``{"envelope": {...}}``."""
Summary = Dict[str, Any]
"""``{"total", "valid", "invalid", "warnings", "profile", "envelopesInvalid"}``."""

class ProfileError(ValueError):
    """A profile that cannot be used (unreadable, not JSON, an unknown key, a bad value)."""

class MigrationRefused(ValueError):
    """A record that cannot be migrated."""

    code: str
    """The reason: ``"header"``, ``"batch"``, ``"invalid"``, ``"target-invalid"``, …"""
    report: Dict[str, Any]
    """The record's line of ``dsti migrate --report-format ndjson``."""

class InputError(OSError):
    """An input that could not be read to its end."""

class VerdictIterator(Iterator[Verdict]):
    """The verdicts of one file, in input order, computed in chunks without the GIL."""

    def __iter__(self) -> "VerdictIterator": ...
    def __next__(self) -> Verdict: ...
    @property
    def summary(self) -> Optional[Summary]:
        """The summary once the file has been read to its end, else None."""

class Validator:
    """Validates DSTI records with a profile, a "now" and a language of messages."""

    def __init__(
        self,
        profile: Profile = None,
        now: Now = None,
        lang: Lang = "en",
        *,
        max_record_bytes: Optional[int] = None,
        max_depth: Optional[int] = None,
        max_string_bytes: Optional[int] = None,
    ) -> None:
        """Raises ProfileError for a bad profile, ValueError for a bad lang or now."""
    def validate(self, record: Record) -> Dict[str, Any]:
        """The verdict on one record: ``{"kind", "id", "valid", "issues"}``. A record on its
        own is no upload: references to other records of an upload (a competition's
        ``certificate``) are judged by ``validate_file``, not here."""
    def validate_file(
        self,
        file: Union[str, "os.PathLike[str]", IO[bytes]],
        *,
        format: Optional[Literal["ndjson", "json", "auto"]] = None,
        jobs: int = 1,
        findings_only: bool = False,
    ) -> VerdictIterator:
        """The verdicts of an upload file (a path or a binary file object), lazily;
        ``findings_only`` leaves out those without findings (the summary counts them)."""
    @property
    def summary(self) -> Optional[Summary]:
        """The summary of the last file validated to its end (None before)."""
    @property
    def profile(self) -> str:
        """The name of the profile in use."""
    @property
    def lang(self) -> Lang:
        """The language of messages."""

def migrate(
    record: Record,
    to: str,
    *,
    profile: Profile = None,
    now: Now = None,
    lang: Lang = "en",
) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """``(record, notes)``: the record in version ``to`` and the migration's notes
    (``{"action", "path", "messageEn", "messageZh"}``). Raises MigrationRefused."""

def schema(kind: str, version: str = "2.0", *, base_uri: str = ...) -> Dict[str, Any]:
    """The JSON Schema of ``kind`` (a record kind or ``"batch"``) in ``version``."""

def generate(
    kind: Optional[str] = None, count: int = 10, seed: int = 1, version: str = "2.0"
) -> List[Dict[str, Any]]:
    """Valid synthetic records, the same for the same seed (``dsti generate``)."""

def document_digest(
    doc_type: str,
    number: str,
    key: bytes,
    alg: Literal["hmac-sm3", "hmac-sha256"] = "hmac-sm3",
    *,
    issuing_country: Optional[str] = None,
) -> str:
    """The keyed digest ``"hmac-sm3:<hex>"`` of an identity document."""
