"""Bytes to text for real-world mail: declared charsets, their supersets, and guessing."""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass

# A label is read with the widest codec of its family: "GB2312" mail from real clients often
# holds GBK or GB18030 characters (names like 镕, 喆, 堃), "Big5" mail Windows (cp950) or Hong
# Kong (HKSCS) ones, "ks_c_5601-1987" mail the Windows cp949 extension.
FAMILIES: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs", "cp950"),
    "euc_kr": ("cp949",),
}

# Labels seen in real mail that Python does not know.
ALIASES = {
    "x-gbk": "gbk",
    "gb_2312-80": "gb2312",
    "x-euc-cn": "gb2312",
    "csgb2312": "gb2312",
    "x-mac-chinesesimp": "gb2312",
    "chinese": "gb2312",
    "x-gb18030": "gb18030",
    "big-5": "big5",
    "x-big5": "big5",
    "cn-big5": "big5",
    "x-x-big5": "big5",
    "x-mac-chinesetrad": "big5",
    "iso-8859-8-i": "iso8859-8",
}

# The guesses for bytes whose label is missing or wrong, in this order: valid UTF-8 is almost
# never anything else; GB18030 before Big5 because mainland mail is far more common.
GUESSES = ("utf-8", "gb18030", "big5")

# Labels that legitimately carry high bytes as Western letters ("für", "Grüße").
LATIN = frozenset({"iso8859-1", "iso8859-15", "cp1252"})

# Codecs whose text can be all ASCII bytes while not being ASCII.
NOT_ASCII_COMPATIBLE = frozenset(
    {"utf-7", "hz", "iso2022_kr", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le"}
    | {"utf-32-be", "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004"}
    | {"iso2022_jp_3", "iso2022_jp_ext"}
)

UNKNOWN = "?"

_LABEL = re.compile(r"[a-z0-9][a-z0-9._:+-]{0,39}")
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_LONG_HIGH_RUN = re.compile(rb"[\x80-\xff]{4}")
# Private use (GB18030's user-defined areas) and C1 controls: what a wrong CJK guess produces.
_SUSPECT = re.compile("[\x80-\x9f\ue000-\uf8ff]")
_NOT_CJK = re.compile("[^\x00-\x7f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\uffef]")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the codec that was used, and what went wrong, if anything."""

    text: str
    codec: str
    problem: str | None = None


def codec_for(label: str | None) -> str | None:
    """The Python codec name for a charset label; None without a label, UNKNOWN if unknown."""
    if label is None:
        return None
    label = label.strip().strip("\"'").strip().lower()
    if not label:
        return None
    if not _LABEL.fullmatch(label):
        return UNKNOWN
    return _text_codec(ALIASES.get(label, label))


@functools.lru_cache(maxsize=256)
def _text_codec(label: str) -> str:
    try:
        name = codecs.lookup(label).name
        b"a".decode(name, "replace")  # "base64", "zlib" and the like are codecs, not charsets
    except LookupError:
        return UNKNOWN
    return name


def decode_bytes(data: bytes, label: str | None) -> Decoded:
    """Decode in the label's charset family, else a guess (UTF-8, GB18030, Big5), else replace."""
    codec = codec_for(label)
    if codec not in NOT_ASCII_COMPATIBLE and data.isascii():
        return Decoded(data.decode("ascii"), "ascii")
    trusted = codec not in (None, UNKNOWN, "ascii") and codec not in LATIN
    chain = FAMILIES.get(codec, (codec,)) if trusted else ()
    for name in chain:
        text = _strict(data, name)
        if text is not None:
            return Decoded(text, name)
    for name in GUESSES:
        if name in chain:
            continue
        text = _strict(data, name)
        if text is not None and (name == "utf-8" or _looks_cjk(data, text, name, codec in LATIN)):
            return Decoded(text, name, None if codec is None else _wrong_label(label, codec, name))
    if codec in LATIN:
        text = data.decode(codec, "replace")  # cp1252 leaves five bytes undefined
        return Decoded(
            text, codec, f"undecodable bytes in {label} replaced" if "\ufffd" in text else None
        )
    fallback = chain[0] if chain else "ascii"
    return Decoded(data.decode(fallback, "replace"), fallback, _undecodable(label, codec))


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _looks_cjk(data: bytes, text: str, codec: str, latin_label: bool) -> bool:
    """Whether a strict GB18030/Big5 decode is Chinese text rather than Western letters."""
    if _SUSPECT.search(text):
        return False
    if _LONG_HIGH_RUN.search(data):
        return True
    # Western text has single accented letters between ASCII ones ("für" is a valid GBK pair).
    if latin_label:
        return False
    if codec == "gb18030":  # short GBK text: pairs of bytes from 0xA1 up (the GB2312 rows)
        return all(len(run) % 2 == 0 and min(run) >= 0xA1 for run in _HIGH_RUN.findall(data))
    return not _NOT_CJK.search(text)  # Big5's second byte is often ASCII ("是" is AC 4F)


def _wrong_label(label: str | None, codec: str, used: str) -> str:
    if codec == UNKNOWN:
        return f"unknown charset {ascii(label)}; read as {used}"
    return f"not {label} as declared; read as {used}"


def _undecodable(label: str | None, codec: str | None) -> str:
    if codec is None:
        return "no charset and not UTF-8, GB18030 or Big5; undecodable bytes replaced"
    if codec == UNKNOWN:
        return f"unknown charset {ascii(label)}, not UTF-8, GB18030 or Big5; bytes replaced"
    return f"not valid {label}; undecodable bytes replaced"
