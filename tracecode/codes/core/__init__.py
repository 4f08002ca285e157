"""The numbering engine's core: scheme language, format, parse, explain and find (no Django).

Guarantees: a scheme that loads can only make codes of at most 20 characters (and its
max_length) that parse back unambiguously; `parse` accepts exactly what `format` can make
(no leading zeros, no serial below `start` or off `step`, no impossible dates); `find`
returns only codes that parse, never one inside a run of ASCII letters and digits.
"""

from .errors import CodeOverflow, ParseError, Problem, SchemeError, ValueProblem
from .explain import Explanation, Found, Parsed, Part
from .pinyin import initials
from .presets import (
    DEFAULT_PRESET,
    PRESETS_DIR,
    example_names,
    load_preset,
    preset_path,
    preset_text,
)
from .scheme import Scheme, TableEntry, Values
from .schemeset import SchemeSet, check, load, scheme_names

__all__ = [
    "DEFAULT_PRESET",
    "PRESETS_DIR",
    "CodeOverflow",
    "Explanation",
    "Found",
    "ParseError",
    "Parsed",
    "Part",
    "Problem",
    "Scheme",
    "SchemeError",
    "SchemeSet",
    "TableEntry",
    "ValueProblem",
    "Values",
    "check",
    "example_names",
    "initials",
    "load",
    "load_preset",
    "preset_path",
    "preset_text",
    "scheme_names",
]
