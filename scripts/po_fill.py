"""Fill Danish translations into locale/da/LC_MESSAGES/django.po.

Usage: python scripts/po_fill.py SOURCE [SOURCE ...]
A source is a Python file defining T = {msgid: msgstr}, or another .po file
(e.g. a branch's catalogue, to carry its translations over after a merge).
Entries already translated are kept unless they are marked fuzzy. A plural
entry takes a (singular, plural) tuple.
Prints the msgids that are still untranslated.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "da" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> int:
    table: dict[str, str] = {}
    for path in paths:
        if path.endswith(".po"):
            for e in polib.pofile(path):
                if "fuzzy" in e.flags:
                    continue
                if e.msgid_plural and e.msgstr_plural.get(0):
                    table[e.msgid] = (e.msgstr_plural[0], e.msgstr_plural.get(1, ""))
                elif e.msgstr:
                    table[e.msgid] = e.msgstr
        else:
            table.update(runpy.run_path(path)["T"])
    po = polib.pofile(str(PO))
    for entry in po:
        translated = entry.msgstr or any(entry.msgstr_plural.values())
        if entry.msgid in table and (not translated or "fuzzy" in entry.flags):
            value = table[entry.msgid]
            if entry.msgid_plural:
                singular, plural = value if isinstance(value, tuple) else (value, value)
                entry.msgstr_plural = {0: singular, 1: plural}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.metadata["Language"] = "da"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    missing = [entry.msgid for entry in po.untranslated_entries() if not entry.obsolete]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
