"""The zh-hans translations a branch brings in tracecode/locale/pending/<name>.po, added to the
compiled catalogue for the tests until `make messages` has merged them (then this adds
nothing): `install_pending("history")`."""

from pathlib import Path

PENDING = Path(__file__).resolve().parents[1] / "locale" / "pending"


def install_pending(*names: str) -> None:
    import polib
    from django.utils.translation import trans_real

    catalog = trans_real.translation("zh-hans")._catalog
    for name in names:
        path = PENDING / f"{name}.po"
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
            if entry.msgid_plural:
                for index, text in entry.msgstr_plural.items():
                    if (key, int(index)) not in catalog and text:
                        catalog[(key, int(index))] = text
            elif entry.msgstr and key not in catalog:
                catalog[key] = entry.msgstr
