"""The translations branches bring, read from tracecode/locale/pending/*.po until `make
messages` has merged them into the compiled catalogue (then this adds nothing)."""

from pathlib import Path

PENDING = Path(__file__).resolve().parents[2] / "locale" / "pending"


def install_pending() -> None:
    """Add the pending zh-hans translations the compiled catalogue does not have yet."""
    import polib
    from django.utils.translation import trans_real

    catalog = trans_real.translation("zh-hans")._catalog
    entries = [e for path in sorted(PENDING.glob("*.po")) for e in polib.pofile(str(path))]
    for entry in entries:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                if (key, int(index)) not in catalog and text:
                    catalog[(key, int(index))] = text
        elif entry.msgstr and key not in catalog:
            catalog[key] = entry.msgstr
