"""Decoding report bytes without silent mojibake.

Government sites and their exports use UTF-8, UTF-8 with a BOM, UTF-16 with
or without a BOM and GBK/GB18030.  The order of attempts matters:

1. a BOM decides;
2. UTF-16 without a BOM (some export tools write it so), told by where the
   zero bytes fall: ASCII characters (digits, newlines) have a zero high
   byte, at odd offsets in little-endian and even ones in big-endian; kept
   only if it decodes into Chinese or ASCII;
3. strict UTF-8 (the common case, and cheap: no detector runs);
4. UTF-8 with a handful of bad bytes (a truncated download, one corrupted
   character) — tried *before* GB18030 because UTF-8 Chinese bytes often
   decode as GB18030 without error, into plausible-looking but wrong hanzi;
5. strict GB18030 (a superset of GB2312 and GBK), kept only if the result
   reads as Chinese;
6. charset-normalizer as the last opinion.

Whatever is used is returned, so ``Document.encoding`` can say so.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from textmine.errors import EmptyDocumentError, EncodingError, UnreadableFileError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Declared names that pages use for what is really GBK or GB18030 text: a page
# saying gb2312 routinely contains GBK-only characters (镕, 堃), so every
# member of the family decodes as its superset.
_GB_FAMILY = {
    "gb2312",
    "gbk",
    "gb18030",
    "cp936",
    "x-gbk",
    "gb_2312-80",
    "csgb2312",
    "euc-cn",
    "hz-gb-2312",
    "ms936",
    "windows-936",
}

# Shares used to judge a decoding (see _chinese_plausibility).
_MIN_HANZI_SHARE = 0.85
_MIN_COMMON_SHARE = 0.6
# A UTF-8 file is taken as damaged UTF-8 (not some other encoding) when the
# undecodable bytes are few next to the good multi-byte characters.
_MAX_UTF8_ERROR_RATIO = 0.05


@dataclass
class Decoded:
    text: str
    encoding: str
    hints: dict[str, str] = field(default_factory=dict)


def normalize_charset(name: str) -> str | None:
    """A declared charset as a Python codec name (GB family → gb18030), or
    None when Python does not know it."""
    name = name.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    if name in {"big5", "big5-hkscs", "x-x-big5"}:
        return "big5hkscs"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc, len(bom)
    return None


_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (9, 10, 12, 13, 27))
_CONTROL_CHARS = {b: None for b in _CONTROL_BYTES + b"\x00\x7f"}
# Where the encoding of a file is judged: a text report does not change
# encoding or turn binary half-way, and the checks stay cheap on big files.
_HEAD = 65536


def utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` is UTF-16 text without a
    byte-order mark, else None.

    The zero bytes pick the byte order to try first (ASCII's zero high byte
    falls at odd offsets in little-endian); the guess stands only if the head
    decodes without error into text with no control characters that reads as
    Chinese or ASCII, which binary data and the wrong byte order do not.
    """
    head = data[: min(len(data), _HEAD) & ~1]
    if b"\x00" not in head:
        return None
    zeros_odd = head[1::2].count(0)
    zeros_even = head[0::2].count(0)
    order = ("utf-16-le", "utf-16-be") if zeros_odd >= zeros_even else ("utf-16-be", "utf-16-le")
    for encoding in order:
        text = _decode_head(head, encoding)
        if text and _reads_as_text(text):
            return encoding
    return None


def _reads_as_text(text: str) -> bool:
    """Letters or hanzi, no control or unassigned characters, and Chinese
    (or ASCII) that is not mojibake: what a decoding of text, not of binary
    or in the wrong byte order, gives."""
    if len(text.translate(_CONTROL_CHARS)) < len(text) or not any(c.isalnum() for c in text):
        return False
    if any(unicodedata.category(c) in ("Cn", "Co", "Cs") for c in set(text)):
        return False
    return chinese_plausibility(text)


def _decode_head(head: bytes, encoding: str) -> str | None:
    """``head`` decoded strictly, but for a character the cut split at its end."""
    try:
        return head.decode(encoding)
    except UnicodeDecodeError as e:
        if e.start >= len(head) - 2:  # the first half of a surrogate pair
            return head[: e.start].decode(encoding)
        return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or many control bytes, mean the file is not text at all
    (unless they are UTF-16's, see :func:`utf16_without_bom`).

    Only the first 64 KiB are looked at.
    """
    head = data[:_HEAD]
    if not head:
        return False
    if b"\x00" in head:
        return utf16_without_bom(head) is None
    # \t \n \r \f and ESC (ANSI colours) occur in text; other C0 bytes do not.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > max(2, len(head) // 100)


# Hanzi, and the punctuation and symbols Chinese text uses; counted with
# regexes (a Python test per character cost a millisecond a GBK report).
_HANZI_RANGES = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_PUNCT_RANGES = (
    "\u3000-\u303f"  # CJK punctuation
    "\uff00-\uffef"  # full-width forms
    "\u2010-\u206f"  # general punctuation: “ ” — …
    "\xa0\xb7\xd7\xb0"
    "\u2160-\u217f"  # Roman numerals Ⅰ Ⅱ in numbered lists
    "\u2460-\u24ff"  # ① ②
    "\u25a0-\u25ff"  # ■ ● ○
)
_HANZI_OR_CJK_PUNCT = re.compile(f"[{_HANZI_RANGES}{_CJK_PUNCT_RANGES}]")
_HANZI = re.compile(f"[{_HANZI_RANGES}]")


def _non_ascii_count(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


@cache  # bounded by the hanzi in Unicode; a report repeats its few hundred
def _is_common_hanzi(ch: str) -> bool:
    """In GB2312 level 1: the 3,755 most frequent hanzi.  Real Chinese prose is
    overwhelmingly made of them; UTF-8 bytes misread as GBK are not."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def chinese_plausibility(text: str) -> bool:
    """Does ``text`` read as (mostly ASCII or) Chinese rather than mojibake?"""
    non_ascii = _non_ascii_count(text)
    if not non_ascii:
        return True
    if len(_HANZI_OR_CJK_PUNCT.findall(text)) < _MIN_HANZI_SHARE * non_ascii:
        return False
    hanzi = Counter(_HANZI.findall(text))
    if not hanzi:
        return True
    common = sum(n for ch, n in hanzi.items() if _is_common_hanzi(ch))
    return common >= _MIN_COMMON_SHARE * hanzi.total()


def _utf8_with_errors(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes: decode with U+FFFD and say how many."""
    text = data.decode("utf-8", errors="replace")
    errors = text.count("\ufffd")
    good_multibyte = _non_ascii_count(text) - errors
    if good_multibyte and errors <= _MAX_UTF8_ERROR_RATIO * good_multibyte:
        return Decoded(text, "utf-8", {"decode_errors": str(errors)})
    return None


def _utf8_sparse_errors(data: bytes) -> Decoded | None:
    """Mostly-ASCII text with a stray bad byte or two: still UTF-8.  Tried
    after GB18030, which explains a GBK file with few hanzi better."""
    text = data.decode("utf-8", errors="replace")
    errors = text.count("\ufffd")
    if errors <= max(1, len(text) // 200):
        return Decoded(text, "utf-8", {"decode_errors": str(errors)})
    return None


def _gb18030(data: bytes) -> Decoded | None:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
        errors = text.count("\ufffd")
        non_ascii = _non_ascii_count(text)
        if errors > _MAX_UTF8_ERROR_RATIO * max(1, non_ascii - errors):
            return None
        if chinese_plausibility(text.replace("\ufffd", "")):
            return Decoded(text, "gb18030", {"decode_errors": str(errors)})
        return None
    return Decoded(text, "gb18030") if chinese_plausibility(text) else None


def _detector(data: bytes) -> Decoded | None:
    # Imported here: charset-normalizer is slow to import and only needed on
    # the rare files the fast paths above cannot place.
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return None
    enc = normalize_charset(best.encoding) or best.encoding
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None
    return Decoded(text, enc, {"encoding_detected": "charset-normalizer"}) if chinese_plausibility(text) else None


def _decode_with_count(data: bytes, encoding: str, name: str | None = None) -> Decoded:
    """``data`` in an encoding already settled on, a bad or odd trailing
    byte replaced and counted."""
    text = data.decode(encoding, errors="replace")
    errors = text.count("\ufffd")
    return Decoded(text, name or encoding, {"decode_errors": str(errors)} if errors else {})


def decode_bytes(data: bytes, source: str | None, declared: str | None = None) -> Decoded:
    """Decode report bytes, trying ``declared`` (from an HTML ``<meta>``)
    after a BOM and before detection.

    Raises :class:`UnreadableFileError` for binary data and
    :class:`EncodingError` when no encoding gives readable text.
    """
    bom = bom_encoding(data)
    if bom is not None:
        enc, n = bom
        return _decode_with_count(data[n:], enc, enc + ("-sig" if enc == "utf-8" else ""))
    utf16 = utf16_without_bom(data)
    if utf16 is not None:
        decoded = _decode_with_count(data, utf16)
        decoded.hints["encoding_detected"] = "zero-byte pattern (UTF-16 without BOM)"
        return decoded
    if looks_binary(data):
        raise UnreadableFileError(source, "binary file, not text")
    if declared:
        enc = normalize_charset(declared)
        if enc is not None:
            try:
                return Decoded(data.decode(enc), enc)
            except UnicodeDecodeError:
                pass  # the declaration lies; fall through to detection
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    for attempt in (_utf8_with_errors, _gb18030, _utf8_sparse_errors, _detector):
        got = attempt(data)
        if got is not None:
            return got
    raise EncodingError(
        source,
        "cannot tell the text encoding (not UTF-8, UTF-16 or GB18030/GBK); re-save the file as UTF-8",
    )


def require_text(text: str, source: str | None) -> None:
    """Raise :class:`EmptyDocumentError` for text with nothing but blanks."""
    if not text.strip().strip("\ufeff\u200b"):
        raise EmptyDocumentError(source, "empty file" if not text else "file holds only whitespace")
