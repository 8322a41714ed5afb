"""kit.base.encodings: every byte string is decoded or rejected with a reason naming the file."""

import pytest

from kit.base.encodings import DecodeError, decode, decode_bytes

ARABIC = "وقال وزير الخارجية الروسي سيرغي لافروف إن الغرب يحاول إبعاد جيران روسيا عنها.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])
def test_arabic_text_is_decoded_in_every_encoding(encoding):
    text, used = decode_bytes(ARABIC.encode(encoding), name="a.txt")
    assert text == ARABIC


def test_cp1256_is_named_as_such():
    assert decode_bytes(ARABIC.encode("cp1256"), name="a.txt")[1] == "cp1256"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"  \n\t\n", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4, "binary"),
        (bytes(range(1, 256)) * 8, "not readable text"),
    ],
)
def test_unreadable_bytes_raise_with_the_file_name(data, reason):
    with pytest.raises(DecodeError) as error:
        decode_bytes(data, name="corpus/bad.txt")
    assert "corpus/bad.txt" in str(error.value)
    assert reason in str(error.value)


def test_utf8_with_a_corrupt_byte_stays_utf8_and_says_where():
    data = ARABIC.encode() + ARABIC[:20].encode() + b"\x96" + ARABIC[20:].encode()  # a stray cp1252 dash
    decoded = decode(data, name="a.txt")
    assert decoded.encoding == "utf-8" and decoded.replaced == 1 and decoded.first_replaced_line == 2
    assert decoded.text == ARABIC + ARABIC[:20] + "\ufffd" + ARABIC[20:]
    assert decode(ARABIC.encode("cp1256"), name="a.txt").encoding == "cp1256"  # not damaged UTF-8
    assert decode("Café crème".encode("cp1252"), name="a.txt").encoding == "cp1256"
