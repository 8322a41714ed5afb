"""Bytes to text: decode an article or data file (UTF-8, UTF-16/32, cp1256) or say exactly why not.

Researchers' corpora come from many scrapers and Windows tools, so a file may be UTF-8 with or without a
BOM, UTF-16 (Excel's "Unicode text"), or Windows Arabic cp1256. `decode_bytes` tries them in that order,
rejects binary data and empty files with a message naming the file, and returns NFC text so offsets are
stable.
"""

from __future__ import annotations

import re
import unicodedata


class DecodeError(ValueError):
    """Bytes that are not readable text; the message says why."""


_EXPECTED_SCRIPTS_RE = re.compile(
    r"[\s\x20-\x7e\u00a0-\u024f\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\u2000-\u206f\ufb50-\ufdff\ufe70-\ufeff]"
)


def _plausible_text(text: str, guessed: bool) -> bool:
    """True when text looks like decoded text rather than binary noise.

    Few control characters in any case; when the encoding was guessed (UTF-16 without BOM, cp1256) most
    characters must also be Arabic, Latin, punctuation or white space.
    """
    sample = text[:20000]
    if not sample:
        return True
    controls = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v")
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


def decode_bytes(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode file bytes to (text, encoding name): UTF-8 (with/without BOM), UTF-16/32, else cp1256.

    The text is returned in Unicode NFC with any BOM removed. Raises DecodeError naming `name` when the
    bytes are empty, binary, or not plausible text in any of those encodings.
    """
    if not data.strip():
        raise DecodeError(f"{name}: empty file" if not data else f"{name}: only whitespace, no text")
    tried = []
    for encoding in _candidates(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            tried.append(encoding)
            continue
        text = text.lstrip("\ufeff")
        guessed = encoding in ("utf-16-le", "utf-16-be", "cp1256")
        if "\x00" in text or not _plausible_text(text, guessed):
            tried.append(encoding)
            continue
        if not text.strip():
            raise DecodeError(f"{name}: only whitespace, no text")
        return unicodedata.normalize("NFC", text), encoding
    if b"\x00" in data:
        raise DecodeError(f"{name}: binary data (NUL bytes), not text in {' or '.join(tried)}")
    raise DecodeError(f"{name}: not readable text (tried {', '.join(tried)})")
