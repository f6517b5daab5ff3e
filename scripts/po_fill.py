"""Fill Danish translations into locale/da/LC_MESSAGES/django.po.

Usage: python scripts/po_fill.py SOURCE [SOURCE ...]
A source is a Python file defining T = {msgid: msgstr}, or another .po file
(e.g. a branch's catalogue, to carry its translations over after a merge).
In T, a plural entry takes a (singular, plural) tuple.
Entries already translated are kept; fuzzy guesses are dropped and filled
from the sources when they have the text.
Prints the msgids that are still untranslated.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "da" / "LC_MESSAGES" / "django.po"


def _read(paths: list[str]) -> tuple[dict[str, str], dict[str, dict[int, str]]]:
    table: dict[str, str] = {}
    plurals: dict[str, dict[int, str]] = {}
    for path in paths:
        if not path.endswith(".po"):
            for msgid, value in runpy.run_path(path)["T"].items():
                if isinstance(value, tuple):
                    plurals[msgid] = {0: value[0], 1: value[1]}
                else:
                    table[msgid] = value
            continue
        for source in polib.pofile(path):
            if "fuzzy" in source.flags:
                continue
            if source.msgstr:
                table[source.msgid] = source.msgstr
            if source.msgid_plural and all(source.msgstr_plural.values()):
                plurals[source.msgid] = dict(source.msgstr_plural)
    return table, plurals


def main(paths: list[str]) -> int:
    table, plurals = _read(paths)
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            # A guess of msgmerge's from a similar text: never keep it.
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if entry.msgid_plural:
            if entry.msgid in plurals and not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = plurals[entry.msgid]
        elif entry.msgid in table and not entry.msgstr:
            entry.msgstr = table[entry.msgid]
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
