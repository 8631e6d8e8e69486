"""Compile every `.po` catalogue under LOCALE_PATHS to `.mo` with polib.

Django's own `compilemessages` needs GNU gettext's `msgfmt`, which a fresh machine with only Python does not
have. The compiled `.mo` files are build output and are not committed.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the .po translation catalogues to .mo (no GNU gettext needed)."

    def handle(self, *args, **options):
        compiled = 0
        # The project catalogue (LOCALE_PATHS) and every installed app's own locale/ folder, as Django reads them.
        locale_dirs = [Path(d) for d in settings.LOCALE_PATHS]
        locale_dirs += [Path(app.path) / "locale" for app in apps.get_app_configs() if app.name.startswith("ctip.")]
        for locale_dir in dict.fromkeys(locale_dirs):
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                errors = [entry.msgid for entry in catalogue if entry.msgstr and _placeholders_differ(entry)]
                if errors:
                    raise CommandError(f"{po_path}: placeholders differ in {len(errors)} entries: {errors[:3]}")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
                self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
        self.stdout.write(self.style.SUCCESS(f"Compiled {compiled} catalogue(s)."))


def _placeholders_differ(entry: polib.POEntry) -> bool:
    pattern = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")

    def names(text: str) -> set[str]:
        return {a or b for a, b in pattern.findall(text)}

    if entry.msgid_plural:
        return any(names(v) - names(entry.msgid_plural) - names(entry.msgid) for v in entry.msgstr_plural.values())
    return names(entry.msgstr) != names(entry.msgid)
