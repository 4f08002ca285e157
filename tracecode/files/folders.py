"""Which folder of the client folder framework a record or code files into.

A folder is fixed (a `Folder` row) the first time something is filed in it, so asking for it
may write: callers ask explicitly, `folder_of(record)`, never through a model property. The
tree of folders follows the record registry: each kind's `folder` gives the name beside its
code (`RK1038 Acme Ltd`, `RK1038-1 SP1003`, `RK1038-1-S1`); a kind without one files in its
parent's folder (a quotation in its project's, a complaint in its order's).
"""

from tracecode.codes import registry
from tracecode.codes.models import CodeEntry

from . import layout


def folder_of(record) -> str:
    """The folder of a record of a registered kind: `RK1038 Acme Ltd/RK1038-1 SP1003`."""
    kind = registry.kind_of_model(type(record))
    if not isinstance(kind, registry.Kind):
        raise LookupError(f"{type(record).__name__} is not a registered coded kind")
    return _folder(registry.chain(registry.Found(kind, record)))


def _folder(chain: list[registry.Found]) -> str:
    path = None
    for link in chain:
        if link.kind.folder is None:
            continue
        name = link.kind.folder(link.record)
        above = path
        path = layout.folder(link.code, name, parent=(lambda above=above: above) if above else None)
    if path is None:
        raise LookupError(f"no kind above {chain[-1].code} has a folder")
    return path


def folder_of_code(code: str) -> str | None:
    """The folder of whatever `code` names; a registered code without a record of its own (a
    legacy code) gets a folder below its parent's. None for an unknown code."""
    found = registry.find(code)
    if found is not None:
        return _folder(registry.chain(found))
    entry = CodeEntry.objects.filter(code__in=registry.spellings(code)).first()
    if entry is None:
        return None
    parent = entry.parent_code
    above = folder_of_code(parent) if parent else None
    if parent and above is None:
        return None
    return layout.folder(entry.code, parent=(lambda: above) if above else None)
