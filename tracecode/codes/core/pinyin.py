"""Uppercase pinyin initials of Chinese text (浙江杭州 → ZJHZ)."""

from __future__ import annotations

import re
import unicodedata

# Place names whose polyphonic characters pypinyin 0.55 reads wrongly, even with its phrase
# dictionary (it reads 长治 as "zhang zhi", 朝阳 as "zhao yang"). Names it already gets right
# (重庆 CQ, 长沙 CS, 厦门 XM, 西藏 XZ, 蚌埠 BB, 六安 LA, 丽水 LS, 乐山 LS, 东莞 DG, 番禺 PY,
# 大连 DL) are pinned by the tests instead, so an upgrade that breaks them is noticed.
PLACE_NAME_INITIALS: dict[str, str] = {
    "长治": "CZ",
    "长葛": "CG",
    "长垣": "CY",
    "长白": "CB",
    "长丰": "CF",
    "长阳": "CY",
    "长海": "CH",
    "长岭": "CL",
    "长宁": "CN",
    "长清": "CQ",
    "长泰": "CT",
    "天长": "TC",
    "朝阳": "CY",
    "单县": "SX",
    "会稽": "KJ",
    "涡阳": "GY",
    "洪洞": "HT",
    "繁峙": "FS",
    "筠连": "JL",
    "浚县": "XX",
    "曾都": "ZD",
    "解州": "XZ",
    "覃塘": "QT",
}

_OVERRIDE = re.compile("|".join(sorted(PLACE_NAME_INITIALS, key=len, reverse=True)))
# pypinyin reads 湖南省长沙市 as "sheng zhang" (省长, governor) "sha shi"; an address is
# read one administrative unit at a time instead: 湖南省 | 长沙市.
_AFTER_UNIT = re.compile(r"(?<=[省市县区])")
_CHUNK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]+|[A-Za-z]")


def initials(text: str) -> str:
    """Return the uppercase pinyin initials of `text`; ASCII letters stay, other marks drop."""
    text = unicodedata.normalize("NFKC", text)
    letters: list[str] = []
    position = 0
    for override in _OVERRIDE.finditer(text):
        letters.append(_plain_initials(text[position : override.start()]))
        letters.append(PLACE_NAME_INITIALS[override.group()])
        position = override.end()
    letters.append(_plain_initials(text[position:]))
    return "".join(letters)


def _plain_initials(text: str) -> str:
    out: list[str] = []
    for chunk in _CHUNK.findall(text):
        if chunk.isascii():
            out.append(chunk.upper())
        else:
            # Imported when first needed: its dictionaries take 0.1 s of every process's start.
            from pypinyin import Style, lazy_pinyin

            # Each unit goes to pypinyin whole, so its phrase dictionary sees the context.
            for unit in _AFTER_UNIT.split(chunk):
                syllables = lazy_pinyin(unit, style=Style.FIRST_LETTER, errors="ignore")
                out.extend(s[:1].upper() for s in syllables if s[:1].isascii() and s[:1].isalpha())
    return "".join(out)
