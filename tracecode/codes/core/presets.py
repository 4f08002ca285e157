"""The scheme files shipped with Tracecode: the REKO family and one example per rule family."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from .schemeset import SchemeSet, load

PRESETS_DIR = Path(__file__).resolve().parent.parent / "presets"
DEFAULT_PRESET = "reko"
_NAME = re.compile(r"[a-z0-9_]+(?:/[a-z0-9_]+)?")


def preset_path(name: str = DEFAULT_PRESET) -> Path:
    """Return the file of a preset: "reko", or "examples/material" and the like."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} is not a preset name")
    return PRESETS_DIR / f"{name}.toml"


def preset_text(name: str = DEFAULT_PRESET) -> str:
    """Return the TOML text of a preset."""
    return preset_path(name).read_text(encoding="utf-8")


@cache
def load_preset(name: str = DEFAULT_PRESET) -> SchemeSet:
    """Return the schemes of a preset (loaded once; a SchemeSet is never modified)."""
    return load(preset_text(name))


def example_names() -> list[str]:
    """Return the names of the example presets, e.g. "examples/material"."""
    return sorted(f"examples/{p.stem}" for p in (PRESETS_DIR / "examples").glob("*.toml"))
