"""Bytes to text: decode an article or data file (UTF-8, UTF-16/32, cp1256) or say exactly why not.

Researchers' corpora come from many scrapers and Windows tools, so a file may be UTF-8 with or without a
BOM, UTF-16 (Excel's "Unicode text"), or Windows Arabic cp1256. `decode_bytes` tries them in that order,
rejects binary data and empty files with a message naming the file, and returns NFC text so offsets are
stable. A UTF-8 file with a few corrupt bytes (a truncated download, a stray Windows byte) stays UTF-8:
those bytes become U+FFFD and `decode` reports how many and on which line, instead of the whole file
being misread as cp1256.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


class DecodeError(ValueError):
    """Bytes that are not readable text; the message says why."""


_EXPECTED_SCRIPTS_RE = re.compile(
    r"[\s\x20-\x7e\u00a0-\u024f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u2000-\u206f\ufb50-\ufdff\ufe70-\ufeff]"
)


# Control characters (Unicode category Cc) other than \t \n \v \f \r; the C1 range U+0080-U+009F only counts
# when the encoding was guessed.
_CONTROLS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROLS_GUESSED_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _plausible_text(text: str, guessed: bool) -> bool:
    """True when text looks like decoded text rather than binary noise.

    Few control characters in any case; when the encoding was guessed (UTF-16 without BOM, cp1256) most
    characters must also be Arabic, Latin, punctuation or white space. C1 controls (U+0080 to U+009F, such
    as U+0085 where a Windows «…» was mis-converted) count only then: in a valid UTF-8 file they are text
    damage, not a sign of binary data.
    """
    sample = text[:20000]
    if not sample:
        return True
    controls = len((_CONTROLS_GUESSED_RE if guessed else _CONTROLS_RE).findall(sample))
    if controls > len(sample) * 0.01:
        return False
    return not guessed or len(_EXPECTED_SCRIPTS_RE.findall(sample)) >= len(sample) * 0.8


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _candidates(data: bytes) -> list[str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return [encoding]
    if b"\x00" in data:
        odd_nuls = data[1::2].count(0)
        even_nuls = data[0::2].count(0)
        return ["utf-16-le", "utf-16-be"] if odd_nuls >= even_nuls else ["utf-16-be", "utf-16-le"]
    return ["utf-8", "cp1256"]


# A file is read as damaged UTF-8 rather than cp1256 when it holds at least this many valid non-ASCII UTF-8
# characters per invalid byte. Arabic in cp1256 is nearly all invalid UTF-8: the seeds encoded in cp1256
# have 0.005 to 0.007 valid characters (a letter before «،» can form one) per invalid byte.
_DAMAGED_UTF8_RATIO = 4


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read in, and the invalid UTF-8 bytes replaced by U+FFFD (if any)."""

    text: str
    encoding: str
    replaced: int = 0
    first_replaced_line: int | None = None  # 1-based line of the first replaced byte


def _damaged_utf8(data: bytes, encoding: str, error: UnicodeDecodeError) -> Decoded | None:
    """data as UTF-8 with its few invalid bytes replaced, or None when too many are invalid for UTF-8."""
    text = data.decode(encoding, errors="replace")
    replaced = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid = len(text) - len(text.encode("ascii", errors="ignore")) - replaced  # non-ASCII characters decoded
    if replaced <= 0 or replaced * _DAMAGED_UTF8_RATIO > valid:
        return None
    return Decoded(text, encoding, replaced, data.count(b"\n", 0, error.start) + 1)


def decode(data: bytes, name: str = "input") -> Decoded:
    """Decode file bytes: UTF-8 (with/without BOM), UTF-16/32, else cp1256; see `decode_bytes`.

    A file that is UTF-8 but for a few invalid bytes (at most one per four non-ASCII characters) is decoded
    as UTF-8 with those bytes replaced by U+FFFD, counted in `replaced`; callers report them.
    """
    if not data.strip():
        raise DecodeError(f"{name}: empty file" if not data else f"{name}: only whitespace, no text")
    tried = []
    for encoding in _candidates(data):
        try:
            decoded = Decoded(data.decode(encoding), encoding)
        except UnicodeDecodeError as error:
            damaged = _damaged_utf8(data, encoding, error) if encoding in ("utf-8", "utf-8-sig") else None
            if damaged is None:
                tried.append(encoding)
                continue
            decoded = damaged
        text = decoded.text.lstrip("\ufeff")
        guessed = encoding in ("utf-16-le", "utf-16-be", "cp1256")
        if "\x00" in text or not _plausible_text(text, guessed):
            tried.append(encoding)
            continue
        if not text.strip():
            raise DecodeError(f"{name}: only whitespace, no text")
        return Decoded(unicodedata.normalize("NFC", text), encoding, decoded.replaced, decoded.first_replaced_line)
    if b"\x00" in data:
        raise DecodeError(f"{name}: binary data (NUL bytes), not text in {' or '.join(tried)}")
    raise DecodeError(f"{name}: not readable text (tried {', '.join(tried)})")


def decode_bytes(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode file bytes to (text, encoding name): UTF-8 (with/without BOM), UTF-16/32, else cp1256.

    The text is returned in Unicode NFC with any BOM removed. Raises DecodeError naming `name` when the
    bytes are empty, binary, or not plausible text in any of those encodings. (`decode` also says how many
    invalid UTF-8 bytes were replaced.)
    """
    decoded = decode(data, name)
    return decoded.text, decoded.encoding
